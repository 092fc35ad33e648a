#pragma once
// keras::Model. `Model(inputs, outputs)` is a functional model: it runs the graph of
// layers and ops recorded between symbolic inputs and outputs. Subclass Model (override
// `call`, track sub-layers) for a custom model. A Model is a Layer, so models nest.
//
// The training API (compile, fit, evaluate, predict, save, summary) is added to this class
// by the training and saving parts of the library.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras {

namespace graph {
class Functional;
}

struct ModelOptions {
  std::string name;  // empty: "functional", "functional_1", ... (or the class's snake name)
  bool trainable = true;
};

class Model : public Layer {
 public:
  // A subclassed model: override call (and build), track layers in the constructor.
  explicit Model(const ModelOptions& options = {});
  // A functional model from symbolic inputs to outputs (Keras's Model(inputs, outputs)).
  Model(const Tensors& inputs, const Tensors& outputs, const ModelOptions& options = {});
  Model(const Tensor& input, const Tensor& output, const ModelOptions& options = {});
  Model(const Tensors& inputs, const Tensor& output, const ModelOptions& options = {});
  Model(const Tensor& input, const Tensors& outputs, const ModelOptions& options = {});
  // Inputs and outputs by name: data is then given in the inputs' name order.
  Model(const std::map<std::string, Tensor>& inputs, const std::map<std::string, Tensor>& outputs,
        const ModelOptions& options = {});
  ~Model() override;

  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;
  std::string class_name() const override;
  json get_config() const override;

  // Runs the model on data (Keras's model(x) / model(x, training=...)).
  // Layer::operator() does the same and also works on symbolic tensors.

  // The layers of a functional model (InputLayers included, as Keras lists them), or the
  // tracked layers of a subclassed one.
  virtual std::vector<LayerPtr> layers() const;
  // By name, or by index in layers(); ValueError when there is none.
  LayerPtr get_layer(const std::string& name) const;
  LayerPtr get_layer(int index) const;
  // The symbolic inputs and outputs of a functional model (empty for subclassed ones).
  const Tensors& inputs() const;
  const Tensors& outputs() const;
  // Names of the inputs/outputs in order (a functional model built from name maps uses
  // those names; otherwise the layers' names).
  std::vector<std::string> input_names() const;
  std::vector<std::string> output_names() const;
  bool is_functional() const { return graph_ != nullptr; }

 protected:
  // Makes this model functional (Sequential rebuilds its graph as layers are added).
  void set_graph(const Tensors& inputs, const Tensors& outputs);
  void clear_graph();
  const graph::Functional* graph() const { return graph_.get(); }

 private:
  Tensors output_masks_;  // the masks of the latest call's outputs, for compute_mask
  std::shared_ptr<graph::Functional> graph_;
  std::vector<std::string> input_names_;
  std::vector<std::string> output_names_;
};

using ModelPtr = LayerRef<Model>;

// A functional model on the heap, usable as a layer of another model.
inline ModelPtr make_model(const Tensors& inputs, const Tensors& outputs, const ModelOptions& options = {}) {
  return make_layer<Model>(inputs, outputs, options);
}

}  // namespace keras
