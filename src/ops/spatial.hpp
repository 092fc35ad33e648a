#pragma once
// Argument checking and output-size rules shared by the convolution, pooling and resize
// ops: Keras's spatial arguments (one number or one per spatial axis), data formats and
// TF's "same" padding split (the odd pixel goes after).
#include <cstdint>
#include <string>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::ops::detail {

// 1 or 2 for inputs of rank 3 or 4; NotImplementedError for 3-D (rank 5) inputs,
// ValueError otherwise.
int spatial_rank(const char* op, const Tensor& inputs);
// true for "channels_first", false for "channels_last"; ValueError otherwise.
bool is_channels_first(const std::string& data_format);
// "valid" or "same" (case-insensitive), lower-cased; ValueError otherwise.
std::string checked_padding(const std::string& padding);
// One positive value per spatial axis from one or `rank` values; ValueError otherwise.
std::vector<std::int64_t> per_axis(const char* op, const char* name,
                                   const std::vector<std::int64_t>& values, int rank);

// The spatial dimensions of x and its channel count, by data format.
Shape spatial_shape(const Shape& x, int rank, bool channels_first);
std::int64_t channels(const Shape& x, bool channels_first);
// (n, spatial..., c) or (n, c, spatial...).
Shape image_shape(std::int64_t n, const Shape& spatial, std::int64_t c, bool channels_first);

// One spatial axis of a window op (convolution or pooling).
struct WindowAxis {
  std::int64_t out = 0;
  std::int64_t pad_begin = 0;
  std::int64_t pad_end = 0;
};
// Output length and padding for an input of length `in`, a window of `window` taps
// `dilation` apart, stepping by `stride`. Throws ValueError (naming `what`) when "valid"
// leaves no output.
WindowAxis window_axis(std::int64_t in, std::int64_t window, std::int64_t stride,
                       std::int64_t dilation, const std::string& padding, const std::string& what);

}  // namespace keras::ops::detail
