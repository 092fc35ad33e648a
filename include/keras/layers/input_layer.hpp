#pragma once
// InputLayer: the layer behind keras::Input. Its single node has no inputs and makes the
// symbolic input tensor; when a model runs, the data given for that input flows out.
#include "keras/layer.hpp"

namespace keras::layers {

class InputLayer : public Layer {
 public:
  // batch_shape includes the batch axis (None for unknown).
  InputLayer(const Shape& batch_shape, DType dtype, const std::string& name);
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "InputLayer"; }
  json get_config() const override;
  const Shape& batch_shape() const { return batch_shape_; }

 private:
  Shape batch_shape_;
};

}  // namespace keras::layers
