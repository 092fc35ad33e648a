// A custom training loop: a two-layer perceptron learns to tell points inside a circle from points
// outside it. The model is plain ops on Variables; GradientTape computes the gradients and
// an optimizer applies them (optimizer.apply_gradients), as in a custom training loop in Keras.
//
//   build/examples/custom_training_loop [epochs]
#include <keras/keras.hpp>

#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>

using namespace keras;

namespace {

struct Dataset {
  Tensor x;  // (n, 2) points in [-1, 1)^2
  Tensor y;  // (n, 1) 1 inside the circle of radius 0.7, else 0
};

Dataset make_circle(std::int64_t n, std::uint64_t seed) {
  Tensor x = random::uniform({n, 2}, {.minval = -1.0, .maxval = 1.0, .seed = seed});
  Tensor inside = ops::less(ops::sum(ops::square(x), 1, /*keepdims=*/true), 0.49);
  return {x, ops::cast(inside, DType::float32)};
}

// Dense layers by hand: relu(x W1 + b1) W2 + b2 gives one logit per point.
struct Mlp {
  Variable w1, b1, w2, b2;

  explicit Mlp(std::int64_t hidden)
      // He initialisation for the ReLU layer, Glorot-like for the output layer.
      : w1(random::normal({2, hidden}, {.stddev = 1.0, .seed = 1}), {.name = "w1"}),
        b1(ops::zeros({hidden}), {.name = "b1"}),
        w2(random::normal({hidden, 1}, {.stddev = std::sqrt(1.0 / static_cast<double>(hidden)), .seed = 2}),
           {.name = "w2"}),
        b2(ops::zeros({1}), {.name = "b2"}) {}

  Tensor operator()(const Tensor& x) const {
    Tensor h = ops::relu(ops::matmul(x, w1) + b1);
    return ops::matmul(h, w2) + b2;
  }

  std::vector<Variable> variables() const { return {w1, b1, w2, b2}; }
};

// Binary crossentropy from logits, in its stable form: softplus(z) - y z.
Tensor bce_from_logits(const Tensor& y, const Tensor& logits) {
  return ops::mean(ops::softplus(logits) - y * logits);
}

double accuracy(const Mlp& model, const Dataset& data) {
  Tensor predicted = ops::cast(ops::greater(model(data.x), 0.0), DType::float32);
  return ops::mean(ops::cast(ops::equal(predicted, data.y), DType::float32)).item<double>();
}

}  // namespace

int main(int argc, char** argv) {
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 600;
  optimizers::SGD optimizer({.learning_rate = 0.5});
  const Dataset train = make_circle(512, 10);
  const Dataset test = make_circle(256, 20);
  Mlp model(32);

  std::cout << "First training points:\n" << ops::slice(train.x, {0, 0}, {3, 2}) << "\n";
  std::cout << "Their labels: " << ops::reshape(ops::slice(train.y, {0, 0}, {3, 1}), {3}) << "\n\n";

  double first_loss = 0, last_loss = 0;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    Tensor loss;
    std::vector<Tensor> grads;
    {
      GradientTape tape;
      loss = bce_from_logits(train.y, model(train.x));
      grads = tape.gradient(loss, model.variables());
    }
    optimizer.apply(grads, model.variables());
    last_loss = loss.item<double>();
    if (epoch == 1) first_loss = last_loss;
    if (epoch == 1 || epoch % 100 == 0 || epoch == epochs) {
      std::cout << "epoch " << std::setw(4) << epoch << "  loss " << std::fixed
                << std::setprecision(4) << last_loss << "\n";
    }
  }

  const double train_acc = accuracy(model, train);
  const double test_acc = accuracy(model, test);
  std::cout << "\ntrain accuracy " << std::setprecision(3) << train_acc << ", test accuracy "
            << test_acc << "\n";
  std::cout << "output bias after training: " << repr(model.b2.value()) << "\n";
  // The example doubles as a smoke test: training must have learned something.
  return last_loss < first_loss && test_acc > 0.8 ? 0 : 1;
}
