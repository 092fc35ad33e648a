// keras::activations (include/keras/activations.hpp): forward values against
// tests/golden/gen_activations.py (torch.nn.functional, or numpy from Keras's definitions,
// in float64), finite-difference gradients, the name registry (get, names, aliases),
// ActivationArg and serialize / deserialize, and the errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "keras/activations.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using nlohmann::json;
using testing::all_close;
using testing::check_gradients;

constexpr DType f64 = DType::float64;
constexpr double kTol = 1e-12;

Tensor gold(const std::string& name) { return testing::golden("activations/" + name); }

using testing::value_error;

// Gradient check of a one-tensor activation at the golden input (float64; random points in
// [-4, 4] fall on no kink of the piecewise functions).
::testing::AssertionResult grad_ok(const activations::Activation& fn, const Tensor& x) {
  return check_gradients([&](const std::vector<Tensor>& xs) { return fn(xs[0]); }, {x});
}

TEST(Activations, GoldenInputIsFloat64) {
  const Tensor x = gold("x");
  EXPECT_EQ(x.dtype(), f64);
  EXPECT_EQ(x.shape(), (Shape{6, 8}));
}

// ---- forward values against the goldens ------------------------------------------------------

TEST(Activations, CeluMatchesTorch) {
  const Tensor x = gold("x");
  EXPECT_TRUE(all_close(activations::celu(x), gold("celu"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::celu(x, 0.5), gold("celu_0.5"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::get("celu")(x), gold("celu"), kTol, kTol));
}

TEST(Activations, EluAndLeakyReluMatchTorch) {
  const Tensor x = gold("x");
  EXPECT_TRUE(all_close(activations::elu(x, 0.3), gold("elu_0.3"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::leaky_relu(x, 0.1), gold("leaky_relu_0.1"), kTol, kTol));
  // Keras's activation default slope is 0.2: leaky_relu(x) = where(x >= 0, x, 0.2 x).
  EXPECT_TRUE(all_close(activations::leaky_relu(x), ops::where(ops::greater_equal(x, 0.0), x, ops::multiply(x, 0.2)),
                        kTol, kTol));
  // elu's default alpha is 1: compare with celu(alpha=1), which is the same function.
  EXPECT_TRUE(all_close(activations::elu(x), gold("celu"), kTol, kTol));
}

TEST(Activations, SigmoidFamilyMatchesReferences) {
  const Tensor x = gold("x");
  EXPECT_TRUE(all_close(activations::log_sigmoid(x), gold("log_sigmoid"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::sparse_sigmoid(x), gold("sparse_sigmoid"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::hard_silu(x), gold("hard_silu"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::get("hard_swish")(x), gold("hard_silu"), kTol, kTol));
}

TEST(Activations, ShrinkAndTanhFamilyMatchTorch) {
  const Tensor x = gold("x");
  EXPECT_TRUE(all_close(activations::tanh_shrink(x), gold("tanh_shrink"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::hard_tanh(x), gold("hard_tanh"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::soft_shrink(x), gold("soft_shrink"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::soft_shrink(x, 1.5), gold("soft_shrink_1.5"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::hard_shrink(x), gold("hard_shrink"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::hard_shrink(x, 1.5), gold("hard_shrink_1.5"), kTol, kTol));
}

TEST(Activations, GluMatchesTorch) {
  const Tensor x = gold("x");
  const Tensor y = activations::glu(x);
  EXPECT_EQ(y.shape(), (Shape{6, 4}));
  EXPECT_TRUE(all_close(y, gold("glu"), kTol, kTol));
  const Tensor y0 = activations::glu(x, 0);
  EXPECT_EQ(y0.shape(), (Shape{3, 8}));
  EXPECT_TRUE(all_close(y0, gold("glu_axis0"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::glu(x, -2), gold("glu_axis0"), kTol, kTol));
}

TEST(Activations, MishGeluMatchTorch) {
  const Tensor x = gold("x");
  EXPECT_TRUE(all_close(activations::mish(x), gold("mish"), kTol, kTol));
  // keras.activations.gelu defaults to the exact (erf) form.
  EXPECT_TRUE(all_close(activations::gelu(x), gold("gelu"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::gelu(x, false), gold("gelu"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::gelu(x, true), gold("gelu_tanh"), kTol, kTol));
  EXPECT_FALSE(all_close(gold("gelu"), gold("gelu_tanh"), 1e-6, 0));  // the two forms do differ
}

TEST(Activations, SparsePlusSquareplusMatchDefinitions) {
  const Tensor x = gold("x");
  EXPECT_TRUE(all_close(activations::sparse_plus(x), gold("sparse_plus"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::squareplus(x), gold("squareplus"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::squareplus(x, 4.0), gold("squareplus"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::squareplus(x, 1.0), gold("squareplus_1"), kTol, kTol));
}

TEST(Activations, ReluOptionsMatchTheDefinition) {
  const Tensor x = gold("x");
  using activations::ReluOptions;
  EXPECT_TRUE(all_close(activations::relu(x, ReluOptions{.negative_slope = 0.1}), gold("relu_slope"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::relu(x, ReluOptions{.max_value = 2.5}), gold("relu_max"), kTol, kTol));
  // max_value 6 takes Keras's relu6 path.
  EXPECT_TRUE(all_close(activations::relu(ops::multiply(x, 2.0), ReluOptions{.max_value = 6.0}),
                        gold("relu_max6_of_2x"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::relu6(ops::multiply(x, 2.0)), gold("relu_max6_of_2x"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::relu(x, ReluOptions{.threshold = 1.3}), gold("relu_threshold"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::relu(x, ReluOptions{.negative_slope = 0.3, .max_value = 1.7}),
                        gold("relu_slope_max"), kTol, kTol));
  // Defaults are the plain relu: relu_slope with slope 0 is max(x, 0).
  EXPECT_TRUE(all_close(activations::relu(x), ops::maximum(x, 0.0), 0, 0));
  EXPECT_TRUE(all_close(activations::relu(x, ReluOptions{}), ops::maximum(x, 0.0), 0, 0));
}

// relu_all (negative_slope 0.2, max_value 3, threshold -0.7) is generated from the ReLU
// docstring's piecewise definition, which gives f(x) = x for threshold <= x < 0. Keras's
// own ReLU.static_call (keras/src/layers/activations/relu.py, and keras.activations.relu,
// which calls it) computes x * (x > threshold), then clips to [0, max_value], so it gives 0
// there; the library follows Keras's code. The golden is compared where both agree, and
// Keras's value is asserted on threshold < x < 0.
TEST(Activations, ReluAllOptionsWithNegativeThreshold) {
  const Tensor x = gold("x");
  const Tensor y = activations::relu(x, {.negative_slope = 0.2, .max_value = 3.0, .threshold = -0.7});
  const Tensor disputed = ops::logical_and(ops::greater(x, -0.7), ops::less(x, 0.0));
  EXPECT_GT(ops::sum(ops::cast(disputed, f64)).item<double>(), 0.0);
  EXPECT_TRUE(all_close(ops::where(disputed, 0.0, y), ops::where(disputed, 0.0, gold("relu_all")), kTol, kTol));
  EXPECT_TRUE(all_close(ops::where(disputed, y, 0.0), ops::zeros_like(x), 0, 0));
  // Elsewhere: below the threshold 0.2 * (x - threshold), above it x, capped at 3.
  const Tensor expected = ops::where(ops::less_equal(x, -0.7), ops::multiply(ops::add(x, 0.7), 0.2),
                                     ops::where(ops::less(x, 0.0), 0.0, ops::minimum(x, 3.0)));
  EXPECT_TRUE(all_close(y, expected, kTol, kTol));
}

// ---- other built-ins, against their closed forms ------------------------------------------------

TEST(Activations, OtherBuiltinsMatchClosedForms) {
  const Tensor x = gold("x");
  const auto xv = x.to_vector<double>();
  auto expect_map = [&](const Tensor& y, double (*f)(double), const char* what) {
    const auto yv = y.to_vector<double>();
    ASSERT_EQ(yv.size(), xv.size()) << what;
    for (std::size_t i = 0; i < xv.size(); ++i) {
      EXPECT_NEAR(yv[i], f(xv[i]), 1e-12 + 1e-12 * std::abs(f(xv[i]))) << what << " at " << xv[i];
    }
  };
  expect_map(activations::sigmoid(x), [](double v) { return 1.0 / (1.0 + std::exp(-v)); }, "sigmoid");
  expect_map(activations::softplus(x), [](double v) { return std::log1p(std::exp(v)); }, "softplus");
  expect_map(activations::softsign(x), [](double v) { return v / (1.0 + std::abs(v)); }, "softsign");
  expect_map(activations::silu(x), [](double v) { return v / (1.0 + std::exp(-v)); }, "silu");
  expect_map(activations::tanh(x), [](double v) { return std::tanh(v); }, "tanh");
  expect_map(activations::exponential(x), [](double v) { return std::exp(v); }, "exponential");
  expect_map(activations::linear(x), [](double v) { return v; }, "linear");
  // Keras 3's hard_sigmoid: relu6(x + 3) / 6.
  expect_map(activations::hard_sigmoid(x), [](double v) { return std::clamp(v + 3.0, 0.0, 6.0) / 6.0; },
             "hard_sigmoid");
  // Keras 2's: 0.2 x + 0.5, clipped to [0, 1].
  expect_map(activations::legacy_hard_sigmoid(x), [](double v) { return std::clamp(0.2 * v + 0.5, 0.0, 1.0); },
             "legacy_hard_sigmoid");
  expect_map(activations::selu(x),
             [](double v) {
               constexpr double alpha = 1.6732632423543772848170429916717;
               constexpr double scale = 1.0507009873554804934193349852946;
               return v > 0 ? scale * v : scale * alpha * std::expm1(v);
             },
             "selu");
  // softmax / log_softmax over the last axis and over axis 0.
  for (std::int64_t axis : {-1, 0}) {
    const Tensor e = ops::exp(ops::subtract(x, ops::max(x, axis, true)));
    const Tensor expected = ops::divide(e, ops::sum(e, axis, true));
    EXPECT_TRUE(all_close(activations::softmax(x, axis), expected, kTol, kTol)) << axis;
    EXPECT_TRUE(all_close(activations::log_softmax(x, axis), ops::log(expected), kTol, kTol)) << axis;
  }
  EXPECT_TRUE(all_close(activations::softmax(x), activations::softmax(x, -1), 0, 0));
  EXPECT_TRUE(all_close(activations::log_softmax(x), activations::log_softmax(x, -1), 0, 0));
}

TEST(Activations, Float32InputsGiveFloat32Outputs) {
  const Tensor x32 = ops::cast(gold("x"), DType::float32);
  for (const char* name : {"relu", "gelu", "celu", "mish", "hard_silu", "sparse_plus", "soft_shrink"}) {
    const Tensor y = activations::get(name)(x32);
    EXPECT_EQ(y.dtype(), DType::float32) << name;
  }
  EXPECT_TRUE(all_close(activations::mish(x32), gold("mish"), 1e-5, 1e-5));
  EXPECT_TRUE(all_close(activations::gelu(x32), gold("gelu"), 1e-5, 1e-5));
}

// ---- gradients --------------------------------------------------------------------------------

TEST(Activations, GradientsOfTheGoldenActivations) {
  const Tensor x = gold("x");
  const std::vector<std::pair<std::string, activations::Activation>> fns = {
      {"celu", [](const Tensor& t) { return activations::celu(t); }},
      {"celu_0.5", [](const Tensor& t) { return activations::celu(t, 0.5); }},
      {"elu_0.3", [](const Tensor& t) { return activations::elu(t, 0.3); }},
      {"leaky_relu_0.1", [](const Tensor& t) { return activations::leaky_relu(t, 0.1); }},
      {"log_sigmoid", [](const Tensor& t) { return activations::log_sigmoid(t); }},
      {"sparse_sigmoid", [](const Tensor& t) { return activations::sparse_sigmoid(t); }},
      {"hard_silu", [](const Tensor& t) { return activations::hard_silu(t); }},
      {"tanh_shrink", [](const Tensor& t) { return activations::tanh_shrink(t); }},
      {"hard_tanh", [](const Tensor& t) { return activations::hard_tanh(t); }},
      {"soft_shrink_1.5", [](const Tensor& t) { return activations::soft_shrink(t, 1.5); }},
      {"hard_shrink", [](const Tensor& t) { return activations::hard_shrink(t); }},
      {"glu", [](const Tensor& t) { return activations::glu(t); }},
      {"glu_axis0", [](const Tensor& t) { return activations::glu(t, 0); }},
      {"mish", [](const Tensor& t) { return activations::mish(t); }},
      {"gelu", [](const Tensor& t) { return activations::gelu(t); }},
      {"gelu_tanh", [](const Tensor& t) { return activations::gelu(t, true); }},
      {"sparse_plus", [](const Tensor& t) { return activations::sparse_plus(t); }},
      {"squareplus_1", [](const Tensor& t) { return activations::squareplus(t, 1.0); }},
      {"relu_slope_max", [](const Tensor& t) {
         return activations::relu(t, {.negative_slope = 0.3, .max_value = 1.7});
       }},
      {"relu_threshold", [](const Tensor& t) { return activations::relu(t, {.threshold = 1.3}); }},
      {"relu_max6_of_2x", [](const Tensor& t) {
         return activations::relu(ops::multiply(t, 2.0), {.max_value = 6.0});
       }},
  };
  for (const auto& [name, fn] : fns) EXPECT_TRUE(grad_ok(fn, x)) << name;
}

TEST(Activations, GradientsOfEveryRegisteredName) {
  // Every name get() knows, at points away from 0 (relu's kink) and from +-1, +-3.
  const Tensor x = gold("x");
  for (const auto& name : activations::names()) {
    EXPECT_TRUE(grad_ok(activations::get(name), x)) << name;
  }
}

TEST(Activations, AnalyticDerivativesAtKnownPoints) {
  // d/dx gelu(0) = 0.5, d/dx mish(0) = tanh(log 2) = 0.6, d/dx celu(x<0, a) = exp(x / a).
  auto derivative = [](const activations::Activation& fn, double at) {
    const Tensor x = Tensor::from_vector(std::vector<double>{at}, {1});
    GradientTape tape;
    tape.watch(x);
    const Tensor y = ops::sum(fn(x));
    return tape.gradient(y, std::vector<Tensor>{x})[0].to_vector<double>()[0];
  };
  EXPECT_NEAR(derivative(activations::get("gelu"), 0.0), 0.5, 1e-12);
  EXPECT_NEAR(derivative(activations::get("mish"), 0.0), 0.6, 1e-12);
  EXPECT_NEAR(derivative([](const Tensor& t) { return activations::celu(t, 0.5); }, -1.0), std::exp(-2.0), 1e-12);
  EXPECT_NEAR(derivative(activations::get("sparse_sigmoid"), 0.3), 0.5, 1e-12);
  EXPECT_NEAR(derivative(activations::get("sparse_sigmoid"), 2.0), 0.0, 1e-12);
  EXPECT_NEAR(derivative(activations::get("squareplus"), 0.0), 0.5, 1e-12);
}

// ---- registry, ActivationArg, serialization -----------------------------------------------------------

TEST(Activations, NamesListKerasThreeActivations) {
  const auto names = activations::names();
  for (const char* expected :
       {"relu",      "relu6",       "leaky_relu",  "elu",        "selu",        "celu",     "gelu",
        "sigmoid",   "hard_sigmoid", "log_sigmoid", "sparse_sigmoid", "silu",    "swish",    "hard_silu",
        "hard_swish", "softplus",   "softsign",    "sparse_plus", "squareplus", "softmax",  "log_softmax",
        "tanh",      "tanh_shrink", "hard_tanh",   "soft_shrink", "hard_shrink", "glu",     "exponential",
        "mish",      "linear"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST(Activations, GetByNameDictAndNull) {
  const Tensor x = gold("x");
  EXPECT_TRUE(all_close(activations::get("soft_shrink")(x), gold("soft_shrink"), kTol, kTol));
  EXPECT_TRUE(all_close(activations::get(json{{"class_name", "function"}, {"config", "mish"}, {"module", "keras.activations"},
                                              {"registered_name", nullptr}})(x),
                        gold("mish"), kTol, kTol));
  // null is Keras's None: linear.
  EXPECT_TRUE(all_close(activations::get(nullptr)(x), x, 0, 0));
  EXPECT_TRUE(all_close(activations::get("swish")(x), activations::silu(x), 0, 0));
}

TEST(Activations, GetRejectsUnknownIdentifiers) {
  EXPECT_EQ(value_error([] { activations::get("no_such_fn"); }),
            "Could not interpret activation function identifier: no_such_fn");
  EXPECT_NE(value_error([] { activations::get(json{{"class_name", "Foo"}, {"config", "relu"}}); })
                .find("Could not interpret activation function identifier"),
            std::string::npos);
  EXPECT_NE(value_error([] { activations::get(json(3)); }).find("Could not interpret activation function identifier: 3"),
            std::string::npos);
  EXPECT_THROW(activations::ActivationArg("Relu"), ValueError);  // names are case-sensitive
}

TEST(Activations, ActivationArgNamesAndAliases) {
  const Tensor x = gold("x");
  activations::ActivationArg none;
  EXPECT_EQ(none.name(), "linear");
  EXPECT_TRUE(none.is_linear());
  EXPECT_TRUE(activations::ActivationArg(nullptr).is_linear());
  EXPECT_EQ(activations::ActivationArg("swish").name(), "silu");
  EXPECT_EQ(activations::ActivationArg("hard_swish").name(), "hard_silu");
  EXPECT_EQ(activations::ActivationArg(std::string("celu")).name(), "celu");
  // Built-in function pointers keep their Keras name, overloaded ones included.
  EXPECT_EQ(activations::ActivationArg(activations::gelu).name(), "gelu");
  EXPECT_EQ(activations::ActivationArg(activations::relu).name(), "relu");
  EXPECT_EQ(activations::ActivationArg(activations::mish).name(), "mish");
  EXPECT_TRUE(all_close(activations::ActivationArg(activations::mish)(x), gold("mish"), kTol, kTol));
  // A lambda has no name.
  activations::ActivationArg custom([](const Tensor& t) { return activations::celu(t, 0.5); });
  EXPECT_EQ(custom.name(), "");
  EXPECT_FALSE(custom.is_linear());
  EXPECT_TRUE(all_close(custom(x), gold("celu_0.5"), kTol, kTol));
  EXPECT_THROW(activations::ActivationArg(static_cast<activations::ActivationPointer>(nullptr)), ValueError);
}

TEST(Activations, SerializeAndDeserialize) {
  EXPECT_EQ(activations::serialize(activations::ActivationArg("hard_swish")), json("hard_silu"));
  EXPECT_EQ(activations::serialize(activations::ActivationArg()), json("linear"));
  EXPECT_EQ(activations::serialize(activations::ActivationArg(activations::tanh_shrink)), json("tanh_shrink"));
  const std::string err = value_error(
      [] { activations::serialize(activations::ActivationArg([](const Tensor& t) { return t; })); });
  EXPECT_NE(err.find("cannot be serialized"), std::string::npos) << err;
  // Every name round-trips through serialize / deserialize to the same function.
  const Tensor x = gold("x");
  for (const auto& name : activations::names()) {
    const activations::ActivationArg arg(name);
    const activations::ActivationArg back = activations::deserialize(activations::serialize(arg));
    EXPECT_EQ(back.name(), arg.name()) << name;
    EXPECT_TRUE(all_close(back(x), arg(x), 0, 0)) << name;
  }
  EXPECT_TRUE(activations::deserialize(nullptr).is_linear());
  EXPECT_EQ(activations::deserialize(json{{"class_name", "function"}, {"config", "gelu"}}).name(), "gelu");
}

TEST(Activations, Errors) {
  const std::string glu = value_error([] { activations::glu(ops::ones({2, 3}, f64)); });
  EXPECT_NE(glu.find("axis size must be divisible by 2. Received: x.shape=(2, 3)"), std::string::npos) << glu;
  EXPECT_THROW(activations::glu(ops::ones({3, 2}, f64), 0), ValueError);
  EXPECT_THROW(activations::relu(Tensor(), {.negative_slope = 0.1}), ValueError);
  EXPECT_THROW(activations::linear(Tensor()), ValueError);
}

}  // namespace
}  // namespace keras
