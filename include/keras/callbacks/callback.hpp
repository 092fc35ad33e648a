#pragma once
// The Callback base class (keras.callbacks.Callback): every hook Keras calls during fit,
// evaluate and predict. `model()` is the model being trained; set
// `model()->stop_training = true` to end fit after the current epoch.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "keras/trainers/options.hpp"

namespace keras {
class Model;
}

namespace keras::callbacks {

// What fit / evaluate / predict tell their callbacks before the first hook (Keras's
// callback.params): verbose level, epochs and steps per epoch (0: unknown).
struct CallbackParams {
  int verbose = 1;
  std::int64_t epochs = 1;
  std::int64_t steps = 0;
};

class Callback {
 public:
  virtual ~Callback();

  virtual void set_model(Model* model) { model_ = model; }
  virtual void set_params(const CallbackParams& params) { params_ = params; }
  Model* model() const { return model_; }
  const CallbackParams& params() const { return params_; }

  // Logs are shared by every callback of one event: a callback may add keys (as
  // ReduceLROnPlateau adds learning_rate) and later callbacks see them.
  virtual void on_train_begin(Logs& logs) { (void)logs; }
  virtual void on_train_end(Logs& logs) { (void)logs; }
  virtual void on_epoch_begin(std::int64_t epoch, Logs& logs) { (void)epoch, (void)logs; }
  virtual void on_epoch_end(std::int64_t epoch, Logs& logs) { (void)epoch, (void)logs; }
  virtual void on_train_batch_begin(std::int64_t batch, Logs& logs) { (void)batch, (void)logs; }
  virtual void on_train_batch_end(std::int64_t batch, Logs& logs) { (void)batch, (void)logs; }
  virtual void on_test_begin(Logs& logs) { (void)logs; }
  virtual void on_test_end(Logs& logs) { (void)logs; }
  virtual void on_test_batch_begin(std::int64_t batch, Logs& logs) { (void)batch, (void)logs; }
  virtual void on_test_batch_end(std::int64_t batch, Logs& logs) { (void)batch, (void)logs; }
  virtual void on_predict_begin(Logs& logs) { (void)logs; }
  virtual void on_predict_end(Logs& logs) { (void)logs; }
  virtual void on_predict_batch_begin(std::int64_t batch, Logs& logs) { (void)batch, (void)logs; }
  virtual void on_predict_batch_end(std::int64_t batch, Logs& logs) { (void)batch, (void)logs; }

 private:
  Model* model_ = nullptr;
  CallbackParams params_;
};

using CallbackPtr = std::shared_ptr<Callback>;

// Model::history after fit: per-epoch values of every log key, and the epoch numbers.
class History : public Callback {
 public:
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, Logs& logs) override;

  std::map<std::string, std::vector<double>> history;
  std::vector<std::int64_t> epoch;
};

}  // namespace keras::callbacks
