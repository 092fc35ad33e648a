// Conv1D and Conv2D (Keras's BaseConv): ops::conv, then bias and activation.
#include "keras/layers/convolutional.hpp"
#include "keras/ops.hpp"
#include "layers/conv/conv_utils.hpp"
#include "layers/conv/layer_config.hpp"

namespace keras::layers {

namespace {

void check_conv_arguments(std::int64_t filters, const BaseConvOptions& o) {
  detail::check_filters(filters);
  if (o.groups <= 0) {
    throw ValueError("The number of groups must be a positive integer. Received: groups=" + std::to_string(o.groups) + ".");
  }
  if (filters % o.groups != 0) {
    throw ValueError("The number of filters must be evenly divisible by the number of groups. Received: groups=" +
                     std::to_string(o.groups) + ", filters=" + std::to_string(filters) + ".");
  }
  detail::check_strides_with_dilation(o.strides, o.dilation_rate);
}

BaseConvOptions read_conv_options(detail::LayerConfig& c) {
  BaseConvOptions o;
  detail::set_base_options(o, c.base());
  o.strides = c.ints("strides", {1});
  o.padding = c.string("padding", "valid");
  o.data_format = c.string("data_format", "");
  o.dilation_rate = c.ints("dilation_rate", {1});
  o.groups = c.integer("groups", 1);
  o.activation = c.activation("activation");
  o.use_bias = c.boolean("use_bias", true);
  o.kernel_initializer = c.initializer("kernel_initializer", "glorot_uniform");
  o.bias_initializer = c.initializer("bias_initializer", "zeros");
  o.kernel_regularizer = c.regularizer("kernel_regularizer");
  o.bias_regularizer = c.regularizer("bias_regularizer");
  o.activity_regularizer = c.regularizer("activity_regularizer");
  o.kernel_constraint = c.constraint("kernel_constraint");
  o.bias_constraint = c.constraint("bias_constraint");
  return o;
}

template <class L>
LayerRef<L> conv_from_config(const json& config, const std::string& class_name, int rank) {
  return detail::read_config(config, class_name, [rank](detail::LayerConfig& c) {
    c.convert_keras1_conv(rank);
    c.convert_legacy_conv_weights();
    const std::int64_t filters = c.integer("filters");
    const auto kernel_size = c.ints("kernel_size");
    return make_layer<L>(filters, kernel_size, read_conv_options(c));
  });
}

}  // namespace

BaseConvLayer::BaseConvLayer(int rank, std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                             const BaseConvOptions& options)
    : Layer(base_options(options)),
      rank_(rank),
      filters_(filters),
      kernel_size_(detail::standardize_tuple(kernel_size, rank, "kernel_size")),
      options_(options) {
  options_.strides = detail::standardize_tuple(options.strides, rank, "strides");
  options_.dilation_rate = detail::standardize_tuple(options.dilation_rate, rank, "dilation_rate");
  options_.padding = detail::standardize_padding(options.padding, rank == 1);
  options_.data_format = detail::standardize_data_format(options.data_format);
  check_conv_arguments(filters, options_);
}

void BaseConvLayer::build(const std::vector<Shape>& input_shapes) {
  const Shape& shape = detail::single_shape(*this, input_shapes);
  detail::check_ndim(*this, shape, rank_ + 2, true);
  const bool channels_first = options_.data_format == "channels_first";
  const std::int64_t channels = detail::input_channels(*this, shape, channels_first);
  if (channels % options_.groups != 0) {
    throw ValueError("The number of input channels must be evenly divisible by the number of groups. Received groups=" +
                     std::to_string(options_.groups) + ", but the input has " + std::to_string(channels) +
                     " channels (full input shape is " + shape_str(shape) + ").");
  }
  in_channels_ = channels;
  Shape kernel_shape = kernel_size_;
  kernel_shape.push_back(channels / options_.groups);
  kernel_shape.push_back(filters_);
  kernel_ = add_weight("kernel", kernel_shape,
                       {.initializer = options_.kernel_initializer,
                        .regularizer = options_.kernel_regularizer,
                        .constraint = options_.kernel_constraint});
  if (options_.use_bias) {
    bias_ = add_weight("bias", {filters_},
                       {.initializer = options_.bias_initializer,
                        .regularizer = options_.bias_regularizer,
                        .constraint = options_.bias_constraint});
  }
}

Tensors BaseConvLayer::call(const Tensors& inputs, const CallContext&) {
  Tensor x = detail::autocast(*this, detail::single_input(*this, inputs));
  const bool channels_first = options_.data_format == "channels_first";
  detail::check_ndim(*this, x.shape(), rank_ + 2, true);
  detail::check_channels(*this, x.shape(), channels_first, in_channels_);
  std::string padding = options_.padding;
  if (padding == "causal") {
    // Left-pad the time axis so output t sees inputs up to t only, then a valid conv.
    std::vector<std::pair<std::int64_t, std::int64_t>> pads(3, {0, 0});
    pads[channels_first ? 2 : 1].first = options_.dilation_rate[0] * (kernel_size_[0] - 1);
    x = ops::pad(x, pads);
    padding = "valid";
  }
  Tensor y = ops::conv(x, kernel_,
                       {.strides = options_.strides,
                        .padding = padding,
                        .data_format = options_.data_format,
                        .dilation_rate = options_.dilation_rate});
  if (options_.use_bias) y = detail::add_bias(y, bias_, channels_first);
  if (!options_.activation.is_linear()) y = options_.activation(y);
  detail::add_activity_loss(*this, options_.activity_regularizer, y);
  return {y};
}

json BaseConvLayer::get_config() const {
  json config = Layer::get_config();
  config["filters"] = filters_;
  config["kernel_size"] = kernel_size_;
  config["strides"] = options_.strides;
  config["padding"] = options_.padding;
  config["data_format"] = options_.data_format;
  config["dilation_rate"] = options_.dilation_rate;
  config["groups"] = options_.groups;
  config["activation"] = activations::serialize(options_.activation);
  config["use_bias"] = options_.use_bias;
  config["kernel_initializer"] = initializers::serialize(options_.kernel_initializer);
  config["bias_initializer"] = initializers::serialize(options_.bias_initializer);
  config["kernel_regularizer"] = regularizers::serialize(options_.kernel_regularizer);
  config["bias_regularizer"] = regularizers::serialize(options_.bias_regularizer);
  config["activity_regularizer"] = regularizers::serialize(options_.activity_regularizer);
  config["kernel_constraint"] = constraints::serialize(options_.kernel_constraint);
  config["bias_constraint"] = constraints::serialize(options_.bias_constraint);
  return config;
}

Conv1DLayer::Conv1DLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size, const Conv1DOptions& options)
    : BaseConvLayer(1, filters, kernel_size, options) {}

LayerRef<Conv1DLayer> Conv1DLayer::from_config(const json& config) {
  return conv_from_config<Conv1DLayer>(config, "Conv1D", 1);
}

Conv2DLayer::Conv2DLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size, const Conv2DOptions& options)
    : BaseConvLayer(2, filters, kernel_size, options) {}

LayerRef<Conv2DLayer> Conv2DLayer::from_config(const json& config) {
  return conv_from_config<Conv2DLayer>(config, "Conv2D", 2);
}

}  // namespace keras::layers
