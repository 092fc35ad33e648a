// keras::regularizers (include/keras/regularizers.hpp): penalties against
// tests/golden/gen_regularizers.py (numpy, float64), finite-difference gradients of each
// penalty, configs and keras.regularizers.get / serialize, callables, and the errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keras/regularizers.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using nlohmann::json;
using testing::all_close;
using testing::check_gradients;

constexpr DType f64 = DType::float64;

Tensor gold(const std::string& name) { return testing::golden("regularizers/" + name); }

// The penalty of a golden file (a 0-d float64 array).
double gold_value(const std::string& name) {
  const Tensor t = gold(name);
  EXPECT_EQ(t.shape(), Shape{});
  return t.item<double>();
}

using testing::value_error;

::testing::AssertionResult grad_ok(const regularizers::Regularizer& r, const Tensor& x) {
  return check_gradients([&](const std::vector<Tensor>& xs) { return r(xs[0]); }, {x});
}

// ---- penalties against the goldens -------------------------------------------------------------

TEST(Regularizers, L1L2AndL1L2MatchNumpy) {
  const Tensor x = gold("x");
  ASSERT_EQ(x.shape(), (Shape{5, 7}));
  const Tensor l1 = regularizers::L1(0.3)(x);
  EXPECT_EQ(l1.shape(), Shape{});
  EXPECT_EQ(l1.dtype(), f64);
  EXPECT_NEAR(l1.item<double>(), gold_value("l1_0.3"), 1e-12);
  EXPECT_NEAR(regularizers::L2(0.2)(x).item<double>(), gold_value("l2_0.2"), 1e-12);
  EXPECT_NEAR(regularizers::L1L2({.l1 = 0.01, .l2 = 0.02})(x).item<double>(), gold_value("l1l2_0.01_0.02"), 1e-12);
  // The lower-case factories are the same classes.
  EXPECT_NEAR(regularizers::l1(0.3)(x).item<double>(), gold_value("l1_0.3"), 1e-12);
  EXPECT_NEAR(regularizers::l2(0.2)(x).item<double>(), gold_value("l2_0.2"), 1e-12);
  EXPECT_NEAR(regularizers::l1_l2({.l1 = 0.01, .l2 = 0.02})(x).item<double>(), gold_value("l1l2_0.01_0.02"), 1e-12);
}

TEST(Regularizers, L1L2TermsAddUp) {
  const Tensor x = gold("x");
  // l1l2 = 0.01 * sum|x| + 0.02 * sum x^2: rebuild it from the L1 and L2 goldens.
  const double expected = gold_value("l1_0.3") / 0.3 * 0.01 + gold_value("l2_0.2") / 0.2 * 0.02;
  EXPECT_NEAR(gold_value("l1l2_0.01_0.02"), expected, 1e-12);
  // A zero factor leaves its term out; both zero gives 0 of x's dtype.
  EXPECT_NEAR(regularizers::L1L2({.l1 = 0.3})(x).item<double>(), gold_value("l1_0.3"), 1e-12);
  EXPECT_NEAR(regularizers::L1L2({.l2 = 0.2})(x).item<double>(), gold_value("l2_0.2"), 1e-12);
  const Tensor zero = regularizers::L1L2()(x);
  EXPECT_EQ(zero.shape(), Shape{});
  EXPECT_EQ(zero.dtype(), f64);
  EXPECT_EQ(zero.item<double>(), 0.0);
}

TEST(Regularizers, OrthogonalMatchesNumpy) {
  const Tensor x = gold("x");
  EXPECT_NEAR(regularizers::OrthogonalRegularizer({.factor = 0.1, .mode = "rows"})(x).item<double>(),
              gold_value("orthogonal_rows_0.1"), 1e-12);
  EXPECT_NEAR(regularizers::OrthogonalRegularizer({.factor = 0.1, .mode = "columns"})(x).item<double>(),
              gold_value("orthogonal_columns_0.1"), 1e-12);
  // Columns of x are rows of x^T.
  EXPECT_NEAR(regularizers::OrthogonalRegularizer({.factor = 0.1})(ops::transpose(x)).item<double>(),
              gold_value("orthogonal_columns_0.1"), 1e-12);
  // Orthonormal rows have no penalty; identical rows the largest: each pair counts twice in
  // the full matrix, so factor * 0.5 * n (n - 1) / (n (n - 1) / 2) = factor.
  EXPECT_NEAR(regularizers::orthogonal_regularizer({.factor = 0.1})(ops::eye(4, -1, 0, f64)).item<double>(), 0.0,
              1e-15);
  EXPECT_NEAR(regularizers::OrthogonalRegularizer({.factor = 0.1})(ops::ones({3, 5}, f64)).item<double>(), 0.1,
              1e-12);
}

TEST(Regularizers, Float32Inputs) {
  const Tensor x32 = ops::cast(gold("x"), DType::float32);
  const Tensor p = regularizers::L2(0.2)(x32);
  EXPECT_EQ(p.dtype(), DType::float32);
  EXPECT_NEAR(p.item<double>(), gold_value("l2_0.2"), 1e-5 * gold_value("l2_0.2"));
  EXPECT_NEAR(regularizers::OrthogonalRegularizer({.factor = 0.1})(x32).item<double>(), gold_value("orthogonal_rows_0.1"),
              1e-6);
}

// ---- gradients ----------------------------------------------------------------------------------

TEST(Regularizers, GradientsOfEveryPenalty) {
  const Tensor x = gold("x");  // normal draws: no zero entry (L1's kink)
  EXPECT_TRUE(grad_ok(regularizers::L1(0.3), x));
  EXPECT_TRUE(grad_ok(regularizers::L2(0.2), x));
  EXPECT_TRUE(grad_ok(regularizers::L1L2({.l1 = 0.01, .l2 = 0.02}), x));
  EXPECT_TRUE(grad_ok(regularizers::OrthogonalRegularizer({.factor = 0.1, .mode = "rows"}), x));
  EXPECT_TRUE(grad_ok(regularizers::OrthogonalRegularizer({.factor = 0.1, .mode = "columns"}), x));
  // Closed forms: d/dx l1 * sum|x| = l1 * sign(x); d/dx l2 * sum x^2 = 2 l2 x.
  GradientTape tape;
  tape.watch(x);
  const Tensor loss = ops::add(regularizers::L1(0.3)(x), regularizers::L2(0.2)(x));
  const Tensor g = tape.gradient(loss, std::vector<Tensor>{x})[0];
  EXPECT_TRUE(all_close(g, ops::add(ops::multiply(ops::sign(x), 0.3), ops::multiply(x, 0.4)), 1e-12, 1e-12));
}

// ---- configs, get, serialize ---------------------------------------------------------------------

TEST(Regularizers, ConfigsUseKerasNames) {
  EXPECT_EQ(regularizers::L1(0.3).get_config(), (json{{"l1", 0.3}}));
  EXPECT_EQ(regularizers::L2(0.2).get_config(), (json{{"l2", 0.2}}));
  EXPECT_EQ(regularizers::L1L2({.l1 = 0.01, .l2 = 0.02}).get_config(), (json{{"l1", 0.01}, {"l2", 0.02}}));
  EXPECT_EQ(regularizers::OrthogonalRegularizer({.factor = 0.1, .mode = "columns"}).get_config(),
            (json{{"factor", 0.1}, {"mode", "columns"}}));
  // Defaults: Keras 3's.
  EXPECT_EQ(regularizers::L1().l1(), 0.01);
  EXPECT_EQ(regularizers::L2().l2(), 0.01);
  EXPECT_EQ(regularizers::L1L2().options().l1, 0.0);
  EXPECT_EQ(regularizers::L1L2().options().l2, 0.0);
  EXPECT_EQ(regularizers::OrthogonalRegularizer().options().factor, 0.01);
  EXPECT_EQ(regularizers::OrthogonalRegularizer().options().mode, "rows");
  EXPECT_EQ(regularizers::L1().class_name(), "L1");
  EXPECT_EQ(regularizers::L2().class_name(), "L2");
  EXPECT_EQ(regularizers::L1L2().class_name(), "L1L2");
  EXPECT_EQ(regularizers::OrthogonalRegularizer().class_name(), "OrthogonalRegularizer");
}

TEST(Regularizers, SerializeGivesTheKerasEnvelopeAndRoundTrips) {
  const json s = regularizers::serialize(regularizers::L1L2({.l1 = 0.01, .l2 = 0.02}));
  EXPECT_EQ(s, (json{{"module", "keras.regularizers"},
                     {"class_name", "L1L2"},
                     {"config", {{"l1", 0.01}, {"l2", 0.02}}},
                     {"registered_name", nullptr}}));
  const Tensor x = gold("x");
  const std::vector<regularizers::RegularizerArg> all = {
      regularizers::L1(0.3), regularizers::L2(0.2), regularizers::L1L2({.l1 = 0.01, .l2 = 0.02}),
      regularizers::OrthogonalRegularizer({.factor = 0.1, .mode = "columns"})};
  for (const auto& r : all) {
    const json config = regularizers::serialize(r);
    const regularizers::RegularizerPtr back = regularizers::get(config);
    ASSERT_NE(back, nullptr);
    EXPECT_EQ(back->class_name(), r->class_name());
    EXPECT_EQ(regularizers::serialize(*back), config);
    EXPECT_NEAR((*back)(x).item<double>(), r(x).item<double>(), 1e-14);
  }
  EXPECT_TRUE(regularizers::serialize(regularizers::RegularizerArg()).is_null());
}

TEST(Regularizers, GetByName) {
  const Tensor x = gold("x");
  auto factor_of = [](const regularizers::RegularizerPtr& r) { return r->get_config(); };
  EXPECT_EQ(regularizers::get("l1")->class_name(), "L1");
  EXPECT_EQ(factor_of(regularizers::get("L1")), (json{{"l1", 0.01}}));
  EXPECT_EQ(factor_of(regularizers::get("l2")), (json{{"l2", 0.01}}));
  EXPECT_EQ(regularizers::get("L2")->class_name(), "L2");
  // "l1_l2" means 0.01 each (Keras 2 and the docs); the class name L1L2 means Keras 3's 0 defaults.
  EXPECT_EQ(factor_of(regularizers::get("l1_l2")), (json{{"l1", 0.01}, {"l2", 0.01}}));
  EXPECT_EQ(factor_of(regularizers::get("L1L2")), (json{{"l1", 0.0}, {"l2", 0.0}}));
  EXPECT_EQ(regularizers::get("l1l2")->class_name(), "L1L2");
  EXPECT_EQ(regularizers::get("orthogonal_regularizer")->class_name(), "OrthogonalRegularizer");
  EXPECT_EQ(regularizers::get("OrthogonalRegularizer")->get_config(), (json{{"factor", 0.01}, {"mode", "rows"}}));
  EXPECT_EQ(regularizers::get(nullptr), nullptr);
  // A dict with just class_name and config (Keras 2 style).
  const auto l1 = regularizers::get(json{{"class_name", "L1"}, {"config", {{"l1", 0.3}}}});
  EXPECT_NEAR((*l1)(x).item<double>(), gold_value("l1_0.3"), 1e-12);
  // A RegularizerArg from a name.
  const regularizers::RegularizerArg arg("l2");
  EXPECT_TRUE(arg.defined());
  EXPECT_EQ(arg->class_name(), "L2");
  EXPECT_FALSE(regularizers::RegularizerArg(nullptr).defined());
}

TEST(Regularizers, CallablesAndSharedPointers) {
  const Tensor x = gold("x");
  const regularizers::RegularizerArg fn([](const Tensor& t) { return ops::multiply(ops::sum(ops::abs(t)), 0.3); });
  EXPECT_EQ(fn->class_name(), "function");
  EXPECT_NEAR(fn(x).item<double>(), gold_value("l1_0.3"), 1e-12);
  EXPECT_THROW(fn->get_config(), NotImplementedError);
  EXPECT_THROW(regularizers::serialize(fn), NotImplementedError);
  const regularizers::RegularizerArg shared(std::make_shared<regularizers::L2>(0.2));
  EXPECT_NEAR(shared(x).item<double>(), gold_value("l2_0.2"), 1e-12);
}

// ---- errors ----------------------------------------------------------------------------------------

TEST(Regularizers, InvalidFactorsAndModes) {
  EXPECT_EQ(value_error([] { regularizers::L1(-0.1); }),
            "Invalid value for argument l1: expected a non-negative float. Received: l1=-0.1");
  EXPECT_EQ(value_error([] { regularizers::L2(-2.0); }),
            "Invalid value for argument l2: expected a non-negative float. Received: l2=-2.0");
  EXPECT_NE(value_error([] { regularizers::L1(std::nan("")); }).find("Invalid value for argument l1"), std::string::npos);
  EXPECT_THROW(regularizers::L1L2({.l1 = 0.1, .l2 = -1.0}), ValueError);
  EXPECT_THROW(regularizers::OrthogonalRegularizer({.factor = -0.1}), ValueError);
  const std::string mode = value_error([] { regularizers::OrthogonalRegularizer({.mode = "diagonal"}); });
  EXPECT_NE(mode.find("Invalid value for argument `mode`"), std::string::npos) << mode;
  EXPECT_NE(mode.find("Received: mode=diagonal"), std::string::npos) << mode;
  const std::string rank = value_error([] { regularizers::OrthogonalRegularizer()(ops::ones({2, 3, 4}, f64)); });
  EXPECT_EQ(rank, "Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=(2, 3, 4)");
  EXPECT_THROW(regularizers::L1()(Tensor()), ValueError);
}

TEST(Regularizers, UnknownIdentifiers) {
  EXPECT_EQ(value_error([] { regularizers::get("l3"); }), "Could not interpret regularizer identifier: l3");
  EXPECT_THROW(regularizers::get(json(7)), ValueError);
  try {
    regularizers::get(json{{"class_name", "L3"}, {"config", json::object()}});
    FAIL() << "expected TypeError";
  } catch (const TypeError& e) {
    EXPECT_NE(std::string(e.what()).find("Could not locate class 'L3'"), std::string::npos) << e.what();
  }
  // An unexpected config key is rejected, as Python's cls(**config).
  EXPECT_THROW(regularizers::get(json{{"class_name", "L1"}, {"config", {{"l2", 0.1}}}}), TypeError);
  EXPECT_THROW(regularizers::RegularizerArg("no_such"), ValueError);
  EXPECT_THROW(*regularizers::RegularizerArg(), ValueError);
}

}  // namespace
}  // namespace keras
