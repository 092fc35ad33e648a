#pragma once
// Creating tensors (keras.ops.zeros, ones, full, arange, eye, *_like, convert_to_tensor).
#include <vector>

#include "keras/tensor.hpp"

namespace keras::ops {

Tensor zeros(const Shape& shape, DType dtype = floatx());
Tensor ones(const Shape& shape, DType dtype = floatx());
Tensor full(const Shape& shape, double fill_value, DType dtype = floatx());
Tensor zeros_like(const Tensor& x);
Tensor ones_like(const Tensor& x);
Tensor full_like(const Tensor& x, double fill_value);
// Values start, start + step, ... below stop (numpy's arange). dtype float32 by default.
Tensor arange(double start, double stop, double step = 1.0, DType dtype = floatx());
Tensor arange(double stop);
// N x M matrix with ones on diagonal k (numpy's eye).
Tensor eye(std::int64_t n, std::int64_t m = -1, std::int64_t k = 0, DType dtype = floatx());
// An undefined `dtype` argument keeps the tensor's own dtype.
Tensor convert_to_tensor(const Tensor& x);

}  // namespace keras::ops
