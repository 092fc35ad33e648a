#include "keras/callbacks/backup_and_restore.hpp"

#include <filesystem>

#include "keras/errors.hpp"
#include "keras/model.hpp"
#include "keras/random.hpp"
#include "saving/atomic_file.hpp"
#include "saving/h5/h5_file.hpp"
#include "saving/weights_io.hpp"

namespace keras::callbacks {

namespace {

// The root attribute of the backup that holds the training state.
constexpr const char* kMetadata = "training_metadata";

}  // namespace

BackupAndRestore::BackupAndRestore(std::string backup_dir, std::string save_freq, bool delete_checkpoint)
    : backup_dir_(std::move(backup_dir)), delete_checkpoint_(delete_checkpoint) {
  if (backup_dir_.empty()) throw ValueError("Empty `backup_dir` argument passed");
  if (save_freq != "epoch") {
    throw ValueError("BackupAndRestore supports save_freq=\"epoch\" only; received save_freq=" + save_freq);
  }
}

std::string BackupAndRestore::checkpoint_path() const { return backup_dir_ + "/latest.weights.h5"; }

void BackupAndRestore::on_train_begin(Logs&) {
  if (!std::filesystem::exists(checkpoint_path())) return;
  const auto file = saving::h5::File::open(checkpoint_path());
  if (!file.has_attr(kMetadata)) {
    throw IOError("Backup '" + checkpoint_path() + "' has no training state (its " + kMetadata + " attribute)");
  }
  const json meta = json::parse(file.read_string_attr(kMetadata), nullptr, false);
  if (!meta.is_object() || !meta.contains("epoch") || !meta.contains("rng_seed") || !meta.contains("rng_counter")) {
    throw IOError("Backup '" + checkpoint_path() + "' has a malformed training state: " + file.read_string_attr(kMetadata));
  }
  saving::read_weights_tree(*model(), file, false);
  random::global_generator().set_state(meta["rng_seed"].get<std::uint64_t>(), meta["rng_counter"].get<std::uint64_t>());
  model()->resume_epoch = meta["epoch"].get<std::int64_t>();
}

void BackupAndRestore::on_epoch_end(std::int64_t epoch, Logs&) {
  std::filesystem::create_directories(backup_dir_);
  // The weights and the training state go into one file, written atomically, so they
  // always agree.
  auto file = saving::h5::File::create_in_memory(checkpoint_path());
  saving::write_weights_tree(*model(), file);
  const auto& generator = random::global_generator();
  const json meta = {{"epoch", epoch + 1}, {"rng_seed", generator.seed()}, {"rng_counter", generator.counter()}};
  file.write_string_attr(kMetadata, meta.dump());
  saving::write_file_atomically(checkpoint_path(), file.image());
}

void BackupAndRestore::on_train_end(Logs&) {
  if (delete_checkpoint_) std::filesystem::remove_all(backup_dir_);
}

}  // namespace keras::callbacks
