// keras.ops.image.resize, bilinear and nearest, without antialiasing, with half-pixel
// centres as Keras 3 (TF2 / JAX) computes them: output pixel j samples the input at
// (j + 0.5) * in / out - 0.5. A composite of gathers and arithmetic, one spatial axis at
// a time (both interpolations are separable), so autodiff derives its gradient.
#include <cmath>

#include "keras/ops/manipulation.hpp"
#include "keras/ops/nn.hpp"
#include "graph/symbolic.hpp"
#include "ops/common.hpp"
#include "ops/spatial.hpp"

namespace keras::ops {

namespace {

Tensor index_tensor(const std::vector<std::int64_t>& v, const Device& device) {
  return Tensor::from_vector(v, {static_cast<std::int64_t>(v.size())}, device);
}

// Nearest: the input pixel whose cell holds the output pixel's centre,
// floor((j + 0.5) * in / out).
Tensor nearest_axis(const Tensor& x, int axis, std::int64_t out) {
  const std::int64_t in = x.shape()[static_cast<std::size_t>(axis)];
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  std::vector<std::int64_t> idx(static_cast<std::size_t>(out));
  for (std::int64_t j = 0; j < out; ++j) {
    const auto i = static_cast<std::int64_t>(std::floor((static_cast<double>(j) + 0.5) * scale));
    idx[static_cast<std::size_t>(j)] = std::min(i, in - 1);
  }
  return take(x, index_tensor(idx, x.device()), axis);
}

// Bilinear: a blend of the two input pixels around the sample position, clamped to the
// first / last pixel at the borders.
Tensor bilinear_axis(const Tensor& x, int axis, std::int64_t out) {
  const std::int64_t in = x.shape()[static_cast<std::size_t>(axis)];
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  std::vector<std::int64_t> lo(static_cast<std::size_t>(out));
  std::vector<std::int64_t> hi(static_cast<std::size_t>(out));
  std::vector<double> frac(static_cast<std::size_t>(out));
  for (std::int64_t j = 0; j < out; ++j) {
    const auto u = static_cast<std::size_t>(j);
    const double src = std::max((static_cast<double>(j) + 0.5) * scale - 0.5, 0.0);
    lo[u] = std::min(static_cast<std::int64_t>(std::floor(src)), in - 1);
    hi[u] = std::min(lo[u] + 1, in - 1);
    frac[u] = src - static_cast<double>(lo[u]);
  }
  Shape w_shape(static_cast<std::size_t>(x.ndim()), 1);
  w_shape[static_cast<std::size_t>(axis)] = out;
  Tensor w = cast(Tensor::from_vector(frac, w_shape, x.device()), x.dtype());
  Tensor a = take(x, index_tensor(lo, x.device()), axis);
  Tensor b = take(x, index_tensor(hi, x.device()), axis);
  return add(a, multiply(subtract(b, a), w));
}

}  // namespace

Tensor resize(const Tensor& images, const std::vector<std::int64_t>& size, const ResizeOptions& options) {
  KERAS_SYMBOLIC_OP("resize", resize(in[0], size, options), images);
  detail::require_defined(images, "resize", "images");
  if (size.size() != 2 || size[0] < 1 || size[1] < 1) {
    throw ValueError("Expected `size` to be a tuple of 2 positive integers. Received: size=(" +
                     detail::join_ints(size) + ")");
  }
  const std::string& interpolation = options.interpolation;
  if (interpolation == "bicubic" || interpolation == "lanczos3" || interpolation == "lanczos5" ||
      interpolation == "area") {
    throw NotImplementedError("resize: interpolation='" + interpolation + "' is not supported yet");
  }
  if (interpolation != "bilinear" && interpolation != "nearest") {
    throw ValueError("Invalid value for argument `interpolation`. Expected one of ('bilinear', "
                     "'nearest', 'bicubic', 'lanczos3', 'lanczos5', 'area'). Received: "
                     "interpolation=" + interpolation);
  }
  const bool channels_first = detail::is_channels_first(options.data_format);
  if (images.ndim() != 3 && images.ndim() != 4) {
    throw ValueError("Invalid images rank: expected rank 3 (single image) or rank 4 (batch of "
                     "images). Received input with shape: images.shape=" + shape_str(images.shape()));
  }
  const bool bilinear = interpolation == "bilinear";
  Tensor x = bilinear ? detail::to_float(images) : detail::strong(images);
  const int height = static_cast<int>(images.ndim() - 3) + (channels_first ? 1 : 0);
  for (int k = 0; k < 2; ++k) {
    const int axis = height + k;
    const std::int64_t out = size[static_cast<std::size_t>(k)];
    if (x.shape()[static_cast<std::size_t>(axis)] == out) continue;  // sampling at the pixels
    x = bilinear ? bilinear_axis(x, axis, out) : nearest_axis(x, axis, out);
  }
  return x;
}

}  // namespace keras::ops
