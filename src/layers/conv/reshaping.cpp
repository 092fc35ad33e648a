// UpSampling1D/2D, ZeroPadding2D and Cropping2D: ops::repeat / ops::resize, ops::pad and
// ops::slice over the spatial axes.
#include "keras/layers/reshaping.hpp"
#include "keras/ops.hpp"
#include "layers/conv/conv_utils.hpp"
#include "layers/conv/layer_config.hpp"

namespace keras::layers {

namespace {

// The first spatial axis of an image batch.
std::size_t first_spatial_axis(const std::string& data_format) { return data_format == "channels_first" ? 2 : 1; }

json pairs_to_json(const SpatialPairs& pairs) {
  json out = json::array();
  for (const auto& [before, after] : pairs) out.push_back({before, after});
  return out;
}

std::string pairs_str(const SpatialPairs& pairs) {
  std::string s = "(";
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    s += (i ? ", " : "") + detail::tuple_str({pairs[i].first, pairs[i].second});
  }
  return s + ")";
}

}  // namespace

// ---- UpSampling1D --------------------------------------------------------------------

UpSampling1DLayer::UpSampling1DLayer(std::int64_t size, const UpSampling1DOptions& options)
    : Layer(options), size_(size) {
  if (size <= 0) throw ValueError("Argument `size` should be a positive integer. Received: size=" + std::to_string(size));
}

Tensors UpSampling1DLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor x = detail::autocast(*this, detail::single_input(*this, inputs));
  detail::check_ndim(*this, x.shape(), 3);
  return {ops::repeat(x, size_, 1)};
}

json UpSampling1DLayer::get_config() const {
  json config = Layer::get_config();
  config["size"] = size_;
  return config;
}

LayerRef<UpSampling1DLayer> UpSampling1DLayer::from_config(const json& config) {
  return detail::read_config(config, "UpSampling1D", [](detail::LayerConfig& c) {
    c.rename("length", "size");
    const std::int64_t size = c.integer("size", 2);
    return make_layer<UpSampling1DLayer>(size, c.base());
  });
}

// ---- UpSampling2D --------------------------------------------------------------------

UpSampling2DLayer::UpSampling2DLayer(const std::vector<std::int64_t>& size, const UpSampling2DOptions& options)
    : Layer(base_options(options)), size_(detail::standardize_tuple(size, 2, "size")), options_(options) {
  options_.data_format = detail::standardize_data_format(options.data_format);
  options_.interpolation = detail::standardize_interpolation(options.interpolation);
}

Tensors UpSampling2DLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor x = detail::autocast(*this, detail::single_input(*this, inputs));
  detail::check_ndim(*this, x.shape(), 4);
  const auto h = static_cast<std::int64_t>(first_spatial_axis(options_.data_format));
  if (options_.interpolation == "nearest") return {ops::repeat(ops::repeat(x, size_[0], h), size_[1], h + 1)};
  const std::vector<std::int64_t> out{x.shape()[static_cast<std::size_t>(h)] * size_[0],
                                      x.shape()[static_cast<std::size_t>(h + 1)] * size_[1]};
  return {ops::resize(x, out, {.interpolation = options_.interpolation, .data_format = options_.data_format})};
}

json UpSampling2DLayer::get_config() const {
  json config = Layer::get_config();
  config["size"] = size_;
  config["data_format"] = options_.data_format;
  config["interpolation"] = options_.interpolation;
  return config;
}

LayerRef<UpSampling2DLayer> UpSampling2DLayer::from_config(const json& config) {
  return detail::read_config(config, "UpSampling2D", [](detail::LayerConfig& c) {
    c.convert_dim_ordering();
    UpSampling2DOptions o;
    detail::set_base_options(o, c.base());
    o.data_format = c.string("data_format", "");
    o.interpolation = c.string("interpolation", "nearest");
    return make_layer<UpSampling2DLayer>(c.ints("size", {2, 2}), o);
  });
}

// ---- ZeroPadding2D -------------------------------------------------------------------

ZeroPadding2DLayer::ZeroPadding2DLayer(const SpatialAmounts& padding, const ZeroPadding2DOptions& options)
    : Layer(base_options(options)), padding_(detail::standardize_side_pairs(padding, 2, "padding")), options_(options) {
  options_.data_format = detail::standardize_data_format(options.data_format);
}

Tensors ZeroPadding2DLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor x = detail::autocast(*this, detail::single_input(*this, inputs));
  detail::check_ndim(*this, x.shape(), 4);
  SpatialPairs pads(4, {0, 0});
  const std::size_t h = first_spatial_axis(options_.data_format);
  pads[h] = padding_[0];
  pads[h + 1] = padding_[1];
  return {ops::pad(x, pads)};
}

json ZeroPadding2DLayer::get_config() const {
  json config = Layer::get_config();
  config["padding"] = pairs_to_json(padding_);
  config["data_format"] = options_.data_format;
  return config;
}

LayerRef<ZeroPadding2DLayer> ZeroPadding2DLayer::from_config(const json& config) {
  return detail::read_config(config, "ZeroPadding2D", [](detail::LayerConfig& c) {
    c.convert_dim_ordering();
    ZeroPadding2DOptions o;
    detail::set_base_options(o, c.base());
    o.data_format = c.string("data_format", "");
    return make_layer<ZeroPadding2DLayer>(c.nested_ints("padding", {{1}}), o);
  });
}

// ---- Cropping2D ----------------------------------------------------------------------

Cropping2DLayer::Cropping2DLayer(const SpatialAmounts& cropping, const Cropping2DOptions& options)
    : Layer(base_options(options)),
      cropping_(detail::standardize_side_pairs(cropping, 2, "cropping")),
      options_(options) {
  options_.data_format = detail::standardize_data_format(options.data_format);
}

Tensors Cropping2DLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor x = detail::autocast(*this, detail::single_input(*this, inputs));
  detail::check_ndim(*this, x.shape(), 4);
  const std::size_t h = first_spatial_axis(options_.data_format);
  std::vector<std::int64_t> start(4, 0);
  Shape size = x.shape();
  for (std::size_t i = 0; i < 2; ++i) {
    const auto [before, after] = cropping_[i];
    if (before + after >= size[h + i]) {
      throw ValueError("Values in `cropping` argument should be smaller than the corresponding spatial dimension of "
                       "the input. Received: inputs.shape=" + shape_str(x.shape()) + ", cropping=" + pairs_str(cropping_));
    }
    start[h + i] = before;
    size[h + i] -= before + after;
  }
  return {ops::slice(x, start, size)};
}

json Cropping2DLayer::get_config() const {
  json config = Layer::get_config();
  config["cropping"] = pairs_to_json(cropping_);
  config["data_format"] = options_.data_format;
  return config;
}

LayerRef<Cropping2DLayer> Cropping2DLayer::from_config(const json& config) {
  return detail::read_config(config, "Cropping2D", [](detail::LayerConfig& c) {
    c.convert_dim_ordering();
    Cropping2DOptions o;
    detail::set_base_options(o, c.base());
    o.data_format = c.string("data_format", "");
    return make_layer<Cropping2DLayer>(c.nested_ints("cropping", {{0}}), o);
  });
}

}  // namespace keras::layers
