#pragma once
// Normalization layers: BatchNormalization and LayerNormalization, with Keras 3's
// arguments, defaults, weights (names, shapes, order) and configs.
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

struct BatchNormalizationOptions {
  std::int64_t axis = -1;  // the features axis, one statistic per entry along it
  double momentum = 0.99;  // weight of the old value in the moving averages
  double epsilon = 1e-3;
  bool center = true;  // beta
  bool scale = true;   // gamma
  initializers::InitializerArg beta_initializer = "zeros";
  initializers::InitializerArg gamma_initializer = "ones";
  initializers::InitializerArg moving_mean_initializer = "zeros";
  initializers::InitializerArg moving_variance_initializer = "ones";
  regularizers::RegularizerArg beta_regularizer;
  regularizers::RegularizerArg gamma_regularizer;
  constraints::ConstraintArg beta_constraint;
  constraints::ConstraintArg gamma_constraint;
  // Cross-replica statistics (TensorFlow only in Keras). With one device the local batch
  // is the global batch, so true behaves as false; it is kept for the config.
  bool synchronized = false;
  KERAS_LAYER_BASE_OPTIONS
};

// Training (training=true and a trainable layer): normalises with the batch mean and
// biased variance over every axis but `axis`, and updates
// moving = moving * momentum + batch * (1 - momentum). Otherwise, including a frozen
// layer (trainable=false) called with training=true, as in Keras >= 2.1: the moving
// statistics. A mask (one dimension less than the input) leaves masked positions out of
// the batch statistics. Weights: gamma, beta (trainable), moving_mean, moving_variance.
class BatchNormalizationLayer : public Layer {
 public:
  explicit BatchNormalizationLayer(const BatchNormalizationOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "BatchNormalization"; }
  json get_config() const override;
  static LayerRef<BatchNormalizationLayer> from_config(const json& config);

  const BatchNormalizationOptions& options() const { return options_; }
  // Undefined when scale / center is false.
  const Variable& gamma() const { return gamma_; }
  const Variable& beta() const { return beta_; }
  const Variable& moving_mean() const { return moving_mean_; }
  const Variable& moving_variance() const { return moving_variance_; }

 private:
  std::pair<Tensor, Tensor> batch_moments(const Tensor& x, const Tensor& mask) const;
  void update_moving_statistics(const Tensor& mean, const Tensor& variance);

  BatchNormalizationOptions options_;
  std::int64_t channels_ = 0;
  std::size_t rank_ = 0;
  Variable gamma_, beta_, moving_mean_, moving_variance_;
};

inline LayerRef<BatchNormalizationLayer> BatchNormalization(const BatchNormalizationOptions& options = {}) {
  return make_layer<BatchNormalizationLayer>(options);
}

// LayerNormalization's `axis`: one axis or a list of them (written to the config as a
// list of non-negative axes once the layer is built, as Keras does).
class NormalizationAxes {
 public:
  NormalizationAxes(int axis) : axes_{axis} {}                // NOLINT: an int is an axis
  NormalizationAxes(std::int64_t axis) : axes_{axis} {}       // NOLINT
  NormalizationAxes(std::initializer_list<std::int64_t> axes) : axes_(axes), is_list_(true) {}
  NormalizationAxes(std::vector<std::int64_t> axes) : axes_(std::move(axes)), is_list_(true) {}  // NOLINT
  const std::vector<std::int64_t>& axes() const { return axes_; }
  bool is_list() const { return is_list_; }

 private:
  std::vector<std::int64_t> axes_;
  bool is_list_ = false;
};

struct LayerNormalizationOptions {
  NormalizationAxes axis = -1;
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  // Keras's deprecated `rms_scaling`: x * rsqrt(var(x) + epsilon) * gamma (the variance,
  // not the mean square, as Keras computes it), no beta.
  bool rms_scaling = false;
  initializers::InitializerArg beta_initializer = "zeros";
  initializers::InitializerArg gamma_initializer = "ones";
  regularizers::RegularizerArg beta_regularizer;
  regularizers::RegularizerArg gamma_regularizer;
  constraints::ConstraintArg beta_constraint;
  constraints::ConstraintArg gamma_constraint;
  KERAS_LAYER_BASE_OPTIONS
};

// Normalises each sample over `axis` with its own mean and variance, then gamma / beta
// (of the normalised axes' shape). Weights: gamma, beta.
class LayerNormalizationLayer : public Layer {
 public:
  explicit LayerNormalizationLayer(const LayerNormalizationOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "LayerNormalization"; }
  json get_config() const override;
  static LayerRef<LayerNormalizationLayer> from_config(const json& config);

  const LayerNormalizationOptions& options() const { return options_; }
  const Variable& gamma() const { return gamma_; }
  const Variable& beta() const { return beta_; }

 private:
  LayerNormalizationOptions options_;
  std::vector<std::int64_t> axes_;  // sorted, non-negative; set by build
  Variable gamma_, beta_;
};

inline LayerRef<LayerNormalizationLayer> LayerNormalization(const LayerNormalizationOptions& options = {}) {
  return make_layer<LayerNormalizationLayer>(options);
}

}  // namespace keras::layers
