#pragma once
// Each layer family registers its classes here; layer_registry.cpp calls them all once.
#include "keras/layer_registry.hpp"

namespace keras::detail {

// Registers layer class L (with a static from_config) under `class_name`.
template <class L>
void register_class(const std::string& class_name) {
  register_layer_class(class_name, [](const json& config) -> LayerPtr { return L::from_config(config); });
}

void register_input_layers();
void register_core_layers();
void register_normalization_layers();
void register_merging_layers();
void register_conv_layers();
void register_rnn_layers();

}  // namespace keras::detail
