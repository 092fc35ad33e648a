#pragma once
// Helpers shared by the losses and the metrics (Keras's keras/src/losses/loss.py).
#include <string>

#include "keras/tensor.hpp"

namespace keras::losses::detail {

// x / y with 0 where y == 0 (keras.ops.divide_no_nan).
Tensor divide_no_nan(const Tensor& x, const Tensor& y);
// Keras's apply_mask: merges a mask into sample weights (mean-type reductions scale the
// valid entries by total / valid). Either may be undefined.
Tensor apply_mask(const Tensor& sample_weight, const Tensor& mask, DType dtype,
                  const std::string& reduction);
// Keras's standardize_reduction: ValueError for an unknown reduction.
const std::string& standardize_reduction(const std::string& reduction);
// The floating dtype computations on `x` use: its own when floating, else floatx.
DType float_dtype(const Tensor& x);

}  // namespace keras::losses::detail
