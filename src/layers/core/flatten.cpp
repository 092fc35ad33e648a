#include <algorithm>
#include <cctype>

#include "keras/layers/core.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

namespace {

// Keras's standardize_data_format; empty is image_data_format(), "channels_last".
std::string standardize_data_format(std::string data_format) {
  if (data_format.empty()) return "channels_last";
  std::transform(data_format.begin(), data_format.end(), data_format.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (data_format != "channels_first" && data_format != "channels_last") {
    throw ValueError("The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
                     "Received: data_format=" + data_format);
  }
  return data_format;
}

}  // namespace

FlattenLayer::FlattenLayer(const FlattenOptions& options)
    : Layer(base_options(options)), data_format_(standardize_data_format(options.data_format)) {}

Tensors FlattenLayer::call(const Tensors& inputs, const CallContext&) {
  Tensor x = detail::single_input(*this, inputs);
  detail::check_input_min_ndim(*this, x.shape(), 1);
  const std::int64_t rank = x.ndim();
  // channels_first data is flattened in channels_last order, so that a Dense after it
  // sees the same features whatever the layout.
  if (data_format_ == "channels_first" && rank > 2) {
    std::vector<std::int64_t> axes{0};
    for (std::int64_t i = 2; i < rank; ++i) axes.push_back(i);
    axes.push_back(1);
    x = ops::transpose(x, axes);
  }
  const Shape& shape = x.shape();
  const std::int64_t features = shape_size(Shape(shape.begin() + 1, shape.end()));
  return {ops::reshape(x, {shape.front(), features})};
}

json FlattenLayer::get_config() const {
  json config = Layer::get_config();
  config["data_format"] = data_format_;
  return config;
}

LayerRef<FlattenLayer> FlattenLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "Flatten");
  FlattenOptions o;
  detail::set_base_options(o, c.base());
  o.data_format = c.string({"data_format"}, "");
  return Flatten(o);
}

}  // namespace keras::layers
