#pragma once
// The callbacks of one fit / evaluate / predict call, with Keras's defaults appended (History,
// then ProgbarLogger when verbose), each event forwarded to all of them with one shared logs
// dict.
#include <cstdint>
#include <memory>
#include <vector>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

class CallbackRunner {
 public:
  // add_history: fit's History; add_progbar: a ProgbarLogger unless one is given or verbose is 0.
  CallbackRunner(const CallbackList& user, Model* model, const CallbackParams& params, bool add_history,
                 bool add_progbar);

  std::shared_ptr<History> history() const { return history_; }

  void on_train_begin(Logs& logs);
  void on_train_end(Logs& logs);
  void on_epoch_begin(std::int64_t epoch, Logs& logs);
  void on_epoch_end(std::int64_t epoch, Logs& logs);
  void on_train_batch_begin(std::int64_t batch, Logs& logs);
  void on_train_batch_end(std::int64_t batch, Logs& logs);
  void on_test_begin(Logs& logs);
  void on_test_end(Logs& logs);
  void on_test_batch_begin(std::int64_t batch, Logs& logs);
  void on_test_batch_end(std::int64_t batch, Logs& logs);
  void on_predict_begin(Logs& logs);
  void on_predict_end(Logs& logs);
  void on_predict_batch_begin(std::int64_t batch, Logs& logs);
  void on_predict_batch_end(std::int64_t batch, Logs& logs);

 private:
  std::vector<CallbackPtr> callbacks_;
  std::shared_ptr<History> history_;
};

}  // namespace keras::callbacks
