#include "keras/layers/core.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

namespace {

// True for the timesteps with a feature different from mask_value.
Tensor timestep_mask(const Tensor& x, double mask_value, bool keepdims) {
  return ops::any(ops::not_equal(x, mask_value), -1, keepdims);
}

}  // namespace

MaskingLayer::MaskingLayer(const MaskingOptions& options)
    : Layer(base_options(options)), mask_value_(options.mask_value) {
  set_supports_masking(true);
}

Tensors MaskingLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor& x = detail::single_input(*this, inputs);
  detail::check_input_min_ndim(*this, x.shape(), 1);
  return {ops::where(timestep_mask(x, mask_value_, true), x, 0)};
}

Tensors MaskingLayer::compute_mask(const Tensors& inputs, const Tensors&) {
  return {timestep_mask(inputs.at(0), mask_value_, false)};
}

json MaskingLayer::get_config() const {
  json config = Layer::get_config();
  config["mask_value"] = mask_value_;
  return config;
}

LayerRef<MaskingLayer> MaskingLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "Masking");
  MaskingOptions o;
  detail::set_base_options(o, c.base());
  o.mask_value = c.number({"mask_value"}, 0.0);
  return Masking(o);
}

}  // namespace keras::layers
