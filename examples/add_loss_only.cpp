// A model trained only by the loss its layer adds: an activity penalty
// 100000 * mean(square(hidden)) through add_loss, compiled with no loss and fit without
// targets, as in Keras's add_loss guide.
//
//   build/examples/add_loss_only
#include <keras/keras.hpp>

#include <iostream>

using namespace keras;

class ActivityPenalty : public Layer {
 public:
  ActivityPenalty() : Layer(LayerOptions{}) {}
  Tensors call(const Tensors& inputs, const CallContext&) override {
    add_loss(ops::mean(ops::square(inputs[0])) * 100000.0);
    return {inputs[0]};
  }
  std::string class_name() const override { return "ActivityPenalty"; }
};

int main() {
  utils::set_random_seed(3);
  Tensor in = Input({8});
  Tensor hidden = layers::Dense(16)(in);
  Tensor out = layers::Dense(1)(make_layer<ActivityPenalty>()(hidden));
  Model model(in, out);
  model.compile({.optimizer = std::make_shared<optimizers::SGD>(optimizers::SGDOptions{.learning_rate = 1e-6})});
  Tensor x = random::normal({256, 8});
  auto history = model.fit(x, {}, {.batch_size = 32, .epochs = 5, .verbose = 2});
  const auto& loss = history.history["loss"];
  std::cout << "loss " << loss.front() << " -> " << loss.back() << "\n";
  return loss.back() < loss.front() ? 0 : 1;
}
