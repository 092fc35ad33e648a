#pragma once
// Recurrent layers (keras.layers.rnn): the cells SimpleRNNCell, LSTMCell and GRUCell, the
// generic RNN(cell) layer, the SimpleRNN / LSTM / GRU layers built on it, and the wrappers
// Bidirectional and TimeDistributed. Names, arguments, defaults, weight layouts and configs
// are Keras 3's; `from_config` also reads Keras 2 and Keras 1 spellings.
//
// Inputs are (batch, timesteps, features). Initial states are extra inputs after the
// sequence, as Keras's `initial_state=` (`lstm({x, h0, c0})`). A mask on the input (from
// Masking or Embedding(mask_zero=true)) makes the layer skip masked timesteps: the states
// are carried over and the step's output is the previous one (zeros with
// zero_output_for_mask). The output keeps the mask with return_sequences and drops it
// otherwise.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/activations.hpp"
#include "keras/layer.hpp"
#include "keras/random.hpp"

namespace keras::layers {

// ---- The cell interface -----------------------------------------------------------------
//
// A cell computes one timestep: (input_t, states_{t-1}) -> (output_t, states_t). Write your
// own by subclassing RNNCell and overriding
//   - state_size(): the size of each state (a cell with states [h, c] of 32 units gives
//     {32, 32}); output_size() defaults to state_size()[0];
//   - build(shapes): create the weights; shapes[0] is the step input's (batch, features);
//   - step(input, states, training): one timestep, in keras::ops, returning
//     {output, new_state_0, new_state_1, ...};
//   - class_name(), get_config() and a registered from_config, to save and load it.
// and optionally
//   - project_inputs(sequence, training): the part of the step that does not depend on the
//     states, for every timestep at once. `sequence` is time-major (timesteps, batch,
//     features); the result (timesteps, batch, k) is split into the inputs `step` receives.
//     The default passes the sequence through, so `step` sees the raw features. The built-in
//     cells run their input GEMM here, as one matmul for the whole sequence;
//   - begin_sequence(first_input, states, training) / end_sequence(): called around each
//     sequence (the built-in cells draw their dropout masks there, one per sequence);
//   - get_initial_state(batch_size): zeros by default.
// Then `layers::RNN(keras::make_layer<MyCell>(...))` runs it over sequences. Calling a cell
// itself (`cell({x_t, h, c})`) runs one step and returns {output, states...}.
class RNNCell : public Layer {
 public:
  explicit RNNCell(const LayerOptions& options = {});
  virtual std::vector<std::int64_t> state_size() const = 0;
  virtual std::int64_t output_size() const;
  virtual Tensors get_initial_state(std::int64_t batch_size) const;
  virtual void begin_sequence(const Tensor& first_input, const Tensors& states, bool training);
  virtual void end_sequence();
  virtual Tensor project_inputs(const Tensor& sequence, bool training);
  virtual Tensors step(const Tensor& input, const Tensors& states, bool training) = 0;

  // One step as a layer call: inputs {input_t, states...} -> {output, states...}.
  Tensors call(const Tensors& inputs, const CallContext& context) override;
};

// The options shared by the built-in cells and their layers, in Keras's argument order.
// Keras clips dropout rates into [0, 1].
#define KERAS_RNN_WEIGHT_OPTIONS                                                    \
  bool use_bias = true;                                                             \
  initializers::InitializerArg kernel_initializer = "glorot_uniform";               \
  initializers::InitializerArg recurrent_initializer = "orthogonal";                \
  initializers::InitializerArg bias_initializer = "zeros";

#define KERAS_RNN_REGULARIZER_OPTIONS            \
  regularizers::RegularizerArg kernel_regularizer; \
  regularizers::RegularizerArg recurrent_regularizer; \
  regularizers::RegularizerArg bias_regularizer;

#define KERAS_RNN_CONSTRAINT_DROPOUT_OPTIONS                  \
  constraints::ConstraintArg kernel_constraint;    \
  constraints::ConstraintArg recurrent_constraint; \
  constraints::ConstraintArg bias_constraint;      \
  double dropout = 0.0;                            \
  double recurrent_dropout = 0.0;                  \
  std::optional<std::uint64_t> seed;

// The RNN layer's own arguments.
#define KERAS_RNN_LAYER_OPTIONS      \
  bool return_sequences = false;     \
  bool return_state = false;         \
  bool go_backwards = false;         \
  bool stateful = false;             \
  bool unroll = false;               \
  /* masked steps output zeros instead of the previous output */ \
  bool zero_output_for_mask = false;

// A built-in cell: its weights (kernel, recurrent_kernel, bias) and dropout masks, drawn
// once per sequence as Keras's DropoutRNNCell (one mask, or one per gate when
// recurrent_dropout is set: Keras's implementation 1).
class DropoutRNNCell : public RNNCell {
 public:
  DropoutRNNCell(std::int64_t units, double dropout, double recurrent_dropout, std::optional<std::uint64_t> seed,
                 const LayerOptions& options);
  std::int64_t units() const { return units_; }
  void begin_sequence(const Tensor& first_input, const Tensors& states, bool training) override;
  void end_sequence() override;
  // The weights (ValueError before the cell is built; bias also when use_bias is false).
  Variable kernel() const;
  Variable recurrent_kernel() const;
  Variable bias() const;

 protected:
  // How many gates get their own dropout mask when recurrent_dropout is set (4 for LSTM).
  virtual std::int64_t gate_count() const = 0;
  // x · kernel (+ bias) for a time-major sequence, with the input dropout masks applied.
  Tensor project(const Tensor& sequence, const Tensor& bias) const;
  // h · recurrent_kernel with the recurrent dropout masks applied (per gate when several).
  Tensor recurrent_projection(const Tensor& h, const Tensor& recurrent_kernel) const;
  // The input dimension of the step input shape (ValueError when unknown).
  std::int64_t input_dim(const std::vector<Shape>& input_shapes) const;
  // The weights as Keras's build makes them; `bias_shape` empty: no bias.
  void add_weights(std::int64_t input_dim, std::int64_t gates, const Shape& bias_shape,
                   const WeightOptions& kernel, const WeightOptions& recurrent, const WeightOptions& bias);

  std::int64_t units_;
  double dropout_;
  double recurrent_dropout_;
  std::optional<std::uint64_t> seed_;
  random::SeedGenerator seed_generator_;
  Variable kernel_;
  Variable recurrent_kernel_;
  Variable bias_;
  // Read once per sequence, so each step does not re-read the variables.
  Tensor kernel_value_;
  Tensor recurrent_value_;
  Tensors input_masks_;
  Tensors recurrent_masks_;
};

// ---- SimpleRNN --------------------------------------------------------------------------

struct SimpleRNNCellOptions {
  activations::ActivationArg activation = "tanh";
  KERAS_RNN_WEIGHT_OPTIONS
  KERAS_RNN_REGULARIZER_OPTIONS
  KERAS_RNN_CONSTRAINT_DROPOUT_OPTIONS
  KERAS_LAYER_BASE_OPTIONS
};

// h_t = activation(x_t · kernel + h_{t-1} · recurrent_kernel + bias).
class SimpleRNNCellLayer : public DropoutRNNCell {
 public:
  SimpleRNNCellLayer(std::int64_t units, const SimpleRNNCellOptions& options = {});
  std::vector<std::int64_t> state_size() const override { return {units_}; }
  void build(const std::vector<Shape>& input_shapes) override;
  Tensor project_inputs(const Tensor& sequence, bool training) override;
  Tensors step(const Tensor& input, const Tensors& states, bool training) override;
  std::string class_name() const override { return "SimpleRNNCell"; }
  json get_config() const override;
  static LayerRef<SimpleRNNCellLayer> from_config(const json& config);
  const SimpleRNNCellOptions& options() const { return options_; }

 protected:
  std::int64_t gate_count() const override { return 1; }

 private:
  SimpleRNNCellOptions options_;
};

inline LayerRef<SimpleRNNCellLayer> SimpleRNNCell(std::int64_t units, const SimpleRNNCellOptions& options = {}) {
  return make_layer<SimpleRNNCellLayer>(units, options);
}

// ---- LSTM -------------------------------------------------------------------------------

struct LSTMCellOptions {
  activations::ActivationArg activation = "tanh";
  activations::ActivationArg recurrent_activation = "sigmoid";
  KERAS_RNN_WEIGHT_OPTIONS
  // Adds 1 to the forget gate's bias at initialization (the bias initializer fills the rest).
  bool unit_forget_bias = true;
  KERAS_RNN_REGULARIZER_OPTIONS
  KERAS_RNN_CONSTRAINT_DROPOUT_OPTIONS
  KERAS_LAYER_BASE_OPTIONS
};

// Gates in Keras's order i, f, c, o along the last axis of kernel (input_dim, 4 units),
// recurrent_kernel (units, 4 units) and bias (4 units): z = x·W + h·U + b,
// c_t = σ(z_f)·c_{t-1} + σ(z_i)·tanh(z_c), h_t = σ(z_o)·tanh(c_t). States [h, c].
class LSTMCellLayer : public DropoutRNNCell {
 public:
  LSTMCellLayer(std::int64_t units, const LSTMCellOptions& options = {});
  std::vector<std::int64_t> state_size() const override { return {units_, units_}; }
  void build(const std::vector<Shape>& input_shapes) override;
  Tensor project_inputs(const Tensor& sequence, bool training) override;
  Tensors step(const Tensor& input, const Tensors& states, bool training) override;
  std::string class_name() const override { return "LSTMCell"; }
  json get_config() const override;
  static LayerRef<LSTMCellLayer> from_config(const json& config);
  const LSTMCellOptions& options() const { return options_; }

 protected:
  std::int64_t gate_count() const override { return 4; }

 private:
  LSTMCellOptions options_;
};

inline LayerRef<LSTMCellLayer> LSTMCell(std::int64_t units, const LSTMCellOptions& options = {}) {
  return make_layer<LSTMCellLayer>(units, options);
}

// ---- GRU --------------------------------------------------------------------------------

struct GRUCellOptions {
  activations::ActivationArg activation = "tanh";
  activations::ActivationArg recurrent_activation = "sigmoid";
  KERAS_RNN_WEIGHT_OPTIONS
  KERAS_RNN_REGULARIZER_OPTIONS
  KERAS_RNN_CONSTRAINT_DROPOUT_OPTIONS
  // Apply the reset gate after the recurrent matmul (Keras 3 and cuDNN; bias (2, 3 units))
  // or before it (Keras 2.2's default; bias (3 units)).
  bool reset_after = true;
  KERAS_LAYER_BASE_OPTIONS
};

// Gates in Keras's order z, r, h: z = σ(x_z + r_z), r = σ(x_r + r_r),
// ĥ = tanh(x_h + r ⊙ r_h) (reset_after) or tanh(x_h + (r ⊙ h)·U_h), h_t = z·h + (1 - z)·ĥ.
class GRUCellLayer : public DropoutRNNCell {
 public:
  GRUCellLayer(std::int64_t units, const GRUCellOptions& options = {});
  std::vector<std::int64_t> state_size() const override { return {units_}; }
  void build(const std::vector<Shape>& input_shapes) override;
  void begin_sequence(const Tensor& first_input, const Tensors& states, bool training) override;
  Tensor project_inputs(const Tensor& sequence, bool training) override;
  Tensors step(const Tensor& input, const Tensors& states, bool training) override;
  std::string class_name() const override { return "GRUCell"; }
  json get_config() const override;
  static LayerRef<GRUCellLayer> from_config(const json& config);
  const GRUCellOptions& options() const { return options_; }

 protected:
  std::int64_t gate_count() const override { return 3; }

 private:
  GRUCellOptions options_;
  // Per sequence: the recurrent bias row (reset_after) and the kernel's z,r / h column blocks.
  Tensor recurrent_bias_;
  Tensor recurrent_zr_;
  Tensor recurrent_h_;
};

inline LayerRef<GRUCellLayer> GRUCell(std::int64_t units, const GRUCellOptions& options = {}) {
  return make_layer<GRUCellLayer>(units, options);
}

// ---- RNN --------------------------------------------------------------------------------

struct RNNOptions {
  KERAS_RNN_LAYER_OPTIONS
  KERAS_LAYER_BASE_OPTIONS
};

// Runs a cell over the timesteps: the cell's project_inputs once, then one step per
// timestep. Outputs: the last output (batch, units) or, with return_sequences, every
// output (batch, timesteps, units); with return_state, then the final states. go_backwards
// processes the sequence reversed and keeps the outputs in processing order. stateful
// carries the final states over to the next call (reset_states() zeroes them); it needs a
// fixed batch size. `unroll` is accepted for Keras compatibility: the loop always runs
// step by step here.
class RNNLayer : public Layer {
 public:
  RNNLayer(std::shared_ptr<RNNCell> cell, const RNNOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;
  std::string class_name() const override { return "RNN"; }
  json get_config() const override;
  static LayerRef<RNNLayer> from_config(const json& config);

  const std::shared_ptr<RNNCell>& cell() const { return cell_; }
  const RNNOptions& rnn_options() const { return rnn_options_; }
  // The carried states of a stateful layer (empty before its first call).
  const Tensors& states() const { return states_; }
  void reset_states();
  void reset_state() { reset_states(); }

 protected:
  // The config without "cell", for SimpleRNN / LSTM / GRU, which write the cell's
  // arguments at the top level instead.
  json rnn_config() const;
  // The activity regularizer of SimpleRNN / LSTM / GRU (applied to every output).
  void set_activity_regularizer(regularizers::RegularizerArg regularizer) {
    activity_regularizer_ = std::move(regularizer);
  }
  const regularizers::RegularizerArg& activity_regularizer() const { return activity_regularizer_; }

 private:
  Tensors initial_states(const Tensors& inputs, std::int64_t batch_size) const;

  std::shared_ptr<RNNCell> cell_;
  RNNOptions rnn_options_;
  regularizers::RegularizerArg activity_regularizer_;
  Tensors states_;
};

inline LayerRef<RNNLayer> RNN(std::shared_ptr<RNNCell> cell, const RNNOptions& options = {}) {
  return make_layer<RNNLayer>(std::move(cell), options);
}

// ---- SimpleRNN, LSTM, GRU: RNN over the built-in cells ----------------------------------
// Each takes its cell's arguments plus the RNN's and an activity regularizer; the cell
// (named "simple_rnn_cell", "lstm_cell", "gru_cell" as in Keras) owns the weights.

struct SimpleRNNOptions {
  activations::ActivationArg activation = "tanh";
  KERAS_RNN_WEIGHT_OPTIONS
  KERAS_RNN_REGULARIZER_OPTIONS
  regularizers::RegularizerArg activity_regularizer;
  KERAS_RNN_CONSTRAINT_DROPOUT_OPTIONS
  KERAS_RNN_LAYER_OPTIONS
  KERAS_LAYER_BASE_OPTIONS
};

class SimpleRNNLayer : public RNNLayer {
 public:
  SimpleRNNLayer(std::int64_t units, const SimpleRNNOptions& options = {});
  std::string class_name() const override { return "SimpleRNN"; }
  json get_config() const override;
  static LayerRef<SimpleRNNLayer> from_config(const json& config);
  std::int64_t units() const { return typed_cell_->units(); }
  const SimpleRNNOptions& options() const { return options_; }
  SimpleRNNCellLayer& simple_rnn_cell() const { return *typed_cell_; }

 private:
  SimpleRNNOptions options_;
  std::shared_ptr<SimpleRNNCellLayer> typed_cell_;
};

inline LayerRef<SimpleRNNLayer> SimpleRNN(std::int64_t units, const SimpleRNNOptions& options = {}) {
  return make_layer<SimpleRNNLayer>(units, options);
}

struct LSTMOptions {
  activations::ActivationArg activation = "tanh";
  activations::ActivationArg recurrent_activation = "sigmoid";
  KERAS_RNN_WEIGHT_OPTIONS
  bool unit_forget_bias = true;
  KERAS_RNN_REGULARIZER_OPTIONS
  regularizers::RegularizerArg activity_regularizer;
  KERAS_RNN_CONSTRAINT_DROPOUT_OPTIONS
  KERAS_RNN_LAYER_OPTIONS
  KERAS_LAYER_BASE_OPTIONS
};

class LSTMLayer : public RNNLayer {
 public:
  LSTMLayer(std::int64_t units, const LSTMOptions& options = {});
  std::string class_name() const override { return "LSTM"; }
  json get_config() const override;
  static LayerRef<LSTMLayer> from_config(const json& config);
  std::int64_t units() const { return typed_cell_->units(); }
  const LSTMOptions& options() const { return options_; }
  LSTMCellLayer& lstm_cell() const { return *typed_cell_; }

 private:
  LSTMOptions options_;
  std::shared_ptr<LSTMCellLayer> typed_cell_;
};

inline LayerRef<LSTMLayer> LSTM(std::int64_t units, const LSTMOptions& options = {}) {
  return make_layer<LSTMLayer>(units, options);
}

struct GRUOptions {
  activations::ActivationArg activation = "tanh";
  activations::ActivationArg recurrent_activation = "sigmoid";
  KERAS_RNN_WEIGHT_OPTIONS
  KERAS_RNN_REGULARIZER_OPTIONS
  regularizers::RegularizerArg activity_regularizer;
  KERAS_RNN_CONSTRAINT_DROPOUT_OPTIONS
  KERAS_RNN_LAYER_OPTIONS
  bool reset_after = true;
  KERAS_LAYER_BASE_OPTIONS
};

class GRULayer : public RNNLayer {
 public:
  GRULayer(std::int64_t units, const GRUOptions& options = {});
  std::string class_name() const override { return "GRU"; }
  json get_config() const override;
  static LayerRef<GRULayer> from_config(const json& config);
  std::int64_t units() const { return typed_cell_->units(); }
  const GRUOptions& options() const { return options_; }
  GRUCellLayer& gru_cell() const { return *typed_cell_; }

 private:
  GRUOptions options_;
  std::shared_ptr<GRUCellLayer> typed_cell_;
};

inline LayerRef<GRULayer> GRU(std::int64_t units, const GRUOptions& options = {}) {
  return make_layer<GRULayer>(units, options);
}

// ---- Bidirectional ----------------------------------------------------------------------

struct BidirectionalOptions {
  // "concat" (default), "sum", "mul", "ave", or "none" (the two outputs as a list).
  std::string merge_mode = "concat";
  // Processes the reversed sequence; null: a copy of `layer` with go_backwards flipped.
  LayerPtr backward_layer;
  KERAS_LAYER_BASE_OPTIONS
};

// Runs a recurrent layer forwards and a copy backwards over the sequence and merges the
// two outputs (the backward sequence output is flipped back into time order). As Keras,
// the forward layer is rebuilt from `layer`'s config ("forward_<name>"), so `layer` itself
// is never called. Initial states: the forward layer's then the backward layer's.
class BidirectionalLayer : public Layer {
 public:
  BidirectionalLayer(const LayerPtr& layer, const BidirectionalOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;
  std::string class_name() const override { return "Bidirectional"; }
  json get_config() const override;
  static LayerRef<BidirectionalLayer> from_config(const json& config);

  const LayerPtr& forward_layer() const { return forward_; }
  const LayerPtr& backward_layer() const { return backward_; }
  const std::string& merge_mode() const { return merge_mode_; }

 private:
  LayerPtr forward_;
  LayerPtr backward_;
  std::string merge_mode_;
  bool return_sequences_;
  bool return_state_;
};

inline LayerRef<BidirectionalLayer> Bidirectional(const LayerPtr& layer, const BidirectionalOptions& options = {}) {
  return make_layer<BidirectionalLayer>(layer, options);
}

// ---- TimeDistributed --------------------------------------------------------------------

struct TimeDistributedOptions {
  KERAS_LAYER_BASE_OPTIONS
};

// Applies `layer` to every timestep (axis 1) of inputs of rank >= 3, as Keras 3: one call
// per timestep with the (batch, ...) slice, outputs stacked back on axis 1. The mask is
// passed on unchanged.
class TimeDistributedLayer : public Layer {
 public:
  TimeDistributedLayer(LayerPtr layer, const TimeDistributedOptions& options = {});
  void build(const std::vector<Shape>& input_shapes) override;
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  std::string class_name() const override { return "TimeDistributed"; }
  json get_config() const override;
  static LayerRef<TimeDistributedLayer> from_config(const json& config);
  const LayerPtr& layer() const { return layer_; }

 private:
  LayerPtr layer_;
};

inline LayerRef<TimeDistributedLayer> TimeDistributed(LayerPtr layer, const TimeDistributedOptions& options = {}) {
  return make_layer<TimeDistributedLayer>(std::move(layer), options);
}

}  // namespace keras::layers

#undef KERAS_RNN_WEIGHT_OPTIONS
#undef KERAS_RNN_REGULARIZER_OPTIONS
#undef KERAS_RNN_CONSTRAINT_DROPOUT_OPTIONS
#undef KERAS_RNN_LAYER_OPTIONS
