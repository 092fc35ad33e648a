#include "kernels/cpu/allocator.hpp"

#include <cstdlib>
#include <limits>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "keras/memory.hpp"

namespace keras::kernels::cpu {

namespace {

struct Cache {
  std::mutex mutex;
  std::unordered_map<std::size_t, std::vector<void*>> free_blocks;
  memory::Stats stats;
};

Cache& cache() {
  // Never destroyed: tensors in static storage may be freed after main returns.
  static Cache* c = new Cache();
  return *c;
}

// Rounds a request up so that nearby sizes share a bucket: to 64 bytes below 4 KiB, then
// to a quarter of the enclosing power of two (at most 25 % slack).
std::size_t bucket_size(std::size_t bytes) {
  if (bytes <= 4096) return (bytes + 63) & ~std::size_t{63};
  // No machine has this much; the doubling below would overflow (and loop) past it.
  if (bytes > std::numeric_limits<std::size_t>::max() / 4) throw std::bad_alloc();
  std::size_t p = 4096;
  while (p < bytes) p <<= 1;
  const std::size_t step = p / 8;
  return (bytes + step - 1) / step * step;
}

}  // namespace

void* cached_allocate(std::size_t bytes) {
  if (bytes == 0) return nullptr;
  const std::size_t size = bucket_size(bytes);
  Cache& c = cache();
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    c.stats.bytes_in_use += size;
    auto it = c.free_blocks.find(size);
    if (it != c.free_blocks.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      c.stats.cache_hits++;
      c.stats.bytes_cached -= size;
      return p;
    }
    c.stats.system_allocations++;
  }
  void* p = std::aligned_alloc(memory::kAlignment, size);
  if (p == nullptr) {
    memory::empty_cache();
    p = std::aligned_alloc(memory::kAlignment, size);
    if (p == nullptr) throw std::bad_alloc();
  }
  return p;
}

void cached_deallocate(void* ptr, std::size_t bytes) {
  if (ptr == nullptr) return;
  const std::size_t size = bucket_size(bytes);
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  c.stats.bytes_in_use -= size;
  c.stats.bytes_cached += size;
  c.free_blocks[size].push_back(ptr);
}

}  // namespace keras::kernels::cpu

namespace keras::memory {

Stats stats() {
  auto& c = kernels::cpu::cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return c.stats;
}

void empty_cache() {
  auto& c = kernels::cpu::cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (auto& [size, blocks] : c.free_blocks) {
    for (void* p : blocks) std::free(p);
  }
  c.free_blocks.clear();
  c.stats.bytes_cached = 0;
}

}  // namespace keras::memory
