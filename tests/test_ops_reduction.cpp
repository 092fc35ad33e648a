// Reductions: values against numpy golden files over every axis layout, Keras's dtypes,
// keepdims, numpy's NaN and tie rules for max / argmax, float32 summation accuracy, the
// parallel kernel paths, gradients (float64 finite differences), errors and meta shapes.
#include <cmath>
#include <limits>

#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;
using testing::test_input;
using ReduceFn = Tensor (*)(const Tensor&, ops::Axes, bool);

Tensor golden(const std::string& name) { return testing::golden("reduction/" + name); }

const std::vector<std::pair<const char*, ops::Axes>>& axis_cases() {
  static const std::vector<std::pair<const char*, ops::Axes>> cases = {
      {"all", ops::Axes()}, {"a0", 0}, {"a1", 1}, {"am1", -1}, {"a02", {0, 2}}, {"a12", {1, 2}}};
  return cases;
}

const std::vector<std::pair<const char*, ReduceFn>>& float_reductions() {
  static const std::vector<std::pair<const char*, ReduceFn>> fns = {
      {"sum", ops::sum},   {"mean", ops::mean}, {"max", ops::max}, {"min", ops::min},
      {"prod", ops::prod}, {"var", ops::var},   {"std", ops::std}, {"logsumexp", ops::logsumexp}};
  return fns;
}

// ---- forward values ----------------------------------------------------------------

TEST(OpsReduction, FloatReductionsMatchNumpyOverEveryAxisLayout) {
  const Tensor x = golden("x");
  for (const auto& [fname, fn] : float_reductions()) {
    for (const auto& [aname, axis] : axis_cases()) {
      const std::string name = std::string(fname) + "_" + aname;
      Tensor y = fn(x, axis, false);
      EXPECT_EQ(y.dtype(), DType::float32) << name;
      EXPECT_TRUE(all_close(y, golden(name), 1e-6, 2e-6)) << name;
    }
  }
}

TEST(OpsReduction, KeepdimsKeepsReducedAxesAsOnes) {
  const Tensor x = golden("x");
  Tensor s = ops::sum(x, 1, true);
  EXPECT_EQ(s.shape(), (Shape{3, 1, 5}));
  EXPECT_TRUE(all_close(s, golden("sum_a1_keep"), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(ops::max(x, {0, 2}, true), golden("max_a02_keep"), 0, 0));
  EXPECT_EQ(ops::mean(x, ops::Axes(), true).shape(), (Shape{1, 1, 1}));
  EXPECT_EQ(ops::sum(x).shape(), Shape{});
  // An empty axis list reduces nothing (numpy's and TF's axis=()).
  Tensor same = ops::sum(x, std::vector<std::int64_t>{}, false);
  EXPECT_TRUE(all_close(same, x, 0, 0));
}

TEST(OpsReduction, IntegerAndBoolDtypesFollowKeras) {
  const Tensor i = golden("i");
  Tensor s = ops::sum(i, 0);
  EXPECT_EQ(s.dtype(), DType::int32);
  EXPECT_TRUE(all_close(s, golden("i_sum_a0"), 0, 0));
  EXPECT_TRUE(all_close(ops::sum(i), golden("i_sum_all"), 0, 0));
  Tensor m = ops::mean(i, 1);
  EXPECT_EQ(m.dtype(), DType::float32);  // mean of integers is floatx
  EXPECT_TRUE(all_close(m, golden("i_mean_a1"), 1e-6, 1e-6));
  EXPECT_EQ(ops::max(i, 1).dtype(), DType::int32);
  EXPECT_TRUE(all_close(ops::max(i, 1), golden("i_max_a1"), 0, 0));
  EXPECT_TRUE(all_close(ops::min(i, 0), golden("i_min_a0"), 0, 0));
  EXPECT_EQ(ops::var(i).dtype(), DType::float32);
  const Tensor l = golden("l");
  EXPECT_EQ(ops::prod(l, 1).dtype(), DType::int64);
  EXPECT_TRUE(all_close(ops::prod(l, 1), golden("l_prod_a1"), 0, 0));
  EXPECT_TRUE(all_close(ops::sum(l, 1), golden("l_sum_a1"), 0, 0));

  const Tensor b = golden("b");
  Tensor bs = ops::sum(b, 0);
  EXPECT_EQ(bs.dtype(), DType::int32);  // sum of bool is int32
  EXPECT_TRUE(all_close(bs, golden("b_sum_a0"), 0, 0));
  EXPECT_EQ(ops::prod(b).dtype(), DType::int32);
  EXPECT_EQ(ops::max(b, 1).dtype(), DType::bool_);
  EXPECT_TRUE(all_close(ops::max(b, 1), golden("b_any_a1"), 0, 0));
  EXPECT_TRUE(all_close(ops::min(b, 1), golden("b_all_a1"), 0, 0));
  EXPECT_EQ(ops::mean(b).dtype(), DType::float32);
}

TEST(OpsReduction, AnyAllMatchNumpy) {
  const Tensor b = golden("b");
  EXPECT_TRUE(all_close(ops::any(b, 1), golden("b_any_a1"), 0, 0));
  EXPECT_TRUE(all_close(ops::all(b, 1), golden("b_all_a1"), 0, 0));
  EXPECT_TRUE(all_close(ops::any(b, 0), golden("b_any_a0"), 0, 0));
  EXPECT_TRUE(all_close(ops::all(b, 0), golden("b_all_a0"), 0, 0));
  EXPECT_EQ(ops::any(b).dtype(), DType::bool_);
  // Non-bool inputs: non-zero is true (NaN too, as numpy).
  Tensor f = Tensor({0.0, std::nan(""), 0.0});
  EXPECT_TRUE(ops::any(f).item<bool>());
  EXPECT_FALSE(ops::all(f).item<bool>());
  EXPECT_TRUE(ops::all(Tensor({2.0, -1.0})).item<bool>());
}

TEST(OpsReduction, ArgmaxArgminFollowNumpyTiesAndNaN) {
  const Tensor am = golden("am");
  Tensor y = ops::argmax(am, 1);
  EXPECT_EQ(y.dtype(), DType::int32);
  EXPECT_TRUE(all_close(y, golden("argmax_a1"), 0, 0));  // first occurrence; NaN wins
  EXPECT_TRUE(all_close(ops::argmin(am, 1), golden("argmin_a1"), 0, 0));
  EXPECT_TRUE(all_close(ops::argmax(am, 0), golden("argmax_a0"), 0, 0));
  EXPECT_TRUE(all_close(ops::argmin(am, 0), golden("argmin_a0"), 0, 0));
  EXPECT_TRUE(all_close(ops::argmax(am), golden("argmax_all"), 0, 0));  // flattened
  Tensor clean = ops::where(ops::isnan(am), 5.0, am);
  EXPECT_TRUE(all_close(ops::argmin(clean), golden("argmin_all"), 0, 0));
  EXPECT_EQ(ops::argmax(am, ops::Axes(), true).shape(), (Shape{1, 1}));
  EXPECT_EQ(ops::argmax(am, 1, true).shape(), (Shape{5, 1}));
  Tensor ints = Tensor::from_vector(std::vector<std::int64_t>{3, 9, 9, -2}, {4});
  EXPECT_EQ(ops::argmax(ints).item<int>(), 1);
  EXPECT_EQ(ops::argmin(ints).item<int>(), 3);
}

TEST(OpsReduction, MaxMinPropagateNaN) {
  Tensor x = Tensor({{1.0, std::nan(""), 3.0}, {4.0, 5.0, 6.0}});
  auto mx = ops::max(x, 1).to_vector<double>();
  EXPECT_TRUE(std::isnan(mx[0]));
  EXPECT_EQ(mx[1], 6.0);
  EXPECT_TRUE(std::isnan(ops::min(x, 0).to_vector<double>()[1]));
  EXPECT_EQ(ops::max(Tensor({-std::numeric_limits<double>::infinity()})).item<double>(),
            -std::numeric_limits<double>::infinity());
}

TEST(OpsReduction, Float32SumOfAMillionIsAccurate) {
  const std::int64_t n = 1 << 20;
  Tensor x = random::uniform({n}, {.minval = 0.0, .maxval = 1.0, .seed = 7});
  const auto v = x.to_vector<double>();
  double exact = 0.0;
  double comp = 0.0;  // Kahan-compensated reference in float64
  for (double e : v) {
    const double y = e - comp;
    const double t = exact + y;
    comp = (t - exact) - y;
    exact = t;
  }
  const double got = ops::sum(x).item<double>();
  // A naive float32 loop is off by ~1e-4 relative here; accumulation in double leaves
  // only the final rounding to float32.
  EXPECT_NEAR(got, exact, exact * 1e-7);
  const double got_mean = ops::mean(ops::reshape(x, {1024, 1024}), 0).to_vector<double>()[0];
  double col = 0.0;
  for (std::int64_t r = 0; r < 1024; ++r) col += v[static_cast<std::size_t>(r * 1024)];
  EXPECT_NEAR(got_mean, col / 1024, 1e-6);
}

// Every kernel path (rows, columns, few outputs with per-thread partials, strided middle
// axes) against a float64 reference computed with plain loops.
TEST(OpsReduction, KernelPathsMatchPlainLoops) {
  struct Case {
    Shape shape;
    std::vector<std::int64_t> axes;
  };
  const std::vector<Case> cases = {{{300, 257}, {1}},      {{300, 257}, {0}},
                                   {{4, 70000}, {1}},      {{70000, 3}, {0}},
                                   {{2, 50000, 2}, {1}},   {{2, 50000, 2}, {0, 2}},
                                   {{7, 6, 5, 4}, {1, 3}}, {{7, 6, 5, 4}, {0, 2}},
                                   {{1, 5, 1, 3}, {0, 1}}, {{600, 1200}, {0}}};
  for (const auto& c : cases) {
    Tensor x = random::uniform(c.shape, {.minval = -1.0, .maxval = 1.0, .seed = 11});
    Tensor s = ops::sum(x, c.axes, true);
    Tensor m = ops::max(x, c.axes, true);
    // Reference: accumulate each input element into its output slot.
    const auto v = x.to_vector<double>();
    const Shape out_shape = s.shape();
    std::vector<double> ref_s(static_cast<std::size_t>(shape_size(out_shape)), 0.0);
    std::vector<double> ref_m(ref_s.size(), -1e300);
    const auto in_strides = contiguous_strides(c.shape);
    const auto out_strides = contiguous_strides(out_shape);
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(v.size()); ++i) {
      std::int64_t o = 0;
      for (std::size_t d = 0; d < c.shape.size(); ++d) {
        const std::int64_t idx = (i / in_strides[d]) % c.shape[d];
        if (out_shape[d] != 1) o += idx * out_strides[d];
      }
      ref_s[static_cast<std::size_t>(o)] += v[static_cast<std::size_t>(i)];
      ref_m[static_cast<std::size_t>(o)] =
          std::max(ref_m[static_cast<std::size_t>(o)], v[static_cast<std::size_t>(i)]);
    }
    const std::string name = shape_str(c.shape);
    EXPECT_TRUE(
        all_close(s, Tensor::from_vector(ref_s, out_shape).astype(DType::float32), 1e-4, 1e-6))
        << name;
    EXPECT_TRUE(all_close(m, Tensor::from_vector(ref_m, out_shape).astype(DType::float32), 0, 0))
        << name;
    Tensor i32 = ops::cast(ops::multiply(x, 100.0), DType::int32);
    Tensor si = ops::sum(i32, c.axes, true);
    Tensor sd = ops::sum(ops::cast(i32, DType::float64), c.axes, true);
    EXPECT_TRUE(all_close(si, sd, 0, 0)) << name;
  }
}

TEST(OpsReduction, ArgmaxKernelPathsMatchPlainLoops) {
  for (const Shape& shape : {Shape{64, 3000}, Shape{3000, 70}, Shape{9, 800, 5}}) {
    Tensor x = random::uniform(shape, {.seed = 5});
    for (int axis = 0; axis < static_cast<int>(shape.size()); ++axis) {
      Tensor a = ops::argmax(x, axis);
      Tensor b = ops::argmin(x, axis);
      // The value at the index must be the extreme.
      Tensor ai = ops::expand_dims(a, axis);
      Tensor bi = ops::expand_dims(b, axis);
      EXPECT_TRUE(all_close(ops::take_along_axis(x, ai, axis), ops::max(x, axis, true), 0, 0));
      EXPECT_TRUE(all_close(ops::take_along_axis(x, bi, axis), ops::min(x, axis, true), 0, 0));
    }
  }
}

TEST(OpsReduction, ScalarsReduceToThemselves) {
  Tensor s = Tensor::scalar(2.5);
  EXPECT_EQ(ops::sum(s).item<double>(), 2.5);
  EXPECT_EQ(ops::max(s, ops::Axes(), true).shape(), Shape{});
  EXPECT_EQ(ops::argmax(s).item<int>(), 0);
  EXPECT_EQ(ops::argmax(s).shape(), Shape{});
  EXPECT_EQ(ops::var(s).item<double>(), 0.0);
}

TEST(OpsReduction, ProdOfZerosAndEmptyReductions) {
  EXPECT_EQ(ops::prod(Tensor({2.0, 0.0, 3.0})).item<double>(), 0.0);
  Tensor empty = Tensor::empty({0, 3}, DType::float32);
  EXPECT_TRUE(all_close(ops::sum(empty, 0), ops::zeros({3}), 0, 0));
  EXPECT_TRUE(all_close(ops::prod(empty, 0), ops::ones({3}), 0, 0));
  EXPECT_EQ(ops::max(empty, 1).shape(), Shape{0});  // nothing to reduce per output: fine
  EXPECT_TRUE(std::isnan(ops::mean(empty).item<double>()));
}

// ---- gradients -------------------------------------------------------------------------

TEST(OpsReductionGrad, SumMeanVarStdLogsumexpProd) {
  const std::vector<std::pair<Shape, ops::Axes>> cases = {
      {{3, 4}, ops::Axes()}, {{3, 4}, 0}, {{2, 3, 4}, {0, 2}}, {{2, 3, 4}, -1}, {{5}, 0}};
  for (const auto& [shape, axis] : cases) {
    for (bool keep : {false, true}) {
      const Tensor x = test_input(shape, 42, 0.5, 1.5);
      for (const auto& [name, fn] : float_reductions()) {
        const auto f = [fn = fn, axis = axis, keep](const std::vector<Tensor>& in) {
          return fn(in[0], axis, keep);
        };
        EXPECT_TRUE(check_gradients(f, {x})) << name << " " << shape_str(shape);
      }
    }
  }
}

TEST(OpsReductionGrad, ThroughBroadcastAndSecondOrder) {
  const Tensor a = test_input({3, 1}, 1);
  const Tensor b = test_input({4}, 2);
  EXPECT_TRUE(check_gradients(
      [](const std::vector<Tensor>& in) { return ops::var(ops::multiply(in[0], in[1]), 0); },
      {a, b}));
  // The gradient of var is itself differentiable.
  const Tensor x = test_input({5}, 3);
  EXPECT_TRUE(check_gradients(
      [](const std::vector<Tensor>& in) {
        GradientTape tape;
        tape.watch(in[0]);
        Tensor v = ops::var(in[0]);
        return tape.gradient(v, in[0]);
      },
      {x}));
}

TEST(OpsReductionGrad, MaxMinSplitAmongTies) {
  Tensor x = Tensor::from_vector(std::vector<double>{1, 3, 3, 2, 0, 0}, {2, 3});
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::sum(ops::add(ops::max(x, 1), ops::min(x, 1)));
  const auto g = tape.gradient(y, x).to_vector<double>();
  // Row 0: max 3 twice (1/2 each), min 1; row 1: max 2, min 0 twice (1/2 each).
  EXPECT_EQ(g, (std::vector<double>{1, 0.5, 0.5, 1, 0.5, 0.5}));
  const Tensor r = test_input({3, 4}, 9);
  for (ReduceFn fn : {ops::max, ops::min}) {
    EXPECT_TRUE(
        check_gradients([fn](const std::vector<Tensor>& in) { return fn(in[0], 1, false); }, {r}));
    EXPECT_TRUE(
        check_gradients([fn](const std::vector<Tensor>& in) { return fn(in[0], {}, true); }, {r}));
  }
}

TEST(OpsReductionGrad, ProdHandlesZeros) {
  auto grad = [](std::vector<double> v) {
    Tensor x = Tensor::from_vector(v, {static_cast<std::int64_t>(v.size())});
    GradientTape tape;
    tape.watch(x);
    return tape.gradient(ops::prod(x), x).to_vector<double>();
  };
  EXPECT_EQ(grad({2, 3, 4}), (std::vector<double>{12, 8, 6}));
  EXPECT_EQ(grad({2, 0, 4}), (std::vector<double>{0, 8, 0}));  // one zero
  EXPECT_EQ(grad({0, 3, 0}), (std::vector<double>{0, 0, 0}));  // two zeros
  Tensor m = Tensor::from_vector(std::vector<double>{1.5, 0, 2, -1, 0.5, 3}, {2, 3});
  EXPECT_TRUE(
      check_gradients([](const std::vector<Tensor>& in) { return ops::prod(in[0], 1); }, {m}));
}

TEST(OpsReductionGrad, MomentsAndIntegerInputs) {
  const Tensor x = test_input({4, 3}, 17);
  EXPECT_TRUE(check_gradients(
      [](const std::vector<Tensor>& in) {
        auto [m, v] = ops::moments(in[0], 0);
        return ops::add(ops::multiply(m, 2.0), v);
      },
      {x}));
  auto [m, v] = ops::moments(golden("x"), {0, 2});
  EXPECT_TRUE(all_close(m, golden("mean_a02"), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(v, golden("var_a02"), 1e-6, 2e-6));
  auto [mk, vk] = ops::moments(golden("x"), 1, true);
  EXPECT_EQ(mk.shape(), (Shape{3, 1, 5}));
  EXPECT_EQ(vk.shape(), (Shape{3, 1, 5}));
}

TEST(OpsReduction, LogsumexpIsStable) {
  Tensor x = Tensor({{1000.0, 1000.0}, {-1000.0, -1000.0}});
  auto y = ops::logsumexp(x, 1).to_vector<double>();
  EXPECT_NEAR(y[0], 1000.0 + std::log(2.0), 1e-3);
  EXPECT_NEAR(y[1], -1000.0 + std::log(2.0), 1e-3);
  const double inf = std::numeric_limits<double>::infinity();
  Tensor ninf = Tensor::from_vector(std::vector<double>{-inf, -inf}, {2});
  EXPECT_EQ(ops::logsumexp(ninf).item<double>(), -inf);
}

// ---- errors and shapes -----------------------------------------------------------------

TEST(OpsReduction, BadAxesRaiseValueErrorNamingTheShape) {
  const Tensor x = ops::zeros({2, 3});
  for (const auto& [name, fn] : float_reductions()) {
    try {
      fn(x, 2, false);
      ADD_FAILURE() << name << " accepted axis 2";
    } catch (const ValueError& e) {
      EXPECT_NE(std::string(e.what()).find("(2, 3)"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("out of bounds"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(ops::sum(x, -3), ValueError);
  EXPECT_THROW(ops::sum(x, {0, -2}), ValueError);  // the same axis twice
  EXPECT_THROW(ops::any(x, 5), ValueError);
  EXPECT_THROW(ops::argmax(x, {0, 1}), ValueError);  // one axis only
  EXPECT_THROW(ops::argmax(x, 2), ValueError);
  EXPECT_THROW(ops::sum(Tensor()), ValueError);
  try {
    ops::max(ops::zeros({0, 3}), 0);
    ADD_FAILURE() << "max over an empty axis";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("(0, 3)"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ops::argmin(ops::zeros({0, 3}), 0), ValueError);
}

TEST(OpsReduction, MetaDeviceComputesShapesAndDtypes) {
  Tensor x = Tensor::empty({2, 3, 4}, DType::float32, Device{DeviceType::meta});
  EXPECT_EQ(ops::sum(x, 1).shape(), (Shape{2, 4}));
  EXPECT_EQ(ops::mean(x, {0, 2}, true).shape(), (Shape{1, 3, 1}));
  EXPECT_EQ(ops::max(x).shape(), Shape{});
  EXPECT_EQ(ops::var(x, -1).shape(), (Shape{2, 3}));
  EXPECT_EQ(ops::logsumexp(x, 0).shape(), (Shape{3, 4}));
  EXPECT_EQ(ops::prod(x, 2).shape(), (Shape{2, 3}));
  Tensor am = ops::argmax(x, 1);
  EXPECT_EQ(am.shape(), (Shape{2, 4}));
  EXPECT_EQ(am.dtype(), DType::int32);
  EXPECT_EQ(am.device().type, DeviceType::meta);
  EXPECT_EQ(ops::argmin(x).shape(), Shape{});
  EXPECT_EQ(ops::any(x, 0).dtype(), DType::bool_);
  auto [m, v] = ops::moments(x, {0, 1});
  EXPECT_EQ(v.shape(), (Shape{4}));
  Tensor i = Tensor::empty({5, 2}, DType::int32, Device{DeviceType::meta});
  EXPECT_EQ(ops::mean(i, 0).dtype(), DType::float32);
  EXPECT_EQ(ops::sum(Tensor::empty({5}, DType::bool_, Device{DeviceType::meta})).dtype(),
            DType::int32);
  EXPECT_THROW(ops::sum(x, 3), ValueError);
}

}  // namespace
}  // namespace keras
