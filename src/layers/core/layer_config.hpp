#pragma once
// Reading a layer's config dict back into constructor arguments (the layers' from_config).
// A field may have several spellings (Keras 3's, Keras 2's, Keras 1's: Dense's `units` was
// `output_dim`); the first one present and not null wins. Unknown keys are ignored, so
// configs written by other Keras versions load (formats.md's rule; Keras itself is strict).
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keras/activations.hpp"
#include "keras/layer.hpp"

namespace keras::detail {

using Keys = std::initializer_list<std::string_view>;

class LayerConfig {
 public:
  LayerConfig(const json& config, std::string class_name);

  // The base-layer keys: name, trainable, dtype (a name or a DTypePolicy dict), and the
  // input shape from Keras 2's batch_input_shape or from input_shape.
  LayerOptions base() const;

  // The first of `keys` present and not null; nullptr when none is.
  const json* find(Keys keys) const;
  bool has(Keys keys) const { return find(keys) != nullptr; }

  double number(Keys keys, double fallback) const;
  std::optional<double> optional_number(Keys keys) const;
  // A required integer: ValueError naming the class when absent.
  std::int64_t integer(Keys keys) const;
  std::optional<std::int64_t> optional_integer(Keys keys) const;
  bool boolean(Keys keys, bool fallback) const;
  std::string string(Keys keys, const std::string& fallback) const;
  // A list of ints, null entries as None (-1); empty when absent. An int is a list of one.
  std::vector<std::int64_t> int_list(Keys keys) const;
  std::optional<std::uint64_t> seed(Keys keys) const;

  initializers::InitializerArg initializer(Keys keys, const initializers::InitializerArg& fallback) const;
  regularizers::RegularizerArg regularizer(Keys keys) const;
  constraints::ConstraintArg constraint(Keys keys) const;
  activations::ActivationArg activation(Keys keys) const;

 private:
  [[noreturn]] void bad_type(std::string_view key, const char* expected) const;
  std::string_view found_key(Keys keys) const;

  const json& config_;
  std::string class_name_;
};

// Copies base options into a layer's options struct (designated initializers cannot
// name a base struct, so every options struct repeats the fields).
template <class Options>
void set_base_options(Options& options, const LayerOptions& base) {
  options.name = base.name;
  options.trainable = base.trainable;
  options.dtype = base.dtype;
  options.input_shape = base.input_shape;
  options.batch_size = base.batch_size;
}

// A shape as Keras writes it in configs: a list with null for None.
json shape_to_json(const Shape& shape);

}  // namespace keras::detail
