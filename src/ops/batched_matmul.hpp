#pragma once
// The differentiable batched product behind matmul, tensordot and einsum: one backend
// kernel call whose transposes are flags (no copies), and whose gradients are themselves
// batched products.
#include "keras/tensor.hpp"

namespace keras::ops::detail {

// a: (Ba, M, K), or (Ba, K, M) when trans_a; b: (Bb, K, N), or (Bb, N, K) when trans_b;
// Ba and Bb are each B or 1 (shared). Returns (B, M, N) = op(a) · op(b). Operands share a
// dtype and a device; shapes are the caller's to check.
Tensor batched_matmul(const Tensor& a, const Tensor& b, bool trans_a, bool trans_b);

// The dtype products run in: Keras's result type, with bool computed as int32 (callers
// turn the counts back into bool with `!= 0`).
DType product_dtype(const Tensor& x1, const Tensor& x2);

}  // namespace keras::ops::detail
