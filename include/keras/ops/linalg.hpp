#pragma once
// Products: matmul (numpy semantics, batched with broadcast batch dimensions), dot,
// tensordot, einsum. GEMMs run on oneDNN.
#include <string>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::ops {

Tensor matmul(const Tensor& x1, const Tensor& x2);
// numpy's dot: matmul for 1-D/2-D, a sum over x1's last and x2's second-to-last axis above.
Tensor dot(const Tensor& x1, const Tensor& x2);
// Contracts the last `axes` axes of x1 with the first `axes` axes of x2.
Tensor tensordot(const Tensor& x1, const Tensor& x2, std::int64_t axes = 2);
// Contracts x1's `axes1` with x2's `axes2`, pairwise.
Tensor tensordot(const Tensor& x1, const Tensor& x2, const std::vector<std::int64_t>& axes1,
                 const std::vector<std::int64_t>& axes2);
// Einstein summation for explicit or implicit subscripts over one or two operands
// ("ij,jk->ik", "bij,bjk->bik", "ij->ji", "ii->i" is not supported: repeated indices in one
// operand raise NotImplementedError).
Tensor einsum(const std::string& subscripts, const std::vector<Tensor>& operands);
Tensor outer(const Tensor& x1, const Tensor& x2);

}  // namespace keras::ops
