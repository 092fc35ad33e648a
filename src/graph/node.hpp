#pragma once
// The functional graph's records. Calling a layer (or an op) on symbolic tensors makes a
// Node; each symbolic output tensor points back at its node through a KerasHistory. Nodes
// point only backwards (to their inputs and layer), so graphs never form cycles.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "keras/layer.hpp"

namespace keras::detail {

struct Node {
  std::shared_ptr<Layer> layer;
  Tensors inputs;           // symbolic inputs and constant tensors, as the layer got them
  bool list_input = false;  // called with a list (even of one tensor)
  std::optional<bool> training;
  Tensors explicit_masks;  // `mask=` given at the call; empty: the inputs' own masks
  // The outputs' ids, shapes and dtypes: a node cannot hold its output tensors (they hold
  // the node), so `output(i)` rebuilds an equal symbolic tensor when asked.
  std::vector<std::uint64_t> output_ids;
  std::vector<Shape> output_shapes;
  std::vector<DType> output_dtypes;
};

// Output i of `node` as a symbolic tensor (same id as the one the call returned).
Tensor node_output(const std::shared_ptr<Node>& node, std::size_t i);

struct KerasHistory {
  std::shared_ptr<Node> node;
  std::size_t index = 0;  // which of the node's outputs
};

}  // namespace keras::detail

namespace keras {

// The graph code's access to a layer's node list.
struct LayerAccess {
  static void add_node(Layer& layer, const std::shared_ptr<detail::Node>& node) {
    layer.nodes_.push_back(node);
  }
  // The input shapes the layer was built with (summary's output shapes of unconnected layers).
  static const std::vector<Shape>& build_shapes(const Layer& layer) { return layer.build_shapes_; }
};

}  // namespace keras
