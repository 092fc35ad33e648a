#include "keras/layers/activation_layers.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

ELULayer::ELULayer(const ELUOptions& options) : Layer(base_options(options)), alpha_(options.alpha) {
  set_supports_masking(true);
}

Tensors ELULayer::call(const Tensors& inputs, const CallContext&) {
  return {ops::elu(detail::single_input(*this, inputs), alpha_)};
}

// Keras 3's ELU writes no `alpha` (so a saved alpha is lost there); writing it keeps the
// value, and Keras reads it back (ELU(alpha=...)), as Keras 2 wrote it.
json ELULayer::get_config() const {
  json config = Layer::get_config();
  config["alpha"] = alpha_;
  return config;
}

LayerRef<ELULayer> ELULayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "ELU");
  ELUOptions o;
  detail::set_base_options(o, c.base());
  o.alpha = c.number({"alpha"}, 1.0);
  return ELU(o);
}

}  // namespace keras::layers
