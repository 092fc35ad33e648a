#include "keras/ops/manipulation.hpp"

#include "ops/common.hpp"

namespace keras::ops {

using autodiff::Grads;

namespace {

Shape resolve_reshape(const Shape& from, const Shape& to) {
  std::int64_t known = 1;
  int unknown = -1;
  for (std::size_t i = 0; i < to.size(); ++i) {
    if (to[i] == -1) {
      if (unknown >= 0) throw ValueError("reshape: can only specify one unknown dimension, got " + shape_str(to));
      unknown = static_cast<int>(i);
    } else if (to[i] < 0) {
      throw ValueError("reshape: invalid target shape " + shape_str(to));
    } else {
      known *= to[i];
    }
  }
  const std::int64_t total = shape_size(from);
  Shape out = to;
  if (unknown >= 0) {
    if (known == 0 || total % known != 0) {
      throw ValueError("Cannot reshape a tensor of shape " + shape_str(from) + " into shape " +
                       shape_str(to));
    }
    out[static_cast<std::size_t>(unknown)] = total / known;
  } else if (known != total) {
    throw ValueError("Cannot reshape a tensor of shape " + shape_str(from) + " into shape " +
                     shape_str(to) + ": " + std::to_string(total) + " elements vs " +
                     std::to_string(known));
  }
  return out;
}

}  // namespace

Tensor reshape(const Tensor& x, const Shape& new_shape) {
  detail::require_defined(x, "reshape", "x");
  Tensor s = detail::strong(x);
  const Shape shape = resolve_reshape(s.shape(), new_shape);
  auto impl = std::make_shared<keras::detail::TensorImpl>(*s.impl());
  impl->shape = shape;
  impl->id = keras::detail::next_tensor_id();
  impl->trainable_variable = false;
  Tensor out(std::move(impl));
  autodiff::maybe_record("reshape", {s}, out, [&] {
    return [from = s.shape()](const Tensor& g) -> Grads { return {reshape(g, from)}; };
  });
  return out;
}

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  detail::require_defined(x, "broadcast_to", "x");
  Tensor s = detail::strong(x);
  if (s.shape() == shape) return s;
  if (broadcast_shapes(s.shape(), shape) != shape) {
    throw ValueError("Cannot broadcast a tensor of shape " + shape_str(s.shape()) + " to shape " +
                     shape_str(shape));
  }
  Tensor out = Tensor::empty(shape, s.dtype(), s.device());
  std::vector<std::int64_t> strides(shape.size(), 0);
  const auto own = contiguous_strides(s.shape());
  const std::size_t lead = shape.size() - s.shape().size();
  for (std::size_t i = 0; i < own.size(); ++i) strides[lead + i] = s.shape()[i] == 1 ? 0 : own[i];
  detail::backend_of(s).copy({const_cast<void*>(s.raw_data()), s.dtype(), shape, strides},
                             detail::view_of(out));
  autodiff::maybe_record("broadcast_to", {s}, out, [&] {
    return [from = s.shape()](const Tensor& g) -> Grads { return {detail::sum_to(g, from)}; };
  });
  return out;
}

}  // namespace keras::ops
