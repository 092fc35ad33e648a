// Slicing ops (slice, strided_slice, flip, pad, tril, triu) and the strided-view
// primitives they share with transpose and concatenate. A slice is one strided copy; its
// gradient is the adjoint copy into a zero tensor.
#include <algorithm>

#include "keras/ops/manipulation.hpp"
#include "graph/symbolic.hpp"
#include "ops/common.hpp"
#include "ops/strided.hpp"

namespace keras::ops {

using autodiff::Grads;

namespace detail {

void* element_ptr(const Tensor& t, std::int64_t offset) {
  auto* base = static_cast<char*>(const_cast<void*>(t.raw_data()));
  if (base == nullptr) return nullptr;
  return base + offset * static_cast<std::int64_t>(dtype_size(t.dtype()));
}

Tensor read_view(const char* op, const Tensor& x, const Shape& shape, std::int64_t offset,
                 const std::vector<std::int64_t>& strides) {
  Tensor out = Tensor::empty(shape, x.dtype(), x.device());
  if (out.size() > 0) {
    backend_of(x).copy({element_ptr(x, offset), x.dtype(), shape, strides, x.impl()->storage.get()}, view_of(out));
  }
  autodiff::maybe_record(op, {x}, out, [&] {
    return [op, from = x.shape(), offset, strides](const Tensor& g) -> Grads {
      return {write_view(op, g, from, offset, strides)};
    };
  });
  return out;
}

Tensor write_view(const char* op, const Tensor& g, const Shape& shape, std::int64_t offset,
                  const std::vector<std::int64_t>& strides, double fill) {
  Tensor out = Tensor::empty(shape, g.dtype(), g.device());
  auto& backend = backend_of(out);
  if (out.size() > g.size()) backend.fill(out, fill);
  if (g.size() > 0) backend.copy(view_of(g), {element_ptr(out, offset), g.dtype(), g.shape(), strides, out.impl()->storage.get()});
  autodiff::maybe_record(op, {g}, out, [&] {
    return [op, inner = g.shape(), offset, strides](const Tensor& gg) -> Grads {
      return {read_view(op, gg, inner, offset, strides)};
    };
  });
  return out;
}

}  // namespace detail

namespace {

using detail::read_view;
using detail::write_view;

// Python's slice(start, stop, step).indices(n): the first index and the element count.
std::pair<std::int64_t, std::int64_t> slice_range(std::int64_t start, std::int64_t stop,
                                                  std::int64_t step, std::int64_t n) {
  auto clamp = [&](std::int64_t i) {
    if (i < 0) i += n;
    return step > 0 ? std::clamp<std::int64_t>(i, 0, n) : std::clamp<std::int64_t>(i, -1, n - 1);
  };
  const std::int64_t first = clamp(start);
  const std::int64_t last = clamp(stop);
  const std::int64_t span = step > 0 ? last - first : first - last;
  const std::int64_t a = step > 0 ? step : -step;
  return {first, span > 0 ? (span + a - 1) / a : 0};
}

std::string pairs_str(const std::vector<std::pair<std::int64_t, std::int64_t>>& pairs) {
  std::string s = "(";
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    s += (i ? ", (" : "(") + std::to_string(pairs[i].first) + ", " +
         std::to_string(pairs[i].second) + ")";
  }
  return s + ")";
}

// The source index numpy's pad reads for output position i (i - before, possibly
// outside [0, n)) in a non-constant mode.
std::int64_t pad_source(const std::string& mode, std::int64_t i, std::int64_t n) {
  auto positive_mod = [](std::int64_t a, std::int64_t p) { return ((a % p) + p) % p; };
  if (mode == "edge") return std::clamp<std::int64_t>(i, 0, n - 1);
  if (mode == "wrap") return positive_mod(i, n);
  if (mode == "reflect") {
    const std::int64_t period = 2 * (n - 1);
    if (period == 0) return 0;
    const std::int64_t r = positive_mod(i, period);
    return r >= n ? period - r : r;
  }
  const std::int64_t period = 2 * n;  // symmetric: the edge element repeats
  const std::int64_t r = positive_mod(i, period);
  return r >= n ? period - 1 - r : r;
}

Tensor pad_by_index(const Tensor& x, const std::vector<std::pair<std::int64_t, std::int64_t>>& widths,
                    const std::string& mode) {
  Tensor out = x;
  for (std::size_t axis = 0; axis < widths.size(); ++axis) {
    const auto [before, after] = widths[axis];
    if (before == 0 && after == 0) continue;
    const std::int64_t n = x.shape()[axis];
    if (n == 0) {
      throw ValueError("pad: can't extend empty axis " + std::to_string(axis) + " of x with shape " +
                       shape_str(x.shape()) + " using modes other than 'constant'");
    }
    std::vector<std::int64_t> source(static_cast<std::size_t>(n + before + after));
    for (std::size_t i = 0; i < source.size(); ++i) {
      source[i] = pad_source(mode, static_cast<std::int64_t>(i) - before, n);
    }
    const Tensor indices = Tensor::from_vector(source, {static_cast<std::int64_t>(source.size())}, x.device());
    out = take(out, indices, static_cast<std::int64_t>(axis));
  }
  return out;
}

// Keeps the elements of the last two axes where keep(col - row) holds.
template <class Keep>
Tensor band(const char* op, const Tensor& x, Keep keep) {
  detail::require_defined(x, op, "x");
  Tensor s = detail::strong(x);
  if (s.ndim() < 2) {
    throw ValueError(std::string(op) + ": x must be at least 2-D, got shape " + shape_str(s.shape()));
  }
  const std::int64_t rows = s.dim(-2);
  const std::int64_t cols = s.dim(-1);
  std::vector<bool> mask(static_cast<std::size_t>(rows * cols));
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) mask[static_cast<std::size_t>(i * cols + j)] = keep(j - i);
  }
  return where(Tensor::from_vector(mask, {rows, cols}, s.device()), s, zeros_like(s));
}

}  // namespace

Tensor slice(const Tensor& x, const std::vector<std::int64_t>& start_indices, const Shape& shape) {
  KERAS_SYMBOLIC_OP("slice", slice(in[0], start_indices, shape), x);
  detail::require_defined(x, "slice", "x");
  Tensor s = detail::strong(x);
  const auto nd = static_cast<std::size_t>(s.ndim());
  if (start_indices.size() != nd || shape.size() != nd) {
    throw ValueError("slice: `start_indices` (" + detail::join_ints(start_indices) + ") and `shape` " +
                     shape_str(shape) + " must both have one entry per axis of x with shape " +
                     shape_str(s.shape()));
  }
  const auto strides = contiguous_strides(s.shape());
  Shape out_shape(nd);
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < nd; ++i) {
    const std::int64_t start = start_indices[i];
    const std::int64_t size = shape[i] == -1 ? s.shape()[i] - start : shape[i];
    if (start < 0 || size < 0 || start + size > s.shape()[i]) {
      throw ValueError("slice: a block of shape " + shape_str(shape) + " starting at (" +
                       detail::join_ints(start_indices) + ") does not fit in x with shape " +
                       shape_str(s.shape()));
    }
    out_shape[i] = size;
    offset += start * strides[i];
  }
  if (out_shape == s.shape()) return s;
  return read_view("slice", s, out_shape, offset, strides);
}

Tensor strided_slice(const Tensor& x, const std::vector<std::int64_t>& begin,
                     const std::vector<std::int64_t>& end, const std::vector<std::int64_t>& strides) {
  KERAS_SYMBOLIC_OP("strided_slice", strided_slice(in[0], begin, end, strides), x);
  detail::require_defined(x, "strided_slice", "x");
  Tensor s = detail::strong(x);
  if (begin.size() != end.size() || (!strides.empty() && strides.size() != begin.size()) ||
      begin.size() > static_cast<std::size_t>(s.ndim())) {
    throw ValueError("strided_slice: `begin` (" + detail::join_ints(begin) + "), `end` (" +
                     detail::join_ints(end) + ") and `strides` (" + detail::join_ints(strides) +
                     ") must have equal lengths, at most the rank of x with shape " +
                     shape_str(s.shape()));
  }
  const auto own = contiguous_strides(s.shape());
  Shape out_shape = s.shape();
  std::vector<std::int64_t> view_strides = own;
  std::int64_t offset = 0;
  bool whole = true;
  for (std::size_t i = 0; i < begin.size(); ++i) {
    const std::int64_t step = strides.empty() ? 1 : strides[i];
    if (step == 0) throw ValueError("strided_slice: slice step cannot be zero (axis " + std::to_string(i) + ")");
    const auto [first, count] = slice_range(begin[i], end[i], step, s.shape()[i]);
    out_shape[i] = count;
    view_strides[i] = own[i] * step;
    if (count > 0) offset += first * own[i];
    whole = whole && step == 1 && first == 0 && count == s.shape()[i];
  }
  if (whole) return s;
  return read_view("strided_slice", s, out_shape, offset, view_strides);
}

Tensor flip(const Tensor& x, Axes axis) {
  KERAS_SYMBOLIC_OP("flip", flip(in[0], axis), x);
  detail::require_defined(x, "flip", "x");
  Tensor s = detail::strong(x);
  auto strides = contiguous_strides(s.shape());
  std::int64_t offset = 0;
  for (int a : axis.normalized(s.ndim())) {
    const auto i = static_cast<std::size_t>(a);
    if (s.shape()[i] > 1) offset += (s.shape()[i] - 1) * strides[i];
    strides[i] = -strides[i];
  }
  return read_view("flip", s, s.shape(), offset, strides);
}

Tensor pad(const Tensor& x, const std::vector<std::pair<std::int64_t, std::int64_t>>& pad_width,
           const std::string& mode, double constant_value) {
  KERAS_SYMBOLIC_OP("pad", pad(in[0], pad_width, mode, constant_value), x);
  detail::require_defined(x, "pad", "x");
  Tensor s = detail::strong(x);
  const auto nd = static_cast<std::size_t>(s.ndim());
  // numpy broadcasts a single (before, after) pair to every axis.
  auto widths = pad_width.size() == 1 ? std::vector(nd, pad_width[0]) : pad_width;
  if (widths.size() != nd) {
    throw ValueError("`pad_width` must have the same length as `x.shape`. Received: pad_width=" +
                     pairs_str(pad_width) + " (of length " + std::to_string(pad_width.size()) +
                     ") and x.shape=" + shape_str(s.shape()) + " (of length " + std::to_string(nd) + ")");
  }
  for (const auto& [before, after] : widths) {
    if (before < 0 || after < 0) {
      throw ValueError("pad: `pad_width` must be non-negative, got " + pairs_str(pad_width));
    }
  }
  if (mode == "reflect" || mode == "symmetric" || mode == "edge" || mode == "wrap") {
    return pad_by_index(s, widths, mode);
  }
  if (mode != "constant") {
    throw ValueError("pad: unsupported mode '" + mode +
                     "'; expected 'constant', 'reflect', 'symmetric', 'edge' or 'wrap'");
  }
  Shape out_shape = s.shape();
  for (std::size_t i = 0; i < nd; ++i) out_shape[i] += widths[i].first + widths[i].second;
  if (out_shape == s.shape()) return s;
  const auto strides = contiguous_strides(out_shape);
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < nd; ++i) offset += widths[i].first * strides[i];
  return write_view("pad", s, out_shape, offset, strides, constant_value);
}

Tensor tril(const Tensor& x, std::int64_t k) {
  KERAS_SYMBOLIC_OP("tril", tril(in[0], k), x);
  return band("tril", x, [k](std::int64_t diagonal) { return diagonal <= k; });
}

Tensor triu(const Tensor& x, std::int64_t k) {
  KERAS_SYMBOLIC_OP("triu", triu(in[0], k), x);
  return band("triu", x, [k](std::int64_t diagonal) { return diagonal >= k; });
}

}  // namespace keras::ops
