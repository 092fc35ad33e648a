#pragma once
// keras.callbacks.BackupAndRestore: backs up the training state at each epoch's end to
// `backup_dir` and, when fit starts and a backup exists, restores it and resumes at the
// following epoch, so an interrupted run continues where it stopped.
//
// The backup is one Keras `.weights.h5` file, `backup_dir/latest.weights.h5` (weights and
// optimizer state, loadable by load_weights), whose root attribute `training_metadata`
// holds the epoch and the global random generator's state (which drives shuffling,
// unseeded dropout and initializers). It is written atomically: a crash leaves the
// previous backup or the new one, never a torn file.
#include <cstdint>
#include <string>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

class BackupAndRestore : public Callback {
 public:
  // save_freq "epoch" only (batch-level backups are not supported yet: ValueError).
  explicit BackupAndRestore(std::string backup_dir, std::string save_freq = "epoch", bool delete_checkpoint = true);
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

  // The backup file inside backup_dir.
  std::string checkpoint_path() const;

 private:
  std::string backup_dir_;
  bool delete_checkpoint_;
};

}  // namespace keras::callbacks
