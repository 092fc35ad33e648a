#pragma once
// keras.callbacks.CSVLogger: one CSV row per epoch (0-based "epoch", then the sorted log
// keys), written as Python's csv module writes it (\r\n line ends).
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

class CSVLogger : public Callback {
 public:
  explicit CSVLogger(std::string filename, std::string separator = ",", bool append = false);
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

 private:
  std::string filename_;
  std::string separator_;
  bool append_;
  bool append_header_ = true;
  std::optional<std::vector<std::string>> keys_;
  std::ofstream file_;
};

}  // namespace keras::callbacks
