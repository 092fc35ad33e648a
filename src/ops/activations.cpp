// Activation functions (keras.ops.relu, ...) and dropout. The common ones run one
// dedicated kernel and record a gradient written in ops; the rest compose other ops, so
// autodiff derives their gradients.
#include <cmath>
#include <string>

#include "graph/symbolic.hpp"
#include "keras/ops/nn.hpp"
#include "keras/random.hpp"
#include "ops/common.hpp"
#include "ops/elementwise.hpp"

namespace keras::ops {

using autodiff::Grads;
using kernels::BinaryOp;
using kernels::UnaryOp;

namespace {

// Keras's SELU constants (Klambauer et al., 2017).
constexpr double kSeluAlpha = 1.67326324235437728481704299167;
constexpr double kSeluScale = 1.05070098735548049341933498529;

}  // namespace

// Integer inputs stay integers, as keras.ops.relu.
Tensor relu(const Tensor& x) {
  KERAS_SYMBOLIC_OP("relu", relu(in[0]), x);
  detail::require_defined(x, "relu", "x");
  Tensor s = detail::strong(x);
  Tensor y = detail::unary_kernel(UnaryOp::relu, s);
  // The derivative at 0 is taken as 0, as in TF and JAX.
  autodiff::maybe_record("relu", {s}, y, [&] {
    return [s](const Tensor& g) -> Grads { return {where(greater(s, 0), g, 0.0)}; };
  });
  return y;
}

Tensor relu6(const Tensor& x) {
  KERAS_SYMBOLIC_OP("relu6", relu6(in[0]), x);
  detail::require_defined(x, "relu6", "x");
  Tensor s = detail::strong(x);
  Tensor y = detail::binary_kernel(BinaryOp::minimum, detail::unary_kernel(UnaryOp::relu, s), 6,
                                   s.dtype());
  // Gradient 1 strictly inside (0, 6), as TF's Relu6Grad and JAX's relu6.
  autodiff::maybe_record("relu6", {s}, y, [&] {
    return [s](const Tensor& g) -> Grads {
      return {where(logical_and(greater(s, 0), less(s, 6)), g, 0.0)};
    };
  });
  return y;
}

Tensor leaky_relu(const Tensor& x, double negative_slope) {
  KERAS_SYMBOLIC_OP("leaky_relu", leaky_relu(in[0], negative_slope), x);
  detail::require_defined(x, "leaky_relu", "x");
  Tensor s = detail::to_float(x);
  Tensor y = detail::unary_kernel(UnaryOp::leaky_relu, s, negative_slope);
  // Slope 1 from 0 on, as JAX's where(x >= 0, x, slope * x).
  autodiff::maybe_record("leaky_relu", {s}, y, [&] {
    return [s, negative_slope](const Tensor& g) -> Grads {
      return {where(greater_equal(s, 0), g, multiply(g, negative_slope))};
    };
  });
  return y;
}

Tensor elu(const Tensor& x, double alpha) {
  KERAS_SYMBOLIC_OP("elu", elu(in[0], alpha), x);
  detail::require_defined(x, "elu", "x");
  Tensor s = detail::to_float(x);
  Tensor y = detail::unary_kernel(UnaryOp::elu, s, alpha);
  // For x <= 0, d/dx alpha (e^x - 1) = alpha e^x = y + alpha.
  autodiff::maybe_record("elu", {s}, y, [&] {
    return [s, y, alpha](const Tensor& g) -> Grads {
      return {where(greater(s, 0), g, multiply(g, add(y, alpha)))};
    };
  });
  return y;
}

Tensor selu(const Tensor& x) {
  KERAS_SYMBOLIC_OP("selu", selu(in[0]), x);
  return multiply(elu(x, kSeluAlpha), kSeluScale);
}

Tensor gelu(const Tensor& x, bool approximate) {
  KERAS_SYMBOLIC_OP("gelu", gelu(in[0], approximate), x);
  detail::require_defined(x, "gelu", "x");
  Tensor s = detail::to_float(x);
  if (approximate) {
    // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
    const double k = std::sqrt(2.0 / M_PI);
    Tensor inner = multiply(add(s, multiply(0.044715, multiply(s, square(s)))), k);
    return multiply(multiply(s, 0.5), add(tanh(inner), 1.0));
  }
  // 0.5 x (1 + erf(x / sqrt(2)))
  return multiply(multiply(s, 0.5), add(erf(multiply(s, M_SQRT1_2)), 1.0));
}

Tensor sigmoid(const Tensor& x) {
  KERAS_SYMBOLIC_OP("sigmoid", sigmoid(in[0]), x);
  detail::require_defined(x, "sigmoid", "x");
  Tensor s = detail::to_float(x);
  Tensor y = detail::unary_kernel(UnaryOp::sigmoid, s);
  autodiff::maybe_record("sigmoid", {s}, y, [&] {
    return [y](const Tensor& g) -> Grads { return {multiply(g, multiply(y, subtract(1.0, y)))}; };
  });
  return y;
}

Tensor hard_sigmoid(const Tensor& x) {
  KERAS_SYMBOLIC_OP("hard_sigmoid", hard_sigmoid(in[0]), x);
  return divide(relu6(add(x, 3.0)), 6.0);
}

Tensor silu(const Tensor& x) {
  KERAS_SYMBOLIC_OP("silu", silu(in[0]), x);
  detail::require_defined(x, "silu", "x");
  Tensor s = detail::to_float(x);
  return multiply(s, sigmoid(s));
}

Tensor swish(const Tensor& x) {
  KERAS_SYMBOLIC_OP("swish", swish(in[0]), x);
  return silu(x);
}

Tensor softplus(const Tensor& x) {
  KERAS_SYMBOLIC_OP("softplus", softplus(in[0]), x);
  detail::require_defined(x, "softplus", "x");
  Tensor s = detail::to_float(x);
  Tensor y = detail::unary_kernel(UnaryOp::softplus, s);
  autodiff::maybe_record("softplus", {s}, y, [&] {
    return [s](const Tensor& g) -> Grads { return {multiply(g, sigmoid(s))}; };
  });
  return y;
}

Tensor softsign(const Tensor& x) {
  KERAS_SYMBOLIC_OP("softsign", softsign(in[0]), x);
  detail::require_defined(x, "softsign", "x");
  Tensor s = detail::to_float(x);
  return divide(s, add(abs(s), 1.0));
}

Tensor l2_normalize(const Tensor& x, std::int64_t axis, double epsilon) {
  KERAS_SYMBOLIC_OP("l2_normalize", l2_normalize(in[0], axis, epsilon), x);
  detail::require_defined(x, "l2_normalize", "x");
  Tensor s = detail::to_float(x);
  Tensor squared_norm = sum(square(s), axis, /*keepdims=*/true);
  return multiply(s, rsqrt(maximum(squared_norm, epsilon)));
}

namespace {

// Keras's noise_shape: None (kUnknownDim) entries take x's dimension; the result must
// broadcast to x's shape.
Shape concrete_noise_shape(const Shape& noise_shape, const Shape& x_shape) {
  if (noise_shape.empty()) return x_shape;
  Shape shape = noise_shape;
  for (std::size_t i = 0; i < shape.size() && i < x_shape.size(); ++i) {
    if (shape[i] == kUnknownDim) shape[i] = x_shape[i];
  }
  bool ok = shape.size() <= x_shape.size();
  if (ok) {
    try {
      ok = broadcast_shapes(shape, x_shape) == x_shape;
    } catch (const ValueError&) {
      ok = false;
    }
  }
  if (!ok) {
    throw ValueError("dropout: noise_shape " + shape_str(noise_shape) +
                     " does not broadcast to the input shape " + shape_str(x_shape));
  }
  return shape;
}

}  // namespace

Tensor dropout(const Tensor& x, double rate, const DropoutOptions& options) {
  KERAS_SYMBOLIC_OP("dropout", dropout(in[0], rate, options), x);
  detail::require_defined(x, "dropout", "x");
  if (!(rate >= 0.0 && rate <= 1.0)) {
    throw ValueError(
        "Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
        "Received: rate=" +
        std::to_string(rate));
  }
  Tensor s = detail::to_float(x);
  const Shape noise_shape = concrete_noise_shape(options.noise_shape, s.shape());
  if (rate == 0.0) return s;
  if (rate == 1.0) return zeros_like(s);  // every unit dropped (no 1 / 0 scale)
  // Bernoulli(1 - rate) keep mask, scaled so the expected value of each unit is unchanged.
  Tensor keep = options.seed_generator != nullptr
                    ? random::binomial(noise_shape, 1.0, 1.0 - rate, s.dtype(), *options.seed_generator)
                    : random::binomial(noise_shape, 1.0, 1.0 - rate, s.dtype(), options.seed);
  Tensor mask = detail::binary_kernel(BinaryOp::multiply, keep, 1.0 / (1.0 - rate), s.dtype());
  Tensor y = detail::binary_kernel(BinaryOp::multiply, s, mask, s.dtype());
  autodiff::maybe_record("dropout", {s}, y, [&] {
    return [mask](const Tensor& g) -> Grads { return {multiply(g, mask)}; };
  });
  return y;
}

}  // namespace keras::ops
