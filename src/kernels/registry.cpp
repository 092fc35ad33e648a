#include <array>

#include "kernels/backend.hpp"
#include "kernels/recording.hpp"

namespace keras::kernels {

namespace cpu {
Backend* instance();
}
namespace meta {
Backend* instance();
}

namespace {
std::array<Backend*, 3>& registry() {
  static std::array<Backend*, 3> backends = [] {
    std::array<Backend*, 3> b{};
    b[static_cast<std::size_t>(DeviceType::cpu)] = cpu::instance();
    b[static_cast<std::size_t>(DeviceType::meta)] = meta::instance();
    return b;
  }();
  return backends;
}
}  // namespace

void register_backend(DeviceType type, Backend* backend) {
  registry()[static_cast<std::size_t>(type)] = backend;
}

Backend& backend(const Device& device) {
  if (Backend* recording = recording_backend(device)) return *recording;
  Backend* b = registry()[static_cast<std::size_t>(device.type)];
  if (b == nullptr) {
    throw RuntimeError("No kernels are available for device " + device_name(device) +
                       " in this build");
  }
  return *b;
}

}  // namespace keras::kernels
