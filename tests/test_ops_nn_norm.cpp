// softmax / log_softmax, batch and layer normalisation, and the crossentropy primitives:
// values against torch / numpy golden files, numerical stability at extreme inputs,
// gradients (float64 finite differences, broadcasting included), Keras's error messages
// and meta-device shapes.
#include <cmath>
#include <limits>

#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;
using testing::test_input;

Tensor golden(const std::string& name) { return testing::golden("reduction/" + name); }

// The message of the ValueError f throws ("" and a test failure if none).
template <class F>
std::string value_error(F f) {
  try {
    f();
  } catch (const ValueError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no ValueError";
  return "";
}

// ---- softmax -----------------------------------------------------------------------------

TEST(OpsSoftmax, MatchesTorchAlongEveryAxis) {
  const Tensor s = golden("s");
  for (int axis = 0; axis < 3; ++axis) {
    const std::string a = std::to_string(axis);
    EXPECT_TRUE(all_close(ops::softmax(s, axis), golden("softmax_a" + a), 1e-7, 2e-6)) << axis;
    EXPECT_TRUE(all_close(ops::log_softmax(s, axis), golden("log_softmax_a" + a), 2e-6, 1e-6))
        << axis;
    EXPECT_TRUE(all_close(ops::softmax(s, axis - 3), golden("softmax_a" + a), 1e-7, 2e-6)) << axis;
  }
  EXPECT_TRUE(all_close(ops::softmax(s), golden("softmax_a2"), 1e-7, 2e-6));  // default -1
}

TEST(OpsSoftmax, StableForExtremeLogits) {
  const Tensor big = golden("s_big");
  EXPECT_TRUE(all_close(ops::softmax(big), golden("softmax_big"), 1e-7, 2e-6));
  EXPECT_TRUE(all_close(ops::log_softmax(big), golden("log_softmax_big"), 1e-4, 1e-6));
  const auto ls = ops::log_softmax(big).to_vector<float>();
  EXPECT_EQ(ls[2], -2000.0f);  // finite, where log(softmax) would give -inf
}

TEST(OpsSoftmax, LargeRowsSumToOneInBothDtypes) {
  // (128, 4096) over the last axis and (64, 300, 3) over the middle axis (the strided
  // kernel), float32 and float64, against a float64 reference.
  for (auto [shape, axis] : {std::pair<Shape, int>{{128, 4096}, 1}, {{64, 300, 3}, 1}}) {
    Tensor x = random::uniform(shape, {.minval = -20.0, .maxval = 20.0, .seed = 3});
    Tensor ref = ops::softmax(ops::cast(x, DType::float64), axis);
    EXPECT_TRUE(all_close(ops::softmax(x, axis), ref, 1e-9, 2e-6)) << shape_str(shape);
    Tensor lref = ops::log_softmax(ops::cast(x, DType::float64), axis);
    EXPECT_TRUE(all_close(ops::log_softmax(x, axis), lref, 2e-5, 1e-6)) << shape_str(shape);
    Tensor total = ops::sum(ref, axis);
    EXPECT_TRUE(all_close(total, ops::ones_like(total), 1e-12, 1e-12)) << shape_str(shape);
  }
  // Integers give floatx.
  EXPECT_EQ(ops::softmax(Tensor::from_vector(std::vector<std::int32_t>{1, 2})).dtype(),
            DType::float32);
}

TEST(OpsSoftmaxGrad, SoftmaxAndLogSoftmax) {
  for (auto [shape, axis] :
       {std::pair<Shape, int>{{3, 5}, -1}, {{3, 5}, 0}, {{2, 3, 4}, 1}, {{6}, 0}}) {
    const Tensor x = test_input(shape, 5, -2.0, 2.0);
    EXPECT_TRUE(check_gradients(
        [axis](const std::vector<Tensor>& in) { return ops::softmax(in[0], axis); }, {x}));
    EXPECT_TRUE(check_gradients(
        [axis](const std::vector<Tensor>& in) { return ops::log_softmax(in[0], axis); }, {x}));
  }
  // Through a broadcast input, and a second-order gradient.
  const Tensor a = test_input({3, 1}, 6), b = test_input({4}, 7);
  EXPECT_TRUE(check_gradients(
      [](const std::vector<Tensor>& in) { return ops::softmax(ops::add(in[0], in[1])); }, {a, b}));
  EXPECT_TRUE(check_gradients(
      [](const std::vector<Tensor>& in) {
        GradientTape tape;
        tape.watch(in[0]);
        Tensor y = ops::sum(ops::multiply(ops::softmax(in[0]),
                                          Tensor({1.0, -2.0, 0.5, 3.0}).astype(DType::float64)));
        return tape.gradient(y, in[0]);
      },
      {test_input({4}, 8)}));
}

// ---- normalisation -------------------------------------------------------------------------

TEST(OpsNormalization, BatchNormalizationMatchesTorch) {
  const Tensor n = golden("n");  // (4, 3, 5)
  const Tensor mu = golden("bn_mean"), va = golden("bn_var"), g = golden("bn_gamma"),
               b = golden("bn_beta");
  EXPECT_TRUE(
      all_close(ops::batch_normalization(n, mu, va, 1, b, g), golden("bn_axis1"), 1e-5, 1e-5));
  EXPECT_TRUE(
      all_close(ops::batch_normalization(n, mu, va, 1), golden("bn_axis1_plain"), 1e-5, 1e-5));
  const Tensor nl = golden("n_last");  // (4, 5, 3)
  EXPECT_TRUE(
      all_close(ops::batch_normalization(nl, mu, va, -1, b, g), golden("bn_last"), 1e-5, 1e-5));
  // keepdims-shaped statistics work too.
  EXPECT_TRUE(all_close(ops::batch_normalization(n, ops::reshape(mu, {1, 3, 1}), va, 1, b, g),
                        golden("bn_axis1"), 1e-5, 1e-5));
}

TEST(OpsNormalization, LayerNormalizationMatchesTorch) {
  const Tensor n = golden("n");
  const Tensor g = golden("ln_gamma"), b = golden("ln_beta");
  EXPECT_TRUE(
      all_close(ops::layer_normalization(n, g, b, -1, 1e-3), golden("ln_last"), 1e-5, 1e-5));
  EXPECT_TRUE(all_close(ops::layer_normalization(n, {}, {}, -1, 1e-3), golden("ln_last_plain"),
                        1e-5, 1e-5));
  EXPECT_TRUE(all_close(ops::layer_normalization(n, golden("ln_gamma2"), {}, {1, 2}, 1e-3),
                        golden("ln_last2"), 1e-5, 1e-5));
}

TEST(OpsNormalization, LayerNormalizationDefaultsFollowKeras) {
  // keras.ops.layer_normalization(keras.ops.arange(5)) with epsilon = backend.epsilon().
  Tensor y = ops::layer_normalization(ops::arange(5));
  EXPECT_TRUE(
      all_close(y, Tensor({-1.4142135, -0.70710677, 0.0, 0.7071067, 1.4142135}), 1e-6, 1e-6));
  EXPECT_EQ(ops::layer_normalization(Tensor::from_vector(std::vector<std::int32_t>{1, 2})).dtype(),
            DType::float32);
}

TEST(OpsNormalizationGrad, BatchAndLayerNormalization) {
  const Tensor x = test_input({4, 3}, 21);
  const Tensor mu = test_input({3}, 22), va = test_input({3}, 23, 0.5, 1.5);
  const Tensor off = test_input({3}, 24), sc = test_input({3}, 25);
  EXPECT_TRUE(check_gradients(
      [](const std::vector<Tensor>& in) {
        return ops::batch_normalization(in[0], in[1], in[2], -1, in[3], in[4]);
      },
      {x, mu, va, off, sc}));
  const Tensor x3 = test_input({2, 3, 2}, 26);
  EXPECT_TRUE(check_gradients(
      [](const std::vector<Tensor>& in) {
        return ops::batch_normalization(in[0], in[1], in[2], 1, in[3], in[4]);
      },
      {x3, mu, va, off, sc}));
  const Tensor gam = test_input({4}, 27), bet = test_input({4}, 28);
  const Tensor x4 = test_input({3, 4}, 29);
  EXPECT_TRUE(check_gradients(
      [](const std::vector<Tensor>& in) { return ops::layer_normalization(in[0], in[1], in[2]); },
      {x4, gam, bet}));
  const Tensor g2 = test_input({3, 2}, 30);
  EXPECT_TRUE(check_gradients(
      [](const std::vector<Tensor>& in) {
        return ops::layer_normalization(in[0], in[1], {}, {1, 2}, 1e-5);
      },
      {x3, g2}));
}

TEST(OpsNormalization, BadParameterShapesRaise) {
  const Tensor x = ops::zeros({4, 3});
  std::string msg =
      value_error([&] { ops::batch_normalization(x, ops::zeros({4}), ops::ones({3}), -1); });
  EXPECT_NE(msg.find("(4,)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(4, 3)"), std::string::npos) << msg;
  EXPECT_THROW(ops::batch_normalization(x, ops::zeros({3}), ops::ones({3}), 2), ValueError);
  msg = value_error([&] { ops::layer_normalization(x, ops::ones({4})); });
  EXPECT_NE(msg.find("(4, 3)"), std::string::npos) << msg;
  EXPECT_THROW(ops::layer_normalization(x, {}, {}, 2), ValueError);
}

// ---- crossentropy --------------------------------------------------------------------------

TEST(OpsCrossentropy, BinaryMatchesKerasAndTorch) {
  const Tensor t = golden("bce_target");
  Tensor y = ops::binary_crossentropy(t, golden("bce_logits_x"), true);
  EXPECT_TRUE(all_close(y, golden("bce_logits"), 1e-6, 1e-6));  // finite at |x| = 80
  EXPECT_TRUE(all_close(ops::binary_crossentropy(t, golden("bce_probs_x")), golden("bce_probs"),
                        1e-6, 2e-6));
  // Exact 0 / 1 probabilities are clipped to [1e-7, 1 - 1e-7] (float32: -log(1e-7)).
  Tensor edge = ops::binary_crossentropy(Tensor({1.0, 0.0}), Tensor({0.0, 1.0}));
  EXPECT_TRUE(all_close(edge, Tensor({16.118095, 15.942385}), 1e-4, 1e-5));
}

TEST(OpsCrossentropy, CategoricalMatchesKerasAndTorch) {
  const Tensor t = golden("ce_soft_target"), logits = golden("ce_logits"),
               probs = golden("ce_probs");
  EXPECT_TRUE(
      all_close(ops::categorical_crossentropy(t, logits, true), golden("cce_logits"), 1e-5, 1e-6));
  EXPECT_TRUE(all_close(ops::categorical_crossentropy(t, probs), golden("cce_probs"), 1e-5, 2e-6));
  EXPECT_TRUE(
      all_close(ops::categorical_crossentropy(ops::transpose(t), ops::transpose(logits), true, 0),
                golden("cce_logits_a0"), 1e-5, 1e-6));
  // Unnormalised probabilities are rescaled to sum to 1 first.
  EXPECT_TRUE(all_close(ops::categorical_crossentropy(t, ops::multiply(probs, 3.0)),
                        golden("cce_probs"), 1e-5, 2e-6));
}

TEST(OpsCrossentropy, SparseMatchesKerasAndTorch) {
  const Tensor idx = golden("ce_index"), logits = golden("ce_logits"), probs = golden("ce_probs");
  EXPECT_TRUE(all_close(ops::sparse_categorical_crossentropy(idx, logits, true),
                        golden("scce_logits"), 1e-5, 1e-6));
  EXPECT_TRUE(all_close(ops::sparse_categorical_crossentropy(idx, probs), golden("scce_probs"),
                        1e-5, 2e-6));
  // (batch, 1) labels, int64 and float labels give the same.
  EXPECT_TRUE(
      all_close(ops::sparse_categorical_crossentropy(ops::reshape(idx, {4, 1}), logits, true),
                golden("scce_logits"), 1e-5, 1e-6));
  EXPECT_TRUE(
      all_close(ops::sparse_categorical_crossentropy(ops::cast(idx, DType::float32), logits, true),
                golden("scce_logits"), 1e-5, 1e-6));
  EXPECT_TRUE(all_close(ops::sparse_categorical_crossentropy(idx, ops::transpose(logits), true, 0),
                        golden("scce_logits"), 1e-5, 1e-6));
}

TEST(OpsCrossentropyGrad, WithRespectToOutputAndTarget) {
  const Tensor t = test_input({3, 4}, 40, 0.0, 1.0);
  const Tensor p = test_input({3, 4}, 41, 0.05, 0.95);
  const Tensor x = test_input({3, 4}, 42, -3.0, 3.0);
  for (bool logits : {false, true}) {
    const Tensor o = logits ? x : p;
    EXPECT_TRUE(check_gradients(
        [logits](const std::vector<Tensor>& in) {
          return ops::binary_crossentropy(in[0], in[1], logits);
        },
        {t, o}))
        << logits;
    EXPECT_TRUE(check_gradients(
        [logits](const std::vector<Tensor>& in) {
          return ops::categorical_crossentropy(in[0], in[1], logits);
        },
        {t, o}))
        << logits;
    EXPECT_TRUE(check_gradients(
        [logits](const std::vector<Tensor>& in) {
          return ops::categorical_crossentropy(in[0], in[1], logits, 0);
        },
        {t, o}))
        << logits;
    const Tensor labels = Tensor::from_vector(std::vector<std::int32_t>{3, 0, 2}, {3});
    EXPECT_TRUE(check_gradients(
        [logits](const std::vector<Tensor>& in) {
          return ops::sparse_categorical_crossentropy(in[0], in[1], logits);
        },
        {labels, o}))
        << logits;
  }
  // Binary from logits at 0: the derivative is sigmoid(0) - target, not a kinked relu's.
  Tensor z = Tensor::from_vector(std::vector<double>{0.0}, {1});
  GradientTape tape;
  tape.watch(z);
  Tensor l = ops::binary_crossentropy(Tensor::from_vector(std::vector<double>{0.25}, {1}), z, true);
  EXPECT_NEAR(tape.gradient(l, z).item<double>(), 0.25, 1e-12);
}

TEST(OpsCrossentropy, ShapeErrorsUseKerasWording) {
  const Tensor a = ops::zeros({2, 3}), b = ops::zeros({2, 4}), c = ops::zeros({2, 3, 1});
  std::string msg = value_error([&] { ops::binary_crossentropy(a, b); });
  EXPECT_NE(msg.find("Arguments `target` and `output` must have the same shape. Received: "
                     "target.shape=(2, 3), output.shape=(2, 4)"),
            std::string::npos)
      << msg;
  msg = value_error([&] { ops::categorical_crossentropy(a, c); });
  EXPECT_NE(msg.find("must have the same rank"), std::string::npos) << msg;
  msg = value_error([&] { ops::categorical_crossentropy(Tensor(1.0), Tensor(1.0)); });
  EXPECT_NE(msg.find("at least rank 1"), std::string::npos) << msg;
  msg = value_error([&] {
    ops::sparse_categorical_crossentropy(Tensor::from_vector(std::vector<std::int32_t>{1, 2, 0}),
                                         a);
  });
  EXPECT_NE(
      msg.find("same shape up until the last dimension: target.shape=(3,), output.shape=(2, 3)"),
      std::string::npos)
      << msg;
  EXPECT_THROW(ops::categorical_crossentropy(a, a, false, 2), ValueError);
}

// ---- meta device ---------------------------------------------------------------------------

TEST(OpsNnNorm, MetaDeviceComputesShapes) {
  DeviceScope scope(Device{DeviceType::meta});
  Tensor x = Tensor::empty({8, 5, 3});
  EXPECT_EQ(ops::softmax(x, 1).shape(), (Shape{8, 5, 3}));
  EXPECT_EQ(ops::log_softmax(x).device().type, DeviceType::meta);
  EXPECT_EQ(ops::batch_normalization(x, Tensor::empty({3}), Tensor::empty({3}), -1).shape(),
            (Shape{8, 5, 3}));
  EXPECT_EQ(ops::layer_normalization(x, Tensor::empty({3})).shape(), (Shape{8, 5, 3}));
  EXPECT_EQ(ops::categorical_crossentropy(x, x).shape(), (Shape{8, 5}));
  EXPECT_EQ(ops::binary_crossentropy(x, x, true).shape(), (Shape{8, 5, 3}));
  Tensor labels = Tensor::empty({8, 5}, DType::int32);
  EXPECT_EQ(ops::sparse_categorical_crossentropy(labels, x, true).shape(), (Shape{8, 5}));
  EXPECT_THROW(ops::categorical_crossentropy(x, Tensor::empty({8, 5, 4})), ValueError);
}

}  // namespace
}  // namespace keras
