#pragma once
// Elementwise maths with numpy broadcasting and Keras's dtype promotion
// (keras.ops.add, ...). Numbers convert to weakly typed scalar tensors, so
// `ops::multiply(x, 2.0)` keeps x's dtype. Integer inputs of a floating function (sqrt,
// exp, ...) are cast to floatx first, as in Keras.
#include "keras/tensor.hpp"

namespace keras::ops {

Tensor add(const Tensor& x1, const Tensor& x2);
Tensor subtract(const Tensor& x1, const Tensor& x2);
Tensor multiply(const Tensor& x1, const Tensor& x2);
Tensor divide(const Tensor& x1, const Tensor& x2);  // true division: ints give floatx
Tensor true_divide(const Tensor& x1, const Tensor& x2);
Tensor floor_divide(const Tensor& x1, const Tensor& x2);
Tensor mod(const Tensor& x1, const Tensor& x2);  // Python's sign convention
Tensor power(const Tensor& x1, const Tensor& x2);
Tensor minimum(const Tensor& x1, const Tensor& x2);
Tensor maximum(const Tensor& x1, const Tensor& x2);

Tensor negative(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor absolute(const Tensor& x);
Tensor sign(const Tensor& x);
Tensor square(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor rsqrt(const Tensor& x);
Tensor reciprocal(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor expm1(const Tensor& x);
Tensor log(const Tensor& x);
Tensor log1p(const Tensor& x);
Tensor sin(const Tensor& x);
Tensor cos(const Tensor& x);
Tensor tan(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor erf(const Tensor& x);
Tensor floor(const Tensor& x);
Tensor ceil(const Tensor& x);
Tensor round(const Tensor& x);  // half to even, as numpy
// Limits x to [x_min, x_max]; the gradient passes where x is inside.
Tensor clip(const Tensor& x, const Tensor& x_min, const Tensor& x_max);
// Elements of x1 where condition is true, else of x2 (all three broadcast).
Tensor where(const Tensor& condition, const Tensor& x1, const Tensor& x2);

// Comparisons and logic give bool tensors and carry no gradient.
Tensor equal(const Tensor& x1, const Tensor& x2);
Tensor not_equal(const Tensor& x1, const Tensor& x2);
Tensor less(const Tensor& x1, const Tensor& x2);
Tensor less_equal(const Tensor& x1, const Tensor& x2);
Tensor greater(const Tensor& x1, const Tensor& x2);
Tensor greater_equal(const Tensor& x1, const Tensor& x2);
Tensor logical_and(const Tensor& x1, const Tensor& x2);
Tensor logical_or(const Tensor& x1, const Tensor& x2);
Tensor logical_xor(const Tensor& x1, const Tensor& x2);
Tensor logical_not(const Tensor& x);
Tensor isnan(const Tensor& x);
Tensor isfinite(const Tensor& x);

// Converts dtype; the gradient flows back (cast to the input dtype) between float types.
Tensor cast(const Tensor& x, DType dtype);
// The same values, cut from the gradient tape.
Tensor stop_gradient(const Tensor& x);

}  // namespace keras::ops
