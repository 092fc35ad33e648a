// Activation functions and dropout: values against torch.nn.functional golden files,
// gradients (float64 finite differences away from kinks), dtypes, dropout's masks.
#include <cmath>
#include <functional>

#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;
using testing::test_input;
using Act = std::function<Tensor(const Tensor&)>;

Tensor golden(const std::string& name) { return testing::golden("math/act_" + name); }

const std::vector<std::pair<const char*, Act>>& activations() {
  static const std::vector<std::pair<const char*, Act>> list = {
      {"relu", [](const Tensor& x) { return ops::relu(x); }},
      {"relu6", [](const Tensor& x) { return ops::relu6(x); }},
      {"leaky_relu", [](const Tensor& x) { return ops::leaky_relu(x); }},  // default 0.2
      {"leaky_relu_0.05", [](const Tensor& x) { return ops::leaky_relu(x, 0.05); }},
      {"elu", [](const Tensor& x) { return ops::elu(x); }},
      {"elu_0.5", [](const Tensor& x) { return ops::elu(x, 0.5); }},
      {"selu", [](const Tensor& x) { return ops::selu(x); }},
      {"gelu_tanh", [](const Tensor& x) { return ops::gelu(x); }},  // approximate by default
      {"gelu_erf", [](const Tensor& x) { return ops::gelu(x, false); }},
      {"sigmoid", [](const Tensor& x) { return ops::sigmoid(x); }},
      {"hard_sigmoid", [](const Tensor& x) { return ops::hard_sigmoid(x); }},
      {"silu", [](const Tensor& x) { return ops::silu(x); }},
      {"softplus", [](const Tensor& x) { return ops::softplus(x); }},
      {"softsign", [](const Tensor& x) { return ops::softsign(x); }},
      {"l2_normalize", [](const Tensor& x) { return ops::l2_normalize(x); }},
      {"l2_normalize_axis0", [](const Tensor& x) { return ops::l2_normalize(x, 0); }},
  };
  return list;
}

TEST(OpsActivations, MatchTorch) {
  const Tensor x = golden("x");
  for (const auto& [name, fn] : activations()) {
    Tensor y = fn(x);
    EXPECT_EQ(y.dtype(), DType::float32) << name;
    EXPECT_TRUE(all_close(y, golden(name), 1e-6, 2e-6)) << name;
  }
  EXPECT_TRUE(all_close(ops::swish(x), golden("silu"), 1e-6, 2e-6));
}

TEST(OpsActivations, GradientsAwayFromKinks) {
  // Inputs in [0.1, 3] with random signs: clear of the kinks at 0 (and of relu6's at 6).
  auto input = [](const Shape& shape, std::uint64_t seed) {
    Tensor magnitude = test_input(shape, seed, 0.1, 3.0);
    Tensor sign = ops::sign(test_input(shape, seed + 1000));
    return ops::multiply(magnitude, ops::where(ops::equal(sign, 0.0), 1.0, sign));
  };
  std::uint64_t seed = 1;
  for (const auto& [name, fn] : activations()) {
    for (const Shape& shape : {Shape{}, Shape{7}, Shape{2, 3, 4}}) {
      if (std::string(name).rfind("l2_normalize", 0) == 0 && shape.empty()) continue;
      if (std::string(name) == "l2_normalize_axis0" && shape.size() < 2) continue;
      auto f = [&fn](const std::vector<Tensor>& in) { return fn(in[0]); };
      EXPECT_TRUE(check_gradients(f, {input(shape, seed++)})) << name << " " << shape_str(shape);
    }
  }
}

TEST(OpsActivations, DerivativesAtKinks) {
  Tensor x({-1.0, 0.0, 6.0, 7.0});
  auto grad = [&x](const Act& fn) {
    GradientTape tape;
    tape.watch(x);
    return tape.gradient(ops::sum(fn(x)), x).to_vector<float>();
  };
  EXPECT_EQ(grad([](const Tensor& v) { return ops::relu(v); }), (std::vector<float>{0, 0, 1, 1}));
  EXPECT_EQ(grad([](const Tensor& v) { return ops::relu6(v); }), (std::vector<float>{0, 0, 0, 0}));
  EXPECT_EQ(grad([](const Tensor& v) { return ops::leaky_relu(v); }),
            (std::vector<float>{0.2f, 1, 1, 1}));
  EXPECT_EQ(grad([](const Tensor& v) { return ops::elu(v, 0.5); })[1], 0.5f);
}

TEST(OpsActivations, KerasConstantsAndDefinitions) {
  Tensor x({-3.0, 0.0, 3.0, -1.0});
  // hard_sigmoid is Keras 3's relu6(x + 3) / 6, not Keras 2's clip(0.2 x + 0.5).
  EXPECT_TRUE(all_close(ops::hard_sigmoid(x), Tensor({0.0, 0.5, 1.0, 1.0 / 3.0}), 1e-7, 1e-6));
  // selu(-1) = scale * alpha * (e^-1 - 1) with Keras's constants.
  const double selu_m1 = 1.0507009873554805 * 1.6732632423543772 * (std::exp(-1.0) - 1.0);
  EXPECT_NEAR(ops::selu(x).to_vector<double>()[3], selu_m1, 1e-6);
  EXPECT_NEAR(ops::selu(x).to_vector<double>()[2], 3.0 * 1.0507009873554805, 1e-6);
  EXPECT_NEAR(ops::leaky_relu(x).to_vector<double>()[0], -0.6, 1e-6);
}

TEST(OpsActivations, ExtremeInputsStayFinite) {
  Tensor x({-1000.0, -100.0, 100.0, 1000.0});
  const auto sp = ops::softplus(x).to_vector<float>();
  EXPECT_EQ(sp[0], 0.0f);
  EXPECT_NEAR(sp[1], 3.7200760e-44f, 1e-45f);  // e^-100, a float32 denormal
  EXPECT_EQ(sp[2], 100.0f);
  EXPECT_EQ(sp[3], 1000.0f);
  EXPECT_EQ(ops::sigmoid(x).to_vector<float>(),
            (std::vector<float>{0.0f, 3.7200760e-44f, 1.0f, 1.0f}));
  const auto s = ops::silu(x).to_vector<float>();
  for (float v : s) EXPECT_TRUE(std::isfinite(v));
  EXPECT_EQ(ops::gelu(x).to_vector<float>()[3], 1000.0f);
  EXPECT_EQ(ops::gelu(x, false).to_vector<float>()[0], -0.0f);
  // The l2 norm's epsilon keeps a zero vector at zero (no NaN).
  EXPECT_TRUE(all_close(ops::l2_normalize(ops::zeros({2, 3})), ops::zeros({2, 3}), 0, 0));
}

TEST(OpsActivations, Float32SigmoidAndSoftplusAreAccurate) {
  // Dense sweep of [-30, 30] against double precision: within 3 ulp.
  std::vector<float> xs;
  for (int i = -300000; i <= 300000; ++i) xs.push_back(static_cast<float>(i) * 1e-4f);
  const auto sg = ops::sigmoid(Tensor::from_vector(xs)).to_vector<float>();
  const auto sp = ops::softplus(Tensor::from_vector(xs)).to_vector<float>();
  double worst_sg = 0, worst_sp = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double x = xs[i];
    const double want_sg = 1.0 / (1.0 + std::exp(-x));
    const double want_sp = std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
    worst_sg = std::max(worst_sg, std::abs(sg[i] - want_sg) / want_sg);
    worst_sp = std::max(worst_sp, std::abs(sp[i] - want_sp) / want_sp);
  }
  EXPECT_LT(worst_sg, 3 * 0x1p-23);
  EXPECT_LT(worst_sp, 3 * 0x1p-23);
}

TEST(OpsActivations, Dtypes) {
  Tensor i = Tensor::from_vector(std::vector<std::int32_t>{-2, 3, 9});
  EXPECT_EQ(ops::relu(i).dtype(), DType::int32);  // as keras.ops.relu
  EXPECT_EQ(ops::relu(i).to_vector<int>(), (std::vector<int>{0, 3, 9}));
  EXPECT_EQ(ops::relu6(i).to_vector<int>(), (std::vector<int>{0, 3, 6}));
  EXPECT_EQ(ops::sigmoid(i).dtype(), DType::float32);
  EXPECT_EQ(ops::hard_sigmoid(i).dtype(), DType::float32);
  EXPECT_EQ(ops::gelu(i).dtype(), DType::float32);
  Tensor d = test_input({3}, 5);
  for (const auto& [name, fn] : activations()) EXPECT_EQ(fn(d).dtype(), DType::float64) << name;
}

TEST(OpsActivations, MetaDeviceShapes) {
  DeviceScope scope(Device{DeviceType::meta});
  Tensor x = Tensor::empty({4, 8});
  for (const auto& [name, fn] : activations()) {
    Tensor y = fn(x);
    EXPECT_EQ(y.shape(), (Shape{4, 8})) << name;
    EXPECT_EQ(y.device().type, DeviceType::meta) << name;
  }
  EXPECT_EQ(ops::dropout(x, 0.5, {.noise_shape = {1, 8}}).shape(), (Shape{4, 8}));
}

// ---- dropout -------------------------------------------------------------------------

TEST(OpsDropout, RateZeroIsIdentityAndRateOneIsZero) {
  Tensor x = random::uniform({10, 10}, {.seed = 1});
  EXPECT_TRUE(all_close(ops::dropout(x, 0.0), x, 0, 0));
  EXPECT_TRUE(all_close(ops::dropout(x, 1.0), ops::zeros({10, 10}), 0, 0));
}

TEST(OpsDropout, KeepsAboutOneMinusRateAndScalesThem) {
  Tensor x = ops::ones({200, 500});
  const double rate = 0.3;
  const auto y = ops::dropout(x, rate, {.seed = 42}).to_vector<float>();
  std::size_t kept = 0;
  for (float v : y) {
    if (v != 0.0f) {
      ++kept;
      EXPECT_FLOAT_EQ(v, static_cast<float>(1.0 / (1.0 - rate)));
    }
  }
  // 100000 Bernoulli(0.7) draws: the standard deviation of the kept fraction is 0.0015.
  EXPECT_NEAR(static_cast<double>(kept) / static_cast<double>(y.size()), 0.7, 0.01);
}

TEST(OpsDropout, SeedReproducibility) {
  Tensor x = random::uniform({64, 64}, {.seed = 3});
  Tensor a = ops::dropout(x, 0.5, {.seed = 7});
  Tensor b = ops::dropout(x, 0.5, {.seed = 7});
  Tensor c = ops::dropout(x, 0.5, {.seed = 8});
  EXPECT_TRUE(all_close(a, b, 0, 0));
  EXPECT_FALSE(all_close(a, c, 0, 0));
  // Unseeded calls advance the global generator: two calls differ, and resetting the
  // seed repeats them.
  utils::set_random_seed(11);
  Tensor d = ops::dropout(x, 0.5);
  Tensor e = ops::dropout(x, 0.5);
  EXPECT_FALSE(all_close(d, e, 0, 0));
  utils::set_random_seed(11);
  EXPECT_TRUE(all_close(ops::dropout(x, 0.5), d, 0, 0));
}

TEST(OpsDropout, NoiseShapeBroadcastsTheMask) {
  Tensor x = ops::add(ops::ones({6, 40}), 0.0);
  // One keep/drop decision per column, shared by all rows; kUnknownDim takes x's size.
  for (const Shape& noise : {Shape{1, 40}, Shape{40}, Shape{1, kUnknownDim}}) {
    const auto y = ops::dropout(x, 0.5, {.noise_shape = noise, .seed = 5}).to_vector<float>();
    for (std::size_t row = 1; row < 6; ++row) {
      for (std::size_t col = 0; col < 40; ++col)
        ASSERT_EQ(y[row * 40 + col], y[col]) << shape_str(noise);
    }
  }
  try {
    ops::dropout(x, 0.5, {.noise_shape = {3, 40}});
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("(3, 40)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(6, 40)"), std::string::npos) << e.what();
  }
}

TEST(OpsDropout, InvalidRateThrows) {
  Tensor x = ops::ones({3});
  EXPECT_THROW(ops::dropout(x, -0.1), ValueError);
  EXPECT_THROW(ops::dropout(x, 1.5), ValueError);
  EXPECT_THROW(ops::dropout(x, std::nan("")), ValueError);
}

TEST(OpsDropout, GradientIsTheSameScaledMask) {
  Tensor x = test_input({8, 16}, 9, 0.5, 1.5);  // nonzero, so y / x recovers the mask
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::dropout(x, 0.25, {.seed = 4});
  Tensor w = test_input({8, 16}, 10);
  Tensor g = tape.gradient(ops::sum(ops::multiply(y, w)), x);
  EXPECT_TRUE(all_close(g, ops::multiply(ops::divide(y, x), w), 1e-12, 1e-12));
  const auto mask = ops::divide(y, x).to_vector<double>();
  for (double m : mask) EXPECT_TRUE(m == 0.0 || std::abs(m - 4.0 / 3.0) < 1e-12) << m;
}

}  // namespace
}  // namespace keras
