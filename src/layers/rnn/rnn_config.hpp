#pragma once
// The config fields the built-in cells and their layers share (SimpleRNN(Cell), LSTM(Cell),
// GRU(Cell)): writing Keras 3's keys and reading them back with Keras 2 and Keras 1
// spellings (Keras 2's legacy_recurrent_support conversions: output_dim, init, inner_init,
// inner_activation, W/U/b_regularizer, dropout_W, dropout_U). Fields a struct lacks
// (recurrent_activation for SimpleRNN, unit_forget_bias, reset_after) are skipped.
#include <algorithm>
#include <cstdint>
#include <string>

#include "keras/layers/recurrent.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers::rnn_detail {

template <class O>
void write_cell_config(json& config, std::int64_t units, const O& o) {
  config["units"] = units;
  config["activation"] = activations::serialize(o.activation);
  if constexpr (requires { o.recurrent_activation; }) {
    config["recurrent_activation"] = activations::serialize(o.recurrent_activation);
  }
  config["use_bias"] = o.use_bias;
  config["kernel_initializer"] = initializers::serialize(o.kernel_initializer);
  config["recurrent_initializer"] = initializers::serialize(o.recurrent_initializer);
  config["bias_initializer"] = initializers::serialize(o.bias_initializer);
  if constexpr (requires { o.unit_forget_bias; }) config["unit_forget_bias"] = o.unit_forget_bias;
  config["kernel_regularizer"] = regularizers::serialize(o.kernel_regularizer);
  config["recurrent_regularizer"] = regularizers::serialize(o.recurrent_regularizer);
  config["bias_regularizer"] = regularizers::serialize(o.bias_regularizer);
  config["kernel_constraint"] = constraints::serialize(o.kernel_constraint);
  config["recurrent_constraint"] = constraints::serialize(o.recurrent_constraint);
  config["bias_constraint"] = constraints::serialize(o.bias_constraint);
  config["dropout"] = o.dropout;
  config["recurrent_dropout"] = o.recurrent_dropout;
  config["seed"] = o.seed ? json(*o.seed) : json(nullptr);
  if constexpr (requires { o.reset_after; }) config["reset_after"] = o.reset_after;
}

// GRU configs from before reset_after existed (Keras 1, Keras 2.0-2.1) mean reset_after=false,
// which their (3 units,) bias needs; they are recognised by Keras 1's output_dim or Keras 2's
// implementation key, which Keras 3 never writes.
inline bool legacy_reset_after(const detail::LayerConfig& c) {
  if (c.has({"reset_after"})) return c.boolean({"reset_after"}, true);
  return !c.has({"output_dim", "implementation"});
}

// Reads the cell fields into `o`; returns `units`.
template <class O>
std::int64_t read_cell_config(const detail::LayerConfig& c, O& o) {
  o.activation = c.has({"activation"}) ? c.activation({"activation"}) : activations::ActivationArg("tanh");
  if constexpr (requires { o.recurrent_activation; }) {
    o.recurrent_activation = c.has({"recurrent_activation", "inner_activation"})
                                 ? c.activation({"recurrent_activation", "inner_activation"})
                                 : activations::ActivationArg("sigmoid");
  }
  o.use_bias = c.boolean({"use_bias"}, true);
  o.kernel_initializer = c.initializer({"kernel_initializer", "init"}, "glorot_uniform");
  o.recurrent_initializer = c.initializer({"recurrent_initializer", "inner_init"}, "orthogonal");
  o.bias_initializer = c.initializer({"bias_initializer"}, "zeros");
  if constexpr (requires { o.unit_forget_bias; }) {
    // Keras 1's forget_bias_init="one" became unit_forget_bias=True; other values were dropped.
    if (!c.has({"unit_forget_bias"}) && c.has({"forget_bias_init"})) {
      o.unit_forget_bias = c.string({"forget_bias_init"}, "one") == "one";
    } else {
      o.unit_forget_bias = c.boolean({"unit_forget_bias"}, true);
    }
  }
  o.kernel_regularizer = c.regularizer({"kernel_regularizer", "W_regularizer"});
  o.recurrent_regularizer = c.regularizer({"recurrent_regularizer", "U_regularizer"});
  o.bias_regularizer = c.regularizer({"bias_regularizer", "b_regularizer"});
  o.kernel_constraint = c.constraint({"kernel_constraint"});
  o.recurrent_constraint = c.constraint({"recurrent_constraint"});
  o.bias_constraint = c.constraint({"bias_constraint"});
  o.dropout = c.number({"dropout", "dropout_W"}, 0.0);
  o.recurrent_dropout = c.number({"recurrent_dropout", "dropout_U"}, 0.0);
  o.seed = c.seed({"seed"});
  if constexpr (requires { o.reset_after; }) o.reset_after = legacy_reset_after(c);
  return c.integer({"units", "output_dim"});
}

// The base options, plus Keras 1's input_dim / input_length for recurrent layers (Keras 2
// turned them into input_shape = (input_length, input_dim)).
template <class O>
void read_base_config(const detail::LayerConfig& c, O& o) {
  detail::set_base_options(o, c.base());
  if (o.input_shape.empty()) {
    if (const auto input_dim = c.optional_integer({"input_dim"})) {
      o.input_shape = {c.optional_integer({"input_length"}).value_or(kUnknownDim), *input_dim};
    }
  }
}

template <class O>
void write_layer_config(json& config, const O& o) {
  config["return_sequences"] = o.return_sequences;
  config["return_state"] = o.return_state;
  config["go_backwards"] = o.go_backwards;
  config["stateful"] = o.stateful;
  config["unroll"] = o.unroll;
  config["zero_output_for_mask"] = o.zero_output_for_mask;
}

template <class O>
void read_layer_config(const detail::LayerConfig& c, O& o) {
  o.return_sequences = c.boolean({"return_sequences"}, false);
  o.return_state = c.boolean({"return_state"}, false);
  o.go_backwards = c.boolean({"go_backwards"}, false);
  o.stateful = c.boolean({"stateful"}, false);
  o.unroll = c.boolean({"unroll"}, false);
  o.zero_output_for_mask = c.boolean({"zero_output_for_mask"}, false);
}

// A layer's options -> its cell's: the cell fields, and the layer's dtype and trainable flag
// (Keras passes those two on); the cell's name is Keras's fixed "lstm_cell" etc.
template <class CellOptions, class O>
CellOptions cell_options(const O& o, const std::string& cell_name) {
  CellOptions c;
  c.activation = o.activation;
  if constexpr (requires { c.recurrent_activation; }) c.recurrent_activation = o.recurrent_activation;
  c.use_bias = o.use_bias;
  c.kernel_initializer = o.kernel_initializer;
  c.recurrent_initializer = o.recurrent_initializer;
  c.bias_initializer = o.bias_initializer;
  if constexpr (requires { c.unit_forget_bias; }) c.unit_forget_bias = o.unit_forget_bias;
  c.kernel_regularizer = o.kernel_regularizer;
  c.recurrent_regularizer = o.recurrent_regularizer;
  c.bias_regularizer = o.bias_regularizer;
  c.kernel_constraint = o.kernel_constraint;
  c.recurrent_constraint = o.recurrent_constraint;
  c.bias_constraint = o.bias_constraint;
  c.dropout = o.dropout;
  c.recurrent_dropout = o.recurrent_dropout;
  c.seed = o.seed;
  if constexpr (requires { c.reset_after; }) c.reset_after = o.reset_after;
  c.name = cell_name;
  c.trainable = o.trainable;
  c.dtype = o.dtype;
  return c;
}

template <class O>
RNNOptions rnn_options(const O& o) {
  RNNOptions r;
  r.return_sequences = o.return_sequences;
  r.return_state = o.return_state;
  r.go_backwards = o.go_backwards;
  r.stateful = o.stateful;
  r.unroll = o.unroll;
  r.zero_output_for_mask = o.zero_output_for_mask;
  detail::set_base_options(r, base_options(o));
  return r;
}

// begin_sequence / end_sequence around one sequence, also when a step throws.
class SequenceScope {
 public:
  SequenceScope(RNNCell& cell, const Tensor& first_input, const Tensors& states, bool training) : cell_(cell) {
    cell_.begin_sequence(first_input, states, training);
  }
  ~SequenceScope() { cell_.end_sequence(); }
  SequenceScope(const SequenceScope&) = delete;
  SequenceScope& operator=(const SequenceScope&) = delete;

 private:
  RNNCell& cell_;
};

// Keras clips the dropout rates into [0, 1].
inline double clip_rate(double rate) { return std::clamp(rate, 0.0, 1.0); }

}  // namespace keras::layers::rnn_detail
