// Conv1DTranspose and Conv2DTranspose (Keras's BaseConvTranspose): ops::conv_transpose,
// then bias and activation.
#include "keras/layers/convolutional.hpp"
#include "keras/ops.hpp"
#include "layers/conv/conv_utils.hpp"
#include "layers/conv/layer_config.hpp"

namespace keras::layers {

namespace {

void check_transpose_arguments(std::int64_t filters, const BaseConvTransposeOptions& o) {
  detail::check_filters(filters);
  for (std::size_t i = 0; i < o.output_padding.size(); ++i) {
    if (o.output_padding[i] >= o.strides[i]) {
      throw ValueError("`output_padding` must be strictly less than `strides` for all dimensions. At dimension " +
                       std::to_string(i) + ", `output_padding` is " + std::to_string(o.output_padding[i]) +
                       " but `strides` is " + std::to_string(o.strides[i]) + ". Received: output_padding=" +
                       detail::tuple_str(o.output_padding) + ", strides=" + detail::tuple_str(o.strides));
    }
  }
  detail::check_strides_with_dilation(o.strides, o.dilation_rate);
}

BaseConvTransposeOptions read_transpose_options(detail::LayerConfig& c) {
  BaseConvTransposeOptions o;
  detail::set_base_options(o, c.base());
  o.strides = c.ints("strides", {1});
  o.padding = c.string("padding", "valid");
  o.output_padding = c.optional_ints("output_padding");
  o.data_format = c.string("data_format", "");
  o.dilation_rate = c.ints("dilation_rate", {1});
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
LayerRef<L> transpose_from_config(const json& config, const std::string& class_name, int rank) {
  return detail::read_config(config, class_name, [rank](detail::LayerConfig& c) {
    c.convert_keras1_conv(rank);
    c.convert_legacy_conv_weights();
    // Keras 1's Deconvolution2D required the output shape; Keras 2 dropped it (it is inferred).
    c.take("output_shape");
    const std::int64_t filters = c.integer("filters");
    const auto kernel_size = c.ints("kernel_size");
    return make_layer<L>(filters, kernel_size, read_transpose_options(c));
  });
}

}  // namespace

BaseConvTransposeLayer::BaseConvTransposeLayer(int rank, std::int64_t filters,
                                               const std::vector<std::int64_t>& kernel_size,
                                               const BaseConvTransposeOptions& options)
    : Layer(base_options(options)),
      rank_(rank),
      filters_(filters),
      kernel_size_(detail::standardize_tuple(kernel_size, rank, "kernel_size")),
      options_(options) {
  options_.strides = detail::standardize_tuple(options.strides, rank, "strides");
  options_.dilation_rate = detail::standardize_tuple(options.dilation_rate, rank, "dilation_rate");
  options_.padding = detail::standardize_padding(options.padding);
  options_.data_format = detail::standardize_data_format(options.data_format);
  if (!options.output_padding.empty()) {
    options_.output_padding = detail::standardize_tuple(options.output_padding, rank, "output_padding", true);
  }
  check_transpose_arguments(filters, options_);
}

void BaseConvTransposeLayer::build(const std::vector<Shape>& input_shapes) {
  const Shape& shape = detail::single_shape(*this, input_shapes);
  detail::check_ndim(*this, shape, rank_ + 2, true);
  in_channels_ = detail::input_channels(*this, shape, options_.data_format == "channels_first");
  Shape kernel_shape = kernel_size_;
  kernel_shape.push_back(filters_);
  kernel_shape.push_back(in_channels_);
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

Tensors BaseConvTransposeLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor x = detail::autocast(*this, detail::single_input(*this, inputs));
  const bool channels_first = options_.data_format == "channels_first";
  detail::check_ndim(*this, x.shape(), rank_ + 2, true);
  detail::check_channels(*this, x.shape(), channels_first, in_channels_);
  Tensor y = ops::conv_transpose(x, kernel_,
                                 {.strides = options_.strides,
                                  .padding = options_.padding,
                                  .output_padding = options_.output_padding,
                                  .data_format = options_.data_format,
                                  .dilation_rate = options_.dilation_rate});
  if (options_.use_bias) y = detail::add_bias(y, bias_, channels_first);
  if (!options_.activation.is_linear()) y = options_.activation(y);
  detail::add_activity_loss(*this, options_.activity_regularizer, y);
  return {y};
}

json BaseConvTransposeLayer::get_config() const {
  json config = Layer::get_config();
  config["filters"] = filters_;
  config["kernel_size"] = kernel_size_;
  config["strides"] = options_.strides;
  config["padding"] = options_.padding;
  config["output_padding"] = options_.output_padding.empty() ? json(nullptr) : json(options_.output_padding);
  config["data_format"] = options_.data_format;
  config["dilation_rate"] = options_.dilation_rate;
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

Conv1DTransposeLayer::Conv1DTransposeLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                                           const Conv1DTransposeOptions& options)
    : BaseConvTransposeLayer(1, filters, kernel_size, options) {}

LayerRef<Conv1DTransposeLayer> Conv1DTransposeLayer::from_config(const json& config) {
  return transpose_from_config<Conv1DTransposeLayer>(config, "Conv1DTranspose", 1);
}

Conv2DTransposeLayer::Conv2DTransposeLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                                           const Conv2DTransposeOptions& options)
    : BaseConvTransposeLayer(2, filters, kernel_size, options) {}

LayerRef<Conv2DTransposeLayer> Conv2DTransposeLayer::from_config(const json& config) {
  return transpose_from_config<Conv2DTransposeLayer>(config, "Conv2DTranspose", 2);
}

}  // namespace keras::layers
