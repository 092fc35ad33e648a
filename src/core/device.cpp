#include "keras/device.hpp"

namespace keras {

namespace {
thread_local Device g_default_device{};
}

std::string device_name(const Device& device) {
  switch (device.type) {
    case DeviceType::cpu: return "cpu";
    case DeviceType::cuda: return "cuda:" + std::to_string(device.index);
    case DeviceType::meta: return "meta";
  }
  return "unknown";
}

Device default_device() { return g_default_device; }
void set_device(const Device& device) { g_default_device = device; }

DeviceScope::DeviceScope(const Device& device) : previous_(g_default_device) {
  g_default_device = device;
}
DeviceScope::~DeviceScope() { g_default_device = previous_; }

}  // namespace keras
