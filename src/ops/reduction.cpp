// Reductions (keras.ops.sum, mean, max, ...). Each kernel-backed reduction computes its
// result with keepdims shape (what the kernel writes and what its gradient broadcasts
// from) and reshapes at the end when keepdims is false. mean, var, std, logsumexp and
// moments are composites: their gradients come from the ops they are made of.
#include "keras/ops/reduction.hpp"

#include <algorithm>

#include "graph/symbolic.hpp"
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

// The normalised axes of a reduction of x; errors name the op and x's shape.
std::vector<int> axes_of(const char* op, const Tensor& x, const Axes& axis) {
  try {
    return axis.normalized(x.ndim());
  } catch (const ValueError& e) {
    throw ValueError(std::string(op) + ": " + e.what() + " (x.shape=" + shape_str(x.shape()) + ")");
  }
}

Axes as_axes(const std::vector<int>& axes) {
  return Axes(std::vector<std::int64_t>(axes.begin(), axes.end()));
}

Shape kept_shape(const Shape& shape, const std::vector<int>& axes) {
  Shape out = shape;
  for (int a : axes) out[static_cast<std::size_t>(a)] = 1;
  return out;
}

Shape dropped_shape(const Shape& shape, const std::vector<int>& axes) {
  Shape out;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (std::find(axes.begin(), axes.end(), static_cast<int>(i)) == axes.end())
      out.push_back(shape[i]);
  }
  return out;
}

std::int64_t reduced_count(const Shape& shape, const std::vector<int>& axes) {
  std::int64_t n = 1;
  for (int a : axes) n *= shape[static_cast<std::size_t>(a)];
  return n;
}

// max / min / argmax / argmin have no identity: reducing nothing is an error (numpy's).
void require_nonempty(const char* op, const char* numpy_name, const Tensor& x,
                      const std::vector<int>& axes) {
  if (reduced_count(x.shape(), axes) == 0) {
    throw ValueError(std::string(op) + ": zero-size array to reduction operation " + numpy_name +
                     " which has no identity (x.shape=" + shape_str(x.shape()) + ")");
  }
}

// Runs a reduce kernel; the result has keepdims shape.
Tensor reduce_kept(kernels::ReduceOp op, const Tensor& x, const std::vector<int>& axes,
                   DType dtype) {
  Tensor in = x.dtype() == dtype ? x : cast(x, dtype);
  Tensor out = Tensor::empty(kept_shape(in.shape(), axes), dtype, in.device());
  detail::backend_of(in).reduce(op, in, axes, out);
  return out;
}

Tensor finish(const Tensor& kept, const Shape& x_shape, const std::vector<int>& axes,
              bool keepdims) {
  return keepdims ? kept : reshape(kept, dropped_shape(x_shape, axes));
}

// max / min. The gradient is shared equally among the elements equal to the result, as
// TensorFlow's reduce_max / reduce_min and JAX's reduce_max do (PyTorch's amax too).
Tensor extreme(kernels::ReduceOp op, const char* name, const char* numpy_name, const Tensor& x,
               const Axes& axis, bool keepdims) {
  detail::require_defined(x, name, "x");
  Tensor s = detail::strong(x);
  const auto axes = axes_of(name, s, axis);
  require_nonempty(name, numpy_name, s, axes);
  Tensor kept = reduce_kept(op, s, axes, s.dtype());
  autodiff::maybe_record(name, {s}, kept, [&] {
    return [s, kept, axes](const Tensor& g) -> Grads {
      Tensor hit = cast(equal(s, kept), g.dtype());
      Tensor ties = sum(hit, as_axes(axes), true);
      return {multiply(divide(g, ties), hit)};
    };
  });
  return finish(kept, s.shape(), axes, keepdims);
}

Tensor logical(kernels::ReduceOp op, const char* name, const Tensor& x, const Axes& axis,
               bool keepdims) {
  detail::require_defined(x, name, "x");
  Tensor s = detail::strong(x);
  const auto axes = axes_of(name, s, axis);
  return finish(reduce_kept(op, s, axes, DType::bool_), s.shape(), axes, keepdims);
}

Tensor arg_extreme(kernels::ArgReduceOp op, const char* name, const Tensor& x, const Axes& axis,
                   bool keepdims) {
  detail::require_defined(x, name, "x");
  Tensor s = detail::strong(x);
  if (axis.is_all()) {
    // Over the flattened tensor; keepdims keeps every axis, with size 1.
    Tensor flat = reshape(s, {s.size()});
    Tensor idx = arg_extreme(op, name, flat, Axes(0), false);
    return reshape(idx, keepdims ? Shape(static_cast<std::size_t>(s.ndim()), 1) : Shape{});
  }
  const auto axes = axes_of(name, s, axis);
  if (axes.size() != 1) {
    throw ValueError(std::string(name) + ": `axis` must be a single integer or None, got " +
                     std::to_string(axes.size()) + " axes (x.shape=" + shape_str(s.shape()) + ")");
  }
  const Shape kept_dims = kept_shape(s.shape(), axes);
  if (s.shape()[static_cast<std::size_t>(axes[0])] == 0 && shape_size(kept_dims) > 0) {
    throw ValueError(std::string(name) + ": attempt to get " + name +
                     " of an empty sequence (x.shape=" + shape_str(s.shape()) + ")");
  }
  Tensor kept = Tensor::empty(kept_dims, DType::int32, s.device());
  detail::backend_of(s).arg_reduce(op, s, axes[0], kept);
  return finish(kept, s.shape(), axes, keepdims);
}

}  // namespace

Tensor sum(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("sum", sum(in[0], axis, keepdims), x);
  detail::require_defined(x, "sum", "x");
  Tensor s = detail::strong(x);
  const auto axes = axes_of("sum", s, axis);
  // Keras sums bools as int32 and keeps the other dtypes.
  const DType dtype = s.dtype() == DType::bool_ ? DType::int32 : s.dtype();
  Tensor kept = reduce_kept(kernels::ReduceOp::sum, s, axes, dtype);
  autodiff::maybe_record("sum", {s}, kept, [&] {
    return [shape = s.shape()](const Tensor& g) -> Grads { return {broadcast_to(g, shape)}; };
  });
  return finish(kept, s.shape(), axes, keepdims);
}

Tensor mean(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("mean", mean(in[0], axis, keepdims), x);
  detail::require_defined(x, "mean", "x");
  Tensor s = detail::to_float(x);  // integers and bools average to floatx, as in Keras
  const auto axes = axes_of("mean", s, axis);
  const auto n = static_cast<double>(reduced_count(s.shape(), axes));
  Tensor m = divide(sum(s, as_axes(axes), true), n);
  return finish(m, s.shape(), axes, keepdims);
}

Tensor max(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("max", max(in[0], axis, keepdims), x);
  return extreme(kernels::ReduceOp::max, "max", "maximum", x, axis, keepdims);
}

Tensor min(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("min", min(in[0], axis, keepdims), x);
  return extreme(kernels::ReduceOp::min, "min", "minimum", x, axis, keepdims);
}

Tensor prod(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("prod", prod(in[0], axis, keepdims), x);
  detail::require_defined(x, "prod", "x");
  Tensor s = detail::strong(x);
  const auto axes = axes_of("prod", s, axis);
  const DType dtype = s.dtype() == DType::bool_ ? DType::int32 : s.dtype();
  Tensor kept = reduce_kept(kernels::ReduceOp::prod, s, axes, dtype);
  // d prod / d x_i is the product of the other elements. Rather than prod / x_i (wrong
  // at zeros) it is built from the product of the non-zero elements and the number of
  // zeros: no zero, that product / x_i; one zero, that product at the zero and 0
  // elsewhere; more, 0 everywhere. Written in ops, so it is differentiable again.
  autodiff::maybe_record("prod", {s}, kept, [&] {
    return [s, axes](const Tensor& g) -> Grads {
      const Axes ax = as_axes(axes);
      Tensor zero = equal(s, 0);
      Tensor nonzero = where(zero, 1, s);
      Tensor zeros = sum(cast(zero, DType::int32), ax, true);
      Tensor others = prod(nonzero, ax, true);
      Tensor at_zero = where(equal(zeros, 1), others, 0);
      Tensor elsewhere = where(equal(zeros, 0), divide(others, nonzero), 0);
      return {multiply(g, where(zero, at_zero, elsewhere))};
    };
  });
  return finish(kept, s.shape(), axes, keepdims);
}

Tensor var(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("var", var(in[0], axis, keepdims), x);
  detail::require_defined(x, "var", "x");
  Tensor s = detail::to_float(x);
  const auto axes = axes_of("var", s, axis);
  const Axes ax = as_axes(axes);
  // The two-pass form mean((x - mean(x))^2): exact where E[x^2] - E[x]^2 cancels.
  Tensor v = mean(square(subtract(s, mean(s, ax, true))), ax, true);
  return finish(v, s.shape(), axes, keepdims);
}

Tensor std(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("std", std(in[0], axis, keepdims), x);
  return sqrt(var(x, axis, keepdims));
}

Tensor logsumexp(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("logsumexp", logsumexp(in[0], axis, keepdims), x);
  detail::require_defined(x, "logsumexp", "x");
  Tensor s = detail::to_float(x);
  const auto axes = axes_of("logsumexp", s, axis);
  const Axes ax = as_axes(axes);
  // log(sum(exp(x - m))) + m with m the maximum, so no exp overflows. An infinite m is
  // replaced by 0 (all -inf gives -inf, not NaN). m carries no gradient: the result's
  // derivative with respect to m is exactly 0, and the gradient stays softmax(x).
  Tensor m = max(s, ax, true);
  m = stop_gradient(where(isfinite(m), m, 0));
  Tensor out = add(log(sum(exp(subtract(s, m)), ax, true)), m);
  return finish(out, s.shape(), axes, keepdims);
}

Tensor all(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("all", all(in[0], axis, keepdims), x);
  return logical(kernels::ReduceOp::all, "all", x, axis, keepdims);
}

Tensor any(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("any", any(in[0], axis, keepdims), x);
  return logical(kernels::ReduceOp::any, "any", x, axis, keepdims);
}

Tensor argmax(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("argmax", argmax(in[0], axis, keepdims), x);
  return arg_extreme(kernels::ArgReduceOp::argmax, "argmax", x, axis, keepdims);
}

Tensor argmin(const Tensor& x, Axes axis, bool keepdims) {
  KERAS_SYMBOLIC_OP("argmin", argmin(in[0], axis, keepdims), x);
  return arg_extreme(kernels::ArgReduceOp::argmin, "argmin", x, axis, keepdims);
}

std::pair<Tensor, Tensor> moments(const Tensor& x, Axes axes, bool keepdims) {
  if (graph::is_symbolic(x)) {
    const Tensors out = graph::symbolic_op("moments", {x}, [=](const Tensors& in) {
      auto [m, v] = moments(in[0], axes, keepdims);
      return Tensors{m, v};
    });
    return {out[0], out[1]};
  }
  detail::require_defined(x, "moments", "x");
  Tensor s = detail::to_float(x);
  const auto norm = axes_of("moments", s, axes);
  const Axes ax = as_axes(norm);
  // Keras's backends compute E[x^2] - E[x]^2; the two-pass form below has the same
  // gradients and does not lose the variance to cancellation when |mean| >> std.
  Tensor m = mean(s, ax, true);
  Tensor v = mean(square(subtract(s, m)), ax, true);
  return {finish(m, s.shape(), norm, keepdims), finish(v, s.shape(), norm, keepdims)};
}

}  // namespace keras::ops
