#pragma once
// Neural-network ops (keras.ops.nn / keras.ops.image): activations, softmax, convolution,
// pooling, resizing, normalisation and crossentropy primitives. Spatial arguments given as
// one number apply to every spatial axis.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/ops/axes.hpp"
#include "keras/tensor.hpp"

namespace keras::random {
class SeedGenerator;
}

namespace keras::ops {

Tensor relu(const Tensor& x);
Tensor relu6(const Tensor& x);
Tensor leaky_relu(const Tensor& x, double negative_slope = 0.2);
Tensor elu(const Tensor& x, double alpha = 1.0);
Tensor selu(const Tensor& x);
// approximate=true is Keras's default (the tanh form); false is the exact erf form.
Tensor gelu(const Tensor& x, bool approximate = true);
Tensor sigmoid(const Tensor& x);
// Keras 3's hard_sigmoid: relu6(x + 3) / 6.
Tensor hard_sigmoid(const Tensor& x);
Tensor silu(const Tensor& x);
Tensor swish(const Tensor& x);
Tensor softplus(const Tensor& x);
Tensor softsign(const Tensor& x);
Tensor softmax(const Tensor& x, std::int64_t axis = -1);
Tensor log_softmax(const Tensor& x, std::int64_t axis = -1);
// x / sqrt(max(sum(x^2, axis), epsilon)).
Tensor l2_normalize(const Tensor& x, std::int64_t axis = -1, double epsilon = 1e-12);

struct DropoutOptions {
  // Shape of the keep/drop mask, broadcast against x; empty means x's shape.
  Shape noise_shape;
  std::optional<std::uint64_t> seed;
  // Instead of `seed`: draw the mask from this generator's stream (Keras's
  // `seed=SeedGenerator`); it must outlive the call. Layers pass their own.
  random::SeedGenerator* seed_generator = nullptr;
};
// Zeroes each element with probability `rate` and scales the rest by 1 / (1 - rate).
Tensor dropout(const Tensor& x, double rate, const DropoutOptions& options = {});

struct ConvOptions {
  std::vector<std::int64_t> strides = {1};
  std::string padding = "valid";  // "valid" or "same"
  std::string data_format = "channels_last";
  std::vector<std::int64_t> dilation_rate = {1};
};
// N-d convolution for N = 1 or 2. kernel is Keras's (spatial..., in_channels / groups,
// filters); groups = input channels / kernel's in_channels.
Tensor conv(const Tensor& inputs, const Tensor& kernel, const ConvOptions& options = {});
// kernel: (spatial..., in_channels, depth_multiplier).
Tensor depthwise_conv(const Tensor& inputs, const Tensor& kernel, const ConvOptions& options = {});

struct ConvTransposeOptions {
  std::vector<std::int64_t> strides = {1};
  std::string padding = "valid";
  std::vector<std::int64_t> output_padding = {};  // empty: inferred as Keras does
  std::string data_format = "channels_last";
  std::vector<std::int64_t> dilation_rate = {1};
};
// kernel: (spatial..., filters, in_channels), Keras's Conv2DTranspose layout.
Tensor conv_transpose(const Tensor& inputs, const Tensor& kernel,
                      const ConvTransposeOptions& options = {});

struct PoolOptions {
  std::vector<std::int64_t> strides = {};  // empty: pool_size
  std::string padding = "valid";
  std::string data_format = "channels_last";
};
Tensor max_pool(const Tensor& inputs, const std::vector<std::int64_t>& pool_size,
                const PoolOptions& options = {});
// With "same" padding the padded positions are left out of each average, as in Keras.
Tensor average_pool(const Tensor& inputs, const std::vector<std::int64_t>& pool_size,
                    const PoolOptions& options = {});

struct ResizeOptions {
  std::string interpolation = "bilinear";  // "bilinear" or "nearest"
  std::string data_format = "channels_last";
};
// keras.ops.image.resize of a batch of images (4-D) or one image (3-D) to (height, width),
// half-pixel centres as in Keras 3.
Tensor resize(const Tensor& images, const std::vector<std::int64_t>& size,
              const ResizeOptions& options = {});

// (x - mean) / sqrt(variance + epsilon) * scale + offset, where mean / variance / offset /
// scale are 1-D over `axis` (undefined offset / scale are skipped).
Tensor batch_normalization(const Tensor& x, const Tensor& mean, const Tensor& variance,
                           std::int64_t axis, const Tensor& offset = {},
                           const Tensor& scale = {}, double epsilon = 1e-3);
// Normalises over `axis` with the statistics of each sample, then gamma / beta. epsilon
// defaults to Keras's backend.epsilon() (1e-7), as keras.ops.layer_normalization does (the
// LayerNormalization layer's own default is 1e-3).
Tensor layer_normalization(const Tensor& x, const Tensor& gamma = {}, const Tensor& beta = {},
                           Axes axis = -1, double epsilon = 1e-7);

// Crossentropy primitives, per sample (reduced over `axis`), as keras.ops.*.
// Probabilities are clipped to [epsilon, 1 - epsilon] with Keras's epsilon 1e-7.
Tensor binary_crossentropy(const Tensor& target, const Tensor& output, bool from_logits = false);
Tensor categorical_crossentropy(const Tensor& target, const Tensor& output,
                                bool from_logits = false, std::int64_t axis = -1);
// target holds class indices (integers) of output's shape without `axis`.
Tensor sparse_categorical_crossentropy(const Tensor& target, const Tensor& output,
                                       bool from_logits = false, std::int64_t axis = -1);

}  // namespace keras::ops
