// compile / fit / evaluate / predict: one exact SGD step derived by hand, Keras's data
// handling (validation_split takes the last samples, class and sample weights divide by the
// sample count, shuffling follows the seed), multi-output logs, add_loss-only models,
// PyDataset, and the error messages.
#include <cmath>

#include "keras/callbacks.hpp"
#include "keras/input.hpp"
#include "keras/layers.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "keras/model.hpp"
#include "keras/optimizers.hpp"
#include "keras/sequential.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;

std::shared_ptr<optimizers::SGD> sgd(double lr) {
  return std::make_shared<optimizers::SGD>(optimizers::SGDOptions{.learning_rate = lr});
}

// y = x @ [[0.5], [-0.25]] + 0.1: a Dense(1) with known weights.
ModelPtr linear_model() {
  Tensor in = Input({2});
  auto model = make_model({in}, {layers::Dense(1)(in)});
  model->set_weights({testing::matrix({{0.5}, {-0.25}}), Tensor({0.1})});
  return model;
}

TEST(Trainer, OneSgdStepMatchesTheHandDerivation) {
  ModelPtr model = linear_model();
  model->compile({.optimizer = sgd(0.1), .loss = "mse"});
  // pred = [0.1, 1.85], error = [-0.9, 1.85], mse = (0.81 + 3.4225) / 2.
  // dL/dpred = 2 * error / 2 = error; dK = x^T error = [4.65, -3.65]; db = 0.95.
  const Scores s = model->train_on_batch(testing::matrix({{1, 2}, {3, -1}}), testing::matrix({{1}, {0}}));
  EXPECT_NEAR(s[0], 2.11625, 1e-6);
  EXPECT_NEAR(s["loss"], 2.11625, 1e-6);
  const Tensors w = model->get_weights();
  EXPECT_TRUE(all_close(w[0], testing::matrix({{0.035}, {0.115}}), 1e-6));
  EXPECT_TRUE(all_close(w[1], Tensor({0.005}), 1e-6));
}

TEST(Trainer, EvaluateAndPredictBatchTheWholeData) {
  ModelPtr model = linear_model();
  model->compile({.optimizer = sgd(0.1), .loss = "mae", .metrics = {"mse"}});
  Tensor x = testing::test_input({70, 2}, 1).astype(DType::float32);
  Tensor y = testing::test_input({70, 1}, 2).astype(DType::float32);
  Tensor expected = ops::add(ops::matmul(x, testing::matrix({{0.5}, {-0.25}})), 0.1);
  Tensor pred = model->predict(x, {.batch_size = 32, .verbose = 0});
  EXPECT_TRUE(all_close(pred, expected, 1e-6));
  const Scores s = model->evaluate(x, y, {.batch_size = 32, .verbose = 0});
  const double mae = ops::mean(ops::abs(ops::subtract(expected, y))).item<double>();
  const double mse = ops::mean(ops::square(ops::subtract(expected, y))).item<double>();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_NEAR(s[0], mae, 1e-5);
  EXPECT_NEAR(s["mse"], mse, 1e-5);
  EXPECT_EQ(model->metrics_names(), (std::vector<std::string>{"loss", "mse"}));
}

TEST(Trainer, ValidationSplitTakesTheLastSamplesBeforeShuffling) {
  ModelPtr model = linear_model();
  model->compile({.optimizer = sgd(0.0), .loss = "mse"});  // lr 0: weights stay put
  Tensor x = testing::test_input({10, 2}, 3).astype(DType::float32);
  Tensor y = testing::test_input({10, 1}, 4).astype(DType::float32);
  auto history = model->fit(x, y, {.batch_size = 4, .epochs = 2, .verbose = 0, .validation_split = 0.3});
  // split_at = floor(10 * 0.7) = 7: validation is samples 7, 8, 9.
  ModelPtr reference = linear_model();
  reference->compile({.optimizer = sgd(0.0), .loss = "mse"});
  const double val = reference->evaluate(ops::slice(x, {7, 0}, {3, 2}), ops::slice(y, {7, 0}, {3, 1}), {.verbose = 0})[0];
  const double train = reference->evaluate(ops::slice(x, {0, 0}, {7, 2}), ops::slice(y, {0, 0}, {7, 1}), {.verbose = 0})[0];
  ASSERT_EQ(history.history["val_loss"].size(), 2u);
  EXPECT_NEAR(history.history["val_loss"][1], val, 1e-6);
  // The epoch's loss is the batch-size-weighted mean over the 7 training samples.
  EXPECT_NEAR(history.history["loss"][0], train, 1e-6);
  EXPECT_EQ(history.epoch, (std::vector<std::int64_t>{0, 1}));
  // floor(10 * 0.05) = 0 training samples.
  EXPECT_THROW(model->fit(x, y, {.verbose = 0, .validation_split = 0.95}), ValueError);
}

TEST(Trainer, ClassWeightsScaleTheLossDividedBySampleCount) {
  ModelPtr model = linear_model();
  model->compile({.optimizer = sgd(0.0), .loss = "mse"});
  Tensor x({{1, 2}, {3, -1}, {0, 0}});
  Tensor y = testing::matrix({{1}, {0}, {1}});
  // Per-sample squared errors: 0.81, 3.4225, 0.81; classes 1, 0, 1 weighted 2, 10, 2.
  const double expected = (2 * 0.81 + 10 * 3.4225 + 2 * 0.81) / 3;
  auto history = model->fit(x, y, {.batch_size = 3, .verbose = 0, .class_weight = {{0, 10.0}, {1, 2.0}}});
  EXPECT_NEAR(history.history["loss"][0], expected, 1e-5);
  auto sw = model->fit(x, y, {.batch_size = 3, .verbose = 0, .sample_weight = Tensor({2.0, 10.0, 2.0})});
  EXPECT_NEAR(sw.history["loss"][0], expected, 1e-5);
  EXPECT_THROW(model->fit(x, y, {.verbose = 0, .class_weight = {{0, 1.0}}, .sample_weight = Tensor({1.0, 1.0, 1.0})}),
               ValueError);
}

TEST(Trainer, ShufflingFollowsTheSeed) {
  Tensor x = testing::test_input({64, 2}, 5).astype(DType::float32);
  Tensor y = testing::test_input({64, 1}, 6).astype(DType::float32);
  auto run = [&](bool shuffle) {
    utils::set_random_seed(7);
    ModelPtr model = linear_model();
    model->compile({.optimizer = sgd(0.05), .loss = "mse"});
    model->fit(x, y, {.batch_size = 8, .epochs = 2, .verbose = 0, .shuffle = shuffle});
    return model->get_weights()[0];
  };
  const Tensor a = run(true);
  const Tensor b = run(true);
  const Tensor c = run(false);
  EXPECT_TRUE(all_close(a, b, 0, 0));
  EXPECT_FALSE(all_close(a, c, 1e-7, 0));
}

TEST(Trainer, MultiOutputLogsPerOutputLossesAndWeightsThem) {
  Tensor in = Input({2}, {.name = "x"});
  Tensor a = layers::Dense(1, {.name = "a"})(in);
  Tensor b = layers::Dense(1, {.name = "b"})(in);
  Model model(in, Tensors{a, b});
  model.compile({.optimizer = sgd(0.0), .loss = std::vector<losses::LossArg>{"mse", "mae"},
                 .loss_weights = std::vector<double>{1.0, 0.5},
                 .metrics = std::vector<std::vector<metrics::MetricArg>>{{"mae"}, {}}});
  Tensor x = testing::test_input({6, 2}, 8).astype(DType::float32);
  Tensor ya = testing::test_input({6, 1}, 9).astype(DType::float32);
  Tensor yb = testing::test_input({6, 1}, 10).astype(DType::float32);
  const Scores s = model.evaluate(x, Tensors{ya, yb}, {.verbose = 0});
  const Tensors p = model.predict(x, {.verbose = 0});
  const double la = ops::mean(ops::square(ops::subtract(p[0], ya))).item<double>();
  const double lb = ops::mean(ops::abs(ops::subtract(p[1], yb))).item<double>();
  EXPECT_NEAR(s["a_loss"], la, 1e-5);
  EXPECT_NEAR(s["b_loss"], lb, 1e-5);
  EXPECT_NEAR(s["loss"], la + 0.5 * lb, 1e-5);
  EXPECT_NEAR(s["a_mae"], ops::mean(ops::abs(ops::subtract(p[0], ya))).item<double>(), 1e-5);
  EXPECT_EQ(model.metrics_names(), (std::vector<std::string>{"loss", "a_loss", "b_loss", "a_mae"}));
  model.compile({.loss = std::vector<losses::LossArg>{"mse"}});
  EXPECT_THROW(model.evaluate(x, Tensors{ya, yb}, {.verbose = 0}), ValueError);
}

// A layer that adds 100000 * mean(square(x)) as a loss, as Keras's add_loss example.
class ActivityLoss : public Layer {
 public:
  ActivityLoss() : Layer(LayerOptions{}) {}
  Tensors call(const Tensors& in, const CallContext&) override {
    add_loss(ops::multiply(ops::mean(ops::square(in[0])), 100000.0));
    return {in[0]};
  }
  std::string class_name() const override { return "ActivityLoss"; }
};

TEST(Trainer, AModelTrainedOnlyByAddLossNeedsNoTargets) {
  Tensor in = Input({3});
  Tensor h = layers::Dense(4)(in);
  Tensor out = make_layer<ActivityLoss>()(h);
  Model model(in, out);
  model.compile({.optimizer = sgd(1e-6)});
  Tensor x = testing::test_input({32, 3}, 11).astype(DType::float32);
  auto history = model.fit(x, {}, {.batch_size = 32, .epochs = 3, .verbose = 0});
  const auto& loss = history.history["loss"];
  ASSERT_EQ(loss.size(), 3u);
  EXPECT_LT(loss[2], loss[0]);
  ModelPtr plain = linear_model();
  plain->compile({.optimizer = sgd(0.1)});
  EXPECT_THROW(plain->fit(testing::matrix({{1, 2}}), testing::matrix({{1}}), {.verbose = 0}), ValueError);
}

TEST(Trainer, ErrorsSayWhatIsWrong) {
  ModelPtr model = linear_model();
  try {
    model->fit(testing::matrix({{1, 2}}), testing::matrix({{1}}));
    FAIL() << "fit before compile";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("compile()"), std::string::npos);
  }
  model->compile({.optimizer = sgd(0.1), .loss = "mse"});
  try {
    model->fit(testing::matrix({{1, 2}, {3, 4}}), testing::matrix({{1}}), {.verbose = 0});
    FAIL() << "cardinality";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Data cardinality is ambiguous"), std::string::npos);
  }
  EXPECT_THROW(model->fit(testing::matrix({{1, 2}}), testing::matrix({{1}}), {.verbose = 0, .shuffle = "bad"}), ValueError);
}

TEST(Trainer, PerTimestepSampleWeightsWeightEachStep) {
  // Keras 2's sample_weight_mode="temporal": weights of shape (samples, timesteps).
  Tensor in = Input({3, 2});
  auto model = make_model({in}, {layers::Dense(1, {.use_bias = false, .kernel_initializer = "ones"})(in)});
  model->compile({.optimizer = sgd(0.0), .loss = "mse"});
  Tensor x = testing::test_input({2, 3, 2}, 40).astype(DType::float32);
  Tensor y = testing::test_input({2, 3, 1}, 41).astype(DType::float32);
  Tensor w = Tensor::from_vector(std::vector<float>{1, 0, 2, 0.5, 3, 0}, {2, 3});
  // Per-step losses (pred - y)^2, weighted, then divided by the 6 steps.
  const Tensor err = ops::square(ops::subtract(ops::sum(x, -1, true), y));
  const double expected = ops::sum(ops::multiply(ops::squeeze(err, -1), w)).item<double>() / 6.0;
  const Scores s = model->test_on_batch(x, y, w);
  EXPECT_NEAR(s[0], expected, 1e-5);
}

TEST(Trainer, NamedInputsAreMatchedByName) {
  Tensor a = Input({2}, {.name = "a"});
  Tensor b = Input({1}, {.name = "b"});
  auto model = make_model({a, b}, {layers::Dense(1, {.use_bias = false, .kernel_initializer = "ones"})(
                                      layers::concatenate({a, b}))});
  Tensor xa = testing::matrix({{1, 2}, {3, 4}});
  Tensor xb = testing::matrix({{10}, {20}});
  const Tensor by_name = model->predict(std::map<std::string, Tensor>{{"b", xb}, {"a", xa}}, {.verbose = 0});
  EXPECT_TRUE(all_close(by_name, testing::matrix({{13}, {27}})));
  EXPECT_THROW(model->predict(std::map<std::string, Tensor>{{"a", xa}}, {.verbose = 0}), ValueError);
  EXPECT_THROW(model->predict(Tensors{xa}, {.verbose = 0}), ValueError);
}

TEST(Trainer, AFrozenSubModelKeepsItsWeights) {
  Tensor in = Input({3});
  auto inner = make_model({in}, {layers::Dense(4)(in)});
  inner->set_trainable(false);
  Tensor outer_in = Input({3});
  auto model = make_model({outer_in}, {layers::Dense(1)(inner(outer_in))});
  EXPECT_EQ(model->trainable_weights().size(), 2u);
  EXPECT_EQ(model->non_trainable_weights().size(), 2u);
  model->compile({.optimizer = sgd(0.1), .loss = "mse"});
  const Tensors frozen = inner->get_weights();
  const Tensors before = model->get_weights();
  model->fit(testing::test_input({8, 3}, 50).astype(DType::float32), testing::test_input({8, 1}, 51).astype(DType::float32),
             {.epochs = 2, .verbose = 0});
  const Tensors after = inner->get_weights();
  EXPECT_TRUE(all_close(after[0], frozen[0], 0, 0));
  EXPECT_FALSE(all_close(model->get_weights().back(), before.back(), 0, 0));
}

class SquaresDataset : public PyDataset {
 public:
  std::size_t size() const override { return 4; }
  Batch get(std::size_t index) override {
    ++gets;
    Tensor x = testing::test_input({8, 2}, 20 + index).astype(DType::float32);
    return {{x}, {ops::sum(x, -1, true)}, {}};
  }
  void on_epoch_end() override { ++epochs; }
  int gets = 0;
  int epochs = 0;
};

TEST(Trainer, FitsAPyDataset) {
  ModelPtr model = linear_model();
  model->compile({.optimizer = sgd(0.1), .loss = "mse"});
  SquaresDataset data;
  auto history = model->fit(data, {.epochs = 3, .verbose = 0});
  EXPECT_EQ(data.gets, 12);
  EXPECT_EQ(data.epochs, 3);
  EXPECT_LT(history.history["loss"][2], history.history["loss"][0]);
  const Scores s = model->evaluate(data, {.verbose = 0});
  EXPECT_EQ(s.size(), 1u);
}

TEST(Trainer, SequentialLearnsAndInitialEpochResumesNumbering) {
  utils::set_random_seed(3);
  Sequential model;
  model.add(Input({4}));
  model.add(layers::Dense(16, {.activation = "relu"}));
  model.add(layers::Dense(3, {.activation = "softmax"}));
  model.compile({.optimizer = std::make_shared<optimizers::Adam>(optimizers::AdamOptions{.learning_rate = 0.01}),
                 .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"}});
  // Three well-separated clusters.
  Tensor labels = Tensor::from_vector(std::vector<std::int32_t>{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}, {12});
  Tensor centers({{2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 0}});
  Tensor x = ops::add(ops::take(centers, labels, 0), ops::multiply(testing::test_input({12, 4}, 30).astype(DType::float32), 0.3));
  auto history = model.fit(x, labels, {.batch_size = 4, .epochs = 60, .verbose = 0, .initial_epoch = 10});
  EXPECT_EQ(history.epoch.front(), 10);
  EXPECT_EQ(history.epoch.size(), 50u);
  EXPECT_GT(history.history["accuracy"].back(), 0.99);
  EXPECT_LT(history.history["loss"].back(), history.history["loss"].front());
}

}  // namespace
}  // namespace keras
