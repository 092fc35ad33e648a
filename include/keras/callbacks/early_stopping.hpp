#pragma once
// keras.callbacks.EarlyStopping: stops fit when the monitored value stops improving.
#include <cstdint>
#include <optional>
#include <string>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0.0;
  std::int64_t patience = 0;
  int verbose = 0;
  std::string mode = "auto";  // "auto", "min" or "max"
  std::optional<double> baseline;
  bool restore_best_weights = false;
  std::int64_t start_from_epoch = 0;
};

class EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(EarlyStoppingOptions options = {});
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

  std::int64_t stopped_epoch() const { return stopped_epoch_; }
  std::int64_t best_epoch() const { return best_epoch_; }
  double best() const { return best_; }
  std::int64_t wait() const { return wait_; }

 private:
  bool improved(double value, double reference) const;

  EarlyStoppingOptions options_;
  std::optional<bool> minimize_;  // resolved at the first epoch end (metrics are built then)
  double best_ = 0.0;
  std::int64_t wait_ = 0;
  std::int64_t stopped_epoch_ = 0;
  std::int64_t best_epoch_ = 0;
  Tensors best_weights_;
};

}  // namespace keras::callbacks
