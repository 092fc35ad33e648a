#pragma once
// Shared by the convolution, pooling and spatial reshaping layers: Keras's argument
// standardisation (keras/src/utils/argument_validation.py, standardize_data_format), the
// InputSpec checks a layer makes on its inputs, and the bias / activity-regularizer steps
// every convolution ends with. Error wording is Keras's.
#include <cstdint>
#include <string>
#include <vector>

#include "keras/layer.hpp"
#include "keras/regularizers.hpp"

namespace keras::layers::detail {

// `n` values from one (repeated) or exactly n; each > 0, or >= 0 with allow_zero.
std::vector<std::int64_t> standardize_tuple(const std::vector<std::int64_t>& value, int n, const std::string& name,
                                            bool allow_zero = false);
// "valid" / "same" (and "causal" when allowed), lower-cased.
std::string standardize_padding(const std::string& padding, bool allow_causal = false);
// "channels_last" / "channels_first", lower-cased; empty gives Keras's
// image_data_format(), which keras-cpp fixes at "channels_last".
std::string standardize_data_format(const std::string& data_format);
// Keras's interpolation names, lower-cased; the ones keras::ops::resize lacks raise
// NotImplementedError.
std::string standardize_interpolation(const std::string& interpolation);

// Keras's BaseConv argument checks: filters > 0, and not both strides and dilation > 1.
void check_filters(std::int64_t filters);
void check_depth_multiplier(std::int64_t depth_multiplier);
void check_strides_with_dilation(const std::vector<std::int64_t>& strides, const std::vector<std::int64_t>& dilation_rate);

// An (int, int) pair per spatial axis from Keras's forms: one number for every side, one
// per axis (symmetric), or one pair per axis. `what` names the argument in errors.
using SidePairs = std::vector<std::pair<std::int64_t, std::int64_t>>;
SidePairs standardize_side_pairs(const std::vector<std::vector<std::int64_t>>& value, int n, const std::string& what);

// The one input of a single-input layer; ValueError when it got a list of another length.
const Shape& single_shape(const Layer& layer, const std::vector<Shape>& input_shapes);
const Tensor& single_input(const Layer& layer, const Tensors& inputs);
// Keras's autocast: floating inputs are cast to the layer's dtype; others pass through.
Tensor autocast(const Layer& layer, const Tensor& x);

// InputSpec: the input of `layer` has exactly `ndim` axes (or at least `min_ndim` when
// `at_least`); ValueError naming the layer and the shape otherwise.
void check_ndim(const Layer& layer, const Shape& shape, std::int64_t ndim, bool at_least = false);
// The channel count of `shape` (axis 1 or -1); ValueError when it is unknown.
std::int64_t input_channels(const Layer& layer, const Shape& shape, bool channels_first);
// InputSpec axes: the channel axis keeps the size the layer was built with.
void check_channels(const Layer& layer, const Shape& shape, bool channels_first, std::int64_t expected);

// outputs + bias, the bias broadcast along the channel axis.
Tensor add_bias(const Tensor& outputs, const Tensor& bias, bool channels_first);
// Keras 3's activity regularization: regularizer(outputs) / batch size, as an add_loss term.
void add_activity_loss(Layer& layer, const regularizers::RegularizerArg& regularizer, const Tensor& outputs);

// "(a, b)" as Python prints a tuple (a 1-tuple as "(a,)").
std::string tuple_str(const std::vector<std::int64_t>& values);

}  // namespace keras::layers::detail
