#pragma once
// Vectorisable float32 transcendental functions for the elementwise kernels.
//
// GCC turns std::exp / std::log / std::tanh into scalar libm calls even inside
// `#pragma omp simd` loops (glibc's vector variants are only declared under -ffast-math),
// which makes an activation ~10x slower than these. They use only arithmetic, comparisons
// and bit casts, so every loop calling them vectorises (AVX2 / AVX-512 with
// -march=native). Worst errors over sweeps of the whole float range (denormals,
// infinities and NaN included) against double-precision libm, checked by
// tests/test_ops_math.cpp and test_ops_activations.cpp: exp, log, erf 1 ulp; expm1,
// log1p 1.5 ulp; softplus 2 ulp; tanh, sigmoid 2.5 ulp (glibc's tanhf: 2.1).
// float64 keeps libm (gradient checks need its accuracy).
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

// Forced inline: a call left in a loop body stops GCC from vectorising the loop, and
// these functions are just over its inlining size limits.
#define KERAS_VMATH_INLINE [[gnu::always_inline]] inline

namespace keras::kernels::cpu::vmath {

// a * b + c, fused where the target has FMA (a fused step only makes results more exact).
KERAS_VMATH_INLINE float madd(float a, float b, float c) {
#ifdef __FMA__
  return std::fma(a, b, c);
#else
  return a * b + c;
#endif
}

// 2^n for an integer n in [-127, 128] given as int32 (-127 gives 0, 128 gives inf).
KERAS_VMATH_INLINE float pow2i(std::int32_t n) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(n + 127) << 23);
}

// Splits x into n = round(x / ln 2) and r = x - n ln 2, |r| <= ln(2) / 2, and returns
// expm1(r) (its Taylor series to degree 8: truncation error below 2^-30 relative).
// n is rounded with the 1.5 * 2^23 trick (no float-to-int conversion, so NaN stays
// defined behaviour); ln 2 is split in two so n * ln2_hi is exact (Cody-Waite).
KERAS_VMATH_INLINE float expm1_reduced(float x, std::int32_t& n) {
  constexpr float kShift = 0x1.8p23f;
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kLn2Hi = 0.693359375f;
  constexpr float kLn2Lo = -2.12194440e-4f;
  const float t = madd(x, kLog2e, kShift);
  const float nf = t - kShift;
  n = static_cast<std::int32_t>(std::bit_cast<std::uint32_t>(t) -
                                std::bit_cast<std::uint32_t>(kShift));
  const float r = madd(nf, -kLn2Lo, madd(nf, -kLn2Hi, x));
  float p = 1.0f / 40320.0f;
  p = madd(p, r, 1.0f / 5040.0f);
  p = madd(p, r, 1.0f / 720.0f);
  p = madd(p, r, 1.0f / 120.0f);
  p = madd(p, r, 1.0f / 24.0f);
  p = madd(p, r, 1.0f / 6.0f);
  p = madd(p, r, 0.5f);
  return madd(p * r, r, r);
}

KERAS_VMATH_INLINE float exp(float x) {
  // Below -104 the result rounds to 0; above 88.8 it overflows to inf in the scaling.
  const float xc = x < -104.0f ? -104.0f : (x > 88.8f ? 88.8f : x);
  std::int32_t n;
  const float p = 1.0f + expm1_reduced(xc, n);
  // Two half-size scalings keep 2^n representable for denormal results and n = 128.
  const std::int32_t n1 = n >> 1;
  return p * pow2i(n1) * pow2i(n - n1);
}

KERAS_VMATH_INLINE float expm1(float x) {
  // Below -88, expm1 is -1 in float; 2^n then reaches 0 (n = -127) exactly.
  const float xc = x < -88.0f ? -88.0f : (x > 88.8f ? 88.8f : x);
  std::int32_t n;
  const float q = expm1_reduced(xc, n);
  const float s = pow2i(n);
  // 2^n (1 + q) - 1 without losing q's low bits when n is small.
  return madd(s, q, s - 1.0f);
}

// log(x) = e ln 2 + log1p(f), x = 2^e (1 + f), 1 + f in [sqrt(1/2), sqrt(2)); log1p(f)
// is 2 atanh(s), s = f / (2 + f), arranged as in fdlibm so the leading terms are exact.
KERAS_VMATH_INLINE float log(float x) {
  constexpr float kLn2Hi = 0.693359375f;
  constexpr float kLn2Lo = -2.12194440e-4f;
  const bool denormal = x < std::numeric_limits<float>::min();
  const float xs = denormal ? x * 0x1p23f : x;
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(xs);
  // Offsetting by sqrt(1/2)'s bits moves the split between exponents to sqrt(2); the
  // arithmetic shift gives the (signed) exponent, the masked difference the mantissa.
  const std::uint32_t shifted = bits - 0x3f3504f3u;
  const std::int32_t e = (static_cast<std::int32_t>(shifted) >> 23) - (denormal ? 23 : 0);
  const float m = std::bit_cast<float>(bits - (shifted & 0xff800000u));
  const float f = m - 1.0f;
  const float s = f / (2.0f + f);
  const float z = s * s;
  float r = 2.0f / 11.0f;
  r = madd(r, z, 2.0f / 9.0f);
  r = madd(r, z, 2.0f / 7.0f);
  r = madd(r, z, 2.0f / 5.0f);
  r = madd(r, z, 2.0f / 3.0f);
  r *= z;
  const float hfsq = 0.5f * f * f;
  const float ef = static_cast<float>(e);
  const float y = madd(ef, kLn2Hi, f - (hfsq - madd(s, hfsq + r, ef * kLn2Lo)));
  // Special values: log(0) = -inf, log(negative or NaN) = NaN, log(inf) = inf.
  const float inf = std::numeric_limits<float>::infinity();
  if (!(x > 0.0f)) return x == 0.0f ? -inf : std::numeric_limits<float>::quiet_NaN();
  return x == inf ? inf : y;
}

// log(1 + x), exact for tiny x: log(w) for w = 1 + x, corrected by the rounding error of w.
KERAS_VMATH_INLINE float log1p(float x) {
  const float w = 1.0f + x;
  const float wm1 = w - 1.0f;
  const float c = wm1 == x ? 0.0f : (x - wm1) / w;
  return log(w) + c;
}

// 1 / (1 + e^-x) from e = e^-|x|, so neither tail loses relative accuracy.
KERAS_VMATH_INLINE float sigmoid(float x) {
  const float e = exp(-std::abs(x));
  return (x >= 0.0f ? 1.0f : e) / (1.0f + e);
}

// tanh(x) = t / (t + 2), t = expm1(2|x|): accurate near 0, where 1 - 2 / (e^2x + 1)
// would cancel. Beyond |x| = 10, tanh is +-1 in float.
KERAS_VMATH_INLINE float tanh(float x) {
  const float a = std::abs(x);
  const float t = expm1(2.0f * (a > 10.0f ? 10.0f : a));
  const float y = t / (t + 2.0f);
  return std::copysign(y, x);
}

// log(1 + e^x) = max(x, 0) + log1p(e^-|x|).
KERAS_VMATH_INLINE float softplus(float x) {
  return (x > 0.0f ? x : 0.0f) + log1p(exp(-std::abs(x)));
}

// erf(x): for |x| < 1, x (1 + Q(x^2)) with Q a degree-6 fit of erf(x) / x - 1 (keeping
// the leading 1 out of the coefficients keeps their rounding error small); beyond,
// 1 - e^(-x^2) R(1/x), R a degree-10 fit of erfc(x) e^(x^2) for x in [1, 4] (erf is 1 in
// float beyond 3.92). Both fits: relative least squares on Chebyshev nodes against
// mpmath, error below 2e-8 with float32 coefficients.
KERAS_VMATH_INLINE float erf(float x) {
  const float a = std::abs(x);
  const float z = x * x;
  float q = 7.847259132e-05f;
  q = madd(q, z, -8.008189324e-04f);
  q = madd(q, z, 5.188098890e-03f);
  q = madd(q, z, -2.685369110e-02f);
  q = madd(q, z, 1.128358225e-01f);
  q = madd(q, z, -3.761262557e-01f);
  q = madd(q, z, 1.283791670e-01f);
  const float small = madd(x, q, x);
  const float ac = a > 4.0f ? 4.0f : (a < 1.0f ? 1.0f : a);
  const float u = 1.0f / ac - 0.625f;
  float r = -3.633073866e-02f;
  r = madd(r, u, 2.599390029e-02f);
  r = madd(r, u, 5.667907612e-03f);
  r = madd(r, u, -2.691475702e-02f);
  r = madd(r, u, 4.309277770e-02f);
  r = madd(r, u, -4.694360912e-02f);
  r = madd(r, u, 2.333700048e-02f);
  r = madd(r, u, 4.376696072e-02f);
  r = madd(r, u, -1.723948815e-01f);
  r = madd(r, u, 3.822837715e-01f);
  r = madd(r, u, 3.059529926e-01f);
  const float large = 1.0f - exp(-ac * ac) * r;
  // NaN fails a < 1 and comes out of the large branch as NaN.
  return a < 1.0f ? small : std::copysign(large, x);
}

// float64: libm (exact to within an ulp; speed matters less than for float32).
KERAS_VMATH_INLINE double exp(double x) { return std::exp(x); }
KERAS_VMATH_INLINE double expm1(double x) { return std::expm1(x); }
KERAS_VMATH_INLINE double log(double x) { return std::log(x); }
KERAS_VMATH_INLINE double log1p(double x) { return std::log1p(x); }
KERAS_VMATH_INLINE double tanh(double x) { return std::tanh(x); }
KERAS_VMATH_INLINE double sigmoid(double x) {
  const double e = std::exp(-std::abs(x));
  return (x >= 0.0 ? 1.0 : e) / (1.0 + e);
}
KERAS_VMATH_INLINE double softplus(double x) {
  return (x > 0.0 ? x : 0.0) + std::log1p(std::exp(-std::abs(x)));
}
KERAS_VMATH_INLINE double erf(double x) { return std::erf(x); }

}  // namespace keras::kernels::cpu::vmath
