#pragma once
// Each layer family registers its classes here; layer_registry.cpp calls them all once.
#include "keras/layer_registry.hpp"

namespace keras::detail {

void register_input_layers();
void register_core_layers();
void register_normalization_layers();
void register_merging_layers();
void register_conv_layers();
void register_rnn_layers();

}  // namespace keras::detail
