#include "kernels/cpu/cpu_backend.hpp"

#include "kernels/cpu/allocator.hpp"

namespace keras::kernels::cpu {

void* CpuBackend::allocate(std::size_t bytes) { return cached_allocate(bytes); }
void CpuBackend::deallocate(void* ptr, std::size_t bytes) { cached_deallocate(ptr, bytes); }

Backend* instance() {
  static CpuBackend backend;
  return &backend;
}

}  // namespace keras::kernels::cpu
