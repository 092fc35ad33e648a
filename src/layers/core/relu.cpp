#include "keras/activations.hpp"
#include "keras/layers/activation_layers.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"
#include "utils/object_config.hpp"

namespace keras::layers {

ReLULayer::ReLULayer(const ReLUOptions& options) : Layer(base_options(options)), options_(options) {
  if (options.max_value && *options.max_value < 0.0) {
    throw ValueError("max_value of a ReLU layer cannot be a negative value. Received: max_value=" +
                     detail::python_float(*options.max_value));
  }
  if (!(options.negative_slope >= 0.0)) {
    throw ValueError("negative_slope of a ReLU layer cannot be None or a negative value. Received: negative_slope=" +
                     detail::python_float(options.negative_slope));
  }
  if (!(options.threshold >= 0.0)) {
    throw ValueError("threshold of a ReLU layer cannot be None or a negative value. Received: threshold=" +
                     detail::python_float(options.threshold));
  }
  set_supports_masking(true);
}

Tensors ReLULayer::call(const Tensors& inputs, const CallContext&) {
  return {activations::relu(detail::single_input(*this, inputs),
                            {.negative_slope = options_.negative_slope,
                             .max_value = options_.max_value,
                             .threshold = options_.threshold})};
}

json ReLULayer::get_config() const {
  json config = Layer::get_config();
  config["max_value"] = options_.max_value ? json(*options_.max_value) : json(nullptr);
  config["negative_slope"] = options_.negative_slope;
  config["threshold"] = options_.threshold;
  return config;
}

LayerRef<ReLULayer> ReLULayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "ReLU");
  ReLUOptions o;
  detail::set_base_options(o, c.base());
  o.max_value = c.optional_number({"max_value"});
  o.negative_slope = c.number({"negative_slope"}, 0.0);
  o.threshold = c.number({"threshold"}, 0.0);
  return ReLU(o);
}

}  // namespace keras::layers
