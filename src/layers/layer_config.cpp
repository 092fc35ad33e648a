#include "layers/layer_config.hpp"

namespace keras::detail {

namespace {

Shape shape_from_json(const json& dims) {
  Shape shape;
  for (const auto& d : dims) shape.push_back(d.is_null() ? kUnknownDim : d.get<std::int64_t>());
  return shape;
}

// Keras 3.? writes the dtype as a DTypePolicy dict; earlier versions as a name.
DType dtype_from_json(const json& v) {
  if (v.is_string()) return dtype_from_name(v.get<std::string>());
  if (v.is_object() && v.contains("config") && v.at("config").contains("name")) {
    return dtype_from_name(v.at("config").at("name").get<std::string>());
  }
  throw TypeError("Could not interpret dtype: " + v.dump());
}

}  // namespace

LayerConfigReader::LayerConfigReader(const json& config, std::string class_name)
    : config_(config), class_name_(std::move(class_name)) {
  if (!config_.is_object()) throw TypeError(class_name_ + " config must be a dict, got " + config_.dump());
}

const json* LayerConfigReader::find(const std::string& key) {
  read_.insert(key);
  const auto it = config_.find(key);
  if (it == config_.end() || it->is_null()) return nullptr;
  return &*it;
}

void LayerConfigReader::bad_type(const std::string& key, const char* expected) const {
  throw TypeError(class_name_ + ": config key '" + key + "' must be " + expected + ", got " +
                  config_.at(key).dump());
}

bool LayerConfigReader::boolean(const std::string& key, bool fallback) {
  const json* v = find(key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) bad_type(key, "a bool");
  return v->get<bool>();
}

double LayerConfigReader::number(const std::string& key, double fallback) {
  const json* v = find(key);
  if (v == nullptr) return fallback;
  if (!v->is_number()) bad_type(key, "a number");
  return v->get<double>();
}

std::int64_t LayerConfigReader::integer(const std::string& key, std::int64_t fallback) {
  const json* v = find(key);
  if (v == nullptr) return fallback;
  if (!v->is_number_integer()) bad_type(key, "an integer");
  return v->get<std::int64_t>();
}

LayerOptions LayerConfigReader::base() {
  LayerOptions options;
  if (const json* v = find("name")) {
    if (!v->is_string()) bad_type("name", "a string");
    options.name = v->get<std::string>();
  }
  options.trainable = boolean("trainable", true);
  if (const json* v = find("dtype")) options.dtype = dtype_from_json(*v);
  boolean("autocast", true);  // mixed precision is not modelled; every layer computes in its dtype
  const json* batch_shape = find("batch_input_shape");
  if (batch_shape == nullptr) batch_shape = find("batch_shape");
  if (batch_shape != nullptr) {
    if (!batch_shape->is_array() || batch_shape->empty()) bad_type("batch_input_shape", "a list");
    const Shape full = shape_from_json(*batch_shape);
    options.input_shape.assign(full.begin() + 1, full.end());
    if (full.front() != kUnknownDim) options.batch_size = full.front();
  }
  if (const json* v = find("input_shape")) {
    if (!v->is_array()) bad_type("input_shape", "a list");
    options.input_shape = shape_from_json(*v);
  }
  if (const json* v = find("batch_size")) {
    if (!v->is_number_integer()) bad_type("batch_size", "an integer");
    options.batch_size = v->get<std::int64_t>();
  }
  if (find("activity_regularizer") != nullptr) {
    throw NotImplementedError(class_name_ + ": activity_regularizer is not supported for this layer");
  }
  return options;
}

initializers::InitializerArg LayerConfigReader::initializer(const std::string& key, const std::string& fallback) {
  read_.insert(key);
  const auto it = config_.find(key);
  if (it == config_.end()) return fallback;
  return initializers::get(*it);
}

regularizers::RegularizerArg LayerConfigReader::regularizer(const std::string& key) {
  const json* v = find(key);
  return v == nullptr ? regularizers::RegularizerArg() : regularizers::RegularizerArg(regularizers::get(*v));
}

constraints::ConstraintArg LayerConfigReader::constraint(const std::string& key) {
  const json* v = find(key);
  return v == nullptr ? constraints::ConstraintArg() : constraints::ConstraintArg(constraints::get(*v));
}

void LayerConfigReader::finish() const {
  std::string unknown;
  for (const auto& [key, value] : config_.items()) {
    if (read_.count(key)) continue;
    unknown += (unknown.empty() ? "'" : ", '") + key + "': " + value.dump();
  }
  if (!unknown.empty()) {
    throw ValueError("Unrecognized keyword arguments passed to " + class_name_ + ": {" + unknown + "}");
  }
}

}  // namespace keras::detail
