// Crossentropy primitives (keras.ops.binary_crossentropy, categorical_crossentropy,
// sparse_categorical_crossentropy), composites with the arithmetic of Keras 3's backends:
//  - probabilities are clipped to [epsilon, 1 - epsilon], epsilon = 1e-7 (Keras's
//    backend.epsilon()); categorical outputs are first rescaled to sum to 1 along `axis`;
//  - from logits, the stable forms: binary max(x, 0) - x z + log1p(exp(-|x|)) (that is
//    softplus(x) - x z, TF's sigmoid_cross_entropy_with_logits), categorical
//    -sum(target * log_softmax(x)) (softmax_cross_entropy_with_logits).
// Shape errors use Keras's wording.
#include "keras/ops/nn.hpp"
#include "graph/symbolic.hpp"
#include "ops/common.hpp"

namespace keras::ops {

namespace {

constexpr double kEpsilon = 1e-7;

std::string received(const Tensor& target, const Tensor& output) {
  return "Received: target.shape=" + shape_str(target.shape()) +
         ", output.shape=" + shape_str(output.shape());
}

void require_same_shape(const Tensor& target, const Tensor& output) {
  if (target.ndim() != output.ndim()) {
    throw ValueError("Arguments `target` and `output` must have the same rank (ndim). " +
                     received(target, output));
  }
  if (target.shape() != output.shape()) {
    throw ValueError("Arguments `target` and `output` must have the same shape. " +
                     received(target, output));
  }
}

// target and output in their common float dtype (integers give floatx).
std::pair<Tensor, Tensor> as_float_pair(const char* op, const Tensor& target,
                                        const Tensor& output) {
  detail::require_defined(target, op, "target");
  detail::require_defined(output, op, "output");
  DType dtype = detail::result_type({target, output});
  if (!is_floating(dtype)) dtype = floatx();
  const Device device = detail::common_device({target, output});
  return {detail::as_operand(target, dtype, device), detail::as_operand(output, dtype, device)};
}

// log of the class probabilities along axis: log_softmax of logits, or the log of the
// rescaled, clipped probabilities.
Tensor log_probabilities(const Tensor& output, bool from_logits, std::int64_t axis) {
  if (from_logits) return log_softmax(output, axis);
  Tensor p = divide(output, sum(output, axis, true));
  return log(clip(p, kEpsilon, 1.0 - kEpsilon));
}

void require_axis(const char* op, const Tensor& output, std::int64_t axis) {
  if (axis < -output.ndim() || axis >= output.ndim()) {
    throw ValueError(std::string(op) + ": axis " + std::to_string(axis) +
                     " is out of bounds for output.shape=" + shape_str(output.shape()));
  }
}

}  // namespace

Tensor binary_crossentropy(const Tensor& target, const Tensor& output, bool from_logits) {
  KERAS_SYMBOLIC_OP("binary_crossentropy", binary_crossentropy(in[0], in[1], from_logits), target, output);
  auto [t, o] = as_float_pair("binary_crossentropy", target, output);
  require_same_shape(t, o);
  if (from_logits) return subtract(softplus(o), multiply(o, t));
  Tensor p = clip(o, kEpsilon, 1.0 - kEpsilon);
  return negative(add(multiply(t, log(p)), multiply(subtract(1.0, t), log(subtract(1.0, p)))));
}

Tensor categorical_crossentropy(const Tensor& target, const Tensor& output, bool from_logits,
                                std::int64_t axis) {
  KERAS_SYMBOLIC_OP("categorical_crossentropy",
                    categorical_crossentropy(in[0], in[1], from_logits, axis), target, output);
  auto [t, o] = as_float_pair("categorical_crossentropy", target, output);
  if (t.ndim() < 1) {
    throw ValueError("Arguments `target` and `output` must be at least rank 1. " + received(t, o));
  }
  require_same_shape(t, o);
  require_axis("categorical_crossentropy", o, axis);
  return negative(sum(multiply(t, log_probabilities(o, from_logits, axis)), axis));
}

Tensor sparse_categorical_crossentropy(const Tensor& target, const Tensor& output, bool from_logits,
                                       std::int64_t axis) {
  KERAS_SYMBOLIC_OP("sparse_categorical_crossentropy",
                    sparse_categorical_crossentropy(in[0], in[1], from_logits, axis), target, output);
  detail::require_defined(target, "sparse_categorical_crossentropy", "target");
  detail::require_defined(output, "sparse_categorical_crossentropy", "output");
  Tensor o = detail::to_float(output);
  if (o.ndim() < 1) {
    throw ValueError("Argument `output` must be at least rank 1. Received: output.shape=" +
                     shape_str(o.shape()));
  }
  require_axis("sparse_categorical_crossentropy", o, axis);
  // Class indices as int32 (float labels are truncated, as Keras's cast does); a trailing
  // axis of size 1 is dropped, so (batch, 1) labels work.
  Tensor t = detail::strong(target);
  if (t.dtype() != DType::int32 && t.dtype() != DType::int64) t = cast(t, DType::int32);
  if (t.ndim() == o.ndim() && t.ndim() > 0 && t.shape().back() == 1) t = squeeze(t, -1);
  const int a = normalize_axis(axis, o.ndim());
  Shape expected = o.shape();
  expected.erase(expected.begin() + a);
  if (t.shape() != expected) {
    throw ValueError(
        "Arguments `target` and `output` must have the same shape up until the "
        "last dimension: target.shape=" +
        shape_str(target.shape()) + ", output.shape=" + shape_str(o.shape()));
  }
  // The one-hot form of Keras's numpy / JAX backends: a label outside [0, classes)
  // matches no class and contributes 0.
  Tensor hot = one_hot(t, o.shape()[static_cast<std::size_t>(a)], a, o.dtype());
  return negative(sum(multiply(hot, log_probabilities(o, from_logits, axis)), axis));
}

}  // namespace keras::ops
