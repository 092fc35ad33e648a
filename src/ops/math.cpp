// Elementwise ops: each computes its output shape and dtype, runs one backend kernel and
// records its gradient rule, written in ops.
#include "keras/ops/math.hpp"

#include <cmath>

#include "graph/symbolic.hpp"
#include "ops/common.hpp"
#include "ops/elementwise.hpp"

namespace keras::ops {

using autodiff::Grads;
using detail::sum_to;
using kernels::BinaryOp;
using kernels::UnaryOp;
using detail::wants_gradient;

namespace detail {

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

}  // namespace

Tensor binary_kernel(BinaryOp op, const Tensor& a, const Tensor& b, DType dtype) {
  const Device device = common_device({a, b});
  Tensor x = as_operand(a, dtype, device);
  Tensor y = as_operand(b, dtype, device);
  const Shape shape = broadcast_shapes(x.shape(), y.shape());
  Tensor out = Tensor::empty(shape, is_comparison(op) ? DType::bool_ : dtype, device);
  backend_of(out).binary(op, x, y, out);
  return out;
}

Tensor binary_kernel(BinaryOp op, const Tensor& a, const Tensor& b) {
  require_defined(a, "binary op", "x1");
  require_defined(b, "binary op", "x2");
  return binary_kernel(op, a, b, result_type({a, b}));
}

Tensor unary_kernel(UnaryOp op, const Tensor& x, double alpha) {
  const bool predicate =
      op == UnaryOp::isnan || op == UnaryOp::isfinite || op == UnaryOp::logical_not;
  Tensor out = Tensor::empty(x.shape(), predicate ? DType::bool_ : x.dtype(), x.device());
  backend_of(x).unary(op, x, out, alpha);
  return out;
}

bool wants_gradient(const Tensor& x) {
  return x.defined() && !x.is_weak() && is_floating(x.dtype()) && autodiff::needs_gradient(x);
}

}  // namespace detail

namespace {

using detail::binary_kernel;
using detail::unary_kernel;

// The gradient g summed to x's shape and cast to x's dtype (an input promoted to a wider
// float gets its gradient in its own dtype), or none when x cannot want one.
Tensor grad_for(const Tensor& x, const Tensor& g) {
  if (!wants_gradient(x)) return Tensor();
  Tensor s = sum_to(g, x.shape());
  return s.dtype() == x.dtype() ? s : cast(s, x.dtype());
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
  KERAS_SYMBOLIC_OP("add", add(in[0], in[1]), x1, x2);
  Tensor out = binary_kernel(BinaryOp::add, x1, x2);
  autodiff::maybe_record("add", {x1, x2}, out, [&] {
    return [x1, x2](const Tensor& g) -> Grads { return {grad_for(x1, g), grad_for(x2, g)}; };
  });
  return out;
}

Tensor subtract(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("subtract", subtract(in[0], in[1]), x1, x2);
  Tensor out = binary_kernel(BinaryOp::subtract, x1, x2);
  autodiff::maybe_record("subtract", {x1, x2}, out, [&] {
    return [x1, x2](const Tensor& g) -> Grads {
      return {grad_for(x1, g), wants_gradient(x2) ? grad_for(x2, negative(g)) : Tensor()};
    };
  });
  return out;
}

Tensor multiply(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("multiply", multiply(in[0], in[1]), x1, x2);
  Tensor out = binary_kernel(BinaryOp::multiply, x1, x2);
  autodiff::maybe_record("multiply", {x1, x2}, out, [&] {
    return [x1, x2](const Tensor& g) -> Grads {
      return {wants_gradient(x1) ? grad_for(x1, multiply(g, x2)) : Tensor(),
              wants_gradient(x2) ? grad_for(x2, multiply(g, x1)) : Tensor()};
    };
  });
  return out;
}

Tensor divide(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("divide", divide(in[0], in[1]), x1, x2);
  DType dtype = detail::result_type({x1, x2});
  if (!is_floating(dtype)) dtype = floatx();
  Tensor out = binary_kernel(BinaryOp::divide, x1, x2, dtype);
  autodiff::maybe_record("divide", {x1, x2}, out, [&] {
    return [x1, x2, out](const Tensor& g) -> Grads {
      // d/dx1 = 1 / x2; d/dx2 = -x1 / x2^2 = -(g / x2) * out.
      Tensor g1 = divide(g, x2);
      return {grad_for(x1, g1),
              wants_gradient(x2) ? grad_for(x2, negative(multiply(g1, out))) : Tensor()};
    };
  });
  return out;
}

Tensor true_divide(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("true_divide", true_divide(in[0], in[1]), x1, x2);
  return divide(x1, x2);
}

// Piecewise constant: no gradient, as in TF and JAX.
Tensor floor_divide(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("floor_divide", floor_divide(in[0], in[1]), x1, x2);
  return binary_kernel(BinaryOp::floor_divide, x1, x2);
}

Tensor mod(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("mod", mod(in[0], in[1]), x1, x2);
  Tensor out = binary_kernel(BinaryOp::mod, x1, x2);
  autodiff::maybe_record("mod", {x1, x2}, out, [&] {
    // mod(x1, x2) = x1 - floor(x1 / x2) * x2, the floor being locally constant.
    return [x1, x2](const Tensor& g) -> Grads {
      return {grad_for(x1, g), wants_gradient(x2)
                                   ? grad_for(x2, negative(multiply(g, floor_divide(x1, x2))))
                                   : Tensor()};
    };
  });
  return out;
}

Tensor power(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("power", power(in[0], in[1]), x1, x2);
  Tensor out = binary_kernel(BinaryOp::power, x1, x2);
  autodiff::maybe_record("power", {x1, x2}, out, [&] {
    return [x1, x2, out](const Tensor& g) -> Grads {
      // d/dx1 = x2 * x1^(x2 - 1); d/dx2 = out * log(x1), taken as 0 where x1 <= 0 (as JAX
      // does at x1 = 0; for x1 < 0 the real power is only defined at integer x2).
      Tensor g1;
      if (wants_gradient(x1))
        g1 = grad_for(x1, multiply(g, multiply(x2, power(x1, subtract(x2, 1)))));
      Tensor g2;
      if (wants_gradient(x2)) {
        Tensor positive = greater(x1, 0);
        Tensor safe_log = where(positive, log(where(positive, x1, 1)), 0);
        g2 = grad_for(x2, multiply(g, multiply(out, safe_log)));
      }
      return {g1, g2};
    };
  });
  return out;
}

namespace {

// minimum / maximum: the gradient goes to the selected input, and at ties each input
// gets half. This is JAX's rule (Keras's reference backend; PyTorch does the same);
// TensorFlow gives the whole gradient to x1 at ties. Splitting keeps
// maximum(x, y) + minimum(x, y) = x + y true for the gradients too.
Tensor min_max(BinaryOp op, const char* name, const Tensor& x1, const Tensor& x2) {
  Tensor out = binary_kernel(op, x1, x2);
  autodiff::maybe_record(name, {x1, x2}, out, [&] {
    return [x1, x2, out](const Tensor& g) -> Grads {
      Tensor tie = equal(x1, x2);
      auto share = [&](const Tensor& x) {
        if (!wants_gradient(x)) return Tensor();
        return grad_for(x, multiply(g, where(tie, 0.5, cast(equal(x, out), g.dtype()))));
      };
      return {share(x1), share(x2)};
    };
  });
  return out;
}

}  // namespace

Tensor minimum(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("minimum", minimum(in[0], in[1]), x1, x2);
  return min_max(BinaryOp::minimum, "minimum", x1, x2);
}
Tensor maximum(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("maximum", maximum(in[0], in[1]), x1, x2);
  return min_max(BinaryOp::maximum, "maximum", x1, x2);
}

Tensor negative(const Tensor& x) {
  KERAS_SYMBOLIC_OP("negative", negative(in[0]), x);
  detail::require_defined(x, "negative", "x");
  Tensor s = detail::strong(x);
  Tensor out = unary_kernel(UnaryOp::negative, s);
  autodiff::maybe_record("negative", {s}, out,
                         [] { return [](const Tensor& g) -> Grads { return {negative(g)}; }; });
  return out;
}

Tensor abs(const Tensor& x) {
  KERAS_SYMBOLIC_OP("abs", abs(in[0]), x);
  detail::require_defined(x, "abs", "x");
  Tensor s = detail::strong(x);
  Tensor out = unary_kernel(UnaryOp::abs, s);
  autodiff::maybe_record("abs", {s}, out, [&] {
    return [s](const Tensor& g) -> Grads { return {multiply(g, sign(s))}; };
  });
  return out;
}

Tensor absolute(const Tensor& x) {
  KERAS_SYMBOLIC_OP("absolute", absolute(in[0]), x);
  return abs(x);
}

Tensor sign(const Tensor& x) {
  KERAS_SYMBOLIC_OP("sign", sign(in[0]), x);
  return unary_kernel(UnaryOp::sign, detail::strong(x));
}

Tensor square(const Tensor& x) {
  KERAS_SYMBOLIC_OP("square", square(in[0]), x);
  detail::require_defined(x, "square", "x");
  Tensor s = detail::strong(x);
  Tensor out = unary_kernel(UnaryOp::square, s);
  autodiff::maybe_record("square", {s}, out, [&] {
    return [s](const Tensor& g) -> Grads { return {multiply(g, multiply(s, 2.0))}; };
  });
  return out;
}

Tensor sqrt(const Tensor& x) {
  KERAS_SYMBOLIC_OP("sqrt", sqrt(in[0]), x);
  return float_unary("sqrt", UnaryOp::sqrt, x,
                     [](const Tensor&, const Tensor& y) { return divide(0.5, y); });
}
Tensor rsqrt(const Tensor& x) {
  KERAS_SYMBOLIC_OP("rsqrt", rsqrt(in[0]), x);
  return float_unary("rsqrt", UnaryOp::rsqrt, x, [](const Tensor& xx, const Tensor& y) {
    return multiply(-0.5, divide(y, xx));
  });
}
Tensor reciprocal(const Tensor& x) {
  KERAS_SYMBOLIC_OP("reciprocal", reciprocal(in[0]), x);
  return float_unary("reciprocal", UnaryOp::reciprocal, x,
                     [](const Tensor&, const Tensor& y) { return negative(square(y)); });
}
Tensor exp(const Tensor& x) {
  KERAS_SYMBOLIC_OP("exp", exp(in[0]), x);
  return float_unary("exp", UnaryOp::exp, x, [](const Tensor&, const Tensor& y) { return y; });
}
Tensor expm1(const Tensor& x) {
  KERAS_SYMBOLIC_OP("expm1", expm1(in[0]), x);
  return float_unary("expm1", UnaryOp::expm1, x,
                     [](const Tensor&, const Tensor& y) { return add(y, 1.0); });
}
Tensor log(const Tensor& x) {
  KERAS_SYMBOLIC_OP("log", log(in[0]), x);
  return float_unary("log", UnaryOp::log, x,
                     [](const Tensor& xx, const Tensor&) { return reciprocal(xx); });
}
Tensor log1p(const Tensor& x) {
  KERAS_SYMBOLIC_OP("log1p", log1p(in[0]), x);
  return float_unary("log1p", UnaryOp::log1p, x,
                     [](const Tensor& xx, const Tensor&) { return reciprocal(add(xx, 1.0)); });
}
Tensor sin(const Tensor& x) {
  KERAS_SYMBOLIC_OP("sin", sin(in[0]), x);
  return float_unary("sin", UnaryOp::sin, x,
                     [](const Tensor& xx, const Tensor&) { return cos(xx); });
}
Tensor cos(const Tensor& x) {
  KERAS_SYMBOLIC_OP("cos", cos(in[0]), x);
  return float_unary("cos", UnaryOp::cos, x,
                     [](const Tensor& xx, const Tensor&) { return negative(sin(xx)); });
}
Tensor tan(const Tensor& x) {
  KERAS_SYMBOLIC_OP("tan", tan(in[0]), x);
  return float_unary("tan", UnaryOp::tan, x,
                     [](const Tensor&, const Tensor& y) { return add(square(y), 1.0); });
}
Tensor tanh(const Tensor& x) {
  KERAS_SYMBOLIC_OP("tanh", tanh(in[0]), x);
  return float_unary("tanh", UnaryOp::tanh, x,
                     [](const Tensor&, const Tensor& y) { return subtract(1.0, square(y)); });
}
Tensor erf(const Tensor& x) {
  KERAS_SYMBOLIC_OP("erf", erf(in[0]), x);
  return float_unary("erf", UnaryOp::erf, x, [](const Tensor& xx, const Tensor&) {
    return multiply(2.0 / std::sqrt(M_PI), exp(negative(square(xx))));
  });
}

// Rounding functions are piecewise constant: no gradient (as in TF / JAX).
Tensor floor(const Tensor& x) {
  KERAS_SYMBOLIC_OP("floor", floor(in[0]), x);
  return unary_kernel(UnaryOp::floor, detail::to_float(x));
}
Tensor ceil(const Tensor& x) {
  KERAS_SYMBOLIC_OP("ceil", ceil(in[0]), x);
  return unary_kernel(UnaryOp::ceil, detail::to_float(x));
}
// round keeps integer dtypes (Keras's Round.compute_output_spec); floor and ceil give floats.
Tensor round(const Tensor& x) {
  KERAS_SYMBOLIC_OP("round", round(in[0]), x);
  return unary_kernel(UnaryOp::round, detail::strong(x));
}

Tensor clip(const Tensor& x, const Tensor& x_min, const Tensor& x_max) {
  KERAS_SYMBOLIC_OP("clip", clip(in[0], in[1], in[2]), x, x_min, x_max);
  detail::require_defined(x, "clip", "x");
  detail::require_defined(x_min, "clip", "x_min");
  detail::require_defined(x_max, "clip", "x_max");
  Tensor s = detail::strong(x);
  if (s.dtype() == DType::bool_) s = cast(s, DType::int32);  // as Keras
  const DType dtype = s.dtype();
  Tensor lo = detail::as_operand(x_min, dtype, s.device());
  Tensor hi = detail::as_operand(x_max, dtype, s.device());
  Tensor out =
      binary_kernel(BinaryOp::minimum, binary_kernel(BinaryOp::maximum, s, lo, dtype), hi, dtype);
  // x gets the gradient where lo <= x <= hi, a bound where x is strictly beyond it (as
  // TF's clip_by_value); ties at a bound go to x.
  autodiff::maybe_record("clip", {s, lo, hi}, out, [&] {
    return [s, lo, hi, want_lo = wants_gradient(x_min),
            want_hi = wants_gradient(x_max)](const Tensor& g) -> Grads {
      Tensor below = less(s, lo);
      Tensor above = greater(s, hi);
      return {grad_for(s, where(logical_or(below, above), 0.0, g)),
              want_lo ? grad_for(lo, where(below, g, 0.0)) : Tensor(),
              want_hi ? grad_for(hi, where(above, g, 0.0)) : Tensor()};
    };
  });
  return out;
}

Tensor where(const Tensor& condition, const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("where", where(in[0], in[1], in[2]), condition, x1, x2);
  detail::require_defined(condition, "where", "condition");
  detail::require_defined(x1, "where", "x1");
  detail::require_defined(x2, "where", "x2");
  const DType dtype = detail::result_type({x1, x2});
  const Device device = detail::common_device({condition, x1, x2});
  Tensor c = detail::as_operand(condition, DType::bool_, device);
  Tensor a = detail::as_operand(x1, dtype, device);
  Tensor b = detail::as_operand(x2, dtype, device);
  const Shape shape = broadcast_shapes(broadcast_shapes(c.shape(), a.shape()), b.shape());
  Tensor out = Tensor::empty(shape, dtype, device);
  detail::backend_of(out).where(c, a, b, out);
  autodiff::maybe_record("where", {c, a, b}, out, [&] {
    return [c, a, b](const Tensor& g) -> Grads {
      return {Tensor(), wants_gradient(a) ? grad_for(a, where(c, g, 0.0)) : Tensor(),
              wants_gradient(b) ? grad_for(b, where(c, 0.0, g)) : Tensor()};
    };
  });
  return out;
}

Tensor equal(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("equal", equal(in[0], in[1]), x1, x2);
  return binary_kernel(BinaryOp::equal, x1, x2);
}
Tensor not_equal(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("not_equal", not_equal(in[0], in[1]), x1, x2);
  return binary_kernel(BinaryOp::not_equal, x1, x2);
}
Tensor less(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("less", less(in[0], in[1]), x1, x2);
  return binary_kernel(BinaryOp::less, x1, x2);
}
Tensor less_equal(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("less_equal", less_equal(in[0], in[1]), x1, x2);
  return binary_kernel(BinaryOp::less_equal, x1, x2);
}
Tensor greater(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("greater", greater(in[0], in[1]), x1, x2);
  return binary_kernel(BinaryOp::greater, x1, x2);
}
Tensor greater_equal(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("greater_equal", greater_equal(in[0], in[1]), x1, x2);
  return binary_kernel(BinaryOp::greater_equal, x1, x2);
}
Tensor logical_and(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("logical_and", logical_and(in[0], in[1]), x1, x2);
  return binary_kernel(BinaryOp::logical_and, x1, x2, DType::bool_);
}
Tensor logical_or(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("logical_or", logical_or(in[0], in[1]), x1, x2);
  return binary_kernel(BinaryOp::logical_or, x1, x2, DType::bool_);
}
Tensor logical_xor(const Tensor& x1, const Tensor& x2) {
  KERAS_SYMBOLIC_OP("logical_xor", logical_xor(in[0], in[1]), x1, x2);
  return binary_kernel(BinaryOp::logical_xor, x1, x2, DType::bool_);
}
Tensor logical_not(const Tensor& x) {
  KERAS_SYMBOLIC_OP("logical_not", logical_not(in[0]), x);
  return unary_kernel(UnaryOp::logical_not, detail::as_operand(x, DType::bool_, x.device()));
}
Tensor isnan(const Tensor& x) {
  KERAS_SYMBOLIC_OP("isnan", isnan(in[0]), x);
  return unary_kernel(UnaryOp::isnan, detail::strong(x));
}
Tensor isfinite(const Tensor& x) {
  KERAS_SYMBOLIC_OP("isfinite", isfinite(in[0]), x);
  return unary_kernel(UnaryOp::isfinite, detail::strong(x));
}

Tensor cast(const Tensor& x, DType dtype) {
  KERAS_SYMBOLIC_OP("cast", cast(in[0], dtype), x);
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
  KERAS_SYMBOLIC_OP("stop_gradient", stop_gradient(in[0]), x);
  detail::require_defined(x, "stop_gradient", "x");
  auto impl = std::make_shared<keras::detail::TensorImpl>(*x.impl());
  impl->id = keras::detail::next_tensor_id();
  impl->trainable_variable = false;
  return Tensor(std::move(impl));
}

}  // namespace keras::ops
