#include "keras/ops.hpp"
#include "keras/layers/core.hpp"
#include "layers/core/activity_regularizer.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

namespace {

LayerOptions dense_base_options(const DenseOptions& options) {
  LayerOptions base = base_options(options);
  if (options.input_dim) base.input_shape = {*options.input_dim};
  return base;
}

}  // namespace

DenseLayer::DenseLayer(std::int64_t units, const DenseOptions& options)
    : Layer(dense_base_options(options)), units_(units), options_(options) {
  if (units <= 0) {
    throw ValueError("Received an invalid value for `units`, expected a positive integer. Received: units=" +
                     std::to_string(units));
  }
  set_supports_masking(true);
}

void DenseLayer::build(const std::vector<Shape>& input_shapes) {
  const Shape& shape = input_shapes.at(0);
  detail::check_input_min_ndim(*this, shape, 2);
  if (shape.back() == kUnknownDim) {
    throw ValueError("The last dimension of the inputs to a Dense layer should be defined. Found None. "
                     "Full input shape received: " + shape_str(shape));
  }
  kernel_ = add_weight("kernel", {shape.back(), units_},
                       {.initializer = options_.kernel_initializer,
                        .regularizer = options_.kernel_regularizer,
                        .constraint = options_.kernel_constraint});
  if (options_.use_bias) {
    bias_ = add_weight("bias", {units_},
                       {.initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint});
  }
}

Tensors DenseLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor& x = detail::single_input(*this, inputs);
  detail::check_input_min_ndim(*this, x.shape(), 2);
  detail::check_input_axis(*this, x.shape(), -1, kernel_.shape().front());
  Tensor y = ops::matmul(x, kernel_.value());
  if (bias_.defined()) y = ops::add(y, bias_.value());
  if (!options_.activation.is_linear()) y = options_.activation(y);
  detail::add_activity_loss(*this, options_.activity_regularizer, y);
  return {y};
}

Variable DenseLayer::kernel() const {
  if (!built()) throw ValueError("You must build the layer before accessing `kernel`.");
  return kernel_;
}

Variable DenseLayer::bias() const {
  if (!built()) throw ValueError("You must build the layer before accessing `bias`.");
  if (!bias_.defined()) throw ValueError("Layer '" + name() + "' has no bias (use_bias=False).");
  return bias_;
}

json DenseLayer::get_config() const {
  json config = Layer::get_config();
  config["units"] = units_;
  config["activation"] = activations::serialize(options_.activation);
  config["use_bias"] = options_.use_bias;
  config["kernel_initializer"] = initializers::serialize(options_.kernel_initializer);
  config["bias_initializer"] = initializers::serialize(options_.bias_initializer);
  config["kernel_regularizer"] = regularizers::serialize(options_.kernel_regularizer);
  config["bias_regularizer"] = regularizers::serialize(options_.bias_regularizer);
  config["kernel_constraint"] = constraints::serialize(options_.kernel_constraint);
  config["bias_constraint"] = constraints::serialize(options_.bias_constraint);
  // Keras 3's base layer writes activity_regularizer only when there is one.
  if (options_.activity_regularizer) {
    config["activity_regularizer"] = regularizers::serialize(options_.activity_regularizer);
  }
  return config;
}

LayerRef<DenseLayer> DenseLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "Dense");
  DenseOptions o;
  detail::set_base_options(o, c.base());
  // The second spelling of each field is Keras 1's, which Keras 2's loader converted.
  o.activation = c.activation({"activation"});
  o.use_bias = c.boolean({"use_bias", "bias"}, true);
  o.kernel_initializer = c.initializer({"kernel_initializer", "init"}, "glorot_uniform");
  o.bias_initializer = c.initializer({"bias_initializer"}, "zeros");
  o.kernel_regularizer = c.regularizer({"kernel_regularizer", "W_regularizer"});
  o.bias_regularizer = c.regularizer({"bias_regularizer", "b_regularizer"});
  o.activity_regularizer = c.regularizer({"activity_regularizer"});
  o.kernel_constraint = c.constraint({"kernel_constraint", "W_constraint"});
  o.bias_constraint = c.constraint({"bias_constraint", "b_constraint"});
  o.input_dim = c.optional_integer({"input_dim"});
  return Dense(c.integer({"units", "output_dim"}), o);
}

}  // namespace keras::layers
