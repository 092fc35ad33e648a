// Elementwise CPU kernels: fill, arange, cast, strided copy, unary and broadcasting
// binary maps, where. The inner loops are written for the compiler to vectorise.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "kernels/cpu/cpu_backend.hpp"
#include "kernels/cpu/elementwise_fns.hpp"
#include "kernels/cpu/loops.hpp"

namespace keras::kernels::cpu {

namespace {

template <class T>
T* ptr(Tensor& t) {
  return static_cast<T*>(t.raw_data());
}
template <class T>
const T* ptr(const Tensor& t) {
  return static_cast<const T*>(t.raw_data());
}

// Calls body(begin, end) on contiguous chunks covering [0, n): one chunk per thread above
// the parallel threshold, else one. Chunks start on multiples of 16 elements so no two
// threads write the same cache line.
template <class Body>
void parallel_chunks(std::int64_t n, Body&& body) {
  if (n < kParallelThreshold || omp_get_max_threads() == 1) {
    if (n > 0) body(std::int64_t{0}, n);
    return;
  }
#pragma omp parallel
  {
    const std::int64_t threads = omp_get_num_threads();
    const std::int64_t per = ((n + threads - 1) / threads + 15) / 16 * 16;
    const std::int64_t begin = std::min(n, omp_get_thread_num() * per);
    const std::int64_t end = std::min(n, begin + per);
    if (begin < end) body(begin, end);
  }
}

// out[i] = f(in[i]) over one chunk. The pointers are plain locals here (not captured by
// reference, which makes GCC reload them every iteration and give up vectorising).
// bool inputs are read as bytes (GCC vectorises `byte != 0`, not a loaded `bool`).
template <class In, class Out, class F>
void map_run(const In* in, Out* out, std::int64_t n, F f) {
  if constexpr (std::is_same_v<In, bool>) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(in);
#pragma omp simd
    for (std::int64_t i = 0; i < n; ++i) out[i] = f(bytes[i] != 0);
  } else {
#pragma omp simd
    for (std::int64_t i = 0; i < n; ++i) out[i] = f(in[i]);
  }
}

template <class In, class Out, class F>
void map(const In* in, Out* out, std::int64_t n, F f) {
  parallel_chunks(n, [=](std::int64_t begin, std::int64_t end) {
    map_run(in + begin, out + begin, end - begin, f);
  });
}

template <class T>
void fill_run(T* out, std::int64_t n, T value) {
#pragma omp simd
  for (std::int64_t i = 0; i < n; ++i) out[i] = value;
}

// ---- unary -------------------------------------------------------------------------

template <UnaryOp Op, class T>
void unary_loop(const T* in, T* out, std::int64_t n, T alpha) {
  if constexpr (unary_supported<Op, T>()) {
    map(in, out, n, UnaryFn<Op, T>{alpha});
  } else {
    throw ValueError("unary kernel has no " + std::string(dtype_name(dtype_of<T>())) + " version");
  }
}

template <class T>
void unary_typed(UnaryOp op, const T* in, T* out, std::int64_t n, T alpha) {
  switch (op) {
#define KERAS_UNARY_CASE(name)                       \
  case UnaryOp::name:                                \
    unary_loop<UnaryOp::name, T>(in, out, n, alpha); \
    return;
    KERAS_UNARY_CASE(negative)
    KERAS_UNARY_CASE(abs)
    KERAS_UNARY_CASE(sign)
    KERAS_UNARY_CASE(square)
    KERAS_UNARY_CASE(sqrt)
    KERAS_UNARY_CASE(rsqrt)
    KERAS_UNARY_CASE(reciprocal)
    KERAS_UNARY_CASE(exp)
    KERAS_UNARY_CASE(expm1)
    KERAS_UNARY_CASE(log)
    KERAS_UNARY_CASE(log1p)
    KERAS_UNARY_CASE(sin)
    KERAS_UNARY_CASE(cos)
    KERAS_UNARY_CASE(tan)
    KERAS_UNARY_CASE(tanh)
    KERAS_UNARY_CASE(sigmoid)
    KERAS_UNARY_CASE(relu)
    KERAS_UNARY_CASE(softplus)
    KERAS_UNARY_CASE(erf)
    KERAS_UNARY_CASE(floor)
    KERAS_UNARY_CASE(ceil)
    KERAS_UNARY_CASE(round)
    KERAS_UNARY_CASE(logical_not)
    KERAS_UNARY_CASE(leaky_relu)
    KERAS_UNARY_CASE(elu)
#undef KERAS_UNARY_CASE
    case UnaryOp::isnan:
    case UnaryOp::isfinite:
      break;  // predicates: see predicate()
  }
  throw ValueError("unsupported unary kernel");
}

template <class T>
void predicate(UnaryOp op, const T* in, bool* out, std::int64_t n) {
  if constexpr (std::is_floating_point_v<T>) {
    if (op == UnaryOp::isnan) {
      map(in, out, n, [](T x) { return x != x; });
    } else {
      // |x| <= max is false for inf and NaN; unlike std::isfinite it vectorises.
      map(in, out, n, [](T x) { return std::abs(x) <= std::numeric_limits<T>::max(); });
    }
  } else {
    const bool value = op == UnaryOp::isfinite;
    parallel_chunks(n, [=](std::int64_t begin, std::int64_t end) {
      fill_run(out + begin, end - begin, value);
    });
  }
}

// ---- binary ------------------------------------------------------------------------

template <BinaryOp Op, class T>
void binary_loop(const Tensor& a, const Tensor& b, Tensor& out) {
  using R = typename BinaryFn<Op, T>::Result;
  const T* pa = ptr<T>(a);
  const T* pb = ptr<T>(b);
  R* po = static_cast<R*>(out.raw_data());
  const BinaryFn<Op, T> f;
  const Iteration it = collapse(
      out.shape(), {broadcast_strides(a.shape(), out.shape()),
                    broadcast_strides(b.shape(), out.shape()), contiguous_strides(out.shape())});
  const std::size_t last = it.shape.size() - 1;
  const std::int64_t sa = it.strides[0][last];
  const std::int64_t sb = it.strides[1][last];
  // Runs are contiguous or broadcast (stride 0) in each input for every numpy
  // broadcast; the strided loop only serves strides the collapse could not merge.
  for_each_run(it, [&](const std::int64_t* off, std::int64_t n) {
    const T* x = pa + off[0];
    const T* y = pb + off[1];
    R* z = po + off[2];
    if (sa == 1 && sb == 1) {
#pragma omp simd
      for (std::int64_t i = 0; i < n; ++i) z[i] = f(x[i], y[i]);
    } else if (sa == 1 && sb == 0) {
      const T yv = *y;
#pragma omp simd
      for (std::int64_t i = 0; i < n; ++i) z[i] = f(x[i], yv);
    } else if (sa == 0 && sb == 1) {
      const T xv = *x;
#pragma omp simd
      for (std::int64_t i = 0; i < n; ++i) z[i] = f(xv, y[i]);
    } else {
      for (std::int64_t i = 0; i < n; ++i) z[i] = f(x[i * sa], y[i * sb]);
    }
  });
}

template <class T>
void binary_typed(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  switch (op) {
#define KERAS_BINARY_CASE(name)                \
  case BinaryOp::name:                         \
    binary_loop<BinaryOp::name, T>(a, b, out); \
    return;
    KERAS_BINARY_CASE(add)
    KERAS_BINARY_CASE(subtract)
    KERAS_BINARY_CASE(multiply)
    KERAS_BINARY_CASE(divide)
    KERAS_BINARY_CASE(power)
    KERAS_BINARY_CASE(minimum)
    KERAS_BINARY_CASE(maximum)
    KERAS_BINARY_CASE(floor_divide)
    KERAS_BINARY_CASE(mod)
    KERAS_BINARY_CASE(equal)
    KERAS_BINARY_CASE(not_equal)
    KERAS_BINARY_CASE(less)
    KERAS_BINARY_CASE(less_equal)
    KERAS_BINARY_CASE(greater)
    KERAS_BINARY_CASE(greater_equal)
    KERAS_BINARY_CASE(logical_and)
    KERAS_BINARY_CASE(logical_or)
    KERAS_BINARY_CASE(logical_xor)
#undef KERAS_BINARY_CASE
  }
  throw ValueError("unsupported binary kernel");
}

// ---- where -------------------------------------------------------------------------

// One run of where(). The condition is read as bytes: GCC does not vectorise a select on
// a loaded `bool` (it emits a mispredicting branch per element), but does on `c != 0`.
// Contiguous or broadcast operands get vectorised loops (the gradient pattern
// where(mask, g, 0) is contiguous / contiguous / scalar).
template <class T>
void where_run(const std::uint8_t* c, const T* a, const T* b, T* out, std::int64_t n,
               std::int64_t sc, std::int64_t sa, std::int64_t sb) {
  if (sc == 1 && sa == 1 && sb == 1) {
#pragma omp simd
    for (std::int64_t i = 0; i < n; ++i) out[i] = c[i] != 0 ? a[i] : b[i];
  } else if (sc == 1 && sa == 1 && sb == 0) {
    const T bv = *b;
#pragma omp simd
    for (std::int64_t i = 0; i < n; ++i) out[i] = c[i] != 0 ? a[i] : bv;
  } else if (sc == 1 && sa == 0 && sb == 1) {
    const T av = *a;
#pragma omp simd
    for (std::int64_t i = 0; i < n; ++i) out[i] = c[i] != 0 ? av : b[i];
  } else if (sc == 0) {
    const T* src = *c != 0 ? a : b;
    const std::int64_t s = *c != 0 ? sa : sb;
    for (std::int64_t i = 0; i < n; ++i) out[i] = src[i * s];
  } else {
    for (std::int64_t i = 0; i < n; ++i) out[i] = c[i * sc] != 0 ? a[i * sa] : b[i * sb];
  }
}

}  // namespace

void CpuBackend::fill(Tensor& out, double value) {
  dispatch(out.dtype(), [&](auto zero) {
    using T = decltype(zero);
    T* p = ptr<T>(out);
    const T v = static_cast<T>(value);
    parallel_chunks(out.size(), [=](std::int64_t begin, std::int64_t end) {
      fill_run(p + begin, end - begin, v);
    });
  });
}

void CpuBackend::arange(double start, double step, Tensor& out) {
  dispatch(out.dtype(), [&](auto zero) {
    using T = decltype(zero);
    T* p = ptr<T>(out);
    parallel_chunks(out.size(), [=](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) {
        p[i] = static_cast<T>(start + static_cast<double>(i) * step);
      }
    });
  });
}

void CpuBackend::cast(const Tensor& in, Tensor& out) {
  dispatch(in.dtype(), [&](auto zin) {
    using In = decltype(zin);
    dispatch(out.dtype(), [&](auto zout) {
      using Out = decltype(zout);
      const In* src = ptr<In>(in);
      Out* dst = ptr<Out>(out);
      map(src, dst, in.size(), [](In x) {
        if constexpr (std::is_same_v<Out, bool>) {
          return x != In{0};
        } else if constexpr (std::is_same_v<In, bool>) {
          return x ? Out{1} : Out{0};  // a select vectorises; the bool conversion does not
        } else {
          return static_cast<Out>(x);
        }
      });
    });
  });
}

void CpuBackend::copy(const StridedView& src, const StridedView& dst) {
  dispatch(src.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T* s = static_cast<const T*>(src.data);
    T* d = static_cast<T*>(dst.data);
    const Iteration it = collapse(src.shape, {src.strides, dst.strides});
    const std::size_t last = it.shape.size() - 1;
    const std::int64_t ss = it.strides[0][last];
    const std::int64_t ds = it.strides[1][last];
    for_each_run(it, [&](const std::int64_t* off, std::int64_t n) {
      if (ss == 1 && ds == 1) {
        std::memcpy(static_cast<void*>(d + off[1]), static_cast<const void*>(s + off[0]),
                    static_cast<std::size_t>(n) * sizeof(T));
      } else {
        for (std::int64_t i = 0; i < n; ++i) d[off[1] + i * ds] = s[off[0] + i * ss];
      }
    });
  });
}

void CpuBackend::unary(UnaryOp op, const Tensor& in, Tensor& out, double alpha) {
  dispatch(in.dtype(), [&](auto zero) {
    using T = decltype(zero);
    if (op == UnaryOp::isnan || op == UnaryOp::isfinite) {
      predicate<T>(op, ptr<T>(in), ptr<bool>(out), in.size());
    } else {
      unary_typed<T>(op, ptr<T>(in), ptr<T>(out), in.size(), static_cast<T>(alpha));
    }
  });
}

void CpuBackend::binary(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  dispatch(a.dtype(), [&](auto zero) { binary_typed<decltype(zero)>(op, a, b, out); });
}

void CpuBackend::where(const Tensor& condition, const Tensor& a, const Tensor& b, Tensor& out) {
  dispatch(out.dtype(), [&](auto zero) {
    using T = decltype(zero);
    const auto* pc = static_cast<const std::uint8_t*>(condition.raw_data());
    const T* pa = ptr<T>(a);
    const T* pb = ptr<T>(b);
    T* po = ptr<T>(out);
    const Iteration it = collapse(
        out.shape(), {broadcast_strides(condition.shape(), out.shape()),
                      broadcast_strides(a.shape(), out.shape()),
                      broadcast_strides(b.shape(), out.shape()), contiguous_strides(out.shape())});
    const std::size_t last = it.shape.size() - 1;
    const std::int64_t sc = it.strides[0][last];
    const std::int64_t sa = it.strides[1][last];
    const std::int64_t sb = it.strides[2][last];
    for_each_run(it, [&](const std::int64_t* off, std::int64_t n) {
      where_run(pc + off[0], pa + off[1], pb + off[2], po + off[3], n, sc, sa, sb);
    });
  });
}

}  // namespace keras::kernels::cpu
