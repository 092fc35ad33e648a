#pragma once
// The elementwise kernel calls behind ops/math.cpp and ops/activations.cpp: output
// shape / dtype logic and one backend kernel, no gradient recording.
#include "keras/tensor.hpp"
#include "kernels/backend.hpp"

namespace keras::ops::detail {

// Runs a binary kernel on a and b converted to `dtype` and broadcast together; the
// result is `dtype`, or bool for comparisons and logical ops. Throws ValueError naming
// both shapes when they do not broadcast.
Tensor binary_kernel(kernels::BinaryOp op, const Tensor& a, const Tensor& b, DType dtype);
// The same with Keras's result_type of a and b.
Tensor binary_kernel(kernels::BinaryOp op, const Tensor& a, const Tensor& b);
// Runs a unary kernel on x as it is (callers convert dtypes first); isnan, isfinite and
// logical_not give bool. alpha is leaky_relu's slope / elu's alpha.
Tensor unary_kernel(kernels::UnaryOp op, const Tensor& x, double alpha = 0.0);
// Whether a gradient for x can be wanted: not for weak scalars (number literals, which no
// tape can watch), non-float tensors, nor inputs the running backward pass does not
// differentiate. Backward rules skip the work for the others.
bool wants_gradient(const Tensor& x);

}  // namespace keras::ops::detail
