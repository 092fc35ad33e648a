// SeparableConv1D and SeparableConv2D (Keras's BaseSeparableConv): a depthwise
// convolution (with the strides, padding and dilation), then a 1x1 convolution, then
// bias and activation, as keras.ops.separable_conv.
#include "keras/layers/convolutional.hpp"
#include "keras/ops.hpp"
#include "layers/conv/conv_utils.hpp"
#include "layers/conv/layer_config.hpp"

namespace keras::layers {

namespace {

void check_separable_arguments(std::int64_t filters, const BaseSeparableConvOptions& o) {
  detail::check_depth_multiplier(o.depth_multiplier);
  detail::check_filters(filters);
}

BaseSeparableConvOptions read_separable_options(detail::LayerConfig& c) {
  BaseSeparableConvOptions o;
  detail::set_base_options(o, c.base());
  o.strides = c.ints("strides", {1});
  o.padding = c.string("padding", "valid");
  o.data_format = c.string("data_format", "");
  o.dilation_rate = c.ints("dilation_rate", {1});
  o.depth_multiplier = c.integer("depth_multiplier", 1);
  o.activation = c.activation("activation");
  o.use_bias = c.boolean("use_bias", true);
  o.depthwise_initializer = c.initializer("depthwise_initializer", "glorot_uniform");
  o.pointwise_initializer = c.initializer("pointwise_initializer", "glorot_uniform");
  o.bias_initializer = c.initializer("bias_initializer", "zeros");
  o.depthwise_regularizer = c.regularizer("depthwise_regularizer");
  o.pointwise_regularizer = c.regularizer("pointwise_regularizer");
  o.bias_regularizer = c.regularizer("bias_regularizer");
  o.activity_regularizer = c.regularizer("activity_regularizer");
  o.depthwise_constraint = c.constraint("depthwise_constraint");
  o.pointwise_constraint = c.constraint("pointwise_constraint");
  o.bias_constraint = c.constraint("bias_constraint");
  return o;
}

template <class L>
LayerRef<L> separable_from_config(const json& config, const std::string& class_name, int rank) {
  return detail::read_config(config, class_name, [rank](detail::LayerConfig& c) {
    c.convert_keras1_conv(rank);
    // Keras 1's `init` set both kernels' initializers.
    if (c.has("init")) {
      const json init = c.take("init");
      c.set("depthwise_initializer", init);
      c.set("pointwise_initializer", init);
    }
    c.rename("b_regularizer", "bias_regularizer");
    c.rename("b_constraint", "bias_constraint");
    c.rename("bias", "use_bias");
    const std::int64_t filters = c.integer("filters");
    const auto kernel_size = c.ints("kernel_size");
    return make_layer<L>(filters, kernel_size, read_separable_options(c));
  });
}

}  // namespace

BaseSeparableConvLayer::BaseSeparableConvLayer(int rank, std::int64_t filters,
                                               const std::vector<std::int64_t>& kernel_size,
                                               const BaseSeparableConvOptions& options)
    : Layer(base_options(options)),
      rank_(rank),
      filters_(filters),
      kernel_size_(detail::standardize_tuple(kernel_size, rank, "kernel_size")),
      options_(options) {
  options_.strides = detail::standardize_tuple(options.strides, rank, "strides");
  options_.dilation_rate = detail::standardize_tuple(options.dilation_rate, rank, "dilation_rate");
  options_.padding = detail::standardize_padding(options.padding);
  options_.data_format = detail::standardize_data_format(options.data_format);
  check_separable_arguments(filters, options_);
}

void BaseSeparableConvLayer::build(const std::vector<Shape>& input_shapes) {
  const Shape& shape = detail::single_shape(*this, input_shapes);
  detail::check_ndim(*this, shape, rank_ + 2, true);
  in_channels_ = detail::input_channels(*this, shape, options_.data_format == "channels_first");
  Shape depthwise_shape = kernel_size_;
  depthwise_shape.push_back(in_channels_);
  depthwise_shape.push_back(options_.depth_multiplier);
  Shape pointwise_shape(static_cast<std::size_t>(rank_), 1);
  pointwise_shape.push_back(in_channels_ * options_.depth_multiplier);
  pointwise_shape.push_back(filters_);
  depthwise_kernel_ = add_weight("depthwise_kernel", depthwise_shape,
                                 {.initializer = options_.depthwise_initializer,
                                  .regularizer = options_.depthwise_regularizer,
                                  .constraint = options_.depthwise_constraint});
  pointwise_kernel_ = add_weight("pointwise_kernel", pointwise_shape,
                                 {.initializer = options_.pointwise_initializer,
                                  .regularizer = options_.pointwise_regularizer,
                                  .constraint = options_.pointwise_constraint});
  if (options_.use_bias) {
    bias_ = add_weight("bias", {filters_},
                       {.initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint});
  }
}

Tensors BaseSeparableConvLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor x = detail::autocast(*this, detail::single_input(*this, inputs));
  const bool channels_first = options_.data_format == "channels_first";
  detail::check_ndim(*this, x.shape(), rank_ + 2, true);
  detail::check_channels(*this, x.shape(), channels_first, in_channels_);
  const Tensor depthwise = ops::depthwise_conv(x, depthwise_kernel_,
                                               {.strides = options_.strides,
                                                .padding = options_.padding,
                                                .data_format = options_.data_format,
                                                .dilation_rate = options_.dilation_rate});
  Tensor y = ops::conv(depthwise, pointwise_kernel_, {.data_format = options_.data_format});
  if (options_.use_bias) y = detail::add_bias(y, bias_, channels_first);
  if (!options_.activation.is_linear()) y = options_.activation(y);
  detail::add_activity_loss(*this, options_.activity_regularizer, y);
  return {y};
}

json BaseSeparableConvLayer::get_config() const {
  json config = Layer::get_config();
  config["depth_multiplier"] = options_.depth_multiplier;
  config["filters"] = filters_;
  config["kernel_size"] = kernel_size_;
  config["strides"] = options_.strides;
  config["padding"] = options_.padding;
  config["data_format"] = options_.data_format;
  config["dilation_rate"] = options_.dilation_rate;
  config["activation"] = activations::serialize(options_.activation);
  config["use_bias"] = options_.use_bias;
  config["depthwise_initializer"] = initializers::serialize(options_.depthwise_initializer);
  config["pointwise_initializer"] = initializers::serialize(options_.pointwise_initializer);
  config["bias_initializer"] = initializers::serialize(options_.bias_initializer);
  config["depthwise_regularizer"] = regularizers::serialize(options_.depthwise_regularizer);
  config["pointwise_regularizer"] = regularizers::serialize(options_.pointwise_regularizer);
  config["bias_regularizer"] = regularizers::serialize(options_.bias_regularizer);
  config["activity_regularizer"] = regularizers::serialize(options_.activity_regularizer);
  config["depthwise_constraint"] = constraints::serialize(options_.depthwise_constraint);
  config["pointwise_constraint"] = constraints::serialize(options_.pointwise_constraint);
  config["bias_constraint"] = constraints::serialize(options_.bias_constraint);
  return config;
}

SeparableConv1DLayer::SeparableConv1DLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                                           const SeparableConv1DOptions& options)
    : BaseSeparableConvLayer(1, filters, kernel_size, options) {}

LayerRef<SeparableConv1DLayer> SeparableConv1DLayer::from_config(const json& config) {
  return separable_from_config<SeparableConv1DLayer>(config, "SeparableConv1D", 1);
}

SeparableConv2DLayer::SeparableConv2DLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                                           const SeparableConv2DOptions& options)
    : BaseSeparableConvLayer(2, filters, kernel_size, options) {}

LayerRef<SeparableConv2DLayer> SeparableConv2DLayer::from_config(const json& config) {
  return separable_from_config<SeparableConv2DLayer>(config, "SeparableConv2D", 2);
}

}  // namespace keras::layers
