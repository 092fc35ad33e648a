#pragma once
// keras.datasets.mnist and keras.datasets.fashion_mnist: the 28x28 grayscale image sets,
// read from their IDX files (gzipped or not).
//
//   auto [x_train, y_train, x_test, y_test] = keras::datasets::fashion_mnist::load_data();
//
// Images are int32 tensors (N, 28, 28) with values 0..255 (Keras gives uint8), labels int32
// (N,). A missing file raises IOError naming the Debian package that installs it.
#include <string>

#include "keras/tensor.hpp"

namespace keras::datasets {

struct ImageDataset {
  Tensor x_train;
  Tensor y_train;
  Tensor x_test;
  Tensor y_test;
};

// One IDX file (numpy-like: magic, dimension sizes, then the data), as an int32 tensor.
// IOError for a missing, truncated or malformed file.
Tensor load_idx(const std::string& path);

namespace fashion_mnist {
// Where Debian's dataset-fashion-mnist package installs the files.
inline constexpr const char* kDefaultPath = "/usr/share/datasets/fashion-mnist";
ImageDataset load_data(const std::string& path = kDefaultPath);
}  // namespace fashion_mnist

namespace mnist {
// MNIST has no Debian package: put train-images-idx3-ubyte(.gz) etc. in `path`.
inline constexpr const char* kDefaultPath = "/usr/share/datasets/mnist";
ImageDataset load_data(const std::string& path = kDefaultPath);
}  // namespace mnist

}  // namespace keras::datasets
