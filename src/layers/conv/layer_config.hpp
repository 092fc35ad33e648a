#pragma once
// Reading a layer's config dict back into constructor arguments (Keras's
// `cls(**config)`): typed reads with defaults, and Keras 1 argument names converted as
// Keras 2's legacy interfaces did (`border_mode` -> `padding`, ...). Unknown keys are
// ignored, so configs from other Keras versions load (the reader's rule in
// docs/reference formats.md; Keras itself raises for unknown keywords).
#include <cstdint>
#include <string>
#include <vector>

#include "keras/activations.hpp"
#include "keras/layer.hpp"

namespace keras::layers::detail {

class LayerConfig {
 public:
  LayerConfig(const json& config, std::string class_name);

  // Moves a Keras 1 key to its Keras 2+ name; TypeError when both are given.
  void rename(const std::string& legacy, const std::string& key);
  // Removes `key` and returns its value (null when absent); for conversions that
  // combine keys (Keras 1's nb_row and nb_col into kernel_size).
  json take(const std::string& key);
  void set(const std::string& key, json value) { config_[key] = std::move(value); }
  // Keras 1's dim_ordering ("tf" / "th" / "default") as data_format.
  void convert_dim_ordering();
  // Keras 1's convolution arguments, as Keras 2's legacy interfaces converted them:
  // nb_filter -> filters, nb_row + nb_col (2-D) or filter_length (1-D) -> kernel_size,
  // subsample / subsample_length -> strides, border_mode -> padding, dim_ordering ->
  // data_format, and for 1-D input_dim + input_length -> input_shape.
  void convert_keras1_conv(int rank);
  // Keras 1's conv weight arguments (init, W_regularizer, ..., bias) by their new names.
  void convert_legacy_conv_weights();

  // Whether `key` holds a non-null value.
  bool has(const std::string& key) const;
  std::int64_t integer(const std::string& key);  // required
  std::int64_t integer(const std::string& key, std::int64_t fallback);
  bool boolean(const std::string& key, bool fallback);
  std::string string(const std::string& key, const std::string& fallback);
  // An int or a list of ints (Keras's tuples); required / with a fallback / optional.
  std::vector<std::int64_t> ints(const std::string& key);
  std::vector<std::int64_t> ints(const std::string& key, const std::vector<std::int64_t>& fallback);
  std::vector<std::int64_t> optional_ints(const std::string& key);  // empty when absent or null
  // An int, a list of ints or a list of pairs (ZeroPadding2D's padding), as rows.
  std::vector<std::vector<std::int64_t>> nested_ints(const std::string& key,
                                                    const std::vector<std::vector<std::int64_t>>& fallback);
  activations::ActivationArg activation(const std::string& key);
  // Keras's None falls back to the layer's default initializer.
  initializers::InitializerArg initializer(const std::string& key, const std::string& fallback);
  regularizers::RegularizerArg regularizer(const std::string& key);
  constraints::ConstraintArg constraint(const std::string& key);
  // The base-layer keywords: name, trainable, dtype (a name or a DTypePolicy dict),
  // batch_input_shape / batch_shape / input_shape / input_dim, batch_size.
  LayerOptions base();

 private:
  const json* find(const std::string& key) const;
  [[noreturn]] void bad_type(const std::string& key, const char* expected) const;

  json config_;
  std::string class_name_;
};

// Copies the base-layer keywords into a layer's options struct.
template <class Options>
void set_base_options(Options& options, const LayerOptions& base) {
  options.name = base.name;
  options.trainable = base.trainable;
  options.dtype = base.dtype;
  options.input_shape = base.input_shape;
  options.batch_size = base.batch_size;
}

// The usual body of from_config: `read` makes the layer from a reader of the config.
template <class Read>
auto read_config(const json& config, const std::string& class_name, Read read) {
  if (!config.is_object()) throw TypeError(class_name + ".from_config expects a dict, got " + config.dump());
  LayerConfig reader(config, class_name);
  return read(reader);
}

}  // namespace keras::layers::detail
