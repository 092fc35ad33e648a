// A custom loss as a plain C++ function: crossentropy plus the largest predicted
// probability (a penalty on over-confident predictions), passed straight to compile(), as
// Keras users pass a Python function.
//
//   build/examples/custom_loss
#include <keras/keras.hpp>

#include <iostream>

using namespace keras;

Tensor confident_crossentropy(const Tensor& y_true, const Tensor& y_pred) {
  return losses::categorical_crossentropy(y_true, y_pred) + ops::max(y_pred, -1);
}

int main() {
  utils::set_random_seed(2);
  // Four Gaussian blobs in 2-D, one class each.
  Tensor labels = ops::cast(ops::floor(random::uniform({512}, {.minval = 0, .maxval = 4})), DType::int32);
  Tensor centers({{2, 2}, {-2, 2}, {-2, -2}, {2, -2}});
  Tensor x = ops::take(centers, labels, 0) + random::normal({512, 2}, {.stddev = 0.7});
  Tensor y = utils::to_categorical(labels, 4);

  Tensor in = Input({2});
  Tensor h = layers::Dense(16, {.activation = "relu"})(in);
  Model model(in, layers::Dense(4, {.activation = "softmax"})(h));
  model.compile({.optimizer = "adam", .loss = confident_crossentropy, .metrics = {"accuracy"}});
  auto history = model.fit(x, y, {.batch_size = 32, .epochs = 20, .verbose = 0});
  const auto& loss = history.history["loss"];
  const double accuracy = history.history["accuracy"].back();
  std::cout << "loss " << loss.front() << " -> " << loss.back() << ", accuracy " << accuracy << "\n";
  return loss.back() < loss.front() && accuracy > 0.8 ? 0 : 1;
}
