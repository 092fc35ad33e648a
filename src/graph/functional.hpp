#pragma once
// A functional graph: the nodes between some symbolic inputs and outputs, in an order
// that runs every node after its inputs' nodes (Keras's _map_graph_network).
#include <memory>
#include <vector>

#include "graph/node.hpp"

namespace keras::graph {

class Functional {
 public:
  // Throws ValueError when an output cannot be reached from the inputs ("Graph
  // disconnected") or an argument is not symbolic.
  Functional(Tensors inputs, Tensors outputs);

  // Runs the nodes on data given for the inputs; the outputs carry their masks.
  Tensors run(const Tensors& inputs, const CallContext& context) const;

  const Tensors& inputs() const { return inputs_; }
  const Tensors& outputs() const { return outputs_; }
  // Every layer of the graph once, inputs' layers first (Keras's model.layers order).
  const std::vector<std::shared_ptr<Layer>>& layers() const { return layers_; }
  const std::vector<std::shared_ptr<detail::Node>>& nodes() const { return nodes_; }

 private:
  Tensors inputs_;
  Tensors outputs_;
  std::vector<std::shared_ptr<detail::Node>> nodes_;  // in execution order
  std::vector<std::shared_ptr<Layer>> layers_;
};

}  // namespace keras::graph
