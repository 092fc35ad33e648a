#pragma once
// keras::Input: the start of a functional model. It returns a symbolic tensor (Keras's
// KerasTensor): a Tensor with a shape whose unknown dimensions are keras::None (-1), a
// dtype, and the layer that made it, but no data. Ops and layers called on symbolic
// tensors record the graph that Model later runs on data.
#include <optional>
#include <string>

#include "keras/tensor.hpp"

namespace keras {

inline constexpr std::int64_t None = kUnknownDim;

struct InputOptions {
  std::optional<std::int64_t> batch_size;  // unset: unknown (None)
  std::optional<DType> dtype;              // unset: floatx
  std::string name;                        // unset: "input_layer", "input_layer_1", ...
};

// A symbolic input of `shape` (without the batch axis; None for unknown dimensions).
Tensor Input(const Shape& shape, const InputOptions& options = {});

// Whether t is symbolic (made by Input, or by a layer or op called on symbolic tensors).
bool is_keras_tensor(const Tensor& t);

// The mask Keras attaches to a layer's output (Embedding(mask_zero), Masking, ...);
// undefined when there is none.
Tensor get_keras_mask(const Tensor& t);
// t with `mask` attached (undefined: none): the same data and identity (gradients flow
// through it), without changing t itself.
Tensor with_keras_mask(const Tensor& t, const Tensor& mask);

}  // namespace keras
