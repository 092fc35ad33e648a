#include "keras/sequential.hpp"

#include "graph/symbolic.hpp"
#include "keras/input.hpp"
#include "keras/layers/input_layer.hpp"

namespace keras {

Sequential::Sequential(const ModelOptions& options)
    : Model(ModelOptions{.name = options.name.empty() ? unique_layer_name("sequential") : options.name,
                         .trainable = options.trainable}) {}

Sequential::Sequential(const std::vector<LayerPtr>& layers, const ModelOptions& options) : Sequential(options) {
  for (const auto& layer : layers) add(layer);
}

void Sequential::add(const Tensor& input) {
  if (!is_keras_tensor(input)) throw TypeError("Sequential.add() takes a layer or a keras::Input");
  if (!layers_.empty() || input_batch_shape_) {
    throw ValueError("An Input can only be the first element of a Sequential model");
  }
  input_batch_shape_ = input.shape();
  input_dtype_ = input.dtype();
  input_name_ = input.impl()->keras_history->node->layer->name();
}

void Sequential::add(const LayerPtr& layer) {
  if (!layer) throw TypeError("Sequential.add() takes a layer, got a null pointer");
  if (auto input = std::dynamic_pointer_cast<layers::InputLayer>(layer)) {
    add(input->output());
    return;
  }
  for (const auto& l : layers_) {
    if (l->name() == layer->name() && !l->name().empty()) {
      throw ValueError("All layers added to a Sequential model should have unique names. Name '" +
                       layer->name() + "' is already the name of a layer in this model.");
    }
  }
  if (layers_.empty() && !input_batch_shape_) {
    if (auto shape = layer->batch_input_shape()) input_batch_shape_ = *shape;
  }
  layers_.push_back(layer);
  try {
    rebuild();
  } catch (...) {
    layers_.pop_back();
    rebuild();
    throw;
  }
}

void Sequential::pop() {
  if (layers_.empty()) throw TypeError("There are no layers in the model.");
  layers_.pop_back();
  rebuild();
}

void Sequential::rebuild() {
  if (!input_batch_shape_ || layers_.empty()) {
    clear_graph();
    clear_tracked_layers();
    for (const auto& l : layers_) track_layer(l);
    return;
  }
  const Shape& batch_shape = *input_batch_shape_;
  // One name for the input across rebuilds: the Input's given, else an automatic one.
  if (input_name_.empty()) input_name_ = unique_layer_name("input_layer");
  const Tensor input = Input(Shape(batch_shape.begin() + 1, batch_shape.end()),
                             InputOptions{.batch_size = batch_shape[0] < 0 ? std::nullopt
                                                                           : std::optional<std::int64_t>(batch_shape[0]),
                                          .dtype = input_dtype_,
                                          .name = input_name_});
  Tensor x = input;
  for (const auto& layer : layers_) {
    const Outputs out = (*layer)(x);
    if (out.size() != 1) {
      throw ValueError("All layers in a Sequential model should have a single output tensor. For multi-output "
                       "layers, use the functional API.");
    }
    x = out.front();
  }
  set_graph({input}, {x});
}

void Sequential::build(const std::vector<Shape>& input_shapes) {
  if (graph() != nullptr) return;
  if (input_shapes.size() != 1) throw ValueError("A Sequential model takes exactly one input");
  if (layers_.empty()) throw ValueError("Sequential model '" + name() + "' has no layers");
  Shape shape = input_shapes.front();
  if (!shape.empty()) shape[0] = kUnknownDim;  // the data's batch size is not the model's
  input_batch_shape_ = shape;
  rebuild();
}

Tensors Sequential::call(const Tensors& inputs, const CallContext& context) {
  if (graph() == nullptr) build(std::vector<Shape>{inputs.front().shape()});
  return Model::call(inputs, context);
}

std::vector<LayerPtr> Sequential::layers() const { return layers_; }

}  // namespace keras
