#pragma once
// The scalar functions behind the elementwise kernels, one specialisation per op and
// element type, chosen at compile time so every loop body is branch-free and vectorises.
// Fused kernels (matmul + bias + activation, ...) reuse them.
//
// Integer arithmetic wraps around (two's complement) like numpy's, instead of being
// undefined behaviour; integer division and remainder by zero give 0 (numpy also gives
// 0, with a warning) rather than a SIGFPE.
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "kernels/backend.hpp"
#include "kernels/cpu/vmath.hpp"

namespace keras::kernels::cpu {

// a + b, a - b, a * b; for integers through the unsigned type, so overflow wraps.
template <class T>
T wrap_add(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return a + b;
  }
}
template <class T>
T wrap_sub(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
  } else {
    return a - b;
  }
}
template <class T>
T wrap_mul(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
  } else {
    return a * b;
  }
}

// Whether op has a kernel for element type T (the ops cast integers to float before
// floating functions such as exp, so those exist only for float types).
template <UnaryOp Op, class T>
constexpr bool unary_supported() {
  if constexpr (std::is_floating_point_v<T>) return true;
  if constexpr (std::is_same_v<T, bool>) {
    return Op == UnaryOp::logical_not || Op == UnaryOp::abs || Op == UnaryOp::square ||
           Op == UnaryOp::relu || Op == UnaryOp::round || Op == UnaryOp::floor ||
           Op == UnaryOp::ceil;
  }
  return Op == UnaryOp::negative || Op == UnaryOp::abs || Op == UnaryOp::sign ||
         Op == UnaryOp::square || Op == UnaryOp::relu || Op == UnaryOp::round ||
         Op == UnaryOp::floor || Op == UnaryOp::ceil || Op == UnaryOp::logical_not;
}

template <UnaryOp Op, class T>
struct UnaryFn {
  T alpha;  // leaky_relu's slope, elu's alpha

  [[gnu::always_inline]] T operator()(T x) const {
    if constexpr (std::is_same_v<T, bool>) {
      // abs, square, relu and the roundings are the identity on {0, 1}.
      return Op == UnaryOp::logical_not ? !x : x;
    } else if constexpr (std::is_integral_v<T>) {
      if constexpr (Op == UnaryOp::negative) return wrap_sub(T{0}, x);
      if constexpr (Op == UnaryOp::abs) return x < 0 ? wrap_sub(T{0}, x) : x;
      if constexpr (Op == UnaryOp::sign) return static_cast<T>((x > 0) - (x < 0));
      if constexpr (Op == UnaryOp::square) return wrap_mul(x, x);
      if constexpr (Op == UnaryOp::relu) return x > 0 ? x : T{0};
      if constexpr (Op == UnaryOp::logical_not) return static_cast<T>(x == 0);
      return x;  // round, floor, ceil
    } else {
      if constexpr (Op == UnaryOp::negative) return -x;
      if constexpr (Op == UnaryOp::abs) return std::abs(x);
      // NaN stays NaN, as numpy's sign.
      if constexpr (Op == UnaryOp::sign) return x > 0 ? T{1} : (x < 0 ? T{-1} : x);
      if constexpr (Op == UnaryOp::square) return x * x;
      if constexpr (Op == UnaryOp::sqrt) return std::sqrt(x);
      if constexpr (Op == UnaryOp::rsqrt) return T{1} / std::sqrt(x);
      if constexpr (Op == UnaryOp::reciprocal) return T{1} / x;
      if constexpr (Op == UnaryOp::exp) return vmath::exp(x);
      if constexpr (Op == UnaryOp::expm1) return vmath::expm1(x);
      if constexpr (Op == UnaryOp::log) return vmath::log(x);
      if constexpr (Op == UnaryOp::log1p) return vmath::log1p(x);
      if constexpr (Op == UnaryOp::sin) return std::sin(x);
      if constexpr (Op == UnaryOp::cos) return std::cos(x);
      if constexpr (Op == UnaryOp::tan) return std::tan(x);
      if constexpr (Op == UnaryOp::tanh) return vmath::tanh(x);
      if constexpr (Op == UnaryOp::sigmoid) return vmath::sigmoid(x);
      // Written as a select so NaN passes through (max(NaN, 0) would drop it).
      if constexpr (Op == UnaryOp::relu) return x < 0 ? T{0} : x;
      if constexpr (Op == UnaryOp::softplus) return vmath::softplus(x);
      if constexpr (Op == UnaryOp::erf) return vmath::erf(x);
      if constexpr (Op == UnaryOp::floor) return std::floor(x);
      if constexpr (Op == UnaryOp::ceil) return std::ceil(x);
      // Half to even in the default rounding mode, as numpy.round.
      if constexpr (Op == UnaryOp::round) return std::nearbyint(x);
      if constexpr (Op == UnaryOp::logical_not) return static_cast<T>(x == 0);
      if constexpr (Op == UnaryOp::leaky_relu) return x > 0 ? x : alpha * x;
      if constexpr (Op == UnaryOp::elu) return x > 0 ? x : alpha * vmath::expm1(x);
      return x;
    }
  }
};

// Python's floor division and remainder (the result takes the divisor's sign), which
// numpy, JAX and Keras follow.
template <class T>
T python_floor_divide(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    // CPython's float_floor_div: floor((a - fmod(a, b)) / b), so 1 // 0.1 is 9 as in numpy.
    if (b == 0) return a / b;
    const T r = std::fmod(a, b);
    T q = (a - r) / b;
    if (r != 0 && ((b < 0) != (r < 0))) q -= T{1};
    if (q == 0) return std::copysign(T{0}, a / b);
    const T fq = std::floor(q);
    return q - fq > T{0.5} ? fq + T{1} : fq;
  } else {
    if (b == 0) return T{0};
    if (b == -1) return wrap_sub(T{0}, a);  // INT_MIN / -1 would trap
    const T q = static_cast<T>(a / b);
    return (a % b != 0 && ((a < 0) != (b < 0))) ? static_cast<T>(q - 1) : q;
  }
}

template <class T>
T python_mod(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    T r = std::fmod(a, b);  // NaN for b == 0, as numpy
    if (r == 0) return std::copysign(T{0}, b);
    return (r < 0) != (b < 0) ? r + b : r;
  } else {
    if (b == 0 || b == -1) return T{0};
    const T r = static_cast<T>(a % b);
    return (r != 0 && ((r < 0) != (b < 0))) ? static_cast<T>(r + b) : r;
  }
}

// Integer power by squaring: exact over the whole range (a double pow is not beyond
// 2^53). Negative exponents give 1 / a^-b truncated, as JAX: 0 unless |a| = 1.
template <class T>
T int_power(T a, T b) {
  if (b < 0) {
    if (a == 1) return T{1};
    if (a == -1) return (b & 1) ? T{-1} : T{1};
    return T{0};
  }
  T result = 1;
  while (b > 0) {
    if (b & 1) result = wrap_mul(result, a);
    a = wrap_mul(a, a);
    b = static_cast<T>(b >> 1);
  }
  return result;
}

template <BinaryOp Op>
constexpr bool is_comparison_op() {
  return Op == BinaryOp::equal || Op == BinaryOp::not_equal || Op == BinaryOp::less ||
         Op == BinaryOp::less_equal || Op == BinaryOp::greater || Op == BinaryOp::greater_equal ||
         Op == BinaryOp::logical_and || Op == BinaryOp::logical_or || Op == BinaryOp::logical_xor;
}

template <BinaryOp Op, class T>
struct BinaryFn {
  using Result = std::conditional_t<is_comparison_op<Op>(), bool, T>;

  [[gnu::always_inline]] Result operator()(T a, T b) const {
    if constexpr (std::is_same_v<T, bool>) {
      // bool arithmetic: add is or, multiply is and (numpy); the rest act on 0 / 1.
      if constexpr (Op == BinaryOp::add || Op == BinaryOp::maximum || Op == BinaryOp::logical_or) {
        return a || b;
      }
      if constexpr (Op == BinaryOp::multiply || Op == BinaryOp::minimum ||
                    Op == BinaryOp::logical_and) {
        return a && b;
      }
      if constexpr (Op == BinaryOp::subtract || Op == BinaryOp::not_equal ||
                    Op == BinaryOp::logical_xor) {
        return a != b;
      }
      if constexpr (Op == BinaryOp::divide || Op == BinaryOp::floor_divide) return a && b;
      if constexpr (Op == BinaryOp::power) return a || !b;
      if constexpr (Op == BinaryOp::mod) return false;
      if constexpr (Op == BinaryOp::equal) return a == b;
      if constexpr (Op == BinaryOp::less) return !a && b;
      if constexpr (Op == BinaryOp::less_equal) return !a || b;
      if constexpr (Op == BinaryOp::greater) return a && !b;
      if constexpr (Op == BinaryOp::greater_equal) return a || !b;
    } else {
      if constexpr (Op == BinaryOp::add) return wrap_add(a, b);
      if constexpr (Op == BinaryOp::subtract) return wrap_sub(a, b);
      if constexpr (Op == BinaryOp::multiply) return wrap_mul(a, b);
      if constexpr (Op == BinaryOp::divide) {
        // The ops send integer division through floats; integers here divide as Python's
        // // rather than trap on a zero divisor.
        if constexpr (std::is_integral_v<T>) {
          return python_floor_divide(a, b);
        } else {
          return a / b;
        }
      }
      if constexpr (Op == BinaryOp::power) {
        if constexpr (std::is_integral_v<T>) {
          return int_power(a, b);
        } else {
          return std::pow(a, b);
        }
      }
      // NaN in either input gives NaN, as numpy.minimum / maximum.
      if constexpr (Op == BinaryOp::minimum) return (a < b || a != a) ? a : b;
      if constexpr (Op == BinaryOp::maximum) return (a > b || a != a) ? a : b;
      if constexpr (Op == BinaryOp::floor_divide) return python_floor_divide(a, b);
      if constexpr (Op == BinaryOp::mod) return python_mod(a, b);
      if constexpr (Op == BinaryOp::equal) return a == b;
      if constexpr (Op == BinaryOp::not_equal) return a != b;
      if constexpr (Op == BinaryOp::less) return a < b;
      if constexpr (Op == BinaryOp::less_equal) return a <= b;
      if constexpr (Op == BinaryOp::greater) return a > b;
      if constexpr (Op == BinaryOp::greater_equal) return a >= b;
      if constexpr (Op == BinaryOp::logical_and) return a != 0 && b != 0;
      if constexpr (Op == BinaryOp::logical_or) return a != 0 || b != 0;
      if constexpr (Op == BinaryOp::logical_xor) return (a != 0) != (b != 0);
    }
  }
};

}  // namespace keras::kernels::cpu
