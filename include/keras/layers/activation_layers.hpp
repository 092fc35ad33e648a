#pragma once
// The activation layers (Keras 2's advanced_activations, Keras 3's layers/activations/):
// ReLU, LeakyReLU, PReLU, ELU, Softmax. The plain `Activation(name)` layer is in core.hpp.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

// ---- ReLU -----------------------------------------------------------------------------

struct ReLUOptions {
  std::optional<double> max_value;  // saturation value; unset: none (Keras's None)
  double negative_slope = 0.0;      // slope below the threshold
  double threshold = 0.0;           // values below it are 0 (or follow negative_slope)
  KERAS_LAYER_BASE_OPTIONS
};

// max_value if x >= max_value, x if threshold <= x < max_value, else
// negative_slope * (x - threshold).
class ReLULayer : public Layer {
 public:
  explicit ReLULayer(const ReLUOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "ReLU"; }
  json get_config() const override;
  static LayerRef<ReLULayer> from_config(const json& config);
  const ReLUOptions& options() const { return options_; }

 private:
  ReLUOptions options_;
};

inline LayerRef<ReLULayer> ReLU(const ReLUOptions& options = {}) { return make_layer<ReLULayer>(options); }

// ---- LeakyReLU ------------------------------------------------------------------------

struct LeakyReLUOptions {
  double negative_slope = 0.3;  // Keras 3's layer default (keras.activations' is 0.2)
  std::optional<double> alpha;  // Keras 2's name for negative_slope; wins when set
  KERAS_LAYER_BASE_OPTIONS
};

// x if x >= 0, else negative_slope * x.
class LeakyReLULayer : public Layer {
 public:
  explicit LeakyReLULayer(const LeakyReLUOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "LeakyReLU"; }
  json get_config() const override;
  static LayerRef<LeakyReLULayer> from_config(const json& config);
  double negative_slope() const { return negative_slope_; }

 private:
  double negative_slope_;
};

inline LayerRef<LeakyReLULayer> LeakyReLU(const LeakyReLUOptions& options = {}) {
  return make_layer<LeakyReLULayer>(options);
}

// ---- PReLU ----------------------------------------------------------------------------

struct PReLUOptions {
  initializers::InitializerArg alpha_initializer = "Zeros";
  regularizers::RegularizerArg alpha_regularizer;
  constraints::ConstraintArg alpha_constraint;
  // 1-based non-batch axes along which alpha is shared (size 1), e.g. {1, 2} for one
  // alpha per channel of an image; empty: one alpha per input element.
  std::vector<std::int64_t> shared_axes;
  KERAS_LAYER_BASE_OPTIONS
};

// x if x >= 0, else alpha * x, with a learned alpha of the input's non-batch shape.
class PReLULayer : public Layer {
 public:
  explicit PReLULayer(const PReLUOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "PReLU"; }
  json get_config() const override;
  static LayerRef<PReLULayer> from_config(const json& config);
  const PReLUOptions& options() const { return options_; }
  Variable alpha() const;  // ValueError before the layer is built

 private:
  PReLUOptions options_;
  Variable alpha_;
};

inline LayerRef<PReLULayer> PReLU(const PReLUOptions& options = {}) { return make_layer<PReLULayer>(options); }

// ---- ELU ------------------------------------------------------------------------------

struct ELUOptions {
  double alpha = 1.0;
  KERAS_LAYER_BASE_OPTIONS
};

// x if x > 0, else alpha * (exp(x) - 1).
class ELULayer : public Layer {
 public:
  explicit ELULayer(const ELUOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "ELU"; }
  json get_config() const override;
  static LayerRef<ELULayer> from_config(const json& config);
  double alpha() const { return alpha_; }

 private:
  double alpha_;
};

inline LayerRef<ELULayer> ELU(const ELUOptions& options = {}) { return make_layer<ELULayer>(options); }

// ---- Softmax --------------------------------------------------------------------------

// Softmax's `axis`: one axis, or a list whose axes are normalised together.
class SoftmaxAxis {
 public:
  SoftmaxAxis(int axis) : axes_{axis} {}  // NOLINT(google-explicit-constructor)
  SoftmaxAxis(std::int64_t axis) : axes_{axis} {}  // NOLINT(google-explicit-constructor)
  SoftmaxAxis(std::initializer_list<std::int64_t> axes) : axes_(axes), is_list_(true) {}
  SoftmaxAxis(std::vector<std::int64_t> axes) : axes_(std::move(axes)), is_list_(true) {}  // NOLINT
  const std::vector<std::int64_t>& axes() const { return axes_; }
  bool is_list() const { return is_list_; }
  json to_json() const;

 private:
  std::vector<std::int64_t> axes_;
  bool is_list_ = false;
};

struct SoftmaxOptions {
  SoftmaxAxis axis = -1;
  KERAS_LAYER_BASE_OPTIONS
};

// softmax over `axis`. With a mask (the input's Keras mask, or CallArgs::mask), masked
// positions take -1e9 before the softmax and give 0 after it.
class SoftmaxLayer : public Layer {
 public:
  explicit SoftmaxLayer(const SoftmaxOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "Softmax"; }
  json get_config() const override;
  static LayerRef<SoftmaxLayer> from_config(const json& config);
  const SoftmaxAxis& axis() const { return axis_; }

 private:
  SoftmaxAxis axis_;
};

inline LayerRef<SoftmaxLayer> Softmax(const SoftmaxOptions& options = {}) {
  return make_layer<SoftmaxLayer>(options);
}

}  // namespace keras::layers
