// GRUCell and GRU. Gate blocks z, r, h along the last axis of every weight, as Keras; the
// bias is (2, 3 units) (input row, recurrent row) with reset_after, else (3 units,).
#include "keras/layers/recurrent.hpp"
#include "keras/ops.hpp"
#include "layers/rnn/rnn_config.hpp"
#include "ops/rnn.hpp"

namespace keras::layers {

namespace {

// A row of the (2, 3 units) bias as a vector.
Tensor bias_row(const Tensor& bias, std::int64_t row) {
  return ops::reshape(ops::slice(bias, {row, 0}, {1, bias.shape()[1]}), {bias.shape()[1]});
}

}  // namespace

GRUCellLayer::GRUCellLayer(std::int64_t units, const GRUCellOptions& options)
    : DropoutRNNCell(units, options.dropout, options.recurrent_dropout, options.seed, base_options(options)),
      options_(options) {
  options_.dropout = dropout_;
  options_.recurrent_dropout = recurrent_dropout_;
}

void GRUCellLayer::build(const std::vector<Shape>& input_shapes) {
  const auto& o = options_;
  const Shape bias_shape = !o.use_bias ? Shape{} : o.reset_after ? Shape{2, 3 * units_} : Shape{3 * units_};
  add_weights(input_dim(input_shapes), 3, bias_shape,
              {.initializer = o.kernel_initializer, .regularizer = o.kernel_regularizer, .constraint = o.kernel_constraint},
              {.initializer = o.recurrent_initializer,
               .regularizer = o.recurrent_regularizer,
               .constraint = o.recurrent_constraint},
              {.initializer = o.bias_initializer, .regularizer = o.bias_regularizer, .constraint = o.bias_constraint});
}

void GRUCellLayer::begin_sequence(const Tensor& first_input, const Tensors& states, bool training) {
  DropoutRNNCell::begin_sequence(first_input, states, training);
  recurrent_bias_ = bias_.defined() && options_.reset_after ? bias_row(bias_.value(), 1) : Tensor();
  if (!options_.reset_after) {
    // ĥ needs (r ⊙ h) · U_h after z and r, so U splits into its z,r and h column blocks.
    const auto blocks = ops::split(recurrent_value_, std::vector<std::int64_t>{2 * units_}, 1);
    recurrent_zr_ = blocks[0];
    recurrent_h_ = blocks[1];
  }
}

Tensor GRUCellLayer::project_inputs(const Tensor& sequence, bool) {
  Tensor input_bias;
  if (bias_.defined()) input_bias = options_.reset_after ? bias_row(bias_.value(), 0) : bias_.value();
  return project(sequence, input_bias);
}

Tensors GRUCellLayer::step(const Tensor& input, const Tensors& states, bool) {
  const Tensor& h_prev = states.at(0);
  const auto& act = options_.activation;
  const auto& recurrent_act = options_.recurrent_activation;
  // h_{t-1} as gate g sees it: with its own recurrent dropout mask (implementation 1).
  auto h_for = [&](std::size_t g) {
    return recurrent_masks_.empty() ? h_prev : ops::multiply(h_prev, recurrent_masks_[g]);
  };
  Tensor z;
  Tensor hh;
  if (options_.reset_after) {
    Tensor inner = recurrent_projection(h_prev, recurrent_value_);
    if (recurrent_bias_.defined()) inner = ops::add(inner, recurrent_bias_);
    // Keras's default activations without recurrent dropout: the gate maths as one fused
    // kernel each way (docs/performance.md).
    if (recurrent_masks_.empty() && act.name() == "tanh" && recurrent_act.name() == "sigmoid") {
      const Tensor h = ops::detail::gru_cell(input, inner, h_prev);
      return {h, h};
    }
    const auto x = ops::split(input, std::vector<std::int64_t>{2 * units_}, -1);  // x_zr, x_h
    const auto rec = ops::split(inner, std::vector<std::int64_t>{2 * units_}, -1);
    const auto zr = ops::split(recurrent_act(ops::add(x[0], rec[0])), 2, -1);
    z = zr[0];
    hh = act(ops::add(x[1], ops::multiply(zr[1], rec[1])));
  } else {
    const auto x = ops::split(input, std::vector<std::int64_t>{2 * units_}, -1);  // x_zr, x_h
    Tensor rec_zr;
    if (recurrent_masks_.empty()) {
      rec_zr = ops::matmul(h_prev, recurrent_zr_);
    } else {
      const auto blocks = ops::split(recurrent_zr_, 2, 1);
      rec_zr = ops::concatenate({ops::matmul(h_for(0), blocks[0]), ops::matmul(h_for(1), blocks[1])}, -1);
    }
    const auto zr = ops::split(recurrent_act(ops::add(x[0], rec_zr)), 2, -1);
    z = zr[0];
    hh = act(ops::add(x[1], ops::matmul(ops::multiply(zr[1], h_for(2)), recurrent_h_)));
  }
  // z ⊙ h_{t-1} + (1 - z) ⊙ ĥ, with one product fewer.
  const Tensor h = ops::add(hh, ops::multiply(z, ops::subtract(h_prev, hh)));
  return {h, h};
}

json GRUCellLayer::get_config() const {
  json config = Layer::get_config();
  rnn_detail::write_cell_config(config, units_, options_);
  return config;
}

LayerRef<GRUCellLayer> GRUCellLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "GRUCell");
  GRUCellOptions o;
  detail::set_base_options(o, c.base());
  const auto units = rnn_detail::read_cell_config(c, o);
  return GRUCell(units, o);
}

GRULayer::GRULayer(std::int64_t units, const GRUOptions& options)
    : RNNLayer(GRUCell(units, rnn_detail::cell_options<GRUCellOptions>(options, "gru_cell")),
               rnn_detail::rnn_options(options)),
      options_(options),
      typed_cell_(std::static_pointer_cast<GRUCellLayer>(cell())) {
  options_.dropout = typed_cell_->options().dropout;
  options_.recurrent_dropout = typed_cell_->options().recurrent_dropout;
  set_activity_regularizer(options.activity_regularizer);
}

json GRULayer::get_config() const {
  json config = rnn_config();
  rnn_detail::write_cell_config(config, units(), options_);
  config["activity_regularizer"] = regularizers::serialize(options_.activity_regularizer);
  return config;
}

LayerRef<GRULayer> GRULayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "GRU");
  GRUOptions o;
  rnn_detail::read_base_config(c, o);
  rnn_detail::read_layer_config(c, o);
  o.activity_regularizer = c.regularizer({"activity_regularizer"});
  const auto units = rnn_detail::read_cell_config(c, o);
  return GRU(units, o);
}

}  // namespace keras::layers
