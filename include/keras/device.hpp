#pragma once
// Where a tensor lives. Each device type has a kernel backend; adding a device means
// adding a backend, not branching in the ops. `meta` tensors carry shape and dtype but no
// data: running ops on them computes output shapes without doing arithmetic.
#include <string>

namespace keras {

enum class DeviceType { cpu, cuda, meta };

struct Device {
  DeviceType type = DeviceType::cpu;
  int index = 0;
  friend bool operator==(const Device&, const Device&) = default;
};

std::string device_name(const Device& device);

// The device new tensors are created on when none is named.
Device default_device();
void set_device(const Device& device);

// Scoped choice of the default device, restored on destruction.
class DeviceScope {
 public:
  explicit DeviceScope(const Device& device);
  ~DeviceScope();
  DeviceScope(const DeviceScope&) = delete;
  DeviceScope& operator=(const DeviceScope&) = delete;

 private:
  Device previous_;
};

}  // namespace keras
