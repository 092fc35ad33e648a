#pragma once
// What the layout tests of saved files share: an HDF5 file's layout as JSON (the form the
// golden generators write with h5py), and the Keras 3.12 MNIST MLP whose real Keras file
// the generators compare with.
#include "keras/input.hpp"
#include "keras/layers.hpp"
#include "keras/sequential.hpp"
#include "saving/h5/h5_file.hpp"

namespace keras::testing {

// Every group and dataset under `g`: {"groups": {path: {attr: {"type", "value"}}},
// "datasets": {path: {"shape", "dtype"}}}; string attributes carry their value.
inline void walk_h5(const saving::h5::Group& g, json& out) {
  json attrs = json::object();
  for (const auto& a : g.attr_names()) {
    const auto [kind, n] = g.attr_info(a);
    json value = nullptr;
    if (kind.ends_with("string") && n == 1) value = g.read_string_attr(a);
    if (kind.ends_with("string") && n != 1) value = g.read_string_array_attr(a);
    attrs[a] = {{"type", kind}, {"value", value}};
  }
  out["groups"][g.path()] = attrs;
  for (const auto& child : g.children()) {
    if (g.has_group(child)) {
      walk_h5(g.group(child), out);
    } else {
      const auto info = g.dataset_info(child);
      out["datasets"][g.child_path(child)] = {{"shape", info.shape}, {"dtype", info.dtype}};
    }
  }
}

inline json h5_layout(const saving::h5::Group& root) {
  json out = {{"groups", json::object()}, {"datasets", json::object()}};
  walk_h5(root, out);
  return out;
}

// The Keras 3.12 MNIST MLP (Sequential: Input(28, 28), Flatten, Dense 128/32/10).
inline SequentialPtr keras3_mnist_mlp() {
  auto model = make_layer<Sequential>(ModelOptions{.name = "sequential"});
  model->add(Input({28, 28}, {.name = "input_layer"}));
  model->add(layers::Flatten({.name = "flatten"}));
  model->add(layers::Dense(128, {.activation = "relu", .name = "dense"}));
  model->add(layers::Dense(32, {.activation = "relu", .name = "dense_1"}));
  model->add(layers::Dense(10, {.activation = "softmax", .name = "dense_2"}));
  return model;
}

}  // namespace keras::testing
