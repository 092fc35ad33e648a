#include "keras/layers/core.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

IdentityLayer::IdentityLayer(const IdentityOptions& options) : Layer(base_options(options)) {
  set_supports_masking(true);
}

Tensors IdentityLayer::call(const Tensors& inputs, const CallContext&) { return inputs; }

// Every input's mask passes on, not only the first one's.
Tensors IdentityLayer::compute_mask(const Tensors&, const Tensors& masks) { return masks; }

LayerRef<IdentityLayer> IdentityLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "Identity");
  IdentityOptions o;
  detail::set_base_options(o, c.base());
  return Identity(o);
}

}  // namespace keras::layers
