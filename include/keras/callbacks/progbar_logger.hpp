#pragma once
// keras.callbacks.ProgbarLogger: prints the progress bar for fit (one per epoch, with
// "Epoch i/n" when n > 1), and for evaluate / predict when called outside fit. fit adds one
// when verbose != 0.
#include <cstdint>
#include <memory>
#include <optional>

#include "keras/callbacks/callback.hpp"
#include "keras/utils/progbar.hpp"

namespace keras::callbacks {

class ProgbarLogger : public Callback {
 public:
  // `options` configures the bars (print_fn and clock for tests); verbose comes from params.
  explicit ProgbarLogger(utils::ProgbarOptions options = {}) : options_(std::move(options)) {}

  void set_params(const CallbackParams& params) override;
  void on_train_begin(Logs& logs) override;
  void on_test_begin(Logs& logs) override;
  void on_predict_begin(Logs& logs) override;
  void on_epoch_begin(std::int64_t epoch, Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, Logs& logs) override;
  void on_test_batch_end(std::int64_t batch, Logs& logs) override;
  void on_predict_batch_end(std::int64_t batch, Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, Logs& logs) override;
  void on_test_end(Logs& logs) override;
  void on_predict_end(Logs& logs) override;

 private:
  void reset();
  void maybe_init();
  void update(std::int64_t batch, const Logs& logs);
  void finalize(const Logs& logs);
  void print(const std::string& text) const;

  utils::ProgbarOptions options_;
  std::unique_ptr<utils::Progbar> progbar_;
  std::optional<std::int64_t> target_;
  std::int64_t seen_ = 0;
  int verbose_ = 1;
  std::int64_t epochs_ = 1;
  bool called_in_fit_ = false;
};

}  // namespace keras::callbacks
