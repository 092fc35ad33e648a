#include "keras/callbacks/reduce_lr_on_plateau.hpp"

#include <algorithm>
#include <iostream>
#include <limits>

#include "callbacks/monitor.hpp"
#include "keras/errors.hpp"
#include "keras/model.hpp"
#include "utils/object_config.hpp"

namespace keras::callbacks {

ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options) : options_(std::move(options)) {
  if (options_.factor >= 1.0) {
    throw ValueError("ReduceLROnPlateau does not support a factor >= 1.0. Received factor=" +
                     detail::python_float(options_.factor));
  }
  if (options_.mode != "auto" && options_.mode != "min" && options_.mode != "max") {
    std::cerr << "Learning rate reduction mode " << options_.mode << " is unknown, fallback to auto mode.\n";
    options_.mode = "auto";
  }
  // Keras's ReduceLROnPlateau still decides "auto" by the monitor's name.
  minimize_ = options_.mode == "min" || (options_.mode == "auto" && options_.monitor.find("acc") == std::string::npos);
}

void ReduceLROnPlateau::on_train_begin(Logs&) {
  best_ = minimize_ ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  wait_ = 0;
  cooldown_counter_ = 0;
}

bool ReduceLROnPlateau::improved(double value) const {
  return minimize_ ? value < best_ - options_.min_delta : value > best_ + options_.min_delta;
}

void ReduceLROnPlateau::on_epoch_end(std::int64_t epoch, Logs& logs) {
  logs["learning_rate"] = logged_learning_rate(*model());
  auto it = logs.find(options_.monitor);
  if (it == logs.end()) {
    std::string available;
    for (const auto& [k, v] : logs) available += (available.empty() ? "" : ",") + k;
    std::cerr << "Learning rate reduction is conditioned on metric `" << options_.monitor
              << "` which is not available. Available metrics are: " << available << ".\n";
    return;
  }
  const double current = it->second;
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    wait_ = 0;
  }
  if (improved(current)) {
    best_ = current;
    wait_ = 0;
    return;
  }
  if (cooldown_counter_ > 0) return;
  if (++wait_ < options_.patience) return;
  const double old_lr = logged_learning_rate(*model());
  if (old_lr > static_cast<double>(static_cast<float>(options_.min_lr))) {
    const double new_lr = std::max(old_lr * options_.factor, options_.min_lr);
    model()->optimizer()->set_learning_rate(new_lr);
    if (options_.verbose > 0) {
      std::cout << "\nEpoch " << epoch + 1 << ": ReduceLROnPlateau reducing learning rate to "
                << detail::python_float(new_lr) << ".\n";
    }
    cooldown_counter_ = options_.cooldown;
    wait_ = 0;
  }
}

}  // namespace keras::callbacks
