#pragma once
// Reading a layer's Keras config dict (from_config): the base-layer keys every layer
// takes, typed reads of the layer's own keys, and Keras's error for keys nobody read
// (Keras's Layer.__init__ rejects unknown keyword arguments the same way).
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "keras/layer.hpp"

namespace keras::detail {

class LayerConfigReader {
 public:
  LayerConfigReader(const json& config, std::string class_name);

  // name, trainable, dtype (a name or a DTypePolicy dict), and the input shape keys
  // (batch_input_shape / batch_shape, or input_shape with batch_size).
  LayerOptions base();
  bool boolean(const std::string& key, bool fallback);
  double number(const std::string& key, double fallback);
  std::int64_t integer(const std::string& key, std::int64_t fallback);
  // The raw value, or nullptr when absent or null.
  const json* find(const std::string& key);
  // An initializer / regularizer / constraint identifier; absent keys give `fallback`,
  // null gives none.
  initializers::InitializerArg initializer(const std::string& key, const std::string& fallback);
  regularizers::RegularizerArg regularizer(const std::string& key);
  constraints::ConstraintArg constraint(const std::string& key);
  // ValueError "Unrecognized keyword arguments passed to <class>: {...}" for unread keys.
  void finish() const;

 private:
  [[noreturn]] void bad_type(const std::string& key, const char* expected) const;

  const json& config_;
  std::string class_name_;
  std::set<std::string> read_;
};

}  // namespace keras::detail
