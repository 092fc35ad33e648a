// Keras's two-input merge model: Input(16) and Input(32) → Dense(8, relu) each → a merge
// layer → Dense(4); once per merge (Add, Subtract, Multiply, Concatenate). Each model is
// checked against the same computation written directly in ops.
#include <cstdlib>
#include <functional>
#include <iostream>

#include <keras/keras.hpp>

using namespace keras;

namespace {

using Merge = std::function<Tensor(const Tensors&)>;

bool check(const std::string& name, const Merge& merge, const Merge& reference) {
  Tensor in1 = Input({16});
  Tensor in2 = Input({32});
  auto d1 = layers::Dense(8, {.activation = "relu"});
  auto d2 = layers::Dense(8, {.activation = "relu"});
  auto head = layers::Dense(4);
  Tensor out = head(merge({d1(in1), d2(in2)}));
  Model model({in1, in2}, out);

  Tensor x1 = random::normal({10, 16}, {.seed = 1});
  Tensor x2 = random::normal({10, 32}, {.seed = 2});
  Tensor y = model({x1, x2});
  auto dense = [](const LayerPtr& l, const Tensor& x, bool relu) {
    const auto w = l->get_weights();
    Tensor z = ops::matmul(x, w[0]) + w[1];
    return relu ? ops::relu(z) : z;
  };
  Tensor expected = dense(head, reference({dense(d1, x1, true), dense(d2, x2, true)}), false);
  const double err = ops::max(ops::abs(y - expected)).item();
  std::cout << name << ": output " << shape_str(y.shape()) << ", " << model.weights().size()
            << " weights, max |model - ops| = " << err << "\n";
  return y.shape() == Shape{10, 4} && err < 1e-5;
}

}  // namespace

int main() {
  bool ok = true;
  ok &= check("add", [](const Tensors& t) { return layers::add(t); },
              [](const Tensors& t) { return t[0] + t[1]; });
  ok &= check("subtract", [](const Tensors& t) { return layers::subtract(t); },
              [](const Tensors& t) { return t[0] - t[1]; });
  ok &= check("multiply", [](const Tensors& t) { return layers::multiply(t); },
              [](const Tensors& t) { return t[0] * t[1]; });
  ok &= check("concatenate", [](const Tensors& t) { return layers::concatenate(t); },
              [](const Tensors& t) { return ops::concatenate(t, -1); });
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
