#pragma once
// Keras's InputSpec checks, with its wording: a layer checks its input shape in `build`
// (which sees the symbolic shape, None included, so the error comes at graph
// construction) and again in `call` (later calls, and eager data).
#include <cstdint>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::detail {

// "Input 0 of layer "dense" is incompatible with the layer: <what>"
[[noreturn]] void throw_incompatible_input(const Layer& layer, const std::string& what);

// Exactly `ndim` axes (batch included).
void check_input_ndim(const Layer& layer, const Shape& shape, std::int64_t ndim);
// At least `min_ndim` axes.
void check_input_min_ndim(const Layer& layer, const Shape& shape, std::int64_t min_ndim);
// Axis `axis` (negative counts from the end) has size `value`; None passes.
void check_input_axis(const Layer& layer, const Shape& shape, std::int64_t axis, std::int64_t value);
// A list of ints as a Python tuple: "(5, -1)", "(3,)" (shape_str would print -1 as None).
std::string int_tuple(const std::vector<std::int64_t>& values);

// Inputs of a single-input layer: exactly one tensor.
const Tensor& single_input(const Layer& layer, const Tensors& inputs);

}  // namespace keras::detail
