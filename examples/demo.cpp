// keras-cpp demo: Keras's classic convnet on Fashion-MNIST, written as the Python is.
//
//   model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
//                             layers.MaxPooling2D(), ..., layers.Dense(10, activation="softmax")])
//   model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
//   model.fit(x_train, y_train, batch_size=128, epochs=10, validation_split=0.1)
//
// It prints the summary, draws the model to model.png, shows the progress bars, saves the
// weights, evaluates on the test set and exits non-zero
// unless the test accuracy reaches 90 %.
//
//   build/examples/demo [epochs]
#include <keras/keras.hpp>

#include <cstdlib>
#include <iomanip>
#include <iostream>

using namespace keras;

int main(int argc, char** argv) {
  const std::int64_t epochs = argc > 1 ? std::atoll(argv[1]) : 10;
  utils::set_random_seed(1337);

  auto [x_train, y_train, x_test, y_test] = datasets::fashion_mnist::load_data();
  // Scale images to [0, 1] and add the channel axis.
  x_train = ops::expand_dims(ops::cast(x_train, DType::float32) / 255.0, -1);
  x_test = ops::expand_dims(ops::cast(x_test, DType::float32) / 255.0, -1);
  std::cout << "x_train shape: " << shape_str(x_train.shape()) << "\n"
            << x_train.dim(0) << " train samples\n"
            << x_test.dim(0) << " test samples\n";

  Sequential model({.name = "fashion_mnist_convnet"});
  model.add(Input({28, 28, 1}));
  model.add(layers::Conv2D(32, {3, 3}, {.activation = "relu"}));
  model.add(layers::MaxPooling2D({2, 2}));
  model.add(layers::Conv2D(64, {3, 3}, {.activation = "relu"}));
  model.add(layers::MaxPooling2D({2, 2}));
  model.add(layers::Flatten());
  model.add(layers::Dropout(0.3));
  model.add(layers::Dense(128, {.activation = "relu"}));
  model.add(layers::Dense(10, {.activation = "softmax"}));
  model.summary();
  utils::plot_model(model, "model.png", {.show_shapes = true});
  std::cout << "Wrote model.png\n";

  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  model.fit(x_train, y_train, {.batch_size = 128, .epochs = epochs, .validation_split = 0.1});

  // A Keras 3 archive: keras::saving::load_model (or Python's keras.saving.load_model) reads it.
  model.save("fashion_mnist_convnet.keras");
  std::cout << "Saved the model to fashion_mnist_convnet.keras\n";

  const Scores score = model.evaluate(x_test, y_test, {.verbose = 0});
  std::cout << "Test loss: " << std::setprecision(4) << score[0] << "\n"
            << "Test accuracy: " << score[1] << "\n";
  return score[1] >= 0.90 ? 0 : 1;
}
