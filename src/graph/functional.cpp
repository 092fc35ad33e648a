#include "graph/functional.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "graph/symbolic.hpp"
#include "keras/input.hpp"
#include "keras/layers/input_layer.hpp"

namespace keras::graph {

namespace {

std::string describe(const Tensor& t) {
  return "KerasTensor(shape=" + shape_str(t.shape()) + ", dtype=" + std::string(dtype_name(t.dtype())) + ")";
}

void require_symbolic(const Tensors& tensors, const char* what) {
  for (const auto& t : tensors) {
    if (!is_symbolic(t) || !t.impl()->keras_history->node) {
      throw ValueError(std::string("All ") + what +
                       " of a functional Model must be symbolic tensors made from keras::Input and layers");
    }
  }
}

bool is_input_layer_node(const detail::Node& node) {
  return dynamic_cast<const layers::InputLayer*>(node.layer.get()) != nullptr;
}

// Whether data of `shape` can feed a symbolic input of `expected` (None matches any size).
bool compatible(const Shape& expected, const Shape& shape) {
  if (expected.size() != shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (expected[i] != kUnknownDim && expected[i] != shape[i]) return false;
  }
  return true;
}

}  // namespace

Functional::Functional(Tensors inputs, Tensors outputs) : inputs_(std::move(inputs)), outputs_(std::move(outputs)) {
  require_symbolic(inputs_, "inputs");
  require_symbolic(outputs_, "outputs");
  std::unordered_set<std::uint64_t> input_ids;
  for (const auto& t : inputs_) input_ids.insert(t.id());

  // Depth-first from the outputs: each node after the nodes that make its inputs.
  std::unordered_set<const detail::Node*> done;
  std::function<void(const std::shared_ptr<detail::Node>&)> visit = [&](const std::shared_ptr<detail::Node>& node) {
    if (!done.insert(node.get()).second) return;
    for (const auto& t : node->inputs) {
      if (!is_symbolic(t) || input_ids.count(t.id())) continue;
      const auto& parent = t.impl()->keras_history->node;
      if (!parent) throw ValueError("Graph disconnected: " + describe(t) + " was not made by a layer");
      visit(parent);
    }
    if (is_input_layer_node(*node) &&
        std::none_of(node->output_ids.begin(), node->output_ids.end(),
                     [&](std::uint64_t id) { return input_ids.count(id) > 0; })) {
      throw ValueError("Graph disconnected: cannot find parent for " + describe(detail::node_output(node, 0)) +
                       " of layer '" + node->layer->name() + "': it is not one of the model's inputs");
    }
    nodes_.push_back(node);
  };
  for (const auto& t : inputs_) visit(t.impl()->keras_history->node);
  for (const auto& t : outputs_) {
    if (!input_ids.count(t.id())) visit(t.impl()->keras_history->node);
  }

  // Keras orders layers by depth (distance from the outputs), deepest first; ties keep
  // the order in which the traversal met them.
  std::unordered_map<const detail::Node*, int> node_depth;
  std::unordered_map<std::uint64_t, const detail::Node*> maker;
  for (const auto& node : nodes_) {
    for (auto id : node->output_ids) maker[id] = node.get();
  }
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) {
    const int depth = node_depth[it->get()];
    for (const auto& t : (*it)->inputs) {
      auto m = maker.find(t.defined() ? t.id() : 0);
      if (m != maker.end()) node_depth[m->second] = std::max(node_depth[m->second], depth + 1);
    }
  }
  std::vector<std::pair<int, std::shared_ptr<Layer>>> by_depth;
  for (const auto& node : nodes_) {
    auto found = std::find_if(by_depth.begin(), by_depth.end(),
                              [&](const auto& p) { return p.second == node->layer; });
    if (found == by_depth.end()) {
      by_depth.emplace_back(node_depth[node.get()], node->layer);
    } else {
      found->first = std::max(found->first, node_depth[node.get()]);
    }
  }
  std::stable_sort(by_depth.begin(), by_depth.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [depth, layer] : by_depth) layers_.push_back(layer);
}

Tensors Functional::run(const Tensors& inputs, const CallContext& context) const {
  if (inputs.size() != inputs_.size()) {
    throw ValueError("The model expects " + std::to_string(inputs_.size()) + " input(s), but it received " +
                     std::to_string(inputs.size()) + " input tensors.");
  }
  std::unordered_map<std::uint64_t, Tensor> values;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!compatible(inputs_[i].shape(), inputs[i].shape())) {
      throw ValueError("Input " + std::to_string(i) + " of the model is incompatible: expected shape=" +
                       shape_str(inputs_[i].shape()) + ", found shape=" + shape_str(inputs[i].shape()));
    }
    Tensor value = inputs[i];
    if (i < context.masks.size() && context.masks[i].defined()) value = with_keras_mask(value, context.masks[i]);
    values[inputs_[i].id()] = value;
  }
  auto value_of = [&](const Tensor& t) { return is_symbolic(t) ? values.at(t.id()) : t; };
  for (const auto& node : nodes_) {
    if (is_input_layer_node(*node)) continue;
    Tensors in;
    for (const auto& t : node->inputs) in.push_back(value_of(t));
    CallArgs args{.training = node->training.value_or(context.training)};
    for (const auto& m : node->explicit_masks) args.mask.push_back(m.defined() ? value_of(m) : m);
    const Outputs outs = node->list_input ? (*node->layer)(in, args) : (*node->layer)(in.front(), args);
    for (std::size_t i = 0; i < node->output_ids.size() && i < outs.size(); ++i) values[node->output_ids[i]] = outs[i];
  }
  Tensors result;
  for (const auto& t : outputs_) result.push_back(values.at(t.id()));
  return result;
}

}  // namespace keras::graph
