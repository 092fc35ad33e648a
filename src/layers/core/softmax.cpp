#include "keras/layers/activation_layers.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

namespace {

// Keras's check: the mask broadcasts to the inputs, dimension by dimension from the right.
void check_mask_shape(const Tensor& inputs, const Tensor& mask) {
  const Shape& x = inputs.shape();
  const Shape& m = mask.shape();
  if (m.size() > x.size()) {
    throw ValueError("The `mask` must be broadcastable to `inputs` and must not have more dimensions. Received: "
                     "inputs.shape=" + shape_str(x) + ", mask.shape=" + shape_str(m));
  }
  for (std::size_t i = 1; i <= m.size(); ++i) {
    const auto md = m[m.size() - i];
    if (md != 1 && md != x[x.size() - i]) {
      throw ValueError("The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 or match the "
                       "corresponding input dimension. Received: inputs.shape=" + shape_str(x) +
                       ", mask.shape=" + shape_str(m));
    }
  }
}

// Masked positions get this before the softmax: exp underflows to exactly 0 for them.
constexpr double kLargeNegative = -1e9;

}  // namespace

json SoftmaxAxis::to_json() const { return is_list_ ? json(axes_) : json(axes_.front()); }

SoftmaxLayer::SoftmaxLayer(const SoftmaxOptions& options) : Layer(base_options(options)), axis_(options.axis) {
  if (axis_.axes().empty()) throw ValueError("Softmax `axis` must name at least one axis");
  set_supports_masking(true);
}

Tensors SoftmaxLayer::call(const Tensors& inputs, const CallContext& context) {
  Tensor x = detail::single_input(*this, inputs);
  Tensor mask = context.masks.empty() ? Tensor() : context.masks.front();
  if (mask.defined()) {
    check_mask_shape(x, mask);
    if (mask.dtype() != DType::bool_) mask = ops::greater(mask, 0.5);
    x = ops::where(mask, x, kLargeNegative);
  }
  const auto& axes = axis_.axes();
  Tensor y = axes.size() > 1 ? ops::exp(ops::subtract(x, ops::logsumexp(x, axes, true)))
                             : ops::softmax(x, axes.front());
  // A fully masked axis would otherwise come out uniform.
  if (mask.defined()) y = ops::where(mask, y, 0.0);
  return {y};
}

json SoftmaxLayer::get_config() const {
  json config = Layer::get_config();
  config["axis"] = axis_.to_json();
  return config;
}

LayerRef<SoftmaxLayer> SoftmaxLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "Softmax");
  SoftmaxOptions o;
  detail::set_base_options(o, c.base());
  if (const json* axis = c.find({"axis"})) {
    if (axis->is_array()) {
      o.axis = SoftmaxAxis(c.int_list({"axis"}));
    } else {
      o.axis = SoftmaxAxis(c.integer({"axis"}));
    }
  }
  return Softmax(o);
}

}  // namespace keras::layers
