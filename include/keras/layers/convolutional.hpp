#pragma once
// Convolution layers (keras.layers.Conv1D, Conv2D, Conv1DTranspose, Conv2DTranspose,
// DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D), written in
// keras::ops, so autodiff differentiates them.
//
// Spatial arguments (kernel_size, strides, dilation_rate, output_padding) take one number
// for every spatial axis ({3}) or one per axis ({3, 1}), as Keras takes an int or a tuple.
// Kernels keep Keras's layout whatever the data format: a convolution's kernel is
// (spatial..., in_channels / groups, filters), a transposed convolution's (spatial...,
// filters, in_channels), a depthwise kernel (spatial..., in_channels, depth_multiplier),
// so weight files map one-to-one.
#include <cstdint>
#include <string>
#include <vector>

#include "keras/activations.hpp"
#include "keras/layer.hpp"

namespace keras::layers {

// ---- Conv1D, Conv2D ------------------------------------------------------------------

// Keras's BaseConv keyword arguments and defaults.
struct BaseConvOptions {
  std::vector<std::int64_t> strides = {1};
  std::string padding = "valid";  // "valid", "same"; Conv1D also "causal"
  std::string data_format;        // empty: "channels_last" (Keras's image_data_format())
  std::vector<std::int64_t> dilation_rate = {1};
  std::int64_t groups = 1;
  activations::ActivationArg activation;  // default: linear (Keras's None)
  bool use_bias = true;
  initializers::InitializerArg kernel_initializer = "glorot_uniform";
  initializers::InitializerArg bias_initializer = "zeros";
  regularizers::RegularizerArg kernel_regularizer;
  regularizers::RegularizerArg bias_regularizer;
  regularizers::RegularizerArg activity_regularizer;
  constraints::ConstraintArg kernel_constraint;
  constraints::ConstraintArg bias_constraint;
  KERAS_LAYER_BASE_OPTIONS
};
using Conv1DOptions = BaseConvOptions;
using Conv2DOptions = BaseConvOptions;

// An N-d convolution (N = 1 or 2) plus bias and activation: weights "kernel"
// (spatial..., in_channels / groups, filters) and "bias" (filters,).
class BaseConvLayer : public Layer {
 public:
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  json get_config() const override;

  // Undefined until the layer is built.
  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }
  int rank() const { return rank_; }
  std::int64_t filters() const { return filters_; }
  const std::vector<std::int64_t>& kernel_size() const { return kernel_size_; }
  const BaseConvOptions& options() const { return options_; }  // standardized

 protected:
  BaseConvLayer(int rank, std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                const BaseConvOptions& options);

 private:
  int rank_;
  std::int64_t filters_;
  std::vector<std::int64_t> kernel_size_;
  BaseConvOptions options_;
  std::int64_t in_channels_ = -1;
  Variable kernel_;
  Variable bias_;
};

class Conv1DLayer final : public BaseConvLayer {
 public:
  Conv1DLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size, const Conv1DOptions& options = {});
  std::string class_name() const override { return "Conv1D"; }
  // Also reads Keras 1's Convolution1D arguments (nb_filter, filter_length, border_mode,
  // subsample_length, init, W_regularizer, ..., input_dim / input_length).
  static LayerRef<Conv1DLayer> from_config(const json& config);
};

class Conv2DLayer final : public BaseConvLayer {
 public:
  Conv2DLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size, const Conv2DOptions& options = {});
  std::string class_name() const override { return "Conv2D"; }
  // Also reads Keras 1's Convolution2D arguments (nb_filter, nb_row, nb_col,
  // border_mode, subsample, dim_ordering, init, W_regularizer, ...).
  static LayerRef<Conv2DLayer> from_config(const json& config);
};

inline LayerRef<Conv1DLayer> Conv1D(std::int64_t filters, std::vector<std::int64_t> kernel_size,
                                    const Conv1DOptions& options = {}) {
  return make_layer<Conv1DLayer>(filters, kernel_size, options);
}
inline LayerRef<Conv1DLayer> Conv1D(std::int64_t filters, std::int64_t kernel_size, const Conv1DOptions& options = {}) {
  return make_layer<Conv1DLayer>(filters, std::vector<std::int64_t>{kernel_size}, options);
}
inline LayerRef<Conv2DLayer> Conv2D(std::int64_t filters, std::vector<std::int64_t> kernel_size,
                                    const Conv2DOptions& options = {}) {
  return make_layer<Conv2DLayer>(filters, kernel_size, options);
}
inline LayerRef<Conv2DLayer> Conv2D(std::int64_t filters, std::int64_t kernel_size, const Conv2DOptions& options = {}) {
  return make_layer<Conv2DLayer>(filters, std::vector<std::int64_t>{kernel_size}, options);
}
// Keras's aliases.
inline LayerRef<Conv1DLayer> Convolution1D(std::int64_t filters, std::vector<std::int64_t> kernel_size,
                                           const Conv1DOptions& options = {}) {
  return Conv1D(filters, std::move(kernel_size), options);
}
inline LayerRef<Conv1DLayer> Convolution1D(std::int64_t filters, std::int64_t kernel_size,
                                           const Conv1DOptions& options = {}) {
  return Conv1D(filters, kernel_size, options);
}
inline LayerRef<Conv2DLayer> Convolution2D(std::int64_t filters, std::vector<std::int64_t> kernel_size,
                                           const Conv2DOptions& options = {}) {
  return Conv2D(filters, std::move(kernel_size), options);
}
inline LayerRef<Conv2DLayer> Convolution2D(std::int64_t filters, std::int64_t kernel_size,
                                           const Conv2DOptions& options = {}) {
  return Conv2D(filters, kernel_size, options);
}

// ---- Conv1DTranspose, Conv2DTranspose ------------------------------------------------

struct BaseConvTransposeOptions {
  std::vector<std::int64_t> strides = {1};
  std::string padding = "valid";
  std::vector<std::int64_t> output_padding;  // empty: None (inferred); each < its stride
  std::string data_format;
  std::vector<std::int64_t> dilation_rate = {1};
  activations::ActivationArg activation;
  bool use_bias = true;
  initializers::InitializerArg kernel_initializer = "glorot_uniform";
  initializers::InitializerArg bias_initializer = "zeros";
  regularizers::RegularizerArg kernel_regularizer;
  regularizers::RegularizerArg bias_regularizer;
  regularizers::RegularizerArg activity_regularizer;
  constraints::ConstraintArg kernel_constraint;
  constraints::ConstraintArg bias_constraint;
  KERAS_LAYER_BASE_OPTIONS
};
using Conv1DTransposeOptions = BaseConvTransposeOptions;
using Conv2DTransposeOptions = BaseConvTransposeOptions;

// The transpose of a convolution (the gradient of a conv with respect to its input):
// weights "kernel" (spatial..., filters, in_channels) and "bias" (filters,).
class BaseConvTransposeLayer : public Layer {
 public:
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  json get_config() const override;

  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }
  int rank() const { return rank_; }
  std::int64_t filters() const { return filters_; }
  const std::vector<std::int64_t>& kernel_size() const { return kernel_size_; }
  const BaseConvTransposeOptions& options() const { return options_; }

 protected:
  BaseConvTransposeLayer(int rank, std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                         const BaseConvTransposeOptions& options);

 private:
  int rank_;
  std::int64_t filters_;
  std::vector<std::int64_t> kernel_size_;
  BaseConvTransposeOptions options_;
  std::int64_t in_channels_ = -1;
  Variable kernel_;
  Variable bias_;
};

class Conv1DTransposeLayer final : public BaseConvTransposeLayer {
 public:
  Conv1DTransposeLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                       const Conv1DTransposeOptions& options = {});
  std::string class_name() const override { return "Conv1DTranspose"; }
  static LayerRef<Conv1DTransposeLayer> from_config(const json& config);
};

class Conv2DTransposeLayer final : public BaseConvTransposeLayer {
 public:
  Conv2DTransposeLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                       const Conv2DTransposeOptions& options = {});
  std::string class_name() const override { return "Conv2DTranspose"; }
  // Also reads Keras 1's Deconvolution2D arguments (nb_filter, nb_row, nb_col, ...).
  static LayerRef<Conv2DTransposeLayer> from_config(const json& config);
};

inline LayerRef<Conv1DTransposeLayer> Conv1DTranspose(std::int64_t filters, std::vector<std::int64_t> kernel_size,
                                                      const Conv1DTransposeOptions& options = {}) {
  return make_layer<Conv1DTransposeLayer>(filters, kernel_size, options);
}
inline LayerRef<Conv1DTransposeLayer> Conv1DTranspose(std::int64_t filters, std::int64_t kernel_size,
                                                      const Conv1DTransposeOptions& options = {}) {
  return make_layer<Conv1DTransposeLayer>(filters, std::vector<std::int64_t>{kernel_size}, options);
}
inline LayerRef<Conv2DTransposeLayer> Conv2DTranspose(std::int64_t filters, std::vector<std::int64_t> kernel_size,
                                                      const Conv2DTransposeOptions& options = {}) {
  return make_layer<Conv2DTransposeLayer>(filters, kernel_size, options);
}
inline LayerRef<Conv2DTransposeLayer> Conv2DTranspose(std::int64_t filters, std::int64_t kernel_size,
                                                      const Conv2DTransposeOptions& options = {}) {
  return make_layer<Conv2DTransposeLayer>(filters, std::vector<std::int64_t>{kernel_size}, options);
}
inline LayerRef<Conv1DTransposeLayer> Convolution1DTranspose(std::int64_t filters,
                                                             std::vector<std::int64_t> kernel_size,
                                                             const Conv1DTransposeOptions& options = {}) {
  return Conv1DTranspose(filters, std::move(kernel_size), options);
}
inline LayerRef<Conv1DTransposeLayer> Convolution1DTranspose(std::int64_t filters, std::int64_t kernel_size,
                                                             const Conv1DTransposeOptions& options = {}) {
  return Conv1DTranspose(filters, kernel_size, options);
}
inline LayerRef<Conv2DTransposeLayer> Convolution2DTranspose(std::int64_t filters,
                                                             std::vector<std::int64_t> kernel_size,
                                                             const Conv2DTransposeOptions& options = {}) {
  return Conv2DTranspose(filters, std::move(kernel_size), options);
}
inline LayerRef<Conv2DTransposeLayer> Convolution2DTranspose(std::int64_t filters, std::int64_t kernel_size,
                                                             const Conv2DTransposeOptions& options = {}) {
  return Conv2DTranspose(filters, kernel_size, options);
}

// ---- DepthwiseConv1D, DepthwiseConv2D ------------------------------------------------

struct BaseDepthwiseConvOptions {
  std::vector<std::int64_t> strides = {1};
  std::string padding = "valid";
  std::int64_t depth_multiplier = 1;
  std::string data_format;
  std::vector<std::int64_t> dilation_rate = {1};
  activations::ActivationArg activation;
  bool use_bias = true;
  initializers::InitializerArg depthwise_initializer = "glorot_uniform";
  initializers::InitializerArg bias_initializer = "zeros";
  regularizers::RegularizerArg depthwise_regularizer;
  regularizers::RegularizerArg bias_regularizer;
  regularizers::RegularizerArg activity_regularizer;
  constraints::ConstraintArg depthwise_constraint;
  constraints::ConstraintArg bias_constraint;
  KERAS_LAYER_BASE_OPTIONS
};
using DepthwiseConv1DOptions = BaseDepthwiseConvOptions;
using DepthwiseConv2DOptions = BaseDepthwiseConvOptions;

// Each input channel convolved with its own depth_multiplier filters: weights "kernel"
// (spatial..., in_channels, depth_multiplier) (Keras 3's name; Keras 2 called it
// "depthwise_kernel") and "bias" (in_channels * depth_multiplier,). Output channel
// c * depth_multiplier + m comes from input channel c.
class BaseDepthwiseConvLayer : public Layer {
 public:
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  json get_config() const override;

  const Variable& kernel() const { return kernel_; }
  const Variable& bias() const { return bias_; }
  int rank() const { return rank_; }
  const std::vector<std::int64_t>& kernel_size() const { return kernel_size_; }
  const BaseDepthwiseConvOptions& options() const { return options_; }

 protected:
  BaseDepthwiseConvLayer(int rank, const std::vector<std::int64_t>& kernel_size, const BaseDepthwiseConvOptions& options);

 private:
  int rank_;
  std::vector<std::int64_t> kernel_size_;
  BaseDepthwiseConvOptions options_;
  std::int64_t in_channels_ = -1;
  Variable kernel_;
  Variable bias_;
};

class DepthwiseConv1DLayer final : public BaseDepthwiseConvLayer {
 public:
  explicit DepthwiseConv1DLayer(const std::vector<std::int64_t>& kernel_size, const DepthwiseConv1DOptions& options = {});
  std::string class_name() const override { return "DepthwiseConv1D"; }
  static LayerRef<DepthwiseConv1DLayer> from_config(const json& config);
};

class DepthwiseConv2DLayer final : public BaseDepthwiseConvLayer {
 public:
  explicit DepthwiseConv2DLayer(const std::vector<std::int64_t>& kernel_size, const DepthwiseConv2DOptions& options = {});
  std::string class_name() const override { return "DepthwiseConv2D"; }
  static LayerRef<DepthwiseConv2DLayer> from_config(const json& config);
};

inline LayerRef<DepthwiseConv1DLayer> DepthwiseConv1D(std::vector<std::int64_t> kernel_size,
                                                      const DepthwiseConv1DOptions& options = {}) {
  return make_layer<DepthwiseConv1DLayer>(kernel_size, options);
}
inline LayerRef<DepthwiseConv1DLayer> DepthwiseConv1D(std::int64_t kernel_size, const DepthwiseConv1DOptions& options = {}) {
  return make_layer<DepthwiseConv1DLayer>(std::vector<std::int64_t>{kernel_size}, options);
}
inline LayerRef<DepthwiseConv2DLayer> DepthwiseConv2D(std::vector<std::int64_t> kernel_size,
                                                      const DepthwiseConv2DOptions& options = {}) {
  return make_layer<DepthwiseConv2DLayer>(kernel_size, options);
}
inline LayerRef<DepthwiseConv2DLayer> DepthwiseConv2D(std::int64_t kernel_size, const DepthwiseConv2DOptions& options = {}) {
  return make_layer<DepthwiseConv2DLayer>(std::vector<std::int64_t>{kernel_size}, options);
}

// ---- SeparableConv1D, SeparableConv2D ------------------------------------------------

struct BaseSeparableConvOptions {
  std::vector<std::int64_t> strides = {1};
  std::string padding = "valid";
  std::string data_format;
  std::vector<std::int64_t> dilation_rate = {1};
  std::int64_t depth_multiplier = 1;
  activations::ActivationArg activation;
  bool use_bias = true;
  initializers::InitializerArg depthwise_initializer = "glorot_uniform";
  initializers::InitializerArg pointwise_initializer = "glorot_uniform";
  initializers::InitializerArg bias_initializer = "zeros";
  regularizers::RegularizerArg depthwise_regularizer;
  regularizers::RegularizerArg pointwise_regularizer;
  regularizers::RegularizerArg bias_regularizer;
  regularizers::RegularizerArg activity_regularizer;
  constraints::ConstraintArg depthwise_constraint;
  constraints::ConstraintArg pointwise_constraint;
  constraints::ConstraintArg bias_constraint;
  KERAS_LAYER_BASE_OPTIONS
};
using SeparableConv1DOptions = BaseSeparableConvOptions;
using SeparableConv2DOptions = BaseSeparableConvOptions;

// A depthwise convolution then a 1x1 convolution: weights "depthwise_kernel"
// (spatial..., in_channels, depth_multiplier), "pointwise_kernel" (1..., in_channels *
// depth_multiplier, filters) and "bias" (filters,).
class BaseSeparableConvLayer : public Layer {
 public:
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  json get_config() const override;

  const Variable& depthwise_kernel() const { return depthwise_kernel_; }
  const Variable& pointwise_kernel() const { return pointwise_kernel_; }
  const Variable& bias() const { return bias_; }
  int rank() const { return rank_; }
  std::int64_t filters() const { return filters_; }
  const std::vector<std::int64_t>& kernel_size() const { return kernel_size_; }
  const BaseSeparableConvOptions& options() const { return options_; }

 protected:
  BaseSeparableConvLayer(int rank, std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                         const BaseSeparableConvOptions& options);

 private:
  int rank_;
  std::int64_t filters_;
  std::vector<std::int64_t> kernel_size_;
  BaseSeparableConvOptions options_;
  std::int64_t in_channels_ = -1;
  Variable depthwise_kernel_;
  Variable pointwise_kernel_;
  Variable bias_;
};

class SeparableConv1DLayer final : public BaseSeparableConvLayer {
 public:
  SeparableConv1DLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                       const SeparableConv1DOptions& options = {});
  std::string class_name() const override { return "SeparableConv1D"; }
  static LayerRef<SeparableConv1DLayer> from_config(const json& config);
};

class SeparableConv2DLayer final : public BaseSeparableConvLayer {
 public:
  SeparableConv2DLayer(std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                       const SeparableConv2DOptions& options = {});
  std::string class_name() const override { return "SeparableConv2D"; }
  // Also reads Keras 1's SeparableConvolution2D arguments (nb_filter, nb_row, nb_col, ...).
  static LayerRef<SeparableConv2DLayer> from_config(const json& config);
};

inline LayerRef<SeparableConv1DLayer> SeparableConv1D(std::int64_t filters, std::vector<std::int64_t> kernel_size,
                                                      const SeparableConv1DOptions& options = {}) {
  return make_layer<SeparableConv1DLayer>(filters, kernel_size, options);
}
inline LayerRef<SeparableConv1DLayer> SeparableConv1D(std::int64_t filters, std::int64_t kernel_size,
                                                      const SeparableConv1DOptions& options = {}) {
  return make_layer<SeparableConv1DLayer>(filters, std::vector<std::int64_t>{kernel_size}, options);
}
inline LayerRef<SeparableConv2DLayer> SeparableConv2D(std::int64_t filters, std::vector<std::int64_t> kernel_size,
                                                      const SeparableConv2DOptions& options = {}) {
  return make_layer<SeparableConv2DLayer>(filters, kernel_size, options);
}
inline LayerRef<SeparableConv2DLayer> SeparableConv2D(std::int64_t filters, std::int64_t kernel_size,
                                                      const SeparableConv2DOptions& options = {}) {
  return make_layer<SeparableConv2DLayer>(filters, std::vector<std::int64_t>{kernel_size}, options);
}
inline LayerRef<SeparableConv1DLayer> SeparableConvolution1D(std::int64_t filters,
                                                             std::vector<std::int64_t> kernel_size,
                                                             const SeparableConv1DOptions& options = {}) {
  return SeparableConv1D(filters, std::move(kernel_size), options);
}
inline LayerRef<SeparableConv1DLayer> SeparableConvolution1D(std::int64_t filters, std::int64_t kernel_size,
                                                             const SeparableConv1DOptions& options = {}) {
  return SeparableConv1D(filters, kernel_size, options);
}
inline LayerRef<SeparableConv2DLayer> SeparableConvolution2D(std::int64_t filters,
                                                             std::vector<std::int64_t> kernel_size,
                                                             const SeparableConv2DOptions& options = {}) {
  return SeparableConv2D(filters, std::move(kernel_size), options);
}
inline LayerRef<SeparableConv2DLayer> SeparableConvolution2D(std::int64_t filters, std::int64_t kernel_size,
                                                             const SeparableConv2DOptions& options = {}) {
  return SeparableConv2D(filters, kernel_size, options);
}

}  // namespace keras::layers
