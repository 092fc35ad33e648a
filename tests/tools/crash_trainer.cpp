// The training process tests/test_backup_and_restore.cpp kills at random moments: a small
// model with Dropout and an SGD-with-momentum optimizer trains 60 epochs on shuffled data
// under BackupAndRestore(argv[1]). After each epoch's backup it prints "epoch <n>"; when
// training finishes it writes the final weights to argv[2] (a .weights.h5 file), before
// BackupAndRestore deletes its backup (callbacks run in list order), so no moment exists
// with neither.
//
//   crash_trainer BACKUP_DIR OUT_FILE
#include <keras/keras.hpp>

#include <iostream>

using namespace keras;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: crash_trainer BACKUP_DIR OUT_FILE\n";
    return 2;
  }
  utils::set_random_seed(42);
  Tensor x = random::normal({256, 8}, {.seed = 1});
  Tensor y = ops::cast(ops::greater(ops::sum(x, 1, true), 0.0), DType::float32);

  Sequential model;
  model.add(Input({8}));
  model.add(layers::Dense(32, {.activation = "relu"}));
  model.add(layers::Dropout(0.25));
  model.add(layers::Dense(1, {.activation = "sigmoid"}));
  model.compile({.optimizer = std::make_shared<optimizers::SGD>(optimizers::SGDOptions{.learning_rate = 0.05, .momentum = 0.9}),
                 .loss = "binary_crossentropy"});
  const std::string out = argv[2];
  auto save_final = std::make_shared<callbacks::LambdaCallback>(
      callbacks::LambdaCallbackOptions{.on_train_end = [&](Logs&) { model.save_weights(out); }});
  auto backup = std::make_shared<callbacks::BackupAndRestore>(argv[1]);
  auto report = std::make_shared<callbacks::LambdaCallback>(callbacks::LambdaCallbackOptions{
      .on_epoch_end = [](std::int64_t epoch, Logs&) { std::cout << "epoch " << epoch + 1 << std::endl; }});
  model.fit(x, y, {.batch_size = 16, .epochs = 60, .verbose = 0, .callbacks = {save_final, backup, report}});
  return 0;
}
