#include "saving/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "keras/errors.hpp"

namespace keras::saving {

namespace {

constexpr char kMagic[] = "KERASCPP-CHECKPOINT-1\n";
constexpr std::size_t kMagicSize = sizeof(kMagic) - 1;

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

void put_string(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}

class Reader {
 public:
  Reader(const std::string& bytes, std::size_t end, std::string path) : bytes_(bytes), end_(end), path_(std::move(path)) {}
  std::uint64_t u64() {
    need(8);
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(bytes_[pos_ + static_cast<std::size_t>(i)]);
    pos_ += 8;
    return v;
  }
  std::string string() {
    const std::uint64_t n = u64();
    need(n);
    std::string s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  const char* take(std::uint64_t n) {
    need(n);
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  bool done() const { return pos_ == end_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw IOError("Cannot read checkpoint '" + path_ + "': " + what);
  }

 private:
  void need(std::uint64_t n) const {
    if (n > end_ - pos_) fail("truncated");
  }
  const std::string& bytes_;
  std::size_t pos_ = kMagicSize;
  std::size_t end_;
  std::string path_;
};

std::uint32_t crc_of(const std::string& bytes, std::size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  std::size_t done = 0;
  while (done < n) {
    const auto chunk = static_cast<uInt>(std::min<std::size_t>(n - done, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + done), chunk);
    done += chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

int dtype_code(DType d) { return static_cast<int>(d); }

DType dtype_from_code(std::uint64_t code, const Reader& r) {
  for (DType d : {DType::float32, DType::float64, DType::int32, DType::int64, DType::bool_}) {
    if (static_cast<std::uint64_t>(dtype_code(d)) == code) return d;
  }
  r.fail("unknown dtype code " + std::to_string(code));
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw IOError("Cannot write '" + path + "': cannot create " + tmp + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  // fsync before rename: a crash then leaves either the old file or the complete new one.
  const bool ok = written == bytes.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw IOError("Cannot write '" + path + "': " + std::strerror(errno));
  }
}

void write_checkpoint(const std::string& path, const CheckpointData& data) {
  std::string out(kMagic, kMagicSize);
  put_string(out, data.metadata.dump());
  put_u64(out, data.arrays.size());
  for (const auto& [name, tensor] : data.arrays) {
    const Tensor t = tensor.to(Device{});
    put_string(out, name);
    put_u64(out, static_cast<std::uint64_t>(dtype_code(t.dtype())));
    put_u64(out, t.shape().size());
    for (auto d : t.shape()) put_u64(out, static_cast<std::uint64_t>(d));
    put_u64(out, t.nbytes());
    out.append(static_cast<const char*>(t.raw_data()), t.nbytes());
  }
  const std::uint32_t crc = crc_of(out, out.size());
  put_u64(out, crc);
  write_file_atomically(path, out);
}

CheckpointData read_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("Cannot read checkpoint '" + path + "': no such file or not readable");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  if (bytes.size() < kMagicSize + 8 || bytes.compare(0, kMagicSize, kMagic) != 0) {
    throw IOError("Cannot read checkpoint '" + path + "': not a keras-cpp checkpoint (bad magic)");
  }
  const std::size_t end = bytes.size() - 8;
  std::uint64_t stored = 0;
  for (int i = 7; i >= 0; --i) stored = stored << 8 | static_cast<unsigned char>(bytes[end + static_cast<std::size_t>(i)]);
  if (stored != crc_of(bytes, end)) throw IOError("Cannot read checkpoint '" + path + "': checksum mismatch (corrupt or torn file)");
  Reader r(bytes, end, path);
  CheckpointData data;
  try {
    data.metadata = nlohmann::json::parse(r.string());
  } catch (const nlohmann::json::exception&) {
    r.fail("metadata is not JSON");
  }
  const std::uint64_t count = r.u64();
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string name = r.string();
    const DType dtype = dtype_from_code(r.u64(), r);
    const std::uint64_t ndim = r.u64();
    if (ndim > 16) r.fail("array '" + name + "' has " + std::to_string(ndim) + " dimensions");
    Shape shape;
    for (std::uint64_t d = 0; d < ndim; ++d) shape.push_back(static_cast<std::int64_t>(r.u64()));
    const std::uint64_t nbytes = r.u64();
    if (shape_size(shape) < 0 || nbytes != static_cast<std::uint64_t>(shape_size(shape)) * dtype_size(dtype)) {
      r.fail("array '" + name + "' size does not match its shape");
    }
    Tensor t = Tensor::empty(shape, dtype, Device{});
    std::memcpy(t.raw_data(), r.take(nbytes), nbytes);
    data.arrays.emplace_back(std::move(name), std::move(t));
  }
  if (!r.done()) r.fail("trailing bytes");
  return data;
}

}  // namespace keras::saving
