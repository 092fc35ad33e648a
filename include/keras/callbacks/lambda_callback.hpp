#pragma once
// keras.callbacks.LambdaCallback: a callback made of functions, each optional.
#include <cstdint>
#include <functional>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

struct LambdaCallbackOptions {
  std::function<void(std::int64_t, Logs&)> on_epoch_begin;
  std::function<void(std::int64_t, Logs&)> on_epoch_end;
  std::function<void(std::int64_t, Logs&)> on_train_batch_begin;
  std::function<void(std::int64_t, Logs&)> on_train_batch_end;
  std::function<void(Logs&)> on_train_begin;
  std::function<void(Logs&)> on_train_end;
};

class LambdaCallback : public Callback {
 public:
  explicit LambdaCallback(LambdaCallbackOptions options) : options_(std::move(options)) {}
  void on_epoch_begin(std::int64_t epoch, Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, Logs& logs) override;
  void on_train_batch_begin(std::int64_t batch, Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, Logs& logs) override;
  void on_train_begin(Logs& logs) override;
  void on_train_end(Logs& logs) override;

 private:
  LambdaCallbackOptions options_;
};

}  // namespace keras::callbacks
