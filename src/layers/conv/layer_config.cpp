#include "layers/conv/layer_config.hpp"

#include "keras/constraints.hpp"
#include "keras/initializers.hpp"
#include "keras/regularizers.hpp"

namespace keras::layers::detail {

LayerConfig::LayerConfig(const json& config, std::string class_name)
    : config_(config), class_name_(std::move(class_name)) {}

void LayerConfig::rename(const std::string& legacy, const std::string& key) {
  const auto it = config_.find(legacy);
  if (it == config_.end()) return;
  if (config_.contains(key)) {
    throw TypeError(class_name_ + " got both the Keras 1 argument `" + legacy + "` and its Keras 2 name `" + key +
                    "`; pass only `" + key + "`");
  }
  config_[key] = *it;
  config_.erase(legacy);
}

json LayerConfig::take(const std::string& key) {
  const auto it = config_.find(key);
  if (it == config_.end()) return nullptr;
  json value = *it;
  config_.erase(it);
  return value;
}

void LayerConfig::convert_dim_ordering() {
  rename("dim_ordering", "data_format");
  const auto it = config_.find("data_format");
  if (it == config_.end() || !it->is_string()) return;
  const auto value = it->get<std::string>();
  if (value == "tf") *it = "channels_last";
  if (value == "th") *it = "channels_first";
  if (value == "default") *it = nullptr;
}

void LayerConfig::convert_keras1_conv(int rank) {
  rename("nb_filter", "filters");
  rename("border_mode", "padding");
  convert_dim_ordering();
  if (rank == 1) {
    rename("filter_length", "kernel_size");
    rename("subsample_length", "strides");
    if (has("input_dim")) {
      const json length = take("input_length");
      set("input_shape", json::array({length, take("input_dim")}));
    }
    return;
  }
  rename("subsample", "strides");
  if (config_.contains("nb_row") || config_.contains("nb_col")) {
    if (config_.contains("kernel_size")) {
      throw TypeError(class_name_ + " got both Keras 1's nb_row / nb_col and `kernel_size`; pass only `kernel_size`");
    }
    const json rows = take("nb_row");
    const json cols = take("nb_col");
    if (!rows.is_number_integer() || !cols.is_number_integer()) {
      throw TypeError(class_name_ + ": Keras 1's nb_row and nb_col must both be integers, got " + rows.dump() +
                      " and " + cols.dump());
    }
    set("kernel_size", json::array({rows, cols}));
  }
}

void LayerConfig::convert_legacy_conv_weights() {
  rename("init", "kernel_initializer");
  rename("W_regularizer", "kernel_regularizer");
  rename("b_regularizer", "bias_regularizer");
  rename("W_constraint", "kernel_constraint");
  rename("b_constraint", "bias_constraint");
  rename("bias", "use_bias");
}

const json* LayerConfig::find(const std::string& key) const {
  const auto it = config_.find(key);
  if (it == config_.end() || it->is_null()) return nullptr;
  return &*it;
}

void LayerConfig::bad_type(const std::string& key, const char* expected) const {
  throw TypeError(class_name_ + ": config key '" + key + "' must be " + expected + ", got " + config_.at(key).dump());
}

bool LayerConfig::has(const std::string& key) const {
  const auto it = config_.find(key);
  return it != config_.end() && !it->is_null();
}

std::int64_t LayerConfig::integer(const std::string& key) {
  if (!has(key)) throw TypeError(class_name_ + ".from_config: the config lacks the required argument '" + key + "'");
  return integer(key, 0);
}

std::int64_t LayerConfig::integer(const std::string& key, std::int64_t fallback) {
  const json* v = find(key);
  if (v == nullptr) return fallback;
  if (!v->is_number_integer()) bad_type(key, "an integer");
  return v->get<std::int64_t>();
}

bool LayerConfig::boolean(const std::string& key, bool fallback) {
  const json* v = find(key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) bad_type(key, "a boolean");
  return v->get<bool>();
}

std::string LayerConfig::string(const std::string& key, const std::string& fallback) {
  const json* v = find(key);
  if (v == nullptr) return fallback;
  if (!v->is_string()) bad_type(key, "a string");
  return v->get<std::string>();
}

std::vector<std::int64_t> LayerConfig::ints(const std::string& key) {
  if (!has(key)) throw TypeError(class_name_ + ".from_config: the config lacks the required argument '" + key + "'");
  return ints(key, {});
}

std::vector<std::int64_t> LayerConfig::ints(const std::string& key, const std::vector<std::int64_t>& fallback) {
  const json* v = find(key);
  if (v == nullptr) return fallback;
  if (v->is_number_integer()) return {v->get<std::int64_t>()};
  if (!v->is_array()) bad_type(key, "an integer or a list of integers");
  std::vector<std::int64_t> out;
  for (const auto& e : *v) {
    if (!e.is_number_integer()) bad_type(key, "an integer or a list of integers");
    out.push_back(e.get<std::int64_t>());
  }
  return out;
}

std::vector<std::int64_t> LayerConfig::optional_ints(const std::string& key) { return ints(key, {}); }

std::vector<std::vector<std::int64_t>> LayerConfig::nested_ints(
    const std::string& key, const std::vector<std::vector<std::int64_t>>& fallback) {
  const json* v = find(key);
  if (v == nullptr) return fallback;
  if (v->is_number_integer()) return {{v->get<std::int64_t>()}};
  if (!v->is_array()) bad_type(key, "an integer, a list of integers or a list of pairs");
  std::vector<std::vector<std::int64_t>> rows;
  for (const auto& e : *v) {
    if (e.is_number_integer()) {
      rows.push_back({e.get<std::int64_t>()});
      continue;
    }
    if (!e.is_array()) bad_type(key, "an integer, a list of integers or a list of pairs");
    std::vector<std::int64_t> row;
    for (const auto& x : e) {
      if (!x.is_number_integer()) bad_type(key, "an integer, a list of integers or a list of pairs");
      row.push_back(x.get<std::int64_t>());
    }
    rows.push_back(row);
  }
  return rows;
}

activations::ActivationArg LayerConfig::activation(const std::string& key) {
  const json* v = find(key);
  return v == nullptr ? activations::ActivationArg() : activations::deserialize(*v);
}

initializers::InitializerArg LayerConfig::initializer(const std::string& key, const std::string& fallback) {
  const json* v = find(key);
  if (v == nullptr) return fallback;
  return initializers::InitializerArg(initializers::get(*v));
}

regularizers::RegularizerArg LayerConfig::regularizer(const std::string& key) {
  const json* v = find(key);
  if (v == nullptr) return {};
  return regularizers::RegularizerArg(regularizers::get(*v));
}

constraints::ConstraintArg LayerConfig::constraint(const std::string& key) {
  const json* v = find(key);
  if (v == nullptr) return {};
  return constraints::ConstraintArg(constraints::get(*v));
}

namespace {

// "float32", or Keras 3's {"class_name": "DTypePolicy", "config": {"name": "float32"}}.
DType dtype_from_config(const json& v) {
  if (v.is_string()) return dtype_from_name(v.get<std::string>());
  if (v.is_object() && v.contains("config") && v.at("config").contains("name") && v.at("config").at("name").is_string()) {
    return dtype_from_name(v.at("config").at("name").get<std::string>());
  }
  throw TypeError("Cannot read a layer dtype from " + v.dump() + " (expected a name or a DTypePolicy dict)");
}

Shape shape_from_config(const json& v) {
  if (!v.is_array()) throw TypeError("A layer input shape must be a list, got " + v.dump());
  Shape shape;
  for (const auto& d : v) shape.push_back(d.is_null() ? kUnknownDim : d.get<std::int64_t>());
  return shape;
}

}  // namespace

LayerOptions LayerConfig::base() {
  LayerOptions options;
  options.name = string("name", "");
  options.trainable = boolean("trainable", true);
  if (const json* v = find("dtype")) options.dtype = dtype_from_config(*v);
  // Keras 1 wrote the input dtype beside batch_input_shape.
  if (const json* v = find("input_dtype"); v != nullptr && !options.dtype) options.dtype = dtype_from_config(*v);
  const json* batch_shape = find("batch_input_shape");
  if (batch_shape == nullptr) batch_shape = find("batch_shape");
  if (batch_shape != nullptr) {
    const Shape full = shape_from_config(*batch_shape);
    if (full.empty()) throw ValueError(class_name_ + ": batch_input_shape must include the batch axis");
    options.input_shape.assign(full.begin() + 1, full.end());
    if (full[0] >= 0) options.batch_size = full[0];
  }
  if (const json* v = find("input_shape")) options.input_shape = shape_from_config(*v);
  if (const json* v = find("input_dim")) options.input_shape = {v->get<std::int64_t>()};
  if (const json* v = find("batch_size")) options.batch_size = v->get<std::int64_t>();
  return options;
}

}  // namespace keras::layers::detail
