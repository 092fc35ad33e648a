#include "layers/core/input_checks.hpp"

namespace keras::detail {

void throw_incompatible_input(const Layer& layer, const std::string& what) {
  throw ValueError("Input 0 of layer \"" + layer.name() + "\" is incompatible with the layer: " + what);
}

void check_input_ndim(const Layer& layer, const Shape& shape, std::int64_t ndim) {
  if (static_cast<std::int64_t>(shape.size()) != ndim) {
    throw_incompatible_input(layer, "expected ndim=" + std::to_string(ndim) + ", found ndim=" +
                                        std::to_string(shape.size()) + ". Full shape received: " + shape_str(shape));
  }
}

void check_input_min_ndim(const Layer& layer, const Shape& shape, std::int64_t min_ndim) {
  if (static_cast<std::int64_t>(shape.size()) < min_ndim) {
    throw_incompatible_input(layer, "expected min_ndim=" + std::to_string(min_ndim) + ", found ndim=" +
                                        std::to_string(shape.size()) + ". Full shape received: " + shape_str(shape));
  }
}

void check_input_axis(const Layer& layer, const Shape& shape, std::int64_t axis, std::int64_t value) {
  const auto ndim = static_cast<std::int64_t>(shape.size());
  const std::int64_t i = axis < 0 ? axis + ndim : axis;
  if (i < 0 || i >= ndim) {
    throw_incompatible_input(layer, "expected an axis " + std::to_string(axis) + ", but received input with shape " +
                                        shape_str(shape));
  }
  const std::int64_t dim = shape[static_cast<std::size_t>(i)];
  if (dim != kUnknownDim && dim != value) {
    throw_incompatible_input(layer, "expected axis " + std::to_string(axis) + " of input shape to have value " +
                                        std::to_string(value) + ", but received input with shape " +
                                        shape_str(shape));
  }
}

std::string int_tuple(const std::vector<std::int64_t>& values) {
  std::string out = "(";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i > 0 ? ", " : "") + std::to_string(values[i]);
  return out + (values.size() == 1 ? ",)" : ")");
}

const Tensor& single_input(const Layer& layer, const Tensors& inputs) {
  if (inputs.size() != 1) {
    throw ValueError("Layer \"" + layer.name() + "\" expects 1 input(s), but it received " +
                     std::to_string(inputs.size()) + " input tensors.");
  }
  return inputs.front();
}

}  // namespace keras::detail
