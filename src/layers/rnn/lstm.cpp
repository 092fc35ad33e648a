// LSTMCell and LSTM. Gate blocks i, f, c, o along the last axis of every weight, as Keras.
#include "keras/layers/recurrent.hpp"
#include "keras/ops.hpp"
#include "layers/rnn/rnn_config.hpp"
#include "ops/rnn.hpp"

namespace keras::layers {

namespace {

// unit_forget_bias: the bias initializer's values with ones in the forget block.
initializers::InitializerArg forget_bias_initializer(initializers::InitializerArg base, std::int64_t units) {
  return [base, units](const Shape&, DType dtype) {
    return ops::concatenate({base({units}, dtype), ops::ones({units}, dtype), base({2 * units}, dtype)}, 0);
  };
}

}  // namespace

LSTMCellLayer::LSTMCellLayer(std::int64_t units, const LSTMCellOptions& options)
    : DropoutRNNCell(units, options.dropout, options.recurrent_dropout, options.seed, base_options(options)),
      options_(options) {
  options_.dropout = dropout_;
  options_.recurrent_dropout = recurrent_dropout_;
}

void LSTMCellLayer::build(const std::vector<Shape>& input_shapes) {
  const auto& o = options_;
  const auto bias_init = o.unit_forget_bias ? forget_bias_initializer(o.bias_initializer, units_) : o.bias_initializer;
  add_weights(input_dim(input_shapes), 4, o.use_bias ? Shape{4 * units_} : Shape{},
              {.initializer = o.kernel_initializer, .regularizer = o.kernel_regularizer, .constraint = o.kernel_constraint},
              {.initializer = o.recurrent_initializer,
               .regularizer = o.recurrent_regularizer,
               .constraint = o.recurrent_constraint},
              {.initializer = bias_init, .regularizer = o.bias_regularizer, .constraint = o.bias_constraint});
}

Tensor LSTMCellLayer::project_inputs(const Tensor& sequence, bool) {
  return project(sequence, bias_.defined() ? bias_.value() : Tensor());
}

Tensors LSTMCellLayer::step(const Tensor& input, const Tensors& states, bool) {
  const Tensor& h_prev = states.at(0);
  const Tensor& c_prev = states.at(1);
  const Tensor z = ops::add(input, recurrent_projection(h_prev, recurrent_value_));
  // Keras's default activations: the gate maths as one fused kernel each way
  // (docs/performance.md, "IMDB LSTM").
  if (options_.activation.name() == "tanh" && options_.recurrent_activation.name() == "sigmoid") {
    const auto hc = ops::detail::lstm_cell(z, c_prev);
    return {hc[0], hc[0], hc[1]};
  }
  const auto gates = ops::split(z, 4, -1);
  const auto& act = options_.activation;
  const auto& recurrent_act = options_.recurrent_activation;
  const Tensor i = recurrent_act(gates[0]);
  const Tensor f = recurrent_act(gates[1]);
  const Tensor c = ops::add(ops::multiply(f, c_prev), ops::multiply(i, act(gates[2])));
  const Tensor o = recurrent_act(gates[3]);
  const Tensor h = ops::multiply(o, act(c));
  return {h, h, c};
}

json LSTMCellLayer::get_config() const {
  json config = Layer::get_config();
  rnn_detail::write_cell_config(config, units_, options_);
  return config;
}

LayerRef<LSTMCellLayer> LSTMCellLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "LSTMCell");
  LSTMCellOptions o;
  detail::set_base_options(o, c.base());
  const auto units = rnn_detail::read_cell_config(c, o);
  return LSTMCell(units, o);
}

LSTMLayer::LSTMLayer(std::int64_t units, const LSTMOptions& options)
    : RNNLayer(LSTMCell(units, rnn_detail::cell_options<LSTMCellOptions>(options, "lstm_cell")),
               rnn_detail::rnn_options(options)),
      options_(options),
      typed_cell_(std::static_pointer_cast<LSTMCellLayer>(cell())) {
  options_.dropout = typed_cell_->options().dropout;
  options_.recurrent_dropout = typed_cell_->options().recurrent_dropout;
  set_activity_regularizer(options.activity_regularizer);
}

json LSTMLayer::get_config() const {
  json config = rnn_config();
  rnn_detail::write_cell_config(config, units(), options_);
  config["activity_regularizer"] = regularizers::serialize(options_.activity_regularizer);
  return config;
}

// Keras 2's time_major and implementation (Keras 1's consume_less) are ignored, as Keras 3's
// cells pop implementation; Keras 3 itself rejects time_major (keras issue #20750).
LayerRef<LSTMLayer> LSTMLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "LSTM");
  LSTMOptions o;
  rnn_detail::read_base_config(c, o);
  rnn_detail::read_layer_config(c, o);
  o.activity_regularizer = c.regularizer({"activity_regularizer"});
  const auto units = rnn_detail::read_cell_config(c, o);
  return LSTM(units, o);
}

}  // namespace keras::layers
