#pragma once
// The caching allocator behind tensor storage. Freed blocks are kept per size and reused,
// so a steady-state training step asks the system for no memory at all.
#include <cstddef>
#include <cstdint>

namespace keras::memory {

struct Stats {
  std::uint64_t system_allocations = 0;  // blocks obtained from the system (aligned_alloc)
  std::uint64_t cache_hits = 0;          // requests served from the cache
  std::size_t bytes_in_use = 0;
  std::size_t bytes_cached = 0;
};

// Statistics of the CPU allocator since the start of the process.
Stats stats();
// Returns every cached block to the system.
void empty_cache();

// Alignment of every tensor's storage, in bytes.
inline constexpr std::size_t kAlignment = 64;

}  // namespace keras::memory
