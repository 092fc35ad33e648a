// batch_normalization and layer_normalization (keras.ops.*): composites of elementwise
// ops and moments, so their gradients (with respect to x and every parameter) come from
// autodiff. Both follow Keras's arithmetic: inv = rsqrt(variance + epsilon) * scale,
// y = x * inv + (offset - mean * inv), which is also what tf.nn.batch_normalization does.
#include "keras/ops/nn.hpp"
#include "graph/symbolic.hpp"
#include "ops/common.hpp"

namespace keras::ops {

namespace {

// A batch_normalization parameter made to broadcast along `axis` of x: 1-D with
// x.shape[axis] elements, or already of x's rank with that shape on `axis` and ones
// elsewhere (what moments(..., keepdims=true) gives).
Tensor along_axis(const Tensor& p, const char* arg, const Tensor& x, int axis, DType dtype) {
  const std::int64_t c = x.shape()[static_cast<std::size_t>(axis)];
  Shape target(static_cast<std::size_t>(x.ndim()), 1);
  target[static_cast<std::size_t>(axis)] = c;
  const bool flat = p.ndim() == 1 && p.shape()[0] == c;
  if (!flat && p.shape() != target) {
    throw ValueError(std::string("batch_normalization: `") + arg + "` must have shape (" +
                     std::to_string(c) + ",) to match axis " + std::to_string(axis) +
                     " of x. Received: " + arg + ".shape=" + shape_str(p.shape()) +
                     ", x.shape=" + shape_str(x.shape()));
  }
  Tensor s = detail::strong(p);
  if (s.dtype() != dtype) s = cast(s, dtype);
  return flat ? reshape(s, target) : s;
}

// The float dtype shared by x and the defined parameters.
DType compute_dtype(const std::vector<Tensor>& tensors) {
  DType d = detail::result_type(tensors);
  return is_floating(d) ? d : floatx();
}

// (x - mean) * rsqrt(variance + epsilon) * scale + offset, arranged as Keras does.
Tensor normalize(const Tensor& x, const Tensor& mean, const Tensor& variance, const Tensor& offset,
                 const Tensor& scale, double epsilon) {
  Tensor inv = rsqrt(add(variance, epsilon));
  if (scale.defined()) inv = multiply(inv, scale);
  Tensor shift = negative(multiply(mean, inv));
  if (offset.defined()) shift = add(shift, offset);
  return add(multiply(x, inv), shift);
}

}  // namespace

Tensor batch_normalization(const Tensor& x, const Tensor& mean, const Tensor& variance,
                           std::int64_t axis, const Tensor& offset, const Tensor& scale,
                           double epsilon) {
  KERAS_SYMBOLIC_OP("batch_normalization",
                    batch_normalization(in[0], in[1], in[2], axis, in[3], in[4], epsilon), x, mean,
                    variance, offset, scale);
  detail::require_defined(x, "batch_normalization", "x");
  detail::require_defined(mean, "batch_normalization", "mean");
  detail::require_defined(variance, "batch_normalization", "variance");
  if (axis < -x.ndim() || axis >= x.ndim()) {
    throw ValueError("batch_normalization: axis " + std::to_string(axis) +
                     " is out of bounds for x.shape=" + shape_str(x.shape()));
  }
  const int a = normalize_axis(axis, x.ndim());
  const DType dtype = compute_dtype({x, mean, variance, offset, scale});
  Tensor xs = detail::strong(x);
  if (xs.dtype() != dtype) xs = cast(xs, dtype);
  auto param = [&](const Tensor& p, const char* arg) {
    return p.defined() ? along_axis(p, arg, xs, a, dtype) : Tensor();
  };
  return normalize(xs, param(mean, "mean"), param(variance, "variance"), param(offset, "offset"),
                   param(scale, "scale"), epsilon);
}

Tensor layer_normalization(const Tensor& x, const Tensor& gamma, const Tensor& beta, Axes axis,
                           double epsilon) {
  KERAS_SYMBOLIC_OP("layer_normalization",
                    layer_normalization(in[0], in[1], in[2], axis, epsilon), x, gamma, beta);
  detail::require_defined(x, "layer_normalization", "x");
  const DType dtype = compute_dtype({x, gamma, beta});
  Tensor xs = detail::strong(x);
  if (xs.dtype() != dtype) xs = cast(xs, dtype);
  std::vector<int> axes;
  try {
    axes = axis.normalized(xs.ndim());
  } catch (const ValueError& e) {
    throw ValueError(std::string("layer_normalization: ") + e.what() +
                     " (x.shape=" + shape_str(xs.shape()) + ")");
  }
  // gamma / beta cover the normalised axes: given with x's rank they broadcast as they
  // are; otherwise they are laid out along those axes (a 1-D gamma for the last axis,
  // or e.g. a (H, W) gamma for axes (1, 2)).
  Shape target(static_cast<std::size_t>(xs.ndim()), 1);
  for (int a : axes) target[static_cast<std::size_t>(a)] = xs.shape()[static_cast<std::size_t>(a)];
  auto param = [&](const Tensor& p, const char* arg) -> Tensor {
    if (!p.defined()) return p;
    Tensor s = detail::strong(p);
    if (s.dtype() != dtype) s = cast(s, dtype);
    if (s.ndim() == xs.ndim()) return s;
    if (s.size() != shape_size(target)) {
      throw ValueError(std::string("layer_normalization: `") + arg + "` of shape " +
                       shape_str(s.shape()) +
                       " does not match the normalised axes of x.shape=" + shape_str(xs.shape()) +
                       " (expected " + std::to_string(shape_size(target)) + " elements)");
    }
    return reshape(s, target);
  };
  auto [mean, variance] = moments(xs, axis, true);
  return normalize(xs, mean, variance, param(beta, "beta"), param(gamma, "gamma"), epsilon);
}

}  // namespace keras::ops
