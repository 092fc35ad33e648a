#pragma once
// Strided views as differentiable ops: the building blocks of slicing, flipping,
// transposing, padding and concatenation. A view of a tensor x is the set of elements at
// offset + sum(i_k * strides[k]), counted in elements of x's row-major storage; strides
// may be negative (flip).
#include <cstdint>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::ops::detail {

// t's element `offset` (in elements) as a pointer, or null where t holds no data (meta
// and empty tensors), for building a kernels::StridedView.
void* element_ptr(const Tensor& t, std::int64_t offset);

// The view's elements, copied into a new contiguous tensor of `shape`. The view must not
// visit an element twice (no zero stride on a dimension above 1): its gradient writes g
// back into the view of a zero tensor.
Tensor read_view(const char* op, const Tensor& x, const Shape& shape, std::int64_t offset,
                 const std::vector<std::int64_t>& strides);

// A new tensor of `shape` and g's dtype, filled with `fill`, with g written into the view
// (read_view's adjoint when fill is 0). Its gradient reads the view back.
Tensor write_view(const char* op, const Tensor& g, const Shape& shape, std::int64_t offset,
                  const std::vector<std::int64_t>& strides, double fill = 0.0);

}  // namespace keras::ops::detail
