#pragma once
// keras.callbacks.ReduceLROnPlateau: multiplies the learning rate by `factor` after
// `patience` epochs without improvement, and writes "learning_rate" into the epoch logs.
#include <cstdint>
#include <string>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;
  std::int64_t patience = 10;
  int verbose = 0;
  std::string mode = "auto";
  double min_delta = 1e-4;
  std::int64_t cooldown = 0;
  double min_lr = 0.0;
};

class ReduceLROnPlateau : public Callback {
 public:
  // ValueError when factor >= 1, as Keras.
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, Logs& logs) override;

 private:
  bool improved(double value) const;

  ReduceLROnPlateauOptions options_;
  bool minimize_ = true;
  double best_ = 0.0;
  std::int64_t wait_ = 0;
  std::int64_t cooldown_counter_ = 0;
};

}  // namespace keras::callbacks
