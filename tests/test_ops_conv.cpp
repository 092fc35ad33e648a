// Convolution, pooling and resizing: forward values against PyTorch (golden files from
// tests/golden/gen_conv.py) in float32 (oneDNN) and float64 (reference kernels),
// gradients against finite differences, argument errors, and shapes on the meta device.
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;
using testing::test_input;

Tensor G(const std::string& name) { return testing::golden("conv/" + name); }
Tensor G64(const std::string& name) { return G(name).astype(DType::float64); }

template <class E, class F>
void expect_error(F f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "expected an exception";
  } catch (const E& e) {
    for (const auto& p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what();
  }
}

// Checks a float32 op (oneDNN) and its float64 twin (reference kernels) against golden.
template <class F>
void expect_both(F f, const std::vector<std::string>& inputs, const std::string& want) {
  std::vector<Tensor> xs;
  std::vector<Tensor> xs64;
  for (const auto& n : inputs) {
    xs.push_back(G(n));
    xs64.push_back(G64(n));
  }
  Tensor got = f(xs);
  EXPECT_EQ(got.dtype(), DType::float32);
  EXPECT_TRUE(all_close(got, G(want), 1e-5, 1e-4)) << want << " (float32)";
  Tensor got64 = f(xs64);
  EXPECT_EQ(got64.dtype(), DType::float64);
  EXPECT_TRUE(all_close(got64, G(want), 1e-5, 1e-4)) << want << " (float64)";
}

using Inputs = std::vector<Tensor>;

// ---- conv --------------------------------------------------------------------------

TEST(Conv, MatchesTorch) {
  expect_both([](const Inputs& x) { return ops::conv(x[0], x[1]); }, {"x2763", "k3334"}, "conv_valid");
  expect_both([](const Inputs& x) { return ops::conv(x[0], x[1], {.strides = {2}, .padding = "same"}); },
              {"x2763", "k3334"}, "conv_same_s2");
  expect_both([](const Inputs& x) { return ops::conv(x[0], x[1], {.padding = "SAME", .dilation_rate = {2}}); },
              {"x2763", "k3334"}, "conv_same_d2");
  expect_both([](const Inputs& x) { return ops::conv(x[0], x[1], {.strides = {2, 1}}); },
              {"x2763", "k2234"}, "conv_valid_s21");
  expect_both([](const Inputs& x) { return ops::conv(x[0], x[1], {.padding = "same"}); },
              {"x2664", "k3326"}, "conv_groups2_same");
  expect_both([](const Inputs& x) {
    return ops::conv(x[0], x[1], {.strides = {2}, .padding = "same", .data_format = "channels_first"});
  }, {"x2763_cf", "k3334"}, "conv_same_s2_cf");
  expect_both([](const Inputs& x) { return ops::conv(x[0], x[1], {.strides = {2}, .padding = "same"}); },
              {"x293", "k334"}, "conv1d_same_s2");
  expect_both([](const Inputs& x) { return ops::conv(x[0], x[1], {.dilation_rate = {2}}); },
              {"x293", "k334"}, "conv1d_valid_d2");
}

TEST(DepthwiseConv, MatchesTorch) {
  expect_both([](const Inputs& x) { return ops::depthwise_conv(x[0], x[1], {.padding = "same"}); },
              {"x2763", "k3332"}, "depthwise_same");
  expect_both([](const Inputs& x) { return ops::depthwise_conv(x[0], x[1], {.strides = {2}}); },
              {"x2763", "k3332"}, "depthwise_valid_s2");
}

TEST(ConvTranspose, MatchesTorchWithKerasShapes) {
  auto ct = [](ops::ConvTransposeOptions o) {
    return [o](const Inputs& x) { return ops::conv_transpose(x[0], x[1], o); };
  };
  expect_both(ct({.strides = {2}, .padding = "same"}), {"x2443", "k3353"}, "convt_same_s2");
  expect_both(ct({.strides = {2}}), {"x2443", "k3353"}, "convt_valid_s2");
  expect_both(ct({.strides = {2}, .output_padding = {1}}), {"x2443", "k3353"}, "convt_valid_s2_op1");
  expect_both(ct({.strides = {2}, .padding = "same", .output_padding = {1}}), {"x2443", "k3353"},
              "convt_same_s2_op1");
  expect_both(ct({.strides = {3}}), {"x2443", "k2253"}, "convt_valid_s3_k2");
  expect_both(ct({.padding = "same"}), {"x2443", "k3353"}, "convt_same_s1");
  EXPECT_EQ(G("convt_same_s2").shape(), (Shape{2, 8, 8, 5}));
  EXPECT_EQ(G("convt_valid_s3_k2").shape(), (Shape{2, 12, 12, 5}));
}

// ---- pooling -----------------------------------------------------------------------

TEST(Pooling, MatchesTorch) {
  auto mp = [](std::vector<std::int64_t> w, ops::PoolOptions o) {
    return [w, o](const Inputs& x) { return ops::max_pool(x[0], w, o); };
  };
  auto ap = [](std::vector<std::int64_t> w, ops::PoolOptions o) {
    return [w, o](const Inputs& x) { return ops::average_pool(x[0], w, o); };
  };
  expect_both(mp({2}, {}), {"x2573"}, "maxpool_valid_2");
  expect_both(mp({3, 3}, {.strides = {2}, .padding = "same"}), {"x2573"}, "maxpool_same_3s2");
  expect_both(ap({2, 2}, {}), {"x2573"}, "avgpool_valid_2");
  expect_both(ap({3}, {.strides = {2, 2}, .padding = "same"}), {"x2573"}, "avgpool_same_3s2");
  expect_both(ap({2}, {.strides = {1}, .padding = "same"}), {"x2573"}, "avgpool_same_2s1");
  expect_both(mp({3}, {.strides = {2}, .padding = "same", .data_format = "channels_first"}), {"x2573_cf"},
              "maxpool_same_3s2_cf");
  expect_both(mp({3}, {.strides = {2}, .padding = "same"}), {"x283"}, "maxpool1d_same_3s2");
  expect_both(ap({3}, {.strides = {2}}), {"x283"}, "avgpool1d_valid_3s2");
}

// ---- resize ------------------------------------------------------------------------

TEST(Resize, MatchesTorchHalfPixel) {
  auto rs = [](std::vector<std::int64_t> size, ops::ResizeOptions o) {
    return [size, o](const Inputs& x) { return ops::resize(x[0], size, o); };
  };
  expect_both(rs({7, 9}, {}), {"x2453"}, "resize_bilinear_up");
  expect_both(rs({3, 2}, {}), {"x2453"}, "resize_bilinear_down");
  expect_both(rs({8, 3}, {}), {"x2453"}, "resize_bilinear_mixed");
  expect_both(rs({7, 9}, {.interpolation = "nearest"}), {"x2453"}, "resize_nearest_up");
  expect_both(rs({3, 2}, {.interpolation = "nearest"}), {"x2453"}, "resize_nearest_down");
  expect_both(rs({7, 9}, {.data_format = "channels_first"}), {"x2453_cf"}, "resize_bilinear_up_cf");
  // One image (rank 3) is resized like a batch of one.
  Tensor one = ops::resize(ops::take(G("x2453"), Tensor::from_vector(std::vector<std::int64_t>{1}), 0), {7, 9});
  EXPECT_TRUE(all_close(ops::squeeze(one, 0), ops::squeeze(ops::slice(G("resize_bilinear_up"), {1, 0, 0, 0}, {1, 7, 9, 3}), 0)));
  Tensor img = ops::reshape(ops::take(G("x2453"), Tensor::from_vector(std::vector<std::int64_t>{1}), 0), {4, 5, 3});
  EXPECT_EQ(ops::resize(img, {7, 9}).shape(), (Shape{7, 9, 3}));
  // Same size is the identity; integer images keep their dtype with "nearest".
  EXPECT_TRUE(all_close(ops::resize(G("x2453"), {4, 5}), G("x2453"), 0, 0));
  EXPECT_EQ(ops::resize(ops::zeros({1, 2, 2, 1}, DType::int32), {4, 4}, {.interpolation = "nearest"}).dtype(),
            DType::int32);
}

// ---- gradients ---------------------------------------------------------------------

TEST(ConvGrad, StridesDilationGroupsFormats) {
  auto cv = [](ops::ConvOptions o) {
    return [o](const Inputs& x) { return ops::conv(x[0], x[1], o); };
  };
  EXPECT_TRUE(check_gradients(cv({}), {test_input({2, 5, 4, 3}, 1), test_input({3, 2, 3, 2}, 2)}));
  EXPECT_TRUE(check_gradients(cv({.strides = {2}, .padding = "same"}), {test_input({1, 5, 6, 2}, 3), test_input({3, 3, 2, 3}, 4)}));
  EXPECT_TRUE(check_gradients(cv({.padding = "same", .dilation_rate = {2}}), {test_input({1, 5, 5, 2}, 5), test_input({2, 3, 2, 2}, 6)}));
  EXPECT_TRUE(check_gradients(cv({.padding = "same"}), {test_input({1, 4, 4, 4}, 7), test_input({3, 3, 2, 4}, 8)}));
  EXPECT_TRUE(check_gradients(cv({.strides = {2}, .data_format = "channels_first"}), {test_input({2, 2, 5, 5}, 9), test_input({3, 2, 2, 3}, 10)}));
  EXPECT_TRUE(check_gradients(cv({.strides = {2}, .padding = "same"}), {test_input({2, 7, 3}, 11), test_input({3, 3, 2}, 12)}));
}

TEST(ConvGrad, DepthwiseAndTranspose) {
  EXPECT_TRUE(check_gradients([](const Inputs& x) { return ops::depthwise_conv(x[0], x[1], {.strides = {2}, .padding = "same"}); },
                              {test_input({1, 5, 5, 2}, 21), test_input({3, 3, 2, 2}, 22)}));
  auto ct = [](ops::ConvTransposeOptions o) {
    return [o](const Inputs& x) { return ops::conv_transpose(x[0], x[1], o); };
  };
  EXPECT_TRUE(check_gradients(ct({.strides = {2}, .padding = "same"}), {test_input({1, 3, 3, 2}, 23), test_input({3, 3, 3, 2}, 24)}));
  EXPECT_TRUE(check_gradients(ct({.strides = {2}, .output_padding = {1}}), {test_input({1, 3, 2, 2}, 25), test_input({2, 2, 2, 2}, 26)}));
  EXPECT_TRUE(check_gradients(ct({.strides = {2}, .data_format = "channels_first"}), {test_input({1, 2, 3, 3}, 27), test_input({3, 3, 2, 2}, 28)}));
}

// Gradients of sum(f(x, w) * weights) in float32 (oneDNN's backward primitives) and in
// float64 (reference loops).
std::vector<Tensor> grads_in(DType dtype, const std::function<Tensor(const Inputs&)>& f, const Inputs& xs64) {
  Inputs xs;
  for (const auto& x : xs64) xs.push_back(x.astype(dtype));
  GradientTape tape;
  for (const auto& x : xs) tape.watch(x);
  Tensor y = f(xs);
  Tensor weights = test_input(y.shape(), 99, 0.5, 1.5).astype(dtype);
  return tape.gradient(ops::sum(ops::multiply(y, weights)), xs);
}

TEST(ConvGrad, Float32OneDnnMatchesFloat64Reference) {
  const std::vector<std::pair<ops::ConvOptions, std::pair<Shape, Shape>>> cases = {
      {{}, {{2, 6, 5, 3}, {3, 2, 3, 4}}},
      {{.strides = {2}, .padding = "same"}, {{2, 7, 6, 4}, {3, 3, 2, 6}}},
      {{.padding = "same", .data_format = "channels_first", .dilation_rate = {2}}, {{2, 3, 7, 7}, {3, 3, 3, 2}}},
      {{.strides = {3}, .padding = "same"}, {{2, 11, 4}, {4, 4, 5}}},
  };
  for (const auto& [options, shapes] : cases) {
    auto f = [o = options](const Inputs& x) { return ops::conv(x[0], x[1], o); };
    const Inputs xs{test_input(shapes.first, 61), test_input(shapes.second, 62)};
    const auto g32 = grads_in(DType::float32, f, xs);
    const auto g64 = grads_in(DType::float64, f, xs);
    EXPECT_TRUE(all_close(g32[0], g64[0], 1e-5, 1e-4)) << shape_str(shapes.first);
    EXPECT_TRUE(all_close(g32[1], g64[1], 1e-4, 1e-4)) << shape_str(shapes.second);
  }
  auto ct = [](const Inputs& x) { return ops::conv_transpose(x[0], x[1], {.strides = {2}, .output_padding = {1}}); };
  const Inputs xs{test_input({2, 3, 4, 3}, 63), test_input({3, 3, 2, 3}, 64)};
  const auto g32 = grads_in(DType::float32, ct, xs);
  const auto g64 = grads_in(DType::float64, ct, xs);
  EXPECT_TRUE(all_close(g32[0], g64[0], 1e-5, 1e-4));
  EXPECT_TRUE(all_close(g32[1], g64[1], 1e-4, 1e-4));
}

TEST(ConvGrad, SecondOrderThroughDataAndWeightGradients) {
  // The gradient of sum(conv(x, w)^2) with respect to x, differentiated again.
  auto f = [](const Inputs& x) {
    GradientTape tape;
    tape.watch(x[0]);
    Tensor y = ops::sum(ops::square(ops::conv(x[0], x[1], {.strides = {2}, .padding = "same"})));
    return tape.gradient(y, x[0]);
  };
  EXPECT_TRUE(check_gradients(f, {test_input({1, 4, 4, 2}, 31), test_input({2, 2, 2, 2}, 32)}));
}

TEST(PoolGrad, MaxAndAverage) {
  auto mp = [](std::vector<std::int64_t> w, ops::PoolOptions o) {
    return [w, o](const Inputs& x) { return ops::max_pool(x[0], w, o); };
  };
  auto ap = [](std::vector<std::int64_t> w, ops::PoolOptions o) {
    return [w, o](const Inputs& x) { return ops::average_pool(x[0], w, o); };
  };
  EXPECT_TRUE(check_gradients(mp({2}, {}), {test_input({2, 4, 4, 2}, 41)}));
  EXPECT_TRUE(check_gradients(mp({3}, {.strides = {2}, .padding = "same"}), {test_input({1, 5, 5, 2}, 42)}));
  EXPECT_TRUE(check_gradients(ap({3}, {.strides = {2}, .padding = "same"}), {test_input({1, 5, 5, 2}, 43)}));
  EXPECT_TRUE(check_gradients(ap({2}, {.data_format = "channels_first"}), {test_input({1, 2, 4, 5}, 44)}));
  EXPECT_TRUE(check_gradients(mp({2}, {.strides = {1}}), {test_input({2, 6, 3}, 45)}));
}

TEST(PoolGrad, Float32MatchesFloat64) {
  // The oneDNN backward (max: re-run forward for the workspace) against the reference.
  Tensor x64 = test_input({2, 5, 6, 3}, 46);
  Tensor x32 = x64.astype(DType::float32);
  for (bool max : {true, false}) {
    auto pool = [&](const Tensor& x) {
      return max ? ops::max_pool(x, {3}, {.strides = {2}, .padding = "same"})
                 : ops::average_pool(x, {3}, {.strides = {2}, .padding = "same"});
    };
    std::vector<Tensor> grads;
    for (const Tensor& x : {x32, x64}) {
      GradientTape tape;
      tape.watch(x);
      Tensor y = ops::sum(ops::multiply(pool(x), ops::arange(0.0, 1.0, 1.0 / 54).astype(x.dtype()).reshape({2, 3, 3, 3})));
      grads.push_back(tape.gradient(y, x));
    }
    EXPECT_TRUE(all_close(grads[0], grads[1], 1e-5, 1e-4)) << (max ? "max" : "average");
  }
}

TEST(PoolGrad, AverageSecondOrderAndMaxRefuses) {
  auto grad_of = [](bool max) {
    return [max](const Inputs& x) {
      GradientTape tape;
      tape.watch(x[0]);
      Tensor y = max ? ops::max_pool(x[0], {2}) : ops::average_pool(x[0], {2});
      return tape.gradient(ops::sum(ops::square(y)), x[0]);
    };
  };
  EXPECT_TRUE(check_gradients(grad_of(false), {test_input({1, 4, 4, 1}, 47)}));
  EXPECT_THROW(check_gradients(grad_of(true), {test_input({1, 4, 4, 1}, 48)}), NotImplementedError);
}

TEST(ResizeGrad, BilinearAndNearest) {
  auto rs = [](std::vector<std::int64_t> size, ops::ResizeOptions o) {
    return [size, o](const Inputs& x) { return ops::resize(x[0], size, o); };
  };
  EXPECT_TRUE(check_gradients(rs({5, 7}, {}), {test_input({1, 3, 4, 2}, 51)}));
  EXPECT_TRUE(check_gradients(rs({2, 3}, {}), {test_input({1, 5, 5, 1}, 52)}));
  EXPECT_TRUE(check_gradients(rs({5, 3}, {.interpolation = "nearest"}), {test_input({2, 3, 4}, 53)}));
}

// ---- errors ------------------------------------------------------------------------

TEST(ConvErrors, NameShapesAndArguments) {
  expect_error<ValueError>([] { ops::conv(ops::zeros({2, 5, 5, 3}), ops::zeros({3, 3, 2, 4})); },
                           {"(2, 5, 5, 3)", "(3, 3, 2, 4)"});
  expect_error<ValueError>([] { ops::conv(ops::zeros({2, 5, 5, 4}), ops::zeros({3, 3, 2, 3})); },
                           {"groups", "(2, 5, 5, 4)"});
  expect_error<ValueError>([] { ops::conv(ops::zeros({2, 2, 2, 3}), ops::zeros({3, 3, 3, 4})); },
                           {"(2, 2, 2, 3)", "(3, 3, 3, 4)"});
  expect_error<ValueError>([] { ops::conv(ops::zeros({2, 5, 5, 3}), ops::zeros({3, 3, 4})); },
                           {"(2, 5, 5, 3)", "(3, 3, 4)"});
  expect_error<ValueError>([] { ops::conv(ops::zeros({5, 3}), ops::zeros({3, 3, 4})); }, {"ndim=3, 4, or 5", "(5, 3)"});
  expect_error<NotImplementedError>([] { ops::conv(ops::zeros({1, 4, 4, 4, 1}), ops::zeros({2, 2, 2, 1, 1})); }, {"(1, 4, 4, 4, 1)"});
  expect_error<ValueError>([] { ops::conv(ops::zeros({1, 5, 5, 3}), ops::zeros({3, 3, 3, 4}), {.padding = "causal"}); },
                           {"causal"});
  expect_error<ValueError>([] { ops::conv(ops::zeros({1, 5, 5, 3}), ops::zeros({3, 3, 3, 4}), {.strides = {1, 2, 3}}); },
                           {"strides"});
  expect_error<ValueError>([] { ops::conv(ops::zeros({1, 5, 5, 3}), ops::zeros({3, 3, 3, 4}), {.data_format = "NHWC"}); },
                           {"NHWC"});
  expect_error<ValueError>([] { ops::depthwise_conv(ops::zeros({1, 5, 5, 3}), ops::zeros({3, 3, 2, 2})); },
                           {"input channels=3", "kernel input channels=2"});
  expect_error<ValueError>([] { ops::conv_transpose(ops::zeros({1, 5, 5, 3}), ops::zeros({3, 3, 4, 2})); },
                           {"(1, 5, 5, 3)", "(3, 3, 4, 2)"});
  expect_error<ValueError>([] { ops::max_pool(ops::zeros({1, 2, 2, 3}), {3}); }, {"(1, 2, 2, 3)", "pool_size=(3, 3)"});
  expect_error<ValueError>([] { ops::average_pool(ops::zeros({1, 4, 4, 3}), {2, 2, 2}); }, {"pool_size"});
  expect_error<ValueError>([] { ops::resize(ops::zeros({4, 4}), {2, 2}); }, {"(4, 4)"});
  expect_error<ValueError>([] { ops::resize(ops::zeros({1, 4, 4, 1}), {2}); }, {"size"});
  expect_error<ValueError>([] { ops::resize(ops::zeros({1, 4, 4, 1}), {2, 2}, {.interpolation = "cubic"}); },
                           {"cubic"});
  expect_error<NotImplementedError>([] { ops::resize(ops::zeros({1, 4, 4, 1}), {2, 2}, {.interpolation = "bicubic"}); },
                                    {"bicubic"});
}

// ---- meta device -------------------------------------------------------------------

TEST(ConvMeta, ShapesWithoutData) {
  const Device meta{DeviceType::meta};
  auto m = [&](const Shape& s) { return Tensor::empty(s, DType::float32, meta); };
  EXPECT_EQ(ops::conv(m({8, 28, 28, 1}), m({3, 3, 1, 32})).shape(), (Shape{8, 26, 26, 32}));
  EXPECT_EQ(ops::conv(m({8, 3, 28, 28}), m({3, 3, 3, 16}), {.strides = {2}, .padding = "same", .data_format = "channels_first"}).shape(),
            (Shape{8, 16, 14, 14}));
  EXPECT_EQ(ops::conv(m({4, 100, 8}), m({5, 8, 16}), {.strides = {3}}).shape(), (Shape{4, 32, 16}));
  EXPECT_EQ(ops::depthwise_conv(m({2, 9, 9, 3}), m({3, 3, 3, 4}), {.padding = "same"}).shape(), (Shape{2, 9, 9, 12}));
  EXPECT_EQ(ops::conv_transpose(m({2, 7, 7, 8}), m({3, 3, 4, 8}), {.strides = {2}}).shape(), (Shape{2, 15, 15, 4}));
  EXPECT_EQ(ops::conv_transpose(m({2, 7, 7, 8}), m({3, 3, 4, 8}), {.strides = {2}, .padding = "same"}).shape(),
            (Shape{2, 14, 14, 4}));
  EXPECT_EQ(ops::max_pool(m({8, 26, 26, 32}), {2}).shape(), (Shape{8, 13, 13, 32}));
  EXPECT_EQ(ops::average_pool(m({8, 25, 25, 32}), {3}, {.strides = {2}, .padding = "same"}).shape(), (Shape{8, 13, 13, 32}));
  EXPECT_EQ(ops::resize(m({2, 10, 12, 3}), {20, 6}).shape(), (Shape{2, 20, 6, 3}));
  EXPECT_EQ(ops::resize(m({3, 10, 12}), {5, 5}, {.interpolation = "nearest", .data_format = "channels_first"}).shape(),
            (Shape{3, 5, 5}));
  EXPECT_THROW(ops::conv(m({8, 28, 28, 2}), m({3, 3, 3, 32})), ValueError);
}

}  // namespace
}  // namespace keras
