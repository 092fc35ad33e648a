#include "keras/ops/reduction.hpp"

#include <algorithm>

#include "ops/common.hpp"

namespace keras::ops {

using autodiff::Grads;

std::vector<int> Axes::normalized(std::int64_t ndim) const {
  std::vector<int> out;
  if (is_all()) {
    for (int i = 0; i < ndim; ++i) out.push_back(i);
    return out;
  }
  for (auto a : *axes_) out.push_back(normalize_axis(a, ndim));
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) {
    throw ValueError("Duplicate axis in reduction: (" + detail::join_ints(*axes_) + ")");
  }
  return out;
}

namespace {

Shape kept_shape(const Shape& shape, const std::vector<int>& axes) {
  Shape out = shape;
  for (int a : axes) out[static_cast<std::size_t>(a)] = 1;
  return out;
}

Shape dropped_shape(const Shape& shape, const std::vector<int>& axes) {
  Shape out;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (std::find(axes.begin(), axes.end(), static_cast<int>(i)) == axes.end()) out.push_back(shape[i]);
  }
  return out;
}

// Runs a reduce kernel; the result has keepdims shape.
Tensor reduce_kept(kernels::ReduceOp op, const Tensor& x, const std::vector<int>& axes, DType dtype) {
  Tensor in = x.dtype() == dtype ? x : cast(x, dtype);
  Tensor out = Tensor::empty(kept_shape(in.shape(), axes), dtype, in.device());
  detail::backend_of(in).reduce(op, in, axes, out);
  return out;
}

Tensor finish(const Tensor& kept, const Shape& x_shape, const std::vector<int>& axes, bool keepdims) {
  return keepdims ? kept : reshape(kept, dropped_shape(x_shape, axes));
}

}  // namespace

Tensor sum(const Tensor& x, Axes axis, bool keepdims) {
  detail::require_defined(x, "sum", "x");
  Tensor s = detail::strong(x);
  const auto axes = axis.normalized(s.ndim());
  // Keras sums bools and small ints as int32 and keeps the other dtypes.
  const DType dtype = s.dtype() == DType::bool_ ? DType::int32 : s.dtype();
  Tensor kept = reduce_kept(kernels::ReduceOp::sum, s, axes, dtype);
  autodiff::maybe_record("sum", {s}, kept, [&] {
    return [shape = s.shape()](const Tensor& g) -> Grads { return {broadcast_to(g, shape)}; };
  });
  return finish(kept, s.shape(), axes, keepdims);
}

}  // namespace keras::ops
