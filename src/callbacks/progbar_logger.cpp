#include "keras/callbacks/progbar_logger.hpp"

#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace keras::callbacks {

namespace {
std::vector<std::pair<std::string, double>> items(const Logs& logs) { return {logs.begin(), logs.end()}; }
}  // namespace

void ProgbarLogger::set_params(const CallbackParams& params) {
  Callback::set_params(params);
  verbose_ = params.verbose;
  epochs_ = params.epochs;
  target_ = params.steps > 0 ? std::optional<std::int64_t>(params.steps) : std::nullopt;
}

void ProgbarLogger::print(const std::string& text) const {
  if (options_.print_fn) {
    options_.print_fn(text);
  } else {
    std::cout << text << std::flush;
  }
}

void ProgbarLogger::reset() {
  seen_ = 0;
  progbar_.reset();
}

void ProgbarLogger::maybe_init() {
  if (progbar_) return;
  utils::ProgbarOptions o = options_;
  o.verbose = verbose_;
  o.unit_name = "step";
  progbar_ = std::make_unique<utils::Progbar>(target_, std::move(o));
}

// Inside fit, validation runs silently.
void ProgbarLogger::on_train_begin(Logs&) { called_in_fit_ = true; }

void ProgbarLogger::on_test_begin(Logs&) {
  if (called_in_fit_) return;
  reset();
  maybe_init();
}

void ProgbarLogger::on_predict_begin(Logs&) {
  reset();
  maybe_init();
}

void ProgbarLogger::on_epoch_begin(std::int64_t epoch, Logs&) {
  reset();
  maybe_init();
  if (verbose_ != 0 && epochs_ > 1) {
    print("Epoch " + std::to_string(epoch + 1) + "/" + std::to_string(epochs_) + "\n");
  }
}

void ProgbarLogger::update(std::int64_t batch, const Logs& logs) {
  maybe_init();
  seen_ = batch + 1;
  if (verbose_ == 1) progbar_->update(seen_, items(logs), false);
}

void ProgbarLogger::finalize(const Logs& logs) {
  maybe_init();
  if (!target_) {
    target_ = seen_;
    progbar_->set_target(target_);
  }
  progbar_->update(*target_, items(logs), true);
}

void ProgbarLogger::on_train_batch_end(std::int64_t batch, Logs& logs) { update(batch, logs); }

void ProgbarLogger::on_test_batch_end(std::int64_t batch, Logs& logs) {
  if (!called_in_fit_) update(batch, logs);
}

// Predictions are not shown.
void ProgbarLogger::on_predict_batch_end(std::int64_t batch, Logs&) { update(batch, {}); }

void ProgbarLogger::on_epoch_end(std::int64_t, Logs& logs) { finalize(logs); }

void ProgbarLogger::on_test_end(Logs& logs) {
  if (!called_in_fit_) finalize(logs);
}

void ProgbarLogger::on_predict_end(Logs&) { finalize({}); }

}  // namespace keras::callbacks
