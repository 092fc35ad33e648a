#include <map>
#include <mutex>
#include <set>

#include "layers/registry.hpp"

namespace keras {

namespace {

std::recursive_mutex g_mutex;

std::map<std::string, LayerFactory>& table() {
  static std::map<std::string, LayerFactory> factories;
  return factories;
}

// The classes registered by the library itself (saved with module "keras.layers").
std::set<std::string>& builtins() {
  static std::set<std::string> names;
  return names;
}
bool g_registering_builtins = false;

// The built-in families, registered on first use (explicit calls rather than static
// initialisers, which a static library link would drop).
void ensure_builtins() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_registering_builtins = true;
    detail::register_input_layers();
    detail::register_core_layers();
    detail::register_normalization_layers();
    detail::register_merging_layers();
    detail::register_conv_layers();
    detail::register_rnn_layers();
    g_registering_builtins = false;
  });
}

}  // namespace

void register_layer_class(const std::string& class_name, LayerFactory factory) {
  std::lock_guard<std::recursive_mutex> lock(g_mutex);
  table()[class_name] = std::move(factory);
  if (g_registering_builtins) {
    builtins().insert(class_name);
  } else {
    builtins().erase(class_name);
  }
}

bool is_builtin_layer_class(const std::string& class_name) {
  ensure_builtins();
  std::lock_guard<std::recursive_mutex> lock(g_mutex);
  return builtins().count(class_name) > 0;
}

LayerPtr layer_from_config(const std::string& class_name, const json& config) {
  ensure_builtins();
  LayerFactory factory;
  {
    std::lock_guard<std::recursive_mutex> lock(g_mutex);
    auto it = table().find(class_name);
    if (it == table().end()) {
      throw ValueError("Unknown layer: '" + class_name +
                       "'. Please ensure you are using a `keras.utils.custom_object_scope` and that this object "
                       "is included in the scope (in keras-cpp: register it with keras::register_layer_class).");
    }
    factory = it->second;
  }
  return factory(config);
}

bool is_registered_layer_class(const std::string& class_name) {
  ensure_builtins();
  std::lock_guard<std::recursive_mutex> lock(g_mutex);
  return table().count(class_name) > 0;
}

std::vector<std::string> registered_layer_classes() {
  ensure_builtins();
  std::lock_guard<std::recursive_mutex> lock(g_mutex);
  std::vector<std::string> names;
  for (const auto& [name, f] : table()) names.push_back(name);
  return names;
}

}  // namespace keras
