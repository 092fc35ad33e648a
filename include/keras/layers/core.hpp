#pragma once
// The core layers: Keras 2's layers/core.py family (Dense, Activation, Dropout, Flatten,
// Reshape, Permute, RepeatVector, ActivityRegularization, Masking) plus Keras 3's
// core/ additions (Embedding, Identity). Names, arguments, defaults, weights and configs
// are Keras 3's; `from_config` also reads Keras 2 (and Keras 1) spellings.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/activations.hpp"
#include "keras/layer.hpp"
#include "keras/random.hpp"

namespace keras::layers {

// ---- Dense ----------------------------------------------------------------------------

struct DenseOptions {
  activations::ActivationArg activation;  // none: linear
  bool use_bias = true;
  initializers::InitializerArg kernel_initializer = "glorot_uniform";
  initializers::InitializerArg bias_initializer = "zeros";
  regularizers::RegularizerArg kernel_regularizer;
  regularizers::RegularizerArg bias_regularizer;
  // Applied to the output; the penalty is divided by the batch size (Keras 3.14+).
  regularizers::RegularizerArg activity_regularizer;
  constraints::ConstraintArg kernel_constraint;
  constraints::ConstraintArg bias_constraint;
  std::optional<std::int64_t> input_dim;  // shorthand for input_shape = {input_dim}
  KERAS_LAYER_BASE_OPTIONS
};

// output = activation(inputs · kernel + bias), over the last axis of inputs of any rank >= 2.
class DenseLayer : public Layer {
 public:
  DenseLayer(std::int64_t units, const DenseOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "Dense"; }
  json get_config() const override;
  static LayerRef<DenseLayer> from_config(const json& config);

  std::int64_t units() const { return units_; }
  const DenseOptions& options() const { return options_; }
  // The weights (ValueError before the layer is built; bias also when use_bias is false).
  Variable kernel() const;
  Variable bias() const;

 private:
  std::int64_t units_;
  DenseOptions options_;
  Variable kernel_;
  Variable bias_;
};

inline LayerRef<DenseLayer> Dense(std::int64_t units, const DenseOptions& options = {}) {
  return make_layer<DenseLayer>(units, options);
}

// ---- Activation -----------------------------------------------------------------------

struct ActivationOptions {
  KERAS_LAYER_BASE_OPTIONS
};

class ActivationLayer : public Layer {
 public:
  ActivationLayer(activations::ActivationArg activation, const ActivationOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "Activation"; }
  json get_config() const override;
  static LayerRef<ActivationLayer> from_config(const json& config);
  const activations::ActivationArg& activation() const { return activation_; }

 private:
  activations::ActivationArg activation_;
};

inline LayerRef<ActivationLayer> Activation(activations::ActivationArg activation,
                                            const ActivationOptions& options = {}) {
  return make_layer<ActivationLayer>(std::move(activation), options);
}

// ---- Dropout --------------------------------------------------------------------------

struct DropoutOptions {
  // The shape of the keep/drop mask, broadcast against the input; None (-1) entries take
  // the input's dimension. Empty: the input's shape.
  Shape noise_shape;
  // Seeds the layer's generator; unset: a seed drawn from the global generator.
  std::optional<std::uint64_t> seed;
  KERAS_LAYER_BASE_OPTIONS
};

// In training, zeroes each unit with probability `rate` and scales the rest by
// 1 / (1 - rate); in inference, the identity. Each training call draws a new mask from
// the layer's own seed stream (Keras 3's SeedGenerator).
class DropoutLayer : public Layer {
 public:
  DropoutLayer(double rate, const DropoutOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "Dropout"; }
  json get_config() const override;
  static LayerRef<DropoutLayer> from_config(const json& config);
  double rate() const { return rate_; }
  const DropoutOptions& options() const { return options_; }

 private:
  double rate_;
  DropoutOptions options_;
  random::SeedGenerator seed_generator_;
};

inline LayerRef<DropoutLayer> Dropout(double rate, const DropoutOptions& options = {}) {
  return make_layer<DropoutLayer>(rate, options);
}

// ---- Flatten --------------------------------------------------------------------------

struct FlattenOptions {
  // "channels_last" or "channels_first" (empty: "channels_last", Keras's default
  // image_data_format). channels_first moves the channels last before flattening.
  std::string data_format;
  KERAS_LAYER_BASE_OPTIONS
};

class FlattenLayer : public Layer {
 public:
  explicit FlattenLayer(const FlattenOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "Flatten"; }
  json get_config() const override;
  static LayerRef<FlattenLayer> from_config(const json& config);
  const std::string& data_format() const { return data_format_; }

 private:
  std::string data_format_;
};

inline LayerRef<FlattenLayer> Flatten(const FlattenOptions& options = {}) {
  return make_layer<FlattenLayer>(options);
}

// ---- Reshape --------------------------------------------------------------------------

struct ReshapeOptions {
  KERAS_LAYER_BASE_OPTIONS
};

// Reshapes the non-batch axes to `target_shape`, in which one -1 may stand for the size
// that keeps the element count.
class ReshapeLayer : public Layer {
 public:
  ReshapeLayer(Shape target_shape, const ReshapeOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "Reshape"; }
  json get_config() const override;
  static LayerRef<ReshapeLayer> from_config(const json& config);
  const Shape& target_shape() const { return target_shape_; }

 private:
  Shape target_shape_;
};

inline LayerRef<ReshapeLayer> Reshape(Shape target_shape, const ReshapeOptions& options = {}) {
  return make_layer<ReshapeLayer>(std::move(target_shape), options);
}

// ---- Permute --------------------------------------------------------------------------

struct PermuteOptions {
  KERAS_LAYER_BASE_OPTIONS
};

// Permutes the non-batch axes: `dims` is a permutation of 1..n (1-based, as Keras).
class PermuteLayer : public Layer {
 public:
  PermuteLayer(std::vector<std::int64_t> dims, const PermuteOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "Permute"; }
  json get_config() const override;
  static LayerRef<PermuteLayer> from_config(const json& config);
  const std::vector<std::int64_t>& dims() const { return dims_; }

 private:
  std::vector<std::int64_t> dims_;
};

inline LayerRef<PermuteLayer> Permute(std::vector<std::int64_t> dims, const PermuteOptions& options = {}) {
  return make_layer<PermuteLayer>(std::move(dims), options);
}

// ---- RepeatVector ---------------------------------------------------------------------

struct RepeatVectorOptions {
  KERAS_LAYER_BASE_OPTIONS
};

// (batch, features) -> (batch, n, features).
class RepeatVectorLayer : public Layer {
 public:
  RepeatVectorLayer(std::int64_t n, const RepeatVectorOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "RepeatVector"; }
  json get_config() const override;
  static LayerRef<RepeatVectorLayer> from_config(const json& config);
  std::int64_t n() const { return n_; }

 private:
  std::int64_t n_;
};

inline LayerRef<RepeatVectorLayer> RepeatVector(std::int64_t n, const RepeatVectorOptions& options = {}) {
  return make_layer<RepeatVectorLayer>(n, options);
}

// ---- ActivityRegularization -----------------------------------------------------------

struct ActivityRegularizationOptions {
  double l1 = 0.0;
  double l2 = 0.0;
  KERAS_LAYER_BASE_OPTIONS
};

// The identity, adding (l1 * sum|x| + l2 * sum x^2) / batch_size to the layer's losses.
class ActivityRegularizationLayer : public Layer {
 public:
  explicit ActivityRegularizationLayer(const ActivityRegularizationOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "ActivityRegularization"; }
  json get_config() const override;
  static LayerRef<ActivityRegularizationLayer> from_config(const json& config);
  double l1() const { return options_.l1; }
  double l2() const { return options_.l2; }

 private:
  ActivityRegularizationOptions options_;
  regularizers::RegularizerArg regularizer_;  // L1L2(l1, l2)
};

inline LayerRef<ActivityRegularizationLayer> ActivityRegularization(
    const ActivityRegularizationOptions& options = {}) {
  return make_layer<ActivityRegularizationLayer>(options);
}

// ---- Masking --------------------------------------------------------------------------

struct MaskingOptions {
  double mask_value = 0.0;
  KERAS_LAYER_BASE_OPTIONS
};

// Masks the timesteps whose features all equal mask_value: the output mask is
// any(x != mask_value, axis=-1), and those timesteps' values become 0.
class MaskingLayer : public Layer {
 public:
  explicit MaskingLayer(const MaskingOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;
  std::string class_name() const override { return "Masking"; }
  json get_config() const override;
  static LayerRef<MaskingLayer> from_config(const json& config);
  double mask_value() const { return mask_value_; }

 private:
  double mask_value_;
};

inline LayerRef<MaskingLayer> Masking(const MaskingOptions& options = {}) {
  return make_layer<MaskingLayer>(options);
}

// ---- Embedding ------------------------------------------------------------------------

struct EmbeddingOptions {
  initializers::InitializerArg embeddings_initializer = "uniform";
  regularizers::RegularizerArg embeddings_regularizer;
  regularizers::RegularizerArg activity_regularizer;  // divided by the batch size
  constraints::ConstraintArg embeddings_constraint;
  // Index 0 is padding: the output mask is (inputs != 0), so input_dim is vocabulary + 1.
  bool mask_zero = false;
  // Keras 2's argument: without an input_shape it sets input_shape = {input_length}, as
  // Keras 2 did. Keras 3 ignores it; it is not written to the config.
  std::optional<std::int64_t> input_length;
  KERAS_LAYER_BASE_OPTIONS
};

// Rows of an (input_dim, output_dim) matrix looked up by integer index; non-integer
// inputs are cast to int32 first.
class EmbeddingLayer : public Layer {
 public:
  EmbeddingLayer(std::int64_t input_dim, std::int64_t output_dim, const EmbeddingOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;
  std::string class_name() const override { return "Embedding"; }
  json get_config() const override;
  static LayerRef<EmbeddingLayer> from_config(const json& config);

  std::int64_t input_dim() const { return input_dim_; }
  std::int64_t output_dim() const { return output_dim_; }
  const EmbeddingOptions& options() const { return options_; }
  Variable embeddings() const;  // ValueError before the layer is built

 private:
  std::int64_t input_dim_;
  std::int64_t output_dim_;
  EmbeddingOptions options_;
  Variable embeddings_;
};

inline LayerRef<EmbeddingLayer> Embedding(std::int64_t input_dim, std::int64_t output_dim,
                                          const EmbeddingOptions& options = {}) {
  return make_layer<EmbeddingLayer>(input_dim, output_dim, options);
}

// ---- Identity -------------------------------------------------------------------------

struct IdentityOptions {
  KERAS_LAYER_BASE_OPTIONS
};

// Returns its inputs (one tensor or a list) unchanged, masks included.
class IdentityLayer : public Layer {
 public:
  explicit IdentityLayer(const IdentityOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;
  std::string class_name() const override { return "Identity"; }
  static LayerRef<IdentityLayer> from_config(const json& config);
};

inline LayerRef<IdentityLayer> Identity(const IdentityOptions& options = {}) {
  return make_layer<IdentityLayer>(options);
}

}  // namespace keras::layers
