#include "keras/callbacks/csv_logger.hpp"

#include <algorithm>
#include <filesystem>

#include "keras/errors.hpp"
#include "utils/object_config.hpp"

namespace keras::callbacks {

CSVLogger::CSVLogger(std::string filename, std::string separator, bool append)
    : filename_(std::move(filename)), separator_(std::move(separator)), append_(append) {}

void CSVLogger::on_train_begin(Logs&) {
  append_header_ = true;
  if (append_ && std::filesystem::exists(filename_)) {
    append_header_ = std::filesystem::file_size(filename_) == 0;
  }
  keys_.reset();
  file_.open(filename_, append_ ? std::ios::app : std::ios::trunc);
  if (!file_) throw IOError("CSVLogger cannot open '" + filename_ + "' for writing");
}

void CSVLogger::on_epoch_end(std::int64_t epoch, Logs& logs) {
  if (!keys_) {
    keys_ = std::vector<std::string>();
    for (const auto& [k, v] : logs) keys_->push_back(k);
    // With validation_freq > 1 the first epoch has no val_ keys: add their columns now.
    const bool has_val = std::any_of(keys_->begin(), keys_->end(), [](const auto& k) { return k.starts_with("val_"); });
    if (!has_val && !keys_->empty()) {
      const auto train_keys = *keys_;
      for (const auto& k : train_keys) keys_->push_back("val_" + k);
    }
    if (append_header_) {
      file_ << "epoch";
      for (const auto& k : *keys_) file_ << separator_ << k;
      file_ << "\r\n";
    }
  }
  file_ << epoch;
  for (const auto& k : *keys_) {
    auto it = logs.find(k);
    file_ << separator_ << (it == logs.end() ? std::string("NA") : detail::python_float(it->second));
  }
  file_ << "\r\n" << std::flush;
}

void CSVLogger::on_train_end(Logs&) { file_.close(); }

}  // namespace keras::callbacks
