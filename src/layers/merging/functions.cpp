// keras.layers.add, subtract, ...: make the layer and call it on the list.
#include "keras/layers/merging.hpp"

namespace keras::layers {

Tensor add(const Tensors& inputs, const MergeOptions& options) { return Add(options)(inputs); }
Tensor subtract(const Tensors& inputs, const MergeOptions& options) { return Subtract(options)(inputs); }
Tensor multiply(const Tensors& inputs, const MergeOptions& options) { return Multiply(options)(inputs); }
Tensor average(const Tensors& inputs, const MergeOptions& options) { return Average(options)(inputs); }
Tensor maximum(const Tensors& inputs, const MergeOptions& options) { return Maximum(options)(inputs); }
Tensor minimum(const Tensors& inputs, const MergeOptions& options) { return Minimum(options)(inputs); }

Tensor concatenate(const Tensors& inputs, std::int64_t axis, const MergeOptions& options) {
  return Concatenate({.axis = axis,
                      .name = options.name,
                      .trainable = options.trainable,
                      .dtype = options.dtype,
                      .input_shape = options.input_shape,
                      .batch_size = options.batch_size})(inputs);
}

Tensor dot(const Tensors& inputs, DotAxes axes, bool normalize, const MergeOptions& options) {
  return Dot(std::move(axes), {.normalize = normalize,
                               .name = options.name,
                               .trainable = options.trainable,
                               .dtype = options.dtype,
                               .input_shape = options.input_shape,
                               .batch_size = options.batch_size})(inputs);
}

}  // namespace keras::layers
