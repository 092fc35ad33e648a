#pragma once
// The accumulators behind the reduction kernels, one specialisation per op and element
// type, and the vectorised building blocks: the reduction of one contiguous run, and the
// accumulation of rows into a vector of accumulators.
//
// Two levels: elements combine into an `Acc` within a block of at most kBlock terms, and
// blocks combine into a `Total`. For float32 sums Acc is float (fast: no conversion per
// element) and Total is double, so the error is that of a 256-term float sum plus one
// final rounding, whatever the length (a float32 sum of 1M elements stays within an ulp
// or two of the exact sum; numpy's pairwise sum is a few ulps off). Integer sums and
// products wrap around in uint64 like numpy's; float32 products run in double; max / min
// propagate NaN as numpy's do; any / all work on bool's bytes.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/backend.hpp"

namespace keras::kernels::cpu {

// Terms per block (see above): 16 SIMD lanes of 16 terms each.
inline constexpr std::int64_t kBlock = 256;

// For reducers whose blocks need no wider type: Total is Acc.
template <class Acc>
struct SameTotal {
  using Total = Acc;
  [[gnu::always_inline]] static Total widen(Acc a) { return a; }
};

template <ReduceOp Op, class T>
struct Reducer;

template <class T>
struct Reducer<ReduceOp::sum, T> {
  using Acc = std::conditional_t<std::is_floating_point_v<T>, T, std::uint64_t>;
  using Total = std::conditional_t<std::is_floating_point_v<T>, double, std::uint64_t>;
  static Acc identity() { return Acc{0}; }
  [[gnu::always_inline]] static Acc load(T x) {
    if constexpr (std::is_floating_point_v<T>) {
      return x;
    } else {
      return static_cast<std::uint64_t>(static_cast<std::int64_t>(x));
    }
  }
  [[gnu::always_inline]] static Acc combine(Acc a, Acc b) { return a + b; }
  [[gnu::always_inline]] static Total widen(Acc a) { return static_cast<Total>(a); }
  [[gnu::always_inline]] static Total combine_total(Total a, Total b) { return a + b; }
  static T store(Total a) {
    if constexpr (std::is_floating_point_v<T>) {
      return static_cast<T>(a);
    } else {
      return static_cast<T>(static_cast<std::int64_t>(a));  // modular, as numpy wraps
    }
  }
};

template <class T>
struct Reducer<ReduceOp::prod, T>
    : SameTotal<std::conditional_t<std::is_floating_point_v<T>, double, std::uint64_t>> {
  using Acc = std::conditional_t<std::is_floating_point_v<T>, double, std::uint64_t>;
  static Acc identity() { return Acc{1}; }
  [[gnu::always_inline]] static Acc load(T x) {
    return Reducer<ReduceOp::sum, T>::widen(Reducer<ReduceOp::sum, T>::load(x));
  }
  [[gnu::always_inline]] static Acc combine(Acc a, Acc b) { return a * b; }
  [[gnu::always_inline]] static Acc combine_total(Acc a, Acc b) { return a * b; }
  static T store(Acc a) { return Reducer<ReduceOp::sum, T>::store(a); }
};

// max / min: a NaN wins over every number and stays once it is in (numpy's rule). The
// select form vectorises to a compare and blend.
template <class T, bool Max>
struct Extreme : SameTotal<T> {
  using Acc = T;
  static Acc identity() {
    if constexpr (std::is_floating_point_v<T>) {
      return Max ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    } else {
      return Max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
    }
  }
  [[gnu::always_inline]] static Acc load(T x) { return x; }
  [[gnu::always_inline]] static Acc combine(Acc a, Acc b) {
    const bool better = Max ? b > a : b < a;
    if constexpr (std::is_floating_point_v<T>) {
      return (better || b != b) ? b : a;
    } else {
      return better ? b : a;
    }
  }
  [[gnu::always_inline]] static Acc combine_total(Acc a, Acc b) { return combine(a, b); }
  static T store(Acc a) { return a; }
};

template <class T>
struct Reducer<ReduceOp::max, T> : Extreme<T, true> {};
template <class T>
struct Reducer<ReduceOp::min, T> : Extreme<T, false> {};

// any / all on bool, read as bytes (0 or 1).
template <class T, bool Any>
struct Logical : SameTotal<std::uint8_t> {
  using Acc = std::uint8_t;
  static Acc identity() { return Any ? 0 : 1; }
  [[gnu::always_inline]] static Acc load(std::uint8_t x) { return x; }
  [[gnu::always_inline]] static Acc combine(Acc a, Acc b) { return Any ? (a | b) : (a & b); }
  [[gnu::always_inline]] static Acc combine_total(Acc a, Acc b) { return combine(a, b); }
  static std::uint8_t store(Acc a) { return a; }
};

template <class T>
struct Reducer<ReduceOp::any, T> : Logical<T, true> {};
template <class T>
struct Reducer<ReduceOp::all, T> : Logical<T, false> {};

// The element type a reduction reads: bool as its bytes.
template <class T>
using Elem = std::conditional_t<std::is_same_v<T, bool>, std::uint8_t, T>;

// lanes[l] = combine(lanes[l], lanes[l + W]) for l < W.
template <class R, int W>
[[gnu::always_inline]] inline void fold_half(typename R::Acc* lanes) {
#pragma omp simd
  for (int l = 0; l < W; ++l) lanes[l] = R::combine(lanes[l], lanes[l + W]);
}

// Reduces one block of n <= kBlock contiguous elements. kLanes independent accumulators
// are one or two SIMD registers wide: the fixed-length lane loop vectorises, and for sums
// it also shortens each accumulator's chain of additions (more accurate, and not
// latency-bound).
template <class R, class E>
typename R::Acc reduce_block(const E* p, std::int64_t n) {
  using Acc = typename R::Acc;
  constexpr int kLanes = 16;
  if (n < 2 * kLanes) {  // short runs: folding the lanes would cost more than it saves
    Acc a = R::identity();
    for (std::int64_t i = 0; i < n; ++i) a = R::combine(a, R::load(p[i]));
    return a;
  }
  Acc lanes[kLanes];
  for (auto& l : lanes) l = R::identity();
  const std::int64_t body = n - n % kLanes;
  for (std::int64_t i = 0; i < body; i += kLanes) {
#pragma omp simd
    for (int l = 0; l < kLanes; ++l) lanes[l] = R::combine(lanes[l], R::load(p[i + l]));
  }
  // Fold the lanes pairwise: four dependent steps, not sixteen. Constant trip counts let
  // each step vectorise (a loop over the halving width ends up scalar, through memory).
  fold_half<R, 8>(lanes);
  fold_half<R, 4>(lanes);
  fold_half<R, 2>(lanes);
  fold_half<R, 1>(lanes);
  Acc a = lanes[0];
  for (std::int64_t i = body; i < n; ++i) a = R::combine(a, R::load(p[i]));
  return a;
}

// Reduces n contiguous elements, block by block.
template <class R, class E>
typename R::Total reduce_run(const E* p, std::int64_t n) {
  if (n <= kBlock) return R::widen(reduce_block<R>(p, n));
  typename R::Total total = R::widen(R::identity());
  for (std::int64_t b = 0; b < n; b += kBlock) {
    total = R::combine_total(total, R::widen(reduce_block<R>(p + b, std::min(kBlock, n - b))));
  }
  return total;
}

// acc[j] = combine(acc[j], p[j]) for j < n: one row of a reduction over leading axes.
template <class R, class E>
[[gnu::always_inline]] inline void accumulate_row(typename R::Acc* __restrict acc,
                                                  const E* __restrict p, std::int64_t n) {
#pragma omp simd
  for (std::int64_t j = 0; j < n; ++j) acc[j] = R::combine(acc[j], R::load(p[j]));
}

// acc[0, n) accumulates `rows` rows of n contiguous elements, `stride` apart. Four rows
// are combined in registers before joining the accumulators, which cuts the dependency
// through acc's memory fourfold (it dominates for short rows such as 32 channels).
template <class R, class E>
void accumulate_rows_strided(typename R::Acc* __restrict acc, const E* p, std::int64_t rows,
                             std::int64_t stride, std::int64_t n) {
  std::int64_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const E* __restrict p0 = p + r * stride;
    const E* __restrict p1 = p0 + stride;
    const E* __restrict p2 = p1 + stride;
    const E* __restrict p3 = p2 + stride;
#pragma omp simd
    for (std::int64_t j = 0; j < n; ++j) {
      const auto a = R::combine(R::load(p0[j]), R::load(p1[j]));
      const auto b = R::combine(R::load(p2[j]), R::load(p3[j]));
      acc[j] = R::combine(acc[j], R::combine(a, b));
    }
  }
  for (; r < rows; ++r) accumulate_row<R>(acc, p + r * stride, n);
}

}  // namespace keras::kernels::cpu
