// Custom layers, as in Keras's guide: MyDense (a trainable kernel and a non-trainable
// weight) after Reshape(784) and Dense(500), and a layer taking two inputs with a weight
// set for each. Gradients come from autodiff: neither layer writes a backward pass.
#include <cstdlib>
#include <iostream>

#include <keras/keras.hpp>

using namespace keras;

class MyDense : public Layer {
 public:
  explicit MyDense(std::int64_t units) : units_(units) {}
  void build(const std::vector<Shape>& input_shapes) override {
    kernel_ = add_weight("kernel", {input_shapes[0].back(), units_}, {.initializer = "glorot_uniform"});
    scale_ = add_weight("scale", {}, {.initializer = "ones", .trainable = false});
  }
  Tensors call(const Tensors& inputs, const CallContext&) override {
    return {ops::matmul(inputs[0], kernel_) * Tensor(scale_)};
  }
  std::string class_name() const override { return "MyDense"; }

 private:
  std::int64_t units_;
  Variable kernel_;
  Variable scale_;
};

class BilinearMix : public Layer {
 public:
  void build(const std::vector<Shape>& shapes) override {
    if (shapes.size() != 2) throw ValueError("BilinearMix takes two inputs");
    a_ = add_weight("a", {shapes[0].back(), 4});
    b_ = add_weight("b", {shapes[1].back(), 4});
  }
  Tensors call(const Tensors& in, const CallContext&) override {
    return {ops::matmul(in[0], a_) + ops::matmul(in[1], b_)};
  }
  std::string class_name() const override { return "BilinearMix"; }

 private:
  Variable a_;
  Variable b_;
};

int main() {
  Tensor image = Input({28, 28});
  Tensor flat = layers::Reshape({784})(image);
  Tensor hidden = layers::Dense(500, {.activation = "relu"})(flat);
  auto my_dense = make_layer<MyDense>(10);
  Tensor side = Input({7});
  Tensor out = make_layer<BilinearMix>()({my_dense(hidden), side});
  Model model({image, side}, out);

  std::cout << "weights:";
  for (const auto& w : model.weights()) std::cout << " " << w.name() << shape_str(w.shape());
  std::cout << "\ntrainable " << model.trainable_weights().size() << ", non-trainable "
            << model.non_trainable_weights().size() << "\n";

  Tensor x = random::uniform({8, 28, 28}, {.seed = 6});
  Tensor s = random::uniform({8, 7}, {.seed = 7});
  GradientTape tape;
  Tensor loss = ops::mean(ops::square(model({x, s})));
  auto grads = tape.gradient(loss, model.trainable_weights());
  bool all = true;
  for (const auto& g : grads) all &= g.defined();
  std::cout << "output " << shape_str(model({x, s}).shape()) << ", every trainable weight has a gradient: "
            << (all ? "yes" : "no") << "\n";
  return all && model.non_trainable_weights().size() == 1 && model.trainable_weights().size() == 5
             ? EXIT_SUCCESS
             : EXIT_FAILURE;
}
