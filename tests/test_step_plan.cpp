// Trace once, run many: a model compiled normally replays its traced steps, and every
// figure it produces (losses, metrics, weights, predictions) equals, bit for bit, the same
// training run with `run_eagerly = true`: the replay runs the very kernels the eager step
// runs, dropout masks included. Steps the trace cannot reproduce run eagerly.
#include <functional>

#include "keras/input.hpp"
#include "keras/layers.hpp"
#include "keras/memory.hpp"
#include "keras/model.hpp"
#include "keras/random.hpp"
#include "keras/sequential.hpp"
#include "test_util.hpp"
#include "trainers/plan_access.hpp"

namespace keras {
namespace {

using trainers::PlanAccess;

struct TrainedRun {
  ModelPtr model;
  std::map<std::string, std::vector<double>> history;
  Tensors weights;
  Tensors prediction;
  Scores scores;
};

struct Scenario {
  std::function<ModelPtr()> make;
  CompileOptions compile;
  ArrayData x, y;
  FitOptions fit;
};

// Trains a fresh model (its initial weights fixed by the seed) and reports everything.
TrainedRun train(const Scenario& setup, bool run_eagerly) {
  utils::set_random_seed(11);
  TrainedRun run;
  run.model = setup.make();
  CompileOptions options = setup.compile;
  options.run_eagerly = run_eagerly;
  run.model->compile(options);
  utils::set_random_seed(12);
  run.history = run.model->fit(setup.x, setup.y, setup.fit).history;
  run.weights = run.model->get_weights();
  run.prediction = run.model->predict(setup.x, {.batch_size = 16, .verbose = 0});
  run.scores = run.model->evaluate(setup.x, setup.y, {.batch_size = 16, .verbose = 0});
  return run;
}

bool bit_equal(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && a.to_vector<double>() == b.to_vector<double>();
}

// Trains the setup both ways and checks that the two runs agree exactly; returns the
// traced run.
TrainedRun expect_replay_equals_eager(const Scenario& setup) {
  const TrainedRun eager = train(setup, true);
  const TrainedRun traced = train(setup, false);
  EXPECT_EQ(traced.history, eager.history);
  EXPECT_EQ(traced.weights.size(), eager.weights.size());
  for (std::size_t i = 0; i < eager.weights.size() && i < traced.weights.size(); ++i) {
    EXPECT_TRUE(bit_equal(traced.weights[i], eager.weights[i])) << "weight " << i;
  }
  EXPECT_EQ(traced.prediction.size(), eager.prediction.size());
  for (std::size_t i = 0; i < eager.prediction.size() && i < traced.prediction.size(); ++i) {
    EXPECT_TRUE(bit_equal(traced.prediction[i], eager.prediction[i])) << "prediction " << i;
  }
  EXPECT_EQ(static_cast<const std::vector<double>&>(traced.scores), static_cast<const std::vector<double>&>(eager.scores));
  EXPECT_EQ(PlanAccess::plans(*eager.model).replays(), 0u);
  return traced;
}

Tensor one_hot_targets(std::int64_t n, std::int64_t classes, std::uint64_t seed) {
  const Tensor labels = ops::cast(ops::floor(ops::multiply(testing::test_input({n}, seed, 0.0, 0.999), double(classes))),
                                  DType::int32);
  return ops::one_hot(labels, classes);
}

// One batch of 16 for the MLP.
Tensor mlp_batch_x() { return testing::test_input({16, 8}, 1).astype(DType::float32); }
Tensor mlp_batch_y() { return one_hot_targets(16, 4, 2); }

Scenario mlp_setup() {
  return Scenario{.make =
                   []() -> ModelPtr {
                     auto model = std::make_shared<Sequential>();
                     model->add(Input({8}));
                     model->add(layers::Dense(16, {.activation = "relu"}));
                     model->add(layers::Dropout(0.3));
                     model->add(layers::Dense(4, {.activation = "softmax"}));
                     return ModelPtr(std::shared_ptr<Model>(model));
                   },
               .compile = {.optimizer = "rmsprop", .loss = "categorical_crossentropy", .metrics = {"accuracy"}},
               .x = testing::test_input({50, 8}, 1).astype(DType::float32),
               .y = one_hot_targets(50, 4, 2),
               .fit = {.batch_size = 16, .epochs = 3, .verbose = 0}};
}

TEST(StepPlan, TrainingReplaysTheTracedStepBitForBit) {
  const TrainedRun traced = expect_replay_equals_eager(mlp_setup());
  const auto& plans = PlanAccess::plans(*traced.model);
  // 50 samples in batches of 16: three full batches and one of 2 per epoch. The full
  // batch is traced at its second sight, the last batch at its second epoch; 3 + 3 + 1
  // training replays, then predict and evaluate (4 batches each: traced at the second).
  EXPECT_GE(plans.replays(), 7u);
  EXPECT_TRUE(plans.refusals().empty()) << plans.refusals().at(0);
}

TEST(StepPlan, AReplayAllocatesFarLessThanAnEagerStep) {
  auto count_allocations = [](bool run_eagerly) {
    Scenario setup = mlp_setup();
    utils::set_random_seed(3);
    ModelPtr model = setup.make();
    CompileOptions options = setup.compile;
    options.run_eagerly = run_eagerly;
    model->compile(options);
    const Tensor x = mlp_batch_x();
    const Tensor y = mlp_batch_y();
    for (int i = 0; i < 3; ++i) model->train_on_batch(x, y);  // built, traced, replayed
    const auto before = memory::stats();
    model->train_on_batch(x, y);
    const auto after = memory::stats();
    EXPECT_EQ(after.system_allocations, before.system_allocations);
    return after.cache_hits - before.cache_hits;
  };
  const auto eager = count_allocations(true);
  const auto traced = count_allocations(false);
  // What a replayed step still allocates is the optimizer's and the metrics' eager work.
  EXPECT_LT(traced * 2, eager) << "traced " << traced << ", eager " << eager;
}

TEST(StepPlan, TheArenaPacksTheStepsBuffersByLiveness) {
  Scenario setup = mlp_setup();
  const TrainedRun traced = train(setup, false);
  const auto plans = PlanAccess::plans(*traced.model).plans();
  ASSERT_FALSE(plans.empty());
  for (const auto* plan : plans) {
    EXPECT_GT(plan->kernel_calls(), 0u);
    EXPECT_GT(plan->arena_bytes(), 0u);
    // Buffers with disjoint lifetimes share memory.
    EXPECT_GT(plan->bytes_saved(), 0u);
  }
}

TEST(StepPlan, AConvNetWithAdamReplaysExactly) {
  Scenario setup{.make =
                  []() -> ModelPtr {
                    auto model = std::make_shared<Sequential>();
                    model->add(Input({8, 8, 2}));
                    model->add(layers::Conv2D(4, {3, 3}, {.padding = "same", .activation = "relu"}));
                    model->add(layers::MaxPooling2D({2, 2}));
                    model->add(layers::Dropout(0.25));
                    model->add(layers::Flatten());
                    model->add(layers::Dense(3, {.activation = "softmax"}));
                    return ModelPtr(std::shared_ptr<Model>(model));
                  },
              .compile = {.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}},
              .x = testing::test_input({20, 8, 8, 2}, 5).astype(DType::float32),
              .y = one_hot_targets(20, 3, 6),
              .fit = {.batch_size = 8, .epochs = 3, .verbose = 0}};
  const TrainedRun traced = expect_replay_equals_eager(setup);
  EXPECT_GT(PlanAccess::plans(*traced.model).replays(), 0u);
}

TEST(StepPlan, AnLstmWithBothDropoutsReplaysExactly) {
  Scenario setup{.make =
                  []() -> ModelPtr {
                    Tensor in = Input({5}, {.dtype = DType::int32});
                    Tensor h = layers::Embedding(10, 4)(in);
                    h = layers::LSTM(6, {.dropout = 0.2, .recurrent_dropout = 0.2})(h);
                    return make_model({in}, {layers::Dense(1, {.activation = "sigmoid"})(h)});
                  },
              .compile = {.optimizer = "sgd", .loss = "binary_crossentropy"},
              .x = ops::cast(ops::floor(ops::multiply(testing::test_input({12, 5}, 7, 0.0, 0.999), 10.0)), DType::int32),
              .y = ops::cast(ops::greater(testing::test_input({12, 1}, 8), 0.0), DType::float32),
              .fit = {.batch_size = 4, .epochs = 3, .verbose = 0}};
  const TrainedRun traced = expect_replay_equals_eager(setup);
  EXPECT_GT(PlanAccess::plans(*traced.model).replays(), 0u);
}

TEST(StepPlan, MasksOfTheOutputsReachTheMetricsOfAReplay) {
  // Padded steps (id 0) are masked: the loss and "mae" of a replay skip them too.
  const Tensor ids = Tensor::from_vector(std::vector<std::int32_t>{1, 2, 3, 0, 0, 4, 5, 6, 7, 0, 8, 9, 1, 2, 3, 3, 0, 0, 0, 0},
                                         {4, 5});
  Scenario setup{.make =
                     []() -> ModelPtr {
                       auto model = std::make_shared<Sequential>();
                       model->add(Input({5}, {.dtype = DType::int32}));
                       model->add(layers::Embedding(10, 3, {.mask_zero = true}));
                       model->add(layers::LSTM(4, {.return_sequences = true}));
                       model->add(layers::Dense(1));
                       return ModelPtr(std::shared_ptr<Model>(model));
                     },
                 .compile = {.optimizer = "sgd", .loss = "mse", .metrics = {"mae"}},
                 .x = ids,
                 .y = ops::where(ops::expand_dims(ops::equal(ids, 0), -1), 100.0,
                                 ops::reshape(ops::cast(ids, DType::float32), {4, 5, 1})),
                 .fit = {.batch_size = 2, .epochs = 3, .verbose = 0}};
  const TrainedRun traced = expect_replay_equals_eager(setup);
  EXPECT_GT(PlanAccess::plans(*traced.model).replays(), 0u);
}

TEST(StepPlan, MultiOutputModelsReplayTheirPerOutputLosses) {
  Scenario setup{.make =
                     []() -> ModelPtr {
                       Tensor in = Input({4}, {.name = "x"});
                       Tensor h = layers::Dense(6, {.activation = "relu"})(in);
                       Tensor a = layers::Dense(1, {.name = "a"})(h);
                       Tensor b = layers::Dense(3, {.activation = "softmax", .name = "b"})(h);
                       return make_model({in}, {a, b});
                     },
                 .compile = {.optimizer = "adam",
                             .loss = std::vector<losses::LossArg>{"mse", "categorical_crossentropy"},
                             .loss_weights = std::vector<double>{1.0, 0.5},
                             .metrics = std::vector<std::vector<metrics::MetricArg>>{{"mae"}, {"accuracy"}}},
                 .x = testing::test_input({20, 4}, 13).astype(DType::float32),
                 .y = Tensors{testing::test_input({20, 1}, 14).astype(DType::float32), one_hot_targets(20, 3, 15)},
                 .fit = {.batch_size = 8, .epochs = 3, .verbose = 0}};
  const TrainedRun traced = expect_replay_equals_eager(setup);
  EXPECT_EQ(traced.history.count("a_loss"), 1u);
  EXPECT_EQ(traced.history.count("b_loss"), 1u);
  const auto& plans = PlanAccess::plans(*traced.model);
  EXPECT_GT(plans.replays(), 0u);
  EXPECT_EQ(plans.refusals(), std::vector<std::string>{});
}

TEST(StepPlan, BatchNormalizationMovingStatisticsReplayExactly) {
  Scenario setup{.make =
                  []() -> ModelPtr {
                    auto model = std::make_shared<Sequential>();
                    model->add(Input({6}));
                    model->add(layers::Dense(5));
                    model->add(layers::BatchNormalization());
                    model->add(layers::Dense(1));
                    return ModelPtr(std::shared_ptr<Model>(model));
                  },
              .compile = {.optimizer = "sgd", .loss = "mse"},
              .x = testing::test_input({24, 6}, 9).astype(DType::float32),
              .y = testing::test_input({24, 1}, 10).astype(DType::float32),
              .fit = {.batch_size = 8, .epochs = 3, .verbose = 0}};
  const TrainedRun traced = expect_replay_equals_eager(setup);
  // The moving statistics are assigned in place inside the step, so it replays.
  const auto& plans = PlanAccess::plans(*traced.model);
  EXPECT_GT(plans.replays(), 0u);
  EXPECT_EQ(plans.refusals(), std::vector<std::string>{});
}

TEST(StepPlan, AStepThatReadsValuesOnTheHostStaysEager) {
  // The hinge losses look at the labels (0/1 or -1/1) on the host: that is refused.
  Scenario setup{.make =
                  []() -> ModelPtr {
                    auto model = std::make_shared<Sequential>();
                    model->add(Input({3}));
                    model->add(layers::Dense(1, {.activation = "tanh"}));
                    return ModelPtr(std::shared_ptr<Model>(model));
                  },
              .compile = {.optimizer = "sgd", .loss = "hinge"},
              .x = testing::test_input({12, 3}, 11).astype(DType::float32),
              .y = ops::cast(ops::greater(testing::test_input({12, 1}, 12), 0.0), DType::float32),
              .fit = {.batch_size = 4, .epochs = 2, .verbose = 0}};
  const TrainedRun traced = expect_replay_equals_eager(setup);
  const auto refusals = PlanAccess::plans(*traced.model).refusals();
  ASSERT_FALSE(refusals.empty());
  EXPECT_EQ(refusals[0], "it reads tensor values on the host");
}

TEST(StepPlan, WeightsSetBetweenReplaysAreUsed) {
  const Scenario setup = mlp_setup();
  utils::set_random_seed(4);
  ModelPtr model = setup.make();
  model->compile(setup.compile);
  const Tensor x = mlp_batch_x();
  for (int i = 0; i < 3; ++i) model->predict_on_batch(x);  // traced at the second call
  ASSERT_GT(PlanAccess::plans(*model).replays(), 0u);
  Tensors weights = model->get_weights();
  for (auto& w : weights) w = ops::multiply(w, 0.5);
  model->set_weights(weights);
  const Tensor replayed = model->predict_on_batch(x)[0];
  utils::set_random_seed(4);
  ModelPtr reference = setup.make();
  reference->set_weights(weights);
  reference->compile({.run_eagerly = true});
  EXPECT_TRUE(bit_equal(replayed, reference->predict_on_batch(x)[0]));
}

TEST(StepPlan, FreezingALayerRetracesTheStep) {
  const Scenario setup = mlp_setup();
  utils::set_random_seed(4);
  ModelPtr model = setup.make();
  model->compile(setup.compile);
  const Tensor x = mlp_batch_x();
  const Tensor y = mlp_batch_y();
  for (int i = 0; i < 4; ++i) model->train_on_batch(x, y);
  ASSERT_GT(PlanAccess::plans(*model).replays(), 0u);
  model->layers()[0]->set_trainable(false);
  const Tensors frozen = model->layers()[0]->get_weights();
  for (int i = 0; i < 4; ++i) model->train_on_batch(x, y);
  const Tensors after = model->layers()[0]->get_weights();
  for (std::size_t i = 0; i < frozen.size(); ++i) EXPECT_TRUE(bit_equal(frozen[i], after[i]));
}

TEST(StepPlan, InputsOfEverChangingShapesHoldABoundedNumberOfPlans) {
  const Scenario setup = mlp_setup();
  utils::set_random_seed(4);
  ModelPtr model = setup.make();
  model->compile(setup.compile);
  utils::set_random_seed(4);
  ModelPtr reference = setup.make();
  reference->compile({.run_eagerly = true});
  const auto& plans = PlanAccess::plans(*model);
  const auto limit = static_cast<std::int64_t>(trainers::StepPlans::max_plans);
  // Batch sizes 1 .. limit + 4, then 1 again (by then its plan has gone): each seen three
  // times, so each is traced and replayed once.
  std::vector<std::int64_t> sizes;
  for (std::int64_t n = 1; n <= limit + 4; ++n) sizes.push_back(n);
  sizes.push_back(1);
  for (const std::int64_t n : sizes) {
    const Tensor x = testing::test_input({n, 8}, 7).astype(DType::float32);
    const Tensor expected = reference->predict_on_batch(x)[0];
    const auto replays_before = plans.replays();
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(bit_equal(model->predict_on_batch(x)[0], expected)) << "batch " << n;
    EXPECT_GT(plans.replays(), replays_before) << "batch " << n;
    EXPECT_LE(plans.plans().size(), trainers::StepPlans::max_plans);
  }
  EXPECT_EQ(plans.plans().size(), trainers::StepPlans::max_plans);
}

}  // namespace
}  // namespace keras
