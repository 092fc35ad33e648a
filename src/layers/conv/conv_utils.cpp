#include "layers/conv/conv_utils.hpp"

#include <algorithm>
#include <cctype>

#include "graph/symbolic.hpp"
#include "keras/ops.hpp"

namespace keras::layers::detail {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Python's repr of what the caller passed: a bare int for one value, else a tuple.
std::string given_str(const std::vector<std::int64_t>& value) {
  return value.size() == 1 ? std::to_string(value[0]) : tuple_str(value);
}

std::string incompatible(const Layer& layer) {
  return "Input 0 of layer '" + layer.name() + "' is incompatible with the layer: ";
}

// A symbolic call runs on stand-ins whose unknown dimensions hold made-up sizes, so the
// shape is only named when it is real.
std::string received(const Shape& shape, const std::string& prefix) {
  return graph::probing() ? "" : prefix + shape_str(shape);
}

}  // namespace

std::string tuple_str(const std::vector<std::int64_t>& values) {
  std::string s = "(";
  for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
  return s + (values.size() == 1 ? ",)" : ")");
}

std::vector<std::int64_t> standardize_tuple(const std::vector<std::int64_t>& value, int n, const std::string& name,
                                            bool allow_zero) {
  std::string message = "The `" + name + "` argument must be a tuple of " + std::to_string(n) +
                        " integers. Received " + name + "=" + given_str(value);
  if (value.size() != 1 && value.size() != static_cast<std::size_t>(n)) throw ValueError(message);
  std::vector<std::int64_t> out = value.size() == 1 ? std::vector<std::int64_t>(static_cast<std::size_t>(n), value[0]) : value;
  std::vector<std::int64_t> bad;
  for (auto v : out) {
    if ((allow_zero ? v < 0 : v <= 0) && std::find(bad.begin(), bad.end(), v) == bad.end()) bad.push_back(v);
  }
  if (!bad.empty()) {
    std::string set = "{";
    for (std::size_t i = 0; i < bad.size(); ++i) set += (i ? ", " : "") + std::to_string(bad[i]);
    throw ValueError(message + ", including values " + set + "} that do not satisfy `value " +
                     (allow_zero ? ">= 0" : "> 0") + "`");
  }
  return out;
}

std::string standardize_padding(const std::string& padding, bool allow_causal) {
  const std::string p = lower(padding);
  if (p == "valid" || p == "same" || (allow_causal && p == "causal")) return p;
  throw ValueError(std::string("The `padding` argument must be a list/tuple or one of ") +
                   (allow_causal ? "{'valid', 'same', 'causal'}" : "{'valid', 'same'}") + ". Received: " + p);
}

std::string standardize_data_format(const std::string& data_format) {
  if (data_format.empty()) return "channels_last";
  const std::string f = lower(data_format);
  if (f != "channels_first" && f != "channels_last") {
    throw ValueError("The `data_format` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=" + f);
  }
  return f;
}

std::string standardize_interpolation(const std::string& interpolation) {
  const std::string i = lower(interpolation);
  if (i == "nearest" || i == "bilinear") return i;
  if (i == "bicubic" || i == "lanczos3" || i == "lanczos5" || i == "area") {
    throw NotImplementedError("UpSampling2D: interpolation='" + i +
                              "' is not implemented in keras-cpp; use 'nearest' or 'bilinear'");
  }
  throw ValueError("Invalid value for argument `interpolation`. Expected one of {'nearest', 'bilinear', 'bicubic', "
                   "'lanczos3', 'lanczos5', 'area'}. Received: interpolation=" + i);
}

void check_filters(std::int64_t filters) {
  if (filters <= 0) {
    throw ValueError("Invalid value for argument `filters`. Expected a strictly positive value. Received filters=" +
                     std::to_string(filters) + ".");
  }
}

void check_depth_multiplier(std::int64_t depth_multiplier) {
  if (depth_multiplier <= 0) {
    throw ValueError("Invalid value for argument `depth_multiplier`. Expected a strictly positive value. Received "
                     "depth_multiplier=" + std::to_string(depth_multiplier) + ".");
  }
}

void check_strides_with_dilation(const std::vector<std::int64_t>& strides, const std::vector<std::int64_t>& dilation_rate) {
  const auto above_one = [](std::int64_t v) { return v > 1; };
  if (std::any_of(strides.begin(), strides.end(), above_one) &&
      std::any_of(dilation_rate.begin(), dilation_rate.end(), above_one)) {
    throw ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=" +
                     tuple_str(strides) + " and dilation_rate=" + tuple_str(dilation_rate));
  }
}

SidePairs standardize_side_pairs(const std::vector<std::vector<std::int64_t>>& value, int n, const std::string& what) {
  const auto n_axes = static_cast<std::size_t>(n);
  if (value.size() == 1 && value[0].size() == 1) {
    const auto both = standardize_tuple(value[0], 2, what, true);
    return SidePairs(n_axes, {both[0], both[1]});
  }
  if (value.size() != n_axes) {
    std::string given = "(";
    for (std::size_t i = 0; i < value.size(); ++i) given += (i ? ", " : "") + given_str(value[i]);
    throw ValueError("`" + what + "` should have " + std::to_string(n) + " elements. Received: " + what + "=" + given + ")");
  }
  static const char* const ordinals[] = {"1st", "2nd", "3rd"};
  SidePairs out;
  for (std::size_t i = 0; i < n_axes; ++i) {
    const auto pair = standardize_tuple(value[i], 2, std::string(ordinals[std::min<std::size_t>(i, 2)]) + " entry of " + what, true);
    out.emplace_back(pair[0], pair[1]);
  }
  return out;
}

namespace {

void check_single(const Layer& layer, std::size_t count) {
  if (count != 1) {
    throw ValueError("Layer '" + layer.name() + "' expects 1 input(s), but it received " + std::to_string(count) +
                     " input tensors.");
  }
}

}  // namespace

const Shape& single_shape(const Layer& layer, const std::vector<Shape>& input_shapes) {
  check_single(layer, input_shapes.size());
  return input_shapes.front();
}

const Tensor& single_input(const Layer& layer, const Tensors& inputs) {
  check_single(layer, inputs.size());
  return inputs.front();
}

Tensor autocast(const Layer& layer, const Tensor& x) {
  return is_floating(x.dtype()) && x.dtype() != layer.dtype() ? ops::cast(x, layer.dtype()) : x;
}

void check_ndim(const Layer& layer, const Shape& shape, std::int64_t ndim, bool at_least) {
  const auto found = static_cast<std::int64_t>(shape.size());
  if (found == ndim) return;
  // A convolution's InputSpec says min_ndim, but the ops here take no extra batch axes.
  const bool too_few = found < ndim;
  throw ValueError(incompatible(layer) + "expected " + (at_least && too_few ? "min_ndim=" : "ndim=") +
                   std::to_string(ndim) + ", found ndim=" + std::to_string(found) +
                   received(shape, ". Full shape received: "));
}

std::int64_t input_channels(const Layer& layer, const Shape& shape, bool channels_first) {
  const std::int64_t c = channels_first ? shape[1] : shape.back();
  if (c < 0) {
    throw ValueError("The channel dimension of the inputs to layer '" + layer.name() +
                     "' should be defined. Found `None`. Full input shape received: " + shape_str(shape));
  }
  return c;
}

void check_channels(const Layer& layer, const Shape& shape, bool channels_first, std::int64_t expected) {
  const std::int64_t c = channels_first ? shape[1] : shape.back();
  if (c >= 0 && c != expected) {
    throw ValueError(incompatible(layer) + "expected axis " + (channels_first ? "1" : "-1") +
                     " of input shape to have value " + std::to_string(expected) + ", but received input with " +
                     (graph::probing() ? std::to_string(c) + " channels" : "shape " + shape_str(shape)));
  }
}

Tensor add_bias(const Tensor& outputs, const Tensor& bias, bool channels_first) {
  Shape shape(outputs.shape().size(), 1);
  shape[channels_first ? 1 : shape.size() - 1] = bias.shape()[0];
  return ops::add(outputs, ops::reshape(bias, shape));
}

void add_activity_loss(Layer& layer, const regularizers::RegularizerArg& regularizer, const Tensor& outputs) {
  if (!regularizer) return;
  Tensor loss = regularizer(outputs);
  // Keras 3 normalises by the batch size (divide_no_nan: an empty batch adds 0).
  const std::int64_t batch = outputs.ndim() > 0 ? outputs.shape()[0] : 1;
  layer.add_loss(batch > 0 ? ops::divide(loss, static_cast<double>(batch)) : ops::zeros_like(loss));
}

}  // namespace keras::layers::detail
