// Random fills. Element i draws from Philox block (key, counter + i); rejection sampling
// (truncated normal) and repeated trials (binomial) use further streams of the same
// block, so results never depend on the thread count. One-trial binomials (Bernoulli:
// dropout's masks) take element i from word i % 4 of block counter + i / 4, compared as
// an integer: a quarter of the Philox work and no floating point per element.
#include <algorithm>
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

// P(word < threshold) = probability for a uniform 32-bit word.
template <class T>
void bernoulli_fill(T* p, std::int64_t n, std::uint64_t key, std::uint64_t counter, double probability) {
  const auto threshold = static_cast<std::uint64_t>(std::ldexp(probability, 32));
  const std::int64_t blocks = (n + 3) / 4;
#pragma omp parallel for if (n >= kParallelThreshold / 2) schedule(static)
  for (std::int64_t block = 0; block < blocks; ++block) {
    const auto w = philox4x32(key, counter + static_cast<std::uint64_t>(block));
    const std::int64_t first = block * 4;
    const std::int64_t count = std::min<std::int64_t>(4, n - first);
    for (std::int64_t j = 0; j < count; ++j) {
      p[first + j] = static_cast<T>(w[static_cast<std::size_t>(j)] < threshold ? 1 : 0);
    }
  }
}

}  // namespace

void CpuBackend::random(RandomDist dist, std::uint64_t key, std::uint64_t counter, double a,
                        double b, Tensor& out) {
  dispatch(out.dtype(), [&](auto zero) {
    using T = decltype(zero);
    T* p = static_cast<T*>(out.raw_data());
    const std::int64_t n = out.size();
    if (dist == RandomDist::binomial && a == 1.0) {
      bernoulli_fill(p, n, key, counter, b);
      return;
    }
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
