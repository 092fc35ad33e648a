#pragma once
// The CPU caching allocator: 64-byte aligned blocks, kept per rounded size when freed and
// handed out again, so repeated identical steps never reach the system allocator.
#include <cstddef>

namespace keras::kernels::cpu {

void* cached_allocate(std::size_t bytes);
void cached_deallocate(void* ptr, std::size_t bytes);

}  // namespace keras::kernels::cpu
