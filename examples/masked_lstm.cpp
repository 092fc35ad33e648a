// The example of Keras's Masking layer: timesteps 3 and 5 of every sample are zeroed, and
// Masking(0.0) makes the LSTM skip them. The result equals the same LSTM run on the
// sequences with those two timesteps removed.
#include <cstdlib>
#include <iostream>
#include <vector>

#include <keras/keras.hpp>

using namespace keras;

int main() {
  const std::int64_t samples = 32, timesteps = 10, features = 8;
  Tensor inputs = random::uniform({samples, timesteps, features}, {.seed = 1});
  // inputs[:, 3, :] = 0 and inputs[:, 5, :] = 0
  std::vector<float> keep(timesteps, 1.0f);
  keep[3] = keep[5] = 0.0f;
  inputs = inputs * Tensor::from_vector(keep, {1, timesteps, 1});

  auto lstm = layers::LSTM(32);
  Sequential model;
  model.add(Input({timesteps, features}));
  model.add(layers::Masking({.mask_value = 0.0}));
  model.add(lstm);
  const Tensor masked = model(inputs);

  const Tensor kept_steps = Tensor::from_vector(std::vector<std::int32_t>{0, 1, 2, 4, 6, 7, 8, 9}, {8});
  const Tensor shorter = lstm(ops::take(inputs, kept_steps, 1));
  const double diff = ops::max(ops::abs(masked - shorter)).item<double>();
  // Without the mask the zeroed steps change the result.
  const double unmasked = ops::max(ops::abs(lstm(inputs) - shorter)).item<double>();
  std::cout << "output " << shape_str(masked.shape()) << "; |masked - steps removed| = " << diff
            << ", |unmasked - steps removed| = " << unmasked << "\n";
  return diff < 1e-5 && unmasked > 1e-3 ? EXIT_SUCCESS : EXIT_FAILURE;
}
