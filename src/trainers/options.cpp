#include "keras/trainers/options.hpp"

#include <unistd.h>

#include <cstring>

#include "keras/errors.hpp"

namespace keras {

Verbose::Verbose(const char* name) {
  if (std::strcmp(name, "auto") != 0) {
    throw ValueError(std::string("`verbose` must be \"auto\", 0, 1 or 2. Received: verbose=") + name);
  }
}

int Verbose::level() const {
  if (level_ >= 0) return level_;
  return isatty(STDOUT_FILENO) ? 1 : 2;
}

Shuffle::Shuffle(const char* mode) : mode_(mode) {
  if (mode_ != "batch") {
    throw ValueError(std::string("`shuffle` must be a boolean or \"batch\". Received: shuffle=") + mode);
  }
}

double Scores::operator[](const std::string& name) const {
  auto it = logs_.find(name);
  if (it == logs_.end()) throw ValueError("No metric named '" + name + "' in these results");
  return it->second;
}

}  // namespace keras
