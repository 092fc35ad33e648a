// Indexing ops: take / gather (the gather kernel; gradient: scatter-add), take_along_axis
// (flat indices into a take) and one_hot.
#include <numeric>

#include "graph/symbolic.hpp"
#include "keras/ops/manipulation.hpp"
#include "ops/common.hpp"

namespace keras::ops {

using autodiff::Grads;

namespace {

std::int64_t product(Shape::const_iterator begin, Shape::const_iterator end) {
  return std::accumulate(begin, end, std::int64_t{1}, std::multiplies<>());
}

// start, start + step, ... (count values), int64, on `device`.
Tensor index_range(std::int64_t count, std::int64_t start, std::int64_t step, const Device& device) {
  Tensor out = Tensor::empty({count}, DType::int64, device);
  detail::backend_of(out).arange(static_cast<double>(start), static_cast<double>(step), out);
  return out;
}

Tensor checked_indices(const char* op, const Tensor& indices, const Device& device) {
  detail::require_defined(indices, op, "indices");
  if (!is_integer(indices.dtype())) {
    throw TypeError(std::string(op) + ": `indices` must be int32 or int64, got " +
                    std::string(dtype_name(indices.dtype())));
  }
  // An integer literal index goes wherever x is.
  Tensor idx = indices.is_weak() ? detail::as_operand(indices, DType::int32, device) : indices;
  // A shape-only probe of x takes any indices (they are not read).
  if (device.type == DeviceType::meta) return idx.to(device);
  if (!(idx.device() == device)) {
    throw ValueError(std::string(op) + ": `indices` are on " + device_name(idx.device()) +
                     " but x is on " + device_name(device));
  }
  return idx;
}

// Runs a gather / scatter_add kernel, naming the op and x's shape in a bounds error.
template <class Kernel>
void run_indexed(const char* op, const Shape& x_shape, int axis, Kernel kernel) {
  try {
    kernel();
  } catch (const ValueError& e) {
    throw ValueError(std::string(op) + ": " + e.what() + " along axis " + std::to_string(axis) +
                     " of x with shape " + shape_str(x_shape));
  }
}

Tensor take_axis(const Tensor& x, const Tensor& indices, int axis);

// zeros(shape) += updates at indices along axis: take's adjoint, with take as its gradient.
Tensor scatter_add(const Tensor& updates, const Tensor& indices, int axis, const Shape& shape) {
  Tensor out = Tensor::empty(shape, updates.dtype(), updates.device());
  auto& backend = detail::backend_of(out);
  backend.fill(out, 0.0);
  run_indexed("scatter_add", shape, axis, [&] { backend.scatter_add(updates, axis, indices, out); });
  autodiff::maybe_record("scatter_add", {updates}, out, [&] {
    return [indices, axis](const Tensor& g) -> Grads { return {take_axis(g, indices, axis)}; };
  });
  return out;
}

// x's slices at `indices` along axis; the result's axis is replaced by indices' shape.
Tensor take_axis(const Tensor& x, const Tensor& indices, int axis) {
  Shape shape(x.shape().begin(), x.shape().begin() + axis);
  shape.insert(shape.end(), indices.shape().begin(), indices.shape().end());
  shape.insert(shape.end(), x.shape().begin() + axis + 1, x.shape().end());
  Tensor out = Tensor::empty(shape, x.dtype(), x.device());
  run_indexed("take", x.shape(), axis, [&] { detail::backend_of(x).gather(x, axis, indices, out); });
  autodiff::maybe_record("take", {x}, out, [&] {
    return [indices, axis, from = x.shape()](const Tensor& g) -> Grads {
      return {scatter_add(g, indices, axis, from)};
    };
  });
  return out;
}

}  // namespace

Tensor take(const Tensor& x, const Tensor& indices, std::optional<std::int64_t> axis) {
  KERAS_SYMBOLIC_OP("take", take(in[0], in[1], axis), x, indices);
  detail::require_defined(x, "take", "x");
  Tensor s = detail::strong(x);
  Tensor idx = checked_indices("take", indices, s.device());
  if (!axis) return take_axis(flatten(s), idx, 0);
  return take_axis(s, idx, normalize_axis(*axis, s.ndim()));
}

Tensor gather(const Tensor& x, const Tensor& indices, std::int64_t axis) {
  KERAS_SYMBOLIC_OP("gather", gather(in[0], in[1], axis), x, indices);
  return take(x, indices, axis);
}

Tensor take_along_axis(const Tensor& x, const Tensor& indices, std::int64_t axis) {
  KERAS_SYMBOLIC_OP("take_along_axis", take_along_axis(in[0], in[1], axis), x, indices);
  detail::require_defined(x, "take_along_axis", "x");
  Tensor s = detail::strong(x);
  Tensor idx = checked_indices("take_along_axis", indices, s.device());
  if (s.ndim() != idx.ndim()) {
    throw ValueError("`x` and `indices` must have the same number of dimensions, but receive shape " +
                     shape_str(s.shape()) + " and " + shape_str(idx.shape()) + ".");
  }
  const int a = normalize_axis(axis, s.ndim());
  const auto ax = static_cast<std::size_t>(a);
  // Every axis but `axis` broadcasts between x and indices.
  Shape stretched = s.shape();
  stretched[ax] = idx.shape()[ax];
  const Shape shape = broadcast_shapes(stretched, idx.shape());
  Shape x_shape = shape;
  x_shape[ax] = s.shape()[ax];
  Tensor xb = broadcast_to(s, x_shape);
  Tensor ib = broadcast_to(idx, shape);
  // Flat positions into xb viewed as (outer, n, inner): looking each index up in the table
  // (0, inner, 2 * inner, ...) checks its bounds and resolves negative ones in one gather.
  const std::int64_t outer = product(shape.begin(), shape.begin() + a);
  const std::int64_t n = x_shape[ax];
  const std::int64_t m = shape[ax];
  const std::int64_t inner = product(shape.begin() + a + 1, shape.end());
  const Tensor table = index_range(n, 0, inner, s.device());
  Tensor offsets = Tensor::empty({ib.size()}, DType::int64, s.device());
  run_indexed("take_along_axis", s.shape(), a,
              [&] { detail::backend_of(table).gather(table, 0, ib, offsets); });
  Tensor base = add(reshape(index_range(outer, 0, n * inner, s.device()), {outer, 1, 1}),
                    reshape(index_range(inner, 0, 1, s.device()), {1, 1, inner}));
  Tensor flat = add(reshape(offsets, {outer, m, inner}), base);
  return reshape(take_axis(flatten(xb), flat, 0), shape);
}

Tensor one_hot(const Tensor& x, std::int64_t num_classes, std::int64_t axis, DType dtype) {
  KERAS_SYMBOLIC_OP("one_hot", one_hot(in[0], num_classes, axis, dtype), x);
  detail::require_defined(x, "one_hot", "x");
  Tensor s = detail::strong(x);
  if (num_classes < 1) {
    throw ValueError("one_hot: `num_classes` must be positive, got " + std::to_string(num_classes));
  }
  const int a = normalize_axis(axis, s.ndim() + 1);
  // Values outside [0, num_classes) match no class and give an all-zero row (as TF and JAX).
  Tensor hot = equal(expand_dims(s, -1), index_range(num_classes, 0, 1, s.device()));
  return moveaxis(cast(hot, dtype), -1, a);
}

}  // namespace keras::ops
