#pragma once
// Trace once, run many. A Recording captures the CPU kernel calls that code makes on this
// thread through the Backend interface, each with handles on the storages it reads and
// writes, so that the same calls can run again later on new data without the code that
// made them: no op dispatch, shape checks, tape or allocation, just the kernels.
//
// What a replay cannot reproduce is refused while recording (refusal()): values read on
// the host (the code branched on data, or logged it), a copy of memory that is not a
// tensor's storage. Random draws replay by drawing again from their generator, so a replay
// draws exactly what running the code again would.
//
// Memory: buffers made during the recording and written first by it are the recording's
// own. It holds them only weakly while the code runs (which frees them as usual), then
// packs those nobody else kept by liveness into one arena (plan_memory), so a replay
// needs a fraction of what running the code did.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "kernels/backend.hpp"

namespace keras::kernels {

class RecordingBackend;

class Recording {
 public:
  Recording();
  ~Recording();
  Recording(const Recording&) = delete;
  Recording& operator=(const Recording&) = delete;

  // Captures this thread's CPU kernel calls from start() to stop() (not nested).
  void start();
  void stop();

  // Why these calls cannot be replayed; empty when they can.
  const std::string& refusal() const { return refusal_; }
  void refuse(const std::string& why);

  // A handle on t's data (and its mask's) that the recording keeps; its storage is never
  // moved into the arena (an input or output of the recorded code).
  Tensor pin(const Tensor& t);

  // The storages of keras::Variables the calls touch. Between runs a variable's storage
  // is not held (so in-place updates stay in place); bind() lends the current one.
  std::vector<std::pair<std::size_t, const detail::Storage*>> variable_slots() const;
  void bind(std::size_t slot, const std::shared_ptr<detail::Storage>& storage);
  void unbind(std::size_t slot);

  // Places the recording's own buffers in one arena by liveness (after returning the
  // allocator's cached blocks to the system); returns the bytes saved (the buffers' total
  // minus the arena's size).
  std::size_t plan_memory();
  std::size_t arena_bytes() const { return arena_bytes_; }

  // Runs the recorded calls again.
  void replay();
  std::size_t calls() const { return calls_.size(); }

 private:
  friend class RecordingBackend;
  friend Backend* recording_backend(const Device& device);
  friend long recording_holds(const detail::Storage* storage);
  friend void note_storage_created(detail::Storage* storage);
  friend void note_storage_destroyed(detail::Storage* storage);

  enum class Access { read, write };
  struct Slot {
    // What the captured calls use: the storage itself, or for the recording's own buffers
    // a placeholder on the same memory until plan_memory gives it arena memory.
    std::shared_ptr<detail::Storage> storage;
    std::weak_ptr<detail::Storage> original;  // own buffers: the eager run's storage
    std::shared_ptr<detail::Storage> kept;    // own buffers still held by others at planning
    std::int64_t first = -1, last = -1;       // the calls that touch it
    bool own = false;                          // a placeholder for the recording's own buffer
    bool pinned = false;
    std::vector<detail::TensorImpl*> impls;  // captured tensors on this storage
  };
  // A strided view's place, rebuilt on each replay from its slot's current storage.
  struct ViewRef {
    std::size_t slot;
    std::ptrdiff_t byte_offset;
    StridedView view;
  };

  std::size_t slot_of(const std::shared_ptr<detail::Storage>& storage, Access access);
  Tensor capture(const Tensor& t, Access access);
  ViewRef capture(const StridedView& view, Access access);
  StridedView resolve(ViewRef& ref) const;
  void add(std::function<void()> call) { calls_.push_back(std::move(call)); }
  void free_arena();

  Backend* inner_ = nullptr;
  std::unique_ptr<RecordingBackend> backend_;
  std::vector<std::function<void()>> calls_;
  std::vector<Slot> slots_;
  std::unordered_map<const detail::Storage*, std::size_t> slot_index_;
  std::unordered_set<const detail::Storage*> made_here_;
  std::string refusal_;
  void* arena_ = nullptr;
  std::size_t arena_bytes_ = 0;
};

// Hooks for the core. backend() routes kernel calls through the active recording; a
// kernel's own nested calls and host reads inside it are the kernel's business.
Backend* recording_backend(const Device& device);
void note_host_read();
void note_storage_created(detail::Storage* storage);
void note_storage_destroyed(detail::Storage* storage);
// How many references to `storage` the active recording holds (0 without one): a
// variable's copy-on-write check discounts them, so an assign recorded in place replays
// in place.
long recording_holds(const detail::Storage* storage);

// Wraps the random kernel call of a draw from a generator that outlives the recording:
// a replay asks `redraw` for the key and counter instead of reusing this draw's.
class RedrawScope {
 public:
  explicit RedrawScope(std::function<std::pair<std::uint64_t, std::uint64_t>()> redraw);
  ~RedrawScope();
  RedrawScope(const RedrawScope&) = delete;
  RedrawScope& operator=(const RedrawScope&) = delete;

 private:
  std::function<std::pair<std::uint64_t, std::uint64_t>()> redraw_;
  const std::function<std::pair<std::uint64_t, std::uint64_t>()>* previous_;
};

}  // namespace keras::kernels
