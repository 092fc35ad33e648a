#pragma once
// keras.callbacks.ModelCheckpoint: saves the model (or its weights) every epoch or every
// `save_freq` batches, optionally only when the monitored value improves. The filepath may
// hold Python format fields: "w.{epoch:02d}-{val_loss:.2f}.keras".
//
// As Keras 3: with save_weights_only the filepath must end in `.weights.h5` (model.
// save_weights); otherwise in `.keras` or `.h5` (model.save, the whole model). Every file is
// written atomically.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

struct ModelCheckpointOptions {
  std::string monitor = "val_loss";
  int verbose = 0;
  bool save_best_only = false;
  bool save_weights_only = false;
  std::string mode = "auto";
  std::variant<std::string, std::int64_t> save_freq = std::string("epoch");
  std::optional<double> initial_value_threshold;
};

class ModelCheckpoint : public Callback {
 public:
  explicit ModelCheckpoint(std::string filepath, ModelCheckpointOptions options = {});
  void on_epoch_begin(std::int64_t epoch, Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, Logs& logs) override;

  std::optional<double> best() const { return best_; }

 private:
  void save(std::int64_t epoch, std::optional<std::int64_t> batch, const Logs& logs);
  bool should_save(std::int64_t epoch, const Logs& logs, const std::string& path);

  std::string filepath_;
  ModelCheckpointOptions options_;
  std::optional<bool> minimize_;
  std::optional<double> best_;
  std::int64_t current_epoch_ = 0;
  std::int64_t batches_since_save_ = 0;
  std::int64_t last_batch_seen_ = 0;
};

// Python's str.format for a filepath template: fields {name} and {name:spec} (spec: [0][width][.precision][d|f|e|g|s]),
// "{{" and "}}" escapes. ValueError naming the template when a field is missing.
std::string format_filepath(const std::string& pattern, const Logs& values, const std::map<std::string, std::int64_t>& ints);

}  // namespace keras::callbacks
