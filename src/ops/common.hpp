#pragma once
// Helpers shared by the op implementations: device and dtype resolution, output
// allocation, and the reduction of a broadcast gradient back to an input's shape.
#include <string>
#include <vector>

#include "autodiff/record.hpp"
#include "kernels/backend.hpp"
#include "keras/ops.hpp"

namespace keras::ops::detail {

// The device all inputs share; a weak scalar follows the others. Throws ValueError when
// defined, non-scalar inputs live on different devices.
Device common_device(const std::vector<Tensor>& inputs);
kernels::Backend& backend_of(const Tensor& t);
// Keras's result_type: weak scalars take the other operand's kind (a float literal with
// an int tensor gives floatx).
DType result_type(const std::vector<Tensor>& inputs);
// x converted to dtype (a weak scalar from its exact value) and placed on `device`.
Tensor as_operand(const Tensor& x, DType dtype, const Device& device);
// A weak scalar made concrete: floatx for float literals, int32 for integer ones.
Tensor strong(const Tensor& x);
// Floating inputs unchanged, others cast to floatx (for sqrt, exp, ...).
Tensor to_float(const Tensor& x);
// Sums g over the axes that broadcasting added or stretched, to give `shape`.
Tensor sum_to(const Tensor& g, const Shape& shape);
// Throws ValueError unless x is defined.
void require_defined(const Tensor& x, const char* op, const char* arg);
// A strided view of the whole contiguous tensor.
kernels::StridedView view_of(const Tensor& t);
std::string join_ints(const std::vector<std::int64_t>& v);

}  // namespace keras::ops::detail
