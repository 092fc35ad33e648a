// Slicing an input's columns with a Lambda that takes an `index` argument, then
// concatenating the slices back: the model must reproduce its input.
#include <cstdlib>
#include <iostream>

#include <keras/keras.hpp>

using namespace keras;

int main() {
  constexpr std::int64_t kColumns = 5;
  Tensor in = Input({kColumns});
  Tensors columns;
  for (std::int64_t i = 0; i < kColumns; ++i) {
    auto column = layers::Lambda(
        [](const Tensor& x, const layers::LambdaArguments& args) {
          const auto index = args.at("index").get<std::int64_t>();
          return ops::slice(x, {0, index}, {x.shape()[0], 1});
        },
        {.arguments = {{"index", i}}});
    columns.push_back(column(in));
  }
  Model model(in, layers::concatenate(columns, 1));
  Tensor x = random::uniform({4, kColumns}, {.seed = 5});
  Tensor y = model(x);
  const double err = ops::max(ops::abs(y - x)).item();
  std::cout << model.layers().size() << " layers; max |model(x) - x| = " << err << "\n";
  return err == 0.0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
