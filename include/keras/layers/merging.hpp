#pragma once
// Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum (elementwise, with
// Keras's broadcasting), Concatenate and Dot, each called on a list of tensors; and the
// functions add, subtract, ... that make the layer and call it, as keras.layers.add.
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

struct MergeOptions {
  KERAS_LAYER_BASE_OPTIONS
};

// Keras's Merge, the base of the elementwise merges. Inputs' non-batch shapes broadcast
// aligned from the right (None with anything gives None, 1 stretches, other sizes must be
// equal); known batch sizes must agree. Inputs of lower rank get axes inserted after the
// batch axis. The output mask is the OR of the inputs' masks when every input has one.
class MergeLayer : public Layer {
 public:
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;

 protected:
  explicit MergeLayer(const LayerOptions& options);
  // Keras's Merge.compute_output_shape; ValueError for incompatible shapes.
  std::optional<std::vector<Shape>> declared_output_shape(const std::vector<Shape>& input_shapes) const override;
  // The merge of inputs of equal rank. masks holds one entry per input (undefined where
  // an input has none); all are undefined when the ranks differed, since Keras's
  // expand_dims drops them.
  virtual Tensor merge(const Tensors& inputs, const Tensors& masks) const = 0;
};

class AddLayer : public MergeLayer {
 public:
  explicit AddLayer(const MergeOptions& options = {});
  std::string class_name() const override { return "Add"; }
  static LayerRef<AddLayer> from_config(const json& config);

 protected:
  Tensor merge(const Tensors& inputs, const Tensors& masks) const override;
};

// inputs[0] - inputs[1]; exactly two inputs.
class SubtractLayer : public MergeLayer {
 public:
  explicit SubtractLayer(const MergeOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  std::string class_name() const override { return "Subtract"; }
  static LayerRef<SubtractLayer> from_config(const json& config);

 protected:
  Tensor merge(const Tensors& inputs, const Tensors& masks) const override;
};

// Masked entries count as 1; when every input has a mask, positions masked in all of them
// are 0.
class MultiplyLayer : public MergeLayer {
 public:
  explicit MultiplyLayer(const MergeOptions& options = {});
  std::string class_name() const override { return "Multiply"; }
  static LayerRef<MultiplyLayer> from_config(const json& config);

 protected:
  Tensor merge(const Tensors& inputs, const Tensors& masks) const override;
};

class AverageLayer : public MergeLayer {
 public:
  explicit AverageLayer(const MergeOptions& options = {});
  std::string class_name() const override { return "Average"; }
  static LayerRef<AverageLayer> from_config(const json& config);

 protected:
  Tensor merge(const Tensors& inputs, const Tensors& masks) const override;
};

// A masked entry takes the other operand's value, so it never wins.
class MaximumLayer : public MergeLayer {
 public:
  explicit MaximumLayer(const MergeOptions& options = {});
  std::string class_name() const override { return "Maximum"; }
  static LayerRef<MaximumLayer> from_config(const json& config);

 protected:
  Tensor merge(const Tensors& inputs, const Tensors& masks) const override;
};

class MinimumLayer : public MergeLayer {
 public:
  explicit MinimumLayer(const MergeOptions& options = {});
  std::string class_name() const override { return "Minimum"; }
  static LayerRef<MinimumLayer> from_config(const json& config);

 protected:
  Tensor merge(const Tensors& inputs, const Tensors& masks) const override;
};

struct ConcatenateOptions {
  std::int64_t axis = -1;
  KERAS_LAYER_BASE_OPTIONS
};

// Inputs of one rank whose dimensions agree except on `axis` (None matches anything).
// Output mask: the inputs' masks (all-true for unmasked inputs) concatenated along
// `axis`, then any() over the last axis.
class ConcatenateLayer : public Layer {
 public:
  explicit ConcatenateLayer(const ConcatenateOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;
  std::string class_name() const override { return "Concatenate"; }
  json get_config() const override;
  static LayerRef<ConcatenateLayer> from_config(const json& config);
  std::int64_t axis() const { return axis_; }

 protected:
  std::optional<std::vector<Shape>> declared_output_shape(const std::vector<Shape>& input_shapes) const override;

 private:
  std::int64_t axis_;
};

// Dot's `axes`: one axis for both inputs, or a pair (axis of the first, of the second).
// Negative axes count from each input's end.
class DotAxes {
 public:
  DotAxes(int axis) : axes_{axis} {}           // NOLINT: an int is an axis
  DotAxes(std::int64_t axis) : axes_{axis} {}  // NOLINT
  DotAxes(std::initializer_list<std::int64_t> axes) : axes_(axes), is_list_(true) {}
  DotAxes(std::vector<std::int64_t> axes) : axes_(std::move(axes)), is_list_(true) {}  // NOLINT
  const std::vector<std::int64_t>& axes() const { return axes_; }
  bool is_list() const { return is_list_; }

 private:
  std::vector<std::int64_t> axes_;
  bool is_list_ = false;
};

struct DotOptions {
  bool normalize = false;  // L2-normalise along the dot axes first: cosine similarity
  KERAS_LAYER_BASE_OPTIONS
};

// Keras's batch_dot of two inputs of rank >= 2: for each sample, the sum over
// x.shape[axes[0]] == y.shape[axes[1]]. Output shape: x's shape without axes[0], then y's
// without its batch axis and axes[1]; (batch, 1) when that leaves one dimension. No mask.
class DotLayer : public Layer {
 public:
  explicit DotLayer(DotAxes axes, const DotOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;
  std::string class_name() const override { return "Dot"; }
  json get_config() const override;
  static LayerRef<DotLayer> from_config(const json& config);
  const DotAxes& axes() const { return axes_; }
  bool normalize() const { return normalize_; }

 protected:
  std::optional<std::vector<Shape>> declared_output_shape(const std::vector<Shape>& input_shapes) const override;

 private:
  DotAxes axes_;
  bool normalize_;
};

inline LayerRef<AddLayer> Add(const MergeOptions& options = {}) { return make_layer<AddLayer>(options); }
inline LayerRef<SubtractLayer> Subtract(const MergeOptions& options = {}) {
  return make_layer<SubtractLayer>(options);
}
inline LayerRef<MultiplyLayer> Multiply(const MergeOptions& options = {}) {
  return make_layer<MultiplyLayer>(options);
}
inline LayerRef<AverageLayer> Average(const MergeOptions& options = {}) {
  return make_layer<AverageLayer>(options);
}
inline LayerRef<MaximumLayer> Maximum(const MergeOptions& options = {}) {
  return make_layer<MaximumLayer>(options);
}
inline LayerRef<MinimumLayer> Minimum(const MergeOptions& options = {}) {
  return make_layer<MinimumLayer>(options);
}
inline LayerRef<ConcatenateLayer> Concatenate(const ConcatenateOptions& options = {}) {
  return make_layer<ConcatenateLayer>(options);
}
inline LayerRef<DotLayer> Dot(DotAxes axes, const DotOptions& options = {}) {
  return make_layer<DotLayer>(std::move(axes), options);
}

// keras.layers.add(inputs, **kwargs) and friends: a new layer called on `inputs`.
Tensor add(const Tensors& inputs, const MergeOptions& options = {});
Tensor subtract(const Tensors& inputs, const MergeOptions& options = {});
Tensor multiply(const Tensors& inputs, const MergeOptions& options = {});
Tensor average(const Tensors& inputs, const MergeOptions& options = {});
Tensor maximum(const Tensors& inputs, const MergeOptions& options = {});
Tensor minimum(const Tensors& inputs, const MergeOptions& options = {});
Tensor concatenate(const Tensors& inputs, std::int64_t axis = -1, const MergeOptions& options = {});
Tensor dot(const Tensors& inputs, DotAxes axes = -1, bool normalize = false, const MergeOptions& options = {});

}  // namespace keras::layers
