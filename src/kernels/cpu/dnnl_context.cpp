#include "kernels/cpu/dnnl_context.hpp"

#include "kernels/cpu/allocator.hpp"

namespace keras::kernels::cpu::onednn {

dnnl::engine& engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

dnnl::stream& stream() {
  thread_local dnnl::stream s(engine());
  return s;
}

dnnl::primitive_attr attributes() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

Buffer::Buffer(std::size_t bytes) : bytes_(bytes) {
  if (bytes_ > 0) ptr_ = cached_allocate(bytes_);
}

Buffer::~Buffer() {
  if (ptr_ != nullptr) cached_deallocate(ptr_, bytes_);
}

void execute(const Primitive& p, std::unordered_map<int, dnnl::memory> args) {
  Buffer scratch(p.scratchpad.get_size());
  if (scratch.get() != nullptr) args.emplace(DNNL_ARG_SCRATCHPAD, wrap(p.scratchpad, scratch.get()));
  p.primitive.execute(stream(), args);
  stream().wait();
}

}  // namespace keras::kernels::cpu::onednn
