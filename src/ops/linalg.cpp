// Products: matmul (numpy semantics), dot, tensordot, outer. Each reduces to one batched
// product (ops/batched_matmul.hpp) between reshapes, so the GEMM runs in oneDNN and the
// transposes a layout needs are kernel flags rather than copies.
#include <algorithm>
#include <numeric>

#include "keras/ops/linalg.hpp"
#include "ops/batched_matmul.hpp"
#include "graph/symbolic.hpp"
#include "ops/common.hpp"
#include "ops/elementwise.hpp"

namespace keras::ops {

using autodiff::Grads;

namespace detail {

namespace {

// g summed over the batch axis when the operand it belongs to was shared (batch 1).
Tensor unbroadcast_batch(const Tensor& g, std::int64_t batch) {
  return batch == 1 && g.shape()[0] != 1 ? sum(g, 0, true) : g;
}

}  // namespace

Tensor batched_matmul(const Tensor& a, const Tensor& b, bool trans_a, bool trans_b) {
  const std::int64_t batch = std::max(a.shape()[0], b.shape()[0]);
  const std::int64_t m = a.shape()[trans_a ? 2 : 1];
  const std::int64_t n = b.shape()[trans_b ? 1 : 2];
  Tensor out = Tensor::empty({batch, m, n}, a.dtype(), a.device());
  backend_of(out).matmul(a, b, trans_a, trans_b, out);
  autodiff::maybe_record("matmul", {a, b}, out, [&] {
    return [a, b, trans_a, trans_b](const Tensor& g) -> Grads {
      // C = op(A)·op(B): dop(A) = G·op(B)ᵀ, dop(B) = op(A)ᵀ·G, transposed back when the
      // operand was stored transposed; all by flags.
      Tensor da;
      Tensor db;
      if (wants_gradient(a)) {
        da = trans_a ? batched_matmul(b, g, trans_b, true) : batched_matmul(g, b, false, !trans_b);
        da = unbroadcast_batch(da, a.shape()[0]);
      }
      if (wants_gradient(b)) {
        const std::int64_t rows = g.shape()[0] * g.shape()[1];
        if (b.shape()[0] == 1 && g.shape()[0] > 1 && !trans_a) {
          // A shared right operand (a Dense kernel): one GEMM over every batch's rows
          // instead of a product per batch and a sum.
          const Tensor a2 = reshape(a, {1, rows, a.shape()[2]});
          const Tensor g2 = reshape(g, {1, rows, g.shape()[2]});
          db = trans_b ? batched_matmul(g2, a2, true, false) : batched_matmul(a2, g2, true, false);
        } else {
          db = trans_b ? batched_matmul(g, a, true, trans_a) : batched_matmul(a, g, !trans_a, false);
          db = unbroadcast_batch(db, b.shape()[0]);
        }
      }
      return {da, db};
    };
  });
  return out;
}

DType product_dtype(const Tensor& x1, const Tensor& x2) {
  const DType dtype = result_type({x1, x2});
  return dtype == DType::bool_ ? DType::int32 : dtype;
}

}  // namespace detail

namespace {

using detail::batched_matmul;

std::int64_t product(const Shape& s, std::size_t begin, std::size_t end) {
  return std::accumulate(s.begin() + static_cast<std::ptrdiff_t>(begin),
                         s.begin() + static_cast<std::ptrdiff_t>(end), std::int64_t{1},
                         std::multiplies<>());
}

// bool products are computed as counts; any positive count is true.
Tensor as_result(const Tensor& out, DType wanted) {
  return wanted == DType::bool_ ? not_equal(out, 0) : out;
}

// x (batch..., rows, cols) as (B or 1, rows, cols) against the broadcast batch shape.
Tensor to_batched(const Tensor& x, const Shape& shape, const Shape& batch) {
  const auto rank = shape.size();
  const std::int64_t rows = shape[rank - 2];
  const std::int64_t cols = shape[rank - 1];
  const std::int64_t own = product(shape, 0, rank - 2);
  const std::int64_t total = shape_size(batch);
  if (own == 1) return reshape(x, {1, rows, cols});
  Tensor full = reshape(x, shape);
  if (own != total) {
    Shape target = batch;
    target.push_back(rows);
    target.push_back(cols);
    full = broadcast_to(full, target);
  }
  return reshape(full, {total, rows, cols});
}

// Checks and normalises tensordot's axis lists.
std::vector<int> tensordot_axes(const std::vector<std::int64_t>& axes, std::int64_t ndim) {
  std::vector<int> out;
  for (std::int64_t a : axes) {
    const int ax = normalize_axis(a, ndim);
    if (std::find(out.begin(), out.end(), ax) != out.end()) {
      throw ValueError("tensordot: repeated axis " + std::to_string(a) + " in `axes`");
    }
    out.push_back(ax);
  }
  return out;
}

std::vector<int> other_axes(const std::vector<int>& axes, std::int64_t ndim) {
  std::vector<int> rest;
  for (int i = 0; i < ndim; ++i) {
    if (std::find(axes.begin(), axes.end(), i) == axes.end()) rest.push_back(i);
  }
  return rest;
}

std::vector<std::int64_t> concat(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<std::int64_t> out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

bool is_identity(const std::vector<std::int64_t>& perm) {
  for (std::size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] != static_cast<std::int64_t>(i)) return false;
  }
  return true;
}

std::int64_t size_of(const Shape& s, const std::vector<int>& axes) {
  std::int64_t n = 1;
  for (int a : axes) n *= s[static_cast<std::size_t>(a)];
  return n;
}

}  // namespace

Tensor matmul(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("matmul", matmul(in[0], in[1]), x1, x2);
  detail::require_defined(x1, "matmul", "x1");
  detail::require_defined(x2, "matmul", "x2");
  const Tensor s1 = detail::strong(x1);
  const Tensor s2 = detail::strong(x2);
  if (s1.ndim() == 0 || s2.ndim() == 0) {
    throw ValueError("matmul: inputs must be at least 1-D, but received `x1.shape=" +
                     shape_str(s1.shape()) + "` and `x2.shape=" + shape_str(s2.shape()) + "`.");
  }
  Shape a_shape = s1.ndim() == 1 ? Shape{1, s1.shape()[0]} : s1.shape();
  Shape b_shape = s2.ndim() == 1 ? Shape{s2.shape()[0], 1} : s2.shape();
  if (a_shape.back() != b_shape[b_shape.size() - 2]) {
    throw ValueError("Inner dimensions (`x1.shape[-1]` and `x2.shape[-2]`) must be equal, but "
                     "received `x1.shape=" + shape_str(s1.shape()) + "` and `x2.shape=" +
                     shape_str(s2.shape()) + "`.");
  }
  const Shape batch1(a_shape.begin(), a_shape.end() - 2);
  const Shape batch2(b_shape.begin(), b_shape.end() - 2);
  Shape batch;
  try {
    batch = broadcast_shapes(batch1, batch2);
  } catch (const ValueError&) {
    throw ValueError("matmul: batch dimensions do not broadcast, received `x1.shape=" +
                     shape_str(s1.shape()) + "` and `x2.shape=" + shape_str(s2.shape()) + "`.");
  }
  const DType dtype = detail::result_type({s1, s2});
  const DType compute = detail::product_dtype(s1, s2);
  const Device device = detail::common_device({s1, s2});
  const Tensor a = to_batched(detail::as_operand(s1, compute, device), a_shape, batch);
  const Tensor b = to_batched(detail::as_operand(s2, compute, device), b_shape, batch);
  Shape shape = batch;
  if (s1.ndim() > 1) shape.push_back(a_shape[a_shape.size() - 2]);
  if (s2.ndim() > 1) shape.push_back(b_shape.back());
  return as_result(reshape(batched_matmul(a, b, false, false), shape), dtype);
}

Tensor tensordot(const Tensor& x1, const Tensor& x2, const std::vector<std::int64_t>& axes1,
                 const std::vector<std::int64_t>& axes2) {
  KERAS_SYMBOLIC_OP("tensordot", tensordot(in[0], in[1], axes1, axes2), x1, x2);
  detail::require_defined(x1, "tensordot", "x1");
  detail::require_defined(x2, "tensordot", "x2");
  const Tensor s1 = detail::strong(x1);
  const Tensor s2 = detail::strong(x2);
  const Shape& sh1 = s1.shape();
  const Shape& sh2 = s2.shape();
  if (axes1.size() != axes2.size()) {
    throw ValueError("tensordot: `axes` must contract as many axes of x1 as of x2, got [" +
                     detail::join_ints(axes1) + "] and [" + detail::join_ints(axes2) + "]");
  }
  const auto c1 = tensordot_axes(axes1, s1.ndim());
  const auto c2 = tensordot_axes(axes2, s2.ndim());
  for (std::size_t i = 0; i < c1.size(); ++i) {
    if (sh1[static_cast<std::size_t>(c1[i])] != sh2[static_cast<std::size_t>(c2[i])]) {
      throw ValueError("tensordot: shape mismatch for sum: axis " + std::to_string(c1[i]) +
                       " of x1.shape=" + shape_str(sh1) + " against axis " + std::to_string(c2[i]) +
                       " of x2.shape=" + shape_str(sh2));
    }
  }
  const auto f1 = other_axes(c1, s1.ndim());
  const auto f2 = other_axes(c2, s2.ndim());
  const std::int64_t m = size_of(sh1, f1);
  const std::int64_t k = size_of(sh1, c1);
  const std::int64_t n = size_of(sh2, f2);
  // Each operand goes in whichever of its two orders (free/contracted or the reverse)
  // needs no copy; the kernel takes the other as a transpose flag.
  auto arrange = [](const Tensor& x, const std::vector<int>& first, const std::vector<int>& second,
                    bool& swapped) {
    const auto plain = concat(first, second);
    const auto flipped = concat(second, first);
    swapped = !is_identity(plain) && is_identity(flipped);
    return swapped ? x : transpose(x, plain);
  };
  const DType dtype = detail::result_type({s1, s2});
  const DType compute = detail::product_dtype(s1, s2);
  const Device device = detail::common_device({s1, s2});
  bool ta = false;
  bool tb = false;
  Tensor a = arrange(detail::as_operand(s1, compute, device), f1, c1, ta);
  Tensor b = arrange(detail::as_operand(s2, compute, device), c2, f2, tb);
  a = reshape(a, ta ? Shape{1, k, m} : Shape{1, m, k});
  b = reshape(b, tb ? Shape{1, n, k} : Shape{1, k, n});
  Shape shape;
  for (int i : f1) shape.push_back(sh1[static_cast<std::size_t>(i)]);
  for (int i : f2) shape.push_back(sh2[static_cast<std::size_t>(i)]);
  return as_result(reshape(batched_matmul(a, b, ta, tb), shape), dtype);
}

Tensor tensordot(const Tensor& x1, const Tensor& x2, std::int64_t axes) {
  KERAS_SYMBOLIC_OP("tensordot", tensordot(in[0], in[1], axes), x1, x2);
  detail::require_defined(x1, "tensordot", "x1");
  detail::require_defined(x2, "tensordot", "x2");
  if (axes < 0 || axes > x1.ndim() || axes > x2.ndim()) {
    throw ValueError("tensordot: `axes`=" + std::to_string(axes) +
                     " must be between 0 and the rank of both inputs, received x1.shape=" +
                     shape_str(x1.shape()) + " and x2.shape=" + shape_str(x2.shape()));
  }
  std::vector<std::int64_t> a1;
  std::vector<std::int64_t> a2;
  for (std::int64_t i = 0; i < axes; ++i) {
    a1.push_back(x1.ndim() - axes + i);
    a2.push_back(i);
  }
  return tensordot(x1, x2, a1, a2);
}

Tensor dot(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("dot", dot(in[0], in[1]), x1, x2);
  detail::require_defined(x1, "dot", "x1");
  detail::require_defined(x2, "dot", "x2");
  if (x1.ndim() == 0 || x2.ndim() == 0) return multiply(x1, x2);
  if (x2.ndim() <= 2) return matmul(x1, x2);
  // N-d x2: a sum over x1's last axis and x2's second-to-last, every other axis kept.
  if (x1.shape().back() != x2.shape()[static_cast<std::size_t>(x2.ndim() - 2)]) {
    throw ValueError("dot: shapes " + shape_str(x1.shape()) + " and " + shape_str(x2.shape()) +
                     " not aligned: x1.shape[-1] != x2.shape[-2]");
  }
  return tensordot(x1, x2, {-1}, {-2});
}

Tensor outer(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("outer", outer(in[0], in[1]), x1, x2);
  detail::require_defined(x1, "outer", "x1");
  detail::require_defined(x2, "outer", "x2");
  const Tensor s1 = detail::strong(x1);
  const Tensor s2 = detail::strong(x2);
  return multiply(reshape(s1, {s1.size(), 1}), reshape(s2, {1, s2.size()}));
}

}  // namespace keras::ops
