#include "layers/rnn/legacy_weights.hpp"

#include <vector>

#include "keras/ops.hpp"

namespace keras::detail {

namespace {

// Concatenates, for each of kernel / recurrent_kernel / bias, that array of every gate in
// `gate_order` (indices into Keras 1's per-gate triples W, U, b).
Tensors concatenate_gates(const Tensors& values, const std::vector<std::size_t>& gate_order) {
  Tensors out;
  for (std::size_t part = 0; part < 3; ++part) {
    Tensors blocks;
    for (auto gate : gate_order) blocks.push_back(values[3 * gate + part]);
    out.push_back(ops::concatenate(blocks, -1));
  }
  return out;
}

}  // namespace

std::optional<Tensors> convert_keras1_rnn_weights(const std::string& class_name, const Tensors& values) {
  // Keras 1 LSTM triples are in the order i, c, f, o; Keras 2 wants i, f, c, o.
  if (class_name == "LSTM" && values.size() == 12) return concatenate_gates(values, {0, 2, 1, 3});
  if (class_name == "GRU" && values.size() == 9) return concatenate_gates(values, {0, 1, 2});
  return std::nullopt;
}

}  // namespace keras::detail
