#pragma once
// Seeded random tensors (keras.random.*). Draws come from a counter-based generator
// (Philox-4x32), so results depend only on the seed and the number of draws before, not
// on threads. Without a seed they use the global generator that
// keras::utils::set_random_seed resets.
#include <cstdint>
#include <optional>

#include "keras/tensor.hpp"

namespace keras::random {

// A stream of seeds, like keras.random.SeedGenerator.
class SeedGenerator {
 public:
  explicit SeedGenerator(std::uint64_t seed = 0);
  // Reserves `count` random 32-bit words; returns the key and first counter of the block.
  std::pair<std::uint64_t, std::uint64_t> next(std::uint64_t count);
  std::uint64_t seed() const { return seed_; }
  std::uint64_t counter() const { return counter_; }
  void set_state(std::uint64_t seed, std::uint64_t counter);

 private:
  std::uint64_t seed_;
  std::uint64_t counter_ = 0;
};

// The generator used when no seed is given.
SeedGenerator& global_generator();

struct NormalOptions {
  double mean = 0.0;
  double stddev = 1.0;
  DType dtype = DType::float32;
  std::optional<std::uint64_t> seed;
};
struct UniformOptions {
  double minval = 0.0;
  double maxval = 1.0;
  DType dtype = DType::float32;
  std::optional<std::uint64_t> seed;
};

Tensor normal(const Shape& shape, const NormalOptions& options = {});
Tensor uniform(const Shape& shape, const UniformOptions& options = {});
// Normal values redrawn until within two standard deviations of the mean.
Tensor truncated_normal(const Shape& shape, const NormalOptions& options = {});
// Number of successes of `counts` trials with success probability `probabilities`.
Tensor binomial(const Shape& shape, double counts, double probabilities,
                DType dtype = DType::float32, std::optional<std::uint64_t> seed = std::nullopt);
// The same, drawing the next block of `generator`, which the caller keeps (Keras's
// `seed=SeedGenerator`): successive calls differ, and a traced step draws again each run.
Tensor binomial(const Shape& shape, double counts, double probabilities, DType dtype, SeedGenerator& generator);

}  // namespace keras::random

namespace keras::utils {
// Resets the global generator (and so every unseeded draw) to `seed`.
void set_random_seed(std::uint64_t seed);
}  // namespace keras::utils
