#include "keras/model.hpp"

#include "graph/functional.hpp"
#include "graph/symbolic.hpp"
#include "keras/callbacks/callback.hpp"
#include "keras/input.hpp"
#include "trainers/trainer_state.hpp"

namespace keras {

namespace {

Tensors values_of(const std::map<std::string, Tensor>& named) {
  Tensors out;
  for (const auto& [name, t] : named) out.push_back(t);
  return out;
}

std::vector<std::string> keys_of(const std::map<std::string, Tensor>& named) {
  std::vector<std::string> out;
  for (const auto& [name, t] : named) out.push_back(name);
  return out;
}

std::vector<std::string> layer_names(const Tensors& tensors) {
  std::vector<std::string> names;
  for (const auto& t : tensors) names.push_back(t.impl()->keras_history->node->layer->name());
  return names;
}

}  // namespace

Model::Model(const ModelOptions& options) : Layer(LayerOptions{.name = options.name, .trainable = options.trainable}) {}

Model::Model(const Tensors& inputs, const Tensors& outputs, const ModelOptions& options)
    : Layer(LayerOptions{.name = options.name.empty() ? unique_layer_name("functional") : options.name,
                         .trainable = options.trainable}) {
  set_graph(inputs, outputs);
}

Model::Model(const Tensor& input, const Tensor& output, const ModelOptions& options)
    : Model(Tensors{input}, Tensors{output}, options) {}
Model::Model(const Tensors& inputs, const Tensor& output, const ModelOptions& options)
    : Model(inputs, Tensors{output}, options) {}
Model::Model(const Tensor& input, const Tensors& outputs, const ModelOptions& options)
    : Model(Tensors{input}, outputs, options) {}

Model::Model(const std::map<std::string, Tensor>& inputs, const std::map<std::string, Tensor>& outputs,
             const ModelOptions& options)
    : Model(values_of(inputs), values_of(outputs), options) {
  input_names_ = keys_of(inputs);
  output_names_ = keys_of(outputs);
  named_io_ = true;
}

Model::~Model() = default;

void Model::set_graph(const Tensors& inputs, const Tensors& outputs) {
  graph_ = std::make_shared<graph::Functional>(inputs, outputs);
  input_names_ = layer_names(inputs);
  output_names_ = layer_names(outputs);
  clear_tracked_layers();
  for (const auto& layer : graph_->layers()) track_layer(layer);
  if (!built()) {
    std::vector<Shape> shapes;
    for (const auto& t : inputs) shapes.push_back(t.shape());
    build_once(shapes);
  }
}

void Model::clear_graph() { graph_.reset(); }

Tensors Model::call(const Tensors& inputs, const CallContext& context) {
  if (!graph_) {
    throw NotImplementedError("Model '" + name() + "' has no call(): a subclassed Model must override call(), "
                              "or build it as Model(inputs, outputs)");
  }
  Tensors outputs = graph_->run(inputs, context);
  output_masks_.clear();
  for (const auto& t : outputs) output_masks_.push_back(get_keras_mask(t));
  return outputs;
}

Tensors Model::compute_mask(const Tensors& inputs, const Tensors& masks) {
  if (!graph_) return Layer::compute_mask(inputs, masks);
  return output_masks_;
}

std::string Model::class_name() const { return graph_ ? "Functional" : "Model"; }

std::vector<LayerPtr> Model::layers() const {
  std::vector<LayerPtr> out;
  if (graph_) {
    for (const auto& l : graph_->layers()) out.emplace_back(l);
  } else {
    for (const auto& l : tracked_layers()) out.emplace_back(l);
  }
  return out;
}

LayerPtr Model::get_layer(const std::string& name) const {
  for (const auto& l : layers()) {
    if (l->name() == name) return l;
  }
  std::string names;
  for (const auto& l : layers()) names += (names.empty() ? "" : ", ") + l->name();
  throw ValueError("No such layer: " + name + ". Existing layers are: [" + names + "].");
}

LayerPtr Model::get_layer(int index) const {
  const auto all = layers();
  if (index < 0 || index >= static_cast<int>(all.size())) {
    throw ValueError("Was asked to retrieve layer at index " + std::to_string(index) + " but model only has " +
                     std::to_string(all.size()) + " layers.");
  }
  return all[static_cast<std::size_t>(index)];
}

const Tensors& Model::inputs() const {
  static const Tensors none;
  return graph_ ? graph_->inputs() : none;
}

const Tensors& Model::outputs() const {
  static const Tensors none;
  return graph_ ? graph_->outputs() : none;
}

std::vector<std::string> Model::input_names() const { return input_names_; }
std::vector<std::string> Model::output_names() const { return output_names_; }

}  // namespace keras
