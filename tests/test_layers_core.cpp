// The core and activation layers (Dense, Activation, Dropout, Flatten, Reshape, Permute,
// RepeatVector, ActivityRegularization, Masking, Embedding, Identity, ReLU, LeakyReLU,
// PReLU, ELU, Softmax), in the manner of Keras's run_layer_test: symbolic output shapes,
// forward values against tests/golden/gen_layers_core.py, finite-difference gradients
// w.r.t. inputs and weights, config round trips, weights, masks, training vs inference
// and errors; then Sequential and functional models built from them.
#include <gtest/gtest.h>

#include <string>

#include "keras/gradient_tape.hpp"
#include "keras/input.hpp"
#include "keras/layer_registry.hpp"
#include "keras/layers/activation_layers.hpp"
#include "keras/layers/core.hpp"
#include "keras/model.hpp"
#include "keras/sequential.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;

constexpr DType f64 = DType::float64;

Tensor gold(const std::string& name) { return testing::golden("layers_core/" + name); }

// The output shape of `layer` on a symbolic input of `shape` (batch axis excluded).
Shape symbolic_shape(const LayerPtr& layer, const Shape& shape, DType dtype = f64) {
  return Tensor((*layer)(Input(shape, {.dtype = dtype}))).shape();
}

// The weight names, in order.
std::vector<std::string> weight_names(const Layer& layer) {
  std::vector<std::string> names;
  for (const auto& w : layer.weights()) names.push_back(w.name());
  return names;
}

using testing::value_error;

using testing::check_weight_gradients;

// Gradient w.r.t. the layer's input (float64).
::testing::AssertionResult check_input_gradients(const LayerPtr& layer, const Tensor& x) {
  return check_gradients([&](const std::vector<Tensor>& xs) { return Tensor((*layer)(xs[0])); }, {x});
}

// get_config -> the registry's from_config -> get_config gives the same dict.
void expect_config_round_trip(const Layer& layer) {
  const json config = layer.get_config();
  const LayerPtr rebuilt = layer_from_config(layer.class_name(), config);
  EXPECT_EQ(rebuilt->class_name(), layer.class_name());
  EXPECT_EQ(rebuilt->get_config(), config) << config.dump();
}

class LayersCore : public ::testing::Test {
 protected:
  void SetUp() override { ops::clear_session(); }
};

// ---- Dense ------------------------------------------------------------------------------

TEST_F(LayersCore, DenseSymbolicOutputShapes) {
  EXPECT_EQ(symbolic_shape(layers::Dense(3), {5}), (Shape{None, 3}));
  EXPECT_EQ(symbolic_shape(layers::Dense(3), {None, 7}), (Shape{None, None, 3}));
  EXPECT_EQ(Tensor(layers::Dense(2)(Input({4, 7}, {.batch_size = 6}))).shape(), (Shape{6, 4, 2}));
}

TEST_F(LayersCore, DenseWeightsNamesShapesAndOrder) {
  auto dense = layers::Dense(3, {.dtype = f64});
  EXPECT_FALSE(dense->built());
  EXPECT_THROW(dense->kernel(), ValueError);
  dense(Input({5}, {.dtype = f64}));
  EXPECT_TRUE(dense->built());
  EXPECT_EQ(weight_names(*dense), (std::vector<std::string>{"kernel", "bias"}));
  EXPECT_EQ(dense->kernel().shape(), (Shape{5, 3}));
  EXPECT_EQ(dense->bias().shape(), (Shape{3}));
  EXPECT_EQ(dense->kernel().dtype(), f64);
  EXPECT_EQ(dense->trainable_weights().size(), 2u);
  EXPECT_TRUE(dense->non_trainable_weights().empty());
  // Defaults: glorot_uniform kernel within its limit, zero bias.
  const double limit = std::sqrt(6.0 / (5 + 3));
  EXPECT_LE(ops::max(ops::abs(dense->kernel().value())).item<double>(), limit);
  EXPECT_EQ(ops::max(ops::abs(dense->bias().value())).item<double>(), 0.0);

  auto no_bias = layers::Dense(4, {.use_bias = false});
  no_bias(Input({2}));
  EXPECT_EQ(weight_names(*no_bias), (std::vector<std::string>{"kernel"}));
  EXPECT_THROW(no_bias->bias(), ValueError);
}

TEST_F(LayersCore, DenseForwardMatchesReference) {
  auto dense = layers::Dense(3, {.activation = "relu", .dtype = f64});
  dense(gold("dense_x"));
  dense->set_weights({gold("dense_kernel"), gold("dense_bias")});
  EXPECT_TRUE(all_close(dense(gold("dense_x")), gold("dense_relu_y"), 1e-12, 1e-12));
  // Rank 3: the kernel contracts the last axis.
  EXPECT_TRUE(all_close(dense(gold("dense_x3")), gold("dense_rank3_y"), 1e-12, 1e-12));

  auto linear = layers::Dense(3, {.use_bias = false, .dtype = f64});
  linear(gold("dense_x"));
  linear->set_weights({gold("dense_kernel")});
  EXPECT_TRUE(all_close(linear(gold("dense_x")), gold("dense_linear_nobias_y"), 1e-12, 1e-12));
}

TEST_F(LayersCore, DenseGradients) {
  auto dense = layers::Dense(3, {.activation = "tanh", .dtype = f64});
  const Tensor x = gold("dense_x3");
  EXPECT_TRUE(check_input_gradients(dense, x));
  EXPECT_TRUE(check_weight_gradients(*dense, x));
}

TEST_F(LayersCore, DenseRegularizersConstraintsAndActivityLoss) {
  auto dense = layers::Dense(3, {.kernel_regularizer = regularizers::L2(0.1),
                                 .bias_regularizer = regularizers::L1(0.2),
                                 .activity_regularizer = regularizers::L1(0.5),
                                 .kernel_constraint = constraints::NonNeg(),
                                 .dtype = f64});
  const Tensor x = gold("dense_x");
  dense(x);
  dense->set_weights({gold("dense_kernel"), gold("dense_bias")});
  const Tensor y = dense(x);
  const Tensors losses = dense->losses();
  ASSERT_EQ(losses.size(), 3u);  // the activity term, then one per regularized weight
  const Tensor k = gold("dense_kernel");
  const Tensor b = gold("dense_bias");
  EXPECT_NEAR(losses[0].item<double>(), 0.5 * ops::sum(ops::abs(y)).item<double>() / 4.0, 1e-12);
  EXPECT_NEAR(losses[1].item<double>(), 0.1 * ops::sum(ops::square(k)).item<double>(), 1e-12);
  EXPECT_NEAR(losses[2].item<double>(), 0.2 * ops::sum(ops::abs(b)).item<double>(), 1e-12);
  // The activity penalty is differentiable w.r.t. the input.
  EXPECT_TRUE(check_gradients(
      [&](const std::vector<Tensor>& xs) {
        dense(xs[0]);
        return dense->losses().front();
      },
      {x}));
  ASSERT_EQ(dense->constraints().size(), 1u);
  const Tensor projected = (*dense->constraints().front().second)(dense->kernel().value());
  EXPECT_TRUE(all_close(projected, ops::maximum(k, 0.0)));
}

TEST_F(LayersCore, DenseInputDimSetsTheInputShape) {
  auto dense = layers::Dense(2, {.input_dim = 7});
  ASSERT_TRUE(dense->batch_input_shape().has_value());
  EXPECT_EQ(*dense->batch_input_shape(), (Shape{None, 7}));
}

TEST_F(LayersCore, DenseConfig) {
  auto dense = layers::Dense(3, {.activation = "relu", .use_bias = false, .kernel_regularizer = "l2",
                                 .bias_constraint = "non_neg", .name = "my_dense"});
  dense(Input({5}));
  const json config = dense->get_config();
  EXPECT_EQ(config.at("name"), "my_dense");
  EXPECT_EQ(config.at("units"), 3);
  EXPECT_EQ(config.at("activation"), "relu");
  EXPECT_EQ(config.at("use_bias"), false);
  EXPECT_EQ(config.at("trainable"), true);
  EXPECT_EQ(config.at("dtype"), "float32");
  EXPECT_EQ(config.at("kernel_initializer").at("class_name"), "GlorotUniform");
  EXPECT_EQ(config.at("kernel_initializer").at("module"), "keras.initializers");
  EXPECT_EQ(config.at("bias_initializer").at("class_name"), "Zeros");
  EXPECT_EQ(config.at("kernel_regularizer").at("class_name"), "L2");
  EXPECT_TRUE(config.at("bias_regularizer").is_null());
  EXPECT_TRUE(config.at("kernel_constraint").is_null());
  EXPECT_EQ(config.at("bias_constraint").at("class_name"), "NonNeg");
  EXPECT_FALSE(config.contains("activity_regularizer"));  // written only when set, as Keras 3
  expect_config_round_trip(*dense);
}

TEST_F(LayersCore, DenseFromKeras2AndKeras1Configs) {
  const json keras2 = json::parse(R"({"name": "dense_1", "trainable": false, "batch_input_shape": [null, 5],
      "dtype": "float64", "units": 4, "activation": "softmax", "use_bias": true,
      "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg",
                             "distribution": "uniform", "seed": null}},
      "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null,
      "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
      "bias_constraint": null})");
  auto dense = layers::DenseLayer::from_config(keras2);
  EXPECT_EQ(dense->name(), "dense_1");
  EXPECT_EQ(dense->units(), 4);
  EXPECT_FALSE(dense->trainable());
  EXPECT_EQ(dense->dtype(), f64);
  EXPECT_EQ(*dense->batch_input_shape(), (Shape{None, 5}));
  EXPECT_EQ(dense->options().activation.name(), "softmax");

  // Keras 1: output_dim, init, bias; a Keras 3.4+ DTypePolicy dict.
  const json keras1 = json::parse(R"({"output_dim": 6, "init": "uniform", "bias": false, "input_dim": 3,
      "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float64"},
                "registered_name": null}})");
  auto old = layers::DenseLayer::from_config(keras1);
  EXPECT_EQ(old->units(), 6);
  EXPECT_FALSE(old->options().use_bias);
  EXPECT_EQ(old->options().kernel_initializer->class_name(), "RandomUniform");
  EXPECT_EQ(old->dtype(), f64);
  EXPECT_EQ(*old->batch_input_shape(), (Shape{None, 3}));
  EXPECT_TRUE(is_registered_layer_class("Dense"));
  EXPECT_NE(value_error([] { layers::DenseLayer::from_config(json::object()); }).find("units"), std::string::npos);
}

TEST_F(LayersCore, DenseErrorsAtGraphConstruction) {
  EXPECT_NE(value_error([] { layers::Dense(0); }).find("Received: units=0"), std::string::npos);
  const std::string rank = value_error([] { layers::Dense(3)(Input({})); });
  EXPECT_NE(rank.find("Input 0 of layer \"dense\" is incompatible with the layer: expected min_ndim=2, found "
                      "ndim=1. Full shape received: (None,)"),
            std::string::npos)
      << rank;
  const std::string unknown = value_error([] { layers::Dense(3)(Input({None})); });
  EXPECT_NE(unknown.find("should be defined. Found None. Full input shape received: (None, None)"), std::string::npos)
      << unknown;
  auto dense = layers::Dense(3);
  dense(Input({5}));
  const std::string axis = value_error([&] { dense(Input({6})); });
  EXPECT_NE(axis.find("expected axis -1 of input shape to have value 5"), std::string::npos) << axis;
  const std::string eager = value_error([&] { dense(ops::ones({2, 6})); });
  EXPECT_NE(eager.find("expected axis -1 of input shape to have value 5, but received input with shape (2, 6)"),
            std::string::npos)
      << eager;
}

// ---- Activation layers ----------------------------------------------------------------------

TEST_F(LayersCore, ActivationLayerByNameAndCallable) {
  const Tensor x = gold("act_x");
  EXPECT_TRUE(all_close(layers::Activation("sigmoid", {.dtype = f64})(x), gold("act_sigmoid_y"), 1e-12, 1e-12));
  EXPECT_TRUE(all_close(layers::Activation("tanh")(x), gold("act_tanh_y"), 1e-12, 1e-12));
  EXPECT_TRUE(all_close(layers::Activation(activations::softmax)(x), gold("act_softmax_y"), 1e-12, 1e-12));
  EXPECT_TRUE(all_close(layers::Activation([](const Tensor& t) { return ops::multiply(t, 2.0); })(x),
                        ops::multiply(x, 2.0)));
  EXPECT_EQ(symbolic_shape(layers::Activation("relu"), {3, 4}), (Shape{None, 3, 4}));
  EXPECT_TRUE(check_input_gradients(layers::Activation("tanh"), x));
  auto act = layers::Activation("relu");
  act(x);
  EXPECT_TRUE(act->weights().empty());
  EXPECT_EQ(act->get_config().at("activation"), "relu");
  expect_config_round_trip(*act);
  EXPECT_THROW(layers::Activation("no_such_activation"), ValueError);
}

TEST_F(LayersCore, ReLULayer) {
  const Tensor x = gold("act_x");
  auto relu = layers::ReLU({.max_value = 1.5, .negative_slope = 0.1, .threshold = 0.2});
  EXPECT_TRUE(all_close(relu(x), gold("relu_opts_y"), 1e-12, 1e-12));
  EXPECT_TRUE(all_close(layers::ReLU()(x), gold("relu_default_y"), 1e-12, 1e-12));
  EXPECT_TRUE(check_input_gradients(relu, x));  // act_x stays clear of the kinks
  const json config = relu->get_config();
  EXPECT_EQ(config.at("max_value"), 1.5);
  EXPECT_EQ(config.at("negative_slope"), 0.1);
  EXPECT_EQ(config.at("threshold"), 0.2);
  expect_config_round_trip(*relu);
  EXPECT_TRUE(layers::ReLU()->get_config().at("max_value").is_null());
  EXPECT_NE(value_error([] { layers::ReLU({.max_value = -1.0}); }).find("Received: max_value=-1.0"),
            std::string::npos);
  EXPECT_THROW(layers::ReLU({.negative_slope = -0.1}), ValueError);
  EXPECT_THROW(layers::ReLU({.threshold = -0.1}), ValueError);
}

TEST_F(LayersCore, LeakyReLULayer) {
  const Tensor x = gold("act_x");
  auto leaky = layers::LeakyReLU();
  EXPECT_EQ(leaky->negative_slope(), 0.3);  // Keras 3's layer default
  EXPECT_TRUE(all_close(leaky(x), gold("leaky_relu_y"), 1e-12, 1e-12));
  EXPECT_TRUE(check_input_gradients(leaky, x));
  EXPECT_EQ(layers::LeakyReLU({.alpha = 0.1})->negative_slope(), 0.1);
  EXPECT_EQ(layers::LeakyReLU({.negative_slope = 0.05})->get_config().at("negative_slope"), 0.05);
  // Keras 2 configs name the slope alpha.
  EXPECT_EQ(layers::LeakyReLULayer::from_config({{"name", "lr"}, {"alpha", 0.25}})->negative_slope(), 0.25);
  expect_config_round_trip(*leaky);
  EXPECT_THROW(layers::LeakyReLU({.negative_slope = -1.0}), ValueError);
}

TEST_F(LayersCore, ELULayer) {
  const Tensor x = gold("act_x");
  auto elu = layers::ELU({.alpha = 0.7});
  EXPECT_TRUE(all_close(elu(x), gold("elu_y"), 1e-12, 1e-12));
  EXPECT_TRUE(check_input_gradients(elu, x));
  EXPECT_EQ(elu->get_config().at("alpha"), 0.7);
  expect_config_round_trip(*elu);
  EXPECT_EQ(layers::ELULayer::from_config(json::object())->alpha(), 1.0);
}

TEST_F(LayersCore, PReLULayer) {
  const Tensor x = gold("prelu_x");
  auto prelu = layers::PReLU({.shared_axes = {1}, .dtype = f64});
  EXPECT_EQ(symbolic_shape(prelu, {3, 4}), (Shape{None, 3, 4}));
  EXPECT_EQ(weight_names(*prelu), (std::vector<std::string>{"alpha"}));
  EXPECT_EQ(prelu->alpha().shape(), (Shape{1, 4}));
  EXPECT_EQ(ops::max(ops::abs(prelu->alpha().value())).item<double>(), 0.0);  // "Zeros"
  prelu->set_weights({gold("prelu_alpha")});
  EXPECT_TRUE(all_close(prelu(x), gold("prelu_y"), 1e-12, 1e-12));
  EXPECT_TRUE(check_input_gradients(prelu, x));
  EXPECT_TRUE(check_weight_gradients(*prelu, x));

  auto full = layers::PReLU({.alpha_initializer = initializers::Constant(0.25)});
  full(Input({3, 4}));
  EXPECT_EQ(full->alpha().shape(), (Shape{3, 4}));
  EXPECT_TRUE(full->get_config().at("shared_axes").is_null());
  EXPECT_EQ(prelu->get_config().at("shared_axes"), json::array({1}));
  EXPECT_EQ(prelu->get_config().at("alpha_initializer").at("class_name"), "Zeros");
  expect_config_round_trip(*prelu);
  expect_config_round_trip(*full);
  const std::string bad = value_error([] { layers::PReLU({.shared_axes = {3}})(Input({3, 4})); });
  EXPECT_NE(bad.find("shared_axes"), std::string::npos) << bad;
  EXPECT_THROW(full(Input({3, 5})), ValueError);
}

TEST_F(LayersCore, SoftmaxLayer) {
  const Tensor x = gold("softmax_x");
  EXPECT_TRUE(all_close(layers::Softmax({.axis = 1})(x), gold("softmax_axis1_y"), 1e-12, 1e-12));
  auto two_axes = layers::Softmax({.axis = {1, 2}});
  EXPECT_TRUE(all_close(two_axes(x), gold("softmax_axes12_y"), 1e-12, 1e-12));
  EXPECT_TRUE(check_input_gradients(layers::Softmax(), x));
  EXPECT_TRUE(check_input_gradients(two_axes, x));
  EXPECT_EQ(two_axes->get_config().at("axis"), json::array({1, 2}));
  EXPECT_EQ(layers::Softmax()->get_config().at("axis"), -1);
  expect_config_round_trip(*two_axes);
  expect_config_round_trip(*layers::Softmax({.axis = 1}));
}

TEST_F(LayersCore, SoftmaxWithAMask) {
  const Tensor x = gold("softmax_x");
  const Tensor mask = gold("softmax_mask");
  auto softmax = layers::Softmax();
  const Tensor y = softmax(x, {.mask = {mask}});
  EXPECT_TRUE(all_close(y, gold("softmax_masked_y"), 1e-12, 1e-12));
  // A float mask counts where it is above 0.5.
  EXPECT_TRUE(all_close(softmax(x, {.mask = {ops::cast(mask, f64)}}), y));
  EXPECT_TRUE(check_gradients(
      [&](const std::vector<Tensor>& xs) { return Tensor(softmax(xs[0], {.mask = {mask}})); }, {x}));
  // The input's own Keras mask is used when no mask is given.
  EXPECT_TRUE(all_close(softmax(with_keras_mask(x, mask)), y));
  const std::string bad = value_error([&] { softmax(x, {.mask = {ops::ones({2, 4}, DType::bool_)}}); });
  EXPECT_NE(bad.find("inputs.shape=(2, 3, 4), mask.shape=(2, 4)"), std::string::npos) << bad;
}

// ---- Dropout ----------------------------------------------------------------------------------

TEST_F(LayersCore, DropoutInferenceIsIdentityTrainingDropsAndScales) {
  const Tensor x = testing::test_input({200, 50}, 5, 1.0, 2.0);
  auto dropout = layers::Dropout(0.3, {.seed = 11});
  EXPECT_TRUE(all_close(dropout(x), x, 0, 0));
  EXPECT_TRUE(all_close(dropout(x, {.training = false}), x, 0, 0));
  const Tensor y = dropout(x, {.training = true});
  const Tensor kept = ops::not_equal(y, 0.0);
  const double kept_fraction = ops::mean(ops::cast(kept, f64)).item<double>();
  EXPECT_NEAR(kept_fraction, 0.7, 0.02);
  // Kept units are scaled by 1 / (1 - rate).
  EXPECT_TRUE(all_close(ops::where(kept, y, 0.0), ops::where(kept, ops::divide(x, 0.7), 0.0), 1e-12, 1e-12));
  // Each training call draws a new mask; a layer with the same seed repeats the stream.
  const Tensor y2 = dropout(x, {.training = true});
  EXPECT_FALSE(all_close(y, y2, 0, 0));
  auto twin = layers::Dropout(0.3, {.seed = 11});
  EXPECT_TRUE(all_close(twin(x, {.training = true}), y, 0, 0));
  EXPECT_TRUE(all_close(twin(x, {.training = true}), y2, 0, 0));
  EXPECT_TRUE(all_close(layers::Dropout(0.0)(x, {.training = true}), x, 0, 0));
}

TEST_F(LayersCore, DropoutNoiseShapeAndGradient) {
  const Tensor x = testing::test_input({64, 10}, 6, 1.0, 2.0);
  auto dropout = layers::Dropout(0.5, {.noise_shape = {None, 1}, .seed = 3});
  const Tensor y = dropout(x, {.training = true});
  // One draw per row: every row is all kept or all dropped.
  const Tensor kept_per_row = ops::sum(ops::cast(ops::not_equal(y, 0.0), f64), 1);
  for (double k : kept_per_row.to_vector<double>()) EXPECT_TRUE(k == 0.0 || k == 10.0) << k;
  // The gradient is the mask over (1 - rate): exactly where the output kept the input.
  auto fresh = layers::Dropout(0.4, {.seed = 8});
  auto twin = layers::Dropout(0.4, {.seed = 8});
  const Tensor expected =
      ops::where(ops::not_equal(twin(x, {.training = true}), 0.0), ops::full_like(x, 1.0 / 0.6), 0.0);
  GradientTape tape;
  tape.watch(x);
  const Tensor out = fresh(x, {.training = true});
  const Tensor g = tape.gradient(ops::sum(out), x);
  EXPECT_TRUE(all_close(g, expected, 1e-12, 1e-12));
}

TEST_F(LayersCore, DropoutConfigAndErrors) {
  auto dropout = layers::Dropout(0.25, {.noise_shape = {None, 1}, .seed = 7});
  const json config = dropout->get_config();
  EXPECT_EQ(config.at("rate"), 0.25);
  EXPECT_EQ(config.at("seed"), 7);
  EXPECT_EQ(config.at("noise_shape"), json::parse("[null, 1]"));
  expect_config_round_trip(*dropout);
  const json defaults = layers::Dropout(0.5)->get_config();
  EXPECT_TRUE(defaults.at("seed").is_null());
  EXPECT_TRUE(defaults.at("noise_shape").is_null());
  EXPECT_EQ(layers::DropoutLayer::from_config({{"p", 0.2}})->rate(), 0.2);  // Keras 1's name
  EXPECT_EQ(symbolic_shape(layers::Dropout(0.5), {3, 4}), (Shape{None, 3, 4}));
  EXPECT_NE(value_error([] { layers::Dropout(1.5); }).find("Received: rate=1.5"), std::string::npos);
  EXPECT_THROW(layers::Dropout(-0.1), ValueError);
  EXPECT_NE(value_error([] { layers::Dropout(0.5, {.noise_shape = {0, 1}}); }).find("at index 0: 0"),
            std::string::npos);
}

// ---- Reshaping layers --------------------------------------------------------------------------

TEST_F(LayersCore, FlattenLayer) {
  const Tensor x = gold("reshape_x");
  EXPECT_TRUE(all_close(layers::Flatten()(x), gold("flatten_last_y"), 0, 0));
  auto first = layers::Flatten({.data_format = "channels_first"});
  EXPECT_TRUE(all_close(first(x), gold("flatten_first_y"), 0, 0));
  EXPECT_EQ(symbolic_shape(layers::Flatten(), {3, 4, 5}), (Shape{None, 60}));
  EXPECT_EQ(symbolic_shape(layers::Flatten(), {None, 4}), (Shape{None, None}));
  EXPECT_EQ(symbolic_shape(layers::Flatten(), {}), (Shape{None, 1}));
  EXPECT_TRUE(check_input_gradients(first, x));
  EXPECT_EQ(layers::Flatten()->get_config().at("data_format"), "channels_last");
  expect_config_round_trip(*first);
  EXPECT_NE(value_error([] { layers::Flatten({.data_format = "NHWC"}); }).find("Received: data_format=nhwc"),
            std::string::npos);
}

TEST_F(LayersCore, ReshapeLayer) {
  const Tensor x = gold("reshape_x");
  auto reshape = layers::Reshape({6, -1});
  EXPECT_TRUE(all_close(reshape(x), gold("reshape_y"), 0, 0));
  EXPECT_EQ(symbolic_shape(layers::Reshape({6, -1}), {3, 4, 5}), (Shape{None, 6, 10}));
  EXPECT_EQ(symbolic_shape(layers::Reshape({-1, 2}), {None, 4}), (Shape{None, None, 2}));
  EXPECT_TRUE(check_input_gradients(reshape, x));
  EXPECT_EQ(reshape->get_config().at("target_shape"), json::array({6, -1}));
  expect_config_round_trip(*reshape);
  const std::string size = value_error([] { layers::Reshape({5, -1})(Input({3, 4})); });
  EXPECT_NE(size.find("Received: input_shape=(3, 4), target_shape=(5, -1)"), std::string::npos) << size;
  const std::string fixed = value_error([] { layers::Reshape({5, 2})(Input({3, 4})); });
  EXPECT_NE(fixed.find("The total size of the tensor must be unchanged. Received: input_shape=(3, 4), "
                       "target_shape=(5, 2)"),
            std::string::npos)
      << fixed;
  EXPECT_NE(value_error([] { layers::Reshape({-1, -1}); }).find("at most one unknown dimension"), std::string::npos);
  EXPECT_THROW(layers::Reshape({2, -3}), ValueError);
}

TEST_F(LayersCore, PermuteLayer) {
  const Tensor x = gold("reshape_x");
  auto permute = layers::Permute({3, 1, 2});
  EXPECT_TRUE(all_close(permute(x), gold("permute_y"), 0, 0));
  EXPECT_EQ(symbolic_shape(layers::Permute({2, 1}), {3, 4}), (Shape{None, 4, 3}));
  EXPECT_TRUE(check_input_gradients(permute, x));
  EXPECT_EQ(permute->get_config().at("dims"), json::array({3, 1, 2}));
  expect_config_round_trip(*permute);
  EXPECT_NE(value_error([] { layers::Permute({1, 3}); }).find("Received dims=(1, 3)"), std::string::npos);
  const std::string rank = value_error([] { layers::Permute({2, 1})(Input({3})); });
  EXPECT_NE(rank.find("expected ndim=3, found ndim=2. Full shape received: (None, 3)"), std::string::npos) << rank;
}

TEST_F(LayersCore, RepeatVectorLayer) {
  const Tensor x = gold("repeat_x");
  auto repeat = layers::RepeatVector(4);
  EXPECT_TRUE(all_close(repeat(x), gold("repeat_y"), 0, 0));
  EXPECT_EQ(symbolic_shape(layers::RepeatVector(4), {3}), (Shape{None, 4, 3}));
  EXPECT_TRUE(check_input_gradients(repeat, x));
  EXPECT_EQ(repeat->get_config().at("n"), 4);
  expect_config_round_trip(*repeat);
  EXPECT_NE(value_error([] { layers::RepeatVector(0); }).find("Received: n=0"), std::string::npos);
  const std::string rank = value_error([] { layers::RepeatVector(2)(Input({3, 4})); });
  EXPECT_NE(rank.find("expected ndim=2, found ndim=3. Full shape received: (None, 3, 4)"), std::string::npos) << rank;
}

// ---- ActivityRegularization, Identity ----------------------------------------------------------

TEST_F(LayersCore, ActivityRegularizationAddsTheScaledPenalty) {
  const Tensor x = gold("actreg_x");
  auto reg = layers::ActivityRegularization({.l1 = 0.01, .l2 = 0.02});
  EXPECT_TRUE(all_close(reg(x), x, 0, 0));
  ASSERT_EQ(reg->losses().size(), 1u);
  EXPECT_NEAR(reg->losses()[0].item<double>(), gold("actreg_loss").item<double>(), 1e-12);
  reg(x);
  EXPECT_EQ(reg->losses().size(), 1u);  // a new call replaces the previous call's terms
  EXPECT_TRUE(check_gradients(
      [&](const std::vector<Tensor>& xs) {
        reg(xs[0]);
        return reg->losses().front();
      },
      {x}));
  const json config = reg->get_config();
  EXPECT_EQ(config.at("l1"), 0.01);
  EXPECT_EQ(config.at("l2"), 0.02);
  EXPECT_FALSE(config.contains("activity_regularizer"));
  expect_config_round_trip(*reg);
  EXPECT_THROW(layers::ActivityRegularization({.l1 = -1.0}), ValueError);
}

TEST_F(LayersCore, IdentityLayer) {
  const Tensor x = gold("act_x");
  auto identity = layers::Identity();
  EXPECT_TRUE(all_close(identity(x), x, 0, 0));
  const Tensor mask = ops::greater(x, 0.0);
  const Outputs both = identity({with_keras_mask(x, mask), x});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_TRUE(all_close(get_keras_mask(both[0]), mask, 0, 0));
  EXPECT_FALSE(get_keras_mask(both[1]).defined());
  EXPECT_EQ(symbolic_shape(layers::Identity(), {3, 4}), (Shape{None, 3, 4}));
  expect_config_round_trip(*identity);
}

// ---- Masking and Embedding ----------------------------------------------------------------------

TEST_F(LayersCore, MaskingProducesAMaskAndZeroesMaskedSteps) {
  const Tensor x = gold("masking_x");
  auto masking = layers::Masking({.mask_value = 0.5});
  const Tensor y = masking(x);
  EXPECT_TRUE(all_close(y, gold("masking_y"), 0, 0));
  EXPECT_TRUE(all_close(get_keras_mask(y), gold("masking_mask"), 0, 0));
  // The gradient passes where the step is kept and is 0 where it is masked (a finite
  // difference cannot check this input: nudging a masked value unmasks its step).
  {
    GradientTape tape;
    tape.watch(x);
    const Tensor g = tape.gradient(ops::sum(Tensor(masking(x))), x);
    EXPECT_TRUE(all_close(g, ops::broadcast_to(ops::expand_dims(ops::cast(gold("masking_mask"), f64), -1), x.shape()),
                          0, 0));
  }
  EXPECT_TRUE(check_input_gradients(masking, gold("act_x")));
  EXPECT_EQ(masking->get_config().at("mask_value"), 0.5);
  expect_config_round_trip(*masking);

  const Tensor sym = masking(Input({4, 3}));
  EXPECT_EQ(sym.shape(), (Shape{None, 4, 3}));
  ASSERT_TRUE(get_keras_mask(sym).defined());
  EXPECT_EQ(get_keras_mask(sym).shape(), (Shape{None, 4}));
  EXPECT_EQ(get_keras_mask(sym).dtype(), DType::bool_);
}

TEST_F(LayersCore, MasksPropagateThroughSupportingLayersOnly) {
  const Tensor x = gold("masking_x");
  const Tensor mask = gold("masking_mask");
  Tensor y = layers::Masking({.mask_value = 0.5})(x);
  y = layers::Dense(5, {.dtype = f64})(y);
  y = layers::Dropout(0.5)(y);
  y = layers::Activation("relu")(y);
  y = layers::LeakyReLU()(y);
  EXPECT_TRUE(all_close(get_keras_mask(y), mask, 0, 0));
  // Flatten, Reshape, Permute and RepeatVector do not support masking: the mask stops.
  EXPECT_FALSE(get_keras_mask(layers::Flatten()(with_keras_mask(x, mask))).defined());
  EXPECT_FALSE(get_keras_mask(layers::Reshape({12})(with_keras_mask(x, mask))).defined());

  // Symbolically too: the mask follows Masking -> Dense -> ReLU.
  Tensor s = layers::Masking()(Input({4, 3}, {.dtype = f64}));
  s = layers::ReLU()(layers::Dense(2)(s));
  ASSERT_TRUE(get_keras_mask(s).defined());
  EXPECT_EQ(get_keras_mask(s).shape(), (Shape{None, 4}));
}

TEST_F(LayersCore, EmbeddingLookupMaskAndWeights) {
  const Tensor ids = gold("embedding_ids");
  auto embedding = layers::Embedding(10, 4, {.mask_zero = true, .dtype = f64});
  const Tensor first = embedding(ids);
  EXPECT_EQ(weight_names(*embedding), (std::vector<std::string>{"embeddings"}));
  EXPECT_EQ(embedding->embeddings().shape(), (Shape{10, 4}));
  // Default "uniform" initializer: RandomUniform(-0.05, 0.05).
  EXPECT_LE(ops::max(ops::abs(first)).item<double>(), 0.05);
  embedding->set_weights({gold("embedding_w")});
  const Tensor y = embedding(ids);
  EXPECT_EQ(y.dtype(), f64);
  EXPECT_TRUE(all_close(y, gold("embedding_y"), 0, 0));
  EXPECT_TRUE(all_close(get_keras_mask(y), gold("embedding_mask"), 0, 0));
  // Float ids are cast to integers, as Keras does.
  EXPECT_TRUE(all_close(embedding(ops::cast(ids, DType::float32)), y, 0, 0));
  EXPECT_TRUE(check_weight_gradients(*embedding, ids));
  EXPECT_FALSE(get_keras_mask(layers::Embedding(10, 4)(ids)).defined());

  const Tensor sym = layers::Embedding(10, 4, {.mask_zero = true})(Input({5}, {.dtype = DType::int32}));
  EXPECT_EQ(sym.shape(), (Shape{None, 5, 4}));
  ASSERT_TRUE(get_keras_mask(sym).defined());
  EXPECT_EQ(get_keras_mask(sym).shape(), (Shape{None, 5}));
  EXPECT_THROW(embedding(ops::full({1, 2}, 10, DType::int32)), ValueError);  // index out of range
}

TEST_F(LayersCore, EmbeddingConfigAndErrors) {
  auto embedding = layers::Embedding(10, 4, {.embeddings_regularizer = "l1", .mask_zero = true});
  embedding(Input({5}));
  const json config = embedding->get_config();
  EXPECT_EQ(config.at("input_dim"), 10);
  EXPECT_EQ(config.at("output_dim"), 4);
  EXPECT_EQ(config.at("embeddings_initializer").at("class_name"), "RandomUniform");
  EXPECT_EQ(config.at("embeddings_initializer").at("config").at("minval"), -0.05);
  EXPECT_EQ(config.at("embeddings_regularizer").at("class_name"), "L1");
  EXPECT_TRUE(config.at("activity_regularizer").is_null());
  EXPECT_TRUE(config.at("embeddings_constraint").is_null());
  EXPECT_EQ(config.at("mask_zero"), true);
  EXPECT_FALSE(config.contains("input_length"));
  expect_config_round_trip(*embedding);
  // Keras 2: input_length (and Keras 1's init) are accepted.
  auto old = layers::EmbeddingLayer::from_config(
      {{"input_dim", 100}, {"output_dim", 8}, {"input_length", 12}, {"init", "zeros"}});
  EXPECT_EQ(*old->batch_input_shape(), (Shape{None, 12}));
  EXPECT_EQ(old->options().embeddings_initializer->class_name(), "Zeros");
  EXPECT_NE(value_error([] { layers::Embedding(0, 4); }).find("Received: input_dim=0"), std::string::npos);
  EXPECT_NE(value_error([] { layers::Embedding(4, -2); }).find("Received: output_dim=-2"), std::string::npos);
}

// ---- Registry and models -----------------------------------------------------------------------

TEST_F(LayersCore, EveryClassIsRegistered) {
  for (const char* name : {"Dense", "Activation", "Dropout", "Flatten", "Reshape", "Permute", "RepeatVector",
                           "ActivityRegularization", "Masking", "Embedding", "Identity", "ReLU", "LeakyReLU",
                           "PReLU", "ELU", "Softmax"}) {
    EXPECT_TRUE(is_registered_layer_class(name)) << name;
  }
}

// The reference MLP's weights, in Keras's order.
Tensors mlp_weights() { return {gold("mlp_k1"), gold("mlp_b1"), gold("mlp_k2"), gold("mlp_b2")}; }

TEST_F(LayersCore, SequentialMLPMatchesReference) {
  Sequential model;
  model.add(Input({16}, {.dtype = f64}));
  model.add(layers::Dense(8, {.activation = "relu", .dtype = f64}));
  model.add(layers::Dense(4, {.dtype = f64}));
  ASSERT_EQ(model.weights().size(), 4u);
  model.set_weights(mlp_weights());
  EXPECT_TRUE(all_close(model(gold("mlp_x")), gold("mlp_y"), 1e-12, 1e-12));
  EXPECT_TRUE(check_weight_gradients(model, gold("mlp_x")));

  // Keras 2 style: the first layer's input_dim gives the input shape.
  auto keras2 = make_layer<Sequential>(std::vector<LayerPtr>{
      layers::Dense(8, {.activation = "relu", .input_dim = 16, .dtype = f64}), layers::Dense(4, {.dtype = f64})});
  ASSERT_EQ(keras2->weights().size(), 4u);
  keras2->set_weights(mlp_weights());
  EXPECT_TRUE(all_close((*keras2)(gold("mlp_x")), gold("mlp_y"), 1e-12, 1e-12));
}

TEST_F(LayersCore, FunctionalMLPMatchesReference) {
  const Tensor in = Input({16}, {.dtype = f64});
  const Tensor hidden = layers::Dense(8, {.activation = "relu", .dtype = f64})(in);
  const Tensor out = layers::Dense(4, {.dtype = f64})(hidden);
  EXPECT_EQ(out.shape(), (Shape{None, 4}));
  Model model(in, out);
  model.set_weights(mlp_weights());
  EXPECT_TRUE(all_close(model(gold("mlp_x")), gold("mlp_y"), 1e-12, 1e-12));
  EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& xs) { return Tensor(model(xs[0])); },
                              {gold("mlp_x")}));
}

TEST_F(LayersCore, FunctionalModelWithEmbeddingMaskAndDropout) {
  const Tensor ids = Input({5}, {.dtype = DType::int32});
  Tensor x = layers::Embedding(10, 4, {.mask_zero = true, .dtype = f64})(ids);
  x = layers::Dropout(0.5, {.seed = 1})(x);
  x = layers::Dense(3, {.dtype = f64})(x);
  ASSERT_TRUE(get_keras_mask(x).defined());
  Model model(ids, x);
  const Tensor data = ops::cast(gold("embedding_ids"), DType::int32);
  const Tensor a = model(data);
  EXPECT_EQ(a.shape(), (Shape{2, 5, 3}));
  EXPECT_TRUE(all_close(get_keras_mask(a), gold("embedding_mask"), 0, 0));
  EXPECT_TRUE(all_close(model(data), a, 0, 0));  // inference: dropout is the identity
  EXPECT_FALSE(all_close(model(data, {.training = true}), a, 0, 0));
}

}  // namespace
}  // namespace keras
