#include "keras/random.hpp"

#include <random>

#include "kernels/backend.hpp"
#include "kernels/recording.hpp"

namespace keras::random {

namespace {

// SplitMix64: turns user seeds (often 0, 1, 42) into well-spread Philox keys.
std::uint64_t mix(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Draws from `gen`; a generator that outlives the call (`kept`) draws again when a
// recorded step replays this draw.
Tensor draw_from(SeedGenerator& gen, bool kept, const Shape& shape, DType dtype, kernels::RandomDist dist, double a,
                 double b) {
  Tensor out = Tensor::empty(shape, dtype);
  const auto count = static_cast<std::uint64_t>(out.size());
  const auto [key, counter] = gen.next(count);
  auto& backend = kernels::backend(out.device());
  if (kept) {
    kernels::RedrawScope redraw([&gen, count] { return gen.next(count); });
    backend.random(dist, key, counter, a, b, out);
  } else {
    backend.random(dist, key, counter, a, b, out);
  }
  return out;
}

Tensor draw(const Shape& shape, DType dtype, std::optional<std::uint64_t> seed,
            kernels::RandomDist dist, double a, double b) {
  if (!seed) return draw_from(global_generator(), true, shape, dtype, dist, a, b);
  SeedGenerator local(*seed);
  return draw_from(local, false, shape, dtype, dist, a, b);
}

void check_binomial(double counts, double probabilities) {
  if (counts < 0 || probabilities < 0 || probabilities > 1) {
    throw ValueError("binomial: need counts >= 0 and 0 <= probabilities <= 1, got counts=" +
                     std::to_string(counts) + ", probabilities=" + std::to_string(probabilities));
  }
}

}  // namespace

SeedGenerator::SeedGenerator(std::uint64_t seed) : seed_(seed) {}

std::pair<std::uint64_t, std::uint64_t> SeedGenerator::next(std::uint64_t count) {
  const std::uint64_t start = counter_;
  counter_ += count;
  return {mix(seed_), start};
}

void SeedGenerator::set_state(std::uint64_t seed, std::uint64_t counter) {
  seed_ = seed;
  counter_ = counter;
}

SeedGenerator& global_generator() {
  static SeedGenerator gen(std::random_device{}());
  return gen;
}

Tensor normal(const Shape& shape, const NormalOptions& o) {
  return draw(shape, o.dtype, o.seed, kernels::RandomDist::normal, o.mean, o.stddev);
}

Tensor uniform(const Shape& shape, const UniformOptions& o) {
  if (o.maxval < o.minval) {
    throw ValueError("uniform: `maxval` (" + std::to_string(o.maxval) + ") must not be below `minval` (" +
                     std::to_string(o.minval) + ")");
  }
  return draw(shape, o.dtype, o.seed, kernels::RandomDist::uniform, o.minval, o.maxval);
}

Tensor truncated_normal(const Shape& shape, const NormalOptions& o) {
  return draw(shape, o.dtype, o.seed, kernels::RandomDist::truncated_normal, o.mean, o.stddev);
}

Tensor binomial(const Shape& shape, double counts, double probabilities, DType dtype,
                std::optional<std::uint64_t> seed) {
  check_binomial(counts, probabilities);
  return draw(shape, dtype, seed, kernels::RandomDist::binomial, counts, probabilities);
}

Tensor binomial(const Shape& shape, double counts, double probabilities, DType dtype, SeedGenerator& generator) {
  check_binomial(counts, probabilities);
  return draw_from(generator, true, shape, dtype, kernels::RandomDist::binomial, counts, probabilities);
}

}  // namespace keras::random

namespace keras::utils {

void set_random_seed(std::uint64_t seed) { random::global_generator().set_state(seed, 0); }

}  // namespace keras::utils
