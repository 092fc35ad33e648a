#include "keras/callbacks/early_stopping.hpp"

#include <cmath>
#include <iostream>
#include <limits>

#include "callbacks/monitor.hpp"
#include "keras/model.hpp"

namespace keras::callbacks {

EarlyStopping::EarlyStopping(EarlyStoppingOptions options) : options_(std::move(options)) {
  options_.min_delta = std::abs(options_.min_delta);
  if (options_.mode != "auto" && options_.mode != "min" && options_.mode != "max") {
    std::cerr << "EarlyStopping mode " << options_.mode << " is unknown, fallback to auto mode.\n";
    options_.mode = "auto";
  }
}

void EarlyStopping::on_train_begin(Logs&) {
  wait_ = 0;
  stopped_epoch_ = 0;
  best_epoch_ = 0;
  best_weights_.clear();
}

bool EarlyStopping::improved(double value, double reference) const {
  return *minimize_ ? value + options_.min_delta < reference : value - options_.min_delta > reference;
}

void EarlyStopping::on_epoch_end(std::int64_t epoch, Logs& logs) {
  if (!minimize_) {
    minimize_ = monitor_minimizes(options_.mode, options_.monitor, model(), "EarlyStopping");
    best_ = *minimize_ ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  }
  auto it = logs.find(options_.monitor);
  if (it == logs.end()) {
    std::string available;
    for (const auto& [k, v] : logs) available += (available.empty() ? "" : ",") + k;
    std::cerr << "Early stopping conditioned on metric `" << options_.monitor
              << "` which is not available. Available metrics are: " << available << "\n";
    return;
  }
  if (epoch < options_.start_from_epoch) return;
  const double current = it->second;
  if (options_.restore_best_weights && best_weights_.empty()) {
    best_weights_ = model()->get_weights();
    best_epoch_ = epoch;
  }
  ++wait_;
  if (improved(current, best_)) {
    best_ = current;
    best_epoch_ = epoch;
    if (options_.restore_best_weights) best_weights_ = model()->get_weights();
    // Only a value that also beats the baseline restarts the wait.
    if (!options_.baseline || improved(current, *options_.baseline)) wait_ = 0;
    return;
  }
  if (wait_ >= options_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    model()->stop_training = true;
  }
}

void EarlyStopping::on_train_end(Logs&) {
  if (stopped_epoch_ > 0 && options_.verbose > 0) {
    std::cout << "Epoch " << stopped_epoch_ + 1 << ": early stopping\n";
  }
  if (options_.restore_best_weights && !best_weights_.empty()) {
    if (options_.verbose > 0) {
      std::cout << "Restoring model weights from the end of the best epoch: " << best_epoch_ + 1 << ".\n";
    }
    model()->set_weights(best_weights_);
  }
}

}  // namespace keras::callbacks
