// Consumer smoke test: an op, a GradientTape and printing, through the public headers only.
#include <keras/keras.hpp>

#include <cmath>
#include <iostream>
#include <sstream>

int main() {
  using namespace keras;
  Variable w(Tensor({1.0, -2.0, 3.0}), {.name = "w"});
  Tensor x({0.5, 0.25, 2.0});
  Tensor loss;
  std::vector<Tensor> grads;
  {
    GradientTape tape;
    loss = ops::sum(ops::square(w * x - 1.0));
    grads = tape.gradient(loss, std::vector<Variable>{w});
  }
  // loss = sum((w*x - 1)^2), d/dw = 2 (w*x - 1) x
  const double expected_loss = 0.25 + 2.25 + 25.0;
  const auto g = grads.at(0).to_vector<double>();
  const double expected_g[] = {-0.5, -0.75, 20.0};
  bool ok = std::abs(loss.item<double>() - expected_loss) < 1e-5 && g.size() == 3;
  for (std::size_t i = 0; ok && i < 3; ++i) ok = std::abs(g[i] - expected_g[i]) < 1e-5;
  std::ostringstream printed;
  printed << grads[0];
  ok = ok && printed.str() == "[-0.5  -0.75 20.  ]";
  std::cout << "loss " << loss << ", gradient " << grads[0] << (ok ? " ok" : " WRONG") << "\n";
  return ok ? 0 : 1;
}
