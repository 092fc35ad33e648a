#include "callbacks/callback_list.hpp"

#include "keras/callbacks/progbar_logger.hpp"

namespace keras::callbacks {

CallbackRunner::CallbackRunner(const CallbackList& user, Model* model, const CallbackParams& params,
                               bool add_history, bool add_progbar)
    : callbacks_(user.begin(), user.end()) {
  bool has_progbar = false;
  for (const auto& c : callbacks_) {
    if (!history_) history_ = std::dynamic_pointer_cast<History>(c);
    has_progbar = has_progbar || std::dynamic_pointer_cast<ProgbarLogger>(c) != nullptr;
  }
  if (add_history && !history_) {
    history_ = std::make_shared<History>();
    callbacks_.push_back(history_);
  }
  if (add_progbar && !has_progbar && params.verbose != 0) callbacks_.push_back(std::make_shared<ProgbarLogger>());
  for (const auto& c : callbacks_) {
    c->set_model(model);
    c->set_params(params);
  }
}

#define KERAS_FORWARD(hook)                                    \
  void CallbackRunner::hook(Logs& logs) {                      \
    for (const auto& c : callbacks_) c->hook(logs);            \
  }
#define KERAS_FORWARD_INDEX(hook)                              \
  void CallbackRunner::hook(std::int64_t index, Logs& logs) {  \
    for (const auto& c : callbacks_) c->hook(index, logs);     \
  }

KERAS_FORWARD(on_train_begin)
KERAS_FORWARD(on_train_end)
KERAS_FORWARD(on_test_begin)
KERAS_FORWARD(on_test_end)
KERAS_FORWARD(on_predict_begin)
KERAS_FORWARD(on_predict_end)
KERAS_FORWARD_INDEX(on_epoch_begin)
KERAS_FORWARD_INDEX(on_epoch_end)
KERAS_FORWARD_INDEX(on_train_batch_begin)
KERAS_FORWARD_INDEX(on_train_batch_end)
KERAS_FORWARD_INDEX(on_test_batch_begin)
KERAS_FORWARD_INDEX(on_test_batch_end)
KERAS_FORWARD_INDEX(on_predict_batch_begin)
KERAS_FORWARD_INDEX(on_predict_batch_end)

#undef KERAS_FORWARD
#undef KERAS_FORWARD_INDEX

}  // namespace keras::callbacks
