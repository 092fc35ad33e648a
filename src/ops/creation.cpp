#include "keras/ops/creation.hpp"

#include <cmath>

#include "graph/symbolic.hpp"
#include "ops/common.hpp"

namespace keras::ops {

Tensor full(const Shape& shape, double fill_value, DType dtype) {
  Tensor out = Tensor::empty(shape, dtype);
  detail::backend_of(out).fill(out, fill_value);
  return out;
}

Tensor zeros(const Shape& shape, DType dtype) { return full(shape, 0.0, dtype); }
Tensor ones(const Shape& shape, DType dtype) { return full(shape, 1.0, dtype); }

Tensor full_like(const Tensor& x, double fill_value) {
  KERAS_SYMBOLIC_OP("full_like", full_like(in[0], fill_value), x);
  detail::require_defined(x, "full_like", "x");
  Tensor s = detail::strong(x);
  Tensor out = Tensor::empty(s.shape(), s.dtype(), s.device());
  detail::backend_of(out).fill(out, fill_value);
  return out;
}

Tensor zeros_like(const Tensor& x) {
  KERAS_SYMBOLIC_OP("zeros_like", zeros_like(in[0]), x);
  return full_like(x, 0.0);
}
Tensor ones_like(const Tensor& x) {
  KERAS_SYMBOLIC_OP("ones_like", ones_like(in[0]), x);
  return full_like(x, 1.0);
}

Tensor arange(double start, double stop, double step, DType dtype) {
  if (step == 0.0) throw ValueError("arange: `step` must not be zero");
  const double count = std::ceil((stop - start) / step);
  const auto n = static_cast<std::int64_t>(count > 0 ? count : 0);
  Tensor out = Tensor::empty({n}, dtype);
  detail::backend_of(out).arange(start, step, out);
  return out;
}

Tensor arange(double stop) { return arange(0.0, stop); }

Tensor eye(std::int64_t n, std::int64_t m, std::int64_t k, DType dtype) {
  if (m < 0) m = n;
  if (n < 0) throw ValueError("eye: `N` must be non-negative, got " + std::to_string(n));
  Tensor rows = reshape(arange(0.0, static_cast<double>(n), 1.0, DType::int64), {n, 1});
  Tensor cols = reshape(arange(0.0, static_cast<double>(m), 1.0, DType::int64), {1, m});
  return cast(equal(add(rows, static_cast<int>(k)), cols), dtype);
}

Tensor convert_to_tensor(const Tensor& x) {
  KERAS_SYMBOLIC_OP("convert_to_tensor", convert_to_tensor(in[0]), x);
  return detail::strong(x);
}

}  // namespace keras::ops
