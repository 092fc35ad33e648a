#include "keras/layers/merging.hpp"
#include "layers/registry.hpp"

namespace keras::detail {

void register_merging_layers() {
  register_layer_class("Add", [](const json& c) -> LayerPtr { return layers::AddLayer::from_config(c); });
  register_layer_class("Subtract", [](const json& c) -> LayerPtr { return layers::SubtractLayer::from_config(c); });
  register_layer_class("Multiply", [](const json& c) -> LayerPtr { return layers::MultiplyLayer::from_config(c); });
  register_layer_class("Average", [](const json& c) -> LayerPtr { return layers::AverageLayer::from_config(c); });
  register_layer_class("Maximum", [](const json& c) -> LayerPtr { return layers::MaximumLayer::from_config(c); });
  register_layer_class("Minimum", [](const json& c) -> LayerPtr { return layers::MinimumLayer::from_config(c); });
  register_layer_class("Concatenate",
                       [](const json& c) -> LayerPtr { return layers::ConcatenateLayer::from_config(c); });
  register_layer_class("Dot", [](const json& c) -> LayerPtr { return layers::DotLayer::from_config(c); });
}

}  // namespace keras::detail
