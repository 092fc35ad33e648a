// DepthwiseConv1D and DepthwiseConv2D (Keras's BaseDepthwiseConv): ops::depthwise_conv,
// then bias and activation.
#include "keras/layers/convolutional.hpp"
#include "keras/ops.hpp"
#include "layers/conv/conv_utils.hpp"
#include "layers/conv/layer_config.hpp"

namespace keras::layers {

namespace {

BaseDepthwiseConvOptions read_depthwise_options(detail::LayerConfig& c) {
  BaseDepthwiseConvOptions o;
  detail::set_base_options(o, c.base());
  o.strides = c.ints("strides", {1});
  o.padding = c.string("padding", "valid");
  o.depth_multiplier = c.integer("depth_multiplier", 1);
  o.data_format = c.string("data_format", "");
  o.dilation_rate = c.ints("dilation_rate", {1});
  o.activation = c.activation("activation");
  o.use_bias = c.boolean("use_bias", true);
  o.depthwise_initializer = c.initializer("depthwise_initializer", "glorot_uniform");
  o.bias_initializer = c.initializer("bias_initializer", "zeros");
  o.depthwise_regularizer = c.regularizer("depthwise_regularizer");
  o.bias_regularizer = c.regularizer("bias_regularizer");
  o.activity_regularizer = c.regularizer("activity_regularizer");
  o.depthwise_constraint = c.constraint("depthwise_constraint");
  o.bias_constraint = c.constraint("bias_constraint");
  return o;
}

template <class L>
LayerRef<L> depthwise_from_config(const json& config, const std::string& class_name) {
  return detail::read_config(config, class_name, [](detail::LayerConfig& c) {
    c.rename("border_mode", "padding");
    c.convert_dim_ordering();
    const auto kernel_size = c.ints("kernel_size");
    return make_layer<L>(kernel_size, read_depthwise_options(c));
  });
}

}  // namespace

BaseDepthwiseConvLayer::BaseDepthwiseConvLayer(int rank, const std::vector<std::int64_t>& kernel_size,
                                               const BaseDepthwiseConvOptions& options)
    : Layer(base_options(options)),
      rank_(rank),
      kernel_size_(detail::standardize_tuple(kernel_size, rank, "kernel_size")),
      options_(options) {
  options_.strides = detail::standardize_tuple(options.strides, rank, "strides");
  options_.dilation_rate = detail::standardize_tuple(options.dilation_rate, rank, "dilation_rate");
  options_.padding = detail::standardize_padding(options.padding);
  options_.data_format = detail::standardize_data_format(options.data_format);
  detail::check_depth_multiplier(options_.depth_multiplier);
}

void BaseDepthwiseConvLayer::build(const std::vector<Shape>& input_shapes) {
  const Shape& shape = detail::single_shape(*this, input_shapes);
  detail::check_ndim(*this, shape, rank_ + 2, true);
  in_channels_ = detail::input_channels(*this, shape, options_.data_format == "channels_first");
  Shape kernel_shape = kernel_size_;
  kernel_shape.push_back(in_channels_);
  kernel_shape.push_back(options_.depth_multiplier);
  kernel_ = add_weight("kernel", kernel_shape,
                       {.initializer = options_.depthwise_initializer,
                        .regularizer = options_.depthwise_regularizer,
                        .constraint = options_.depthwise_constraint});
  if (options_.use_bias) {
    bias_ = add_weight("bias", {in_channels_ * options_.depth_multiplier},
                       {.initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint});
  }
}

Tensors BaseDepthwiseConvLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor x = detail::autocast(*this, detail::single_input(*this, inputs));
  const bool channels_first = options_.data_format == "channels_first";
  detail::check_ndim(*this, x.shape(), rank_ + 2, true);
  detail::check_channels(*this, x.shape(), channels_first, in_channels_);
  Tensor y = ops::depthwise_conv(x, kernel_,
                                 {.strides = options_.strides,
                                  .padding = options_.padding,
                                  .data_format = options_.data_format,
                                  .dilation_rate = options_.dilation_rate});
  if (options_.use_bias) y = detail::add_bias(y, bias_, channels_first);
  if (!options_.activation.is_linear()) y = options_.activation(y);
  detail::add_activity_loss(*this, options_.activity_regularizer, y);
  return {y};
}

json BaseDepthwiseConvLayer::get_config() const {
  json config = Layer::get_config();
  config["depth_multiplier"] = options_.depth_multiplier;
  config["kernel_size"] = kernel_size_;
  config["strides"] = options_.strides;
  config["padding"] = options_.padding;
  config["data_format"] = options_.data_format;
  config["dilation_rate"] = options_.dilation_rate;
  config["activation"] = activations::serialize(options_.activation);
  config["use_bias"] = options_.use_bias;
  config["depthwise_initializer"] = initializers::serialize(options_.depthwise_initializer);
  config["bias_initializer"] = initializers::serialize(options_.bias_initializer);
  config["depthwise_regularizer"] = regularizers::serialize(options_.depthwise_regularizer);
  config["bias_regularizer"] = regularizers::serialize(options_.bias_regularizer);
  config["activity_regularizer"] = regularizers::serialize(options_.activity_regularizer);
  config["depthwise_constraint"] = constraints::serialize(options_.depthwise_constraint);
  config["bias_constraint"] = constraints::serialize(options_.bias_constraint);
  return config;
}

DepthwiseConv1DLayer::DepthwiseConv1DLayer(const std::vector<std::int64_t>& kernel_size,
                                           const DepthwiseConv1DOptions& options)
    : BaseDepthwiseConvLayer(1, kernel_size, options) {}

LayerRef<DepthwiseConv1DLayer> DepthwiseConv1DLayer::from_config(const json& config) {
  return depthwise_from_config<DepthwiseConv1DLayer>(config, "DepthwiseConv1D");
}

DepthwiseConv2DLayer::DepthwiseConv2DLayer(const std::vector<std::int64_t>& kernel_size,
                                           const DepthwiseConv2DOptions& options)
    : BaseDepthwiseConvLayer(2, kernel_size, options) {}

LayerRef<DepthwiseConv2DLayer> DepthwiseConv2DLayer::from_config(const json& config) {
  return depthwise_from_config<DepthwiseConv2DLayer>(config, "DepthwiseConv2D");
}

}  // namespace keras::layers
