#include <zlib.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "keras/datasets/datasets.hpp"
#include "keras/errors.hpp"

namespace keras::datasets {

namespace {

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<std::remove_pointer_t<gzFile>, GzCloser>;

// gzread reads plain files too, so one reader serves .gz and uncompressed IDX files.
void read_exact(gzFile f, void* out, std::size_t n, const std::string& path) {
  auto* p = static_cast<unsigned char*>(out);
  while (n > 0) {
    const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n, 1u << 30));
    const int got = gzread(f, p, chunk);
    if (got <= 0) throw IOError("Truncated or unreadable IDX file: " + path);
    p += got;
    n -= static_cast<std::size_t>(got);
  }
}

std::uint32_t big_endian(const std::array<unsigned char, 4>& b) {
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

// The file itself, or with ".gz" added when only that exists.
std::string find_file(const std::string& dir, const std::string& name, const std::string& package_hint) {
  for (const std::string& candidate : {dir + "/" + name, dir + "/" + name + ".gz"}) {
    if (std::filesystem::exists(candidate)) return candidate;
  }
  throw IOError("Dataset file " + dir + "/" + name + "[.gz] not found. " + package_hint);
}

ImageDataset load_set(const std::string& dir, const std::string& hint) {
  return {load_idx(find_file(dir, "train-images-idx3-ubyte", hint)),
          load_idx(find_file(dir, "train-labels-idx1-ubyte", hint)),
          load_idx(find_file(dir, "t10k-images-idx3-ubyte", hint)),
          load_idx(find_file(dir, "t10k-labels-idx1-ubyte", hint))};
}

}  // namespace

Tensor load_idx(const std::string& path) {
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw IOError("Cannot open IDX file: " + path);
  std::array<unsigned char, 4> magic{};
  read_exact(f.get(), magic.data(), 4, path);
  // Magic: two zero bytes, the type (0x08 = unsigned byte) and the number of dimensions.
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] == 0 || magic[3] > 4) {
    throw IOError("Not an unsigned-byte IDX file (bad magic number): " + path);
  }
  Shape shape;
  std::int64_t count = 1;
  for (int d = 0; d < magic[3]; ++d) {
    std::array<unsigned char, 4> b{};
    read_exact(f.get(), b.data(), 4, path);
    shape.push_back(big_endian(b));
    count *= shape.back();
    if (count > (std::int64_t{1} << 34)) throw IOError("IDX file declares an implausible size: " + path);
  }
  std::vector<unsigned char> bytes(static_cast<std::size_t>(count));
  read_exact(f.get(), bytes.data(), bytes.size(), path);
  return Tensor::from_vector(std::vector<std::int32_t>(bytes.begin(), bytes.end()), shape);
}

ImageDataset fashion_mnist::load_data(const std::string& path) {
  return load_set(path, "Install it with: apt-get install dataset-fashion-mnist");
}

ImageDataset mnist::load_data(const std::string& path) {
  return load_set(path, "Download MNIST's four IDX files into that directory (there is no Debian package).");
}

}  // namespace keras::datasets
