// softmax and log_softmax along one axis: one backend kernel each (numerically stable,
// see cpu_softmax.cpp), with their gradient rules written in ops.
#include "graph/symbolic.hpp"
#include "keras/ops/nn.hpp"
#include "ops/common.hpp"

namespace keras::ops {

using autodiff::Grads;

namespace {

// x converted to float (integers give floatx, as in Keras) and checked against axis.
Tensor softmax_input(const char* name, const Tensor& x, std::int64_t axis) {
  detail::require_defined(x, name, "x");
  Tensor s = detail::to_float(x);
  if (axis < -s.ndim() || axis >= s.ndim()) {
    throw ValueError(std::string(name) + ": axis " + std::to_string(axis) +
                     " is out of bounds for array of dimension " + std::to_string(s.ndim()) +
                     " (x.shape=" + shape_str(s.shape()) + ")");
  }
  return s;
}

Tensor softmax_kernel(const Tensor& s, std::int64_t axis, bool log) {
  const int a = normalize_axis(axis, s.ndim());
  Tensor y = Tensor::empty(s.shape(), s.dtype(), s.device());
  detail::backend_of(s).softmax(s, a, log, y);
  return y;
}

}  // namespace

Tensor softmax(const Tensor& x, std::int64_t axis) {
  KERAS_SYMBOLIC_OP("softmax", softmax(in[0], axis), x);
  Tensor s = softmax_input("softmax", x, axis);
  Tensor y = softmax_kernel(s, axis, false);
  // dx = y * (g - sum(g * y, axis)): the Jacobian diag(y) - y y^T applied to g.
  autodiff::maybe_record("softmax", {s}, y, [&] {
    return [y, axis](const Tensor& g) -> Grads {
      return {multiply(y, subtract(g, sum(multiply(g, y), axis, true)))};
    };
  });
  return y;
}

Tensor log_softmax(const Tensor& x, std::int64_t axis) {
  KERAS_SYMBOLIC_OP("log_softmax", log_softmax(in[0], axis), x);
  Tensor s = softmax_input("log_softmax", x, axis);
  Tensor y = softmax_kernel(s, axis, true);
  // dx = g - softmax(x) * sum(g, axis), with softmax(x) = exp(y).
  autodiff::maybe_record("log_softmax", {s}, y, [&] {
    return [y, axis](const Tensor& g) -> Grads {
      return {subtract(g, multiply(exp(y), sum(g, axis, true)))};
    };
  });
  return y;
}

}  // namespace keras::ops
