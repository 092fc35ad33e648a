#pragma once
// Shape manipulation (keras.ops.reshape, transpose, concatenate, take, pad, ...).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/ops/axes.hpp"
#include "keras/tensor.hpp"

namespace keras::ops {

// One dimension may be -1 and is inferred; throws ValueError naming both shapes when the
// sizes cannot match.
Tensor reshape(const Tensor& x, const Shape& new_shape);
// Reverses the axes when `axes` is empty, else permutes them.
Tensor transpose(const Tensor& x, const std::vector<std::int64_t>& axes = {});
Tensor permute_dimensions(const Tensor& x, const std::vector<std::int64_t>& pattern);
Tensor swapaxes(const Tensor& x, std::int64_t axis1, std::int64_t axis2);
Tensor moveaxis(const Tensor& x, std::int64_t source, std::int64_t destination);
Tensor expand_dims(const Tensor& x, std::int64_t axis);
// Removes the given size-1 axes, or every size-1 axis when axis is None.
Tensor squeeze(const Tensor& x, Axes axis = {});
Tensor concatenate(const std::vector<Tensor>& xs, std::int64_t axis = 0);
Tensor stack(const std::vector<Tensor>& xs, std::int64_t axis = 0);
// Into `sections` equal parts along axis.
std::vector<Tensor> split(const Tensor& x, std::int64_t sections, std::int64_t axis = 0);
// At the given indices along axis (numpy's indices_or_sections as a list).
std::vector<Tensor> split(const Tensor& x, const std::vector<std::int64_t>& indices,
                          std::int64_t axis = 0);
// keras.ops.slice: the block of `shape` starting at `start_indices`.
Tensor slice(const Tensor& x, const std::vector<std::int64_t>& start_indices, const Shape& shape);
// x[begin:end:strides] per axis; numpy's rules for negative and out-of-range bounds and
// negative strides. Shorter lists leave the remaining axes whole.
Tensor strided_slice(const Tensor& x, const std::vector<std::int64_t>& begin,
                     const std::vector<std::int64_t>& end,
                     const std::vector<std::int64_t>& strides = {});
// Elements at `indices` (int32/int64, negative counts from the end) along axis, or of the
// flattened x when axis is None. Out-of-range indices raise ValueError.
Tensor take(const Tensor& x, const Tensor& indices, std::optional<std::int64_t> axis = std::nullopt);
Tensor gather(const Tensor& x, const Tensor& indices, std::int64_t axis = 0);
Tensor take_along_axis(const Tensor& x, const Tensor& indices, std::int64_t axis);
// One-hot encoding of integer x with a new axis of size num_classes.
Tensor one_hot(const Tensor& x, std::int64_t num_classes, std::int64_t axis = -1,
               DType dtype = floatx());
// pad_width: one (before, after) pair per axis. mode "constant" (with constant_value),
// "reflect" or "symmetric".
Tensor pad(const Tensor& x, const std::vector<std::pair<std::int64_t, std::int64_t>>& pad_width,
           const std::string& mode = "constant", double constant_value = 0.0);
Tensor tile(const Tensor& x, const std::vector<std::int64_t>& repeats);
// Repeats each element `repeats` times along axis (numpy's repeat; None flattens).
Tensor repeat(const Tensor& x, std::int64_t repeats, std::optional<std::int64_t> axis = std::nullopt);
Tensor broadcast_to(const Tensor& x, const Shape& shape);
// To 1-D (keras.backend.flatten / ops.ravel).
Tensor flatten(const Tensor& x);
Tensor ravel(const Tensor& x);
// Keeps the first axis: (batch, rest...) -> (batch, prod(rest)).
Tensor batch_flatten(const Tensor& x);
Tensor flip(const Tensor& x, Axes axis = {});
// Lower / upper triangle of the last two axes.
Tensor tril(const Tensor& x, std::int64_t k = 0);
Tensor triu(const Tensor& x, std::int64_t k = 0);

}  // namespace keras::ops
