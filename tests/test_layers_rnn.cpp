// The recurrent layers: SimpleRNN, LSTM, GRU (both reset_after variants), their cells, the
// generic RNN(cell), Bidirectional and TimeDistributed. Forward values and one SGD step
// against PyTorch (tests/golden/gen_rnn.py maps Keras's weight layout to torch's),
// finite-difference gradients, masks (the classic "Masking then LSTM skips the zeroed
// steps"), go_backwards, initial and returned states, stateful layers, configs in Keras 3,
// Keras 2 and Keras 1 spellings, Keras 1 weight conversion on a real Keras 1.2.2 file, and
// Keras's error messages.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "keras/gradient_tape.hpp"
#include "keras/input.hpp"
#include "keras/layer_registry.hpp"
#include "keras/layers/core.hpp"
#include "keras/layers/recurrent.hpp"
#include "keras/model.hpp"
#include "keras/optimizers.hpp"
#include "keras/sequential.hpp"
#include "layers/rnn/legacy_weights.hpp"
#include "ops/rnn.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;
using testing::check_weight_gradients;
using testing::value_error;

constexpr DType f64 = DType::float64;
constexpr std::int64_t B = 3, T = 5, F = 4, U = 6;

Tensor gold(const std::string& name) { return testing::golden("rnn/" + name); }

json gold_json(const std::string& name) {
  std::ifstream in(std::string(KERAS_GOLDEN_DIR) + "/rnn/" + name + ".json");
  return json::parse(in);
}

Tensors lstm_weights() { return {gold("lstm_kernel"), gold("lstm_recurrent_kernel"), gold("lstm_bias")}; }
Tensors gru_weights() { return {gold("gru_kernel"), gold("gru_recurrent_kernel"), gold("gru_bias")}; }
Tensors rnn_weights() { return {gold("rnn_kernel"), gold("rnn_recurrent_kernel"), gold("rnn_bias")}; }

// Builds `layer` for (batch, T, F) float64 sequences and loads `weights`.
template <class L>
L built(L layer, const Tensors& weights) {
  layer->build_once({{None, T, F}});
  layer->set_weights(weights);
  return layer;
}

std::vector<std::string> weight_names(const Layer& layer) {
  std::vector<std::string> names;
  for (const auto& w : layer.weights()) names.push_back(w.name());
  return names;
}

void expect_config_round_trip(const Layer& layer) {
  const json config = layer.get_config();
  const LayerPtr rebuilt = layer_from_config(layer.class_name(), config);
  EXPECT_EQ(rebuilt->class_name(), layer.class_name());
  EXPECT_EQ(rebuilt->get_config(), config) << config.dump();
}

// Gradient w.r.t. the layer's (first) input, with an optional mask.
::testing::AssertionResult check_input_gradients(const LayerPtr& layer, const Tensor& x, const Tensor& mask = {}) {
  const CallArgs args{.mask = mask.defined() ? Tensors{mask} : Tensors{}};
  return check_gradients([&](const std::vector<Tensor>& xs) { return Tensor((*layer)(xs[0], args)); }, {x});
}

// One SGD step (learning rate 0.1) on sum(layer(x) * w_seq).
void sgd_step(Layer& layer, const Tensor& x) {
  optimizers::SGD sgd({.learning_rate = 0.1});
  const auto weights = layer.trainable_weights();
  std::vector<Tensor> grads;
  {
    GradientTape tape;
    const Tensor loss = ops::sum(ops::multiply(Tensor(layer(x)), gold("w_seq")));
    grads = tape.gradient(loss, weights);
  }
  std::vector<std::pair<Tensor, Variable>> pairs;
  for (std::size_t i = 0; i < weights.size(); ++i) pairs.emplace_back(grads[i], weights[i]);
  sgd.apply_gradients(pairs);
}

class LayersRNN : public ::testing::Test {
 protected:
  void SetUp() override { ops::clear_session(); }
};

// ---- LSTM -----------------------------------------------------------------------------------

TEST_F(LayersRNN, LSTMWeightsBelongToTheCellInKerasLayout) {
  auto lstm = layers::LSTM(U);
  EXPECT_THROW(lstm->lstm_cell().kernel(), ValueError);
  const Tensor y = lstm(Input({T, F}));
  EXPECT_EQ(y.shape(), (Shape{None, U}));
  EXPECT_EQ(lstm->name(), "lstm");
  EXPECT_EQ(lstm->cell()->name(), "lstm_cell");
  EXPECT_EQ(weight_names(*lstm), (std::vector<std::string>{"kernel", "recurrent_kernel", "bias"}));
  EXPECT_EQ(lstm->lstm_cell().kernel().shape(), (Shape{F, 4 * U}));
  EXPECT_EQ(lstm->lstm_cell().recurrent_kernel().shape(), (Shape{U, 4 * U}));
  EXPECT_EQ(lstm->lstm_cell().bias().shape(), (Shape{4 * U}));
  // The cell is tracked as Keras's `cell` attribute (weight files store it there).
  ASSERT_EQ(lstm->tracked_layers().size(), 1u);
  EXPECT_EQ(lstm->tracked_layers()[0], lstm->cell());
  EXPECT_EQ(lstm->tracked_attributes(), (std::vector<std::string>{"cell"}));
  // unit_forget_bias: the forget block (the second) starts at one, the rest at zero.
  const auto bias = lstm->lstm_cell().bias().value().to_vector<double>();
  for (std::int64_t i = 0; i < 4 * U; ++i) EXPECT_EQ(bias[i], (i >= U && i < 2 * U) ? 1.0 : 0.0) << i;
  auto plain = layers::LSTM(U, {.unit_forget_bias = false});
  plain->build_once({{None, T, F}});
  EXPECT_EQ(ops::sum(ops::abs(plain->lstm_cell().bias().value())).item<double>(), 0.0);
  auto no_bias = layers::LSTM(U, {.use_bias = false});
  no_bias->build_once({{None, T, F}});
  EXPECT_EQ(weight_names(*no_bias), (std::vector<std::string>{"kernel", "recurrent_kernel"}));
}

TEST_F(LayersRNN, LSTMMatchesTorch) {
  auto lstm = built(layers::LSTM(U, {.return_sequences = true, .return_state = true, .dtype = f64}), lstm_weights());
  const Outputs out = lstm(gold("x"));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(all_close(out[0], gold("lstm_seq"), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(out[1], gold("lstm_h"), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(out[2], gold("lstm_c"), 1e-12, 1e-10));
  // Without return_sequences the output is the last step's.
  auto last = built(layers::LSTM(U, {.dtype = f64}), lstm_weights());
  EXPECT_TRUE(all_close(last(gold("x")), gold("lstm_h"), 1e-12, 1e-10));
}

TEST_F(LayersRNN, LSTMInitialStateAndGoBackwardsMatchTorch) {
  auto lstm = built(layers::LSTM(U, {.return_sequences = true, .return_state = true, .dtype = f64}), lstm_weights());
  const Outputs out = lstm({gold("x"), gold("lstm_h0"), gold("lstm_c0")});
  EXPECT_TRUE(all_close(out[0], gold("lstm_init_seq"), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(out[2], gold("lstm_init_c"), 1e-12, 1e-10));
  // go_backwards: outputs in processing (reversed) order, as Keras.
  auto backwards = built(layers::LSTM(U, {.return_sequences = true, .go_backwards = true, .dtype = f64}),
                         lstm_weights());
  EXPECT_TRUE(all_close(backwards(gold("x")), gold("lstm_backwards_seq"), 1e-12, 1e-10));
  // Symbolic initial states are extra inputs of the node.
  const Tensor x = Input({T, F}, {.dtype = f64});
  const Tensor h0 = Input({U}, {.dtype = f64});
  const Tensor c0 = Input({U}, {.dtype = f64});
  auto sym = built(layers::LSTM(U, {.return_sequences = true, .dtype = f64}), lstm_weights());
  Model model({x, h0, c0}, Tensor(sym({x, h0, c0})));
  EXPECT_TRUE(all_close(model({gold("x"), gold("lstm_h0"), gold("lstm_c0")}), gold("lstm_init_seq"), 1e-12, 1e-10));
}

TEST_F(LayersRNN, LSTMGradients) {
  auto lstm = built(layers::LSTM(U, {.return_sequences = true, .dtype = f64}), lstm_weights());
  EXPECT_TRUE(check_weight_gradients(*lstm, gold("x")));
  EXPECT_TRUE(check_input_gradients(lstm, gold("x")));
  // With a mask, and through the initial states.
  EXPECT_TRUE(check_weight_gradients(*lstm, gold("x"), {.mask = {gold("mask")}}));
  EXPECT_TRUE(check_gradients(
      [&](const std::vector<Tensor>& xs) { return Tensor(lstm({xs[0], xs[1], xs[2]})); },
      {gold("x"), gold("lstm_h0"), gold("lstm_c0")}));
}

// The fused LSTM step (ops/rnn.hpp) the LSTM layer uses with its default activations.
TEST_F(LayersRNN, FusedLSTMCellMatchesTheFormulaAndItsGradients) {
  const Tensor z = testing::test_input({B, 4 * U}, 11, -3.0, 3.0);
  const Tensor c_prev = testing::test_input({B, U}, 12, -2.0, 2.0);
  const auto hc = ops::detail::lstm_cell(z, c_prev);
  // The formula, written independently with ops: i, f, c, o along the last axis.
  const auto gates = ops::split(z, 4, -1);
  const Tensor c = ops::add(ops::multiply(ops::sigmoid(gates[1]), c_prev),
                            ops::multiply(ops::sigmoid(gates[0]), ops::tanh(gates[2])));
  const Tensor h = ops::multiply(ops::sigmoid(gates[3]), ops::tanh(c));
  EXPECT_TRUE(all_close(hc[0], h, 1e-14, 1e-12));
  EXPECT_TRUE(all_close(hc[1], c, 1e-14, 1e-12));
  // Its own backward kernel, for each output and for both together.
  for (int out : {0, 1}) {
    EXPECT_TRUE(check_gradients(
        [&](const std::vector<Tensor>& xs) { return ops::detail::lstm_cell(xs[0], xs[1])[static_cast<std::size_t>(out)]; },
        {z, c_prev}))
        << "output " << out;
  }
  EXPECT_TRUE(check_gradients(
      [&](const std::vector<Tensor>& xs) {
        const auto r = ops::detail::lstm_cell(xs[0], xs[1]);
        return ops::add(ops::multiply(r[0], 2.0), r[1]);
      },
      {z, c_prev}));
  // float32 runs the vectorised kernel: within float rounding of the float64 result.
  const auto hc32 = ops::detail::lstm_cell(z.astype(DType::float32), c_prev.astype(DType::float32));
  EXPECT_TRUE(all_close(hc32[0], h, 1e-6, 1e-5));
  // Second order (an outer tape records the backward pass): the gradient of the gradient
  // equals the one of the plain formula.
  auto second = [&](bool fused) {
    GradientTape outer;
    outer.watch(z);
    Tensor g;
    {
      GradientTape inner;
      inner.watch(z);
      const auto parts = ops::split(z, 4, -1);
      const Tensor hh = fused ? ops::detail::lstm_cell(z, c_prev)[0]
                              : ops::multiply(ops::sigmoid(parts[3]),
                                              ops::tanh(ops::add(ops::multiply(ops::sigmoid(parts[1]), c_prev),
                                                                 ops::multiply(ops::sigmoid(parts[0]), ops::tanh(parts[2])))));
      g = inner.gradient(ops::sum(hh), std::vector<Tensor>{z})[0];
    }
    return outer.gradient(ops::sum(ops::square(g)), std::vector<Tensor>{z})[0];
  };
  EXPECT_TRUE(all_close(second(true), second(false), 1e-12, 1e-10));
  EXPECT_NE(value_error([&] { ops::detail::lstm_cell(z, z); }).find("(batch, 4 * units)"), std::string::npos);
}

// The fused GRU step (reset_after=True, default activations).
TEST_F(LayersRNN, FusedGRUCellMatchesTheFormulaAndItsGradients) {
  const Tensor x = testing::test_input({B, 3 * U}, 21, -2.0, 2.0);
  const Tensor inner = testing::test_input({B, 3 * U}, 22, -2.0, 2.0);
  const Tensor h_prev = testing::test_input({B, U}, 23, -1.0, 1.0);
  const auto xs = ops::split(x, 3, -1);
  const auto is = ops::split(inner, 3, -1);
  const Tensor z = ops::sigmoid(ops::add(xs[0], is[0]));
  const Tensor r = ops::sigmoid(ops::add(xs[1], is[1]));
  const Tensor n = ops::tanh(ops::add(xs[2], ops::multiply(r, is[2])));
  const Tensor expected = ops::add(ops::multiply(z, h_prev), ops::multiply(ops::subtract(1.0, z), n));
  EXPECT_TRUE(all_close(ops::detail::gru_cell(x, inner, h_prev), expected, 1e-14, 1e-12));
  EXPECT_TRUE(check_gradients(
      [&](const std::vector<Tensor>& in) { return ops::detail::gru_cell(in[0], in[1], in[2]); }, {x, inner, h_prev}));
  const Tensor h32 = ops::detail::gru_cell(x.astype(DType::float32), inner.astype(DType::float32),
                                           h_prev.astype(DType::float32));
  EXPECT_TRUE(all_close(h32, expected, 1e-6, 1e-5));
  // Second order (an outer tape records the backward pass) equals the plain formula's.
  auto second = [&](bool fused) {
    GradientTape outer;
    outer.watch(x);
    Tensor g;
    {
      GradientTape inner_tape;
      inner_tape.watch(x);
      const auto parts = ops::split(x, 3, -1);
      const Tensor zz = ops::sigmoid(ops::add(parts[0], is[0]));
      const Tensor nn = ops::tanh(ops::add(parts[2], ops::multiply(ops::sigmoid(ops::add(parts[1], is[1])), is[2])));
      const Tensor h = fused ? ops::detail::gru_cell(x, inner, h_prev)
                             : ops::add(ops::multiply(zz, h_prev), ops::multiply(ops::subtract(1.0, zz), nn));
      g = inner_tape.gradient(ops::sum(ops::square(h)), std::vector<Tensor>{x})[0];
    }
    return outer.gradient(ops::sum(ops::square(g)), std::vector<Tensor>{x})[0];
  };
  EXPECT_TRUE(all_close(second(true), second(false), 1e-12, 1e-10));
  EXPECT_NE(value_error([&] { ops::detail::gru_cell(x, x, x); }).find("(batch, 3 * units)"), std::string::npos);
}

TEST_F(LayersRNN, LSTMSgdStepMatchesTorch) {
  auto lstm = built(layers::LSTM(U, {.return_sequences = true, .dtype = f64}), lstm_weights());
  sgd_step(*lstm, gold("x"));
  EXPECT_TRUE(all_close(lstm->lstm_cell().kernel().value(), gold("lstm_sgd_kernel"), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(lstm->lstm_cell().recurrent_kernel().value(), gold("lstm_sgd_recurrent_kernel"), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(lstm->lstm_cell().bias().value(), gold("lstm_sgd_bias"), 1e-12, 1e-10));
}

// ---- GRU ------------------------------------------------------------------------------------

TEST_F(LayersRNN, GRUResetAfterMatchesTorch) {
  auto gru = built(layers::GRU(U, {.return_sequences = true, .return_state = true, .dtype = f64}), gru_weights());
  EXPECT_EQ(gru->cell()->name(), "gru_cell");
  EXPECT_EQ(gru->gru_cell().bias().shape(), (Shape{2, 3 * U}));
  const Outputs out = gru(gold("x"));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(all_close(out[0], gold("gru_seq"), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(out[1], gold("gru_h"), 1e-12, 1e-10));
  auto step = built(layers::GRU(U, {.return_sequences = true, .dtype = f64}), gru_weights());
  EXPECT_TRUE(check_weight_gradients(*step, gold("x"), {.mask = {gold("mask")}}));
  EXPECT_TRUE(check_input_gradients(step, gold("x")));
  sgd_step(*step, gold("x"));
  EXPECT_TRUE(all_close(step->gru_cell().kernel().value(), gold("gru_sgd_kernel"), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(step->gru_cell().recurrent_kernel().value(), gold("gru_sgd_recurrent_kernel"), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(step->gru_cell().bias().value(), gold("gru_sgd_bias"), 1e-12, 1e-10));
}

TEST_F(LayersRNN, GRUResetBeforeMatchesNumpy) {
  auto gru = built(layers::GRU(U, {.return_sequences = true, .reset_after = false, .dtype = f64}),
                   {gold("gru_kernel"), gold("gru_recurrent_kernel"), gold("gru_v1_bias")});
  EXPECT_EQ(gru->gru_cell().bias().shape(), (Shape{3 * U}));
  EXPECT_TRUE(all_close(gru(gold("x")), gold("gru_v1_seq"), 1e-12, 1e-10));
  EXPECT_TRUE(check_weight_gradients(*gru, gold("x"), {.mask = {gold("mask")}}));
  EXPECT_TRUE(check_input_gradients(gru, gold("x")));
}

// ---- SimpleRNN ------------------------------------------------------------------------------

TEST_F(LayersRNN, SimpleRNNMatchesTorch) {
  auto rnn = built(layers::SimpleRNN(U, {.return_sequences = true, .dtype = f64}), rnn_weights());
  EXPECT_EQ(rnn->cell()->name(), "simple_rnn_cell");
  EXPECT_EQ(weight_names(*rnn), (std::vector<std::string>{"kernel", "recurrent_kernel", "bias"}));
  EXPECT_TRUE(all_close(rnn(gold("x")), gold("rnn_seq"), 1e-12, 1e-10));
  EXPECT_TRUE(check_weight_gradients(*rnn, gold("x"), {.mask = {gold("mask")}}));
  EXPECT_TRUE(check_input_gradients(rnn, gold("x")));
  sgd_step(*rnn, gold("x"));
  EXPECT_TRUE(all_close(rnn->simple_rnn_cell().kernel().value(), gold("rnn_sgd_kernel"), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(rnn->simple_rnn_cell().recurrent_kernel().value(), gold("rnn_sgd_recurrent_kernel"), 1e-12,
                        1e-10));
  EXPECT_TRUE(all_close(rnn->simple_rnn_cell().bias().value(), gold("rnn_sgd_bias"), 1e-12, 1e-10));
}

// ---- Cells and RNN(cell) --------------------------------------------------------------------

TEST_F(LayersRNN, CellsRunOneStepAsLayers) {
  // A cell called on {x_t, states...} is one step of its layer.
  auto lstm = built(layers::LSTM(U, {.return_state = true, .dtype = f64}), lstm_weights());
  auto cell = layers::LSTMCell(U, {.dtype = f64});
  cell->build_once({{None, F}});
  cell->set_weights(lstm_weights());
  const Tensor x0 = ops::slice(gold("x"), {0, 0, 0}, {B, 1, F});
  const Outputs by_layer = lstm({x0, gold("lstm_h0"), gold("lstm_c0")});
  const Outputs by_cell = cell({ops::reshape(x0, {B, F}), gold("lstm_h0"), gold("lstm_c0")});
  ASSERT_EQ(by_cell.size(), 3u);
  EXPECT_TRUE(all_close(by_cell[0], by_layer[0], 1e-14, 1e-14));
  EXPECT_TRUE(all_close(by_cell[2], by_layer[2], 1e-14, 1e-14));
  // Gradients through one step w.r.t. the input and both states, for every cell.
  EXPECT_TRUE(check_gradients(
      [&](const std::vector<Tensor>& xs) {
        const Outputs o = cell({xs[0], xs[1], xs[2]});
        return ops::add(o[0], o[2]);
      },
      {ops::reshape(x0, {B, F}), gold("lstm_h0"), gold("lstm_c0")}));
  for (bool reset_after : {true, false}) {
    auto gru_cell = layers::GRUCell(U, {.reset_after = reset_after, .dtype = f64});
    EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& xs) { return Tensor(gru_cell({xs[0], xs[1]})[0]); },
                                {ops::reshape(x0, {B, F}), gold("lstm_h0")}));
  }
  auto rnn_cell = layers::SimpleRNNCell(U, {.dtype = f64});
  EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& xs) { return Tensor(rnn_cell({xs[0], xs[1]})[0]); },
                              {ops::reshape(x0, {B, F}), gold("lstm_h0")}));
  EXPECT_NE(value_error([&] { cell({ops::reshape(x0, {B, F}), gold("lstm_h0")}); }), "");
}

TEST_F(LayersRNN, GenericRNNOverABuiltInCellEqualsTheLayer) {
  auto rnn = layers::RNN(layers::GRUCell(U, {.dtype = f64}), {.return_sequences = true, .dtype = f64});
  rnn->build_once({{None, T, F}});
  rnn->set_weights(gru_weights());
  EXPECT_TRUE(all_close(rnn(gold("x")), gold("gru_seq"), 1e-12, 1e-10));
  EXPECT_TRUE(check_weight_gradients(*rnn, gold("x")));
  // Its config nests the cell's.
  const json config = rnn->get_config();
  EXPECT_EQ(config.at("cell").at("class_name"), "GRUCell");
  EXPECT_EQ(config.at("cell").at("module"), "keras.layers");
  EXPECT_EQ(config.at("cell").at("config").at("units"), U);
  expect_config_round_trip(*rnn);
}

// A user cell: a leaky accumulator h_t = 0.5 h_{t-1} + x_t · w, with the default
// project_inputs (the raw step input).
class LeakyCell : public layers::RNNCell {
 public:
  explicit LeakyCell(std::int64_t units) : RNNCell({.dtype = DType::float64}), units_(units) {}
  std::vector<std::int64_t> state_size() const override { return {units_}; }
  void build(const std::vector<Shape>& shapes) override { w_ = add_weight("w", {shapes[0].back(), units_}); }
  Tensors step(const Tensor& input, const Tensors& states, bool) override {
    const Tensor h = ops::add(ops::multiply(states[0], 0.5), ops::matmul(input, w_.value()));
    return {h, h};
  }
  std::string class_name() const override { return "LeakyCell"; }

 private:
  std::int64_t units_;
  Variable w_;
};

TEST_F(LayersRNN, CustomCellRunsInRNN) {
  auto cell = make_layer<LeakyCell>(2);
  auto rnn = layers::RNN(cell, {.return_sequences = true, .dtype = f64});
  const Tensor x = gold("x");
  const Tensor y = rnn(x);
  ASSERT_EQ(y.shape(), (Shape{B, T, 2}));
  // The recurrence by hand, on the cell's weight.
  const auto w = rnn->weights().at(0).value();
  Tensor h = ops::zeros({B, 2}, f64);
  for (std::int64_t t = 0; t < T; ++t) {
    h = ops::add(ops::multiply(h, 0.5), ops::matmul(ops::reshape(ops::slice(x, {0, t, 0}, {B, 1, F}), {B, F}), w));
    EXPECT_TRUE(all_close(ops::reshape(ops::slice(y, {0, t, 0}, {B, 1, 2}), {B, 2}), h, 1e-14, 1e-14)) << t;
  }
  EXPECT_TRUE(check_weight_gradients(*rnn, x));
}

// ---- Masks ----------------------------------------------------------------------------------

TEST_F(LayersRNN, MaskedStepsAreSkipped) {
  // Masking(0.0) then LSTM: sample 0 has steps 1 and 3 zeroed, sample 1 its last two; the
  // result is the LSTM on each sample's remaining steps (torch), and the sequence output
  // repeats the previous output at masked steps (Keras 3).
  auto lstm = built(layers::LSTM(U, {.return_sequences = true, .return_state = true, .dtype = f64}), lstm_weights());
  const Tensor xm = layers::Masking({.mask_value = 0.0})(gold("x_masked"));
  EXPECT_TRUE(all_close(get_keras_mask(xm), gold("mask"), 0, 0));
  const Outputs out = lstm(xm);
  EXPECT_TRUE(all_close(out[0], gold("lstm_masked_seq"), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(out[1], gold("lstm_masked_h"), 1e-12, 1e-10));
  // The sequence output keeps the mask; the states carry none.
  EXPECT_TRUE(all_close(get_keras_mask(out[0]), gold("mask"), 0, 0));
  EXPECT_FALSE(get_keras_mask(out[1]).defined());

  // The classic example on one sample: steps 3 and 5 (1-based) zeroed equal removing them.
  auto last = built(layers::LSTM(U, {.dtype = f64}), lstm_weights());
  const Tensor sample = ops::slice(gold("x"), {2, 0, 0}, {1, T, F});
  const Tensor zeroed = ops::multiply(sample, Tensor::from_vector(std::vector<double>{1, 1, 0, 1, 0}, {1, T, 1}));
  const Tensor removed = ops::take(sample, Tensor::from_vector(std::vector<std::int32_t>{0, 1, 3}, {3}), 1);
  const Tensor y = last(layers::Masking()(zeroed));
  EXPECT_TRUE(all_close(y, last(removed), 1e-14, 1e-12));
  EXPECT_FALSE(get_keras_mask(y).defined());  // no return_sequences: the mask stops here
  EXPECT_FALSE(all_close(y, last(zeroed), 1e-6, 1e-6));  // unmasked, the zeros count
}

TEST_F(LayersRNN, ZeroOutputForMaskAndMasksInGraphs) {
  auto lstm = built(layers::LSTM(U, {.return_sequences = true, .zero_output_for_mask = true, .dtype = f64}),
                    lstm_weights());
  const Tensor y = lstm(gold("x"), {.mask = {gold("mask")}});
  const Tensor expected = ops::where(ops::expand_dims(gold("mask"), -1), gold("lstm_masked_seq"), 0.0);
  EXPECT_TRUE(all_close(y, expected, 1e-12, 1e-10));

  // Embedding(mask_zero) -> LSTM(return_sequences) -> Dense: the mask reaches the output;
  // a second LSTM without return_sequences drops it.
  const Tensor ids = Input({T}, {.dtype = DType::int32});
  Tensor h = layers::Embedding(10, F, {.mask_zero = true})(ids);
  h = layers::LSTM(U, {.return_sequences = true})(h);
  EXPECT_EQ(h.shape(), (Shape{None, T, U}));
  EXPECT_TRUE(get_keras_mask(h).defined());
  const Tensor seq_out = layers::Dense(2)(h);
  EXPECT_TRUE(get_keras_mask(seq_out).defined());
  const Tensor last_out = layers::LSTM(3)(h);
  EXPECT_FALSE(get_keras_mask(last_out).defined());
  Model model(ids, seq_out);
  const Tensor data = Tensor::from_vector(std::vector<std::int32_t>{1, 2, 0, 0, 0, 3, 4, 5, 6, 0}, {2, T});
  const Tensor out = model(data);
  EXPECT_TRUE(all_close(get_keras_mask(out),
                        Tensor::from_vector(std::vector<bool>{true, true, false, false, false, true, true, true, true,
                                                              false},
                                            {2, T}),
                        0, 0));
}

TEST_F(LayersRNN, CompiledLossIgnoresMaskedTimesteps) {
  // Embedding(mask_zero) -> LSTM(return_sequences) -> Dense: the loss (and the metrics) are
  // means over the unmasked steps, so targets at padded steps do not change them.
  Sequential model;
  model.add(Input({T}, {.dtype = DType::int32}));
  model.add(layers::Embedding(10, F, {.mask_zero = true}));
  model.add(layers::LSTM(U, {.return_sequences = true}));
  model.add(layers::Dense(1));
  model.compile({.optimizer = "sgd", .loss = "mse", .metrics = {"mae"}});
  const Tensor ids = Tensor::from_vector(std::vector<std::int32_t>{1, 2, 3, 0, 0, 4, 5, 6, 7, 0}, {2, T});
  const Tensor targets = ops::reshape(ops::cast(ids, DType::float32), {2, T, 1});
  Tensor other = ops::where(ops::expand_dims(ops::equal(ids, 0), -1), 100.0, targets);
  const double a = model.evaluate(ids, targets, {.verbose = 0})[std::string("loss")];
  const double b = model.evaluate(ids, other, {.verbose = 0})[std::string("loss")];
  EXPECT_NEAR(a, b, 1e-6);
  // Metrics weight by the mask too.
  EXPECT_NEAR(model.evaluate(ids, targets, {.verbose = 0})[std::string("mae")],
              model.evaluate(ids, other, {.verbose = 0})[std::string("mae")], 1e-6);
  // The mean is over the 7 unmasked steps: it equals the masked mean computed by hand.
  const Tensor pred = model(ids);
  const Tensor valid = ops::cast(ops::expand_dims(ops::not_equal(ids, 0), -1), DType::float32);
  const double by_hand =
      ops::sum(ops::multiply(ops::square(ops::subtract(pred, targets)), valid)).item<double>() / 7.0;
  EXPECT_NEAR(a, by_hand, 1e-5);
  model.fit(ids, other, {.epochs = 1, .verbose = 0});  // trains through the mask
}

// ---- States ---------------------------------------------------------------------------------

TEST_F(LayersRNN, StatefulCarriesStatesUntilReset) {
  auto stateful = layers::LSTM(U, {.stateful = true, .dtype = f64, .batch_size = B});
  stateful->build_once({{B, T, F}});
  stateful->set_weights(lstm_weights());
  auto plain = built(layers::LSTM(U, {.dtype = f64}), lstm_weights());
  const Tensor first = ops::slice(gold("x"), {0, 0, 0}, {B, 2, F});
  const Tensor second = ops::slice(gold("x"), {0, 2, 0}, {B, 3, F});
  stateful(first);
  // The second call continues from the first's final states: the whole sequence at once.
  EXPECT_TRUE(all_close(stateful(second), gold("lstm_h"), 1e-12, 1e-10));
  ASSERT_EQ(stateful->states().size(), 2u);
  EXPECT_TRUE(all_close(stateful->states()[1], gold("lstm_c"), 1e-12, 1e-10));
  stateful->reset_states();
  EXPECT_EQ(ops::sum(ops::abs(stateful->states()[0])).item<double>(), 0.0);
  EXPECT_TRUE(all_close(stateful(second), plain(second), 1e-14, 1e-14));
  // A stateful layer needs a fixed batch size.
  EXPECT_EQ(value_error([] { layers::LSTM(U, {.stateful = true})(Input({T, F})); }),
            "When using `stateful=True` in a RNN, the batch size must be static. Found dynamic batch size: "
            "sequence.shape=(None, 5, 4)");
  EXPECT_NE(value_error([&] { stateful(ops::slice(gold("x"), {0, 0, 0}, {2, T, F})); }), "");
}

TEST_F(LayersRNN, ReturnStateShapesAndErrors) {
  const Tensor x = Input({T, F});
  const Outputs lstm_out = layers::LSTM(U, {.return_sequences = true, .return_state = true})(x);
  ASSERT_EQ(lstm_out.size(), 3u);
  EXPECT_EQ(lstm_out[0].shape(), (Shape{None, T, U}));
  EXPECT_EQ(lstm_out[1].shape(), (Shape{None, U}));
  EXPECT_EQ(layers::GRU(U, {.return_state = true})(x).size(), 2u);
  EXPECT_EQ(Tensor(layers::SimpleRNN(U)(Input({None, F}))).shape(), (Shape{None, U}));
  // Keras's InputSpec(ndim=3) wording, at graph construction.
  EXPECT_EQ(value_error([] { layers::LSTM(U)(Input({F})); }),
            "Input 0 of layer \"lstm_1\" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape "
            "received: (None, 4)");
  EXPECT_NE(value_error([&] { layers::LSTM(U)({x, Input({U})}); }).find("not compatible with `cell.state_size`"),
            std::string::npos);
  EXPECT_NE(value_error([] { layers::LSTM(U, {.unroll = true})(Input({None, F})); }).find("Cannot unroll a RNN"),
            std::string::npos);
  EXPECT_THROW(layers::LSTM(0), ValueError);
}

// ---- Dropout --------------------------------------------------------------------------------

TEST_F(LayersRNN, DropoutOnlyInTrainingAndOneMaskPerSequence) {
  for (double recurrent : {0.0, 0.5}) {
    auto lstm = built(layers::LSTM(U, {.dropout = 0.5, .recurrent_dropout = recurrent, .seed = 7, .dtype = f64}),
                      lstm_weights());
    EXPECT_TRUE(all_close(lstm(gold("x")), gold("lstm_h"), 1e-12, 1e-10));  // inference: no dropout
    const Tensor a = lstm(gold("x"), {.training = true});
    const Tensor b = lstm(gold("x"), {.training = true});
    EXPECT_FALSE(all_close(a, gold("lstm_h"), 1e-6, 1e-6));
    EXPECT_FALSE(all_close(a, b, 1e-9, 1e-9));  // a new mask each call
  }
  // The input mask is the same at every step: with identical steps and dropout on the
  // inputs only, a SimpleRNN with a zero recurrent kernel gives identical step outputs.
  auto rnn = layers::SimpleRNN(U, {.recurrent_initializer = "zeros", .dropout = 0.5, .seed = 3,
                                   .return_sequences = true, .dtype = f64});
  const Tensor same = ops::broadcast_to(ops::slice(gold("x"), {0, 0, 0}, {B, 1, F}), {B, T, F});
  const Tensor y = rnn(same, {.training = true});
  const Tensor first = ops::slice(y, {0, 0, 0}, {B, 1, U});
  EXPECT_TRUE(all_close(y, ops::broadcast_to(first, {B, T, U}), 1e-14, 1e-14));
  // The per-gate paths of GRU (both variants) and SimpleRNN run and drop something.
  const std::vector<LayerPtr> others = {
      layers::GRU(U, {.dropout = 0.3, .recurrent_dropout = 0.3, .dtype = f64}),
      layers::GRU(U, {.dropout = 0.3, .recurrent_dropout = 0.3, .reset_after = false, .dtype = f64}),
      layers::SimpleRNN(U, {.dropout = 0.3, .recurrent_dropout = 0.3, .dtype = f64})};
  for (const auto& layer : others) {
    const Tensor inference = (*layer)(gold("x"));
    const Tensor training = (*layer)(gold("x"), {.training = true});
    EXPECT_TRUE(ops::all(ops::isfinite(training)).item<bool>()) << layer->name();
    EXPECT_FALSE(all_close(training, inference, 1e-9, 1e-9)) << layer->name();
  }
  // Keras clips the rates into [0, 1].
  EXPECT_EQ(layers::GRU(2, {.dropout = 1.5, .recurrent_dropout = -1})->get_config().at("dropout"), 1.0);
}

// ---- Bidirectional and TimeDistributed --------------------------------------------------------

TEST_F(LayersRNN, BidirectionalMatchesTorchForEveryMergeMode) {
  const Tensor concat = gold("bidi_concat_seq");
  const Tensor fwd = ops::slice(concat, {0, 0, 0}, {B, T, U});
  const Tensor bwd = ops::slice(concat, {0, 0, U}, {B, T, U});
  const Tensors weights = {gold("lstm_kernel"),  gold("lstm_recurrent_kernel"),  gold("lstm_bias"),
                           gold("lstm2_kernel"), gold("lstm2_recurrent_kernel"), gold("lstm2_bias")};
  auto make = [&](const std::string& mode) {
    auto bidi = layers::Bidirectional(layers::LSTM(U, {.return_sequences = true, .dtype = f64}),
                                      {.merge_mode = mode, .dtype = f64});
    bidi->build_once({{None, T, F}});
    bidi->set_weights(weights);
    return bidi;
  };
  auto bidi = make("concat");
  EXPECT_EQ(bidi->forward_layer()->name(), "forward_lstm");
  EXPECT_EQ(bidi->backward_layer()->name(), "backward_lstm");
  EXPECT_EQ(bidi->tracked_attributes(), (std::vector<std::string>{"forward_layer", "backward_layer"}));
  EXPECT_TRUE(all_close(bidi(gold("x")), concat, 1e-12, 1e-10));
  EXPECT_TRUE(all_close(make("sum")(gold("x")), ops::add(fwd, bwd), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(make("ave")(gold("x")), ops::multiply(ops::add(fwd, bwd), 0.5), 1e-12, 1e-10));
  EXPECT_TRUE(all_close(make("mul")(gold("x")), ops::multiply(fwd, bwd), 1e-12, 1e-10));
  const Outputs both = make("none")(gold("x"));
  ASSERT_EQ(both.size(), 2u);
  EXPECT_TRUE(all_close(both[0], fwd, 1e-12, 1e-10));
  EXPECT_TRUE(all_close(both[1], bwd, 1e-12, 1e-10));
  EXPECT_TRUE(check_weight_gradients(*bidi, gold("x"), {.mask = {gold("mask")}}));
  EXPECT_TRUE(check_input_gradients(bidi, gold("x")));
  EXPECT_EQ(value_error([] { layers::Bidirectional(layers::LSTM(2), {.merge_mode = "max"}); }),
            "Invalid merge mode. Merge mode should be one of {\"sum\", \"mul\", \"ave\", \"concat\", None}. Received: "
            "merge_mode=max");
}

TEST_F(LayersRNN, BidirectionalMasksStatesAndConfig) {
  const Tensor x = Input({T, F});
  const Tensor masked = layers::Masking()(x);
  const Outputs out = layers::Bidirectional(layers::GRU(U, {.return_sequences = true, .return_state = true}))(masked);
  ASSERT_EQ(out.size(), 3u);  // merged output, forward state, backward state
  EXPECT_EQ(out[0].shape(), (Shape{None, T, 2 * U}));
  EXPECT_TRUE(get_keras_mask(out[0]).defined());
  EXPECT_FALSE(get_keras_mask(out[1]).defined());
  const Tensor last = layers::Bidirectional(layers::LSTM(U), {.merge_mode = "sum"})(masked);
  EXPECT_EQ(last.shape(), (Shape{None, U}));
  EXPECT_FALSE(get_keras_mask(last).defined());
  // Masked steps are skipped in both directions: same result as removing them.
  auto bidi = layers::Bidirectional(layers::LSTM(U, {.dtype = f64}), {.dtype = f64});
  const Tensor sample = ops::slice(gold("x"), {2, 0, 0}, {1, T, F});
  const Tensor zeroed = ops::multiply(sample, Tensor::from_vector(std::vector<double>{1, 0, 1, 1, 0}, {1, T, 1}));
  const Tensor removed = ops::take(sample, Tensor::from_vector(std::vector<std::int32_t>{0, 2, 3}, {3}), 1);
  EXPECT_TRUE(all_close(bidi(layers::Masking()(zeroed)), bidi(removed), 1e-14, 1e-12));

  const json config = bidi->get_config();
  EXPECT_EQ(config.at("merge_mode"), "concat");
  EXPECT_EQ(config.at("layer").at("class_name"), "LSTM");
  EXPECT_EQ(config.at("layer").at("config").at("name"), bidi->forward_layer()->name());
  EXPECT_EQ(bidi->forward_layer()->name().rfind("forward_lstm", 0), 0u);
  EXPECT_EQ(config.at("backward_layer").at("config").at("go_backwards"), true);
  expect_config_round_trip(*bidi);
  auto none = layers::Bidirectional(layers::GRU(2), {.merge_mode = "none"});
  EXPECT_TRUE(none->get_config().at("merge_mode").is_null());
  expect_config_round_trip(*none);
  EXPECT_NE(value_error([] {
              layers::Bidirectional(layers::LSTM(2), {.backward_layer = layers::LSTM(2)});
            }).find("different `go_backwards`"),
            std::string::npos);
}

TEST_F(LayersRNN, TimeDistributedDense) {
  auto td = layers::TimeDistributed(layers::Dense(2, {.dtype = f64}), {.dtype = f64});
  td->build_once({{None, T, F}});
  td->set_weights({gold("td_kernel"), gold("td_bias")});
  EXPECT_EQ(td->tracked_attributes(), (std::vector<std::string>{"layer"}));
  EXPECT_TRUE(all_close(td(gold("x")), gold("td_y"), 1e-12, 1e-12));
  EXPECT_TRUE(check_weight_gradients(*td, gold("x")));
  EXPECT_TRUE(check_input_gradients(td, gold("x")));
  // The mask passes through; the symbolic shape keeps the time axis.
  const Tensor masked = layers::Masking()(Input({T, F}));
  const Tensor y = layers::TimeDistributed(layers::Dense(3))(masked);
  EXPECT_EQ(y.shape(), (Shape{None, T, 3}));
  EXPECT_TRUE(get_keras_mask(y).defined());
  const json config = td->get_config();
  EXPECT_EQ(config.at("layer").at("class_name"), "Dense");
  expect_config_round_trip(*td);
  EXPECT_EQ(value_error([] { layers::TimeDistributed(layers::Dense(2))(Input({F})); }),
            "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, received: (None, "
            "4)");
}

// ---- Configs --------------------------------------------------------------------------------

TEST_F(LayersRNN, ConfigsHaveKeras3KeysAndRoundTrip) {
  auto lstm = layers::LSTM(4, {.recurrent_activation = "hard_sigmoid", .kernel_regularizer = "l2", .dropout = 0.1,
                               .seed = 5, .return_sequences = true, .go_backwards = true});
  const json config = lstm->get_config();
  for (const char* key : {"units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
                          "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
                          "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                          "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed",
                          "return_sequences", "return_state", "go_backwards", "stateful", "unroll",
                          "zero_output_for_mask", "name", "trainable", "dtype"}) {
    EXPECT_TRUE(config.contains(key)) << key;
  }
  EXPECT_FALSE(config.contains("cell"));
  EXPECT_EQ(config.at("recurrent_initializer").at("class_name"), "Orthogonal");
  EXPECT_EQ(config.at("recurrent_activation"), "hard_sigmoid");
  EXPECT_EQ(config.at("seed"), 5);
  expect_config_round_trip(*lstm);
  expect_config_round_trip(*layers::GRU(3, {.stateful = true, .reset_after = false, .batch_size = 2}));
  EXPECT_EQ(layers::GRU(3)->get_config().at("reset_after"), true);
  expect_config_round_trip(*layers::SimpleRNN(3, {.activation = "relu", .use_bias = false}));
  expect_config_round_trip(*layers::LSTMCell(3));
  expect_config_round_trip(*layers::GRUCell(3, {.reset_after = false}));
  expect_config_round_trip(*layers::SimpleRNNCell(3));
  EXPECT_FALSE(layers::SimpleRNN(2)->get_config().contains("recurrent_activation"));
}

TEST_F(LayersRNN, Keras2ConfigsLoad) {
  // tf.keras 2's LSTM config: time_major and implementation are ignored.
  const json keras2 = {{"name", "lstm_7"},        {"trainable", true},
                       {"dtype", "float32"},      {"return_sequences", false},
                       {"return_state", false},   {"go_backwards", false},
                       {"stateful", false},       {"unroll", false},
                       {"time_major", false},     {"units", 8},
                       {"activation", "tanh"},    {"recurrent_activation", "sigmoid"},
                       {"use_bias", true},        {"unit_forget_bias", true},
                       {"dropout", 0.0},          {"recurrent_dropout", 0.0},
                       {"implementation", 2},     {"batch_input_shape", {nullptr, 10, 3}},
                       {"kernel_initializer", {{"class_name", "GlorotUniform"}, {"config", {{"seed", nullptr}}}}}};
  const auto lstm = std::dynamic_pointer_cast<layers::LSTMLayer>(layer_from_config("LSTM", keras2));
  ASSERT_TRUE(lstm);
  EXPECT_EQ(lstm->units(), 8);
  EXPECT_EQ(lstm->name(), "lstm_7");
  EXPECT_EQ(lstm->batch_input_shape(), (Shape{None, 10, 3}));
  // A Keras 2.0 GRU config (no reset_after, with implementation) is a reset_before GRU;
  // tf.keras 2 writes reset_after.
  const auto old_gru = std::dynamic_pointer_cast<layers::GRULayer>(
      layer_from_config("GRU", {{"units", 4}, {"implementation", 1}, {"recurrent_activation", "hard_sigmoid"}}));
  EXPECT_FALSE(old_gru->options().reset_after);
  const auto tf_gru = std::dynamic_pointer_cast<layers::GRULayer>(
      layer_from_config("GRU", {{"units", 4}, {"implementation", 2}, {"reset_after", true}}));
  EXPECT_TRUE(tf_gru->options().reset_after);
  const auto k3_gru = std::dynamic_pointer_cast<layers::GRULayer>(layer_from_config("GRU", {{"units", 4}}));
  EXPECT_TRUE(k3_gru->options().reset_after);
  // Keras 2's Bidirectional and TimeDistributed configs ({"class_name", "config"} without module).
  const json bidi = {{"name", "bidirectional_1"},
                     {"merge_mode", "sum"},
                     {"layer", {{"class_name", "LSTM"}, {"config", keras2}}}};
  const LayerPtr b = layer_from_config("Bidirectional", bidi);
  EXPECT_EQ(Tensor((*b)(Input({10, 3}))).shape(), (Shape{None, 8}));
  const LayerPtr td = layer_from_config(
      "TimeDistributed", {{"name", "td"}, {"layer", {{"class_name", "Dense"}, {"config", {{"units", 2}}}}}});
  EXPECT_EQ(Tensor((*td)(Input({10, 3}))).shape(), (Shape{None, 10, 2}));
}

// Keras 1.2's hard_sigmoid: clip(0.2 x + 0.5, 0, 1) (Keras 3's is x / 6 + 0.5).
Tensor keras1_hard_sigmoid(const Tensor& x) { return ops::clip(ops::add(ops::multiply(x, 0.2), 0.5), 0.0, 1.0); }

TEST_F(LayersRNN, Keras1LSTMConfigAndWeightsReproduceKeras) {
  // The LSTM of a real Keras 1.2.2 model file (DL4J's import tests).
  const json config = gold_json("keras1_lstm_config");
  const auto lstm = std::dynamic_pointer_cast<layers::LSTMLayer>(layer_from_config("LSTM", config));
  ASSERT_TRUE(lstm);
  EXPECT_EQ(lstm->units(), 50);
  EXPECT_EQ(lstm->name(), "lstm_1");
  EXPECT_EQ(lstm->options().recurrent_activation.name(), "hard_sigmoid");
  EXPECT_EQ(initializers::serialize(lstm->options().recurrent_initializer).at("class_name"), "Orthogonal");
  EXPECT_TRUE(lstm->options().unit_forget_bias);  // forget_bias_init "one"
  EXPECT_DOUBLE_EQ(lstm->options().dropout, 0.2);  // dropout_W
  EXPECT_EQ(lstm->batch_input_shape(), (Shape{None, 1, 1}));

  Tensors keras1;
  for (int i = 0; i < 12; ++i) keras1.push_back(gold((i < 10 ? "keras1_lstm_0" : "keras1_lstm_") + std::to_string(i)));
  const auto converted = detail::convert_keras1_rnn_weights("LSTM", keras1);
  ASSERT_TRUE(converted.has_value());
  ASSERT_EQ(converted->size(), 3u);
  EXPECT_TRUE(all_close((*converted)[0], gold("keras1_lstm_kernel"), 0, 0));
  EXPECT_TRUE(all_close((*converted)[1], gold("keras1_lstm_recurrent_kernel"), 0, 0));
  EXPECT_TRUE(all_close((*converted)[2], gold("keras1_lstm_bias"), 0, 0));
  EXPECT_FALSE(detail::convert_keras1_rnn_weights("LSTM", *converted).has_value());
  EXPECT_FALSE(detail::convert_keras1_rnn_weights("Dense", keras1).has_value());

  // With Keras 1's hard_sigmoid, LSTM + Dense reproduce the file's Keras predictions.
  Sequential model;
  model.add(Input({1, 1}, {.dtype = f64}));
  model.add(layers::LSTM(50, {.recurrent_activation = keras1_hard_sigmoid, .dtype = f64}));
  model.add(layers::Dense(1, {.dtype = f64}));
  Tensors weights = *converted;
  weights.push_back(gold("keras1_dense_kernel"));
  weights.push_back(gold("keras1_dense_bias"));
  model.set_weights(weights);
  EXPECT_TRUE(all_close(model(gold("keras1_input")), gold("keras1_expected"), 2e-5, 1e-4));
}

TEST_F(LayersRNN, Keras1GRUWeightsConvert) {
  // Nine per-gate arrays W_z, U_z, b_z, W_r, U_r, b_r, W_h, U_h, b_h; each block filled with
  // its own index so the result's layout is visible.
  Tensors keras1;
  for (int gate = 0; gate < 3; ++gate) {
    keras1.push_back(ops::full({2, 1}, 10 * gate + 0, f64));
    keras1.push_back(ops::full({1, 1}, 10 * gate + 1, f64));
    keras1.push_back(ops::full({1}, 10 * gate + 2, f64));
  }
  const auto converted = detail::convert_keras1_rnn_weights("GRU", keras1);
  ASSERT_TRUE(converted.has_value());
  EXPECT_TRUE(all_close((*converted)[0], testing::matrix({{0, 10, 20}, {0, 10, 20}}), 0, 0));
  EXPECT_TRUE(all_close((*converted)[1], testing::matrix({{1, 11, 21}}), 0, 0));
  EXPECT_TRUE(all_close((*converted)[2], Tensor({2, 12, 22}), 0, 0));
  EXPECT_FALSE(detail::convert_keras1_rnn_weights("SimpleRNN", {keras1[0], keras1[1], keras1[2]}).has_value());
}

TEST_F(LayersRNN, RegularizersAndConstraintsLiveOnTheCell) {
  auto lstm = layers::LSTM(U, {.kernel_regularizer = "l2", .recurrent_regularizer = "l1",
                               .activity_regularizer = "l2", .kernel_constraint = "non_neg"});
  Tensor y = lstm(ops::ones({2, T, F}));
  // kernel and recurrent penalties from the cell, plus the activity penalty of the call.
  EXPECT_EQ(lstm->losses().size(), 3u);
  EXPECT_EQ(lstm->cell()->constraints().size(), 1u);
  EXPECT_EQ(y.shape(), (Shape{2, U}));
}

}  // namespace
}  // namespace keras
