// MaxPooling1D/2D and AveragePooling1D/2D (Keras's BasePooling): ops::max_pool /
// ops::average_pool.
#include "keras/layers/pooling.hpp"
#include "keras/ops.hpp"
#include "layers/conv/conv_utils.hpp"
#include "layers/conv/layer_config.hpp"

namespace keras::layers {

namespace {

PoolingOptions read_pooling_options(detail::LayerConfig& c) {
  PoolingOptions o;
  detail::set_base_options(o, c.base());
  o.strides = c.optional_ints("strides");
  o.padding = c.string("padding", "valid");
  o.data_format = c.string("data_format", "");
  return o;
}

// Keras 1 names: 1-D pool_length / stride, and border_mode / dim_ordering for both.
void convert_keras1_pooling(detail::LayerConfig& c, int rank) {
  if (rank == 1) {
    c.rename("pool_length", "pool_size");
    c.rename("stride", "strides");
  }
  c.rename("border_mode", "padding");
  c.convert_dim_ordering();
}

template <class L>
LayerRef<L> pooling_from_config(const json& config, const std::string& class_name, int rank,
                                const std::vector<std::int64_t>& default_pool_size) {
  return detail::read_config(config, class_name, [&](detail::LayerConfig& c) {
    convert_keras1_pooling(c, rank);
    const auto pool_size = default_pool_size.empty() ? c.ints("pool_size") : c.ints("pool_size", default_pool_size);
    return make_layer<L>(pool_size, read_pooling_options(c));
  });
}

}  // namespace

BasePoolingLayer::BasePoolingLayer(int rank, bool max, const std::vector<std::int64_t>& pool_size,
                                   const PoolingOptions& options)
    : Layer(base_options(options)),
      rank_(rank),
      max_(max),
      pool_size_(detail::standardize_tuple(pool_size, rank, "pool_size")),
      options_(options) {
  options_.strides = detail::standardize_tuple(options.strides.empty() ? pool_size : options.strides, rank, "strides",
                                               true);
  options_.padding = detail::standardize_padding(options.padding);
  options_.data_format = detail::standardize_data_format(options.data_format);
}

Tensors BasePoolingLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor x = detail::autocast(*this, detail::single_input(*this, inputs));
  detail::check_ndim(*this, x.shape(), rank_ + 2);
  const ops::PoolOptions pool{.strides = options_.strides, .padding = options_.padding, .data_format = options_.data_format};
  return {max_ ? ops::max_pool(x, pool_size_, pool) : ops::average_pool(x, pool_size_, pool)};
}

json BasePoolingLayer::get_config() const {
  json config = Layer::get_config();
  config["pool_size"] = pool_size_;
  config["padding"] = options_.padding;
  config["strides"] = options_.strides;
  config["data_format"] = options_.data_format;
  return config;
}

MaxPooling1DLayer::MaxPooling1DLayer(const std::vector<std::int64_t>& pool_size, const PoolingOptions& options)
    : BasePoolingLayer(1, true, pool_size, options) {}

LayerRef<MaxPooling1DLayer> MaxPooling1DLayer::from_config(const json& config) {
  return pooling_from_config<MaxPooling1DLayer>(config, "MaxPooling1D", 1, {2});
}

MaxPooling2DLayer::MaxPooling2DLayer(const std::vector<std::int64_t>& pool_size, const PoolingOptions& options)
    : BasePoolingLayer(2, true, pool_size, options) {}

LayerRef<MaxPooling2DLayer> MaxPooling2DLayer::from_config(const json& config) {
  return pooling_from_config<MaxPooling2DLayer>(config, "MaxPooling2D", 2, {2, 2});
}

AveragePooling1DLayer::AveragePooling1DLayer(const std::vector<std::int64_t>& pool_size, const PoolingOptions& options)
    : BasePoolingLayer(1, false, pool_size, options) {}

LayerRef<AveragePooling1DLayer> AveragePooling1DLayer::from_config(const json& config) {
  return pooling_from_config<AveragePooling1DLayer>(config, "AveragePooling1D", 1, {});
}

AveragePooling2DLayer::AveragePooling2DLayer(const std::vector<std::int64_t>& pool_size, const PoolingOptions& options)
    : BasePoolingLayer(2, false, pool_size, options) {}

LayerRef<AveragePooling2DLayer> AveragePooling2DLayer::from_config(const json& config) {
  return pooling_from_config<AveragePooling2DLayer>(config, "AveragePooling2D", 2, {});
}

}  // namespace keras::layers
