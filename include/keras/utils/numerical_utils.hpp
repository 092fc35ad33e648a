#pragma once
// keras.utils.to_categorical and keras.utils.normalize.
#include <cstdint>
#include <optional>

#include "keras/tensor.hpp"

namespace keras::utils {

// Integer class labels (any shape; a trailing axis of 1 is dropped, as Keras) to one-hot
// float32 rows. num_classes defaults to max(label) + 1. ValueError for a negative label
// or one >= num_classes.
Tensor to_categorical(const Tensor& x, std::optional<std::int64_t> num_classes = std::nullopt);

// x divided by its `order`-norm along `axis` (zero norms leave zeros), as Keras 3.
Tensor normalize(const Tensor& x, std::int64_t axis = -1, int order = 2);

}  // namespace keras::utils
