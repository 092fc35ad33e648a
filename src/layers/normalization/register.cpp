#include "keras/layers/normalization.hpp"
#include "layers/registry.hpp"

namespace keras::detail {

void register_normalization_layers() {
  register_layer_class("BatchNormalization", [](const json& config) -> LayerPtr {
    return layers::BatchNormalizationLayer::from_config(config);
  });
  register_layer_class("LayerNormalization", [](const json& config) -> LayerPtr {
    return layers::LayerNormalizationLayer::from_config(config);
  });
}

}  // namespace keras::detail
