#include "keras/layers/core.hpp"
#include "layers/core/activity_regularizer.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

ActivityRegularizationLayer::ActivityRegularizationLayer(const ActivityRegularizationOptions& options)
    : Layer(base_options(options)),
      options_(options),
      regularizer_(regularizers::L1L2({.l1 = options.l1, .l2 = options.l2})) {
  set_supports_masking(true);
}

Tensors ActivityRegularizationLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor& x = detail::single_input(*this, inputs);
  detail::add_activity_loss(*this, regularizer_, x);
  return {x};
}

// Keras writes l1 and l2 and leaves out the base activity_regularizer they make.
json ActivityRegularizationLayer::get_config() const {
  json config = Layer::get_config();
  config["l1"] = options_.l1;
  config["l2"] = options_.l2;
  return config;
}

LayerRef<ActivityRegularizationLayer> ActivityRegularizationLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "ActivityRegularization");
  ActivityRegularizationOptions o;
  detail::set_base_options(o, c.base());
  o.l1 = c.number({"l1"}, 0.0);
  o.l2 = c.number({"l2"}, 0.0);
  return ActivityRegularization(o);
}

}  // namespace keras::layers
