#include <algorithm>

#include "keras/layers/core.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

namespace {

// Keras's validate_reshape_shape.
void validate_target_shape(const Shape& target_shape) {
  for (auto d : target_shape) {
    if (d < -1) {
      throw ValueError("Each dimension in `target_shape` must be a non-negative integer, or `-1` for a single "
                       "unknown dimension. Received: target_shape=" + detail::int_tuple(target_shape) + ".");
    }
  }
  if (std::count(target_shape.begin(), target_shape.end(), -1) > 1) {
    throw ValueError("There must be at most one unknown dimension (-1) in `target_shape`. Received: target_shape=" +
                     detail::int_tuple(target_shape) + ".");
  }
}

// Keras's compute_reshape_output_shape on known dimensions: resolves the -1.
Shape resolve_target_shape(const Shape& input_shape, const Shape& target_shape) {
  const std::int64_t input_size = shape_size(input_shape);
  const auto unknown = std::find(target_shape.begin(), target_shape.end(), -1);
  if (unknown == target_shape.end()) {
    if (input_size != shape_size(target_shape)) {
      throw ValueError("The total size of the tensor must be unchanged. Received: input_shape=" +
                       shape_str(input_shape) + ", target_shape=" + detail::int_tuple(target_shape));
    }
    return target_shape;
  }
  std::int64_t known = 1;
  for (auto d : target_shape) {
    if (d != -1) known *= d;
  }
  if (known == 0 || input_size % known != 0) {
    throw ValueError("The total size of the tensor must be unchanged, however, the input size cannot by divided by "
                     "the specified dimensions in target_shape. Received: input_shape=" + shape_str(input_shape) +
                     ", target_shape=" + detail::int_tuple(target_shape));
  }
  Shape resolved = target_shape;
  resolved[static_cast<std::size_t>(unknown - target_shape.begin())] = input_size / known;
  return resolved;
}

}  // namespace

ReshapeLayer::ReshapeLayer(Shape target_shape, const ReshapeOptions& options)
    : Layer(base_options(options)), target_shape_(std::move(target_shape)) {
  validate_target_shape(target_shape_);
}

// Checks the sizes on the symbolic shape when its non-batch axes are known (Keras's
// compute_output_shape), so the error names None rather than a stand-in size.
void ReshapeLayer::build(const std::vector<Shape>& input_shapes) {
  const Shape& shape = input_shapes.at(0);
  detail::check_input_min_ndim(*this, shape, 1);
  const Shape features(shape.begin() + 1, shape.end());
  if (std::find(features.begin(), features.end(), kUnknownDim) == features.end()) {
    resolve_target_shape(features, target_shape_);
  }
}

Tensors ReshapeLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor& x = detail::single_input(*this, inputs);
  detail::check_input_min_ndim(*this, x.shape(), 1);
  Shape shape{x.shape().front()};
  const Shape resolved = resolve_target_shape(Shape(x.shape().begin() + 1, x.shape().end()), target_shape_);
  shape.insert(shape.end(), resolved.begin(), resolved.end());
  return {ops::reshape(x, shape)};
}

json ReshapeLayer::get_config() const {
  json config = Layer::get_config();
  config["target_shape"] = target_shape_;
  return config;
}

LayerRef<ReshapeLayer> ReshapeLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "Reshape");
  ReshapeOptions o;
  detail::set_base_options(o, c.base());
  if (!c.has({"target_shape"})) {
    throw ValueError("Reshape.from_config: the config has no 'target_shape'. Config: " + config.dump());
  }
  return Reshape(c.int_list({"target_shape"}), o);
}

}  // namespace keras::layers
