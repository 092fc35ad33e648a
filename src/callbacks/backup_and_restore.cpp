#include "keras/callbacks/backup_and_restore.hpp"

#include <filesystem>

#include "keras/errors.hpp"
#include "keras/model.hpp"
#include "keras/random.hpp"
#include "saving/model_state.hpp"

namespace keras::callbacks {

BackupAndRestore::BackupAndRestore(std::string backup_dir, std::string save_freq, bool delete_checkpoint)
    : backup_dir_(std::move(backup_dir)), delete_checkpoint_(delete_checkpoint) {
  if (backup_dir_.empty()) throw ValueError("Empty `backup_dir` argument passed");
  if (save_freq != "epoch") {
    throw ValueError("BackupAndRestore supports save_freq=\"epoch\" only; received save_freq=" + save_freq);
  }
}

std::string BackupAndRestore::checkpoint_path() const { return backup_dir_ + "/latest.ckpt"; }

void BackupAndRestore::on_train_begin(Logs&) {
  if (!std::filesystem::exists(checkpoint_path())) return;
  const saving::CheckpointData data = saving::read_checkpoint(checkpoint_path());
  saving::restore_model_state(*model(), data, checkpoint_path());
  const auto& meta = data.metadata;
  if (!meta.contains("epoch") || !meta.contains("rng_seed") || !meta.contains("rng_counter")) {
    throw IOError("Backup '" + checkpoint_path() + "' has no training state (epoch, random generator)");
  }
  random::global_generator().set_state(meta["rng_seed"].get<std::uint64_t>(), meta["rng_counter"].get<std::uint64_t>());
  model()->resume_epoch = meta["epoch"].get<std::int64_t>();
}

void BackupAndRestore::on_epoch_end(std::int64_t epoch, Logs&) {
  std::filesystem::create_directories(backup_dir_);
  // The weights and the training state go into one file, so they always agree.
  saving::CheckpointData data = saving::model_state(*model());
  const auto& generator = random::global_generator();
  data.metadata["epoch"] = epoch + 1;
  data.metadata["rng_seed"] = generator.seed();
  data.metadata["rng_counter"] = generator.counter();
  saving::write_checkpoint(checkpoint_path(), data);
}

void BackupAndRestore::on_train_end(Logs&) {
  if (delete_checkpoint_) std::filesystem::remove_all(backup_dir_);
}

}  // namespace keras::callbacks
