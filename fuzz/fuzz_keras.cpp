// libFuzzer target: keras::saving::load_model on `.keras` archives.
#include "fuzz_loader.hpp"
#include "keras/saving.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return keras::fuzz::run_on_file(data, size, ".keras", [](const std::string& path) { keras::saving::load_model(path); });
}
