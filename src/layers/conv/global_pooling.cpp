// GlobalMaxPooling1D/2D and GlobalAveragePooling1D/2D (Keras's BaseGlobalPooling): a
// max or mean over the spatial axes.
#include "keras/layers/pooling.hpp"
#include "keras/ops.hpp"
#include "layers/conv/conv_utils.hpp"
#include "layers/conv/layer_config.hpp"

namespace keras::layers {

namespace {

// The spatial axes of a rank-`rank` pooling input.
std::vector<std::int64_t> spatial_axes(int rank, bool channels_first) {
  std::vector<std::int64_t> axes;
  for (int i = 0; i < rank; ++i) axes.push_back(i + (channels_first ? 2 : 1));
  return axes;
}

template <class L>
LayerRef<L> global_pooling_from_config(const json& config, const std::string& class_name) {
  return detail::read_config(config, class_name, [](detail::LayerConfig& c) {
    c.convert_dim_ordering();
    GlobalPoolingOptions o;
    detail::set_base_options(o, c.base());
    o.data_format = c.string("data_format", "");
    o.keepdims = c.boolean("keepdims", false);
    return make_layer<L>(o);
  });
}

}  // namespace

BaseGlobalPoolingLayer::BaseGlobalPoolingLayer(int rank, bool max, const GlobalPoolingOptions& options)
    : Layer(base_options(options)), rank_(rank), max_(max), options_(options) {
  options_.data_format = detail::standardize_data_format(options.data_format);
}

Tensors BaseGlobalPoolingLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor x = detail::autocast(*this, detail::single_input(*this, inputs));
  detail::check_ndim(*this, x.shape(), rank_ + 2);
  const auto axes = spatial_axes(rank_, options_.data_format == "channels_first");
  return {max_ ? ops::max(x, axes, options_.keepdims) : ops::mean(x, axes, options_.keepdims)};
}

json BaseGlobalPoolingLayer::get_config() const {
  json config = Layer::get_config();
  config["data_format"] = options_.data_format;
  config["keepdims"] = options_.keepdims;
  return config;
}

GlobalMaxPooling1DLayer::GlobalMaxPooling1DLayer(const GlobalPoolingOptions& options)
    : BaseGlobalPoolingLayer(1, true, options) {}

LayerRef<GlobalMaxPooling1DLayer> GlobalMaxPooling1DLayer::from_config(const json& config) {
  return global_pooling_from_config<GlobalMaxPooling1DLayer>(config, "GlobalMaxPooling1D");
}

GlobalMaxPooling2DLayer::GlobalMaxPooling2DLayer(const GlobalPoolingOptions& options)
    : BaseGlobalPoolingLayer(2, true, options) {}

LayerRef<GlobalMaxPooling2DLayer> GlobalMaxPooling2DLayer::from_config(const json& config) {
  return global_pooling_from_config<GlobalMaxPooling2DLayer>(config, "GlobalMaxPooling2D");
}

GlobalAveragePooling1DLayer::GlobalAveragePooling1DLayer(const GlobalPoolingOptions& options)
    : BaseGlobalPoolingLayer(1, false, options) {
  set_supports_masking(true);
}

Tensors GlobalAveragePooling1DLayer::call(const Tensors& inputs, const CallContext& context) {
  const Tensor& mask = context.masks.empty() ? Tensor() : context.masks.front();
  if (!mask.defined()) return BaseGlobalPoolingLayer::call(inputs, context);
  const Tensor x = detail::autocast(*this, detail::single_input(*this, inputs));
  detail::check_ndim(*this, x.shape(), 3);
  const bool channels_first = options().data_format == "channels_first";
  const std::int64_t steps_axis = channels_first ? 2 : 1;
  // The (batch, steps) mask broadcast over the features; masked steps count as zeros
  // and are left out of the count.
  const Tensor keep = ops::cast(ops::expand_dims(mask, channels_first ? 1 : 2), DType::bool_);
  const Tensor kept = ops::where(keep, x, 0.0);
  const Tensor count = ops::sum(ops::cast(keep, kept.dtype()), steps_axis, options().keepdims);
  return {ops::divide(ops::sum(kept, steps_axis, options().keepdims), count)};
}

Tensors GlobalAveragePooling1DLayer::compute_mask(const Tensors&, const Tensors&) { return {}; }

LayerRef<GlobalAveragePooling1DLayer> GlobalAveragePooling1DLayer::from_config(const json& config) {
  return global_pooling_from_config<GlobalAveragePooling1DLayer>(config, "GlobalAveragePooling1D");
}

GlobalAveragePooling2DLayer::GlobalAveragePooling2DLayer(const GlobalPoolingOptions& options)
    : BaseGlobalPoolingLayer(2, false, options) {}

LayerRef<GlobalAveragePooling2DLayer> GlobalAveragePooling2DLayer::from_config(const json& config) {
  return global_pooling_from_config<GlobalAveragePooling2DLayer>(config, "GlobalAveragePooling2D");
}

}  // namespace keras::layers
