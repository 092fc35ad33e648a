// SimpleRNNCell and SimpleRNN: h_t = activation(x_t · kernel + h_{t-1} · recurrent_kernel + bias).
#include "keras/layers/recurrent.hpp"
#include "keras/ops.hpp"
#include "layers/rnn/rnn_config.hpp"

namespace keras::layers {

SimpleRNNCellLayer::SimpleRNNCellLayer(std::int64_t units, const SimpleRNNCellOptions& options)
    : DropoutRNNCell(units, options.dropout, options.recurrent_dropout, options.seed, base_options(options)),
      options_(options) {
  options_.dropout = dropout_;
  options_.recurrent_dropout = recurrent_dropout_;
}

void SimpleRNNCellLayer::build(const std::vector<Shape>& input_shapes) {
  const auto& o = options_;
  add_weights(input_dim(input_shapes), 1, o.use_bias ? Shape{units_} : Shape{},
              {.initializer = o.kernel_initializer, .regularizer = o.kernel_regularizer, .constraint = o.kernel_constraint},
              {.initializer = o.recurrent_initializer,
               .regularizer = o.recurrent_regularizer,
               .constraint = o.recurrent_constraint},
              {.initializer = o.bias_initializer, .regularizer = o.bias_regularizer, .constraint = o.bias_constraint});
}

Tensor SimpleRNNCellLayer::project_inputs(const Tensor& sequence, bool) {
  return project(sequence, bias_.defined() ? bias_.value() : Tensor());
}

Tensors SimpleRNNCellLayer::step(const Tensor& input, const Tensors& states, bool) {
  Tensor h = ops::add(input, recurrent_projection(states.at(0), recurrent_value_));
  if (!options_.activation.is_linear()) h = options_.activation(h);
  return {h, h};
}

json SimpleRNNCellLayer::get_config() const {
  json config = Layer::get_config();
  rnn_detail::write_cell_config(config, units_, options_);
  return config;
}

LayerRef<SimpleRNNCellLayer> SimpleRNNCellLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "SimpleRNNCell");
  SimpleRNNCellOptions o;
  detail::set_base_options(o, c.base());
  const auto units = rnn_detail::read_cell_config(c, o);
  return SimpleRNNCell(units, o);
}

SimpleRNNLayer::SimpleRNNLayer(std::int64_t units, const SimpleRNNOptions& options)
    : RNNLayer(SimpleRNNCell(units, rnn_detail::cell_options<SimpleRNNCellOptions>(options, "simple_rnn_cell")),
               rnn_detail::rnn_options(options)),
      options_(options),
      typed_cell_(std::static_pointer_cast<SimpleRNNCellLayer>(cell())) {
  options_.dropout = typed_cell_->options().dropout;
  options_.recurrent_dropout = typed_cell_->options().recurrent_dropout;
  set_activity_regularizer(options.activity_regularizer);
}

json SimpleRNNLayer::get_config() const {
  json config = rnn_config();
  rnn_detail::write_cell_config(config, units(), options_);
  config["activity_regularizer"] = regularizers::serialize(options_.activity_regularizer);
  return config;
}

LayerRef<SimpleRNNLayer> SimpleRNNLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "SimpleRNN");
  SimpleRNNOptions o;
  rnn_detail::read_base_config(c, o);
  rnn_detail::read_layer_config(c, o);
  o.activity_regularizer = c.regularizer({"activity_regularizer"});
  const auto units = rnn_detail::read_cell_config(c, o);
  return SimpleRNN(units, o);
}

}  // namespace keras::layers
