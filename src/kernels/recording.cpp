#include "kernels/recording.hpp"

#include <algorithm>

#include "keras/memory.hpp"

namespace keras::kernels {

namespace {

thread_local Recording* g_recording = nullptr;
// > 0 while a recorded kernel runs: its nested backend calls and host reads are its own.
thread_local int g_kernel_depth = 0;
thread_local const std::function<std::pair<std::uint64_t, std::uint64_t>()>* g_redraw = nullptr;

struct KernelScope {
  KernelScope() { ++g_kernel_depth; }
  ~KernelScope() { --g_kernel_depth; }
  KernelScope(const KernelScope&) = delete;
  KernelScope& operator=(const KernelScope&) = delete;
};

constexpr std::size_t kArenaAlignment = 64;

std::size_t aligned(std::size_t bytes) { return (bytes + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment; }

}  // namespace

// Runs each call on the real backend, then records it with captured arguments: Tensor
// arguments become recording-owned handles on the same storages, views become slot
// references. Replays call the real backend directly.
class RecordingBackend final : public Backend {
 public:
  RecordingBackend(Recording& recording, Backend& inner) : r_(recording), b_(inner) {}

  void* allocate(std::size_t bytes) override { return b_.allocate(bytes); }
  void deallocate(void* ptr, std::size_t bytes) override { b_.deallocate(ptr, bytes); }

  void fill(Tensor& out, double value) override {
    run([&] { b_.fill(out, value); });
    r_.add([&b = b_, o = w(out), value]() mutable { b.fill(o, value); });
  }
  void arange(double start, double step, Tensor& out) override {
    run([&] { b_.arange(start, step, out); });
    r_.add([&b = b_, o = w(out), start, step]() mutable { b.arange(start, step, o); });
  }
  void copy(const StridedView& src, const StridedView& dst) override {
    run([&] { b_.copy(src, dst); });
    auto s = r_.capture(src, Recording::Access::read);
    auto d = r_.capture(dst, Recording::Access::write);
    r_.add([&b = b_, &r = r_, s, d]() mutable { b.copy(r.resolve(s), r.resolve(d)); });
  }
  void cast(const Tensor& in, Tensor& out) override {
    run([&] { b_.cast(in, out); });
    r_.add([&b = b_, i = rd(in), o = w(out)]() mutable { b.cast(i, o); });
  }
  void unary(UnaryOp op, const Tensor& in, Tensor& out, double alpha) override {
    run([&] { b_.unary(op, in, out, alpha); });
    r_.add([&b = b_, op, i = rd(in), o = w(out), alpha]() mutable { b.unary(op, i, o, alpha); });
  }
  void binary(BinaryOp op, const Tensor& a, const Tensor& bb, Tensor& out) override {
    run([&] { b_.binary(op, a, bb, out); });
    r_.add([&b = b_, op, x = rd(a), y = rd(bb), o = w(out)]() mutable { b.binary(op, x, y, o); });
  }
  void where(const Tensor& condition, const Tensor& a, const Tensor& bb, Tensor& out) override {
    run([&] { b_.where(condition, a, bb, out); });
    r_.add([&b = b_, c = rd(condition), x = rd(a), y = rd(bb), o = w(out)]() mutable { b.where(c, x, y, o); });
  }
  void reduce(ReduceOp op, const Tensor& in, const std::vector<int>& axes, Tensor& out) override {
    run([&] { b_.reduce(op, in, axes, out); });
    r_.add([&b = b_, op, i = rd(in), axes, o = w(out)]() mutable { b.reduce(op, i, axes, o); });
  }
  void arg_reduce(ArgReduceOp op, const Tensor& in, int axis, Tensor& out) override {
    run([&] { b_.arg_reduce(op, in, axis, out); });
    r_.add([&b = b_, op, i = rd(in), axis, o = w(out)]() mutable { b.arg_reduce(op, i, axis, o); });
  }
  void softmax(const Tensor& in, int axis, bool log, Tensor& out) override {
    run([&] { b_.softmax(in, axis, log, out); });
    r_.add([&b = b_, i = rd(in), axis, log, o = w(out)]() mutable { b.softmax(i, axis, log, o); });
  }
  void matmul(const Tensor& a, const Tensor& bb, bool trans_a, bool trans_b, Tensor& out) override {
    run([&] { b_.matmul(a, bb, trans_a, trans_b, out); });
    r_.add([&b = b_, x = rd(a), y = rd(bb), trans_a, trans_b, o = w(out)]() mutable {
      b.matmul(x, y, trans_a, trans_b, o);
    });
  }
  void gather(const Tensor& src, int axis, const Tensor& indices, Tensor& out) override {
    run([&] { b_.gather(src, axis, indices, out); });
    r_.add([&b = b_, s = rd(src), axis, i = rd(indices), o = w(out)]() mutable { b.gather(s, axis, i, o); });
  }
  void scatter_add(const Tensor& updates, int axis, const Tensor& indices, Tensor& out) override {
    run([&] { b_.scatter_add(updates, axis, indices, out); });
    // out is read too (it accumulates): the caller zeroed it with a recorded fill.
    r_.add([&b = b_, u = rd(updates), axis, i = rd(indices), o = w(out)]() mutable {
      b.scatter_add(u, axis, i, o);
    });
  }
  void conv(const ConvParams& p, const Tensor& x, const Tensor& wt, Tensor& y) override {
    run([&] { b_.conv(p, x, wt, y); });
    r_.add([&b = b_, p, x = rd(x), k = rd(wt), o = w(y)]() mutable { b.conv(p, x, k, o); });
  }
  void conv_backward_data(const ConvParams& p, const Tensor& dy, const Tensor& wt, Tensor& dx) override {
    run([&] { b_.conv_backward_data(p, dy, wt, dx); });
    r_.add([&b = b_, p, g = rd(dy), k = rd(wt), o = w(dx)]() mutable { b.conv_backward_data(p, g, k, o); });
  }
  void conv_backward_weights(const ConvParams& p, const Tensor& x, const Tensor& dy, Tensor& dw) override {
    run([&] { b_.conv_backward_weights(p, x, dy, dw); });
    r_.add([&b = b_, p, x = rd(x), g = rd(dy), o = w(dw)]() mutable { b.conv_backward_weights(p, x, g, o); });
  }
  void pool(const PoolParams& p, const Tensor& x, Tensor& y) override {
    run([&] { b_.pool(p, x, y); });
    r_.add([&b = b_, p, x = rd(x), o = w(y)]() mutable { b.pool(p, x, o); });
  }
  void pool_backward(const PoolParams& p, const Tensor& x, const Tensor& dy, Tensor& dx) override {
    run([&] { b_.pool_backward(p, x, dy, dx); });
    r_.add([&b = b_, p, x = rd(x), g = rd(dy), o = w(dx)]() mutable { b.pool_backward(p, x, g, o); });
  }
  void lstm_cell(const Tensor& z, const Tensor& c_prev, Tensor& c, Tensor& h) override {
    run([&] { b_.lstm_cell(z, c_prev, c, h); });
    r_.add([&b = b_, z = rd(z), cp = rd(c_prev), c = w(c), h = w(h)]() mutable { b.lstm_cell(z, cp, c, h); });
  }
  void lstm_cell_backward(const Tensor& z, const Tensor& c_prev, const Tensor& c, const Tensor& dc,
                          const Tensor& dh, Tensor& dz, Tensor& dc_prev) override {
    run([&] { b_.lstm_cell_backward(z, c_prev, c, dc, dh, dz, dc_prev); });
    r_.add([&b = b_, z = rd(z), cp = rd(c_prev), c = rd(c), dc = rd(dc), dh = rd(dh), dz = w(dz),
            dcp = w(dc_prev)]() mutable { b.lstm_cell_backward(z, cp, c, dc, dh, dz, dcp); });
  }
  void gru_cell(const Tensor& x, const Tensor& inner, const Tensor& h_prev, Tensor& h) override {
    run([&] { b_.gru_cell(x, inner, h_prev, h); });
    r_.add([&b = b_, x = rd(x), in = rd(inner), hp = rd(h_prev), h = w(h)]() mutable { b.gru_cell(x, in, hp, h); });
  }
  void gru_cell_backward(const Tensor& x, const Tensor& inner, const Tensor& h_prev, const Tensor& dh,
                         Tensor& dx, Tensor& dinner, Tensor& dh_prev) override {
    run([&] { b_.gru_cell_backward(x, inner, h_prev, dh, dx, dinner, dh_prev); });
    r_.add([&b = b_, x = rd(x), in = rd(inner), hp = rd(h_prev), dh = rd(dh), dx = w(dx), din = w(dinner),
            dhp = w(dh_prev)]() mutable { b.gru_cell_backward(x, in, hp, dh, dx, din, dhp); });
  }
  void optimizer_update(const UpdateParams& p, const Tensor& gradient, Tensor& variable,
                        const UpdateSlots& slots) override {
    run([&] { b_.optimizer_update(p, gradient, variable, slots); });
    // Its rates change from step to step (schedules, bias correction): not replayable.
    r_.refuse("it applies an optimizer update");
  }
  void random(RandomDist dist, std::uint64_t key, std::uint64_t counter, double a, double bb,
              Tensor& out) override {
    run([&] { b_.random(dist, key, counter, a, bb, out); });
    if (g_redraw != nullptr) {
      r_.add([&b = b_, dist, redraw = *g_redraw, a, bb, o = w(out)]() mutable {
        const auto [k, c] = redraw();
        b.random(dist, k, c, a, bb, o);
      });
    } else {
      r_.add([&b = b_, dist, key, counter, a, bb, o = w(out)]() mutable { b.random(dist, key, counter, a, bb, o); });
    }
  }

 private:
  template <class F>
  static void run(F&& f) {
    KernelScope scope;
    f();
  }
  Tensor rd(const Tensor& t) { return r_.capture(t, Recording::Access::read); }
  Tensor w(const Tensor& t) { return r_.capture(t, Recording::Access::write); }

  Recording& r_;
  Backend& b_;
};

Recording::Recording() = default;

Recording::~Recording() {
  calls_.clear();
  slots_.clear();
  free_arena();
}

void Recording::start() {
  if (g_recording != nullptr) throw RuntimeError("A kernel recording is already active on this thread");
  inner_ = &backend(Device{DeviceType::cpu});
  backend_ = std::make_unique<RecordingBackend>(*this, *inner_);
  g_recording = this;
}

void Recording::stop() {
  if (g_recording == this) g_recording = nullptr;
  made_here_.clear();
}

void Recording::refuse(const std::string& why) {
  if (refusal_.empty()) refusal_ = why;
}

// A storage the recorded code makes and writes first is the recording's own buffer: the
// captured calls see it through a placeholder (same memory, owning none), and the
// recording keeps only a weak reference to the eager run's storage, which the eager code
// frees as usual, so tracing a step needs no more memory than running it. Any other
// storage (inputs, variables, constants written on the host) is held as it is.
std::size_t Recording::slot_of(const std::shared_ptr<detail::Storage>& storage, Access access) {
  // A weak reference keeps a storage's address from being reused, so the key stays unique.
  auto [it, fresh] = slot_index_.emplace(storage.get(), slots_.size());
  if (fresh) {
    Slot slot;
    if (made_here_.count(storage.get()) > 0 && access == Access::write) {
      slot.storage = std::make_shared<detail::Storage>(0, storage->device);
      slot.storage->data = storage->data;
      slot.storage->bytes = storage->bytes;
      slot.storage->owns_data = false;
      slot.original = storage;
      slot.own = true;
    } else {
      slot.storage = storage;
    }
    slots_.push_back(std::move(slot));
  }
  auto& s = slots_[it->second];
  const auto call = static_cast<std::int64_t>(calls_.size());
  if (s.first < 0) s.first = call;
  s.last = call;
  return it->second;
}

Tensor Recording::capture(const Tensor& t, Access access) {
  if (!t.defined()) return t;
  const auto& impl = *t.impl();
  const std::size_t slot = slot_of(impl.storage, access);
  auto copy = std::make_shared<detail::TensorImpl>(impl);
  copy->storage = slots_[slot].storage;
  copy->keras_history.reset();
  copy->keras_mask.reset();
  slots_[slot].impls.push_back(copy.get());
  return Tensor(std::move(copy));
}

Recording::ViewRef Recording::capture(const StridedView& view, Access access) {
  if (view.storage == nullptr) {
    refuse("it copies memory that is not a tensor's storage");
    return {0, 0, view};
  }
  auto storage = const_cast<detail::Storage*>(view.storage)->shared_from_this();
  const std::size_t slot = slot_of(storage, access);
  const auto offset = static_cast<const char*>(view.data) - static_cast<const char*>(storage->data);
  return {slot, offset, view};
}

StridedView Recording::resolve(ViewRef& ref) const {
  ref.view.data = static_cast<char*>(slots_[ref.slot].storage->data) + ref.byte_offset;
  return ref.view;
}

Tensor Recording::pin(const Tensor& t) {
  if (!t.defined()) return t;
  const std::size_t slot = slot_of(t.impl()->storage, Access::read);
  slots_[slot].pinned = true;
  auto copy = std::make_shared<detail::TensorImpl>(*t.impl());
  copy->storage = slots_[slot].storage;
  copy->keras_history.reset();
  // The mask a layer attached (the metrics weight by it) is an output too.
  if (copy->keras_mask) copy->keras_mask = pin(Tensor(copy->keras_mask)).impl();
  slots_[slot].impls.push_back(copy.get());
  return Tensor(std::move(copy));
}

std::vector<std::pair<std::size_t, const detail::Storage*>> Recording::variable_slots() const {
  std::vector<std::pair<std::size_t, const detail::Storage*>> out;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].storage && slots_[i].storage->variable) out.emplace_back(i, slots_[i].storage.get());
  }
  return out;
}

void Recording::bind(std::size_t slot, const std::shared_ptr<detail::Storage>& storage) {
  slots_[slot].storage = storage;
  for (auto* impl : slots_[slot].impls) impl->storage = storage;
}

void Recording::unbind(std::size_t slot) {
  slots_[slot].storage.reset();
  for (auto* impl : slots_[slot].impls) impl->storage.reset();
}

std::size_t Recording::plan_memory() {
  struct Buffer {
    std::size_t slot;
    std::size_t bytes;
    std::size_t offset;
  };
  std::vector<Buffer> buffers;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    auto& s = slots_[i];
    if (!s.own) continue;
    if (s.original.expired()) {
      if (s.storage && s.storage->bytes > 0 && !s.pinned) buffers.push_back({i, aligned(s.storage->bytes), 0});
    } else {
      // Someone still holds the eager run's storage (an output, a layer's add_loss term):
      // its memory stays where it is, and so does what it holds.
      s.kept = s.original.lock();
    }
  }
  std::stable_sort(buffers.begin(), buffers.end(), [](const Buffer& a, const Buffer& b) { return a.bytes > b.bytes; });
  // Greedy by size: each buffer takes the lowest offset free of every placed buffer that
  // is alive at the same time (intervals of call indices, both ends included).
  std::vector<const Buffer*> placed;
  std::size_t total = 0, separate = 0;
  for (auto& b : buffers) {
    const auto& sb = slots_[b.slot];
    std::vector<const Buffer*> conflicts;
    for (const auto* p : placed) {
      const auto& sp = slots_[p->slot];
      if (!(sp.last < sb.first || sb.last < sp.first)) conflicts.push_back(p);
    }
    std::sort(conflicts.begin(), conflicts.end(), [](const Buffer* x, const Buffer* y) { return x->offset < y->offset; });
    std::size_t offset = 0;
    for (const auto* c : conflicts) {
      if (offset + b.bytes <= c->offset) break;
      offset = std::max(offset, c->offset + c->bytes);
    }
    b.offset = offset;
    placed.push_back(&b);
    total = std::max(total, offset + b.bytes);
    separate += b.bytes;
  }
  if (total == 0) return 0;
  free_arena();
  // The eager run's buffers sit in the allocator's cache: hand them back first.
  memory::empty_cache();
  arena_ = inner_->allocate(total);
  arena_bytes_ = total;
  for (const auto& b : buffers) slots_[b.slot].storage->data = static_cast<char*>(arena_) + b.offset;
  return separate - total;
}

void Recording::free_arena() {
  if (arena_ != nullptr) inner_->deallocate(arena_, arena_bytes_);
  arena_ = nullptr;
  arena_bytes_ = 0;
}

void Recording::replay() {
  for (auto& call : calls_) call();
}

Backend* recording_backend(const Device& device) {
  if (g_recording == nullptr || g_kernel_depth > 0 || device.type != DeviceType::cpu) return nullptr;
  return g_recording->backend_.get();
}

void note_host_read() {
  if (g_recording != nullptr && g_kernel_depth == 0) g_recording->refuse("it reads tensor values on the host");
}

long recording_holds(const detail::Storage* storage) {
  if (g_recording == nullptr) return 0;
  const auto it = g_recording->slot_index_.find(storage);
  if (it == g_recording->slot_index_.end()) return 0;
  const auto& slot = g_recording->slots_[it->second];
  // Only a storage held as it is (not through a placeholder) has references of ours.
  return slot.own || !slot.storage ? 0 : static_cast<long>(1 + slot.impls.size());
}

void note_storage_created(detail::Storage* storage) {
  if (g_recording != nullptr) g_recording->made_here_.insert(storage);
}

void note_storage_destroyed(detail::Storage* storage) {
  if (g_recording != nullptr) g_recording->made_here_.erase(storage);
}

RedrawScope::RedrawScope(std::function<std::pair<std::uint64_t, std::uint64_t>()> redraw)
    : redraw_(std::move(redraw)), previous_(g_redraw) {
  g_redraw = &redraw_;
}

RedrawScope::~RedrawScope() { g_redraw = previous_; }

}  // namespace keras::kernels
