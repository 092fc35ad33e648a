#include <cmath>

#include "test_util.hpp"

namespace keras {
namespace {

using nlohmann::json;
using testing::all_close;

struct Moments {
  double mean = 0;
  double std = 0;
  double max_abs = 0;
};

Moments moments_of(const Tensor& t) {
  const auto v = t.to_vector<double>();
  Moments m;
  for (double x : v) {
    m.mean += x;
    m.max_abs = std::max(m.max_abs, std::abs(x));
  }
  m.mean /= static_cast<double>(v.size());
  for (double x : v) m.std += (x - m.mean) * (x - m.mean);
  m.std = std::sqrt(m.std / static_cast<double>(v.size()));
  return m;
}

// Checks mean 0, the expected standard deviation (to 1.5 %) and a bound on |x|, on 200k
// or more draws (the sampling error of the std is about 0.2 %).
void expect_spread(const initializers::Initializer& init, const Shape& shape, double expected_std,
                   double bound) {
  Tensor t = init(shape);
  ASSERT_EQ(t.shape(), shape);
  ASSERT_EQ(t.dtype(), DType::float32);
  const Moments m = moments_of(t);
  EXPECT_NEAR(m.mean, 0.0, 0.01 * expected_std) << init.class_name();
  EXPECT_NEAR(m.std, expected_std, 0.015 * expected_std) << init.class_name();
  EXPECT_LE(m.max_abs, bound * (1 + 1e-6)) << init.class_name();
  // The bound is reached (uniform) or approached (truncated normal): values fill the range.
  EXPECT_GE(m.max_abs, 0.95 * bound) << init.class_name();
}

// A truncated unit normal's standard deviation over [-2, 2].
constexpr double kTruncatedStd = 0.87962566103423978;

TEST(Initializers, ComputeFansFollowKerasRules) {
  using initializers::compute_fans;
  EXPECT_EQ(compute_fans({}), std::make_pair(std::int64_t{1}, std::int64_t{1}));
  EXPECT_EQ(compute_fans({7}), std::make_pair(std::int64_t{7}, std::int64_t{7}));
  EXPECT_EQ(compute_fans({3, 5}), std::make_pair(std::int64_t{3}, std::int64_t{5}));
  // Conv1D kernel (5, in 8, out 10): receptive field 5.
  EXPECT_EQ(compute_fans({5, 8, 10}), std::make_pair(std::int64_t{40}, std::int64_t{50}));
  // Conv2D kernel (3, 3, in 16, out 32): receptive field 9.
  EXPECT_EQ(compute_fans({3, 3, 16, 32}), std::make_pair(std::int64_t{144}, std::int64_t{288}));
  // Conv3D kernel.
  EXPECT_EQ(compute_fans({2, 3, 4, 5, 6}), std::make_pair(std::int64_t{120}, std::int64_t{144}));
  EXPECT_EQ(compute_fans({4, 6, 8}, {0, 1}, {2}), std::make_pair(std::int64_t{24}, std::int64_t{8}));
  EXPECT_EQ(compute_fans({4, 6, 8}, {-1}, {0}), std::make_pair(std::int64_t{8}, std::int64_t{4}));
  EXPECT_THROW(compute_fans({4, 6}, {2}, {0}), ValueError);
}

TEST(Initializers, ConstantInitializers) {
  EXPECT_TRUE(all_close(initializers::Zeros()({2, 3}), ops::zeros({2, 3}), 0, 0));
  EXPECT_TRUE(all_close(initializers::Ones()({4}), ops::ones({4}), 0, 0));
  Tensor c = initializers::Constant(3.5)({2, 2}, DType::float64);
  EXPECT_EQ(c.dtype(), DType::float64);
  EXPECT_EQ(c.to_vector<double>(), std::vector<double>(4, 3.5));
  EXPECT_EQ(initializers::Zeros()({3}, DType::int32).dtype(), DType::int32);
}

TEST(Initializers, IdentityIsGainTimesEye) {
  Tensor i = initializers::Identity({.gain = 2.5})({2, 3});
  EXPECT_TRUE(all_close(i, Tensor({{2.5, 0, 0}, {0, 2.5, 0}}), 0, 0));
  try {
    initializers::Identity()({2, 2, 2});
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_EQ(std::string(e.what()),
              "Identity matrix initializer can only be used for 2D matrices. Received: "
              "shape=(2, 2, 2) of rank 3.");
  }
}

TEST(Initializers, RandomNormalTruncatedNormalUniformMoments) {
  const Shape shape = {400, 500};
  Tensor n = initializers::RandomNormal({.mean = 1.0, .stddev = 2.0, .seed = 1})(shape);
  const Moments mn = moments_of(n);
  EXPECT_NEAR(mn.mean, 1.0, 0.02);
  EXPECT_NEAR(mn.std, 2.0, 0.02);

  Tensor t = initializers::TruncatedNormal({.mean = -1.0, .stddev = 0.5, .seed = 2})(shape);
  const Moments mt = moments_of(t);
  EXPECT_NEAR(mt.mean, -1.0, 0.005);
  EXPECT_NEAR(mt.std, 0.5 * kTruncatedStd, 0.005);
  const auto tv = t.to_vector<double>();
  EXPECT_LE(*std::max_element(tv.begin(), tv.end()), -1.0 + 2 * 0.5 + 1e-6);
  EXPECT_GE(*std::min_element(tv.begin(), tv.end()), -1.0 - 2 * 0.5 - 1e-6);

  Tensor u = initializers::RandomUniform({.minval = -1.0, .maxval = 3.0, .seed = 3})(shape);
  const Moments mu = moments_of(u);
  EXPECT_NEAR(mu.mean, 1.0, 0.02);
  EXPECT_NEAR(mu.std, 4.0 / std::sqrt(12.0), 0.01);
  const auto uv = u.to_vector<double>();
  EXPECT_GE(*std::min_element(uv.begin(), uv.end()), -1.0);
  EXPECT_LT(*std::max_element(uv.begin(), uv.end()), 3.0);

  // Keras's defaults: stddev 0.05, range [-0.05, 0.05].
  EXPECT_NEAR(moments_of(initializers::RandomNormal({.seed = 4})(shape)).std, 0.05, 0.001);
  EXPECT_NEAR(moments_of(initializers::RandomUniform({.seed = 5})(shape)).max_abs, 0.05, 0.001);
}

TEST(Initializers, VarianceScalingPresetsHaveTheirSpread) {
  const Shape dense = {400, 600};  // fan_in 400, fan_out 600
  const double avg = 500.0;
  // Uniform in [-l, l] has std l / sqrt(3); truncated normals stop at 2 * stddev_param.
  auto uniform = [](double scale, double n) {
    const double limit = std::sqrt(3.0 * scale / n);
    return std::make_pair(limit / std::sqrt(3.0), limit);
  };
  auto truncated = [](double scale, double n) {
    return std::make_pair(std::sqrt(scale / n), 2 * std::sqrt(scale / n) / kTruncatedStd);
  };
  utils::set_random_seed(123);  // the presets below are unseeded
  const std::vector<std::pair<initializers::InitializerPtr, std::pair<double, double>>> cases = {
      {std::make_shared<initializers::GlorotUniform>(), uniform(1, avg)},
      {std::make_shared<initializers::GlorotNormal>(), truncated(1, avg)},
      {std::make_shared<initializers::HeUniform>(), uniform(2, 400)},
      {std::make_shared<initializers::HeNormal>(), truncated(2, 400)},
      {std::make_shared<initializers::LecunUniform>(), uniform(1, 400)},
      {std::make_shared<initializers::LecunNormal>(), truncated(1, 400)},
  };
  for (const auto& [init, expected] : cases) expect_spread(*init, dense, expected.first, expected.second);
}

TEST(Initializers, VarianceScalingModesDistributionsAndConvFans) {
  // Conv2D kernel (3, 3, 128, 256): fan_in 1152, fan_out 2304.
  const Shape kernel = {3, 3, 128, 256};
  expect_spread(initializers::HeNormal({.seed = 9}), kernel, std::sqrt(2.0 / 1152),
                2 * std::sqrt(2.0 / 1152) / kTruncatedStd);
  const double limit = std::sqrt(3.0 * 3.0 / 2304);
  expect_spread(
      initializers::VarianceScaling({.scale = 3.0, .mode = "fan_out", .distribution = "uniform", .seed = 3}),
      kernel, limit / std::sqrt(3.0), limit);
  // Untruncated: no bound at two standard deviations (bound checked loosely at 6).
  Tensor u = initializers::VarianceScaling(
      {.scale = 0.5, .mode = "fan_avg", .distribution = "untruncated_normal", .seed = 4})({500, 700});
  const Moments m = moments_of(u);
  EXPECT_NEAR(m.std, std::sqrt(0.5 / 600), 0.015 * std::sqrt(0.5 / 600));
  EXPECT_GT(m.max_abs, 3.5 * std::sqrt(0.5 / 600));
  // Explicit fan axes: fan_in = 40 * 50 from axes {0, 1}.
  const double s = std::sqrt(1.0 / 2000);
  expect_spread(initializers::VarianceScaling({.input_axes = std::vector<std::int64_t>{0, 1},
                                               .output_axes = std::vector<std::int64_t>{2}}),
                {40, 50, 100}, s, 2 * s / kTruncatedStd);
}

TEST(Initializers, VarianceScalingValidatesItsArguments) {
  try {
    initializers::VarianceScaling({.scale = -1.0});
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_EQ(std::string(e.what()), "Argument `scale` must be positive float. Received: scale=-1.0");
  }
  try {
    initializers::VarianceScaling({.mode = "fan_middle"});
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Invalid `mode` argument: fan_middle"), std::string::npos);
  }
  EXPECT_THROW(initializers::VarianceScaling({.distribution = "cauchy"}), ValueError);
  EXPECT_THROW(initializers::VarianceScaling({.input_axes = std::vector<std::int64_t>{0}}), ValueError);
  // "normal" means truncated_normal, as in Keras.
  EXPECT_EQ(initializers::VarianceScaling({.distribution = "Normal"}).options().distribution,
            "truncated_normal");
  EXPECT_THROW(initializers::GlorotUniform()({3, 3}, DType::int32), ValueError);
  EXPECT_THROW(initializers::HeNormal()({-1, 3}), ValueError);
}

TEST(Initializers, OrthogonalGivesOrthonormalColumnsOrRows) {
  auto gram_is = [](const Tensor& m, double g2) {
    const std::int64_t n = m.dim(1);
    return all_close(ops::matmul(ops::transpose(m), m), ops::multiply(ops::eye(n, -1, 0, m.dtype()), g2),
                     1e-5, 0);
  };
  // Tall: orthonormal columns.
  Tensor tall = initializers::Orthogonal({.seed = 1})({50, 30});
  EXPECT_TRUE(gram_is(tall, 1.0));
  // Wide: orthonormal rows.
  Tensor wide = initializers::Orthogonal({.seed = 2})({30, 50});
  EXPECT_TRUE(gram_is(ops::transpose(wide), 1.0));
  // Square, with a gain: Q^T Q = gain^2 I and Q Q^T too.
  Tensor sq = initializers::Orthogonal({.gain = 2.0, .seed = 3})({40, 40}, DType::float64);
  EXPECT_EQ(sq.dtype(), DType::float64);
  EXPECT_TRUE(gram_is(sq, 4.0));
  EXPECT_TRUE(gram_is(ops::transpose(sq), 4.0));
  // A conv kernel is orthogonal as a (3*3*4, 8) matrix.
  Tensor conv = initializers::Orthogonal({.seed = 4})({3, 3, 4, 8});
  EXPECT_EQ(conv.shape(), (Shape{3, 3, 4, 8}));
  EXPECT_TRUE(gram_is(ops::reshape(conv, {36, 8}), 1.0));
  // Not a trivial orthogonal matrix (the identity, a permutation): small entries.
  EXPECT_LT(moments_of(initializers::Orthogonal({.seed = 5})({200, 200})).max_abs, 0.5);
  try {
    initializers::Orthogonal()({5});
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_EQ(std::string(e.what()),
              "The tensor to initialize must be at least two-dimensional. Received: shape=(5,) of rank 1.");
  }
}

// Keras's construction: Q of the QR decomposition of a normal (rows, cols) matrix A, with
// R = Q^T A upper triangular with a positive diagonal. The initializer draws A transposed,
// as (cols, rows) from its seed, in float64.
TEST(Initializers, OrthogonalIsTheQOfANormalMatrixWithPositiveR) {
  const std::int64_t rows = 12;
  const std::int64_t cols = 5;
  Tensor q = initializers::Orthogonal({.seed = 21})({rows, cols}, DType::float64);
  Tensor a = ops::transpose(random::normal({cols, rows}, {.dtype = DType::float64, .seed = 21}));
  const auto r = ops::matmul(ops::transpose(q), a).to_vector<double>();
  for (std::int64_t i = 0; i < cols; ++i) {
    EXPECT_GT(r[static_cast<std::size_t>(i * cols + i)], 0.0) << "R[" << i << "][" << i << "]";
    for (std::int64_t j = 0; j < i; ++j) {
      EXPECT_NEAR(r[static_cast<std::size_t>(i * cols + j)], 0.0, 1e-12) << "R[" << i << "][" << j << "]";
    }
  }
  // And Q R gives A back.
  EXPECT_TRUE(all_close(ops::matmul(q, Tensor::from_vector(r, {cols, cols})), a, 1e-12, 1e-12));
}

TEST(Initializers, SeededInitializersRepeat) {
  const Shape shape = {20, 30};
  initializers::GlorotUniform a({.seed = 7});
  EXPECT_EQ(a(shape).to_vector<float>(), a(shape).to_vector<float>());
  EXPECT_EQ(a(shape).to_vector<float>(), initializers::GlorotUniform({.seed = 7})(shape).to_vector<float>());
  EXPECT_NE(a(shape).to_vector<float>(), initializers::GlorotUniform({.seed = 8})(shape).to_vector<float>());
  initializers::Orthogonal o({.seed = 3});
  EXPECT_EQ(o(shape).to_vector<float>(), o(shape).to_vector<float>());
}

TEST(Initializers, UnseededInitializersDrawTheirSeedOnceFromTheGlobalGenerator) {
  const Shape shape = {20, 30};
  utils::set_random_seed(11);
  initializers::HeNormal a;
  initializers::InitializerArg by_name = "random_uniform";
  // One object gives the same values at every call (Keras 3).
  EXPECT_EQ(a(shape).to_vector<float>(), a(shape).to_vector<float>());
  initializers::HeNormal b;  // made later: another seed
  EXPECT_NE(a(shape).to_vector<float>(), b(shape).to_vector<float>());
  utils::set_random_seed(11);
  initializers::HeNormal a2;
  initializers::InitializerArg by_name2 = "random_uniform";
  EXPECT_EQ(a(shape).to_vector<float>(), a2(shape).to_vector<float>());
  EXPECT_EQ(by_name(shape).to_vector<float>(), by_name2(shape).to_vector<float>());
  // The config still says "seed": null.
  EXPECT_TRUE(a.get_config().at("seed").is_null());
  EXPECT_FALSE(a.seed().has_value());
}

TEST(Initializers, SerializeWritesKeras3Objects) {
  // As in a Keras 3 Dense layer's config (docs: formats.md §5).
  EXPECT_EQ(initializers::serialize(initializers::GlorotUniform()),
            json::parse(R"({"module": "keras.initializers", "class_name": "GlorotUniform",
                            "config": {"seed": null}, "registered_name": null})"));
  EXPECT_EQ(initializers::serialize(initializers::Zeros()),
            json::parse(R"({"module": "keras.initializers", "class_name": "Zeros", "config": {},
                            "registered_name": null})"));
  EXPECT_EQ(initializers::serialize(initializers::RandomNormal({.stddev = 0.1, .seed = 3})).at("config"),
            json::parse(R"({"mean": 0.0, "stddev": 0.1, "seed": 3})"));
  EXPECT_EQ(initializers::serialize(initializers::VarianceScaling({.scale = 2.0, .mode = "fan_avg",
                                                                   .distribution = "uniform"}))
                .at("config"),
            json::parse(R"({"scale": 2.0, "mode": "fan_avg", "distribution": "uniform", "seed": null})"));
  EXPECT_EQ(initializers::serialize(initializers::Orthogonal({.gain = 1.5})).at("config"),
            json::parse(R"({"gain": 1.5, "seed": null})"));
  EXPECT_EQ(initializers::serialize(initializers::Constant(0.25)).at("config"), json::parse(R"({"value": 0.25})"));
  EXPECT_TRUE(initializers::serialize(initializers::InitializerArg()).is_null());
}

TEST(Initializers, GetAndSerializeRoundTrip) {
  const std::vector<initializers::InitializerArg> all = {
      initializers::Zeros(),
      initializers::Ones(),
      initializers::Constant(-2.0),
      initializers::Identity({.gain = 3.0}),
      initializers::RandomNormal({.mean = 0.5, .stddev = 0.2, .seed = 1}),
      initializers::TruncatedNormal({.mean = 0.1, .stddev = 0.3}),
      initializers::RandomUniform({.minval = -2, .maxval = 1, .seed = 5}),
      initializers::VarianceScaling({.scale = 0.3, .mode = "fan_out", .distribution = "untruncated_normal"}),
      initializers::VarianceScaling({.seed = 2, .input_axes = std::vector<std::int64_t>{0},
                                     .output_axes = std::vector<std::int64_t>{1}}),
      initializers::GlorotUniform({.seed = 42}),
      initializers::GlorotNormal(),
      initializers::HeUniform(),
      initializers::HeNormal({.seed = 0}),
      initializers::LecunUniform(),
      initializers::LecunNormal(),
      initializers::Orthogonal({.gain = 0.5, .seed = 9}),
  };
  for (const auto& init : all) {
    const json config = initializers::serialize(init);
    const initializers::InitializerPtr back = initializers::get(config);
    ASSERT_NE(back, nullptr);
    EXPECT_EQ(back->class_name(), init->class_name());
    EXPECT_EQ(initializers::serialize(*back), config);
    // Also through the JSON text, as a saved file would go.
    EXPECT_EQ(initializers::serialize(*initializers::get(json::parse(config.dump()))), config);
  }
  // The same seed gives the same values after the round trip.
  const initializers::InitializerPtr back = initializers::get(initializers::serialize(all[9]));
  EXPECT_EQ((*back)({6, 7}).to_vector<float>(), all[9]({6, 7}).to_vector<float>());
}

TEST(Initializers, GetAcceptsKerasNamesAndOlderConfigs) {
  const std::vector<std::pair<std::string, std::string>> names = {
      {"zeros", "Zeros"},       {"zero", "Zeros"},
      {"Zeros", "Zeros"},       {"ones", "Ones"},
      {"one", "Ones"},          {"constant", "Constant"},
      {"identity", "Identity"}, {"IdentityInitializer", "Identity"},
      {"random_normal", "RandomNormal"}, {"normal", "RandomNormal"},
      {"RandomNormal", "RandomNormal"},  {"truncated_normal", "TruncatedNormal"},
      {"random_uniform", "RandomUniform"}, {"uniform", "RandomUniform"},
      {"variance_scaling", "VarianceScaling"}, {"glorot_uniform", "GlorotUniform"},
      {"GlorotUniform", "GlorotUniform"}, {"glorot_normal", "GlorotNormal"},
      {"he_uniform", "HeUniform"}, {"he_normal", "HeNormal"},
      {"HeNormal", "HeNormal"}, {"lecun_uniform", "LecunUniform"},
      {"lecun_normal", "LecunNormal"}, {"orthogonal", "Orthogonal"},
      {"Orthogonal", "Orthogonal"}, {"OrthogonalInitializer", "Orthogonal"},
  };
  for (const auto& [name, cls] : names) {
    EXPECT_EQ(initializers::get(name)->class_name(), cls) << name;
    EXPECT_EQ(initializers::InitializerArg(name)->class_name(), cls) << name;
  }
  EXPECT_EQ(initializers::get(nullptr), nullptr);
  // tf.keras 2 (no module / registered_name) and standalone Keras 2.2 (Glorot written as
  // VarianceScaling with "normal").
  auto glorot = initializers::get(json::parse(R"({"class_name": "GlorotUniform", "config": {"seed": null}})"));
  EXPECT_EQ(glorot->class_name(), "GlorotUniform");
  auto vs = initializers::get(json::parse(
      R"({"class_name": "VarianceScaling", "config": {"scale": 2.0, "mode": "fan_in", "distribution": "normal", "seed": 5}})"));
  const auto& v = dynamic_cast<const initializers::VarianceScaling&>(*vs);
  EXPECT_EQ(v.options().distribution, "truncated_normal");
  EXPECT_EQ(v.options().scale, 2.0);
  EXPECT_EQ(v.seed(), std::optional<std::uint64_t>(5));
  // Keras 3.15+ writes input_axes / output_axes as null.
  auto he = initializers::get(json::parse(
      R"({"module": "keras.initializers", "class_name": "HeNormal", "config": {"seed": null, "input_axes": null, "output_axes": null}, "registered_name": null})"));
  EXPECT_EQ(he->class_name(), "HeNormal");
  EXPECT_EQ(initializers::serialize(*he).at("config"), json::parse(R"({"seed": null})"));
}

TEST(Initializers, GetRejectsUnknownNamesAndKeys) {
  try {
    initializers::get("glorot_uniformm");
    FAIL() << "expected TypeError";
  } catch (const TypeError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("Could not locate class 'glorot_uniformm'.", 0), 0u) << e.what();
  }
  EXPECT_THROW(initializers::InitializerArg("nope"), TypeError);
  EXPECT_THROW(initializers::get(json::parse(R"({"class_name": "Zeros", "config": {"value": 1}})")), TypeError);
  EXPECT_THROW(initializers::get(json::parse(R"({"class_name": "RandomNormal", "config": {"mean": "x"}})")),
               TypeError);
  EXPECT_THROW(initializers::get(json::parse(R"({"config": {}})")), TypeError);
  EXPECT_THROW(initializers::get(json::parse(R"({"class_name": "HeNormal", "config": {"seed": {"class_name": "SeedGenerator"}}})")),
               TypeError);
  EXPECT_THROW(initializers::get(3), ValueError);
}

TEST(Initializers, InitializerArgHoldsNamesObjectsPointersAndCallables) {
  initializers::InitializerArg none;
  EXPECT_FALSE(none.defined());
  EXPECT_THROW(none({2}), ValueError);
  initializers::InitializerArg null_arg = nullptr;
  EXPECT_FALSE(null_arg);

  initializers::InitializerArg from_object = initializers::Constant(4.0);
  EXPECT_EQ(from_object({2}).to_vector<float>(), (std::vector<float>{4.0f, 4.0f}));

  auto shared = std::make_shared<initializers::Ones>();
  initializers::InitializerArg from_ptr = shared;
  EXPECT_EQ(from_ptr.ptr().get(), shared.get());

  initializers::InitializerArg from_fn = [](const Shape& shape, DType dtype) {
    return ops::full(shape, 7.0, dtype);
  };
  EXPECT_EQ(from_fn({3}, DType::float64).to_vector<double>(), (std::vector<double>{7, 7, 7}));
  EXPECT_EQ(from_fn->class_name(), "function");
  EXPECT_THROW(initializers::serialize(from_fn), NotImplementedError);

  initializers::InitializerArg wrong_shape = [](const Shape&, DType dtype) { return ops::zeros({1}, dtype); };
  EXPECT_THROW(wrong_shape({4}), ValueError);
}

// A layer's options struct as the layers declare them: every field takes a name, an object
// or a callable through designated initializers.
struct DenseLikeOptions {
  activations::ActivationArg activation;
  bool use_bias = true;
  initializers::InitializerArg kernel_initializer = "glorot_uniform";
  initializers::InitializerArg bias_initializer = "zeros";
  regularizers::RegularizerArg kernel_regularizer;
  constraints::ConstraintArg kernel_constraint;
};

TEST(Initializers, OptionStructsTakeNamesObjectsAndCallables) {
  DenseLikeOptions defaults;
  EXPECT_EQ(defaults.kernel_initializer->class_name(), "GlorotUniform");
  EXPECT_EQ(defaults.bias_initializer->class_name(), "Zeros");
  EXPECT_TRUE(defaults.activation.is_linear());
  EXPECT_FALSE(defaults.kernel_regularizer);
  EXPECT_FALSE(defaults.kernel_constraint);

  DenseLikeOptions named{.activation = "relu",
                         .kernel_initializer = initializers::HeNormal({.seed = 1}),
                         .kernel_regularizer = "l2",
                         .kernel_constraint = "max_norm"};
  EXPECT_EQ(named.activation.name(), "relu");
  EXPECT_EQ(named.kernel_initializer->class_name(), "HeNormal");
  EXPECT_EQ(named.kernel_regularizer->class_name(), "L2");
  EXPECT_EQ(named.kernel_constraint->class_name(), "MaxNorm");

  DenseLikeOptions objects{.activation = activations::gelu,
                           .kernel_regularizer = regularizers::L1L2({.l1 = 0.1, .l2 = 0.2}),
                           .kernel_constraint = constraints::UnitNorm({.axis = {0, 1}})};
  EXPECT_EQ(objects.activation.name(), "gelu");
  EXPECT_EQ(objects.kernel_constraint->class_name(), "UnitNorm");

  DenseLikeOptions callables{
      .activation = [](const Tensor& x) { return ops::multiply(x, 2.0); },
      .kernel_initializer = [](const Shape& s, DType d) { return ops::ones(s, d); },
      .kernel_regularizer = [](const Tensor& w) { return ops::sum(w); },
      .kernel_constraint = [](const Tensor& w) { return ops::abs(w); }};
  Tensor x({-1.0, 2.0});
  EXPECT_EQ(callables.activation(x).to_vector<float>(), (std::vector<float>{-2.0f, 4.0f}));
  EXPECT_EQ(callables.kernel_initializer({2}).to_vector<float>(), (std::vector<float>{1.0f, 1.0f}));
  EXPECT_EQ(callables.kernel_regularizer(x).item<double>(), 1.0);
  EXPECT_EQ(callables.kernel_constraint(x).to_vector<float>(), (std::vector<float>{1.0f, 2.0f}));
}

}  // namespace
}  // namespace keras
