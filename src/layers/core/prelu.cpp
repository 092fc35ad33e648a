#include "keras/layers/activation_layers.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

PReLULayer::PReLULayer(const PReLUOptions& options) : Layer(base_options(options)), options_(options) {
  set_supports_masking(true);
}

void PReLULayer::build(const std::vector<Shape>& input_shapes) {
  const Shape& shape = input_shapes.at(0);
  detail::check_input_min_ndim(*this, shape, 2);
  Shape param_shape(shape.begin() + 1, shape.end());
  for (auto axis : options_.shared_axes) {
    if (axis < 1 || axis > static_cast<std::int64_t>(param_shape.size())) {
      throw ValueError("PReLU `shared_axes` must be non-batch axes of the input (1 to " +
                       std::to_string(param_shape.size()) + "). Received: shared_axes=" +
                       detail::int_tuple(options_.shared_axes) + " for input shape " + shape_str(shape));
    }
    param_shape[static_cast<std::size_t>(axis - 1)] = 1;
  }
  for (auto d : param_shape) {
    if (d == kUnknownDim) {
      throw ValueError("PReLU needs every non-shared input axis to be defined (share the unknown ones with "
                       "`shared_axes`). Received input shape " + shape_str(shape));
    }
  }
  alpha_ = add_weight("alpha", param_shape,
                      {.initializer = options_.alpha_initializer,
                       .regularizer = options_.alpha_regularizer,
                       .constraint = options_.alpha_constraint});
}

Tensors PReLULayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor& x = detail::single_input(*this, inputs);
  const Shape& alpha_shape = alpha_.shape();
  detail::check_input_ndim(*this, x.shape(), static_cast<std::int64_t>(alpha_shape.size()) + 1);
  for (std::size_t i = 0; i < alpha_shape.size(); ++i) {
    if (alpha_shape[i] != 1) detail::check_input_axis(*this, x.shape(), static_cast<std::int64_t>(i) + 1, alpha_shape[i]);
  }
  // relu(x) - alpha * relu(-x), as Keras writes it.
  return {ops::subtract(ops::relu(x), ops::multiply(alpha_.value(), ops::relu(ops::negative(x))))};
}

Variable PReLULayer::alpha() const {
  if (!built()) throw ValueError("You must build the layer before accessing `alpha`.");
  return alpha_;
}

json PReLULayer::get_config() const {
  json config = Layer::get_config();
  config["alpha_initializer"] = initializers::serialize(options_.alpha_initializer);
  config["alpha_regularizer"] = regularizers::serialize(options_.alpha_regularizer);
  config["alpha_constraint"] = constraints::serialize(options_.alpha_constraint);
  config["shared_axes"] = options_.shared_axes.empty() ? json(nullptr) : json(options_.shared_axes);
  return config;
}

LayerRef<PReLULayer> PReLULayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "PReLU");
  PReLUOptions o;
  detail::set_base_options(o, c.base());
  // `init` is Keras 1's name, which Keras 2's loader converted.
  o.alpha_initializer = c.initializer({"alpha_initializer", "init"}, "Zeros");
  o.alpha_regularizer = c.regularizer({"alpha_regularizer"});
  o.alpha_constraint = c.constraint({"alpha_constraint"});
  o.shared_axes = c.int_list({"shared_axes"});
  return PReLU(o);
}

}  // namespace keras::layers
