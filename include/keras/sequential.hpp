#pragma once
// keras::Sequential: a plain stack of single-input, single-output layers. It becomes a
// functional model as soon as its input shape is known: from an Input added first, from
// the first layer's `input_shape`, or from the first data it is called on.
#include <vector>

#include "keras/model.hpp"

namespace keras {

class Sequential : public Model {
 public:
  explicit Sequential(const ModelOptions& options = {});
  Sequential(const std::vector<LayerPtr>& layers, const ModelOptions& options = {});

  // Appends a layer (or an Input: `add(Input({16}))`), checking it fits the stack's
  // output shape when the input shape is known.
  void add(const LayerPtr& layer);
  void add(const Tensor& input);
  // Removes the last layer.
  void pop();

  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "Sequential"; }

  // The stacked layers, without the InputLayer (as Keras lists them).
  std::vector<LayerPtr> layers() const override;

 private:
  void rebuild();
  std::vector<LayerPtr> layers_;
  std::optional<Shape> input_batch_shape_;
  std::optional<DType> input_dtype_;
  std::string input_name_;
};

using SequentialPtr = LayerRef<Sequential>;

}  // namespace keras
