#include "keras/layers/core.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

ActivationLayer::ActivationLayer(activations::ActivationArg activation, const ActivationOptions& options)
    : Layer(base_options(options)), activation_(std::move(activation)) {
  set_supports_masking(true);
}

Tensors ActivationLayer::call(const Tensors& inputs, const CallContext&) {
  return {activation_(detail::single_input(*this, inputs))};
}

json ActivationLayer::get_config() const {
  json config = Layer::get_config();
  config["activation"] = activations::serialize(activation_);
  return config;
}

LayerRef<ActivationLayer> ActivationLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "Activation");
  ActivationOptions o;
  detail::set_base_options(o, c.base());
  return Activation(c.activation({"activation"}), o);
}

}  // namespace keras::layers
