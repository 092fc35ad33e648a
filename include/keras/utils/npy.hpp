#pragma once
// numpy's .npy format (version 1.0-3.0, little-endian, C order), for tests and users.
#include <string>

#include "keras/tensor.hpp"

namespace keras::utils {

// Reads float32/float64/int32/int64/bool arrays (plus uint8, widened to int32); throws
// IOError for a missing or malformed file, naming the path and what is wrong.
Tensor load_npy(const std::string& path);
// Writes atomically: a temporary file beside `path`, then a rename.
void save_npy(const std::string& path, const Tensor& tensor);

}  // namespace keras::utils
