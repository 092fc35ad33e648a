// Elementwise maths: values against numpy golden files, dtype promotion, gradients
// (float64 finite differences, broadcasting included), errors, meta shapes, and the
// accuracy of the float32 kernels over sweeps of the whole float range.
#include <bit>
#include <climits>
#include <limits>

#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;
using testing::test_input;
using Fn1 = Tensor (*)(const Tensor&);
using Fn2 = Tensor (*)(const Tensor&, const Tensor&);

Tensor golden(const std::string& name) { return testing::golden("math/" + name); }

// ---- forward values ----------------------------------------------------------------

TEST(OpsMath, BinaryMatchesNumpyWithBroadcasting) {
  const Tensor a = golden("a"), b = golden("b");
  const std::vector<std::pair<const char*, Fn2>> cases = {{"add", ops::add},
                                                          {"subtract", ops::subtract},
                                                          {"multiply", ops::multiply},
                                                          {"divide", ops::divide},
                                                          {"minimum", ops::minimum},
                                                          {"maximum", ops::maximum},
                                                          {"floor_divide", ops::floor_divide},
                                                          {"mod", ops::mod}};
  for (const auto& [name, fn] : cases) {
    Tensor y = fn(a, b);
    EXPECT_EQ(y.dtype(), DType::float32) << name;
    EXPECT_TRUE(all_close(y, golden(name), 1e-6, 1e-6)) << name;
  }
  EXPECT_TRUE(all_close(ops::power(golden("pos"), golden("expo")), golden("power"), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(ops::true_divide(a, b), golden("divide"), 1e-6, 1e-6));
}

TEST(OpsMath, OperatorsMatchOps) {
  const Tensor a = golden("a"), b = golden("b");
  EXPECT_TRUE(all_close(a + b, golden("add"), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(a - b, golden("subtract"), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(a * b, golden("multiply"), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(a / b, golden("divide"), 1e-6, 1e-6));
  EXPECT_TRUE(all_close(-a, ops::multiply(a, -1.0), 0, 0));
  Tensor c = a;
  c += b;
  EXPECT_TRUE(all_close(c, golden("add"), 1e-6, 1e-6));
  c -= b;
  c *= b;
  EXPECT_TRUE(all_close(c, golden("multiply"), 1e-5, 1e-5));
  c /= b;
  EXPECT_TRUE(all_close(c, a, 1e-5, 1e-5));
  EXPECT_TRUE(all_close(a, golden("a"), 0, 0));  // compound operators rebind, never mutate
}

TEST(OpsMath, UnaryMatchesNumpy) {
  const Tensor u = golden("u"), p = golden("p");
  const std::vector<std::pair<const char*, Fn1>> on_u = {
      {"negative", ops::negative}, {"abs", ops::abs},     {"sign", ops::sign},
      {"square", ops::square},     {"exp", ops::exp},     {"expm1", ops::expm1},
      {"sin", ops::sin},           {"cos", ops::cos},     {"tanh", ops::tanh},
      {"erf", ops::erf},           {"floor", ops::floor}, {"ceil", ops::ceil}};
  for (const auto& [name, fn] : on_u) {
    EXPECT_TRUE(all_close(fn(u), golden(std::string("u_") + name), 1e-7, 3e-7)) << name;
  }
  EXPECT_TRUE(all_close(ops::tan(ops::divide(u, 2.5)), golden("u_tan"), 1e-6, 1e-6));
  const std::vector<std::pair<const char*, Fn1>> on_p = {{"sqrt", ops::sqrt},
                                                         {"rsqrt", ops::rsqrt},
                                                         {"reciprocal", ops::reciprocal},
                                                         {"log", ops::log},
                                                         {"log1p", ops::log1p}};
  for (const auto& [name, fn] : on_p) {
    EXPECT_TRUE(all_close(fn(p), golden(std::string("p_") + name), 1e-7, 3e-7)) << name;
  }
  EXPECT_TRUE(all_close(ops::absolute(u), golden("u_abs"), 0, 0));
}

TEST(OpsMath, RoundIsHalfToEven) {
  EXPECT_TRUE(all_close(ops::round(golden("round_x")), golden("round"), 0, 0));
  Tensor i = Tensor::from_vector(std::vector<std::int32_t>{-3, 4});
  EXPECT_EQ(ops::round(i).dtype(), DType::int32);  // keeps integer dtypes, as Keras
  EXPECT_EQ(ops::floor(i).dtype(), DType::float32);
}

TEST(OpsMath, FloorDivideAndModFollowPython) {
  const Tensor x = golden("fd_x"), y = golden("fd_y");
  // 1 // 0.1 is 9 and -1 // 0.1 is -10 (numpy and Python), not floor(1 / 0.1).
  EXPECT_TRUE(all_close(ops::floor_divide(x, y), golden("fd_floor_divide"), 0, 0));
  EXPECT_TRUE(all_close(ops::mod(x, y), golden("fd_mod"), 0, 0));
  const auto m = ops::mod(Tensor({-3.0, 3.0}), Tensor({2.0, -2.0})).to_vector<float>();
  EXPECT_EQ(m, (std::vector<float>{1.0f, -1.0f}));  // the divisor's sign
  // A zero result takes the divisor's sign too: -2 % 1 is +0.0, 2 % -1 is -0.0.
  const auto z = ops::mod(Tensor({-2.0, 2.0}), Tensor({1.0, -1.0})).to_vector<float>();
  EXPECT_FALSE(std::signbit(z[0]));
  EXPECT_TRUE(std::signbit(z[1]));
}

TEST(OpsMath, IntegerArithmeticMatchesNumpy) {
  const Tensor i = golden("i"), j = golden("j");
  EXPECT_TRUE(all_close(ops::floor_divide(i, j), golden("int_floor_divide"), 0, 0));
  EXPECT_EQ(ops::floor_divide(i, j).dtype(), DType::int32);
  EXPECT_TRUE(all_close(ops::mod(i, j), golden("int_mod"), 0, 0));
  EXPECT_TRUE(all_close(ops::power(i, ops::abs(j)), golden("int_power"), 0, 0));
  EXPECT_EQ(ops::power(i, ops::abs(j)).dtype(), DType::int32);
  EXPECT_TRUE(all_close(ops::add(i, j), golden("int_add"), 0, 0));
  EXPECT_TRUE(all_close(ops::multiply(i, j), golden("int_multiply"), 0, 0));
  Tensor q = ops::divide(i, j);
  EXPECT_EQ(q.dtype(), DType::float32);
  EXPECT_TRUE(all_close(q, golden("int_true_divide"), 1e-6, 1e-6));
}

TEST(OpsMath, IntegerEdgeCasesDoNotTrap) {
  const std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  Tensor a = Tensor::from_vector(std::vector<std::int32_t>{kMin, 7, -7, INT_MAX});
  Tensor b = Tensor::from_vector(std::vector<std::int32_t>{-1, 0, 0, 1});
  // numpy: INT_MIN // -1 wraps to INT_MIN; division by zero gives 0.
  EXPECT_EQ(ops::floor_divide(a, b).to_vector<std::int32_t>(),
            (std::vector<std::int32_t>{kMin, 0, 0, INT_MAX}));
  EXPECT_EQ(ops::mod(a, b).to_vector<std::int32_t>(), (std::vector<std::int32_t>{0, 0, 0, 0}));
  EXPECT_EQ(ops::add(a, b).to_vector<std::int32_t>()[3], kMin);  // wraps like numpy
  EXPECT_EQ(ops::negative(a).to_vector<std::int32_t>()[0], kMin);
  // Exact integer powers beyond 2^53, and negative exponents (0 unless |base| is 1).
  Tensor big = ops::power(Tensor::from_vector(std::vector<std::int64_t>{3, -1, 2, 1}),
                          Tensor::from_vector(std::vector<std::int64_t>{39, -3, -2, -5}));
  EXPECT_EQ(big.to_vector<std::int64_t>(),
            (std::vector<std::int64_t>{4052555153018976267LL, -1, 0, 1}));
}

TEST(OpsMath, ComparisonsAndLogicGiveBool) {
  const Tensor ca = golden("ca"), cb = golden("cb");
  const std::vector<std::pair<const char*, Fn2>> cmp = {
      {"equal", ops::equal},     {"not_equal", ops::not_equal},
      {"less", ops::less},       {"less_equal", ops::less_equal},
      {"greater", ops::greater}, {"greater_equal", ops::greater_equal}};
  for (const auto& [name, fn] : cmp) {
    Tensor y = fn(ca, cb);
    EXPECT_EQ(y.dtype(), DType::bool_) << name;
    EXPECT_TRUE(all_close(y, golden(std::string("cmp_") + name), 0, 0)) << name;
  }
  const Tensor pa = golden("pa"), pb = golden("pb");
  EXPECT_TRUE(all_close(ops::logical_and(pa, pb), golden("logical_and"), 0, 0));
  EXPECT_TRUE(all_close(ops::logical_or(pa, pb), golden("logical_or"), 0, 0));
  EXPECT_TRUE(all_close(ops::logical_xor(pa, pb), golden("logical_xor"), 0, 0));
  EXPECT_TRUE(all_close(ops::logical_not(pa), golden("logical_not"), 0, 0));
  EXPECT_EQ(ops::logical_and(ca, 1).dtype(), DType::bool_);  // non-bool inputs: != 0
  EXPECT_EQ(ops::less(golden("i"), 0.5).dtype(), DType::bool_);
}

TEST(OpsMath, NanAndInfinityHandling) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x = Tensor::from_vector(std::vector<float>{
      1.0f, static_cast<float>(inf), static_cast<float>(-inf), static_cast<float>(nan)});
  EXPECT_EQ(ops::isnan(x).to_vector<int>(), (std::vector<int>{0, 0, 0, 1}));
  EXPECT_EQ(ops::isfinite(x).to_vector<int>(), (std::vector<int>{1, 0, 0, 0}));
  EXPECT_EQ(ops::isfinite(golden("i")).to_vector<int>(), std::vector<int>(12, 1));
  // NaN propagates through minimum / maximum / sign / relu-like selects, as numpy.
  EXPECT_TRUE(std::isnan(ops::maximum(x, 0.0).to_vector<float>()[3]));
  EXPECT_TRUE(std::isnan(ops::minimum(0.0, x).to_vector<float>()[3]));
  EXPECT_TRUE(std::isnan(ops::sign(x).to_vector<float>()[3]));
  EXPECT_EQ(ops::exp(x).to_vector<float>()[1], std::numeric_limits<float>::infinity());
  EXPECT_EQ(ops::exp(x).to_vector<float>()[2], 0.0f);
  EXPECT_EQ(ops::log(Tensor({0.0})).to_vector<float>()[0], -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(ops::log(Tensor({-1.0})).to_vector<float>()[0]));
}

// ---- dtype promotion -----------------------------------------------------------------

TEST(OpsMath, DtypePromotionFollowsKeras) {
  Tensor i32 = Tensor::from_vector(std::vector<std::int32_t>{1, 2});
  Tensor i64 = Tensor::from_vector(std::vector<std::int64_t>{1, 2});
  Tensor f32 = Tensor::from_vector(std::vector<float>{1, 2});
  Tensor f64 = Tensor::from_vector(std::vector<double>{1, 2});
  Tensor b = Tensor::from_vector(std::vector<bool>{true, false});
  EXPECT_EQ((i32 + 1.5).dtype(), DType::float32);
  EXPECT_EQ((i32 + 1).dtype(), DType::int32);
  EXPECT_EQ((i32 + i64).dtype(), DType::int64);
  EXPECT_EQ((b + i32).dtype(), DType::int32);
  EXPECT_EQ((b + 1).dtype(), DType::int32);
  EXPECT_EQ((i32 / i32).dtype(), DType::float32);
  EXPECT_EQ((f32 * 2.0).dtype(), DType::float32);
  EXPECT_EQ((f32 + f64).dtype(), DType::float64);
  EXPECT_EQ((i64 + f32).dtype(), DType::float32);
  EXPECT_EQ(ops::sqrt(i32).dtype(), DType::float32);
  EXPECT_EQ(ops::abs(i32).dtype(), DType::int32);
  EXPECT_EQ(ops::clip(b, 0, 1).dtype(), DType::int32);
  EXPECT_EQ(ops::where(b, i32, 0.5).dtype(), DType::float32);
  EXPECT_EQ((b + 1).to_vector<std::int32_t>(), (std::vector<std::int32_t>{2, 1}));
  EXPECT_EQ((i32 + 1.5).to_vector<float>(), (std::vector<float>{2.5f, 3.5f}));
}

// ---- clip, where, minimum / maximum ----------------------------------------------------

TEST(OpsMath, ClipValuesAndGradient) {
  EXPECT_TRUE(all_close(ops::clip(golden("a"), -1.0, 1.5), golden("clip"), 0, 0));
  Tensor x({-2.0, -1.0, 0.5, 1.5, 3.0});
  Tensor lo = Tensor::scalar(-1.0), hi = Tensor::scalar(1.5);
  GradientTape tape;
  tape.watch(x);
  tape.watch(lo);
  tape.watch(hi);
  Tensor y = ops::sum(ops::multiply(ops::clip(x, lo, hi), Tensor({1.0, 2.0, 3.0, 4.0, 5.0})));
  auto g = tape.gradient(y, std::vector<Tensor>{x, lo, hi});
  // Zero outside, one inside; a value at a bound keeps its gradient.
  EXPECT_TRUE(all_close(g[0], Tensor({0.0, 2.0, 3.0, 4.0, 0.0}), 0, 0));
  EXPECT_TRUE(all_close(g[1], Tensor::scalar(1.0), 0, 0));
  EXPECT_TRUE(all_close(g[2], Tensor::scalar(5.0), 0, 0));
}

TEST(OpsMath, WhereBroadcastsAndRoutesGradient) {
  Tensor cond = ops::greater(golden("a"), 0.0);
  EXPECT_TRUE(all_close(ops::where(cond, golden("a"), golden("b")), golden("where"), 0, 0));
  Tensor c = Tensor::from_vector(std::vector<bool>{true, false, true}, {3, 1});
  EXPECT_EQ(ops::where(c, Tensor({1.0, 2.0}), 0.0).shape(), (Shape{3, 2}));
  auto f = [c](const std::vector<Tensor>& in) { return ops::where(c, in[0], in[1]); };
  EXPECT_TRUE(check_gradients(f, {test_input({1, 4}, 1), test_input({3, 4}, 2)}));
  EXPECT_TRUE(check_gradients(f, {test_input({4}, 3), test_input({}, 4)}));
  EXPECT_THROW(ops::where(c, Tensor({1.0, 2.0}), Tensor({1.0, 2.0, 3.0, 4.0})), ValueError);
}

TEST(OpsMath, MinimumMaximumSplitTiedGradients) {
  Tensor x({1.0, 2.0, 3.0});
  Tensor y({1.0, 5.0, 0.0});
  for (Fn2 fn : {Fn2(ops::maximum), Fn2(ops::minimum)}) {
    GradientTape tape;
    tape.watch(x);
    tape.watch(y);
    auto g = tape.gradient(ops::sum(fn(x, y)), std::vector<Tensor>{x, y});
    const bool is_max = fn == Fn2(ops::maximum);
    EXPECT_TRUE(all_close(g[0], is_max ? Tensor({0.5, 0.0, 1.0}) : Tensor({0.5, 1.0, 0.0}), 0, 0));
    EXPECT_TRUE(all_close(g[1], is_max ? Tensor({0.5, 1.0, 0.0}) : Tensor({0.5, 0.0, 1.0}), 0, 0));
  }
}

// ---- gradients -----------------------------------------------------------------------

struct ShapePair {
  Shape a, b;
};
const std::vector<ShapePair> kBroadcastShapes = {
    {{2, 3}, {3}}, {{2, 1, 4}, {1, 3, 1}}, {{}, {2, 3}}, {{2, 3}, {}}, {{3}, {3}}};

TEST(OpsMath, BinaryGradientsWithBroadcasting) {
  struct Case {
    const char* name;
    Fn2 fn;
    double lo1, hi1, lo2, hi2;  // input ranges keep away from poles and kinks
  };
  const std::vector<Case> cases = {
      {"add", ops::add, -1, 1, -1, 1},           {"subtract", ops::subtract, -1, 1, -1, 1},
      {"multiply", ops::multiply, -1, 1, -1, 1}, {"divide", ops::divide, -1, 1, 0.5, 2},
      {"power", ops::power, 0.5, 2, -2, 2},      {"minimum", ops::minimum, -1, 1, -1, 1},
      {"maximum", ops::maximum, -1, 1, -1, 1},   {"mod", ops::mod, 0.5, 3, 0.7, 1.3}};
  std::uint64_t seed = 10;
  for (const auto& c : cases) {
    for (const auto& s : kBroadcastShapes) {
      auto f = [&c](const std::vector<Tensor>& in) { return c.fn(in[0], in[1]); };
      EXPECT_TRUE(check_gradients(
          f, {test_input(s.a, seed, c.lo1, c.hi1), test_input(s.b, seed + 1, c.lo2, c.hi2)}))
          << c.name << " " << shape_str(s.a) << " " << shape_str(s.b);
      seed += 2;
    }
  }
}

TEST(OpsMath, PowerGradientAtNonPositiveBase) {
  Tensor x({0.0, -2.0, 3.0});
  Tensor p({2.0, 3.0, 2.0});
  GradientTape tape;
  tape.watch(x);
  tape.watch(p);
  auto g = tape.gradient(ops::sum(ops::power(x, p)), std::vector<Tensor>{x, p});
  EXPECT_TRUE(all_close(g[0], Tensor({0.0, 12.0, 6.0})));
  // d/dp x^p = x^p log x, taken as 0 where log x is undefined (no NaN).
  EXPECT_TRUE(all_close(g[1], Tensor({0.0, 0.0, 9.0 * std::log(3.0)})));
}

TEST(OpsMath, UnaryGradients) {
  struct Case {
    const char* name;
    Fn1 fn;
    double lo, hi;
  };
  const std::vector<Case> cases = {{"negative", ops::negative, -1, 1},
                                   {"abs", ops::abs, 0.1, 1},
                                   {"abs-", ops::abs, -1, -0.1},
                                   {"square", ops::square, -1, 1},
                                   {"sqrt", ops::sqrt, 0.2, 2},
                                   {"rsqrt", ops::rsqrt, 0.2, 2},
                                   {"reciprocal", ops::reciprocal, 0.3, 2},
                                   {"exp", ops::exp, -2, 2},
                                   {"expm1", ops::expm1, -2, 2},
                                   {"log", ops::log, 0.2, 2},
                                   {"log1p", ops::log1p, -0.5, 2},
                                   {"sin", ops::sin, -3, 3},
                                   {"cos", ops::cos, -3, 3},
                                   {"tan", ops::tan, -1.2, 1.2},
                                   {"tanh", ops::tanh, -2, 2},
                                   {"erf", ops::erf, -2, 2}};
  std::uint64_t seed = 100;
  for (const auto& c : cases) {
    for (const Shape& shape : {Shape{}, Shape{5}, Shape{2, 3}}) {
      auto f = [&c](const std::vector<Tensor>& in) { return c.fn(in[0]); };
      EXPECT_TRUE(check_gradients(f, {test_input(shape, seed++, c.lo, c.hi)}))
          << c.name << " " << shape_str(shape);
    }
  }
}

TEST(OpsMath, ClipGradientCheck) {
  auto f = [](const std::vector<Tensor>& in) { return ops::clip(in[0], in[1], in[2]); };
  // Bounds broadcast against x; values stay away from the bounds' kinks.
  Tensor x = Tensor::from_vector(std::vector<double>{-3.0, -0.5, 0.2, 0.7, 2.5, 4.0}, {2, 3});
  EXPECT_TRUE(check_gradients(f, {x, Tensor::from_vector(std::vector<double>{-1.0, 0.0, 0.5}),
                                  Tensor::scalar(2.0, DType::float64)}));
}

TEST(OpsMath, SecondOrderGradientOfTanh) {
  Tensor x({0.3, -0.7});
  x = ops::cast(x, DType::float64);
  GradientTape outer;
  outer.watch(x);
  Tensor dy;
  {
    GradientTape inner;
    inner.watch(x);
    dy = inner.gradient(ops::sum(ops::tanh(x)), x);
  }
  Tensor d2 = outer.gradient(ops::sum(dy), x);
  // d2/dx2 tanh = -2 tanh (1 - tanh^2)
  std::vector<double> want;
  for (double v : {0.3, -0.7})
    want.push_back(-2 * std::tanh(v) * (1 - std::tanh(v) * std::tanh(v)));
  EXPECT_TRUE(all_close(d2, Tensor::from_vector(want), 1e-6, 1e-6));
}

TEST(OpsMath, CastPassesGradientBetweenFloats) {
  Tensor x = test_input({3}, 7);
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::cast(x, DType::float32);
  EXPECT_EQ(y.dtype(), DType::float32);
  Tensor g = tape.gradient(ops::sum(ops::multiply(y, 3.0)), x);
  ASSERT_TRUE(g.defined());
  EXPECT_EQ(g.dtype(), DType::float64);
  EXPECT_TRUE(all_close(g, Tensor::from_vector(std::vector<double>{3, 3, 3}), 0, 0));
  // Through an integer cast nothing flows back.
  GradientTape tape2;
  tape2.watch(x);
  Tensor z = ops::cast(ops::cast(x, DType::int32), DType::float64);
  EXPECT_FALSE(tape2.gradient(ops::sum(z), x).defined());
  EXPECT_EQ(ops::cast(Tensor({-1.5, 0.0, 2.7}), DType::int32).to_vector<int>(),
            (std::vector<int>{-1, 0, 2}));
  EXPECT_EQ(ops::cast(Tensor({-1.5, 0.0}), DType::bool_).to_vector<int>(),
            (std::vector<int>{1, 0}));
}

TEST(OpsMath, StopGradientCutsTheTape) {
  Tensor x = test_input({3}, 8);
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::add(ops::multiply(x, 2.0), ops::square(ops::stop_gradient(x)));
  Tensor g = tape.gradient(ops::sum(y), x);
  EXPECT_TRUE(all_close(g, Tensor::from_vector(std::vector<double>{2, 2, 2}), 0, 0));
  EXPECT_TRUE(all_close(ops::stop_gradient(x), x, 0, 0));
  GradientTape tape2;
  tape2.watch(x);
  EXPECT_FALSE(tape2.gradient(ops::sum(ops::stop_gradient(x)), x).defined());
}

TEST(OpsMath, GradientOfMixedPrecisionInputKeepsItsDtype) {
  Tensor x = test_input({3}, 9);
  Tensor w = Tensor::from_vector(std::vector<float>{1, 2, 3});
  GradientTape tape;
  tape.watch(x);
  tape.watch(w);
  auto g = tape.gradient(ops::sum(ops::multiply(x, w)), std::vector<Tensor>{x, w});
  EXPECT_EQ(g[0].dtype(), DType::float64);
  EXPECT_EQ(g[1].dtype(), DType::float32);
  EXPECT_TRUE(all_close(g[1], ops::cast(x, DType::float32), 1e-6, 1e-6));
}

// ---- errors, meta shapes, zero-size --------------------------------------------------

TEST(OpsMath, IncompatibleShapesNameBoth) {
  for (Fn2 fn : {Fn2(ops::add), Fn2(ops::multiply), Fn2(ops::maximum), Fn2(ops::less)}) {
    try {
      fn(ops::zeros({2, 3}), ops::zeros({4, 2}));
      ADD_FAILURE() << "expected ValueError";
    } catch (const ValueError& e) {
      EXPECT_NE(std::string(e.what()).find("(2, 3)"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("(4, 2)"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(ops::exp(Tensor()), ValueError);
  EXPECT_THROW(ops::add(Tensor(), 1.0), ValueError);
}

TEST(OpsMath, MetaDeviceComputesShapesAndDtypes) {
  DeviceScope scope(Device{DeviceType::meta});
  Tensor a = Tensor::empty({2, 1, 4});
  Tensor b = Tensor::empty({3, 1}, DType::int32);
  EXPECT_EQ(ops::power(a, b).shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(ops::floor_divide(b, b).dtype(), DType::int32);
  EXPECT_EQ(ops::greater(a, b).dtype(), DType::bool_);
  EXPECT_EQ(ops::where(ops::less(b, 0), a, 0.0).shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(ops::clip(a, 0.0, 1.0).shape(), (Shape{2, 1, 4}));
  EXPECT_EQ(ops::exp(b).dtype(), DType::float32);
  EXPECT_EQ(ops::cast(a, DType::float64).device().type, DeviceType::meta);
  EXPECT_THROW(ops::add(a, Tensor::empty({5})), ValueError);
}

TEST(OpsMath, ZeroSizeTensors) {
  Tensor e = ops::zeros({0, 3});
  EXPECT_EQ(ops::add(e, Tensor({1.0, 2.0, 3.0})).shape(), (Shape{0, 3}));
  EXPECT_EQ(ops::exp(e).shape(), (Shape{0, 3}));
  EXPECT_EQ(ops::where(ops::greater(e, 0.0), e, 1.0).shape(), (Shape{0, 3}));
  EXPECT_EQ(ops::multiply(ops::zeros({4, 0}), ops::zeros({4, 1})).shape(), (Shape{4, 0}));
  EXPECT_EQ(ops::cast(e, DType::int32).size(), 0);
}

// ---- kernels: broadcast paths and float32 accuracy --------------------------------------

// Reference a + b for 2-D a, b broadcast to (rows, cols), computed element by element.
std::vector<float> reference_add(const Tensor& a, const Tensor& b, std::int64_t rows,
                                 std::int64_t cols) {
  const auto va = a.to_vector<float>(), vb = b.to_vector<float>();
  auto at = [](const std::vector<float>& v, const Shape& s, std::int64_t r, std::int64_t c) {
    const std::int64_t rr = s.size() == 2 && s[0] != 1 ? r : 0;
    const std::int64_t cc = s.back() != 1 ? c : 0;
    return v[static_cast<std::size_t>(rr * s.back() + cc)];
  };
  std::vector<float> out(static_cast<std::size_t>(rows * cols));
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < cols; ++c) {
      out[static_cast<std::size_t>(r * cols + c)] =
          at(va, a.shape(), r, c) + at(vb, b.shape(), r, c);
    }
  }
  return out;
}

TEST(OpsMath, BroadcastKernelPaths) {
  const std::vector<std::pair<Shape, Shape>> cases = {{{128, 4096}, {4096}},
                                                      {{512, 1}, {1, 4096}},
                                                      {{128, 4096}, {128, 1}},
                                                      {{1, 4096}, {128, 4096}},
                                                      {{77, 33}, {77, 33}}};
  std::uint64_t seed = 50;
  for (const auto& [sa, sb] : cases) {
    Tensor a = random::uniform(sa, {.seed = seed++});
    Tensor b = random::uniform(sb, {.seed = seed++});
    Tensor y = a + b;
    const Shape out = broadcast_shapes(sa, sb);
    EXPECT_EQ(y.to_vector<float>(), reference_add(a, b, out[0], out[1]))
        << shape_str(sa) << " + " << shape_str(sb);
  }
}

double ulp_error(float got, double want) {
  if (std::isnan(want)) return std::isnan(got) ? 0 : 1e9;
  const float w = static_cast<float>(want);
  if (std::isinf(w)) return got == w ? 0 : 1e9;
  const double ulp = std::abs(w) < std::numeric_limits<float>::min()
                         ? std::numeric_limits<float>::denorm_min()
                         : std::nextafter(std::abs(w), INFINITY) - std::abs(w);
  return std::abs(static_cast<double>(got) - want) / ulp;
}

// Every 4099th float32 bit pattern (about a million values: both signs, denormals,
// infinities, NaNs) through the op, against libm in double.
void expect_max_ulp(const char* name, Fn1 op, double (*reference)(double), double max_ulp) {
  std::vector<float> xs;
  for (std::uint64_t bits = 0; bits < (std::uint64_t{1} << 32); bits += 4099) {
    xs.push_back(std::bit_cast<float>(static_cast<std::uint32_t>(bits)));
  }
  const auto ys = op(Tensor::from_vector(xs)).to_vector<float>();
  double worst = 0;
  float worst_x = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double e = ulp_error(ys[i], reference(static_cast<double>(xs[i])));
    if (e > worst) {
      worst = e;
      worst_x = xs[i];
    }
  }
  EXPECT_LE(worst, max_ulp) << name << " worst at x = " << worst_x;
}

TEST(OpsMath, Float32TranscendentalsAreAccurate) {
  expect_max_ulp(
      "exp", ops::exp, [](double x) { return std::exp(x); }, 1.0);
  expect_max_ulp(
      "expm1", ops::expm1, [](double x) { return std::expm1(x); }, 1.5);
  expect_max_ulp(
      "log", ops::log, [](double x) { return std::log(x); }, 1.0);
  expect_max_ulp(
      "log1p", ops::log1p, [](double x) { return std::log1p(x); }, 1.5);
  expect_max_ulp(
      "tanh", ops::tanh, [](double x) { return std::tanh(x); }, 2.5);
  expect_max_ulp(
      "erf", ops::erf, [](double x) { return std::erf(x); }, 1.0);
  expect_max_ulp(
      "sqrt", ops::sqrt, [](double x) { return std::sqrt(x); }, 0.5);
}

}  // namespace
}  // namespace keras
