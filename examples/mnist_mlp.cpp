// Keras's mnist_mlp example (784-512-512-10, Dropout 0.2, RMSprop, batch 128), run on
// Fashion-MNIST, which Debian packages (dataset-fashion-mnist).
//
//   build/examples/mnist_mlp [epochs]
#include <keras/keras.hpp>

#include <cstdlib>
#include <iostream>

using namespace keras;

int main(int argc, char** argv) {
  const std::int64_t epochs = argc > 1 ? std::atoll(argv[1]) : 2;
  utils::set_random_seed(1);
  auto [x_train, y_train, x_test, y_test] = datasets::fashion_mnist::load_data();
  x_train = ops::reshape(ops::cast(x_train, DType::float32), {60000, 784}) / 255.0;
  x_test = ops::reshape(ops::cast(x_test, DType::float32), {10000, 784}) / 255.0;
  const Tensor y_train_1hot = utils::to_categorical(y_train, 10);
  const Tensor y_test_1hot = utils::to_categorical(y_test, 10);

  Sequential model;
  model.add(layers::Dense(512, {.activation = "relu", .input_shape = {784}}));
  model.add(layers::Dropout(0.2));
  model.add(layers::Dense(512, {.activation = "relu"}));
  model.add(layers::Dropout(0.2));
  model.add(layers::Dense(10, {.activation = "softmax"}));
  model.summary();
  model.compile({.optimizer = std::make_shared<optimizers::RMSprop>(), .loss = "categorical_crossentropy",
                 .metrics = {"accuracy"}});
  model.fit(x_train, y_train_1hot, {.batch_size = 128, .epochs = epochs, .verbose = 2,
                                    .validation_data = ValidationData{x_test, y_test_1hot}});
  const Scores score = model.evaluate(x_test, y_test_1hot, {.verbose = 0});
  std::cout << "Test loss: " << score[0] << "\nTest accuracy: " << score[1] << "\n";
  return score[1] > 0.8 ? 0 : 1;
}
