// libFuzzer target: keras::utils::load_npy.
#include "fuzz_loader.hpp"
#include "keras/utils/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return keras::fuzz::run_on_file(data, size, ".npy", [](const std::string& path) { keras::utils::load_npy(path); });
}
