// Merge layers: values against numpy (tests/golden/gen_layers_norm_merge.py), Keras's
// broadcasting and shape rules on symbolic inputs, masks (the cases of Keras's
// merging_test.py), gradients, configs and errors in Keras's words.
#include <gtest/gtest.h>

#include "keras/input.hpp"
#include "keras/layer_registry.hpp"
#include "keras/layers/lambda.hpp"
#include "keras/layers/merging.hpp"
#include "keras/model.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;
using testing::test_input;

Tensor gold(const std::string& name) { return testing::golden("layers_norm_merge/" + name); }

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

const Shape kNone3{kUnknownDim, kUnknownDim, kUnknownDim};

// ---- values --------------------------------------------------------------------------

TEST(MergeLayers, ElementwiseValuesMatchNumpy) {
  const Tensor a = gold("m_a"), b = gold("m_b"), c = gold("m_c");
  EXPECT_TRUE(all_close(layers::Add()({a, b}), gold("add2")));
  EXPECT_TRUE(all_close(layers::Add()({a, b, c}), gold("add3")));
  EXPECT_TRUE(all_close(layers::Subtract()({a, b}), gold("subtract")));
  EXPECT_TRUE(all_close(layers::Multiply()({a, b, c}), gold("multiply3")));
  EXPECT_TRUE(all_close(layers::Average()({a, b, c}), gold("average3")));
  EXPECT_TRUE(all_close(layers::Maximum()({a, b, c}), gold("maximum3")));
  EXPECT_TRUE(all_close(layers::Minimum()({a, b, c}), gold("minimum3")));
}

TEST(MergeLayers, FunctionsMakeAndCallTheLayer) {
  const Tensor a = gold("m_a"), b = gold("m_b"), c = gold("m_c");
  EXPECT_TRUE(all_close(layers::add({a, b, c}), gold("add3")));
  EXPECT_TRUE(all_close(layers::subtract({a, b}), gold("subtract")));
  EXPECT_TRUE(all_close(layers::multiply({a, b, c}), gold("multiply3")));
  EXPECT_TRUE(all_close(layers::average({a, b, c}), gold("average3")));
  EXPECT_TRUE(all_close(layers::maximum({a, b, c}), gold("maximum3")));
  EXPECT_TRUE(all_close(layers::minimum({a, b, c}), gold("minimum3")));
  EXPECT_TRUE(all_close(layers::concatenate({a, b}), gold("concat_last")));
  EXPECT_TRUE(all_close(layers::concatenate({a, b}, 1), gold("concat_1")));
  EXPECT_TRUE(all_close(layers::dot({gold("d3a"), gold("d3b")}, 2), gold("dot_3d")));
  EXPECT_TRUE(all_close(layers::dot({gold("d3a"), gold("d3b")}, 2, true), gold("dot_cos")));
  // A symbolic call through a function records the layer under its name.
  const Tensor s = layers::add({Input({3}), Input({3})}, {.name = "my_add"});
  EXPECT_EQ(s.shape(), (Shape{kUnknownDim, 3}));
}

TEST(MergeLayers, OneInputListIsAllowed) {
  // Keras 3 merges need a list of at least 1 input.
  const Tensor a = gold("m_a");
  EXPECT_TRUE(all_close(layers::Add()({a}), a, 0, 0));
  EXPECT_TRUE(all_close(layers::Maximum()({a}), a, 0, 0));
}

TEST(MergeLayers, BroadcastingFollowsKeras) {
  // (5, 1, 5) * (5, 4, 5) gives (5, 4, 5).
  EXPECT_TRUE(all_close(layers::Multiply()({gold("bc_p"), gold("bc_q")}), gold("bc_multiply")));
  // A lower-rank input gets axes after the batch axis: (2, 5) + (2, 3, 5) -> (2, 1, 5) + ...
  EXPECT_TRUE(all_close(layers::Add()({gold("rank_a"), gold("rank_b")}), gold("rank_add")));
}

TEST(MergeLayers, SymbolicShapesFollowKerasRules) {
  auto shape_of = [](const Tensors& in) { return Tensor(layers::Multiply()(in)).shape(); };
  EXPECT_EQ(shape_of({Input({1, 5}), Input({4, 5})}), (Shape{kUnknownDim, 4, 5}));
  EXPECT_EQ(shape_of({Input({5}), Input({3, 5})}), (Shape{kUnknownDim, 3, 5}));
  EXPECT_EQ(shape_of({Input({4, 5}), Input({5})}), (Shape{kUnknownDim, 4, 5}));
  // None meets anything as None, and a known batch size wins over None.
  EXPECT_EQ(shape_of({Input({kUnknownDim, 5}), Input({3, 5})}), (Shape{kUnknownDim, kUnknownDim, 5}));
  EXPECT_EQ(shape_of({Input({5}), Input({5}, {.batch_size = 4})}), (Shape{4, 5}));
  EXPECT_EQ(shape_of({Input({kUnknownDim, 1}), Input({kUnknownDim, 1})}), (Shape{kUnknownDim, kUnknownDim, 1}));
}

TEST(MergeLayers, FunctionalModelRunsTheMerges) {
  const Tensor i1 = Input({4, 5});
  const Tensor i2 = Input({4, 5});
  const auto model = make_model({i1, i2}, {layers::add({i1, i2}), layers::concatenate({i1, i2}, 1),
                                           layers::dot({i1, i2}, 2)});
  const Outputs y = model({gold("m_a"), gold("m_b")});
  ASSERT_EQ(y.size(), 3u);
  EXPECT_TRUE(all_close(y[0], gold("add2")));
  EXPECT_TRUE(all_close(y[1], gold("concat_1")));
  EXPECT_EQ(y[2].shape(), (Shape{2, 4, 4}));
}

TEST(MergeLayers, HaveNoWeights) {
  auto add = layers::Add();
  add({gold("m_a"), gold("m_b")});
  auto concat = layers::Concatenate();
  concat({gold("m_a"), gold("m_b")});
  auto dot = layers::Dot(-1);
  dot({gold("d2a"), gold("d2b")});
  EXPECT_TRUE(add->weights().empty());
  EXPECT_TRUE(concat->weights().empty());
  EXPECT_TRUE(dot->weights().empty());
}

// ---- errors --------------------------------------------------------------------------

TEST(MergeLayers, ErrorsInKerasWords) {
  EXPECT_EQ(error_of([] { layers::Add()(Tensors{}); }),
            "A merge layer should be called on a list of at least 1 input. Received 0 inputs. Full input_shape "
            "received: []");
  EXPECT_EQ(error_of([] { layers::Add()({Input({4, 5}), Input({3, 5})}); }),
            "Inputs have incompatible shapes. Received shapes (4, 5) and (3, 5)");
  EXPECT_EQ(error_of([] { layers::Add()({Input({5}, {.batch_size = 2}), Input({5}, {.batch_size = 3})}); }),
            "Cannot merge tensors with different batch sizes. Received tensors with shapes [(2, 5), (3, 5)]");
  EXPECT_EQ(error_of([] { layers::Average()({gold("m_a"), ops::zeros({2, 3, 5})}); }),
            "Inputs have incompatible shapes. Received shapes (4, 5) and (3, 5)");
}

TEST(MergeLayers, SubtractNeedsExactlyTwoInputs) {
  const Tensor a = Input({4, 5});
  EXPECT_EQ(error_of([&] { layers::Subtract()({a, a, a}); }),
            "A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape=[(None, 4, 5), "
            "(None, 4, 5), (None, 4, 5)]");
  EXPECT_EQ(error_of([&] { layers::Subtract()({a}); }),
            "A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape=[(None, 4, 5)]");
}

TEST(MergeLayers, ASharedLayerChecksEverySymbolicCall) {
  auto add = layers::Add();
  add({Input({3}), Input({3})});
  EXPECT_EQ(error_of([&] { add({Input({3}), Input({4})}); }),
            "Inputs have incompatible shapes. Received shapes (3,) and (4,)");
}

// ---- masks (Keras's merging_test.py cases) ---------------------------------------------

class MergeMasks : public ::testing::Test {
 protected:
  // Keras's Masking(): a timestep is masked when all its features are 0.
  static Tensor masked(const Tensor& x) { return with_keras_mask(x, ops::any(ops::not_equal(x, 0.0), -1)); }
  Tensor x1 = Tensor({{0, 0}, {1, 2}, {0, 0}, {3, 4}});
  Tensor x2 = Tensor({{0, 0}, {0, 0}, {1, 2}, {3, 4}});
  void SetUp() override {
    x1 = ops::expand_dims(x1, 0);
    x2 = ops::expand_dims(x2, 0);
  }
  static Tensor values(std::initializer_list<std::initializer_list<double>> rows) {
    return ops::expand_dims(Tensor(rows), 0);
  }
  static Tensor bools(std::initializer_list<double> v) { return ops::greater(Tensor({v}), 0.5); }
};

TEST_F(MergeMasks, AddSubtractAverageIgnoreMasksInValues) {
  const Tensor m1 = masked(x1);
  Tensor y = layers::Add()({m1, x2});
  EXPECT_TRUE(all_close(y, values({{0, 0}, {1, 2}, {1, 2}, {6, 8}})));
  EXPECT_FALSE(get_keras_mask(y).defined());
  y = layers::Add()({m1, masked(x2)});
  EXPECT_TRUE(all_close(y, values({{0, 0}, {1, 2}, {1, 2}, {6, 8}})));
  EXPECT_TRUE(all_close(get_keras_mask(y), bools({0, 1, 1, 1}), 0, 0));
  y = layers::Subtract()({m1, masked(x2)});
  EXPECT_TRUE(all_close(y, values({{0, 0}, {1, 2}, {-1, -2}, {0, 0}})));
  EXPECT_TRUE(all_close(get_keras_mask(y), bools({0, 1, 1, 1}), 0, 0));
  y = layers::Average()({m1, masked(x2)});
  EXPECT_TRUE(all_close(y, values({{0, 0}, {0.5, 1}, {0.5, 1}, {3, 4}})));
  EXPECT_TRUE(all_close(get_keras_mask(y), bools({0, 1, 1, 1}), 0, 0));
}

TEST_F(MergeMasks, MultiplyTreatsMaskedEntriesAsOne) {
  Tensor y = layers::Multiply()({masked(x1), x2});
  EXPECT_TRUE(all_close(y, values({{0, 0}, {0, 0}, {1, 2}, {9, 16}})));
  EXPECT_FALSE(get_keras_mask(y).defined());
  y = layers::Multiply()({masked(x1), masked(x2)});
  EXPECT_TRUE(all_close(y, values({{0, 0}, {1, 2}, {1, 2}, {9, 16}})));
  EXPECT_TRUE(all_close(get_keras_mask(y), bools({0, 1, 1, 1}), 0, 0));
}

TEST_F(MergeMasks, MaximumAndMinimumSkipMaskedEntries) {
  const Tensor n1 = ops::negative(x1);
  const Tensor n2 = ops::negative(x2);
  Tensor y = layers::Maximum()({masked(n1), n2});
  EXPECT_TRUE(all_close(y, values({{0, 0}, {0, 0}, {-1, -2}, {-3, -4}})));
  EXPECT_FALSE(get_keras_mask(y).defined());
  y = layers::Maximum()({masked(n1), masked(n2)});
  EXPECT_TRUE(all_close(y, values({{0, 0}, {-1, -2}, {-1, -2}, {-3, -4}})));
  EXPECT_TRUE(all_close(get_keras_mask(y), bools({0, 1, 1, 1}), 0, 0));
  y = layers::Minimum()({masked(x1), x2});
  EXPECT_TRUE(all_close(y, values({{0, 0}, {0, 0}, {1, 2}, {3, 4}})));
  y = layers::Minimum()({masked(x1), masked(x2)});
  EXPECT_TRUE(all_close(y, values({{0, 0}, {1, 2}, {1, 2}, {3, 4}})));
  EXPECT_TRUE(all_close(get_keras_mask(y), bools({0, 1, 1, 1}), 0, 0));
}

TEST_F(MergeMasks, ConcatenateConcatenatesMasks) {
  Tensor y = layers::Concatenate({.axis = 1})({masked(x1), x2});
  EXPECT_TRUE(all_close(y, values({{0, 0}, {1, 2}, {0, 0}, {3, 4}, {0, 0}, {0, 0}, {1, 2}, {3, 4}})));
  EXPECT_TRUE(all_close(get_keras_mask(y), bools({0, 1, 0, 1, 1, 1, 1, 1}), 0, 0));
  y = layers::Concatenate({.axis = 2})({masked(x1), x2});
  EXPECT_TRUE(all_close(y, values({{0, 0, 0, 0}, {1, 2, 0, 0}, {0, 0, 1, 2}, {3, 4, 3, 4}})));
  EXPECT_TRUE(all_close(get_keras_mask(y), bools({1, 1, 1, 1}), 0, 0));
  y = layers::Concatenate()({x1, x2});
  EXPECT_FALSE(get_keras_mask(y).defined());
}

TEST_F(MergeMasks, SymbolicMasksAndDotDropsThem) {
  auto masking = layers::Lambda([](const Tensor& x) { return x; },
                                {.mask = [](const Tensors& in, const Tensors&) {
                                  return ops::any(ops::not_equal(in[0], 0.0), -1);
                                }});
  const Tensor i1 = Input({4, 2});
  const Tensor i2 = Input({4, 2});
  const Tensor concat = layers::Concatenate({.axis = 1})({masking(i1), i2});
  ASSERT_TRUE(get_keras_mask(concat).defined());
  EXPECT_EQ(get_keras_mask(concat).shape(), (Shape{kUnknownDim, 8}));
  const Tensor sum = layers::Add()({masking(i1), masking(i2)});
  ASSERT_TRUE(get_keras_mask(sum).defined());
  EXPECT_EQ(get_keras_mask(sum).shape(), (Shape{kUnknownDim, 4}));
  EXPECT_FALSE(get_keras_mask(Tensor(layers::Dot(2)({masking(i1), masking(i2)}))).defined());
  // Run on data, the model gives the masks Keras gives.
  const auto model = make_model({i1, i2}, Tensors{concat});
  const Tensor y = model({x1, x2});
  ASSERT_TRUE(get_keras_mask(y).defined());
  EXPECT_TRUE(all_close(get_keras_mask(y), bools({0, 1, 0, 1, 1, 1, 1, 1}), 0, 0));
}

// ---- Concatenate -----------------------------------------------------------------------

TEST(Concatenate, ShapesAndErrors) {
  // Keras's test_concatenate_errors cases.
  EXPECT_EQ(Tensor(layers::Concatenate()({ops::ones({1, 1, 1, 1, 5}), ops::ones({1, 1, 1, 1, 4})})).shape(),
            (Shape{1, 1, 1, 1, 9}));
  EXPECT_EQ(error_of([] { layers::Concatenate()({ops::ones({1, 2, 1, 1, 5}), ops::ones({1, 1, 1, 1, 4})}); }),
            "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
            "Received: input_shape=[(1, 2, 1, 1, 5), (1, 1, 1, 1, 4)]");
  EXPECT_EQ(error_of([] { layers::Concatenate({.axis = 1})({ops::ones({1, 2, 1, 2, 1}), ops::ones({1, 1, 1, 3, 1})}); }),
            "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
            "Received: input_shape=[(1, 2, 1, 2, 1), (1, 1, 1, 3, 1)]");
  EXPECT_EQ(error_of([] { layers::Concatenate()({Input({3}), Input({2, 3})}); }),
            "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
            "Received: input_shape=[(None, 3), (None, 2, 3)]");
  auto shape_of = [](std::int64_t axis, const Tensors& in) {
    return Tensor(layers::Concatenate({.axis = axis})(in)).shape();
  };
  EXPECT_EQ(shape_of(-1, {Input({4, 5}), Input({4, 3})}), (Shape{kUnknownDim, 4, 8}));
  EXPECT_EQ(shape_of(1, {Input({4, 5}), Input({kUnknownDim, 5})}), (Shape{kUnknownDim, kUnknownDim, 5}));
  // Keras keeps the first input's other dimensions.
  EXPECT_EQ(shape_of(-1, {Input({kUnknownDim, 5}), Input({3, 5})}), (Shape{kUnknownDim, kUnknownDim, 10}));
  EXPECT_EQ(shape_of(-1, {Input({3, 5}), Input({kUnknownDim, 5})}), (Shape{kUnknownDim, 3, 10}));
  EXPECT_EQ(shape_of(0, {Input({5}, {.batch_size = 2}), Input({5}, {.batch_size = 3})}), (Shape{5, 5}));
}

// ---- Dot -------------------------------------------------------------------------------

TEST(Dot, ValuesMatchNumpyDot) {
  EXPECT_TRUE(all_close(layers::Dot(-1)({gold("d2a"), gold("d2b")}), gold("dot_2d")));
  EXPECT_TRUE(all_close(layers::Dot(2)({gold("d3a"), gold("d3b")}), gold("dot_3d")));
  EXPECT_TRUE(all_close(layers::Dot({1, 2})({gold("e1"), gold("e2")}), gold("dot_12")));
  EXPECT_TRUE(all_close(layers::Dot({-2, -1})({gold("h1"), gold("h2")}), gold("dot_higher")));
  EXPECT_TRUE(all_close(layers::Dot(2, {.normalize = true})({gold("d3a"), gold("d3b")}), gold("dot_cos")));
}

TEST(Dot, SymbolicShapes) {
  auto shape_of = [](layers::DotAxes axes, const Tensors& in) { return Tensor(layers::Dot(std::move(axes))(in)).shape(); };
  EXPECT_EQ(shape_of(-1, {Input({4}), Input({4})}), (Shape{kUnknownDim, 1}));
  EXPECT_EQ(shape_of(-1, {Input({4, 5}), Input({4, 5})}), (Shape{kUnknownDim, 4, 4}));
  EXPECT_EQ(shape_of({1, 2}, {Input({3, 5}), Input({10, 3})}), (Shape{kUnknownDim, 5, 10}));
  EXPECT_EQ(shape_of({-2, -1}, {Input({3, 2}, {.batch_size = 1}), Input({1, 2, 3}, {.batch_size = 1})}),
            (Shape{1, 2, 1, 2}));
  EXPECT_EQ(shape_of(2, {Input({3, 5}), Input({4, 5}, {.batch_size = 2})}), (Shape{kUnknownDim, 3, 4}));
}

TEST(Dot, Errors) {
  EXPECT_EQ(error_of([] { layers::Dot({1, 2, 3}); }),
            "Invalid format for argument `axes`: it should contain two elements. Received: axes=[1, 2, 3]");
  EXPECT_EQ(error_of([] { layers::Dot(1)({Input({3}), Input({4})}); }),
            "Incompatible input shapes: axis values 3 (at axis 1) != 4 (at axis 1). Full input shapes: (None, 3), "
            "(None, 4)");
  EXPECT_EQ(error_of([] { layers::Dot({-1, 1})({Input({3}), Input({4})}); }),
            "Incompatible input shapes: axis values 3 (at axis -1) != 4 (at axis 1). Full input shapes: (None, 3), "
            "(None, 4)");
  const Tensor a = Input({3});
  EXPECT_EQ(error_of([&] { layers::Dot(1)({a, a, a}); }),
            "A `Dot` layer should be called on a list of 2 inputs. Received: input_shape=[(None, 3), (None, 3), "
            "(None, 3)]");
  EXPECT_EQ(error_of([] { layers::Dot(0)({ops::ones({2, 3}), ops::ones({2, 3})}); }),
            "Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy batch dimension to "
            "your inputs using keras.ops.expand_dims(x, 0)");
  EXPECT_EQ(error_of([] { layers::Dot(-1)({ops::ones({3}), ops::ones({3})}); }),
            "Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes (3,) and (3,).");
  EXPECT_EQ(error_of([] { layers::Dot(-1)({ops::ones({2, 3}), ops::ones({4, 3})}); }),
            "Cannot do batch_dot on inputs with different batch sizes. Received inputs with shapes (2, 3) and "
            "(4, 3).");
}

// ---- gradients -------------------------------------------------------------------------

TEST(MergeLayers, Gradients) {
  const Tensor a = test_input({2, 3, 4}, 1);
  const Tensor b = test_input({2, 3, 4}, 2);
  const Tensor c = test_input({2, 1, 4}, 3);
  const Tensor low = test_input({2, 4}, 4);
  auto with = [](LayerPtr layer) {
    return [layer](const Tensors& xs) -> Tensor { return (*layer)(xs); };
  };
  EXPECT_TRUE(check_gradients(with(layers::Add()), {a, b, c}));
  EXPECT_TRUE(check_gradients(with(layers::Subtract()), {a, c}));
  EXPECT_TRUE(check_gradients(with(layers::Multiply()), {a, b, c}));
  EXPECT_TRUE(check_gradients(with(layers::Average()), {a, b, low}));
  EXPECT_TRUE(check_gradients(with(layers::Maximum()), {a, b}));
  EXPECT_TRUE(check_gradients(with(layers::Minimum()), {a, b, c}));
  EXPECT_TRUE(check_gradients(with(layers::Concatenate({.axis = 1})), {a, c}));
  EXPECT_TRUE(check_gradients(with(layers::Dot(2)), {a, b}));
  EXPECT_TRUE(check_gradients(with(layers::Dot({1, 2}, {.normalize = true})), {test_input({2, 3, 5}, 5), test_input({2, 4, 3}, 6)}));
  EXPECT_TRUE(check_gradients(with(layers::Dot(-1)), {test_input({3, 4}, 7), test_input({3, 4}, 8)}));
}

TEST(MergeLayers, GradientsThroughMaskedMerges) {
  const Tensor a = test_input({2, 3, 4}, 9);
  const Tensor b = test_input({2, 3, 4}, 10);
  const Tensor m1 = ops::greater(test_input({2, 3}, 11), 0.0);
  const Tensor m2 = ops::greater(test_input({2, 3}, 12), 0.0);
  for (LayerPtr layer : {LayerPtr(layers::Multiply()), LayerPtr(layers::Maximum()), LayerPtr(layers::Minimum())}) {
    EXPECT_TRUE(check_gradients([&](const Tensors& xs) -> Tensor { return (*layer)(xs, {.mask = {m1, m2}}); }, {a, b}))
        << layer->class_name();
  }
}

// ---- configs ---------------------------------------------------------------------------

TEST(MergeLayers, ConfigsRoundTripThroughTheRegistry) {
  const std::vector<LayerPtr> all{layers::Add({.name = "a"}),        layers::Subtract(),
                                  layers::Multiply(),                 layers::Average(),
                                  layers::Maximum(),                  layers::Minimum({.dtype = DType::float64}),
                                  layers::Concatenate({.axis = 1}),   layers::Dot({1, 2}, {.normalize = true}),
                                  layers::Dot(-1)};
  for (const auto& layer : all) {
    const json config = layer->get_config();
    const auto restored = layer_from_config(layer->class_name(), config);
    EXPECT_EQ(restored->class_name(), layer->class_name());
    EXPECT_EQ(restored->get_config(), config) << config.dump();
  }
  EXPECT_EQ(all[0]->get_config(), (json{{"name", "a"}, {"trainable", true}, {"dtype", "float32"}}));
  EXPECT_EQ(all[6]->get_config()["axis"], 1);
  EXPECT_EQ(all[7]->get_config()["axes"], json::array({1, 2}));
  EXPECT_EQ(all[7]->get_config()["normalize"], true);
  EXPECT_EQ(all[8]->get_config()["axes"], -1);
  EXPECT_EQ(error_of([] { layers::DotLayer::from_config({{"normalize", false}}); }),
            "Dot.__init__() missing 1 required positional argument: 'axes'");
  EXPECT_EQ(error_of([] { layers::AddLayer::from_config({{"axis", 1}}); }),
            "Unrecognized keyword arguments passed to Add: {'axis': 1}");
}

}  // namespace
}  // namespace keras
