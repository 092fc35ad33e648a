// Gather and its adjoint, scatter-add, along one axis. The source is viewed as
// (outer, n, inner); each index selects a block of `inner` contiguous elements, so the
// common cases (embedding rows, batch selection) are block copies.
#include <algorithm>
#include <cstring>
#include <string>

#include <omp.h>

#include "kernels/cpu/cpu_backend.hpp"
#include "kernels/cpu/loops.hpp"

namespace keras::kernels::cpu {

namespace {

struct AxisView {
  std::int64_t outer = 1;
  std::int64_t n = 1;
  std::int64_t inner = 1;
};

AxisView axis_view(const Shape& shape, int axis) {
  AxisView v;
  for (int d = 0; d < axis; ++d) v.outer *= shape[static_cast<std::size_t>(d)];
  v.n = shape[static_cast<std::size_t>(axis)];
  for (std::size_t d = static_cast<std::size_t>(axis) + 1; d < shape.size(); ++d) v.inner *= shape[d];
  return v;
}

// Throws ValueError unless every index lies in [-n, n) (negative ones count from the end,
// as numpy's take). Checked before any work starts, so no exception leaves a parallel
// region and the output is never half written.
template <class I>
void check_indices(const I* idx, std::int64_t m, std::int64_t n) {
  for (std::int64_t j = 0; j < m; ++j) {
    const auto i = static_cast<std::int64_t>(idx[j]);
    if (i < -n || i >= n) {
      throw ValueError("index " + std::to_string(i) + " is out of bounds for size " + std::to_string(n));
    }
  }
}

template <class I>
std::int64_t wrap(I i, std::int64_t n) {
  const auto k = static_cast<std::int64_t>(i);
  return k < 0 ? k + n : k;
}

// Calls f(const I* indices) with I the index dtype's C++ type, after the bounds check.
template <class F>
void with_indices(const Tensor& indices, std::int64_t n, F&& f) {
  const std::int64_t m = indices.size();
  switch (indices.dtype()) {
    case DType::int32: {
      const auto* p = static_cast<const std::int32_t*>(indices.raw_data());
      check_indices(p, m, n);
      return f(p);
    }
    case DType::int64: {
      const auto* p = static_cast<const std::int64_t*>(indices.raw_data());
      check_indices(p, m, n);
      return f(p);
    }
    default:
      throw TypeError("gather: indices must be int32 or int64, got " +
                      std::string(dtype_name(indices.dtype())));
  }
}

template <class T>
void copy_block(const T* src, T* dst, std::int64_t count) {
  if (count >= 16) {
    std::memcpy(static_cast<void*>(dst), static_cast<const void*>(src),
                static_cast<std::size_t>(count) * sizeof(T));
  } else {
#pragma omp simd
    for (std::int64_t k = 0; k < count; ++k) dst[k] = src[k];
  }
}

template <class T>
void add_block(const T* src, T* dst, std::int64_t count) {
  if constexpr (std::is_same_v<T, bool>) {
    for (std::int64_t k = 0; k < count; ++k) dst[k] = dst[k] || src[k];
  } else {
#pragma omp simd
    for (std::int64_t k = 0; k < count; ++k) dst[k] += src[k];
  }
}

bool use_threads(std::int64_t work) { return work >= kParallelThreshold && omp_get_max_threads() > 1; }

template <class T, class I>
void gather_typed(const T* src, const AxisView& v, const I* idx, std::int64_t m, T* out) {
  const std::int64_t rows = v.outer * m;
  const std::int64_t inner = v.inner;
  const bool parallel = use_threads(rows * inner);
  if (inner == 1) {
    // Element gather: out[o, j] = src[o, idx[j]].
#pragma omp parallel for if (parallel) schedule(static)
    for (std::int64_t o = 0; o < v.outer; ++o) {
      const T* s = src + o * v.n;
      T* d = out + o * m;
      for (std::int64_t j = 0; j < m; ++j) d[j] = s[wrap(idx[j], v.n)];
    }
    return;
  }
  // Every (o, j) writes its own output block, so rows split freely across threads.
#pragma omp parallel for if (parallel) schedule(static)
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int64_t o = r / m;
    const std::int64_t j = r % m;
    copy_block(src + (o * v.n + wrap(idx[j], v.n)) * inner, out + r * inner, inner);
  }
}

// out[o, idx[j], :] += updates[o, j, :]. Repeated indices accumulate, so threads never split
// the index list (two could hit one row): they split outer rows, or inner columns, or
// the destination rows (each thread scans every index and keeps those in its range). Every
// element therefore sums its contributions in index order, as the serial loop does.
template <class T, class I>
void scatter_add_typed(const T* upd, const AxisView& v, const I* idx, std::int64_t m, T* out) {
  const std::int64_t inner = v.inner;
  const int threads = use_threads(v.outer * m * inner) ? omp_get_max_threads() : 1;
  auto rows = [&](std::int64_t o, std::int64_t col0, std::int64_t col1, std::int64_t lo, std::int64_t hi) {
    const T* u = upd + o * m * inner;
    T* d = out + o * v.n * inner;
    for (std::int64_t j = 0; j < m; ++j) {
      const std::int64_t i = wrap(idx[j], v.n);
      if (i < lo || i >= hi) continue;
      add_block(u + j * inner + col0, d + i * inner + col0, col1 - col0);
    }
  };
  if (threads == 1 || v.outer >= threads) {
#pragma omp parallel for if (threads > 1) schedule(static)
    for (std::int64_t o = 0; o < v.outer; ++o) rows(o, 0, inner, 0, v.n);
    return;
  }
  // Column chunks of at least 64 elements keep each thread's writes on its own cache lines.
  const std::int64_t col_chunks = std::min<std::int64_t>(threads, inner / 64);
  if (col_chunks > 1) {
    const std::int64_t step = (inner + col_chunks - 1) / col_chunks;
#pragma omp parallel for collapse(2) schedule(static)
    for (std::int64_t o = 0; o < v.outer; ++o) {
      for (std::int64_t c = 0; c < col_chunks; ++c) {
        rows(o, c * step, std::min(inner, (c + 1) * step), 0, v.n);
      }
    }
    return;
  }
  const std::int64_t step = (v.n + threads - 1) / threads;
#pragma omp parallel for collapse(2) schedule(static)
  for (std::int64_t o = 0; o < v.outer; ++o) {
    for (std::int64_t t = 0; t < threads; ++t) rows(o, 0, inner, t * step, (t + 1) * step);
  }
}

}  // namespace

void CpuBackend::gather(const Tensor& src, int axis, const Tensor& indices, Tensor& out) {
  const AxisView v = axis_view(src.shape(), axis);
  with_indices(indices, v.n, [&](const auto* idx) {
    dispatch(src.dtype(), [&](auto zero) {
      using T = decltype(zero);
      gather_typed(static_cast<const T*>(src.raw_data()), v, idx, indices.size(),
                   static_cast<T*>(out.raw_data()));
    });
  });
}

void CpuBackend::scatter_add(const Tensor& updates, int axis, const Tensor& indices, Tensor& out) {
  const AxisView v = axis_view(out.shape(), axis);
  with_indices(indices, v.n, [&](const auto* idx) {
    dispatch(out.dtype(), [&](auto zero) {
      using T = decltype(zero);
      scatter_add_typed(static_cast<const T*>(updates.raw_data()), v, idx, indices.size(),
                        static_cast<T*>(out.raw_data()));
    });
  });
}

}  // namespace keras::kernels::cpu
