#pragma once
// What the loader fuzz targets share: the input goes to a file (the loaders take paths, as
// users call them), and a keras::Error is the expected answer to a bad file; anything else
// (a crash, a sanitizer report, another exception) is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include "keras/errors.hpp"

namespace keras::fuzz {

inline int run_on_file(const std::uint8_t* data, std::size_t size, const std::string& extension,
                       const std::function<void(const std::string&)>& load) {
  static const std::string path = "/tmp/keras_fuzz_" + std::to_string(::getpid()) + extension;
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  try {
    load(path);
  } catch (const keras::Error&) {
  }
  return 0;
}

}  // namespace keras::fuzz
