#pragma once
// keras-cpp's interim checkpoint file, until Keras's .weights.h5 lands: named arrays plus a
// JSON metadata string, with a CRC-32 over everything so a torn or corrupt file is an
// IOError, never wrong weights. Written atomically: a temporary file beside the target,
// flushed to disk, then renamed over it.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "keras/tensor.hpp"

namespace keras::saving {

struct CheckpointData {
  std::vector<std::pair<std::string, Tensor>> arrays;
  nlohmann::json metadata = nlohmann::json::object();
};

void write_checkpoint(const std::string& path, const CheckpointData& data);
// IOError naming the path and what is wrong for a missing, truncated or corrupt file.
CheckpointData read_checkpoint(const std::string& path);

// Writes `bytes` to `path` atomically (temporary file, fsync, rename); IOError on failure.
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace keras::saving
