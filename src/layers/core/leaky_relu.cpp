#include "keras/layers/activation_layers.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"
#include "utils/object_config.hpp"

namespace keras::layers {

LeakyReLULayer::LeakyReLULayer(const LeakyReLUOptions& options)
    : Layer(base_options(options)), negative_slope_(options.alpha.value_or(options.negative_slope)) {
  if (!(negative_slope_ >= 0.0)) {
    throw ValueError("The negative_slope value of a Leaky ReLU layer cannot be None or negative value. Expected a "
                     "float. Received: negative_slope=" + detail::python_float(negative_slope_));
  }
  set_supports_masking(true);
}

Tensors LeakyReLULayer::call(const Tensors& inputs, const CallContext&) {
  return {ops::leaky_relu(detail::single_input(*this, inputs), negative_slope_)};
}

json LeakyReLULayer::get_config() const {
  json config = Layer::get_config();
  config["negative_slope"] = negative_slope_;
  return config;
}

LayerRef<LeakyReLULayer> LeakyReLULayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "LeakyReLU");
  LeakyReLUOptions o;
  detail::set_base_options(o, c.base());
  // Keras 2 wrote the slope as `alpha`.
  o.negative_slope = c.number({"negative_slope", "alpha"}, 0.3);
  return LeakyReLU(o);
}

}  // namespace keras::layers
