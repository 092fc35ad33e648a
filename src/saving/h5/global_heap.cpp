// Global heap collection check (see global_heap.hpp). Layout from the HDF5 file format
// specification, "Global Heap": a 16-byte header ("GCOL", version 1, 3 reserved bytes, the
// collection's size as a length field), then objects, each a 16-byte header (index u16,
// reference count u16, 4 reserved bytes, data size) and its data padded to 8 bytes.
// Index 0 is the free space at the end; its size counts its own header. Both headers are
// 8 bytes plus one length field (8 bytes unless the superblock says 4).
#include "saving/h5/global_heap.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <memory>

#include "keras/errors.hpp"

namespace keras::saving::h5 {

namespace {

constexpr std::string_view kSignature{"GCOL\x01\x00\x00\x00", 8};
constexpr std::string_view kFileSignature{"\x89HDF\r\n\x1a\n", 8};

std::uint64_t read_le(std::string_view bytes, std::size_t at, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return v;
}

// The superblock's "size of lengths" (bytes per length field), or 0 when no superblock
// is found where HDF5 looks (offset 0, 512, 1024, 2048, ...).
std::size_t size_of_lengths(std::string_view bytes) {
  for (std::size_t at = 0; at + 16 <= bytes.size(); at = at == 0 ? 512 : at * 2) {
    if (bytes.substr(at, kFileSignature.size()) != kFileSignature) continue;
    const auto version = static_cast<unsigned char>(bytes[at + 8]);
    return static_cast<unsigned char>(bytes[at + (version <= 1 ? 14 : 10)]);
  }
  return 0;
}

// Whether the objects of the collection at `start` tile it as HDF5's decoder expects.
bool collection_is_sound(std::string_view bytes, std::size_t start, std::size_t lengths) {
  const std::size_t header = 8 + lengths;
  const std::uint64_t size = read_le(bytes, start + 8, lengths);
  if (size < header) return true;  // HDF5 decodes no object from it
  if (size > bytes.size() - start) return false;
  const std::string_view heap = bytes.substr(start, size);
  std::size_t p = header;
  while (p < heap.size()) {
    if (heap.size() - p < header) return true;  // a tail too small for an object is free space
    const std::uint64_t index = read_le(heap, p, 2);
    const std::uint64_t object = read_le(heap, p + 8, lengths);
    if (object > heap.size()) return false;
    const std::uint64_t need = index > 0 ? header + (object + 7) / 8 * 8 : object;
    if (need == 0 || need > heap.size() - p) return false;
    p += need;
  }
  return true;
}

}  // namespace

void check_global_heaps(std::string_view bytes, const std::string& name) {
  const std::size_t lengths = size_of_lengths(bytes);
  if (lengths != 4 && lengths != 8) return;  // HDF5 refuses such a file itself
  for (std::size_t at = bytes.find(kSignature); at != std::string_view::npos; at = bytes.find(kSignature, at + 1)) {
    if (bytes.size() - at < 8 + lengths) break;
    if (!collection_is_sound(bytes, at, lengths)) {
      throw IOError("Cannot open HDF5 file '" + name + "': corrupt global heap collection at byte " + std::to_string(at));
    }
  }
}

void check_global_heaps_in_file(const std::string& filename) {
  const int fd = ::open(filename.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IOError("Cannot open HDF5 file '" + filename + "': no such file or not readable");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
    ::close(fd);
    return;  // HDF5 reports an empty or unreadable file itself
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) throw IOError("Cannot open HDF5 file '" + filename + "': cannot map it for reading");
  const std::unique_ptr<void, std::function<void(void*)>> unmap(map, [size](void* m) { ::munmap(m, size); });
  check_global_heaps(std::string_view(static_cast<const char*>(map), size), filename);
}

}  // namespace keras::saving::h5
