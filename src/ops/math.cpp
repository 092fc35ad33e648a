// Elementwise ops: each computes its output shape and dtype, runs one backend kernel and
// records its gradient rule, written in ops.
#include "keras/ops/math.hpp"

#include <cmath>

#include "ops/common.hpp"

namespace keras::ops {

using autodiff::Grads;
using detail::sum_to;
using kernels::BinaryOp;
using kernels::UnaryOp;

namespace {

bool is_comparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::equal:
    case BinaryOp::not_equal:
    case BinaryOp::less:
    case BinaryOp::less_equal:
    case BinaryOp::greater:
    case BinaryOp::greater_equal:
    case BinaryOp::logical_and:
    case BinaryOp::logical_or:
    case BinaryOp::logical_xor:
      return true;
    default:
      return false;
  }
}

// Runs a binary kernel on a and b promoted to `dtype` and broadcast together.
Tensor binary_kernel(BinaryOp op, const Tensor& a, const Tensor& b, DType dtype) {
  const Device device = detail::common_device({a, b});
  Tensor x = detail::as_operand(a, dtype, device);
  Tensor y = detail::as_operand(b, dtype, device);
  const Shape shape = broadcast_shapes(x.shape(), y.shape());
  Tensor out = Tensor::empty(shape, is_comparison(op) ? DType::bool_ : dtype, device);
  detail::backend_of(out).binary(op, x, y, out);
  return out;
}

Tensor binary_kernel(BinaryOp op, const Tensor& a, const Tensor& b) {
  detail::require_defined(a, "binary op", "x1");
  detail::require_defined(b, "binary op", "x2");
  return binary_kernel(op, a, b, detail::result_type({a, b}));
}

Tensor unary_kernel(UnaryOp op, const Tensor& x, double alpha = 0.0) {
  Tensor out = Tensor::empty(x.shape(),
                             op == UnaryOp::isnan || op == UnaryOp::isfinite || op == UnaryOp::logical_not
                                 ? DType::bool_
                                 : x.dtype(),
                             x.device());
  detail::backend_of(x).unary(op, x, out, alpha);
  return out;
}

// A floating unary function whose derivative is `dfdx(x, y)` (y the output).
template <class D>
Tensor float_unary(const char* name, UnaryOp op, const Tensor& input, D dfdx) {
  detail::require_defined(input, name, "x");
  Tensor x = detail::to_float(input);
  Tensor y = unary_kernel(op, x);
  autodiff::maybe_record(name, {x}, y, [&] {
    return [x, y, dfdx](const Tensor& g) -> Grads { return {multiply(g, dfdx(x, y))}; };
  });
  return y;
}

}  // namespace

Tensor add(const Tensor& x1, const Tensor& x2) {
  Tensor out = binary_kernel(BinaryOp::add, x1, x2);
  autodiff::maybe_record("add", {x1, x2}, out, [&] {
    return [s1 = x1.shape(), s2 = x2.shape()](const Tensor& g) -> Grads {
      return {sum_to(g, s1), sum_to(g, s2)};
    };
  });
  return out;
}

Tensor subtract(const Tensor& x1, const Tensor& x2) {
  Tensor out = binary_kernel(BinaryOp::subtract, x1, x2);
  autodiff::maybe_record("subtract", {x1, x2}, out, [&] {
    return [s1 = x1.shape(), s2 = x2.shape()](const Tensor& g) -> Grads {
      return {sum_to(g, s1), sum_to(negative(g), s2)};
    };
  });
  return out;
}

Tensor multiply(const Tensor& x1, const Tensor& x2) {
  Tensor out = binary_kernel(BinaryOp::multiply, x1, x2);
  autodiff::maybe_record("multiply", {x1, x2}, out, [&] {
    return [x1, x2](const Tensor& g) -> Grads {
      return {sum_to(multiply(g, x2), x1.shape()), sum_to(multiply(g, x1), x2.shape())};
    };
  });
  return out;
}

Tensor divide(const Tensor& x1, const Tensor& x2) {
  DType dtype = detail::result_type({x1, x2});
  if (!is_floating(dtype)) dtype = floatx();
  Tensor out = binary_kernel(BinaryOp::divide, x1, x2, dtype);
  autodiff::maybe_record("divide", {x1, x2}, out, [&] {
    return [x1, x2, out](const Tensor& g) -> Grads {
      Tensor g1 = divide(g, x2);
      return {sum_to(g1, x1.shape()), sum_to(negative(multiply(g1, out)), x2.shape())};
    };
  });
  return out;
}

Tensor true_divide(const Tensor& x1, const Tensor& x2) { return divide(x1, x2); }

Tensor floor_divide(const Tensor& x1, const Tensor& x2) {
  return binary_kernel(BinaryOp::floor_divide, x1, x2);
}

Tensor mod(const Tensor& x1, const Tensor& x2) {
  Tensor out = binary_kernel(BinaryOp::mod, x1, x2);
  autodiff::maybe_record("mod", {x1, x2}, out, [&] {
    return [x1, x2](const Tensor& g) -> Grads {
      return {sum_to(g, x1.shape()), sum_to(negative(multiply(g, floor_divide(x1, x2))), x2.shape())};
    };
  });
  return out;
}

Tensor power(const Tensor& x1, const Tensor& x2) {
  Tensor out = binary_kernel(BinaryOp::power, x1, x2);
  autodiff::maybe_record("power", {x1, x2}, out, [&] {
    return [x1, x2, out](const Tensor& g) -> Grads {
      // d/dx1 = x2 * x1^(x2-1); d/dx2 = out * log(x1), taken as 0 where x1 <= 0.
      Tensor g1 = multiply(g, multiply(x2, power(x1, subtract(x2, 1))));
      Tensor safe_log = where(greater(x1, 0), log(where(greater(x1, 0), x1, 1)), 0);
      Tensor g2 = multiply(g, multiply(out, safe_log));
      return {sum_to(g1, x1.shape()), sum_to(g2, x2.shape())};
    };
  });
  return out;
}

namespace {

// minimum / maximum: the gradient goes to the selected input; ties split it evenly.
Tensor min_max(BinaryOp op, const char* name, const Tensor& x1, const Tensor& x2) {
  Tensor out = binary_kernel(op, x1, x2);
  autodiff::maybe_record(name, {x1, x2}, out, [&] {
    return [x1, x2, out](const Tensor& g) -> Grads {
      Tensor tie = equal(x1, x2);
      Tensor w1 = where(tie, 0.5, cast(equal(x1, out), g.dtype()));
      Tensor w2 = where(tie, 0.5, cast(equal(x2, out), g.dtype()));
      return {sum_to(multiply(g, w1), x1.shape()), sum_to(multiply(g, w2), x2.shape())};
    };
  });
  return out;
}

}  // namespace

Tensor minimum(const Tensor& x1, const Tensor& x2) {
  return min_max(BinaryOp::minimum, "minimum", x1, x2);
}
Tensor maximum(const Tensor& x1, const Tensor& x2) {
  return min_max(BinaryOp::maximum, "maximum", x1, x2);
}

Tensor negative(const Tensor& x) {
  detail::require_defined(x, "negative", "x");
  Tensor s = detail::strong(x);
  Tensor out = unary_kernel(UnaryOp::negative, s);
  autodiff::maybe_record("negative", {s}, out, [] {
    return [](const Tensor& g) -> Grads { return {negative(g)}; };
  });
  return out;
}

Tensor abs(const Tensor& x) {
  detail::require_defined(x, "abs", "x");
  Tensor s = detail::strong(x);
  Tensor out = unary_kernel(UnaryOp::abs, s);
  autodiff::maybe_record("abs", {s}, out, [&] {
    return [s](const Tensor& g) -> Grads { return {multiply(g, sign(s))}; };
  });
  return out;
}

Tensor absolute(const Tensor& x) { return abs(x); }

Tensor sign(const Tensor& x) { return unary_kernel(UnaryOp::sign, detail::strong(x)); }

Tensor square(const Tensor& x) {
  detail::require_defined(x, "square", "x");
  Tensor s = detail::strong(x);
  Tensor out = unary_kernel(UnaryOp::square, s);
  autodiff::maybe_record("square", {s}, out, [&] {
    return [s](const Tensor& g) -> Grads { return {multiply(g, multiply(s, 2.0))}; };
  });
  return out;
}

Tensor sqrt(const Tensor& x) {
  return float_unary("sqrt", UnaryOp::sqrt, x,
                     [](const Tensor&, const Tensor& y) { return divide(0.5, y); });
}
Tensor rsqrt(const Tensor& x) {
  return float_unary("rsqrt", UnaryOp::rsqrt, x, [](const Tensor& xx, const Tensor& y) {
    return multiply(-0.5, divide(y, xx));
  });
}
Tensor reciprocal(const Tensor& x) {
  return float_unary("reciprocal", UnaryOp::reciprocal, x,
                     [](const Tensor&, const Tensor& y) { return negative(square(y)); });
}
Tensor exp(const Tensor& x) {
  return float_unary("exp", UnaryOp::exp, x, [](const Tensor&, const Tensor& y) { return y; });
}
Tensor expm1(const Tensor& x) {
  return float_unary("expm1", UnaryOp::expm1, x,
                     [](const Tensor&, const Tensor& y) { return add(y, 1.0); });
}
Tensor log(const Tensor& x) {
  return float_unary("log", UnaryOp::log, x,
                     [](const Tensor& xx, const Tensor&) { return reciprocal(xx); });
}
Tensor log1p(const Tensor& x) {
  return float_unary("log1p", UnaryOp::log1p, x,
                     [](const Tensor& xx, const Tensor&) { return reciprocal(add(xx, 1.0)); });
}
Tensor sin(const Tensor& x) {
  return float_unary("sin", UnaryOp::sin, x, [](const Tensor& xx, const Tensor&) { return cos(xx); });
}
Tensor cos(const Tensor& x) {
  return float_unary("cos", UnaryOp::cos, x,
                     [](const Tensor& xx, const Tensor&) { return negative(sin(xx)); });
}
Tensor tan(const Tensor& x) {
  return float_unary("tan", UnaryOp::tan, x,
                     [](const Tensor&, const Tensor& y) { return add(square(y), 1.0); });
}
Tensor tanh(const Tensor& x) {
  return float_unary("tanh", UnaryOp::tanh, x,
                     [](const Tensor&, const Tensor& y) { return subtract(1.0, square(y)); });
}
Tensor erf(const Tensor& x) {
  return float_unary("erf", UnaryOp::erf, x, [](const Tensor& xx, const Tensor&) {
    return multiply(2.0 / std::sqrt(M_PI), exp(negative(square(xx))));
  });
}

// Rounding functions are piecewise constant: no gradient (as in TF / JAX).
Tensor floor(const Tensor& x) { return unary_kernel(UnaryOp::floor, detail::to_float(x)); }
Tensor ceil(const Tensor& x) { return unary_kernel(UnaryOp::ceil, detail::to_float(x)); }
Tensor round(const Tensor& x) { return unary_kernel(UnaryOp::round, detail::to_float(x)); }

Tensor clip(const Tensor& x, const Tensor& x_min, const Tensor& x_max) {
  detail::require_defined(x, "clip", "x");
  Tensor s = detail::strong(x);
  Tensor lo = detail::as_operand(x_min, s.dtype(), s.device());
  Tensor hi = detail::as_operand(x_max, s.dtype(), s.device());
  Tensor out = binary_kernel(BinaryOp::minimum, binary_kernel(BinaryOp::maximum, s, lo, s.dtype()), hi, s.dtype());
  autodiff::maybe_record("clip", {s}, out, [&] {
    return [s, lo, hi](const Tensor& g) -> Grads {
      Tensor inside = logical_and(greater_equal(s, lo), less_equal(s, hi));
      return {sum_to(where(inside, g, 0.0), s.shape())};
    };
  });
  return out;
}

Tensor where(const Tensor& condition, const Tensor& x1, const Tensor& x2) {
  detail::require_defined(condition, "where", "condition");
  const DType dtype = detail::result_type({x1, x2});
  const Device device = detail::common_device({condition, x1, x2});
  Tensor c = condition.dtype() == DType::bool_ ? condition : cast(condition, DType::bool_);
  Tensor a = detail::as_operand(x1, dtype, device);
  Tensor b = detail::as_operand(x2, dtype, device);
  const Shape shape = broadcast_shapes(broadcast_shapes(c.shape(), a.shape()), b.shape());
  Tensor out = Tensor::empty(shape, dtype, device);
  detail::backend_of(out).where(c, a, b, out);
  autodiff::maybe_record("where", {c, a, b}, out, [&] {
    return [c, sa = a.shape(), sb = b.shape()](const Tensor& g) -> Grads {
      return {Tensor(), sum_to(where(c, g, 0.0), sa), sum_to(where(c, 0.0, g), sb)};
    };
  });
  return out;
}

Tensor equal(const Tensor& x1, const Tensor& x2) { return binary_kernel(BinaryOp::equal, x1, x2); }
Tensor not_equal(const Tensor& x1, const Tensor& x2) {
  return binary_kernel(BinaryOp::not_equal, x1, x2);
}
Tensor less(const Tensor& x1, const Tensor& x2) { return binary_kernel(BinaryOp::less, x1, x2); }
Tensor less_equal(const Tensor& x1, const Tensor& x2) {
  return binary_kernel(BinaryOp::less_equal, x1, x2);
}
Tensor greater(const Tensor& x1, const Tensor& x2) {
  return binary_kernel(BinaryOp::greater, x1, x2);
}
Tensor greater_equal(const Tensor& x1, const Tensor& x2) {
  return binary_kernel(BinaryOp::greater_equal, x1, x2);
}
Tensor logical_and(const Tensor& x1, const Tensor& x2) {
  return binary_kernel(BinaryOp::logical_and, x1, x2, DType::bool_);
}
Tensor logical_or(const Tensor& x1, const Tensor& x2) {
  return binary_kernel(BinaryOp::logical_or, x1, x2, DType::bool_);
}
Tensor logical_xor(const Tensor& x1, const Tensor& x2) {
  return binary_kernel(BinaryOp::logical_xor, x1, x2, DType::bool_);
}
Tensor logical_not(const Tensor& x) {
  return unary_kernel(UnaryOp::logical_not, detail::as_operand(x, DType::bool_, x.device()));
}
Tensor isnan(const Tensor& x) { return unary_kernel(UnaryOp::isnan, detail::strong(x)); }
Tensor isfinite(const Tensor& x) { return unary_kernel(UnaryOp::isfinite, detail::strong(x)); }

Tensor cast(const Tensor& x, DType dtype) {
  detail::require_defined(x, "cast", "x");
  if (x.is_weak()) return detail::as_operand(x, dtype, x.device());
  if (x.dtype() == dtype) return x;
  Tensor out = Tensor::empty(x.shape(), dtype, x.device());
  detail::backend_of(x).cast(x, out);
  if (is_floating(dtype)) {
    autodiff::maybe_record("cast", {x}, out, [&] {
      return [from = x.dtype()](const Tensor& g) -> Grads { return {cast(g, from)}; };
    });
  }
  return out;
}

Tensor stop_gradient(const Tensor& x) {
  detail::require_defined(x, "stop_gradient", "x");
  auto impl = std::make_shared<keras::detail::TensorImpl>(*x.impl());
  impl->id = keras::detail::next_tensor_id();
  impl->trainable_variable = false;
  return Tensor(std::move(impl));
}

}  // namespace keras::ops
