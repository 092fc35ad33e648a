#pragma once
// keras.callbacks.LearningRateScheduler: sets the learning rate at each epoch's start to
// schedule(epoch, current_lr) and logs it as "learning_rate".
#include <cstdint>
#include <functional>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

class LearningRateScheduler : public Callback {
 public:
  using Schedule = std::function<double(std::int64_t epoch, double learning_rate)>;
  explicit LearningRateScheduler(Schedule schedule, int verbose = 0);
  void on_epoch_begin(std::int64_t epoch, Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, Logs& logs) override;

 private:
  Schedule schedule_;
  int verbose_;
};

}  // namespace keras::callbacks
