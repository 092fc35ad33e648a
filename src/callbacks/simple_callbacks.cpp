// LearningRateScheduler, TerminateOnNaN and LambdaCallback.
#include <cmath>
#include <iostream>

#include "callbacks/monitor.hpp"
#include "keras/callbacks/lambda_callback.hpp"
#include "keras/callbacks/learning_rate_scheduler.hpp"
#include "keras/callbacks/terminate_on_nan.hpp"
#include "keras/errors.hpp"
#include "keras/model.hpp"
#include "utils/object_config.hpp"

namespace keras::callbacks {

LearningRateScheduler::LearningRateScheduler(Schedule schedule, int verbose)
    : schedule_(std::move(schedule)), verbose_(verbose) {
  if (!schedule_) throw ValueError("LearningRateScheduler needs a schedule function");
}

void LearningRateScheduler::on_epoch_begin(std::int64_t epoch, Logs&) {
  const double lr = schedule_(epoch, logged_learning_rate(*model()));
  model()->optimizer()->set_learning_rate(lr);
  if (verbose_ > 0) {
    std::cout << "\nEpoch " << epoch + 1 << ": LearningRateScheduler setting learning rate to "
              << detail::python_float(lr) << ".\n";
  }
}

void LearningRateScheduler::on_epoch_end(std::int64_t, Logs& logs) {
  logs["learning_rate"] = logged_learning_rate(*model());
}

void TerminateOnNaN::on_train_batch_end(std::int64_t batch, Logs& logs) {
  auto it = logs.find("loss");
  if (it == logs.end() || std::isfinite(it->second)) return;
  std::cout << "Batch " << batch << ": Invalid loss, terminating training\n";
  model()->stop_training = true;
}

void LambdaCallback::on_epoch_begin(std::int64_t epoch, Logs& logs) {
  if (options_.on_epoch_begin) options_.on_epoch_begin(epoch, logs);
}
void LambdaCallback::on_epoch_end(std::int64_t epoch, Logs& logs) {
  if (options_.on_epoch_end) options_.on_epoch_end(epoch, logs);
}
void LambdaCallback::on_train_batch_begin(std::int64_t batch, Logs& logs) {
  if (options_.on_train_batch_begin) options_.on_train_batch_begin(batch, logs);
}
void LambdaCallback::on_train_batch_end(std::int64_t batch, Logs& logs) {
  if (options_.on_train_batch_end) options_.on_train_batch_end(batch, logs);
}
void LambdaCallback::on_train_begin(Logs& logs) {
  if (options_.on_train_begin) options_.on_train_begin(logs);
}
void LambdaCallback::on_train_end(Logs& logs) {
  if (options_.on_train_end) options_.on_train_end(logs);
}

}  // namespace keras::callbacks
