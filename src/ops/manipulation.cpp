// Shape manipulation: reshapes (views sharing storage), axis permutations (one strided
// copy), broadcasting, tiling, joining and splitting.
#include "keras/ops/manipulation.hpp"

#include <algorithm>
#include <numeric>

#include "graph/symbolic.hpp"
#include "ops/common.hpp"
#include "ops/strided.hpp"

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
      throw ValueError("Cannot reshape a tensor of shape " + shape_str(from) + " into shape (" +
                       detail::join_ints(to) + (to.size() == 1 ? ",)" : ")"));
    }
    out[static_cast<std::size_t>(unknown)] = total / known;
  } else if (known != total) {
    throw ValueError("Cannot reshape a tensor of shape " + shape_str(from) + " into shape " +
                     shape_str(to) + ": " + std::to_string(total) + " elements vs " +
                     std::to_string(known));
  }
  return out;
}

// The permutation `axes` with negative entries resolved; throws ValueError unless it
// names every axis of `shape` once.
std::vector<std::int64_t> checked_permutation(const std::vector<std::int64_t>& axes, const Shape& shape) {
  const auto nd = static_cast<std::int64_t>(shape.size());
  std::vector<std::int64_t> perm;
  std::vector<bool> seen(shape.size(), false);
  bool valid = static_cast<std::int64_t>(axes.size()) == nd;
  for (std::size_t i = 0; valid && i < axes.size(); ++i) {
    const std::int64_t a = axes[i] < 0 ? axes[i] + nd : axes[i];
    valid = a >= 0 && a < nd && !seen[static_cast<std::size_t>(a)];
    if (valid) {
      seen[static_cast<std::size_t>(a)] = true;
      perm.push_back(a);
    }
  }
  if (!valid) {
    throw ValueError("transpose: axes (" + detail::join_ints(axes) +
                     ") is not a permutation of the axes of x with shape " + shape_str(shape));
  }
  return perm;
}

// Inserts a size-1 axis before every dim and stretches it to `repeats`, giving (r0, d0, r1,
// d1, ...) before the caller merges pairs: tile and repeat are one broadcast copy.
Tensor interleaved_broadcast(const Tensor& x, const std::vector<std::int64_t>& repeats, bool repeat_first) {
  Shape expanded;
  Shape target;
  Shape merged;
  for (std::size_t i = 0; i < repeats.size(); ++i) {
    const std::int64_t d = x.shape()[i];
    const std::int64_t r = repeats[i];
    if (repeat_first) {
      expanded.insert(expanded.end(), {1, d});
      target.insert(target.end(), {r, d});
    } else {
      expanded.insert(expanded.end(), {d, 1});
      target.insert(target.end(), {d, r});
    }
    merged.push_back(d * r);
  }
  return reshape(broadcast_to(reshape(x, expanded), target), merged);
}

// Splits s along axis into the pieces [bounds[i], bounds[i + 1]), recorded as one op whose
// gradient joins the pieces' gradients back (pieces that tile the axis in order).
std::vector<Tensor> split_at(const Tensor& s, const std::vector<std::int64_t>& bounds, int axis) {
  const auto strides = contiguous_strides(s.shape());
  const auto ax = static_cast<std::size_t>(axis);
  std::vector<Tensor> pieces;
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    Shape shape = s.shape();
    shape[ax] = bounds[i + 1] - bounds[i];
    Tensor piece = Tensor::empty(shape, s.dtype(), s.device());
    if (piece.size() > 0) {
      detail::backend_of(s).copy({detail::element_ptr(s, bounds[i] * strides[ax]), s.dtype(), shape, strides, s.impl()->storage.get()},
                                 detail::view_of(piece));
    }
    pieces.push_back(piece);
  }
  if (autodiff::should_record({s})) {
    autodiff::record("split", {s}, pieces, [axis](const Grads& g) -> Grads {
      return {concatenate(g, axis)};
    });
  }
  return pieces;
}

}  // namespace

Tensor reshape(const Tensor& x, const Shape& new_shape) {
  KERAS_SYMBOLIC_OP("reshape", reshape(in[0], new_shape), x);
  detail::require_defined(x, "reshape", "x");
  Tensor s = detail::strong(x);
  const Shape shape = resolve_reshape(s.shape(), new_shape);
  if (shape == s.shape()) return s;
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

Tensor expand_dims(const Tensor& x, std::int64_t axis) {
  KERAS_SYMBOLIC_OP("expand_dims", expand_dims(in[0], axis), x);
  detail::require_defined(x, "expand_dims", "x");
  Shape shape = x.shape();
  const int a = normalize_axis(axis, x.ndim() + 1);
  shape.insert(shape.begin() + a, 1);
  return reshape(x, shape);
}

Tensor squeeze(const Tensor& x, Axes axis) {
  KERAS_SYMBOLIC_OP("squeeze", squeeze(in[0], axis), x);
  detail::require_defined(x, "squeeze", "x");
  const Shape& in = x.shape();
  std::vector<bool> drop(in.size(), false);
  if (axis.is_all()) {
    for (std::size_t i = 0; i < in.size(); ++i) drop[i] = in[i] == 1;
  } else {
    for (int a : axis.normalized(x.ndim())) {
      if (in[static_cast<std::size_t>(a)] != 1) {
        throw ValueError("Cannot squeeze axis " + std::to_string(a) +
                         ", because the dimension is not 1. Received: x.shape=" + shape_str(in));
      }
      drop[static_cast<std::size_t>(a)] = true;
    }
  }
  Shape shape;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (!drop[i]) shape.push_back(in[i]);
  }
  return reshape(x, shape);
}

Tensor flatten(const Tensor& x) {
  KERAS_SYMBOLIC_OP("flatten", flatten(in[0]), x);
  detail::require_defined(x, "flatten", "x");
  return reshape(x, {x.size()});
}

Tensor ravel(const Tensor& x) {
  KERAS_SYMBOLIC_OP("ravel", ravel(in[0]), x);
  return flatten(x);
}

Tensor batch_flatten(const Tensor& x) {
  KERAS_SYMBOLIC_OP("batch_flatten", batch_flatten(in[0]), x);
  detail::require_defined(x, "batch_flatten", "x");
  if (x.ndim() < 1) throw ValueError("batch_flatten: x must be at least 1-D, got shape " + shape_str(x.shape()));
  const std::int64_t batch = x.shape()[0];
  const Shape& shape = x.shape();
  return reshape(x, {batch, std::accumulate(shape.begin() + 1, shape.end(), std::int64_t{1},
                                            std::multiplies<>())});
}

Tensor transpose(const Tensor& x, const std::vector<std::int64_t>& axes) {
  KERAS_SYMBOLIC_OP("transpose", transpose(in[0], axes), x);
  detail::require_defined(x, "transpose", "x");
  Tensor s = detail::strong(x);
  const Shape& in = s.shape();
  std::vector<std::int64_t> perm;
  if (axes.empty()) {
    for (auto i = s.ndim(); i-- > 0;) perm.push_back(i);
  } else {
    perm = checked_permutation(axes, in);
  }
  const auto own = contiguous_strides(in);
  Shape shape;
  std::vector<std::int64_t> strides;
  std::vector<std::int64_t> moved;  // the order of the dims above 1
  for (auto p : perm) {
    const auto i = static_cast<std::size_t>(p);
    shape.push_back(in[i]);
    strides.push_back(own[i]);
    if (in[i] != 1) moved.push_back(p);
  }
  // When only size-1 axes move, the memory order is unchanged: a reshape, not a copy.
  if (std::is_sorted(moved.begin(), moved.end())) return reshape(s, shape);
  return detail::read_view("transpose", s, shape, 0, strides);
}

Tensor permute_dimensions(const Tensor& x, const std::vector<std::int64_t>& pattern) {
  KERAS_SYMBOLIC_OP("permute_dimensions", permute_dimensions(in[0], pattern), x);
  return transpose(x, pattern);
}

Tensor swapaxes(const Tensor& x, std::int64_t axis1, std::int64_t axis2) {
  KERAS_SYMBOLIC_OP("swapaxes", swapaxes(in[0], axis1, axis2), x);
  detail::require_defined(x, "swapaxes", "x");
  std::vector<std::int64_t> perm(static_cast<std::size_t>(x.ndim()));
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[static_cast<std::size_t>(normalize_axis(axis1, x.ndim()))],
            perm[static_cast<std::size_t>(normalize_axis(axis2, x.ndim()))]);
  return transpose(x, perm);
}

Tensor moveaxis(const Tensor& x, std::int64_t source, std::int64_t destination) {
  KERAS_SYMBOLIC_OP("moveaxis", moveaxis(in[0], source, destination), x);
  detail::require_defined(x, "moveaxis", "x");
  const int from = normalize_axis(source, x.ndim());
  const int to = normalize_axis(destination, x.ndim());
  std::vector<std::int64_t> perm;
  for (std::int64_t i = 0; i < x.ndim(); ++i) {
    if (i != from) perm.push_back(i);
  }
  perm.insert(perm.begin() + to, from);
  return transpose(x, perm);
}

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  KERAS_SYMBOLIC_OP("broadcast_to", broadcast_to(in[0], shape), x);
  detail::require_defined(x, "broadcast_to", "x");
  Tensor s = detail::strong(x);
  if (s.shape() == shape) return s;
  const bool fits = shape.size() >= s.shape().size() && [&] {
    const std::size_t lead = shape.size() - s.shape().size();
    for (std::size_t i = 0; i < s.shape().size(); ++i) {
      if (s.shape()[i] != 1 && s.shape()[i] != shape[lead + i]) return false;
    }
    return true;
  }();
  if (!fits) {
    throw ValueError("Cannot broadcast a tensor of shape " + shape_str(s.shape()) + " to shape " +
                     shape_str(shape));
  }
  Tensor out = Tensor::empty(shape, s.dtype(), s.device());
  std::vector<std::int64_t> strides(shape.size(), 0);
  const auto own = contiguous_strides(s.shape());
  const std::size_t lead = shape.size() - s.shape().size();
  for (std::size_t i = 0; i < own.size(); ++i) strides[lead + i] = s.shape()[i] == 1 ? 0 : own[i];
  if (out.size() > 0) {
    detail::backend_of(s).copy({const_cast<void*>(s.raw_data()), s.dtype(), shape, strides, s.impl()->storage.get()},
                               detail::view_of(out));
  }
  autodiff::maybe_record("broadcast_to", {s}, out, [&] {
    return [from = s.shape()](const Tensor& g) -> Grads { return {detail::sum_to(g, from)}; };
  });
  return out;
}

Tensor tile(const Tensor& x, const std::vector<std::int64_t>& repeats) {
  KERAS_SYMBOLIC_OP("tile", tile(in[0], repeats), x);
  detail::require_defined(x, "tile", "x");
  for (auto r : repeats) {
    if (r < 0) throw ValueError("tile: `repeats` must be non-negative, got (" + detail::join_ints(repeats) + ")");
  }
  // numpy pads the shorter of x's shape and repeats with leading ones.
  const std::size_t nd = std::max(repeats.size(), static_cast<std::size_t>(x.ndim()));
  Shape shape(nd - static_cast<std::size_t>(x.ndim()), 1);
  shape.insert(shape.end(), x.shape().begin(), x.shape().end());
  std::vector<std::int64_t> reps(nd - repeats.size(), 1);
  reps.insert(reps.end(), repeats.begin(), repeats.end());
  return interleaved_broadcast(reshape(x, shape), reps, true);
}

Tensor repeat(const Tensor& x, std::int64_t repeats, std::optional<std::int64_t> axis) {
  KERAS_SYMBOLIC_OP("repeat", repeat(in[0], repeats, axis), x);
  detail::require_defined(x, "repeat", "x");
  if (repeats < 0) throw ValueError("repeat: `repeats` must be non-negative, got " + std::to_string(repeats));
  Tensor s = axis ? x : flatten(x);
  const int a = normalize_axis(axis.value_or(0), s.ndim());
  std::vector<std::int64_t> reps(static_cast<std::size_t>(s.ndim()), 1);
  reps[static_cast<std::size_t>(a)] = repeats;
  return interleaved_broadcast(s, reps, false);
}

Tensor concatenate(const std::vector<Tensor>& xs, std::int64_t axis) {
  KERAS_SYMBOLIC_OP_ON("concatenate", xs, concatenate(in, axis));
  if (xs.empty()) throw ValueError("concatenate: `xs` must contain at least one tensor");
  for (const auto& x : xs) detail::require_defined(x, "concatenate", "xs");
  const DType dtype = detail::result_type(xs);
  const Device device = detail::common_device(xs);
  std::vector<Tensor> parts;
  for (const auto& x : xs) parts.push_back(detail::as_operand(x, dtype, device));
  const Shape& first = parts[0].shape();
  if (first.empty()) throw ValueError("concatenate: zero-dimensional tensors cannot be concatenated");
  const int a = normalize_axis(axis, static_cast<std::int64_t>(first.size()));
  const auto ax = static_cast<std::size_t>(a);
  Shape shape = first;
  shape[ax] = 0;
  for (const auto& p : parts) {
    bool same = p.shape().size() == first.size();
    for (std::size_t i = 0; same && i < first.size(); ++i) same = i == ax || p.shape()[i] == first[i];
    if (!same) {
      throw ValueError("Every value in `xs` must have the same shape except on the `axis` dim. But found "
                       "element of shape " + shape_str(p.shape()) +
                       ", which is different from the first element's shape " + shape_str(first) + ".");
    }
    shape[ax] += p.shape()[ax];
  }
  if (parts.size() == 1) return parts[0];
  Tensor out = Tensor::empty(shape, dtype, device);
  const auto strides = contiguous_strides(shape);
  auto& backend = detail::backend_of(out);
  std::int64_t start = 0;
  std::vector<std::int64_t> starts;
  for (const auto& p : parts) {
    starts.push_back(start);
    if (p.size() > 0) {
      backend.copy(detail::view_of(p),
                   {detail::element_ptr(out, start * strides[ax]), dtype, p.shape(), strides, out.impl()->storage.get()});
    }
    start += p.shape()[ax];
  }
  if (autodiff::should_record(parts)) {
    autodiff::record_unary_output("concatenate", parts, out, [parts, starts, strides, ax](const Tensor& g) {
      Grads grads;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        grads.push_back(is_floating(parts[i].dtype())
                            ? detail::read_view("concatenate", g, parts[i].shape(),
                                                starts[i] * strides[ax], strides)
                            : Tensor());
      }
      return grads;
    });
  }
  return out;
}

Tensor stack(const std::vector<Tensor>& xs, std::int64_t axis) {
  KERAS_SYMBOLIC_OP_ON("stack", xs, stack(in, axis));
  if (xs.empty()) throw ValueError("stack: `x` must contain at least one tensor");
  for (const auto& x : xs) detail::require_defined(x, "stack", "x");
  const Shape& first = xs[0].shape();
  const int a = normalize_axis(axis, static_cast<std::int64_t>(first.size()) + 1);
  std::vector<Tensor> expanded;
  for (const auto& x : xs) {
    if (x.shape() != first) {
      throw ValueError("Every value in `x` must have the same shape. But found element of shape " +
                       shape_str(x.shape()) + ", which is different from the first element's shape " +
                       shape_str(first) + ".");
    }
    expanded.push_back(expand_dims(detail::strong(x), a));
  }
  return concatenate(expanded, a);
}

std::vector<Tensor> split(const Tensor& x, std::int64_t sections, std::int64_t axis) {
  KERAS_SYMBOLIC_OP_LIST_ON("split", (Tensors{x}), split(in[0], sections, axis));
  detail::require_defined(x, "split", "x");
  const int a = normalize_axis(axis, x.ndim());
  const std::int64_t n = x.shape()[static_cast<std::size_t>(a)];
  if (sections <= 0 || n % sections != 0) {
    throw ValueError("`x` size on given `axis` must be divisible by `indices_or_sections` when "
                     "`indices_or_sections` is an int. But received " + std::to_string(n) + " and " +
                     std::to_string(sections) + " (x.shape=" + shape_str(x.shape()) + ").");
  }
  std::vector<std::int64_t> bounds;
  for (std::int64_t i = 0; i <= sections; ++i) bounds.push_back(i * (n / sections));
  return split_at(detail::strong(x), bounds, a);
}

std::vector<Tensor> split(const Tensor& x, const std::vector<std::int64_t>& indices, std::int64_t axis) {
  KERAS_SYMBOLIC_OP_LIST_ON("split", (Tensors{x}), split(in[0], indices, axis));
  detail::require_defined(x, "split", "x");
  const int a = normalize_axis(axis, x.ndim());
  const std::int64_t n = x.shape()[static_cast<std::size_t>(a)];
  // numpy slices x[prev:index] for each index, so bounds clip to [0, n] and a decreasing
  // index gives an empty piece; keeping the bounds non-decreasing makes that explicit.
  std::vector<std::int64_t> bounds{0};
  for (auto i : indices) {
    const std::int64_t b = std::clamp<std::int64_t>(i < 0 ? i + n : i, 0, n);
    bounds.push_back(b);
  }
  bounds.push_back(n);
  Tensor s = detail::strong(x);
  if (std::is_sorted(bounds.begin(), bounds.end())) return split_at(s, bounds, a);
  std::vector<Tensor> pieces;
  const auto ax = static_cast<std::size_t>(a);
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    std::vector<std::int64_t> start(s.shape().size(), 0);
    Shape shape = s.shape();
    start[ax] = bounds[i];
    shape[ax] = std::max<std::int64_t>(bounds[i + 1] - bounds[i], 0);
    pieces.push_back(slice(s, start, shape));
  }
  return pieces;
}

}  // namespace keras::ops
