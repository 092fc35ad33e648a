// Optimizers and learning-rate schedules: 5-step (or 6-step) trajectories of every
// optimizer and base option (clipping, weight decay, loss scaling, constraints, schedules,
// EMA, gradient accumulation) against tests/golden/gen_optimizers.py, which writes out
// Keras 3's rules in numpy and cross-checks them with torch.optim; then state (iterations,
// slot variables and their names and order), configs, optimizers::get, OptimizerArg and
// errors; schedules' values and configs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "keras/constraints.hpp"
#include "keras/gradient_tape.hpp"
#include "keras/optimizers.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

namespace opt = optimizers;
namespace sch = optimizers::schedules;
using testing::all_close;

constexpr double kAtol = 2e-5;
constexpr double kRtol = 2e-5;

Tensor gold(const std::string& name) { return testing::golden("optimizers/" + name); }

// Entry k of a stacked float64 golden array, as float32.
Tensor slice(const Tensor& stack, std::int64_t k) {
  Shape rest(stack.shape().begin() + 1, stack.shape().end());
  const std::int64_t n = shape_size(rest);
  const auto all = stack.to_vector<float>();
  std::vector<float> part(all.begin() + k * n, all.begin() + (k + 1) * n);
  return Tensor::from_vector(part, rest);
}

Variable make_var(const std::string& golden_name, const std::string& name) {
  return Variable(gold(golden_name).astype(DType::float32), {.name = name});
}

// Applies the golden gradients step by step and compares the variables after each step.
void expect_trajectory(opt::Optimizer& o, std::vector<Variable> vars,
                       const std::vector<std::string>& grad_names,
                       const std::vector<std::string>& expected_names, int steps = 5) {
  std::vector<Tensor> grads, expected;
  for (const auto& g : grad_names) grads.push_back(gold(g));
  for (const auto& e : expected_names) expected.push_back(gold(e));
  for (int k = 0; k < steps; ++k) {
    std::vector<Tensor> gs;
    for (const auto& g : grads) gs.push_back(slice(g, k));
    o.apply(gs, vars);
    for (std::size_t i = 0; i < vars.size(); ++i) {
      EXPECT_TRUE(all_close(vars[i].value(), slice(expected[i], k), kAtol, kRtol))
          << o.class_name() << " variable " << i << " after step " << k + 1 << " (" << expected_names[i] << ")";
    }
  }
}

void expect_single(opt::Optimizer& o, const std::string& expected, int steps = 5) {
  expect_trajectory(o, {make_var("x0", "x")}, {"gx"}, {expected}, steps);
}

// ---- update rules ----

TEST(Optimizers, SGD) {
  opt::SGD o({.learning_rate = 0.1});
  expect_single(o, "sgd");
}

TEST(Optimizers, SGDMomentum) {
  opt::SGD o({.learning_rate = 0.1, .momentum = 0.9});
  expect_single(o, "sgd_momentum");
}

TEST(Optimizers, SGDNesterov) {
  opt::SGD o({.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
  expect_single(o, "sgd_nesterov");
}

TEST(Optimizers, RMSprop) {
  opt::RMSprop o({.learning_rate = 0.01});
  expect_single(o, "rmsprop");
}

TEST(Optimizers, RMSpropCentered) {
  opt::RMSprop o({.learning_rate = 0.01, .centered = true});
  expect_single(o, "rmsprop_centered");
}

TEST(Optimizers, RMSpropMomentumCentered) {
  opt::RMSprop o({.learning_rate = 0.01, .momentum = 0.5, .centered = true});
  expect_single(o, "rmsprop_momentum_centered");
}

TEST(Optimizers, Adam) {
  opt::Adam o({.learning_rate = 0.01});
  expect_single(o, "adam");
}

TEST(Optimizers, AdamAmsgrad) {
  auto o = std::make_shared<opt::Adam>(opt::AdamOptions{.learning_rate = 1e-2, .amsgrad = true});
  expect_single(*o, "adam_amsgrad");
}

TEST(Optimizers, AdamW) {
  opt::AdamW o({.learning_rate = 0.01, .weight_decay = 0.1});
  expect_single(o, "adamw");
}

TEST(Optimizers, AdamWithWeightDecay) {
  // Plain Adam with weight_decay decays too (decoupled, before the update).
  opt::Adam o({.learning_rate = 0.01, .weight_decay = 0.05});
  expect_single(o, "adam_weight_decay");
}

TEST(Optimizers, Adagrad) {
  opt::Adagrad o({.learning_rate = 0.1});
  expect_single(o, "adagrad");
}

TEST(Optimizers, Adadelta) {
  opt::Adadelta o({.learning_rate = 1.0});
  expect_single(o, "adadelta");
}

TEST(Optimizers, Adamax) {
  opt::Adamax o({.learning_rate = 0.01});
  expect_single(o, "adamax");
}

TEST(Optimizers, Nadam) {
  opt::Nadam o({.learning_rate = 0.01});
  expect_single(o, "nadam");
}

TEST(Optimizers, NadamTwoVariablesShareTheMomentumProduct) {
  opt::Nadam o({.learning_rate = 0.01});
  expect_trajectory(o, {make_var("x0", "x"), make_var("y0", "y")}, {"gx", "gy"}, {"nadam2_x", "nadam2_y"});
}

TEST(Optimizers, Lion) {
  opt::Lion o({.learning_rate = 0.01});
  expect_single(o, "lion");
}

// ---- the base apply() sequence ----

TEST(OptimizerBase, ClipNorm) {
  opt::SGD o({.learning_rate = 0.1, .clipnorm = 0.5});
  expect_single(o, "sgd_clipnorm");
}

TEST(OptimizerBase, ClipValue) {
  opt::SGD o({.learning_rate = 0.1, .clipvalue = 0.3});
  expect_single(o, "sgd_clipvalue");
}

TEST(OptimizerBase, GlobalClipNorm) {
  opt::SGD o({.learning_rate = 0.1, .global_clipnorm = 0.8});
  expect_trajectory(o, {make_var("x0", "x"), make_var("y0", "y")}, {"gx", "gy"},
                    {"sgd_global_clipnorm_x", "sgd_global_clipnorm_y"});
}

TEST(OptimizerBase, OnlyOneClipOption) {
  EXPECT_THROW(opt::SGD({.clipnorm = 1.0, .clipvalue = 1.0}), ValueError);
  EXPECT_THROW(opt::Adam({.clipnorm = 1.0, .global_clipnorm = 1.0}), ValueError);
  EXPECT_THROW(opt::RMSprop({.clipvalue = 1.0, .global_clipnorm = 1.0}), ValueError);
  EXPECT_NO_THROW(opt::SGD({.clipvalue = 1.0}));
}

TEST(OptimizerBase, LossScaleFactor) {
  // The gradients are 4x the golden ones; the optimizer divides them back.
  opt::SGD o({.learning_rate = 0.1, .momentum = 0.9, .loss_scale_factor = 4.0});
  Variable x = make_var("x0", "x");
  const Tensor gx = gold("gx");
  const Tensor expected = gold("sgd_loss_scale");
  for (int k = 0; k < 5; ++k) {
    o.apply({ops::multiply(slice(gx, k), 4.0)}, {x});
    EXPECT_TRUE(all_close(x.value(), slice(expected, k), kAtol, kRtol)) << "step " << k + 1;
  }
  // The golden equals plain SGD momentum.
  EXPECT_TRUE(all_close(gold("sgd_loss_scale"), gold("sgd_momentum"), 1e-12, 1e-12));
}

TEST(OptimizerBase, Constraint) {
  opt::SGD o({.learning_rate = 0.3});
  Variable x = make_var("x0", "x");
  o.set_constraint(x, std::make_shared<const constraints::NonNeg>());
  expect_trajectory(o, {x}, {"gx"}, {"sgd_nonneg"});
}

TEST(OptimizerBase, ScheduleDrivenLearningRate) {
  const sch::ExponentialDecay schedule({.initial_learning_rate = 0.1, .decay_steps = 2, .decay_rate = 0.5});
  opt::SGD o({.learning_rate = schedule, .momentum = 0.5});
  EXPECT_TRUE(o.has_schedule());
  EXPECT_DOUBLE_EQ(o.learning_rate(), 0.1);
  expect_single(o, "sgd_exp_decay");
  EXPECT_DOUBLE_EQ(o.learning_rate(), 0.1 * std::pow(0.5, 2.5));

  auto adam = std::make_shared<opt::Adam>(
      opt::AdamOptions{.learning_rate = std::make_shared<sch::ExponentialDecay>(sch::ExponentialDecayOptions{
                           .initial_learning_rate = 0.1, .decay_steps = 2, .decay_rate = 0.5})});
  expect_single(*adam, "adam_exp_decay");
}

TEST(OptimizerBase, SetLearningRate) {
  opt::SGD o({.learning_rate = 0.1});
  EXPECT_FALSE(o.has_schedule());
  o.set_learning_rate(0.05);
  EXPECT_DOUBLE_EQ(o.learning_rate(), 0.05);
  EXPECT_DOUBLE_EQ(o.get_config()["learning_rate"].get<double>(), 0.05);

  opt::SGD scheduled({.learning_rate = sch::CosineDecay({.initial_learning_rate = 0.1, .decay_steps = 10})});
  EXPECT_THROW(scheduled.set_learning_rate(0.05), TypeError);
}

TEST(OptimizerBase, WeightDecayExclusion) {
  // AdamW on a variable excluded by name follows plain Adam.
  opt::AdamW o({.learning_rate = 0.01, .weight_decay = 0.1});
  o.exclude_from_weight_decay({}, {"bias"});
  expect_trajectory(o, {make_var("x0", "dense/bias")}, {"gx"}, {"adam"});
  EXPECT_THROW(o.exclude_from_weight_decay({}, {"kernel"}), ValueError);

  opt::AdamW by_variable({.learning_rate = 0.01, .weight_decay = 0.1});
  Variable x = make_var("x0", "kernel");
  by_variable.exclude_from_weight_decay({x});
  expect_trajectory(by_variable, {x}, {"gx"}, {"adam"});
}

TEST(OptimizerBase, ExponentialMovingAverage) {
  opt::SGD o({.learning_rate = 0.1, .use_ema = true, .ema_momentum = 0.9, .ema_overwrite_frequency = 3});
  Variable x = make_var("x0", "x");
  const Tensor gx = gold("gx");
  const Tensor expected_x = gold("sgd_ema_x");
  const Tensor expected_avg = gold("sgd_ema_average");
  for (int k = 0; k < 5; ++k) {
    o.apply({slice(gx, k)}, {x});
    const auto vars = o.variables();
    ASSERT_EQ(vars.size(), 2u);
    EXPECT_EQ(vars[1].name(), "x_average");
    EXPECT_TRUE(all_close(x.value(), slice(expected_x, k), kAtol, kRtol)) << "step " << k + 1;
    EXPECT_TRUE(all_close(vars[1].value(), slice(expected_avg, k), kAtol, kRtol)) << "step " << k + 1;
  }

  opt::Adam adam({.learning_rate = 0.01, .use_ema = true, .ema_momentum = 0.9});
  Variable y = make_var("x0", "y");
  expect_trajectory(adam, {y}, {"gx"}, {"adam_ema_x"});
  const auto vars = adam.variables();
  ASSERT_EQ(vars.size(), 4u);
  EXPECT_EQ(vars[1].name(), "y_average");
  EXPECT_EQ(vars[2].name(), "y_momentum");
  EXPECT_TRUE(all_close(vars[1].value(), slice(gold("adam_ema_average"), 4), kAtol, kRtol));
  // finalize_variable_values copies the averages into the variables.
  adam.finalize_variable_values({y});
  EXPECT_TRUE(all_close(y.value(), slice(gold("adam_ema_average"), 4), kAtol, kRtol));

  EXPECT_THROW(opt::SGD({.use_ema = true, .ema_momentum = 1.5}), ValueError);
}

TEST(OptimizerBase, GradientAccumulation) {
  opt::SGD o({.learning_rate = 0.1, .momentum = 0.9, .gradient_accumulation_steps = 2});
  expect_single(o, "sgd_accumulate", 6);
  EXPECT_EQ(o.iterations(), 3);  // 6 apply() calls, 3 updates
  EXPECT_EQ(o.variables()[0].value().item<std::int64_t>(), 6);
  EXPECT_EQ(o.variables()[1].name(), "x_gradient_accumulator");
  EXPECT_EQ(o.variables()[2].name(), "x_momentum");

  opt::Adam adam({.learning_rate = 0.01, .gradient_accumulation_steps = 2});
  expect_single(adam, "adam_accumulate", 6);

  EXPECT_THROW(opt::SGD({.gradient_accumulation_steps = 1}), ValueError);
}

TEST(OptimizerBase, SkipsUndefinedGradients) {
  opt::SGD o({.learning_rate = 0.1});
  Variable x = make_var("x0", "x");
  Variable y = make_var("y0", "y");
  const Tensor y_before = y.value();
  o.apply({slice(gold("gx"), 0), Tensor()}, {x, y});
  EXPECT_TRUE(all_close(x.value(), slice(gold("sgd"), 0), kAtol, kRtol));
  EXPECT_TRUE(all_close(y.value(), y_before, 0, 0));
  EXPECT_EQ(o.iterations(), 1);
  EXPECT_THROW(o.apply({Tensor(), Tensor()}, {x, y}), ValueError);
}

TEST(OptimizerBase, ApplyGradientsPairsAndRebuildErrors) {
  opt::SGD o({.learning_rate = 0.1});
  Variable x = make_var("x0", "x");
  o.apply_gradients({{slice(gold("gx"), 0), x}});
  EXPECT_TRUE(o.built());
  EXPECT_TRUE(all_close(x.value(), slice(gold("sgd"), 0), kAtol, kRtol));
  // An optimizer only updates the variables it was built with.
  Variable other = make_var("x0", "other");
  EXPECT_THROW(o.apply({slice(gold("gx"), 0)}, {other}), ValueError);
  // Gradients alone update the built variables.
  o.apply({slice(gold("gx"), 1)}, {});
  EXPECT_TRUE(all_close(x.value(), slice(gold("sgd"), 1), kAtol, kRtol));
}

TEST(OptimizerBase, UpdatesInsideATapeAreNotRecorded) {
  // An optimizer step inside an active tape behaves the same and leaves the tape usable.
  opt::SGD o({.learning_rate = 0.1, .momentum = 0.9});
  Variable x = make_var("x0", "x");
  GradientTape tape({.persistent = true});
  Tensor loss = ops::sum(ops::square(x.value()));
  expect_trajectory(o, {x}, {"gx"}, {"sgd_momentum"});
  const auto grads = tape.gradient(loss, std::vector<Variable>{x});
  ASSERT_TRUE(grads[0].defined());
  EXPECT_TRUE(all_close(grads[0], ops::multiply(gold("x0").astype(DType::float32), 2.0), 1e-6, 1e-6));
}

TEST(OptimizerBase, ApplyIsInPlace) {
  opt::Adam o({.learning_rate = 0.01});
  Variable x = make_var("x0", "x");
  o.apply({slice(gold("gx"), 0)}, {x});
  const void* before = x.storage_tensor().raw_data();
  o.apply({slice(gold("gx"), 1)}, {x});
  EXPECT_EQ(x.storage_tensor().raw_data(), before);
}

// The fused kernels split a large variable into one chunk per thread: the goldens tiled
// 20000 times (120000 elements) must follow the same trajectory in every chunk.
TEST(OptimizerBase, FusedUpdatesOnLargeVariables) {
  constexpr std::int64_t kTiles = 20000;
  const auto tiled = [](const Tensor& t) { return ops::tile(t, {kTiles, 1}); };
  const auto run = [&](opt::Optimizer& o, const std::string& expected) {
    Variable x(tiled(gold("x0").astype(DType::float32)), {.name = "x"});
    for (std::int64_t k = 0; k < 5; ++k) {
      o.apply({tiled(slice(gold("gx"), k))}, {x});
      EXPECT_TRUE(all_close(x.value(), tiled(slice(gold(expected), k)), kAtol, kRtol))
          << o.class_name() << " after step " << k + 1;
    }
  };
  opt::SGD sgd({.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
  run(sgd, "sgd_nesterov");
  opt::RMSprop rmsprop({.learning_rate = 0.01, .momentum = 0.5, .centered = true});
  run(rmsprop, "rmsprop_momentum_centered");
  opt::Adam adam({.learning_rate = 1e-2, .amsgrad = true});
  run(adam, "adam_amsgrad");
}

// float64 variables update in float64 (the goldens are float64 numpy).
TEST(OptimizerBase, FusedUpdatesInFloat64) {
  opt::Adam o({.learning_rate = 0.01});
  Variable x(gold("x0"), {.name = "x"});
  ASSERT_EQ(x.dtype(), DType::float64);
  const auto step = [](const std::string& name, std::int64_t k) {
    return ops::take(gold(name), Tensor::scalar(static_cast<double>(k), DType::int64), 0);
  };
  for (std::int64_t k = 0; k < 5; ++k) {
    o.apply({step("gx", k)}, {x});
    EXPECT_TRUE(all_close(x.value(), step("adam", k), 1e-12, 1e-12)) << "after step " << k + 1;
  }
}

// A value read before a step keeps its values: the in-place update moves the variable to
// fresh storage rather than write under a live snapshot.
TEST(OptimizerBase, SnapshotsSurviveAnInPlaceStep) {
  opt::Adam o({.learning_rate = 0.01});
  Variable x = make_var("x0", "x");
  const Tensor before = x.value();
  const auto expected = before.to_vector<float>();
  o.apply({slice(gold("gx"), 0)}, {x});
  EXPECT_EQ(before.to_vector<float>(), expected);
  EXPECT_TRUE(all_close(x.value(), slice(gold("adam"), 0), kAtol, kRtol));
}

// ---- state: iterations, slots, names, order ----

TEST(OptimizerState, IterationsCount) {
  opt::Adam o;
  Variable x = make_var("x0", "x");
  EXPECT_EQ(o.iterations(), 0);
  EXPECT_FALSE(o.built());
  for (int k = 0; k < 3; ++k) o.apply({slice(gold("gx"), k)}, {x});
  EXPECT_EQ(o.iterations(), 3);
  const auto vars = o.variables();
  EXPECT_EQ(vars[0].name(), "iteration");
  EXPECT_EQ(vars[0].dtype(), DType::int64);
  EXPECT_EQ(vars[0].value().item<std::int64_t>(), 3);
  EXPECT_FALSE(vars[0].trainable());
}

std::vector<std::string> names(const opt::Optimizer& o) {
  std::vector<std::string> out;
  for (const auto& v : o.variables()) out.push_back(v.name());
  return out;
}

TEST(OptimizerState, SlotNamesAndOrder) {
  Variable kernel(ops::zeros({2, 3}), {.name = "dense/kernel"});
  Variable bias(ops::zeros({3}), {.name = "bias"});
  using V = std::vector<std::string>;

  opt::SGD sgd;
  sgd.build({kernel, bias});
  EXPECT_EQ(names(sgd), V({"iteration"}));

  opt::SGD momentum({.momentum = 0.9});
  momentum.build({kernel, bias});
  EXPECT_EQ(names(momentum), V({"iteration", "dense_kernel_momentum", "bias_momentum"}));

  opt::Adam adam({.amsgrad = true});
  adam.build({kernel, bias});
  EXPECT_EQ(names(adam), V({"iteration", "dense_kernel_momentum", "dense_kernel_velocity", "bias_momentum",
                            "bias_velocity", "dense_kernel_velocity_hat", "bias_velocity_hat"}));
  EXPECT_EQ(adam.variables()[1].shape(), Shape({2, 3}));
  EXPECT_FALSE(adam.variables()[1].trainable());

  opt::RMSprop rms({.momentum = 0.5, .centered = true});
  rms.build({bias});
  EXPECT_EQ(names(rms), V({"iteration", "bias_velocity", "bias_momentum", "bias_average_gradient"}));

  opt::Adagrad adagrad;
  adagrad.build({bias});
  EXPECT_EQ(names(adagrad), V({"iteration", "bias_accumulator"}));
  EXPECT_TRUE(all_close(adagrad.variables()[1].value(), ops::full({3}, 0.1), 1e-7, 0));

  opt::Adadelta adadelta;
  adadelta.build({bias});
  EXPECT_EQ(names(adadelta), V({"iteration", "bias_accumulated_grad", "bias_accumulated_delta_var"}));

  opt::Adamax adamax;
  adamax.build({bias});
  EXPECT_EQ(names(adamax), V({"iteration", "bias_momentum", "bias_norm"}));

  opt::Nadam nadam;
  nadam.build({kernel, bias});
  EXPECT_EQ(names(nadam), V({"iteration", "dense_kernel_momentum", "dense_kernel_velocity", "bias_momentum",
                             "bias_velocity", "u_product"}));

  opt::Lion lion;
  lion.build({bias});
  EXPECT_EQ(names(lion), V({"iteration", "bias_momentum"}));
}

TEST(OptimizerState, DefaultNames) {
  opt::Adam a;
  opt::Adam b;
  EXPECT_EQ(a.name().rfind("adam", 0), 0u);
  EXPECT_NE(a.name(), b.name());
  opt::SGD named({.name = "my_sgd"});
  EXPECT_EQ(named.name(), "my_sgd");
}

// ---- configs ----

TEST(OptimizerConfig, Keys) {
  opt::Adam adam({.learning_rate = 0.002, .beta_1 = 0.8, .amsgrad = true, .clipnorm = 1.5, .name = "a"});
  const auto c = adam.get_config();
  std::vector<std::string> keys;
  for (auto it = c.begin(); it != c.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> want = {"name",        "learning_rate",      "weight_decay",
                                   "clipnorm",    "global_clipnorm",    "clipvalue",
                                   "use_ema",     "ema_momentum",       "ema_overwrite_frequency",
                                   "loss_scale_factor", "gradient_accumulation_steps",
                                   "beta_1",      "beta_2",             "epsilon",
                                   "amsgrad"};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(keys, want);
  EXPECT_EQ(c["name"], "a");
  EXPECT_DOUBLE_EQ(c["learning_rate"].get<double>(), 0.002);
  EXPECT_DOUBLE_EQ(c["beta_1"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(c["beta_2"].get<double>(), 0.999);
  EXPECT_DOUBLE_EQ(c["epsilon"].get<double>(), 1e-7);
  EXPECT_EQ(c["amsgrad"], true);
  EXPECT_DOUBLE_EQ(c["clipnorm"].get<double>(), 1.5);
  EXPECT_TRUE(c["clipvalue"].is_null());
  EXPECT_TRUE(c["weight_decay"].is_null());
  EXPECT_EQ(c["use_ema"], false);
  EXPECT_DOUBLE_EQ(c["ema_momentum"].get<double>(), 0.99);

  auto own_keys = [](const opt::Optimizer& o) { return o.get_config().size(); };
  EXPECT_EQ(own_keys(opt::SGD()), 13u);      // momentum, nesterov
  EXPECT_EQ(own_keys(opt::RMSprop()), 15u);  // rho, momentum, epsilon, centered
  EXPECT_EQ(own_keys(opt::Adagrad()), 13u);
  EXPECT_EQ(own_keys(opt::Adadelta()), 13u);
  EXPECT_EQ(own_keys(opt::Adamax()), 14u);
  EXPECT_EQ(own_keys(opt::Nadam()), 14u);
  EXPECT_EQ(own_keys(opt::Lion()), 13u);
  EXPECT_EQ(own_keys(opt::AdamW()), 15u);
}

TEST(OptimizerConfig, Defaults) {
  EXPECT_DOUBLE_EQ(opt::SGD().get_config()["learning_rate"].get<double>(), 0.01);
  EXPECT_DOUBLE_EQ(opt::RMSprop().get_config()["rho"].get<double>(), 0.9);
  EXPECT_DOUBLE_EQ(opt::Adam().get_config()["learning_rate"].get<double>(), 0.001);
  EXPECT_DOUBLE_EQ(opt::AdamW().get_config()["weight_decay"].get<double>(), 0.004);
  EXPECT_DOUBLE_EQ(opt::Adagrad().get_config()["initial_accumulator_value"].get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(opt::Adadelta().get_config()["rho"].get<double>(), 0.95);
  EXPECT_DOUBLE_EQ(opt::Adadelta().get_config()["learning_rate"].get<double>(), 0.001);
  EXPECT_DOUBLE_EQ(opt::Lion().get_config()["beta_2"].get<double>(), 0.99);
  EXPECT_DOUBLE_EQ(opt::Lion().get_config()["learning_rate"].get<double>(), 0.001);
  EXPECT_EQ(opt::AdamW().class_name(), "AdamW");
}

TEST(OptimizerConfig, ScheduleInConfig) {
  opt::SGD o({.learning_rate = sch::ExponentialDecay({.initial_learning_rate = 0.1, .decay_steps = 10, .decay_rate = 0.9})});
  const auto c = o.get_config();
  ASSERT_TRUE(c["learning_rate"].is_object());
  EXPECT_EQ(c["learning_rate"]["class_name"], "ExponentialDecay");
  EXPECT_EQ(c["learning_rate"]["module"], "keras.optimizers.schedules");
  EXPECT_EQ(c["learning_rate"]["config"]["decay_steps"], 10);
}

TEST(OptimizerConfig, ErrorsOnConstruction) {
  EXPECT_THROW(opt::AdamW({.weight_decay = std::nullopt}), ValueError);
  EXPECT_THROW(opt::SGD({.momentum = 1.5}), ValueError);
  EXPECT_THROW(opt::Lion({.beta_1 = 0.0}), ValueError);
}

// ---- optimizers::get and OptimizerArg ----

TEST(OptimizerGet, ByName) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"sgd", "SGD"},         {"rmsprop", "RMSprop"},   {"adam", "Adam"},       {"adamw", "AdamW"},
      {"adagrad", "Adagrad"}, {"adadelta", "Adadelta"}, {"adamax", "Adamax"},   {"nadam", "Nadam"},
      {"lion", "Lion"},       {"Adam", "Adam"},         {"RMSprop", "RMSprop"}, {"SGD", "SGD"},
      {"AdamW", "AdamW"}};
  for (const auto& [name, cls] : cases) {
    auto o = opt::get(name);
    ASSERT_TRUE(o) << name;
    EXPECT_EQ(o->class_name(), cls) << name;
  }
  EXPECT_DOUBLE_EQ(opt::get("sgd")->learning_rate(), 0.01);
  EXPECT_EQ(opt::get(nullptr), nullptr);
}

TEST(OptimizerGet, UnknownName) {
  try {
    opt::get("nonexistent");
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Could not interpret optimizer identifier: nonexistent"),
              std::string::npos);
  }
  EXPECT_THROW(opt::get(nlohmann::json{{"class_name", "Nope"}, {"config", nlohmann::json::object()}}), TypeError);
  EXPECT_THROW(opt::get(nlohmann::json{{"class_name", "Adam"}, {"config", {{"bogus", 1}}}}), ValueError);
}

TEST(OptimizerGet, ConfigRoundTrip) {
  opt::RMSprop o({.learning_rate = 0.02, .rho = 0.8, .momentum = 0.3, .centered = true, .clipvalue = 0.5,
                  .name = "rms"});
  const auto again = opt::get(opt::serialize(o));
  EXPECT_EQ(again->class_name(), "RMSprop");
  EXPECT_EQ(again->get_config(), o.get_config());

  opt::Adam scheduled({.learning_rate = sch::PolynomialDecay({.initial_learning_rate = 0.1, .decay_steps = 5}),
                       .name = "adam_sched"});
  const auto back = opt::get(opt::serialize(scheduled));
  EXPECT_TRUE(back->has_schedule());
  EXPECT_EQ(back->get_config(), scheduled.get_config());

  // "decay" is accepted and ignored, as Keras.
  EXPECT_NO_THROW(opt::get(nlohmann::json{{"class_name", "SGD"}, {"config", {{"decay", 0.1}}}}));
}

TEST(OptimizerGet, OptimizerArg) {
  opt::OptimizerArg def;
  EXPECT_EQ(def.ptr()->class_name(), "RMSprop");
  opt::OptimizerArg by_name = "adam";
  EXPECT_EQ(by_name.ptr()->class_name(), "Adam");
  auto mine = std::make_shared<opt::SGD>(opt::SGDOptions{.learning_rate = 0.5});
  opt::OptimizerArg shared = mine;
  EXPECT_EQ(shared.ptr().get(), mine.get());
  EXPECT_THROW(opt::OptimizerArg("bogus").ptr(), ValueError);
}

// ---- schedules ----

void expect_schedule(const sch::LearningRateSchedule& s, const std::string& golden_name) {
  const auto expected = gold(golden_name).to_vector<double>();
  for (std::size_t step = 0; step < expected.size(); ++step) {
    EXPECT_NEAR(s(static_cast<std::int64_t>(step)), expected[step], 1e-12)
        << golden_name << " at step " << step;
  }
}

TEST(Schedules, ExponentialDecay) {
  expect_schedule(sch::ExponentialDecay({.initial_learning_rate = 0.1, .decay_steps = 3, .decay_rate = 0.9}),
                  "sched_exponential");
  expect_schedule(sch::ExponentialDecay(
                      {.initial_learning_rate = 0.1, .decay_steps = 3, .decay_rate = 0.9, .staircase = true}),
                  "sched_exponential_staircase");
  EXPECT_THROW(sch::ExponentialDecay({.initial_learning_rate = 0.1, .decay_steps = 0, .decay_rate = 0.9}),
               ValueError);
}

TEST(Schedules, InverseTimeDecay) {
  expect_schedule(sch::InverseTimeDecay({.initial_learning_rate = 0.1, .decay_steps = 2.0, .decay_rate = 0.5}),
                  "sched_inverse_time");
  expect_schedule(sch::InverseTimeDecay(
                      {.initial_learning_rate = 0.1, .decay_steps = 2.0, .decay_rate = 0.5, .staircase = true}),
                  "sched_inverse_time_staircase");
}

TEST(Schedules, PiecewiseConstantDecay) {
  expect_schedule(sch::PiecewiseConstantDecay({.boundaries = {3, 7}, .values = {1.0, 0.5, 0.1}}),
                  "sched_piecewise");
  EXPECT_THROW(sch::PiecewiseConstantDecay({.boundaries = {3, 7}, .values = {1.0, 0.5}}), ValueError);
}

TEST(Schedules, PolynomialDecay) {
  expect_schedule(sch::PolynomialDecay(
                      {.initial_learning_rate = 0.1, .decay_steps = 5, .end_learning_rate = 0.01, .power = 2.0}),
                  "sched_polynomial");
  expect_schedule(sch::PolynomialDecay({.initial_learning_rate = 0.1,
                                        .decay_steps = 5,
                                        .end_learning_rate = 0.01,
                                        .power = 2.0,
                                        .cycle = true}),
                  "sched_polynomial_cycle");
}

TEST(Schedules, CosineDecay) {
  expect_schedule(sch::CosineDecay({.initial_learning_rate = 0.1, .decay_steps = 8, .alpha = 0.1}), "sched_cosine");
  expect_schedule(sch::CosineDecay({.initial_learning_rate = 0.0,
                                    .decay_steps = 8,
                                    .alpha = 0.1,
                                    .warmup_target = 0.2,
                                    .warmup_steps = 3}),
                  "sched_cosine_warmup");
}

TEST(Schedules, CosineDecayRestarts) {
  expect_schedule(sch::CosineDecayRestarts(
                      {.initial_learning_rate = 0.1, .first_decay_steps = 3, .m_mul = 0.5, .alpha = 0.05}),
                  "sched_cosine_restarts");
  expect_schedule(sch::CosineDecayRestarts({.initial_learning_rate = 0.1,
                                            .first_decay_steps = 3,
                                            .t_mul = 1.0,
                                            .m_mul = 0.5,
                                            .alpha = 0.05}),
                  "sched_cosine_restarts_tmul1");
}

TEST(Schedules, Configs) {
  const sch::CosineDecay cosine({.initial_learning_rate = 0.1, .decay_steps = 8});
  const auto c = cosine.get_config();
  EXPECT_EQ(c.size(), 6u);
  EXPECT_EQ(c["name"], "CosineDecay");
  EXPECT_TRUE(c["warmup_target"].is_null());
  EXPECT_EQ(c["warmup_steps"], 0);
  EXPECT_DOUBLE_EQ(c["alpha"].get<double>(), 0.0);

  const sch::CosineDecayRestarts sgdr({.initial_learning_rate = 0.1, .first_decay_steps = 3});
  const auto r = sgdr.get_config();
  EXPECT_EQ(r["name"], "SGDRDecay");
  EXPECT_DOUBLE_EQ(r["t_mul"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(r["m_mul"].get<double>(), 1.0);

  const sch::PolynomialDecay poly({.initial_learning_rate = 0.1, .decay_steps = 5});
  EXPECT_DOUBLE_EQ(poly.get_config()["end_learning_rate"].get<double>(), 0.0001);
  EXPECT_EQ(sch::PiecewiseConstantDecay({.boundaries = {1}, .values = {1.0, 0.5}}).get_config()["name"],
            "PiecewiseConstant");
  EXPECT_EQ(sch::ExponentialDecay({.initial_learning_rate = 1, .decay_steps = 1, .decay_rate = 0.5})
                .get_config()
                .size(),
            5u);

  // serialize / deserialize round trips.
  const std::vector<sch::LearningRateSchedulePtr> all = {
      std::make_shared<sch::ExponentialDecay>(sch::ExponentialDecayOptions{0.1, 3, 0.9, true, "e"}),
      std::make_shared<sch::InverseTimeDecay>(sch::InverseTimeDecayOptions{0.1, 2.0, 0.5}),
      std::make_shared<sch::PiecewiseConstantDecay>(sch::PiecewiseConstantDecayOptions{{3, 7}, {1.0, 0.5, 0.1}}),
      std::make_shared<sch::PolynomialDecay>(sch::PolynomialDecayOptions{0.1, 5, 0.01, 2.0, true}),
      std::make_shared<sch::CosineDecay>(sch::CosineDecayOptions{0.0, 8, 0.1, "c", 0.2, 3}),
      std::make_shared<sch::CosineDecayRestarts>(sch::CosineDecayRestartsOptions{0.1, 3, 2.0, 0.5, 0.05})};
  for (const auto& s : all) {
    const auto back = sch::deserialize(sch::serialize(*s));
    EXPECT_EQ(back->class_name(), s->class_name());
    EXPECT_EQ(back->get_config(), s->get_config()) << s->class_name();
    for (std::int64_t step : {0, 1, 4, 9}) EXPECT_DOUBLE_EQ((*back)(step), (*s)(step));
  }
  EXPECT_THROW(sch::deserialize(nlohmann::json{{"class_name", "Nope"}, {"config", nlohmann::json::object()}}),
               TypeError);
}

}  // namespace
}  // namespace keras
