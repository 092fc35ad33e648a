// Elementwise CPU kernels: fill, arange, cast, strided copy, unary and broadcasting
// binary maps, where. The inner loops are written for the compiler to vectorise.
#include <cmath>
#include <cstring>

#include "kernels/cpu/cpu_backend.hpp"
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

// Runs f(i) for i in [0, n), in parallel above the threshold.
template <class F>
void parallel_for(std::int64_t n, F&& f) {
#pragma omp parallel for simd if (n >= kParallelThreshold) schedule(static)
  for (std::int64_t i = 0; i < n; ++i) f(i);
}

// ---- unary -------------------------------------------------------------------------

template <class T>
struct UnaryFn {
  UnaryOp op;
  T alpha;

  T operator()(T x) const {
    if constexpr (std::is_same_v<T, bool>) {
      return op == UnaryOp::logical_not ? !x : x;
    } else if constexpr (std::is_integral_v<T>) {
      switch (op) {
        case UnaryOp::negative: return static_cast<T>(-x);
        case UnaryOp::abs: return x < 0 ? static_cast<T>(-x) : x;
        case UnaryOp::sign: return static_cast<T>((x > 0) - (x < 0));
        case UnaryOp::square: return static_cast<T>(x * x);
        case UnaryOp::relu: return x > 0 ? x : T{0};
        default: return x;
      }
    } else {
      switch (op) {
        case UnaryOp::negative: return -x;
        case UnaryOp::abs: return std::abs(x);
        case UnaryOp::sign: return static_cast<T>((x > 0) - (x < 0));
        case UnaryOp::square: return x * x;
        case UnaryOp::sqrt: return std::sqrt(x);
        case UnaryOp::rsqrt: return T{1} / std::sqrt(x);
        case UnaryOp::reciprocal: return T{1} / x;
        case UnaryOp::exp: return std::exp(x);
        case UnaryOp::expm1: return std::expm1(x);
        case UnaryOp::log: return std::log(x);
        case UnaryOp::log1p: return std::log1p(x);
        case UnaryOp::sin: return std::sin(x);
        case UnaryOp::cos: return std::cos(x);
        case UnaryOp::tan: return std::tan(x);
        case UnaryOp::tanh: return std::tanh(x);
        case UnaryOp::sigmoid: return T{1} / (T{1} + std::exp(-x));
        case UnaryOp::relu: return x > 0 ? x : T{0};
        case UnaryOp::softplus: return std::max(x, T{0}) + std::log1p(std::exp(-std::abs(x)));
        case UnaryOp::erf: return std::erf(x);
        case UnaryOp::floor: return std::floor(x);
        case UnaryOp::ceil: return std::ceil(x);
        case UnaryOp::round: return std::nearbyint(x);
        case UnaryOp::leaky_relu: return x > 0 ? x : alpha * x;
        case UnaryOp::elu: return x > 0 ? x : alpha * std::expm1(x);
        default: return x;
      }
    }
  }
};

// A unary op specialised at compile time, so each loop body is branch-free.
template <UnaryOp Op, class T>
void unary_loop(const T* in, T* out, std::int64_t n, T alpha) {
  const UnaryFn<T> f{Op, alpha};
  parallel_for(n, [&](std::int64_t i) { out[i] = f(in[i]); });
}

template <class T>
void unary_typed(UnaryOp op, const T* in, T* out, std::int64_t n, T alpha) {
  switch (op) {
#define KERAS_UNARY_CASE(name) \
  case UnaryOp::name: unary_loop<UnaryOp::name, T>(in, out, n, alpha); return;
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
    default: break;
  }
  throw ValueError("unsupported unary kernel");
}

template <class T>
void predicate(UnaryOp op, const T* in, bool* out, std::int64_t n) {
  if constexpr (std::is_floating_point_v<T>) {
    if (op == UnaryOp::isnan) {
      parallel_for(n, [&](std::int64_t i) { out[i] = std::isnan(in[i]); });
    } else {
      parallel_for(n, [&](std::int64_t i) { out[i] = std::isfinite(in[i]); });
    }
  } else {
    const bool value = op == UnaryOp::isfinite;
    parallel_for(n, [&](std::int64_t i) { out[i] = value; (void)in; });
  }
}

// ---- binary ------------------------------------------------------------------------

template <BinaryOp Op, class T>
struct BinaryFn {
  auto operator()(T a, T b) const {
    if constexpr (Op == BinaryOp::add) return static_cast<T>(a + b);
    if constexpr (Op == BinaryOp::subtract) return static_cast<T>(a - b);
    if constexpr (Op == BinaryOp::multiply) return static_cast<T>(a * b);
    if constexpr (Op == BinaryOp::divide) return static_cast<T>(a / b);
    if constexpr (Op == BinaryOp::power) {
      if constexpr (std::is_integral_v<T>) {
        return static_cast<T>(std::pow(static_cast<double>(a), static_cast<double>(b)));
      } else {
        return static_cast<T>(std::pow(a, b));
      }
    }
    if constexpr (Op == BinaryOp::minimum) return a < b ? a : b;
    if constexpr (Op == BinaryOp::maximum) return a > b ? a : b;
    if constexpr (Op == BinaryOp::floor_divide) {
      if constexpr (std::is_floating_point_v<T>) {
        return std::floor(a / b);
      } else if constexpr (std::is_same_v<T, bool>) {
        return a;
      } else {
        if (b == 0) return T{0};
        T q = a / b;
        return static_cast<T>((a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q);
      }
    }
    if constexpr (Op == BinaryOp::mod) {
      // Python's convention: the result takes the divisor's sign.
      if constexpr (std::is_floating_point_v<T>) {
        T r = std::fmod(a, b);
        return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
      } else if constexpr (std::is_same_v<T, bool>) {
        return false;
      } else {
        if (b == 0) return T{0};
        T r = static_cast<T>(a % b);
        return static_cast<T>((r != 0 && ((r < 0) != (b < 0))) ? r + b : r);
      }
    }
    if constexpr (Op == BinaryOp::equal) return a == b;
    if constexpr (Op == BinaryOp::not_equal) return a != b;
    if constexpr (Op == BinaryOp::less) return a < b;
    if constexpr (Op == BinaryOp::less_equal) return a <= b;
    if constexpr (Op == BinaryOp::greater) return a > b;
    if constexpr (Op == BinaryOp::greater_equal) return a >= b;
    if constexpr (Op == BinaryOp::logical_and) return static_cast<bool>(a) && static_cast<bool>(b);
    if constexpr (Op == BinaryOp::logical_or) return static_cast<bool>(a) || static_cast<bool>(b);
    if constexpr (Op == BinaryOp::logical_xor) return static_cast<bool>(a) != static_cast<bool>(b);
  }
};

template <BinaryOp Op, class T>
void binary_loop(const Tensor& a, const Tensor& b, Tensor& out) {
  using R = decltype(BinaryFn<Op, T>{}(T{}, T{}));
  const T* pa = ptr<T>(a);
  const T* pb = ptr<T>(b);
  R* po = static_cast<R*>(out.raw_data());
  const BinaryFn<Op, T> f;
  const Iteration it = collapse(out.shape(), {broadcast_strides(a.shape(), out.shape()),
                                              broadcast_strides(b.shape(), out.shape()),
                                              contiguous_strides(out.shape())});
  const std::size_t last = it.shape.size() - 1;
  const std::int64_t sa = it.strides[0][last];
  const std::int64_t sb = it.strides[1][last];
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
#define KERAS_BINARY_CASE(name) \
  case BinaryOp::name: binary_loop<BinaryOp::name, T>(a, b, out); return;
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
}

}  // namespace

void CpuBackend::fill(Tensor& out, double value) {
  dispatch(out.dtype(), [&](auto zero) {
    using T = decltype(zero);
    T* p = ptr<T>(out);
    const T v = static_cast<T>(value);
    parallel_for(out.size(), [&](std::int64_t i) { p[i] = v; });
  });
}

void CpuBackend::arange(double start, double step, Tensor& out) {
  dispatch(out.dtype(), [&](auto zero) {
    using T = decltype(zero);
    T* p = ptr<T>(out);
    parallel_for(out.size(),
                 [&](std::int64_t i) { p[i] = static_cast<T>(start + static_cast<double>(i) * step); });
  });
}

void CpuBackend::cast(const Tensor& in, Tensor& out) {
  dispatch(in.dtype(), [&](auto zin) {
    using In = decltype(zin);
    dispatch(out.dtype(), [&](auto zout) {
      using Out = decltype(zout);
      const In* src = ptr<In>(in);
      Out* dst = ptr<Out>(out);
      parallel_for(in.size(), [&](std::int64_t i) {
        if constexpr (std::is_same_v<Out, bool>) {
          dst[i] = src[i] != In{0};
        } else {
          dst[i] = static_cast<Out>(src[i]);
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
    const bool* pc = ptr<bool>(condition);
    const T* pa = ptr<T>(a);
    const T* pb = ptr<T>(b);
    T* po = ptr<T>(out);
    const Iteration it = collapse(out.shape(), {broadcast_strides(condition.shape(), out.shape()),
                                                broadcast_strides(a.shape(), out.shape()),
                                                broadcast_strides(b.shape(), out.shape()),
                                                contiguous_strides(out.shape())});
    const std::size_t last = it.shape.size() - 1;
    const std::int64_t sc = it.strides[0][last];
    const std::int64_t sa = it.strides[1][last];
    const std::int64_t sb = it.strides[2][last];
    for_each_run(it, [&](const std::int64_t* off, std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) {
        po[off[3] + i] = pc[off[0] + i * sc] ? pa[off[1] + i * sa] : pb[off[2] + i * sb];
      }
    });
  });
}

}  // namespace keras::kernels::cpu
