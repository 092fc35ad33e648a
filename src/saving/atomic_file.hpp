#pragma once
// Atomic file writes: every file keras-cpp saves (weights, models, backups) is written to
// a temporary file beside the target, flushed to disk, then renamed over it, so a crash or
// a failed write leaves the previous file or the complete new one, never a torn file.
#include <string>

namespace keras::saving {

// Writes `bytes` to `path` atomically; IOError on failure (the temporary file is removed).
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace keras::saving
