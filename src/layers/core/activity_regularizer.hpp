#pragma once
// Keras 3 applies a layer's activity_regularizer to each output after `call` and adds
// penalty / batch_size to the layer's losses (since 3.14; 3.0-3.13 did not divide).
#include "graph/symbolic.hpp"
#include "keras/layer.hpp"
#include "keras/ops.hpp"

namespace keras::detail {

inline void add_activity_loss(Layer& layer, const regularizers::RegularizerArg& regularizer, const Tensor& output) {
  // Shape-only runs make no loss values.
  if (!regularizer || graph::probing()) return;
  Tensor loss = regularizer(output);
  if (output.ndim() > 0 && output.shape().front() > 0) loss = ops::divide(loss, static_cast<double>(output.shape().front()));
  layer.add_loss(loss);
}

}  // namespace keras::detail
