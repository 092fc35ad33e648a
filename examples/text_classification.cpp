// Text classification with a bidirectional LSTM over padded word-id sequences:
// Embedding(mask_zero=True) -> Bidirectional(LSTM) -> Dense(sigmoid). The data is made
// here: sequences of 4 to 20 random words (ids 1..49, right-padded with 0), labelled 1 when
// word 7 appears before word 8 (both in the sentence, in that order) or when word 7 appears
// alone. Order matters, so a bag of words cannot solve it; the padding is masked, so the
// sequence lengths do not matter either. Succeeds at >= 90 % held-out accuracy.
#include <cstdlib>
#include <iostream>
#include <random>
#include <vector>

#include <keras/keras.hpp>

using namespace keras;

namespace {

constexpr std::int64_t kVocab = 50, kMaxLen = 20;

struct Dataset {
  Tensor ids;     // (n, kMaxLen) int32, 0 = padding
  Tensor labels;  // (n, 1) float32
};

Dataset make_data(std::int64_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> length(4, static_cast<int>(kMaxLen));
  std::uniform_int_distribution<int> word(9, static_cast<int>(kVocab) - 1);
  std::uniform_int_distribution<int> kind(0, 3);
  std::vector<std::int32_t> ids(static_cast<std::size_t>(n * kMaxLen), 0);
  std::vector<float> labels(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    const int len = length(rng);
    std::int32_t* row = &ids[static_cast<std::size_t>(i * kMaxLen)];
    for (int t = 0; t < len; ++t) row[t] = word(rng);
    std::uniform_int_distribution<int> pos(0, len - 1);
    const int a = pos(rng);
    int b = pos(rng);
    while (b == a) b = pos(rng);
    // 0: 7 before 8 (positive), 1: 8 before 7, 2: 7 alone (positive), 3: 8 alone.
    const int k = kind(rng);
    if (k <= 1) {
      row[std::min(a, b)] = k == 0 ? 7 : 8;
      row[std::max(a, b)] = k == 0 ? 8 : 7;
    } else {
      row[a] = k == 2 ? 7 : 8;
    }
    labels[static_cast<std::size_t>(i)] = (k == 0 || k == 2) ? 1.0f : 0.0f;
  }
  return {Tensor::from_vector(ids, {n, kMaxLen}), Tensor::from_vector(labels, {n, 1})};
}

}  // namespace

int main() {
  utils::set_random_seed(42);
  const Dataset train = make_data(2000, 1);
  const Dataset test = make_data(500, 2);

  Sequential model;
  model.add(Input({kMaxLen}, {.dtype = DType::int32}));
  model.add(layers::Embedding(kVocab, 16, {.mask_zero = true}));
  model.add(layers::Bidirectional(layers::LSTM(16)));
  model.add(layers::Dense(1, {.activation = "sigmoid"}));
  model.compile({.optimizer = "adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  model.summary();

  model.fit(train.ids, train.labels, {.batch_size = 32, .epochs = 5, .verbose = 2});
  const Scores scores = model.evaluate(test.ids, test.labels, {.verbose = 0});
  const double accuracy = scores[std::string("accuracy")];
  std::cout << "test accuracy: " << accuracy << "\n";
  return accuracy >= 0.9 ? EXIT_SUCCESS : EXIT_FAILURE;
}
