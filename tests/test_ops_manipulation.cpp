// Shape manipulation and indexing ops: forward values against numpy (golden files from
// tests/golden/gen_manipulation.py), gradients against finite differences, errors, and
// shapes on the meta device.
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;
using testing::test_input;

Tensor G(const std::string& name) { return testing::golden("manipulation/" + name); }

// Same shape, dtype and (copied, so exactly equal) values.
::testing::AssertionResult same(const Tensor& got, const Tensor& want) {
  if (got.dtype() != want.dtype()) {
    return ::testing::AssertionFailure() << "dtype " << dtype_name(got.dtype()) << " vs "
                                         << dtype_name(want.dtype());
  }
  return all_close(got, want, 0.0, 0.0);
}

// Asserts that f throws E and that its message contains every one of `parts`.
template <class E, class F>
void expect_error(F f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "expected an exception";
  } catch (const E& e) {
    for (const auto& p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what();
  }
}

Tensor ints(const std::vector<std::int64_t>& v, const Shape& shape) { return Tensor::from_vector(v, shape); }

// ---- forward values ----------------------------------------------------------------

TEST(Transpose, MatchesNumpy) {
  EXPECT_TRUE(same(ops::transpose(G("f234")), G("transpose_f234")));
  EXPECT_TRUE(same(ops::transpose(G("f234"), {1, 0, 2}), G("transpose_f234_102")));
  EXPECT_TRUE(same(ops::transpose(G("f234"), {-1, 0, 1}), G("transpose_f234_201")));
  EXPECT_TRUE(same(ops::permute_dimensions(G("f234"), {2, 0, 1}), G("transpose_f234_201")));
  EXPECT_TRUE(same(ops::transpose(G("i34")), G("transpose_i34")));
  EXPECT_TRUE(same(ops::transpose(G("b23")), G("transpose_b23")));
  EXPECT_TRUE(same(ops::moveaxis(G("f234"), 0, -1), G("moveaxis_f234_0_m1")));
  EXPECT_TRUE(same(ops::swapaxes(G("f234"), 0, 2), G("swapaxes_f234_0_2")));
}

TEST(Transpose, MovingOnlyUnitAxesKeepsValues) {
  Tensor x = ops::reshape(ops::arange(6.0), {2, 1, 3});
  Tensor y = ops::transpose(x, {1, 0, 2});
  EXPECT_EQ(y.shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(y.to_vector<float>(), x.to_vector<float>());
}

TEST(Reshape, InfersUnknownDimAndSqueezeExpand) {
  Tensor x = G("f234");
  EXPECT_EQ(ops::reshape(x, {-1, 4}).shape(), (Shape{6, 4}));
  EXPECT_EQ(ops::reshape(x, {4, -1}).to_vector<float>(), x.to_vector<float>());
  EXPECT_EQ(ops::expand_dims(x, 0).shape(), (Shape{1, 2, 3, 4}));
  EXPECT_EQ(ops::expand_dims(x, -1).shape(), (Shape{2, 3, 4, 1}));
  EXPECT_EQ(ops::expand_dims(x, -2).shape(), (Shape{2, 3, 1, 4}));
  EXPECT_EQ(ops::expand_dims(x, 3).shape(), (Shape{2, 3, 4, 1}));
  Tensor u = ops::zeros({1, 3, 1, 2});
  EXPECT_EQ(ops::squeeze(u).shape(), (Shape{3, 2}));
  EXPECT_EQ(ops::squeeze(u, -2).shape(), (Shape{1, 3, 2}));
  EXPECT_EQ(ops::squeeze(u, {0, 2}).shape(), (Shape{3, 2}));
  EXPECT_EQ(ops::flatten(x).shape(), (Shape{24}));
  EXPECT_EQ(ops::ravel(x).to_vector<float>(), x.to_vector<float>());
  EXPECT_EQ(ops::batch_flatten(x).shape(), (Shape{2, 12}));
  EXPECT_EQ(ops::batch_flatten(ops::zeros({5})).shape(), (Shape{5, 1}));
  EXPECT_EQ(ops::flatten(Tensor::scalar(3.0)).shape(), (Shape{1}));
}

TEST(Concatenate, MatchesNumpyAndPromotes) {
  EXPECT_TRUE(same(ops::concatenate({G("concat_a"), G("concat_b")}, 1), G("concat_ab_axis1")));
  EXPECT_TRUE(same(ops::concatenate({G("concat_a"), G("concat_b")}, -1), G("concat_ab_axis1")));
  EXPECT_TRUE(same(ops::concatenate({G("concat_i"), G("concat_a")}), G("concat_ia_axis0")));
  Tensor b = G("b23");
  EXPECT_TRUE(same(ops::concatenate({b, ops::slice(b, {0, 0}, {1, 3})}), G("concat_bool_axis0")));
  Tensor empty = ops::zeros({2, 0});
  EXPECT_TRUE(same(ops::concatenate({empty, G("concat_a"), empty}, 1), G("concat_a")));
}

TEST(Stack, MatchesNumpy) {
  const std::vector<Tensor> xs{G("stack_0"), G("stack_1"), G("stack_2")};
  EXPECT_TRUE(same(ops::stack(xs, 1), G("stack_axis1")));
  EXPECT_TRUE(same(ops::stack(xs, -1), G("stack_axism1")));
  EXPECT_EQ(ops::stack(xs).shape(), (Shape{3, 2, 3}));
}

TEST(Split, MatchesNumpy) {
  auto sections = ops::split(G("split_x"), 3, 0);
  ASSERT_EQ(sections.size(), 3u);
  for (int k = 0; k < 3; ++k) EXPECT_TRUE(same(sections[k], G("split_3_axis0_" + std::to_string(k))));
  auto pieces = ops::split(G("split_x"), std::vector<std::int64_t>{1, 3}, 1);
  ASSERT_EQ(pieces.size(), 3u);
  for (int k = 0; k < 3; ++k) EXPECT_TRUE(same(pieces[k], G("split_idx13_axis1_" + std::to_string(k))));
}

TEST(Split, OutOfOrderIndicesSliceLikeNumpy) {
  Tensor x = ops::arange(6.0);
  auto pieces = ops::split(x, std::vector<std::int64_t>{4, 2, -1, 9});
  ASSERT_EQ(pieces.size(), 5u);
  EXPECT_EQ(pieces[0].to_vector<float>(), (std::vector<float>{0, 1, 2, 3}));  // [0:4]
  EXPECT_EQ(pieces[1].size(), 0);                                             // [4:2]
  EXPECT_EQ(pieces[2].to_vector<float>(), (std::vector<float>{2, 3, 4}));     // [2:-1]
  EXPECT_EQ(pieces[3].to_vector<float>(), (std::vector<float>{5}));           // [-1:9]
  EXPECT_EQ(pieces[4].size(), 0);                                             // [9:]
}

TEST(Slice, MatchesNumpy) {
  EXPECT_TRUE(same(ops::slice(G("f234"), {0, 1, 1}, {2, 2, 3}), G("slice_f234")));
  EXPECT_TRUE(same(ops::slice(G("f234"), {0, 1, 1}, {-1, 2, -1}), G("slice_f234")));
  Tensor f56 = G("f56");
  EXPECT_TRUE(same(ops::strided_slice(f56, {1, 0}, {4, 6}, {1, 3}), G("strided_f56_a")));
  EXPECT_TRUE(same(ops::strided_slice(f56, {4, -1}, {-100, 0}, {-2, -2}), G("strided_f56_b")));
  EXPECT_TRUE(same(ops::strided_slice(f56, {-1}, {-7}, {-1}), G("strided_f56_c")));
  EXPECT_TRUE(same(ops::strided_slice(f56, {10, -20}, {2, 20}, {-3, 4}), G("strided_f56_d")));
  EXPECT_EQ(ops::strided_slice(f56, {3}, {1}).shape(), (Shape{0, 6}));
}

TEST(Flip, MatchesNumpy) {
  EXPECT_TRUE(same(ops::flip(G("f234")), G("flip_f234_all")));
  EXPECT_TRUE(same(ops::flip(G("f234"), {0, 2}), G("flip_f234_02")));
  EXPECT_TRUE(same(ops::flip(G("i34"), 1), G("flip_i34_1")));
}

TEST(Take, MatchesNumpy) {
  EXPECT_TRUE(same(ops::take(G("take_x"), G("take_i0"), 0), G("take_axis0")));
  EXPECT_TRUE(same(ops::take(G("take_x"), G("take_i1"), 1), G("take_axis1")));
  EXPECT_TRUE(same(ops::take(G("take_x"), G("take_flat")), G("take_none")));
  EXPECT_TRUE(same(ops::gather(G("take_x"), G("take_i0"), 0), G("take_axis0")));
  EXPECT_TRUE(same(ops::take(G("i34"), G("take_i1"), 1), G("take_i34_axis1")));
  Tensor row = ops::take(G("take_x"), Tensor(2), 0);  // a scalar index drops the axis
  EXPECT_TRUE(same(row, ops::reshape(ops::slice(G("take_x"), {2, 0}, {1, 3}), {3})));
}

TEST(Take, LargeGatherMatchesPerRowSlices) {
  // Large enough to run the parallel paths: embedding-style rows and element gathers.
  Tensor table = ops::reshape(ops::arange(0.0, 1000.0 * 64.0, 1.0, DType::float32), {1000, 64});
  std::vector<std::int64_t> idx;
  for (int i = 0; i < 4096; ++i) idx.push_back((i * 7919) % 1000 - (i % 3 == 0 ? 1000 : 0));
  Tensor rows = ops::take(table, ints(idx, {4096}), 0);
  const auto v = rows.to_vector<float>();
  for (std::size_t j = 0; j < idx.size(); j += 97) {
    const std::int64_t r = idx[j] < 0 ? idx[j] + 1000 : idx[j];
    EXPECT_EQ(v[j * 64 + 5], static_cast<float>(r * 64 + 5));
  }
  Tensor cols = ops::take(table, ints({63, 0, -64}, {3}), 1);
  EXPECT_EQ(cols.shape(), (Shape{1000, 3}));
  EXPECT_EQ(cols.to_vector<float>()[999 * 3], 999.0f * 64 + 63);
  EXPECT_EQ(cols.to_vector<float>()[999 * 3 + 2], 999.0f * 64);
}

TEST(TakeAlongAxis, MatchesNumpy) {
  EXPECT_TRUE(same(ops::take_along_axis(G("tal_x"), G("tal_i"), 1), G("tal_axis1")));
  EXPECT_TRUE(same(ops::take_along_axis(G("tal_x"), G("tal_i0"), 0), G("tal_axis0")));
  EXPECT_TRUE(same(ops::take_along_axis(G("tal_xb"), G("tal_i"), -1), G("tal_broadcast")));
}

TEST(OneHot, MatchesNumpy) {
  EXPECT_TRUE(same(ops::one_hot(G("onehot_x"), 4), G("onehot_last")));
  EXPECT_TRUE(same(ops::one_hot(G("onehot_x"), 4, 0), G("onehot_axis0")));
  Tensor i = ops::one_hot(G("onehot_x"), 4, -1, DType::int32);
  EXPECT_EQ(i.dtype(), DType::int32);
  EXPECT_TRUE(all_close(i, G("onehot_last"), 0, 0));
}

TEST(Pad, MatchesNumpy) {
  Tensor x = G("pad_x");
  EXPECT_TRUE(same(ops::pad(x, {{1, 2}, {0, 1}}, "constant", 1.5), G("pad_constant")));
  EXPECT_TRUE(same(ops::pad(x, {{2, 3}, {1, 1}}, "reflect"), G("pad_reflect")));
  EXPECT_TRUE(same(ops::pad(x, {{5, 7}, {0, 6}}, "reflect"), G("pad_reflect_wide")));
  EXPECT_TRUE(same(ops::pad(x, {{4, 0}, {2, 5}}, "symmetric"), G("pad_symmetric")));
  EXPECT_TRUE(same(ops::pad(x, {{1, 2}, {3, 0}}, "edge"), G("pad_edge")));
  EXPECT_TRUE(same(ops::pad(x, {{3, 1}, {0, 4}}, "wrap"), G("pad_wrap")));
  // Wider wraps are periodic (numpy >= 1.25).
  EXPECT_EQ(ops::pad(ops::arange(3.0), {{4, 1}}, "wrap").to_vector<float>(),
            (std::vector<float>{2, 0, 1, 2, 0, 1, 2, 0}));
  EXPECT_TRUE(same(ops::pad(G("i34"), {{0, 1}, {2, 0}}), G("pad_i34")));
  EXPECT_EQ(ops::pad(x, {{1, 1}}).shape(), (Shape{5, 6}));  // one pair applies to every axis
}

TEST(TileRepeat, MatchNumpy) {
  Tensor a = G("concat_a");
  EXPECT_TRUE(same(ops::tile(a, {2, 1, 2}), G("tile_f23_212")));
  EXPECT_TRUE(same(ops::tile(a, {3}), G("tile_f23_3")));
  EXPECT_TRUE(same(ops::tile(G("b23"), {2, 1}), G("tile_b23_21")));
  EXPECT_TRUE(same(ops::repeat(a, 2, 1), G("repeat_f23_2_axis1")));
  EXPECT_TRUE(same(ops::repeat(a, 3), G("repeat_f23_3_none")));
  EXPECT_TRUE(same(ops::repeat(G("i34"), 2, 0), G("repeat_i34_2_axis0")));
  EXPECT_EQ(ops::repeat(a, 0, 0).shape(), (Shape{0, 3}));
}

TEST(BroadcastTo, MatchesNumpy) {
  EXPECT_TRUE(same(ops::broadcast_to(G("bcast_x"), {2, 3, 4}), G("bcast_234")));
}

TEST(Triangles, MatchNumpy) {
  Tensor x = G("tri_x");
  EXPECT_TRUE(same(ops::tril(x), G("tril_0")));
  EXPECT_TRUE(same(ops::tril(x, 1), G("tril_1")));
  EXPECT_TRUE(same(ops::triu(x, -2), G("triu_m2")));
  EXPECT_TRUE(same(ops::triu(x), G("triu_0")));
  EXPECT_TRUE(same(ops::triu(G("i34"), 1), G("triu_i34_1")));
}

// ---- gradients ---------------------------------------------------------------------

TEST(ManipulationGradients, Permutations) {
  Tensor x = test_input({2, 3, 4}, 1);
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::transpose(v[0]); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::transpose(v[0], {1, 2, 0}); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::swapaxes(v[0], 0, 1); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::moveaxis(v[0], 2, 0); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::square(ops::transpose(v[0])); }, {x}));
}

TEST(ManipulationGradients, Reshapes) {
  Tensor x = test_input({2, 1, 3}, 2);
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::squeeze(v[0]); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::expand_dims(v[0], -1); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::flatten(v[0]); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::batch_flatten(v[0]); }, {x}));
}

TEST(ManipulationGradients, JoinAndSplit) {
  Tensor a = test_input({2, 3}, 3);
  Tensor b = test_input({2, 2}, 4);
  Tensor c = test_input({2, 3}, 5);
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::concatenate({v[0], v[1], v[0]}, 1); }, {a, b}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::stack({v[0], v[1]}, 2); }, {a, c}));
  Tensor x = test_input({6, 4}, 6);
  // Pieces used out of order, one twice and one not at all.
  EXPECT_TRUE(check_gradients(
      [](const auto& v) {
        auto p = ops::split(v[0], 3, 0);
        return ops::concatenate({ops::multiply(p[2], p[2]), p[0], p[2]}, 0);
      },
      {x}));
  EXPECT_TRUE(check_gradients(
      [](const auto& v) {
        auto p = ops::split(v[0], std::vector<std::int64_t>{1, 3}, 1);
        return ops::concatenate({p[1], ops::multiply(p[0], 3.0)}, 1);
      },
      {x}));
  // Concatenating an integer tensor with a float one differentiates the float one.
  Tensor i = ops::ones({1, 3}, DType::int32);
  EXPECT_TRUE(check_gradients([i](const auto& v) { return ops::concatenate({i, v[0]}, 0); }, {a}));
}

TEST(ManipulationGradients, Slicing) {
  Tensor x = test_input({4, 5}, 7);
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::slice(v[0], {1, 2}, {2, -1}); }, {x}));
  EXPECT_TRUE(check_gradients(
      [](const auto& v) { return ops::strided_slice(v[0], {3, -1}, {-10, 0}, {-2, -2}); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::strided_slice(v[0], {1}, {4}, {2}); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::flip(v[0]); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::flip(v[0], -1); }, {x}));
  EXPECT_TRUE(check_gradients(
      [](const auto& v) { return ops::square(ops::slice(v[0], {0, 1}, {3, 3})); }, {x}));
}

TEST(ManipulationGradients, Padding) {
  Tensor x = test_input({3, 4}, 8);
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::pad(v[0], {{1, 2}, {0, 3}}, "constant", 2.0); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::pad(v[0], {{2, 5}, {1, 1}}, "reflect"); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::pad(v[0], {{3, 1}, {0, 4}}, "symmetric"); }, {x}));
}

TEST(ManipulationGradients, TileRepeatBroadcast) {
  Tensor x = test_input({2, 3}, 9);
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::tile(v[0], {2, 1, 3}); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::repeat(v[0], 3, 0); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::repeat(v[0], 2); }, {x}));
  Tensor y = test_input({3, 1}, 10);
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::broadcast_to(v[0], {2, 3, 4}); }, {y}));
}

TEST(ManipulationGradients, Indexing) {
  Tensor x = test_input({5, 3}, 11);
  Tensor repeated = ints({1, -1, 1, 4, 1, 0}, {2, 3});  // duplicates must accumulate
  EXPECT_TRUE(check_gradients([repeated](const auto& v) { return ops::take(v[0], repeated, 0); }, {x}));
  Tensor cols = Tensor::from_vector(std::vector<std::int32_t>{2, 2, -1, 0}, {4});
  EXPECT_TRUE(check_gradients([cols](const auto& v) { return ops::take(v[0], cols, 1); }, {x}));
  EXPECT_TRUE(check_gradients([repeated](const auto& v) { return ops::take(v[0], repeated); }, {x}));
  EXPECT_TRUE(check_gradients([repeated](const auto& v) { return ops::square(ops::take(v[0], repeated, 0)); }, {x}));
  Tensor along = ints({0, 2, -1, 1, 1, 1, 0, 0, 2, 2}, {5, 2});
  EXPECT_TRUE(check_gradients([along](const auto& v) { return ops::take_along_axis(v[0], along, 1); }, {x}));
  Tensor xb = test_input({1, 3}, 12);  // broadcast over x's first axis
  EXPECT_TRUE(check_gradients([along](const auto& v) { return ops::take_along_axis(v[0], along, 1); }, {xb}));
}

TEST(ManipulationGradients, SecondOrderThroughTakeAndScatter) {
  // The inner gradient of square(take(x)) weighted by w is 2 * scatter_add(w * take(x)),
  // linear in x; its gradient weighted by v is 2 * v[r] * (sum of w's rows that took r).
  Tensor x = test_input({5, 3}, 14);
  Tensor idx = ints({1, 1, 4, -1}, {4});
  Tensor w = test_input({4, 3}, 15);
  Tensor v = test_input({5, 3}, 16);
  GradientTape outer;
  outer.watch(x);
  Tensor first;
  {
    GradientTape inner;
    inner.watch(x);
    first = inner.gradient(ops::square(ops::take(x, idx, 0)), x, {.output_gradients = w});
  }
  Tensor second = outer.gradient(first, x, {.output_gradients = v});
  const auto wv = w.to_vector<double>();
  const auto vv = v.to_vector<double>();
  std::vector<double> want(15, 0.0);
  const int rows[] = {1, 1, 4, 4};
  for (int j = 0; j < 4; ++j) {
    for (int c = 0; c < 3; ++c) want[rows[j] * 3 + c] += 2 * vv[rows[j] * 3 + c] * wv[j * 3 + c];
  }
  EXPECT_TRUE(all_close(second, Tensor::from_vector(want, {5, 3}), 1e-12, 1e-12));
}

TEST(ManipulationGradients, Triangles) {
  Tensor x = test_input({2, 3, 4}, 13);
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::tril(v[0], -1); }, {x}));
  EXPECT_TRUE(check_gradients([](const auto& v) { return ops::triu(v[0], 1); }, {x}));
}

TEST(ScatterAdd, LargeRepeatedIndicesAccumulateOnEveryPath) {
  // take's gradient runs scatter_add: outer == 1 with wide rows (column split), narrow rows
  // (destination split) and outer > 1 (outer split), each with heavy repetition.
  for (const Shape& shape : {Shape{50, 256}, Shape{50, 1}, Shape{64, 50, 3}}) {
    const int axis = shape.size() == 3 ? 1 : 0;
    Tensor x = ops::zeros(shape);
    std::vector<std::int64_t> idx;
    for (int i = 0; i < 40000; ++i) idx.push_back(i % 7 == 0 ? -1 : i % 50);
    Tensor indices = ints(idx, {static_cast<std::int64_t>(idx.size())});
    GradientTape tape;
    tape.watch(x);
    Tensor y = ops::take(x, indices, axis);
    Tensor g = tape.gradient(y, x);
    // Row r receives one per occurrence of r (and of r - 50 for the last row).
    std::vector<double> count(50, 0);
    for (auto i : idx) count[static_cast<std::size_t>(i < 0 ? i + 50 : i)] += 1;
    const auto v = g.to_vector<double>();
    const std::int64_t inner = shape.back() == 3 ? 3 : shape.back();
    for (std::size_t r = 0; r < 50; ++r) {
      EXPECT_EQ(v[r * static_cast<std::size_t>(inner)], count[r]) << shape_str(shape) << " row " << r;
    }
  }
}

// ---- errors ------------------------------------------------------------------------

TEST(ManipulationErrors, ShapesAndAxes) {
  Tensor x = ops::zeros({2, 3});
  expect_error<ValueError>([&] { ops::reshape(x, {4, 2}); }, {"(2, 3)", "(4, 2)"});
  expect_error<ValueError>([&] { ops::reshape(x, {-1, -1}); }, {"one unknown"});
  expect_error<ValueError>([&] { ops::transpose(x, {0, 0}); }, {"(0, 0)", "(2, 3)"});
  expect_error<ValueError>([&] { ops::transpose(x, {1}); }, {"(2, 3)"});
  expect_error<ValueError>([&] { ops::transpose(x, {0, 2}); }, {"(2, 3)"});
  expect_error<ValueError>([&] { ops::squeeze(x, 1); }, {"Cannot squeeze axis 1", "(2, 3)"});
  EXPECT_THROW(ops::expand_dims(x, 3), ValueError);
  EXPECT_THROW(ops::swapaxes(x, 0, 2), ValueError);
  expect_error<ValueError>([&] { ops::concatenate({x, ops::zeros({3, 3})}, 1); }, {"(3, 3)", "(2, 3)"});
  expect_error<ValueError>([&] { ops::concatenate({x, ops::zeros({2, 3, 1})}); }, {"(2, 3, 1)", "(2, 3)"});
  EXPECT_THROW(ops::concatenate({}), ValueError);
  EXPECT_THROW(ops::concatenate({x, x}, 2), ValueError);
  expect_error<ValueError>([&] { ops::stack({x, ops::zeros({3, 2})}); }, {"(3, 2)", "(2, 3)"});
  expect_error<ValueError>([&] { ops::split(x, 2, 1); }, {"divisible", "3 and 2"});
  EXPECT_THROW(ops::split(x, 0, 1), ValueError);
  EXPECT_THROW(ops::broadcast_to(x, {3, 3}), ValueError);
  EXPECT_THROW(ops::broadcast_to(x, {3}), ValueError);
}

TEST(ManipulationErrors, Slicing) {
  Tensor x = ops::zeros({2, 3});
  expect_error<ValueError>([&] { ops::slice(x, {1, 1}, {2, 2}); }, {"(2, 2)", "(2, 3)"});
  EXPECT_THROW(ops::slice(x, {-1, 0}, {1, 1}), ValueError);
  EXPECT_THROW(ops::slice(x, {0}, {1}), ValueError);
  expect_error<ValueError>([&] { ops::strided_slice(x, {0}, {2}, {0}); }, {"step cannot be zero"});
  EXPECT_THROW(ops::strided_slice(x, {0, 0, 0}, {1, 1, 1}), ValueError);
  EXPECT_THROW(ops::strided_slice(x, {0, 0}, {1}), ValueError);
  EXPECT_THROW(ops::flip(x, 2), ValueError);
  expect_error<ValueError>([&] { ops::pad(x, {{1, 1}, {1, 1}, {1, 1}}); }, {"pad_width", "(2, 3)"});
  EXPECT_THROW(ops::pad(x, {{-1, 0}, {0, 0}}), ValueError);
  EXPECT_THROW(ops::pad(x, {{1, 1}, {1, 1}}, "mirror"), ValueError);
  EXPECT_THROW(ops::pad(ops::zeros({0, 2}), {{1, 0}, {0, 0}}, "reflect"), ValueError);
  EXPECT_THROW(ops::tile(x, {-1}), ValueError);
  EXPECT_THROW(ops::repeat(x, -2), ValueError);
  expect_error<ValueError>([&] { ops::tril(ops::zeros({3})); }, {"(3,)"});
}

TEST(ManipulationErrors, Indexing) {
  Tensor x = ops::zeros({4, 5});
  expect_error<ValueError>([&] { ops::take(x, ints({0, 5}, {2}), 1); }, {"index 5", "size 5", "(4, 5)"});
  expect_error<ValueError>([&] { ops::take(x, ints({-5}, {1}), 0); }, {"index -5", "size 4"});
  expect_error<ValueError>([&] { ops::take(x, ints({20}, {1})); }, {"index 20", "size 20"});
  EXPECT_THROW(ops::take(x, ops::zeros({2}), 0), TypeError);
  EXPECT_THROW(ops::take(x, ints({0}, {1}), 2), ValueError);
  expect_error<ValueError>([&] { ops::take_along_axis(x, ints({0}, {1}), 1); }, {"(4, 5)", "(1,)"});
  expect_error<ValueError>([&] { ops::take_along_axis(x, ints({0, 7}, {1, 2}), 1); }, {"index 7", "(4, 5)"});
  EXPECT_THROW(ops::take_along_axis(x, ints({0, 0, 0}, {3, 1}), 1), ValueError);  // 3 vs 4 rows
  EXPECT_THROW(ops::one_hot(ints({1}, {1}), 0), ValueError);
}

// ---- meta device -------------------------------------------------------------------

TEST(ManipulationMeta, ShapesWithoutData) {
  DeviceScope scope(Device{DeviceType::meta});
  Tensor x = Tensor::empty({2, 3, 4});
  Tensor i = Tensor::empty({5, 2}, DType::int64);
  EXPECT_EQ(ops::transpose(x).shape(), (Shape{4, 3, 2}));
  EXPECT_EQ(ops::moveaxis(x, 0, -1).shape(), (Shape{3, 4, 2}));
  EXPECT_EQ(ops::reshape(x, {-1, 2}).shape(), (Shape{12, 2}));
  EXPECT_EQ(ops::squeeze(ops::expand_dims(x, 1)).shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(ops::concatenate({x, x}, 1).shape(), (Shape{2, 6, 4}));
  EXPECT_EQ(ops::stack({x, x}, -1).shape(), (Shape{2, 3, 4, 2}));
  EXPECT_EQ(ops::split(x, std::vector<std::int64_t>{1}, 2)[1].shape(), (Shape{2, 3, 3}));
  EXPECT_EQ(ops::slice(x, {0, 1, 0}, {1, -1, 2}).shape(), (Shape{1, 2, 2}));
  EXPECT_EQ(ops::strided_slice(x, {0, -1}, {2, -4}, {1, -1}).shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(ops::flip(x, 1).shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(ops::take(x, i, 1).shape(), (Shape{2, 5, 2, 4}));
  EXPECT_EQ(ops::take(x, i).shape(), (Shape{5, 2}));
  EXPECT_EQ(ops::take(x, Tensor(1), -1).shape(), (Shape{2, 3}));
  EXPECT_EQ(ops::take_along_axis(x, Tensor::empty({2, 3, 7}, DType::int32), 2).shape(), (Shape{2, 3, 7}));
  EXPECT_EQ(ops::one_hot(i, 3, 1).shape(), (Shape{5, 3, 2}));
  EXPECT_EQ(ops::pad(x, {{1, 1}, {0, 2}, {3, 0}}).shape(), (Shape{4, 5, 7}));
  EXPECT_EQ(ops::pad(x, {{1, 1}, {0, 2}, {3, 0}}, "reflect").shape(), (Shape{4, 5, 7}));
  EXPECT_EQ(ops::tile(x, {2, 1, 1, 3}).shape(), (Shape{2, 2, 3, 12}));
  EXPECT_EQ(ops::repeat(x, 2, 1).shape(), (Shape{2, 6, 4}));
  EXPECT_EQ(ops::broadcast_to(ops::expand_dims(x, 0), {5, 2, 3, 4}).shape(), (Shape{5, 2, 3, 4}));
  EXPECT_EQ(ops::batch_flatten(x).shape(), (Shape{2, 12}));
  EXPECT_EQ(ops::tril(x).shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(ops::transpose(x).device().type, DeviceType::meta);
  EXPECT_THROW(ops::concatenate({x, Tensor::empty({2, 3})}), ValueError);
  EXPECT_THROW(ops::split(x, 3, 2), ValueError);
}

}  // namespace
}  // namespace keras
