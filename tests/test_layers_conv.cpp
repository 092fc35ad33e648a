// The convolution, pooling and spatial reshaping layers (include/keras/layers/
// {convolutional,pooling,reshaping}.hpp): forward values against
// tests/golden/gen_layers_conv.py (torch.nn.functional in float64 from float32 inputs and
// weights, saved as float32), symbolic output shapes, finite-difference gradients w.r.t.
// inputs and weights, weights' names and shapes, masks, configs (Keras's names and values,
// round trips through the registry, Keras 1 names) and argument errors.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "keras/gradient_tape.hpp"
#include "keras/input.hpp"
#include "keras/layer_registry.hpp"
#include "keras/layers/convolutional.hpp"
#include "keras/layers/pooling.hpp"
#include "keras/layers/reshaping.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;

constexpr DType f64 = DType::float64;
// The goldens are float64 results rounded once to float32.
constexpr double kAtol = 1e-6;
constexpr double kRtol = 1e-6;

Tensor gold(const std::string& name) { return testing::golden("layers_conv/" + name); }

using Make = std::function<LayerPtr()>;

// Builds a layer from `make`, sets its weights (golden names), runs it eagerly on the
// golden input `x` and compares with the golden `y`; then checks a fresh layer's symbolic
// output shape against y's shape (batch axis None).
void expect_golden(const Make& make, const std::string& x, const std::vector<std::string>& weights,
                   const std::string& y, const CallArgs& args = {}) {
  SCOPED_TRACE(y);
  const Tensor input = gold(x);
  const Tensor expected = gold(y);
  const LayerPtr layer = make();
  (*layer)(input, args);  // builds
  if (!weights.empty()) {
    Tensors values;
    for (const auto& w : weights) values.push_back(gold(w));
    layer->set_weights(values);
  }
  const Tensor out = (*layer)(input, args);
  EXPECT_EQ(out.dtype(), layer->dtype());
  EXPECT_TRUE(all_close(out, expected, kAtol, kRtol));
  Shape in_shape = input.shape();
  in_shape.erase(in_shape.begin());
  Shape out_shape = expected.shape();
  out_shape[0] = None;
  EXPECT_EQ(Tensor((*make())(Input(in_shape, {.dtype = f64}))).shape(), out_shape);
}

std::vector<std::string> weight_names(const Layer& layer) {
  std::vector<std::string> names;
  for (const auto& w : layer.weights()) names.push_back(w.name());
  return names;
}

using testing::value_error;

// `fn` throws a ValueError whose message contains `part`.
template <class F>
::testing::AssertionResult raises(F&& fn, const std::string& part) {
  const std::string message = value_error(std::forward<F>(fn));
  if (message.empty()) return ::testing::AssertionFailure() << "no ValueError";
  if (message.find(part) == std::string::npos) {
    return ::testing::AssertionFailure() << "message \"" << message << "\" lacks \"" << part << "\"";
  }
  return ::testing::AssertionSuccess();
}

// Gradient w.r.t. the layer's input (float64).
::testing::AssertionResult check_input_gradients(const LayerPtr& layer, const Tensor& x) {
  return check_gradients([&](const std::vector<Tensor>& xs) { return Tensor((*layer)(xs[0])); }, {x});
}

using testing::check_weight_gradients;

// Both gradient checks on a fresh float64 input of `shape`.
void expect_gradients(const LayerPtr& layer, const Shape& shape, std::uint64_t seed, bool weights = true) {
  const Tensor x = testing::test_input(shape, seed);
  EXPECT_TRUE(check_input_gradients(layer, x)) << layer->class_name();
  if (weights) {
    EXPECT_TRUE(check_weight_gradients(*layer, x)) << layer->class_name();
  }
}

// get_config -> the registry's from_config -> get_config gives the same dict.
void expect_config_round_trip(const Layer& layer) {
  const json config = layer.get_config();
  const LayerPtr rebuilt = layer_from_config(layer.class_name(), config);
  EXPECT_EQ(rebuilt->class_name(), layer.class_name());
  EXPECT_EQ(rebuilt->get_config(), config) << config.dump();
}

class LayersConv : public ::testing::Test {
 protected:
  void SetUp() override { ops::clear_session(); }
};

// ---- Conv2D -------------------------------------------------------------------------------------

TEST_F(LayersConv, Conv2DForwardMatchesTorch) {
  const std::vector<std::string> w = {"conv2d_k", "conv2d_b"};
  expect_golden([] { return LayerPtr(layers::Conv2D(4, {3, 2}, {.dtype = f64})); }, "conv2d_x", w, "conv2d_valid");
  expect_golden(
      [] { return LayerPtr(layers::Conv2D(4, {3, 2}, {.strides = {2}, .padding = "same", .activation = "relu", .dtype = f64})); },
      "conv2d_x", w, "conv2d_same_s2_relu");
  expect_golden(
      [] {
        return LayerPtr(layers::Conv2D(4, {3, 2},
                                       {.strides = {2, 2}, .padding = "same", .data_format = "channels_first",
                                        .activation = "relu", .dtype = f64}));
      },
      "conv2d_x_cf", w, "conv2d_same_s2_relu_cf");
  expect_golden([] { return LayerPtr(layers::Conv2D(6, 2, {.dilation_rate = {2}, .groups = 2, .dtype = f64})); },
                "conv2d_groups_x", {"conv2d_groups_k", "conv2d_groups_b"}, "conv2d_groups2_d2");
}

TEST_F(LayersConv, Conv2DFloat32AndAlias) {
  // The default float32 layer, within float32 rounding.
  auto conv = layers::Convolution2D(4, {3, 2});
  const Tensor x = gold("conv2d_x");
  conv(x);
  conv->set_weights({gold("conv2d_k"), gold("conv2d_b")});
  const Tensor y = conv(x);
  EXPECT_EQ(y.dtype(), DType::float32);
  EXPECT_TRUE(all_close(y, gold("conv2d_valid"), 1e-5, 1e-5));
  EXPECT_EQ(conv->class_name(), "Conv2D");
}

TEST_F(LayersConv, Conv2DWeights) {
  auto conv = layers::Conv2D(4, {3, 2}, {.dtype = f64});
  conv(Input({5, 6, 3}, {.dtype = f64}));
  EXPECT_EQ(weight_names(*conv), (std::vector<std::string>{"kernel", "bias"}));
  EXPECT_EQ(conv->kernel().shape(), (Shape{3, 2, 3, 4}));
  EXPECT_EQ(conv->bias().shape(), (Shape{4}));
  EXPECT_EQ(conv->kernel().dtype(), f64);
  EXPECT_EQ(ops::max(ops::abs(conv->bias().value())).item<double>(), 0.0);
  // glorot_uniform: fan_in 3*2*3 = 18, fan_out 3*2*4 = 24.
  EXPECT_LE(ops::max(ops::abs(conv->kernel().value())).item<double>(), std::sqrt(6.0 / (18 + 24)));
  // The kernel keeps Keras's layout in channels_first too; groups divide the input channels.
  auto cf = layers::Conv2D(6, 3, {.data_format = "channels_first", .groups = 3, .use_bias = false});
  cf(Input({3, 8, 8}));
  EXPECT_EQ(weight_names(*cf), (std::vector<std::string>{"kernel"}));
  EXPECT_EQ(cf->kernel().shape(), (Shape{3, 3, 1, 6}));
}

TEST_F(LayersConv, Conv2DGradients) {
  expect_gradients(layers::Conv2D(3, {2, 3}, {.strides = {2}, .padding = "same", .activation = "tanh", .dtype = f64}),
                   {1, 5, 5, 2}, 1);
  expect_gradients(layers::Conv2D(4, 2, {.dilation_rate = {2}, .groups = 2, .dtype = f64}), {1, 4, 4, 4}, 2);
  expect_gradients(layers::Conv2D(2, 2, {.data_format = "channels_first", .dtype = f64}), {1, 2, 4, 3}, 3);
}

// ---- Conv1D -------------------------------------------------------------------------------------

TEST_F(LayersConv, Conv1DForwardMatchesTorch) {
  const std::vector<std::string> w = {"conv1d_k", "conv1d_b"};
  expect_golden([] { return LayerPtr(layers::Conv1D(2, 3, {.padding = "causal", .dilation_rate = {2}, .dtype = f64})); },
                "conv1d_x", w, "conv1d_causal_d2");
  expect_golden(
      [] { return LayerPtr(layers::Conv1D(2, 3, {.strides = {2}, .padding = "same", .activation = "tanh", .dtype = f64})); },
      "conv1d_x", w, "conv1d_same_s2_tanh");
  expect_golden(
      [] {
        return LayerPtr(layers::Conv1D(2, {3}, {.strides = {2}, .padding = "same", .data_format = "channels_first",
                                                .activation = "tanh", .dtype = f64}));
      },
      "conv1d_x_cf", w, "conv1d_same_s2_tanh_cf");
}

TEST_F(LayersConv, Conv1DCausalOutputDependsOnThePastOnly) {
  auto conv = layers::Conv1D(1, 3, {.padding = "causal", .dilation_rate = {2}, .dtype = f64});
  const Tensor x = testing::test_input({1, 9, 1}, 7);
  const auto y = Tensor(conv(x)).to_vector<double>();
  // Changing step 6 leaves outputs 0..5 unchanged.
  auto v = x.to_vector<double>();
  v[6] += 1.0;
  const auto y2 = Tensor(conv(Tensor::from_vector(v, x.shape()))).to_vector<double>();
  ASSERT_EQ(y.size(), 9u);
  for (std::size_t t = 0; t < 6; ++t) EXPECT_EQ(y[t], y2[t]) << t;
  EXPECT_NE(y[6], y2[6]);
}

TEST_F(LayersConv, Conv1DGradients) {
  expect_gradients(layers::Conv1D(2, 3, {.padding = "causal", .dilation_rate = {2}, .activation = "tanh", .dtype = f64}),
                   {2, 6, 2}, 4);
  expect_gradients(layers::Conv1D(2, 3, {.strides = {2}, .padding = "same", .dtype = f64}), {1, 7, 3}, 5);
}

// ---- Conv2DTranspose, Conv1DTranspose ---------------------------------------------------------------

TEST_F(LayersConv, ConvTransposeForwardMatchesTorch) {
  const std::vector<std::string> w = {"convt2d_k", "convt2d_b"};
  expect_golden([] { return LayerPtr(layers::Conv2DTranspose(2, 3, {.strides = {2}, .padding = "same", .dtype = f64})); },
                "convt2d_x", w, "convt2d_same_s2");
  expect_golden(
      [] {
        return LayerPtr(layers::Conv2DTranspose(2, {3, 3}, {.strides = {2}, .padding = "valid", .output_padding = {1}, .dtype = f64}));
      },
      "convt2d_x", w, "convt2d_valid_s2_op1");
  expect_golden(
      [] {
        return LayerPtr(layers::Conv2DTranspose(
            2, 3, {.strides = {2, 2}, .padding = "same", .data_format = "channels_first", .dtype = f64}));
      },
      "convt2d_x_cf", w, "convt2d_same_s2_cf");
  expect_golden([] { return LayerPtr(layers::Conv1DTranspose(2, 3, {.strides = {2}, .dtype = f64})); }, "convt1d_x",
                {"convt1d_k", "convt1d_b"}, "convt1d_valid_s2");
}

TEST_F(LayersConv, ConvTransposeWeightsAndShapes) {
  auto convt = layers::Conv2DTranspose(2, 3, {.strides = {2}, .padding = "same"});
  convt(Input({3, 4, 3}));
  EXPECT_EQ(weight_names(*convt), (std::vector<std::string>{"kernel", "bias"}));
  EXPECT_EQ(convt->kernel().shape(), (Shape{3, 3, 2, 3}));  // (spatial..., filters, in)
  EXPECT_EQ(convt->bias().shape(), (Shape{2}));
  EXPECT_EQ(gold("convt2d_same_s2").shape(), (Shape{2, 6, 8, 2}));
  EXPECT_EQ(gold("convt2d_valid_s2_op1").shape(), (Shape{2, 8, 10, 2}));
  EXPECT_EQ(gold("convt1d_valid_s2").shape(), (Shape{2, 11, 2}));
}

TEST_F(LayersConv, ConvTransposeGradients) {
  expect_gradients(layers::Conv2DTranspose(2, 3, {.strides = {2}, .padding = "same", .dtype = f64}), {1, 3, 2, 2}, 6);
  expect_gradients(layers::Conv2DTranspose(2, 2, {.strides = {2}, .output_padding = {1}, .dtype = f64}), {1, 2, 3, 2}, 7);
  expect_gradients(layers::Conv1DTranspose(2, 3, {.strides = {2}, .activation = "tanh", .dtype = f64}), {2, 3, 2}, 8);
}

// ---- DepthwiseConv2D, DepthwiseConv1D --------------------------------------------------------------------

TEST_F(LayersConv, DepthwiseForwardMatchesTorch) {
  const std::vector<std::string> w = {"dw2d_k", "dw2d_b"};
  expect_golden(
      [] { return LayerPtr(layers::DepthwiseConv2D(3, {.padding = "same", .depth_multiplier = 2, .dtype = f64})); },
      "dw2d_x", w, "dw2d_same_m2");
  expect_golden(
      [] {
        return LayerPtr(layers::DepthwiseConv2D(
            {3, 3}, {.strides = {2}, .depth_multiplier = 2, .data_format = "channels_first", .dtype = f64}));
      },
      "dw2d_x_cf", w, "dw2d_valid_s2_cf");
  expect_golden([] { return LayerPtr(layers::DepthwiseConv1D(2, {.depth_multiplier = 2, .dtype = f64})); }, "dw1d_x",
                {"dw1d_k", "dw1d_b"}, "dw1d_valid_m2");
}

TEST_F(LayersConv, DepthwiseWeights) {
  auto dw = layers::DepthwiseConv2D(3, {.depth_multiplier = 2});
  dw(Input({5, 5, 3}));
  EXPECT_EQ(weight_names(*dw), (std::vector<std::string>{"kernel", "bias"}));
  EXPECT_EQ(dw->kernel().shape(), (Shape{3, 3, 3, 2}));
  EXPECT_EQ(dw->bias().shape(), (Shape{6}));
}

TEST_F(LayersConv, DepthwiseGradients) {
  expect_gradients(layers::DepthwiseConv2D(3, {.strides = {2}, .padding = "same", .depth_multiplier = 2, .dtype = f64}),
                   {1, 5, 5, 2}, 9);
  expect_gradients(layers::DepthwiseConv1D(2, {.depth_multiplier = 2, .activation = "tanh", .dtype = f64}), {2, 5, 3}, 10);
}

// ---- SeparableConv2D, SeparableConv1D --------------------------------------------------------------------

TEST_F(LayersConv, SeparableForwardMatchesTorch) {
  const std::vector<std::string> w = {"sep2d_dk", "sep2d_pk", "sep2d_b"};
  expect_golden(
      [] {
        return LayerPtr(layers::SeparableConv2D(4, 3, {.strides = {2}, .padding = "same", .depth_multiplier = 2, .dtype = f64}));
      },
      "sep2d_x", w, "sep2d_same_s2_m2");
  expect_golden(
      [] {
        return LayerPtr(layers::SeparableConv2D(4, {3, 3},
                                                {.strides = {2}, .padding = "same", .data_format = "channels_first",
                                                 .depth_multiplier = 2, .dtype = f64}));
      },
      "sep2d_x_cf", w, "sep2d_same_s2_m2_cf");
  expect_golden([] { return LayerPtr(layers::SeparableConv1D(2, 3, {.activation = "relu", .dtype = f64})); }, "sep1d_x",
                {"sep1d_dk", "sep1d_pk", "sep1d_b"}, "sep1d_valid_relu");
}

TEST_F(LayersConv, SeparableWeights) {
  auto sep = layers::SeparableConv2D(4, 3, {.depth_multiplier = 2});
  sep(Input({6, 6, 3}));
  EXPECT_EQ(weight_names(*sep), (std::vector<std::string>{"depthwise_kernel", "pointwise_kernel", "bias"}));
  EXPECT_EQ(sep->depthwise_kernel().shape(), (Shape{3, 3, 3, 2}));
  EXPECT_EQ(sep->pointwise_kernel().shape(), (Shape{1, 1, 6, 4}));
  EXPECT_EQ(sep->bias().shape(), (Shape{4}));
}

TEST_F(LayersConv, SeparableGradients) {
  expect_gradients(layers::SeparableConv2D(3, 2, {.padding = "same", .depth_multiplier = 2, .dtype = f64}), {1, 3, 4, 2},
                   11);
  expect_gradients(layers::SeparableConv1D(2, 3, {.strides = {2}, .activation = "tanh", .dtype = f64}), {2, 6, 3}, 12);
}

// ---- pooling ------------------------------------------------------------------------------------------

TEST_F(LayersConv, PoolingForwardMatchesTorch) {
  expect_golden([] { return LayerPtr(layers::MaxPooling2D()); }, "pool2d_x", {}, "maxpool2d_default");
  expect_golden([] { return LayerPtr(layers::AveragePooling2D(3, {.strides = {2}, .padding = "same"})); }, "pool2d_x", {},
                "avgpool2d_3s2_same");
  expect_golden(
      [] { return LayerPtr(layers::MaxPool2D({3, 3}, {.strides = {2, 2}, .padding = "same", .data_format = "channels_first"})); },
      "pool2d_x_cf", {}, "maxpool2d_3s2_same_cf");
  expect_golden(
      [] { return LayerPtr(layers::AvgPool2D(2, {.strides = {1}, .padding = "valid", .data_format = "channels_first"})); },
      "pool2d_x_cf", {}, "avgpool2d_2s1_valid_cf");
  expect_golden([] { return LayerPtr(layers::MaxPooling1D(3, {.strides = {2}, .padding = "same"})); }, "pool1d_x", {},
                "maxpool1d_3s2_same");
  expect_golden([] { return LayerPtr(layers::AveragePooling1D(2)); }, "pool1d_x", {}, "avgpool1d_default_valid");
}

TEST_F(LayersConv, PoolingHasNoWeightsAndKeepsTheInputDtype) {
  auto pool = layers::MaxPooling2D();
  const Tensor y = pool(ops::cast(gold("pool2d_x"), f64));
  EXPECT_TRUE(pool->weights().empty());
  EXPECT_EQ(y.dtype(), DType::float32);  // the layer's dtype (floatx): inputs are cast to it
  EXPECT_TRUE(all_close(y, gold("maxpool2d_default"), 0, 0));
}

TEST_F(LayersConv, PoolingGradients) {
  expect_gradients(layers::MaxPooling2D(3, {.strides = {2}, .padding = "same", .dtype = f64}), {1, 5, 4, 2}, 13, false);
  expect_gradients(layers::AveragePooling2D(3, {.strides = {2}, .padding = "same", .dtype = f64}), {1, 5, 4, 2}, 14, false);
  expect_gradients(layers::MaxPooling1D(3, {.strides = {2}, .padding = "same", .dtype = f64}), {2, 7, 2}, 15, false);
  expect_gradients(layers::AveragePooling1D(2, {.data_format = "channels_first", .dtype = f64}), {2, 2, 6}, 16, false);
}

// ---- global pooling ------------------------------------------------------------------------------------------

TEST_F(LayersConv, GlobalPoolingForwardMatchesTorch) {
  expect_golden([] { return LayerPtr(layers::GlobalMaxPooling2D()); }, "pool2d_x", {}, "gmax2d");
  expect_golden(
      [] { return LayerPtr(layers::GlobalAveragePooling2D({.data_format = "channels_first", .keepdims = true, .dtype = f64})); },
      "pool2d_x_cf", {}, "gavg2d_keepdims_cf");
  expect_golden([] { return LayerPtr(layers::GlobalAveragePooling1D({.dtype = f64})); }, "pool1d_x", {}, "gavg1d");
  // gmax1d_cf's input is pool1d_x transposed to (batch, features, steps).
  auto gmax = layers::GlobalMaxPool1D({.data_format = "channels_first"});
  EXPECT_TRUE(all_close(gmax(ops::transpose(gold("pool1d_x"), {0, 2, 1})), gold("gmax1d_cf"), kAtol, kRtol));
  EXPECT_EQ(Tensor(layers::GlobalMaxPool1D({.data_format = "channels_first"})(Input({3, 8}))).shape(), (Shape{None, 3}));
}

TEST_F(LayersConv, GlobalAveragePooling1DWithAMask) {
  const Tensor x = gold("pool1d_x");
  const Tensor mask = gold("gavg1d_mask");
  ASSERT_EQ(mask.dtype(), DType::bool_);
  auto pool = layers::GlobalAvgPool1D({.dtype = f64});
  EXPECT_TRUE(pool->supports_masking());
  const Tensor y = pool(x, {.mask = {mask}});
  EXPECT_TRUE(all_close(y, gold("gavg1d_masked"), kAtol, kRtol));
  // The input's own Keras mask is used when none is given.
  EXPECT_TRUE(all_close(pool(with_keras_mask(x, mask)), y, 1e-12, 1e-12));
  // Masked steps do not matter, and the mask stops here.
  EXPECT_TRUE(pool->compute_mask({x}, {mask}).empty() || !pool->compute_mask({x}, {mask}).front().defined());
  const Tensor x64 = ops::cast(x, f64);
  EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& xs) { return Tensor(pool(xs[0], {.mask = {mask}})); }, {x64}));
}

TEST_F(LayersConv, GlobalPoolingGradients) {
  expect_gradients(layers::GlobalMaxPooling2D({.dtype = f64}), {2, 3, 4, 2}, 17, false);
  expect_gradients(layers::GlobalAveragePooling2D({.keepdims = true, .dtype = f64}), {2, 3, 4, 2}, 18, false);
  expect_gradients(layers::GlobalMaxPooling1D({.dtype = f64}), {2, 5, 3}, 19, false);
  expect_gradients(layers::GlobalAveragePooling1D({.data_format = "channels_first", .dtype = f64}), {2, 3, 5}, 20, false);
}

// ---- UpSampling1D / 2D, ZeroPadding2D, Cropping2D ----------------------------------------------------------

TEST_F(LayersConv, UpSamplingForwardMatchesTorch) {
  expect_golden([] { return LayerPtr(layers::UpSampling2D({2, 3})); }, "up2d_x", {}, "up2d_nearest_2x3");
  expect_golden([] { return LayerPtr(layers::UpSampling2D({2, 3}, {.interpolation = "bilinear", .dtype = f64})); }, "up2d_x",
                {}, "up2d_bilinear_2x3");
  expect_golden(
      [] {
        return LayerPtr(
            layers::UpSampling2D({2, 3}, {.data_format = "channels_first", .interpolation = "bilinear", .dtype = f64}));
      },
      "up2d_x_cf", {}, "up2d_bilinear_2x3_cf");
  expect_golden([] { return LayerPtr(layers::UpSampling1D(3)); }, "pool1d_x", {}, "up1d_3");
  // UpSampling2D(2) scales both axes by 2.
  EXPECT_EQ(Tensor(layers::UpSampling2D(2)(gold("up2d_x"))).shape(), (Shape{2, 6, 8, 2}));
}

TEST_F(LayersConv, ZeroPaddingAndCroppingForwardMatchTorch) {
  expect_golden([] { return LayerPtr(layers::ZeroPadding2D(layers::SpatialAmounts{{1, 2}, {3, 4}})); }, "pool2d_x", {},
                "zeropad2d_1234");
  expect_golden([] { return LayerPtr(layers::ZeroPadding2D(1, {.data_format = "channels_first"})); }, "pool2d_x_cf", {},
                "zeropad2d_1_cf");
  expect_golden([] { return LayerPtr(layers::Cropping2D(layers::SpatialAmounts{{1, 2}, {0, 1}})); }, "pool2d_x", {},
                "crop2d_1201");
  expect_golden([] { return LayerPtr(layers::Cropping2D(std::vector<std::int64_t>{1, 2}, {.data_format = "channels_first"})); },
                "pool2d_x_cf", {}, "crop2d_sym_cf");
  // The three forms of the amounts.
  EXPECT_EQ(layers::ZeroPadding2D(2)->padding(), (layers::SpatialPairs{{2, 2}, {2, 2}}));
  EXPECT_EQ(layers::ZeroPadding2D(std::vector<std::int64_t>{1, 3})->padding(), (layers::SpatialPairs{{1, 1}, {3, 3}}));
  EXPECT_EQ(layers::Cropping2D(layers::SpatialAmounts{{1, 2}, {0, 1}})->cropping(), (layers::SpatialPairs{{1, 2}, {0, 1}}));
}

TEST_F(LayersConv, ReshapingGradients) {
  expect_gradients(layers::UpSampling1D(2, {.dtype = f64}), {2, 3, 2}, 21, false);
  expect_gradients(layers::UpSampling2D({2, 3}, {.dtype = f64}), {1, 2, 3, 2}, 22, false);
  expect_gradients(layers::UpSampling2D({2, 3}, {.interpolation = "bilinear", .dtype = f64}), {1, 3, 2, 2}, 23, false);
  expect_gradients(layers::ZeroPadding2D(layers::SpatialAmounts{{1, 0}, {2, 1}}, {.dtype = f64}), {1, 2, 3, 2}, 24, false);
  expect_gradients(layers::Cropping2D(layers::SpatialAmounts{{1, 0}, {0, 2}}, {.data_format = "channels_first", .dtype = f64}),
                   {1, 2, 4, 5}, 25, false);
}

// ---- regularizers and constraints on conv weights -----------------------------------------------------------

TEST_F(LayersConv, ConvRegularizersAndActivityLoss) {
  auto conv = layers::Conv2D(4, {3, 2},
                             {.kernel_regularizer = regularizers::L2(0.1), .bias_regularizer = regularizers::L1(0.2),
                              .activity_regularizer = regularizers::L1(0.5),
                              .kernel_constraint = constraints::NonNeg(), .dtype = f64});
  const Tensor x = gold("conv2d_x");
  conv(x);
  conv->set_weights({gold("conv2d_k"), gold("conv2d_b")});
  const Tensor y = conv(x);
  const Tensors losses = conv->losses();
  ASSERT_EQ(losses.size(), 3u);  // the activity term, then one per regularized weight
  const Tensor k = ops::cast(gold("conv2d_k"), f64);
  const Tensor b = ops::cast(gold("conv2d_b"), f64);
  EXPECT_NEAR(losses[0].item<double>(), 0.5 * ops::sum(ops::abs(y)).item<double>() / 2.0, 1e-10);  // batch 2
  EXPECT_NEAR(losses[1].item<double>(), 0.1 * ops::sum(ops::square(k)).item<double>(), 1e-12);
  EXPECT_NEAR(losses[2].item<double>(), 0.2 * ops::sum(ops::abs(b)).item<double>(), 1e-12);
  ASSERT_EQ(conv->constraints().size(), 1u);
  EXPECT_TRUE(all_close((*conv->constraints().front().second)(conv->kernel().value()), ops::maximum(k, 0.0), 0, 0));
}

// ---- configs -------------------------------------------------------------------------------------------

TEST_F(LayersConv, Conv2DConfig) {
  auto conv = layers::Conv2D(4, {3, 2},
                             {.strides = {2}, .padding = "same", .dilation_rate = {1}, .activation = "relu",
                              .kernel_regularizer = "l2", .bias_constraint = "non_neg", .name = "my_conv"});
  conv(Input({5, 6, 3}));
  const json config = conv->get_config();
  EXPECT_EQ(config.at("name"), "my_conv");
  EXPECT_EQ(config.at("trainable"), true);
  EXPECT_EQ(config.at("dtype"), "float32");
  EXPECT_EQ(config.at("filters"), 4);
  EXPECT_EQ(config.at("kernel_size"), json::array({3, 2}));
  EXPECT_EQ(config.at("strides"), json::array({2, 2}));
  EXPECT_EQ(config.at("padding"), "same");
  EXPECT_EQ(config.at("data_format"), "channels_last");
  EXPECT_EQ(config.at("dilation_rate"), json::array({1, 1}));
  EXPECT_EQ(config.at("groups"), 1);
  EXPECT_EQ(config.at("activation"), "relu");
  EXPECT_EQ(config.at("use_bias"), true);
  EXPECT_EQ(config.at("kernel_initializer").at("class_name"), "GlorotUniform");
  EXPECT_EQ(config.at("bias_initializer").at("class_name"), "Zeros");
  EXPECT_EQ(config.at("kernel_regularizer").at("class_name"), "L2");
  EXPECT_TRUE(config.at("bias_regularizer").is_null());
  EXPECT_TRUE(config.at("kernel_constraint").is_null());
  EXPECT_EQ(config.at("bias_constraint").at("class_name"), "NonNeg");
  for (const char* key : {"activity_regularizer"}) EXPECT_TRUE(!config.contains(key) || config.at(key).is_null()) << key;
  expect_config_round_trip(*conv);
  // Conv1D standardizes to 1-tuples; "causal" is kept.
  const json c1 = layers::Conv1D(2, 3, {.padding = "causal"})->get_config();
  EXPECT_EQ(c1.at("kernel_size"), json::array({3}));
  EXPECT_EQ(c1.at("strides"), json::array({1}));
  EXPECT_EQ(c1.at("padding"), "causal");
  EXPECT_EQ(c1.at("activation"), "linear");
  expect_config_round_trip(*layers::Conv1D(2, 3, {.padding = "causal", .dilation_rate = {2}}));
}

TEST_F(LayersConv, ConvTransposeDepthwiseSeparableConfigs) {
  const json t = layers::Conv2DTranspose(2, 3, {.strides = {2}, .output_padding = {1}})->get_config();
  EXPECT_EQ(t.at("filters"), 2);
  EXPECT_EQ(t.at("kernel_size"), json::array({3, 3}));
  EXPECT_EQ(t.at("strides"), json::array({2, 2}));
  EXPECT_EQ(t.at("output_padding"), json::array({1, 1}));
  EXPECT_EQ(t.at("padding"), "valid");
  EXPECT_FALSE(t.contains("groups"));
  EXPECT_TRUE(layers::Conv1DTranspose(2, 3)->get_config().at("output_padding").is_null());
  expect_config_round_trip(*layers::Conv2DTranspose(2, 3, {.strides = {2}, .output_padding = {1}}));
  expect_config_round_trip(*layers::Conv1DTranspose(2, 3, {.padding = "same"}));

  const json d = layers::DepthwiseConv2D(3, {.depth_multiplier = 2, .depthwise_regularizer = "l1"})->get_config();
  EXPECT_EQ(d.at("depth_multiplier"), 2);
  EXPECT_EQ(d.at("kernel_size"), json::array({3, 3}));
  EXPECT_EQ(d.at("depthwise_initializer").at("class_name"), "GlorotUniform");
  EXPECT_EQ(d.at("depthwise_regularizer").at("class_name"), "L1");
  EXPECT_TRUE(d.at("depthwise_constraint").is_null());
  EXPECT_FALSE(d.contains("filters"));
  EXPECT_FALSE(d.contains("kernel_initializer"));
  expect_config_round_trip(*layers::DepthwiseConv2D(3, {.depth_multiplier = 2}));
  expect_config_round_trip(*layers::DepthwiseConv1D(2, {.strides = {2}, .data_format = "channels_first"}));

  const json s = layers::SeparableConv2D(4, 3, {.depth_multiplier = 2, .pointwise_constraint = "unit_norm"})->get_config();
  EXPECT_EQ(s.at("filters"), 4);
  EXPECT_EQ(s.at("depth_multiplier"), 2);
  EXPECT_EQ(s.at("pointwise_initializer").at("class_name"), "GlorotUniform");
  EXPECT_EQ(s.at("pointwise_constraint").at("class_name"), "UnitNorm");
  EXPECT_TRUE(s.at("depthwise_regularizer").is_null());
  expect_config_round_trip(*layers::SeparableConv2D(4, 3, {.depth_multiplier = 2, .activation = "tanh"}));
  expect_config_round_trip(*layers::SeparableConv1D(2, 3));
}

TEST_F(LayersConv, PoolingAndReshapingConfigs) {
  const json mp = layers::MaxPooling2D()->get_config();
  EXPECT_EQ(mp.at("pool_size"), json::array({2, 2}));
  EXPECT_EQ(mp.at("strides"), json::array({2, 2}));  // None means pool_size
  EXPECT_EQ(mp.at("padding"), "valid");
  EXPECT_EQ(mp.at("data_format"), "channels_last");
  const json ap = layers::AveragePooling1D(3, {.strides = {2}, .padding = "same"})->get_config();
  EXPECT_EQ(ap.at("pool_size"), json::array({3}));
  EXPECT_EQ(ap.at("strides"), json::array({2}));
  EXPECT_EQ(ap.at("padding"), "same");
  expect_config_round_trip(*layers::MaxPooling1D());
  expect_config_round_trip(*layers::AveragePooling2D(3, {.strides = {2}, .data_format = "channels_first"}));

  const json g = layers::GlobalAveragePooling2D({.data_format = "channels_first", .keepdims = true})->get_config();
  EXPECT_EQ(g.at("data_format"), "channels_first");
  EXPECT_EQ(g.at("keepdims"), true);
  EXPECT_EQ(layers::GlobalMaxPooling1D()->get_config().at("keepdims"), false);
  expect_config_round_trip(*layers::GlobalMaxPooling2D({.keepdims = true}));
  expect_config_round_trip(*layers::GlobalAveragePooling1D());

  EXPECT_EQ(layers::UpSampling1D(3)->get_config().at("size"), 3);
  const json up = layers::UpSampling2D({2, 3}, {.interpolation = "bilinear"})->get_config();
  EXPECT_EQ(up.at("size"), json::array({2, 3}));
  EXPECT_EQ(up.at("interpolation"), "bilinear");
  EXPECT_EQ(up.at("data_format"), "channels_last");
  expect_config_round_trip(*layers::UpSampling1D(3));
  expect_config_round_trip(*layers::UpSampling2D({2, 3}, {.interpolation = "bilinear"}));

  EXPECT_EQ(layers::ZeroPadding2D(layers::SpatialAmounts{{1, 2}, {3, 4}})->get_config().at("padding"),
            json::parse("[[1, 2], [3, 4]]"));
  EXPECT_EQ(layers::ZeroPadding2D()->get_config().at("padding"), json::parse("[[1, 1], [1, 1]]"));
  EXPECT_EQ(layers::Cropping2D(std::vector<std::int64_t>{1, 2})->get_config().at("cropping"),
            json::parse("[[1, 1], [2, 2]]"));
  expect_config_round_trip(*layers::ZeroPadding2D(layers::SpatialAmounts{{1, 2}, {3, 4}}));
  expect_config_round_trip(*layers::Cropping2D(2, {.data_format = "channels_first"}));
}

TEST_F(LayersConv, Keras1AndKeras2Configs) {
  // Keras 1's Convolution2D: nb_filter, nb_row, nb_col, border_mode, subsample, dim_ordering.
  const json keras1 = json::parse(R"({"name": "c1", "nb_filter": 4, "nb_row": 3, "nb_col": 2, "border_mode": "same",
      "subsample": [2, 2], "dim_ordering": "th", "activation": "relu", "bias": false})");
  auto c = layers::Conv2DLayer::from_config(keras1);
  EXPECT_EQ(c->filters(), 4);
  EXPECT_EQ(c->kernel_size(), (std::vector<std::int64_t>{3, 2}));
  EXPECT_EQ(c->options().padding, "same");
  EXPECT_EQ(c->options().strides, (std::vector<std::int64_t>{2, 2}));
  EXPECT_EQ(c->options().data_format, "channels_first");
  EXPECT_FALSE(c->options().use_bias);
  // Keras 1's MaxPooling1D: pool_length, stride.
  auto p = layers::MaxPooling1DLayer::from_config(json::parse(R"({"pool_length": 3, "stride": 1, "border_mode": "same"})"));
  EXPECT_EQ(p->pool_size(), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(p->options().strides, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(p->options().padding, "same");
  // Aliases are registered.
  for (const char* name : {"Convolution2D", "Deconvolution2D", "MaxPool2D", "AvgPool1D", "GlobalAvgPool2D",
                           "SeparableConvolution2D", "UpSampling2D", "ZeroPadding2D", "Cropping2D"}) {
    EXPECT_TRUE(is_registered_layer_class(name)) << name;
  }
}

// ---- errors --------------------------------------------------------------------------------------------

TEST_F(LayersConv, ConvArgumentErrors) {
  EXPECT_TRUE(raises([] { layers::Conv2D(0, 3); }, "Received filters=0"));
  EXPECT_TRUE(raises([] { layers::Conv2D(4, {3, 3, 3}); },
                     "The `kernel_size` argument must be a tuple of 2 integers. Received kernel_size=(3, 3, 3)"));
  EXPECT_TRUE(raises([] { layers::Conv2D(4, {3, 0}); }, "that do not satisfy `value > 0`"));
  EXPECT_TRUE(raises([] { layers::Conv2D(4, 3, {.padding = "causal"}); },
                     "The `padding` argument must be a list/tuple or one of {'valid', 'same'}. Received: causal"));
  EXPECT_TRUE(raises([] { layers::Conv1D(4, 3, {.padding = "full"}); }, "{'valid', 'same', 'causal'}. Received: full"));
  EXPECT_TRUE(raises([] { layers::Conv2D(4, 3, {.strides = {2}, .dilation_rate = {2}}); },
                     "`strides > 1` not supported in conjunction with `dilation_rate > 1`"));
  EXPECT_TRUE(raises([] { layers::Conv2D(5, 3, {.groups = 2}); },
                     "The number of filters must be evenly divisible by the number of groups. Received: groups=2, filters=5"));
  EXPECT_TRUE(raises([] { layers::Conv2D(4, 3, {.groups = 0}); }, "groups=0"));
  EXPECT_TRUE(raises([] { layers::Conv2D(4, 3, {.groups = 2})(Input({6, 6, 3})); },
                     "The number of input channels must be evenly divisible by the number of groups"));
  EXPECT_TRUE(raises([] { layers::Conv2D(4, 3, {.data_format = "channels_middle"}); },
                     "The `data_format` argument must be one of {'channels_first', 'channels_last'}"));
  EXPECT_TRUE(raises([] { layers::Conv2DTranspose(2, 3, {.strides = {2}, .output_padding = {2}}); },
                     "`output_padding` must be strictly less than `strides`"));
  EXPECT_TRUE(raises([] { layers::DepthwiseConv2D(3, {.depth_multiplier = 0}); },
                     "Invalid value for argument `depth_multiplier`. Expected a strictly positive value"));
  EXPECT_TRUE(raises([] { layers::SeparableConv1D(2, 3, {.depth_multiplier = -1}); }, "depth_multiplier=-1"));
  EXPECT_TRUE(raises([] { layers::SeparableConv2D(0, 3); }, "Received filters=0"));
}

TEST_F(LayersConv, ConvInputErrors) {
  EXPECT_TRUE(raises([] { layers::Conv2D(4, 3)(Input({6, 6})); }, "expected min_ndim=4, found ndim=3"));
  EXPECT_TRUE(raises([] { layers::Conv1D(4, 3)(Input({6, 2, 2})); }, "expected ndim=3, found ndim=4"));
  EXPECT_TRUE(raises([] { layers::Conv2D(4, 3)(Input({6, 6, None})); }, "should be defined"));
  auto conv = layers::Conv2D(2, 3);
  conv(Input({5, 5, 3}));
  EXPECT_TRUE(raises([&] { conv(ops::ones({1, 5, 5, 4})); },
                     "expected axis -1 of input shape to have value 3, but received input with shape (1, 5, 5, 4)"));
}

TEST_F(LayersConv, PoolingAndReshapingErrors) {
  EXPECT_TRUE(raises([] { layers::MaxPooling2D(2, {.padding = "full"}); }, "{'valid', 'same'}. Received: full"));
  EXPECT_TRUE(raises([] { layers::AveragePooling2D({2, 2, 2}); }, "The `pool_size` argument must be a tuple of 2 integers"));
  EXPECT_TRUE(raises([] { layers::MaxPooling1D(0); }, "pool_size"));
  EXPECT_TRUE(raises([] { layers::MaxPooling2D()(Input({4, 4})); }, "expected ndim=4, found ndim=3"));
  EXPECT_TRUE(raises([] { layers::GlobalAveragePooling2D({.data_format = "NCHW"}); }, "data_format"));
  EXPECT_TRUE(raises([] { layers::UpSampling1D(0); },
                     "Argument `size` should be a positive integer. Received: size=0"));
  EXPECT_TRUE(raises([] { layers::UpSampling2D({2, 2}, {.interpolation = "cubic"}); },
                     "Invalid value for argument `interpolation`"));
  EXPECT_THROW(layers::UpSampling2D({2, 2}, {.interpolation = "bicubic"}), NotImplementedError);
  EXPECT_TRUE(raises([] { layers::ZeroPadding2D(layers::SpatialAmounts{{1}, {2}, {3}}); },
                     "`padding` should have 2 elements"));
  EXPECT_TRUE(raises([] { layers::ZeroPadding2D(-1); }, "value >= 0"));
  EXPECT_TRUE(raises([] { layers::Cropping2D(layers::SpatialAmounts{{1, 2, 3}, {0}}); }, "cropping"));
  EXPECT_TRUE(raises([] { layers::Cropping2D(3)(ops::ones({1, 5, 7, 2})); },
                     "Values in `cropping` argument should be smaller than the corresponding spatial dimension of the "
                     "input. Received: inputs.shape=(1, 5, 7, 2), cropping=((3, 3), (3, 3))"));
}

}  // namespace
}  // namespace keras
