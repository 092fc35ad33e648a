#include "layers/core/layer_config.hpp"

namespace keras::detail {

namespace {

// Keras 3.4+ writes the dtype as a DTypePolicy dict; mixed policies keep float32 weights,
// which is the dtype this library computes in for them.
DType dtype_of_policy(const json& dtype) {
  if (dtype.is_string()) {
    const auto name = dtype.get<std::string>();
    if (name.rfind("mixed_", 0) == 0) return DType::float32;
    return dtype_from_name(name);
  }
  const json& config = dtype.contains("config") ? dtype.at("config") : dtype;
  if (!config.is_object() || !config.contains("name") || !config.at("name").is_string()) {
    throw TypeError("Could not interpret the layer dtype: " + dtype.dump());
  }
  return dtype_of_policy(config.at("name"));
}

Shape shape_from_json(const json& dims, std::string_view key) {
  if (!dims.is_array()) throw TypeError(std::string(key) + " must be a list of dimensions, got " + dims.dump());
  Shape shape;
  for (const auto& d : dims) {
    if (!d.is_null() && !d.is_number_integer()) {
      throw TypeError(std::string(key) + " must be a list of integers or None, got " + dims.dump());
    }
    shape.push_back(d.is_null() ? kUnknownDim : d.get<std::int64_t>());
  }
  return shape;
}

}  // namespace

LayerConfig::LayerConfig(const json& config, std::string class_name)
    : config_(config), class_name_(std::move(class_name)) {
  if (!config_.is_object()) throw TypeError(class_name_ + ".from_config expects a dict, got " + config_.dump());
}

const json* LayerConfig::find(Keys keys) const {
  for (auto key : keys) {
    const auto it = config_.find(std::string(key));
    if (it != config_.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

std::string_view LayerConfig::found_key(Keys keys) const {
  for (auto key : keys) {
    const auto it = config_.find(std::string(key));
    if (it != config_.end() && !it->is_null()) return key;
  }
  return keys.size() > 0 ? *keys.begin() : std::string_view();
}

void LayerConfig::bad_type(std::string_view key, const char* expected) const {
  throw TypeError(class_name_ + ": config key '" + std::string(key) + "' must be " + expected + ", got " +
                  config_.at(std::string(key)).dump());
}

LayerOptions LayerConfig::base() const {
  LayerOptions options;
  options.name = string({"name"}, "");
  options.trainable = boolean({"trainable"}, true);
  if (const json* dtype = find({"dtype"})) options.dtype = dtype_of_policy(*dtype);
  if (const json* dims = find({"batch_input_shape"})) {
    const Shape shape = shape_from_json(*dims, "batch_input_shape");
    if (shape.empty()) throw ValueError(class_name_ + ": batch_input_shape must include the batch axis");
    options.input_shape.assign(shape.begin() + 1, shape.end());
    if (shape.front() != kUnknownDim) options.batch_size = shape.front();
  } else if (const json* dims = find({"input_shape"})) {
    options.input_shape = shape_from_json(*dims, "input_shape");
  }
  if (const auto batch_size = optional_integer({"batch_size"})) options.batch_size = batch_size;
  return options;
}

double LayerConfig::number(Keys keys, double fallback) const { return optional_number(keys).value_or(fallback); }

std::optional<double> LayerConfig::optional_number(Keys keys) const {
  const json* v = find(keys);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) bad_type(found_key(keys), "a number");
  return v->get<double>();
}

std::int64_t LayerConfig::integer(Keys keys) const {
  const auto value = optional_integer(keys);
  if (!value) {
    throw ValueError(class_name_ + ".from_config: the config has no '" + std::string(found_key(keys)) +
                     "'. Config: " + config_.dump());
  }
  return *value;
}

std::optional<std::int64_t> LayerConfig::optional_integer(Keys keys) const {
  const json* v = find(keys);
  if (v == nullptr) return std::nullopt;
  // JSON writers may store a whole number as 8.0.
  if (v->is_number_float() && v->get<double>() == static_cast<double>(static_cast<std::int64_t>(v->get<double>()))) {
    return static_cast<std::int64_t>(v->get<double>());
  }
  if (!v->is_number_integer()) bad_type(found_key(keys), "an integer");
  return v->get<std::int64_t>();
}

bool LayerConfig::boolean(Keys keys, bool fallback) const {
  const json* v = find(keys);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) bad_type(found_key(keys), "a boolean");
  return v->get<bool>();
}

std::string LayerConfig::string(Keys keys, const std::string& fallback) const {
  const json* v = find(keys);
  if (v == nullptr) return fallback;
  if (!v->is_string()) bad_type(found_key(keys), "a string");
  return v->get<std::string>();
}

std::vector<std::int64_t> LayerConfig::int_list(Keys keys) const {
  const json* v = find(keys);
  if (v == nullptr) return {};
  if (v->is_number_integer()) return {v->get<std::int64_t>()};
  return shape_from_json(*v, found_key(keys));
}

std::optional<std::uint64_t> LayerConfig::seed(Keys keys) const {
  const json* v = find(keys);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer() || v->get<std::int64_t>() < 0) bad_type(found_key(keys), "a non-negative integer or null");
  return v->get<std::uint64_t>();
}

initializers::InitializerArg LayerConfig::initializer(Keys keys,
                                                      const initializers::InitializerArg& fallback) const {
  const json* v = find(keys);
  if (v == nullptr) return fallback;
  return initializers::InitializerArg(initializers::get(*v));
}

regularizers::RegularizerArg LayerConfig::regularizer(Keys keys) const {
  const json* v = find(keys);
  if (v == nullptr) return {};
  return regularizers::RegularizerArg(regularizers::get(*v));
}

constraints::ConstraintArg LayerConfig::constraint(Keys keys) const {
  const json* v = find(keys);
  if (v == nullptr) return {};
  return constraints::ConstraintArg(constraints::get(*v));
}

activations::ActivationArg LayerConfig::activation(Keys keys) const {
  const json* v = find(keys);
  if (v == nullptr) return {};
  return activations::deserialize(*v);
}

json shape_to_json(const Shape& shape) {
  json dims = json::array();
  for (auto d : shape) dims.push_back(d == kUnknownDim ? json(nullptr) : json(d));
  return dims;
}

}  // namespace keras::detail
