// BatchNormalization and LayerNormalization: weights, values against torch/numpy
// references (tests/golden/gen_layers_norm_merge.py), training vs inference and the moving
// statistics, gradients, symbolic shapes, masks, configs and errors.
#include <gtest/gtest.h>

#include "keras/input.hpp"
#include "keras/layer_registry.hpp"
#include "keras/layers/normalization.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using layers::BatchNormalization;
using layers::LayerNormalization;
using testing::all_close;
using testing::check_gradients;
using testing::test_input;

Tensor gold(const std::string& name) { return testing::golden("layers_norm_merge/" + name); }

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

using testing::check_weight_gradients;

// ---- BatchNormalization --------------------------------------------------------------

TEST(BatchNormalization, WeightsInKerasOrder) {
  auto bn = BatchNormalization();
  bn->build_once({{kUnknownDim, 4, 5}});
  const auto ws = bn->weights();
  ASSERT_EQ(ws.size(), 4u);
  const std::vector<std::string> names{"gamma", "beta", "moving_mean", "moving_variance"};
  const std::vector<bool> trainable{true, true, false, false};
  for (std::size_t i = 0; i < ws.size(); ++i) {
    EXPECT_EQ(ws[i].name(), names[i]);
    EXPECT_EQ(ws[i].shape(), Shape{5});
    EXPECT_EQ(ws[i].trainable(), trainable[i]);
  }
  EXPECT_EQ(bn->trainable_weights().size(), 2u);
  EXPECT_EQ(bn->non_trainable_weights().size(), 2u);
  EXPECT_TRUE(all_close(bn->gamma().value(), ops::ones({5})));
  EXPECT_TRUE(all_close(bn->beta().value(), ops::zeros({5})));
  EXPECT_TRUE(all_close(bn->moving_mean().value(), ops::zeros({5})));
  EXPECT_TRUE(all_close(bn->moving_variance().value(), ops::ones({5})));
}

TEST(BatchNormalization, CenterAndScaleDropTheirWeights) {
  auto no_center = BatchNormalization({.center = false});
  no_center->build_once({{kUnknownDim, 3}});
  ASSERT_EQ(no_center->weights().size(), 3u);
  EXPECT_EQ(no_center->weights()[0].name(), "gamma");
  EXPECT_EQ(no_center->weights()[1].name(), "moving_mean");
  auto neither = BatchNormalization({.center = false, .scale = false});
  neither->build_once({{kUnknownDim, 3}});
  ASSERT_EQ(neither->weights().size(), 2u);
  EXPECT_TRUE(neither->trainable_weights().empty());
  EXPECT_EQ(neither->weights()[0].name(), "moving_mean");
}

TEST(BatchNormalization, AxisOneOnImagesHasOneWeightPerChannel) {
  auto bn = BatchNormalization({.axis = 1});
  bn->build_once({{kUnknownDim, 3, 8, 8}});
  EXPECT_EQ(bn->gamma().shape(), Shape{3});
}

TEST(BatchNormalization, InferenceUsesMovingStatistics) {
  auto bn = BatchNormalization();
  const Tensor x = gold("bn_x");
  bn->build_once({x.shape()});
  bn->set_weights({gold("bn_gamma"), gold("bn_beta"), gold("bn_mm"), gold("bn_mv")});
  EXPECT_TRUE(all_close(bn(x), gold("bn_infer"), 2e-5, 2e-5));
  EXPECT_TRUE(all_close(bn(x, {.training = false}), gold("bn_infer"), 2e-5, 2e-5));
  // Inference leaves the moving statistics alone.
  EXPECT_TRUE(all_close(bn->moving_mean().value(), gold("bn_mm"), 0, 0));
}

TEST(BatchNormalization, TrainingUsesBatchStatistics) {
  auto bn = BatchNormalization();
  const Tensor x = gold("bn_x");
  bn->build_once({x.shape()});
  bn->set_weights({gold("bn_gamma"), gold("bn_beta"), gold("bn_mm"), gold("bn_mv")});
  const Tensor y = bn(x, {.training = true});
  EXPECT_EQ(y.dtype(), DType::float32);
  EXPECT_TRUE(all_close(y, gold("bn_train"), 2e-5, 2e-5));
}

TEST(BatchNormalization, MovingStatisticsAfterThreeSteps) {
  auto bn = BatchNormalization({.axis = 1, .momentum = 0.9});
  for (int i = 0; i < 3; ++i) {
    const Tensor y = bn(gold("bn4_step" + std::to_string(i)), {.training = true});
    EXPECT_TRUE(all_close(y, gold("bn4_train_out" + std::to_string(i)), 2e-5, 2e-5)) << "step " << i;
  }
  // moving = moving * momentum + batch * (1 - momentum), with the biased batch variance.
  EXPECT_TRUE(all_close(bn->moving_mean().value(), gold("bn4_moving_mean"), 1e-6, 1e-5));
  EXPECT_TRUE(all_close(bn->moving_variance().value(), gold("bn4_moving_variance"), 1e-6, 1e-5));
  EXPECT_TRUE(all_close(bn(gold("bn4_step0")), gold("bn4_infer"), 2e-5, 2e-5));
}

TEST(BatchNormalization, FrozenLayerRunsInInferenceModeEvenWhenTraining) {
  const Tensor x = gold("bn_x");
  for (bool set_later : {false, true}) {
    auto bn = BatchNormalization({.trainable = set_later});
    bn->build_once({x.shape()});
    bn->set_weights({gold("bn_gamma"), gold("bn_beta"), gold("bn_mm"), gold("bn_mv")});
    if (set_later) bn->set_trainable(false);
    EXPECT_TRUE(all_close(bn(x, {.training = true}), gold("bn_infer"), 2e-5, 2e-5));
    EXPECT_TRUE(all_close(bn->moving_mean().value(), gold("bn_mm"), 0, 0));
    EXPECT_TRUE(all_close(bn->moving_variance().value(), gold("bn_mv"), 0, 0));
    EXPECT_TRUE(bn->trainable_weights().empty());
    EXPECT_EQ(bn->non_trainable_weights().size(), 4u);
  }
}

TEST(BatchNormalization, MaskedTrainingLeavesMaskedPositionsOutOfTheStatistics) {
  auto bn = BatchNormalization();
  const Tensor mask = gold("bnm_mask");
  const Tensor y = bn(gold("bnm_x"), {.training = true, .mask = {mask}});
  EXPECT_TRUE(all_close(y, gold("bnm_out"), 2e-5, 2e-5));
  EXPECT_TRUE(all_close(bn->moving_mean().value(), gold("bnm_moving_mean"), 1e-6, 1e-5));
  EXPECT_TRUE(all_close(bn->moving_variance().value(), gold("bnm_moving_variance"), 1e-6, 1e-5));
  // BatchNormalization passes the mask on.
  ASSERT_TRUE(get_keras_mask(y).defined());
  EXPECT_TRUE(all_close(get_keras_mask(y), mask, 0, 0));
}

TEST(BatchNormalization, MaskMustHaveOneDimensionLess) {
  auto bn = BatchNormalization();
  const Tensor x = gold("bnm_x");
  EXPECT_EQ(error_of([&] { bn(x, {.training = true, .mask = {ops::ones({2, 4, 3}, DType::bool_)}}); }),
            "The mask provided should be one dimension less than the inputs. Received: mask.shape=(2, 4, 3), "
            "inputs.shape=(2, 4, 3)");
}

TEST(BatchNormalization, GradientsWithRespectToInputs) {
  for (bool training : {true, false}) {
    auto bn = BatchNormalization({.dtype = DType::float64});
    const Tensor x = test_input({4, 3}, 11);
    bn->build_once({x.shape()});
    bn->set_weights({test_input({3}, 12, 0.5, 1.5), test_input({3}, 13), test_input({3}, 14),
                     test_input({3}, 15, 0.5, 1.5)});
    EXPECT_TRUE(check_gradients([&](const Tensors& xs) -> Tensor { return bn(xs[0], {.training = training}); }, {x}))
        << "training=" << training;
  }
}

TEST(BatchNormalization, GradientsWithRespectToGammaAndBeta) {
  for (bool training : {true, false}) {
    auto bn = BatchNormalization({.axis = 1, .dtype = DType::float64});
    const Tensor x = test_input({3, 2, 4}, 21);
    bn->build_once({x.shape()});
    bn->set_weights({test_input({2}, 22, 0.5, 1.5), test_input({2}, 23), test_input({2}, 24),
                     test_input({2}, 25, 0.5, 1.5)});
    EXPECT_TRUE(check_weight_gradients(*bn, x, {.training = training})) << "training=" << training;
  }
}

TEST(BatchNormalization, MovingUpdateIsNotDifferentiated) {
  auto bn = BatchNormalization({.dtype = DType::float64});
  const Tensor x = test_input({5, 3}, 31);
  GradientTape tape({.persistent = true});
  const Tensor loss = ops::sum(ops::square(Tensor(bn(x, {.training = true}))));
  const auto grads = tape.gradient(loss, std::vector<Variable>{bn->gamma(), bn->moving_mean(), bn->moving_variance()});
  EXPECT_TRUE(grads[0].defined());
  EXPECT_FALSE(grads[1].defined());
  EXPECT_FALSE(grads[2].defined());
  // The update happened, from the batch statistics.
  EXPECT_FALSE(all_close(bn->moving_mean().value(), ops::zeros({3}, DType::float64), 1e-12, 0));
}

TEST(BatchNormalization, SymbolicCallsInferShapesAndLeaveStatisticsAlone) {
  const Tensor in = Input({4, 5});
  auto bn = BatchNormalization();
  const Tensor y = bn(in, {.training = true});
  EXPECT_EQ(y.shape(), (Shape{kUnknownDim, 4, 5}));
  EXPECT_TRUE(is_keras_tensor(y));
  EXPECT_TRUE(all_close(bn->moving_mean().value(), ops::zeros({5}), 0, 0));
  EXPECT_TRUE(all_close(bn->moving_variance().value(), ops::ones({5}), 0, 0));
  const Tensor fixed = Input({3}, {.batch_size = 2});
  EXPECT_EQ(Tensor(BatchNormalization()(fixed)).shape(), (Shape{2, 3}));
}

TEST(BatchNormalization, ErrorsNameTheShapes) {
  EXPECT_EQ(error_of([] { BatchNormalization({.axis = 2})(Input({5})); }),
            "Axis 2 is out of bounds for input shape (None, 5). Received: axis=2");
  EXPECT_EQ(error_of([] { BatchNormalization()(Input({kUnknownDim})); }),
            "Axis -1 of input tensor should have a defined dimension but the layer received an input with shape "
            "(None, None).");
  auto bn = BatchNormalization();
  bn(ops::zeros({2, 5}));
  const std::string wrong = error_of([&] { bn(ops::zeros({2, 4})); });
  EXPECT_NE(wrong.find("expected axis -1 of input shape to have value 5, but received input with shape (2, 4)"),
            std::string::npos)
      << wrong;
  const std::string rank = error_of([&] { bn(ops::zeros({2, 3, 5})); });
  EXPECT_NE(rank.find("expected ndim=2, found ndim=3"), std::string::npos) << rank;
}

TEST(BatchNormalization, RegularizersAndConstraints) {
  auto bn = BatchNormalization({.gamma_regularizer = "l2", .beta_constraint = "non_neg"});
  bn->build_once({{kUnknownDim, 5}});
  const auto losses = bn->losses();
  ASSERT_EQ(losses.size(), 1u);
  EXPECT_NEAR(losses[0].item<double>(), 0.01 * 5, 1e-6);  // l2 = 0.01 * sum(gamma^2), gamma = 1
  ASSERT_EQ(bn->constraints().size(), 1u);
  EXPECT_EQ(bn->constraints()[0].first.name(), "beta");
}

TEST(BatchNormalization, ConfigHasKerasKeysAndRoundTrips) {
  auto bn = BatchNormalization({.axis = 1, .momentum = 0.9, .epsilon = 1e-5, .gamma_regularizer = "l2", .name = "bn"});
  const json config = bn->get_config();
  for (const char* key : {"name", "trainable", "dtype", "axis", "momentum", "epsilon", "center", "scale",
                          "beta_initializer", "gamma_initializer", "moving_mean_initializer",
                          "moving_variance_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint",
                          "gamma_constraint", "synchronized"}) {
    EXPECT_TRUE(config.contains(key)) << key;
  }
  EXPECT_EQ(config["axis"], 1);
  EXPECT_EQ(config["momentum"], 0.9);
  EXPECT_EQ(config["epsilon"], 1e-5);
  EXPECT_EQ(config["gamma_initializer"]["class_name"], "Ones");
  EXPECT_EQ(config["moving_mean_initializer"]["class_name"], "Zeros");
  EXPECT_EQ(config["gamma_regularizer"]["class_name"], "L2");
  EXPECT_TRUE(config["beta_regularizer"].is_null());
  EXPECT_EQ(config["synchronized"], false);

  const auto restored = layer_from_config("BatchNormalization", config);
  EXPECT_EQ(restored->class_name(), "BatchNormalization");
  EXPECT_EQ(restored->get_config(), config);
}

TEST(BatchNormalization, ReadsKeras2AndNewerKerasConfigs) {
  // Keras 2 wrote axis as a one-element list; Keras >= 3.13 adds the renorm keys.
  const json config = {{"name", "bn"},      {"axis", json::array({3})}, {"momentum", 0.99},
                       {"renorm", false},   {"renorm_clipping", nullptr}, {"renorm_momentum", 0.99},
                       {"trainable", true}, {"dtype", {{"module", "keras"}, {"class_name", "DTypePolicy"},
                                                       {"config", {{"name", "float64"}}}}}};
  const auto bn = layers::BatchNormalizationLayer::from_config(config);
  EXPECT_EQ(bn->options().axis, 3);
  EXPECT_EQ(bn->dtype(), DType::float64);
  EXPECT_EQ(error_of([] { layers::BatchNormalizationLayer::from_config({{"renorm", true}}); }),
            "BatchNormalization: renorm=True (batch renormalization) is not supported");
  EXPECT_EQ(error_of([] { layers::BatchNormalizationLayer::from_config({{"foo", 1}}); }),
            "Unrecognized keyword arguments passed to BatchNormalization: {'foo': 1}");
}

// ---- LayerNormalization --------------------------------------------------------------

TEST(LayerNormalization, WeightsCoverTheNormalisedAxes) {
  auto ln = LayerNormalization();
  ln->build_once({{kUnknownDim, 4, 5}});
  ASSERT_EQ(ln->weights().size(), 2u);
  EXPECT_EQ(ln->weights()[0].name(), "gamma");
  EXPECT_EQ(ln->weights()[1].name(), "beta");
  EXPECT_EQ(ln->gamma().shape(), Shape{5});
  auto ln2 = LayerNormalization({.axis = {1, -1}});
  ln2->build_once({{kUnknownDim, 4, 5}});
  EXPECT_EQ(ln2->beta().shape(), (Shape{4, 5}));
  auto rms = LayerNormalization({.rms_scaling = true});
  rms->build_once({{kUnknownDim, 5}});
  ASSERT_EQ(rms->weights().size(), 1u);
  EXPECT_EQ(rms->weights()[0].name(), "gamma");
}

TEST(LayerNormalization, ValuesMatchTorch) {
  const Tensor x = gold("ln_x");
  auto ln = LayerNormalization();
  ln->build_once({x.shape()});
  ln->set_weights({gold("ln_g5"), gold("ln_b5")});
  EXPECT_TRUE(all_close(ln(x), gold("ln_last"), 2e-5, 2e-5));

  auto ln12 = LayerNormalization({.axis = {2, 1}});
  ln12->build_once({x.shape()});
  ln12->set_weights({gold("ln_g45"), gold("ln_b45")});
  EXPECT_TRUE(all_close(ln12(x), gold("ln_12"), 2e-5, 2e-5));

  auto rms = LayerNormalization({.rms_scaling = true});
  rms->build_once({x.shape()});
  rms->set_weights({gold("ln_g5")});
  EXPECT_TRUE(all_close(rms(x), gold("ln_rms"), 2e-5, 2e-5));
}

TEST(LayerNormalization, Gradients) {
  for (bool rms_scaling : {false, true}) {
    auto ln = LayerNormalization({.axis = {1, 2}, .rms_scaling = rms_scaling, .dtype = DType::float64});
    const Tensor x = test_input({2, 3, 4}, 41);
    ln->build_once({x.shape()});
    Tensors values{test_input({3, 4}, 42, 0.5, 1.5)};
    if (!rms_scaling) values.push_back(test_input({3, 4}, 43));
    ln->set_weights(values);
    EXPECT_TRUE(check_gradients([&](const Tensors& xs) -> Tensor { return ln(xs[0]); }, {x})) << rms_scaling;
    EXPECT_TRUE(check_weight_gradients(*ln, x, {})) << rms_scaling;
  }
}

TEST(LayerNormalization, SymbolicShapeAndMaskPassThrough) {
  const Tensor in = Input({kUnknownDim, 6});
  const Tensor y = LayerNormalization()(in);
  EXPECT_EQ(y.shape(), (Shape{kUnknownDim, kUnknownDim, 6}));
  const Tensor mask = ops::greater(Tensor({{1.0, 0.0}}), 0.5);
  const Tensor out = LayerNormalization()(ops::ones({1, 2, 3}), {.mask = {mask}});
  ASSERT_TRUE(get_keras_mask(out).defined());
  EXPECT_TRUE(all_close(get_keras_mask(out), mask, 0, 0));
}

TEST(LayerNormalization, ConfigWritesTheBuiltAxesAsAList) {
  auto ln = LayerNormalization({.epsilon = 1e-5, .name = "ln"});
  json config = ln->get_config();
  EXPECT_EQ(config["axis"], -1);
  EXPECT_EQ(config["epsilon"], 1e-5);
  EXPECT_EQ(config["rms_scaling"], false);
  for (const char* key : {"center", "scale", "beta_initializer", "gamma_initializer", "beta_regularizer",
                          "gamma_regularizer", "beta_constraint", "gamma_constraint"}) {
    EXPECT_TRUE(config.contains(key)) << key;
  }
  ln->build_once({{kUnknownDim, 3, 4}});
  config = ln->get_config();
  EXPECT_EQ(config["axis"], json::array({2}));
  const auto restored = layer_from_config("LayerNormalization", config);
  restored->build_once({{kUnknownDim, 3, 4}});
  EXPECT_EQ(restored->get_config(), config);
  EXPECT_EQ(restored->weights()[0].shape(), Shape{4});
}

TEST(LayerNormalization, AxisErrors) {
  EXPECT_EQ(error_of([] { LayerNormalization({.axis = {-1, 2}})(Input({3, 4})); }),
            "Duplicate axes are not allowed. Received: axis=[-1, 2]");
  EXPECT_EQ(error_of([] { LayerNormalization({.axis = 3})(Input({3, 4})); }),
            "axis 3 is out of bounds for an array with dimension 3.");
  EXPECT_EQ(error_of([] { layers::LayerNormalizationLayer::from_config({{"axis", "x"}}); }),
            "Expected an int or a list/tuple of ints for the argument 'axis', but received: \"x\"");
}

}  // namespace
}  // namespace keras
