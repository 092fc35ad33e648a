// Random fills. Element i draws from Philox block (key, counter + i); rejection sampling
// (truncated normal) and repeated trials (binomial) use further streams of the same
// block, so results never depend on the thread count.
#include <cmath>

#include "kernels/cpu/cpu_backend.hpp"
#include "kernels/cpu/loops.hpp"
#include "kernels/cpu/philox.hpp"

namespace keras::kernels::cpu {

namespace {

double standard_normal(std::uint64_t key, std::uint64_t counter, std::uint32_t stream) {
  const auto w = philox4x32(key, counter, stream);
  // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
  const double u1 = 1.0 - unit_double(w[0], w[1]);
  const double u2 = unit_double(w[2], w[3]);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

double draw(RandomDist dist, std::uint64_t key, std::uint64_t counter, double a, double b) {
  switch (dist) {
    case RandomDist::uniform: {
      const auto w = philox4x32(key, counter);
      return a + (b - a) * unit_double(w[0], w[1]);
    }
    case RandomDist::normal:
      return a + b * standard_normal(key, counter, 0);
    case RandomDist::truncated_normal:
      for (std::uint32_t stream = 0;; ++stream) {
        const double z = standard_normal(key, counter, stream);
        if (std::abs(z) <= 2.0) return a + b * z;
      }
    case RandomDist::binomial: {
      const auto trials = static_cast<std::uint32_t>(a);
      std::uint32_t successes = 0;
      for (std::uint32_t t = 0; t < trials; ++t) {
        const auto w = philox4x32(key, counter, t);
        successes += unit_double(w[0], w[1]) < b;
      }
      return successes;
    }
  }
  return 0.0;
}

}  // namespace

void CpuBackend::random(RandomDist dist, std::uint64_t key, std::uint64_t counter, double a,
                        double b, Tensor& out) {
  dispatch(out.dtype(), [&](auto zero) {
    using T = decltype(zero);
    T* p = static_cast<T*>(out.raw_data());
    const std::int64_t n = out.size();
#pragma omp parallel for if (n >= kParallelThreshold / 8) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) {
      const double v = draw(dist, key, counter + static_cast<std::uint64_t>(i), a, b);
      if constexpr (std::is_same_v<T, bool>) {
        p[i] = v != 0.0;
      } else if constexpr (std::is_integral_v<T>) {
        p[i] = static_cast<T>(std::floor(v));
      } else {
        p[i] = static_cast<T>(v);
      }
    }
  });
}

}  // namespace keras::kernels::cpu
