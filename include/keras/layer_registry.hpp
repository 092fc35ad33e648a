#pragma once
// Layers by class name, for from_config and model loading: every built-in layer is
// registered, and custom layers register themselves (Keras's custom_objects /
// register_keras_serializable). Creating a layer from a config never runs code from it.
#include <functional>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras {

using LayerFactory = std::function<LayerPtr(const json& config)>;

// Registers (or replaces) the factory for `class_name`.
void register_layer_class(const std::string& class_name, LayerFactory factory);
// A new layer from Keras's config dict; ValueError naming the class when it is unknown.
LayerPtr layer_from_config(const std::string& class_name, const json& config);
bool is_registered_layer_class(const std::string& class_name);
// Whether the library itself registered `class_name` (not a custom layer).
bool is_builtin_layer_class(const std::string& class_name);
std::vector<std::string> registered_layer_classes();

}  // namespace keras
