#include "keras/layers/core.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

RepeatVectorLayer::RepeatVectorLayer(std::int64_t n, const RepeatVectorOptions& options)
    : Layer(base_options(options)), n_(n) {
  if (n <= 0) throw ValueError("Argument `n` should be a positive integer. Received: n=" + std::to_string(n));
}

// Checked here too: build sees the symbolic shape, None included.
void RepeatVectorLayer::build(const std::vector<Shape>& input_shapes) {
  detail::check_input_ndim(*this, input_shapes.at(0), 2);
}

Tensors RepeatVectorLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor& x = detail::single_input(*this, inputs);
  detail::check_input_ndim(*this, x.shape(), 2);
  return {ops::repeat(ops::expand_dims(x, 1), n_, 1)};
}

json RepeatVectorLayer::get_config() const {
  json config = Layer::get_config();
  config["n"] = n_;
  return config;
}

LayerRef<RepeatVectorLayer> RepeatVectorLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "RepeatVector");
  RepeatVectorOptions o;
  detail::set_base_options(o, c.base());
  return RepeatVector(c.integer({"n"}), o);
}

}  // namespace keras::layers
