#pragma once
// oneDNN plumbing shared by the CPU kernels that delegate to it (matmul, convolution,
// pooling): one engine, a stream per thread, primitives cached by shape, and scratch
// buffers from the caching allocator.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

namespace keras::kernels::cpu::onednn {

dnnl::engine& engine();
// The calling thread's stream (streams are cheap; one per thread keeps execution free of
// locks).
dnnl::stream& stream();
// Attributes every primitive is created with: a user-managed scratchpad, so a cached
// primitive owns no memory and may run on several threads at once.
dnnl::primitive_attr attributes();

// A block of the CPU caching allocator, returned on destruction.
class Buffer {
 public:
  explicit Buffer(std::size_t bytes);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  void* get() const { return ptr_; }

 private:
  void* ptr_ = nullptr;
  std::size_t bytes_ = 0;
};

// A primitive with what running it needs beyond its arguments.
struct Primitive {
  dnnl::primitive primitive;
  dnnl::memory::desc scratchpad;
  dnnl::memory::desc workspace;  // zero-sized unless the primitive keeps one (max pooling)
};

// Adds a scratchpad of the primitive's size to `args`, runs it and waits.
void execute(const Primitive& p, std::unordered_map<int, dnnl::memory> args);

// A memory object over existing data (oneDNN does not take ownership).
inline dnnl::memory wrap(const dnnl::memory::desc& md, const void* data) {
  return dnnl::memory(md, engine(), const_cast<void*>(data));
}

// Dense layouts described by explicit strides: any permutation of a row-major block.
inline dnnl::memory::desc strided_desc(const dnnl::memory::dims& dims,
                                       const dnnl::memory::dims& strides,
                                       dnnl::memory::data_type type = dnnl::memory::data_type::f32) {
  return dnnl::memory::desc(dims, type, strides);
}

using Key = std::vector<std::int64_t>;

struct KeyHash {
  std::size_t operator()(const Key& key) const noexcept {
    std::size_t h = 0x9e3779b97f4a7c15ULL;
    for (std::int64_t v : key) h = (h ^ static_cast<std::size_t>(v)) * 0x100000001b3ULL;
    return h;
  }
};

// A thread-safe map from shapes to whatever was built for them. Entries are never
// removed, so references stay valid (unordered_map nodes do not move).
template <class V>
class Cache {
 public:
  template <class Make>
  const V& get(const Key& key, Make make) {
    {
      std::lock_guard lock(mutex_);
      auto it = map_.find(key);
      if (it != map_.end()) return it->second;
    }
    // Built outside the lock: creating a primitive takes a millisecond or more.
    V value = make();
    std::lock_guard lock(mutex_);
    return map_.try_emplace(key, std::move(value)).first->second;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<Key, V, KeyHash> map_;
};

}  // namespace keras::kernels::cpu::onednn
