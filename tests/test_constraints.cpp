// keras::constraints (include/keras/constraints.hpp): projections against
// tests/golden/gen_constraints.py (numpy, float64, epsilon 1e-7 beside the norms), the
// resulting norms, configs and keras.constraints.get / serialize, callables, their use on
// a layer's weights, and the errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keras/constraints.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using nlohmann::json;
using testing::all_close;

constexpr DType f64 = DType::float64;
constexpr double kTol = 1e-12;

Tensor gold(const std::string& name) { return testing::golden("constraints/" + name); }

using testing::value_error;

// sqrt(sum(w^2, axes)) as a flat list.
std::vector<double> norms(const Tensor& w, const std::vector<std::int64_t>& axes) {
  return ops::sqrt(ops::sum(ops::square(w), ops::Axes(axes))).to_vector<double>();
}

// ---- projections against the goldens -----------------------------------------------------------

TEST(Constraints, GoldenInputs) {
  EXPECT_EQ(gold("w").shape(), (Shape{4, 6}));
  EXPECT_EQ(gold("w").dtype(), f64);
  EXPECT_EQ(gold("k").shape(), (Shape{3, 3, 2, 4}));
}

TEST(Constraints, MaxNormMatchesNumpy) {
  const Tensor w = gold("w");
  const Tensor k = gold("k");
  EXPECT_TRUE(all_close(constraints::MaxNorm({.max_value = 1.5, .axis = 0})(w), gold("max_norm_1.5_axis0"), kTol, kTol));
  EXPECT_TRUE(all_close(constraints::MaxNorm({.max_value = 2.0, .axis = 1})(w), gold("max_norm_2_axis1"), kTol, kTol));
  EXPECT_TRUE(all_close(constraints::MaxNorm({.max_value = 1.0, .axis = {0, 1, 2}})(k), gold("max_norm_1_k012"), kTol,
                        kTol));
  // Defaults: max_value 2, axis 0.
  EXPECT_TRUE(all_close(constraints::max_norm({.max_value = 1.5})(w), gold("max_norm_1.5_axis0"), kTol, kTol));
  // Negative axes count from the end.
  EXPECT_TRUE(all_close(constraints::MaxNorm({.max_value = 2.0, .axis = -1})(w), gold("max_norm_2_axis1"), kTol, kTol));
  // Columns over the bound end (just under) it; the others keep their norm.
  const auto before = norms(w, {0});
  const auto after = norms(constraints::MaxNorm({.max_value = 1.5})(w), {0});
  bool some_clipped = false;
  bool some_kept = false;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i] > 1.5) {
      some_clipped = true;
      EXPECT_NEAR(after[i], 1.5, 1e-6) << i;
    } else {
      some_kept = true;
      EXPECT_NEAR(after[i], before[i], 1e-6) << i;
    }
  }
  EXPECT_TRUE(some_clipped);
  EXPECT_TRUE(some_kept);
}

TEST(Constraints, MinMaxNormMatchesNumpy) {
  const Tensor w = gold("w");
  EXPECT_TRUE(all_close(constraints::MinMaxNorm({.min_value = 0.5, .max_value = 1.0, .rate = 0.7, .axis = 0})(w),
                        gold("min_max_norm_0.5_1_rate0.7_axis0"), kTol, kTol));
  EXPECT_TRUE(all_close(constraints::MinMaxNorm()(w), gold("min_max_norm_default"), kTol, kTol));
  EXPECT_TRUE(all_close(constraints::min_max_norm()(w), gold("min_max_norm_default"), kTol, kTol));
  // Rate 1 puts each column norm inside [min_value, max_value].
  for (double n : norms(constraints::MinMaxNorm({.min_value = 0.5, .max_value = 1.0})(w), {0})) {
    EXPECT_GE(n, 0.5 - 1e-6);
    EXPECT_LE(n, 1.0 + 1e-6);
  }
}

TEST(Constraints, UnitNormMatchesNumpy) {
  const Tensor w = gold("w");
  const Tensor k = gold("k");
  EXPECT_TRUE(all_close(constraints::UnitNorm()(w), gold("unit_norm_axis0"), kTol, kTol));
  EXPECT_TRUE(all_close(constraints::UnitNorm({.axis = 1})(w), gold("unit_norm_axis1"), kTol, kTol));
  EXPECT_TRUE(all_close(constraints::unit_norm({.axis = {0, 1, 2}})(k), gold("unit_norm_k012"), kTol, kTol));
  for (double n : norms(constraints::UnitNorm({.axis = {0, 1, 2}})(k), {0, 1, 2})) EXPECT_NEAR(n, 1.0, 1e-6);
}

TEST(Constraints, NonNegMatchesNumpy) {
  const Tensor w = gold("w");
  EXPECT_TRUE(all_close(constraints::NonNeg()(w), gold("non_neg"), 0, 0));
  EXPECT_TRUE(all_close(constraints::non_neg()(w), gold("non_neg"), 0, 0));
}

TEST(Constraints, Float32WeightsStayFloat32) {
  const Tensor w32 = ops::cast(gold("w"), DType::float32);
  const Tensor y = constraints::MaxNorm({.max_value = 1.5})(w32);
  EXPECT_EQ(y.dtype(), DType::float32);
  EXPECT_TRUE(all_close(y, gold("max_norm_1.5_axis0"), 1e-6, 1e-5));
  EXPECT_EQ(constraints::UnitNorm()(w32).dtype(), DType::float32);
  EXPECT_EQ(constraints::NonNeg()(w32).dtype(), DType::float32);
}

TEST(Constraints, ProjectionsAreDifferentiable) {
  const Tensor w = gold("w");
  for (const auto& c :
       {constraints::ConstraintArg(constraints::MaxNorm({.max_value = 1.5})),
        constraints::ConstraintArg(constraints::MinMaxNorm({.min_value = 0.5, .max_value = 1.0, .rate = 0.7})),
        constraints::ConstraintArg(constraints::UnitNorm({.axis = 1})), constraints::ConstraintArg(constraints::NonNeg())}) {
    EXPECT_TRUE(testing::check_gradients([&](const std::vector<Tensor>& xs) { return c(xs[0]); }, {w}))
        << c->class_name();
  }
}

// ---- configs, get, serialize ---------------------------------------------------------------------

TEST(Constraints, ConfigsUseKerasNames) {
  // Keras writes MaxNorm's default max_value as the int 2.
  EXPECT_EQ(constraints::MaxNorm().get_config(), (json{{"max_value", 2}, {"axis", 0}}));
  EXPECT_TRUE(constraints::MaxNorm().get_config().at("max_value").is_number_integer());
  EXPECT_EQ(constraints::MaxNorm({.max_value = 1.5, .axis = {0, 1, 2}}).get_config(),
            (json{{"max_value", 1.5}, {"axis", {0, 1, 2}}}));
  EXPECT_EQ(constraints::MinMaxNorm({.min_value = 0.5, .max_value = 1.0, .rate = 0.7, .axis = 1}).get_config(),
            (json{{"min_value", 0.5}, {"max_value", 1.0}, {"rate", 0.7}, {"axis", 1}}));
  EXPECT_EQ(constraints::MinMaxNorm().get_config(),
            (json{{"min_value", 0.0}, {"max_value", 1.0}, {"rate", 1.0}, {"axis", 0}}));
  EXPECT_EQ(constraints::UnitNorm().get_config(), (json{{"axis", 0}}));
  EXPECT_EQ(constraints::UnitNorm({.axis = {0, 1}}).get_config(), (json{{"axis", {0, 1}}}));
  EXPECT_EQ(constraints::NonNeg().get_config(), json::object());
  EXPECT_EQ(constraints::MaxNorm().class_name(), "MaxNorm");
  EXPECT_EQ(constraints::MinMaxNorm().class_name(), "MinMaxNorm");
  EXPECT_EQ(constraints::NonNeg().class_name(), "NonNeg");
  EXPECT_EQ(constraints::UnitNorm().class_name(), "UnitNorm");
}

TEST(Constraints, SerializeGivesTheKerasEnvelopeAndRoundTrips) {
  EXPECT_EQ(constraints::serialize(constraints::UnitNorm({.axis = 1})),
            (json{{"module", "keras.constraints"},
                  {"class_name", "UnitNorm"},
                  {"config", {{"axis", 1}}},
                  {"registered_name", nullptr}}));
  const Tensor w = gold("w");
  const std::vector<constraints::ConstraintArg> all = {
      constraints::MaxNorm({.max_value = 1.5, .axis = {0}}),
      constraints::MinMaxNorm({.min_value = 0.5, .max_value = 1.0, .rate = 0.7, .axis = 1}),
      constraints::UnitNorm({.axis = -1}), constraints::NonNeg()};
  for (const auto& c : all) {
    const json config = constraints::serialize(c);
    const constraints::ConstraintPtr back = constraints::get(config);
    ASSERT_NE(back, nullptr);
    EXPECT_EQ(constraints::serialize(*back), config);
    EXPECT_TRUE(all_close((*back)(w), c(w), 0, 0)) << config.dump();
  }
  EXPECT_TRUE(constraints::serialize(constraints::ConstraintArg()).is_null());
}

TEST(Constraints, GetByName) {
  const Tensor w = gold("w");
  for (const char* name : {"max_norm", "MaxNorm"}) {
    EXPECT_EQ(constraints::get(name)->get_config(), (json{{"max_value", 2}, {"axis", 0}})) << name;
  }
  for (const char* name : {"min_max_norm", "MinMaxNorm"}) {
    EXPECT_TRUE(all_close((*constraints::get(name))(w), gold("min_max_norm_default"), kTol, kTol)) << name;
  }
  for (const char* name : {"unit_norm", "UnitNorm"}) {
    EXPECT_TRUE(all_close((*constraints::get(name))(w), gold("unit_norm_axis0"), kTol, kTol)) << name;
  }
  for (const char* name : {"non_neg", "NonNeg"}) {
    EXPECT_TRUE(all_close((*constraints::get(name))(w), gold("non_neg"), 0, 0)) << name;
  }
  EXPECT_EQ(constraints::get(nullptr), nullptr);
  // A Keras 2 style dict; an axis list.
  const auto c = constraints::get(json{{"class_name", "MaxNorm"}, {"config", {{"max_value", 1.0}, {"axis", {0, 1, 2}}}}});
  EXPECT_TRUE(all_close((*c)(gold("k")), gold("max_norm_1_k012"), kTol, kTol));
  const constraints::ConstraintArg arg("unit_norm");
  EXPECT_TRUE(arg.defined());
  EXPECT_EQ(arg->class_name(), "UnitNorm");
}

TEST(Constraints, CallablesAndSharedPointers) {
  const Tensor w = gold("w");
  const constraints::ConstraintArg fn([](const Tensor& t) { return ops::maximum(t, 0.0); });
  EXPECT_EQ(fn->class_name(), "function");
  EXPECT_TRUE(all_close(fn(w), gold("non_neg"), 0, 0));
  EXPECT_THROW(fn->get_config(), NotImplementedError);
  EXPECT_THROW(constraints::serialize(fn), NotImplementedError);
  const constraints::ConstraintArg shared(std::make_shared<constraints::UnitNorm>(constraints::UnitNormOptions{.axis = 1}));
  EXPECT_TRUE(all_close(shared(w), gold("unit_norm_axis1"), kTol, kTol));
}

TEST(Constraints, ALayerCarriesItsConstraint) {
  auto dense = layers::Dense(6, {.use_bias = false, .kernel_constraint = constraints::MaxNorm({.max_value = 1.5}),
                                 .dtype = f64});
  dense(ops::ones({1, 4}, f64));
  dense->set_weights({gold("w")});
  ASSERT_EQ(dense->constraints().size(), 1u);
  const auto& [variable, constraint] = dense->constraints().front();
  EXPECT_EQ(variable.name(), "kernel");
  EXPECT_TRUE(all_close((*constraint)(variable.value()), gold("max_norm_1.5_axis0"), kTol, kTol));
  EXPECT_EQ(dense->get_config().at("kernel_constraint").at("class_name"), "MaxNorm");
}

// ---- errors ----------------------------------------------------------------------------------------

TEST(Constraints, Errors) {
  EXPECT_EQ(value_error([] { constraints::get("max_nrm"); }), "Could not interpret constraint identifier: max_nrm");
  EXPECT_THROW(constraints::get(json(1)), ValueError);
  try {
    constraints::get(json{{"class_name", "Clip"}, {"config", json::object()}});
    FAIL() << "expected TypeError";
  } catch (const TypeError& e) {
    EXPECT_NE(std::string(e.what()).find("Could not locate class 'Clip'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(constraints::get(json{{"class_name", "NonNeg"}, {"config", {{"axis", 0}}}}), TypeError);
  const std::string dtype = value_error([] { constraints::NonNeg()(ops::ones({2, 2}, DType::int32)); });
  EXPECT_EQ(dtype, "NonNeg needs a floating weight, got dtype=int32");
  EXPECT_THROW(constraints::MaxNorm()(Tensor()), ValueError);
  EXPECT_THROW(constraints::ConstraintArg("no_such"), ValueError);
  EXPECT_THROW(*constraints::ConstraintArg(), ValueError);
}

}  // namespace
}  // namespace keras
