// The functional graph: Input, Layer calls on symbolic tensors, Model, Sequential, nested
// and shared layers, custom layers (one and two inputs), Lambda, add_loss, masks.
#include "keras/input.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/layers/lambda.hpp"
#include "keras/model.hpp"
#include "keras/sequential.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::test_input;

// Keras's classic custom layer: a trainable kernel and a non-trainable counter-like weight.
class MyDense : public Layer {
 public:
  explicit MyDense(std::int64_t units, LayerOptions options = {}) : Layer(options), units_(units) {}
  void build(const std::vector<Shape>& shapes) override {
    kernel_ = add_weight("kernel", {shapes[0].back(), units_}, {.initializer = "glorot_uniform"});
    offset_ = add_weight("offset", {units_}, {.initializer = "ones", .trainable = false});
  }
  Tensors call(const Tensors& in, const CallContext&) override {
    return {ops::matmul(in[0], kernel_) + Tensor(offset_)};
  }
  std::string class_name() const override { return "MyDense"; }
  Variable kernel_;
  Variable offset_;

 private:
  std::int64_t units_;
};

// A layer of two inputs with a weight set for each; build receives both shapes.
class TwoInputs : public Layer {
 public:
  TwoInputs() : Layer(LayerOptions{}) {}
  void build(const std::vector<Shape>& shapes) override {
    if (shapes.size() != 2) throw ValueError("TwoInputs takes two inputs");
    a_ = add_weight("a", {shapes[0].back(), 3});
    b_ = add_weight("b", {shapes[1].back(), 3});
  }
  Tensors call(const Tensors& in, const CallContext&) override {
    return {ops::matmul(in[0], a_) + ops::matmul(in[1], b_)};
  }
  std::string class_name() const override { return "TwoInputs"; }
  Variable a_;
  Variable b_;
};

// Adds a loss term, behaves differently in training, and makes a mask.
class Probe : public Layer {
 public:
  Probe() : Layer(LayerOptions{}) { set_supports_masking(true); }
  Tensors call(const Tensors& in, const CallContext& ctx) override {
    add_loss(ops::sum(in[0]));
    return {ctx.training ? in[0] * 2.0 : in[0]};
  }
  Tensors compute_mask(const Tensors& in, const Tensors&) override { return {ops::not_equal(in[0], 0.0)}; }
  std::string class_name() const override { return "Probe"; }
};

class NoMasks : public Layer {
 public:
  Tensors call(const Tensors& in, const CallContext&) override { return in; }
  std::string class_name() const override { return "NoMasks"; }
};

Tensor data(const Shape& shape, std::uint64_t seed) { return test_input(shape, seed).astype(DType::float32); }

TEST(Input, IsASymbolicTensorWithAnUnknownBatch) {
  Tensor x = Input({16});
  EXPECT_TRUE(is_keras_tensor(x));
  EXPECT_EQ(x.shape(), (Shape{None, 16}));
  EXPECT_EQ(x.dtype(), DType::float32);
  EXPECT_FALSE(is_keras_tensor(Tensor({1.0})));
  EXPECT_EQ(Input({3}, {.batch_size = 8}).shape(), (Shape{8, 3}));
  EXPECT_THROW(Input({-3}), ValueError);
}

TEST(Layer, SymbolicCallBuildsAndInfersTheShape) {
  ops::clear_session();
  Tensor x = Input({4, 16});
  auto layer = make_layer<MyDense>(8);
  Tensor y = layer(x);
  EXPECT_TRUE(is_keras_tensor(y));
  EXPECT_EQ(y.shape(), (Shape{None, 4, 8}));
  EXPECT_EQ(layer->name(), "my_dense");
  EXPECT_EQ(make_layer<MyDense>(2)(x).shape(), (Shape{None, 4, 2}));
  ASSERT_EQ(layer->weights().size(), 2u);
  EXPECT_EQ(layer->weights()[0].shape(), (Shape{16, 8}));
  EXPECT_EQ(layer->trainable_weights().size(), 1u);
  EXPECT_EQ(layer->non_trainable_weights().size(), 1u);
  EXPECT_EQ(layer->compute_output_shape({{None, 16}}), (std::vector<Shape>{{None, 8}}));
}

TEST(Layer, AutomaticNamesCountPerClass) {
  ops::clear_session();
  auto a = make_layer<MyDense>(1);
  auto b = make_layer<MyDense>(1);
  (void)a(Input({2}));
  (void)b(Input({2}));
  EXPECT_EQ(a->name(), "my_dense");
  EXPECT_EQ(b->name(), "my_dense_1");
  EXPECT_EQ(to_snake_case("Conv2DTranspose"), "conv2d_transpose");
  EXPECT_EQ(to_snake_case("LSTM"), "lstm");
  EXPECT_EQ(to_snake_case("GlobalAveragePooling2D"), "global_average_pooling2d");
  EXPECT_EQ(to_snake_case("InputLayer"), "input_layer");
}

TEST(Model, RunsTheGraphOnData) {
  Tensor in = Input({16});
  auto d1 = make_layer<MyDense>(8);
  auto d2 = make_layer<MyDense>(4);
  Tensor out = d2(d1(in));
  Model model(in, out);
  Tensor x = data({5, 16}, 1);
  Tensor expected = d2(d1(x));  // eager calls
  EXPECT_TRUE(all_close(model(x), expected));
  EXPECT_EQ(model.weights().size(), 4u);
  EXPECT_EQ(model.layers().size(), 3u);  // InputLayer, my_dense, my_dense_1
  EXPECT_TRUE(std::dynamic_pointer_cast<layers::InputLayer>(model.get_layer(0)));
  EXPECT_EQ(model.get_layer(d2->name()).get(), d2.get());
  EXPECT_THROW(model.get_layer("nope"), ValueError);
  EXPECT_THROW(model.get_layer(7), ValueError);
}

TEST(Model, TwoInputsSharedLayerAndCustomTwoInputLayer) {
  Tensor a = Input({6});
  Tensor b = Input({6});
  auto shared = make_layer<MyDense>(5);
  auto merge = make_layer<TwoInputs>();
  Tensor out = merge({shared(a), shared(b)});
  EXPECT_EQ(out.shape(), (Shape{None, 3}));
  Model model({a, b}, out);
  EXPECT_EQ(model.weights().size(), 4u);  // shared weights once, then a and b
  Tensor xa = data({2, 6}, 2);
  Tensor xb = data({2, 6}, 3);
  Tensor expected = merge({shared(xa), shared(xb)});
  EXPECT_TRUE(all_close(model({xa, xb}), expected));
  EXPECT_THROW(model(Tensors{xa}), ValueError);
}

TEST(Model, InputsAndOutputsByName) {
  Tensor wide = Input({4}, {.name = "wide"});
  Tensor deep = Input({3}, {.name = "deep"});
  auto merge = make_layer<TwoInputs>();
  Tensor score = merge({wide, deep});
  Model model(std::map<std::string, Tensor>{{"wide", wide}, {"deep", deep}},
              std::map<std::string, Tensor>{{"score", score}, {"wide_copy", wide}});
  // Name maps are ordered by name, as Keras flattens dicts.
  EXPECT_EQ(model.input_names(), (std::vector<std::string>{"deep", "wide"}));
  EXPECT_EQ(model.output_names(), (std::vector<std::string>{"score", "wide_copy"}));
  Tensor xd = data({2, 3}, 11);
  Tensor xw = data({2, 4}, 12);
  Outputs out = model({xd, xw});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(all_close(out[0], merge({xw, xd})));
  EXPECT_TRUE(all_close(out[1], xw));
}

TEST(Model, NestedModelAndIntermediateSubModel) {
  Tensor in = Input({8});
  auto d1 = make_layer<MyDense>(6);
  Tensor hidden = d1(in);
  Tensor out = make_layer<MyDense>(2)(hidden);
  auto inner = make_model({in}, {out});
  Model features(in, hidden);
  Tensor x = data({3, 8}, 4);
  EXPECT_TRUE(all_close(features(x), d1(x)));

  Tensor outer_in = Input({8});
  Tensor outer_out = inner(outer_in);
  Model outer(outer_in, outer_out);
  EXPECT_TRUE(all_close(outer(x), inner(x)));
  EXPECT_EQ(outer.weights().size(), inner->weights().size());
}

TEST(Model, GradientsReachEveryWeight) {
  Tensor in = Input({3});
  Tensor out = make_layer<MyDense>(2)(make_layer<MyDense>(4)(in));
  Model model(in, out);
  Tensor x = data({5, 3}, 5);
  GradientTape tape;
  Tensor loss = ops::sum(ops::square(model(x)));
  auto grads = tape.gradient(loss, model.trainable_weights());
  ASSERT_EQ(grads.size(), 2u);
  for (const auto& g : grads) EXPECT_TRUE(g.defined());
}

TEST(Model, GraphDisconnectedAndBadArguments) {
  Tensor a = Input({2});
  Tensor b = Input({2});
  Tensor out = make_layer<TwoInputs>()({a, b});
  EXPECT_THROW(Model(a, out), ValueError);
  EXPECT_THROW(Model(Tensor({1.0}), out), ValueError);
  Model ok({a, b}, out);
  EXPECT_THROW(ok({data({2, 3}, 1), data({2, 2}, 1)}), ValueError);  // (None, 2) expected
}

TEST(Layer, StackLayersCannotJoinAGraph) {
  MyDense on_stack(2);
  EXPECT_THROW(on_stack(Input({3})), ValueError);
  EXPECT_EQ(on_stack(data({1, 3}, 1)).shape(), (Shape{1, 2}));  // eager use is fine
}

TEST(Layer, TrainingFlagLossesAndMasks) {
  auto probe = make_layer<Probe>();
  Tensor x({{1.0, 0.0}, {3.0, 4.0}});
  Tensor y = probe(x, {.training = true});
  EXPECT_TRUE(all_close(y, x * 2.0));
  EXPECT_TRUE(all_close(probe(x), x));
  ASSERT_EQ(probe->losses().size(), 1u);
  EXPECT_DOUBLE_EQ(probe->losses()[0].item(), 8.0);
  Tensor mask = get_keras_mask(probe(x));
  ASSERT_TRUE(mask.defined());
  EXPECT_EQ(mask.to_vector<bool>(), (std::vector<bool>{true, false, true, true}));
  EXPECT_FALSE(get_keras_mask(x).defined());  // the input is untouched

  // Training reaches nested layers through a model, and masks travel with the tensors.
  Tensor in = Input({2});
  Tensor masked = probe(in);
  EXPECT_TRUE(get_keras_mask(masked).defined());
  EXPECT_THROW(make_layer<NoMasks>()(masked), TypeError);
  Model model(in, masked);
  EXPECT_TRUE(all_close(model(x, {.training = true}), x * 2.0));
  EXPECT_TRUE(get_keras_mask(model(x)).defined());
  EXPECT_EQ(model.losses().size(), 1u);
}

TEST(Lambda, InfersShapesTakesArgumentsAndIsDifferentiable) {
  Tensor in = Input({6});
  auto column = layers::Lambda(
      [](const Tensor& x, const layers::LambdaArguments& args) {
        const auto i = args.at("index").get<std::int64_t>();
        return ops::slice(x, {0, i}, {x.shape()[0], 2});
      },
      {.arguments = {{"index", 1}}});
  Tensor y = column(in);
  EXPECT_EQ(y.shape(), (Shape{None, 2}));
  Tensor x = data({3, 6}, 7);
  EXPECT_TRUE(all_close(Model(in, y)(x), ops::slice(x, {0, 1}, {3, 2})));

  auto doubled = layers::Lambda([](const Tensor& t) { return ops::concatenate({t, t}, 1); },
                                {.output_shape = Shape{12}});
  EXPECT_EQ(doubled(in).shape(), (Shape{None, 12}));

  auto square = layers::Lambda([](const Tensor& t) { return ops::square(t); });
  EXPECT_TRUE(testing::check_gradients([&](const Tensors& xs) { return Tensor(square(xs[0])); },
                                       {test_input({2, 3}, 8)}));
}

// A subclassed model: layers tracked as attributes, its own call.
class TwoStep : public Model {
 public:
  TwoStep() : first_(track(make_layer<MyDense>(4))), second_(track(make_layer<MyDense>(2))) {}
  Tensors call(const Tensors& in, const CallContext&) override { return {second_(ops::relu(first_(in[0])))}; }
  std::string class_name() const override { return "TwoStep"; }
  LayerRef<MyDense> first_;
  LayerRef<MyDense> second_;
};

TEST(Model, SubclassedModelsTrackTheirLayers) {
  auto model = make_layer<TwoStep>();
  Tensor x = data({3, 5}, 10);
  Tensor y = model(x);
  EXPECT_EQ(y.shape(), (Shape{3, 2}));
  EXPECT_EQ(model->weights().size(), 4u);
  EXPECT_EQ(model->layers().size(), 2u);
  EXPECT_EQ(model->name(), "two_step");
  // Usable in a functional graph like any layer.
  Tensor in = Input({5});
  Model outer(in, model(in));
  EXPECT_TRUE(all_close(outer(x), y));
  EXPECT_THROW(Model()(x), NotImplementedError);
}

TEST(Sequential, BuildsFromInputShapeInputOrData) {
  auto first = make_layer<MyDense>(4, LayerOptions{.input_shape = {3}});
  Sequential a({first, make_layer<MyDense>(2)});
  ASSERT_TRUE(a.is_functional());
  EXPECT_EQ(a.outputs()[0].shape(), (Shape{None, 2}));
  EXPECT_EQ(a.layers().size(), 2u);
  EXPECT_EQ(a.weights().size(), 4u);

  Sequential b;
  b.add(Input({3}));
  b.add(make_layer<MyDense>(5));
  EXPECT_EQ(b.outputs()[0].shape(), (Shape{None, 5}));
  b.pop();
  EXPECT_EQ(b.layers().size(), 0u);

  Sequential deferred;
  auto d = make_layer<MyDense>(2);
  deferred.add(d);
  EXPECT_FALSE(deferred.is_functional());
  Tensor x = data({4, 7}, 9);
  Tensor y = deferred(x);
  EXPECT_TRUE(deferred.is_functional());
  EXPECT_EQ(deferred.inputs()[0].shape(), (Shape{None, 7}));
  EXPECT_TRUE(all_close(y, d(x)));
  EXPECT_THROW(Sequential().pop(), TypeError);
}

TEST(Sequential, RejectsALayerThatDoesNotFitAndStaysUsable) {
  Sequential s;
  s.add(Input({3}));
  s.add(make_layer<MyDense>(4));
  EXPECT_THROW(s.add(layers::Lambda([](const Tensor& t) { return ops::reshape(t, {5}); })), ValueError);
  EXPECT_EQ(s.layers().size(), 1u);
  EXPECT_EQ(s.outputs()[0].shape(), (Shape{None, 4}));
}

}  // namespace
}  // namespace keras
