// Keras's antirectifier: a Lambda that centres each sample, l2-normalises it and
// concatenates relu(x) with relu(-x), doubling the features; its output shape is inferred.
// The same model is then trained a few steps with GradientTape to show the Lambda is
// differentiable.
#include <cstdlib>
#include <iostream>

#include <keras/keras.hpp>

using namespace keras;

Tensor antirectifier(const Tensor& inputs) {
  Tensor x = inputs - ops::mean(inputs, 1, /*keepdims=*/true);
  x = ops::l2_normalize(x, 1);
  return ops::concatenate({ops::relu(x), ops::relu(-x)}, 1);
}

int main() {
  Tensor in = Input({16});
  Tensor h = layers::Lambda(antirectifier)(layers::Dense(32)(in));
  Tensor out = layers::Dense(3)(h);
  Model model(in, out);
  std::cout << "antirectifier output shape: " << shape_str(h.shape()) << "\n";
  if (h.shape() != Shape{None, 64}) return EXIT_FAILURE;

  Tensor x = random::normal({64, 16}, {.seed = 3});
  Tensor target = random::normal({64, 3}, {.seed = 4});
  double first = 0.0;
  double last = 0.0;
  for (int step = 0; step < 30; ++step) {
    GradientTape tape;
    Tensor loss = ops::mean(ops::square(model(x) - target));
    auto weights = model.trainable_weights();
    auto grads = tape.gradient(loss, weights);
    for (std::size_t i = 0; i < weights.size(); ++i) weights[i].assign_sub(grads[i] * 0.1);
    (step == 0 ? first : last) = loss.item();
  }
  std::cout << "loss " << first << " -> " << last << "\n";
  return last < first ? EXIT_SUCCESS : EXIT_FAILURE;
}
