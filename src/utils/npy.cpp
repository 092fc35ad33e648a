#include "keras/utils/npy.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include <unistd.h>

namespace keras::utils {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw IOError("Cannot read .npy file '" + path + "': " + what);
}

struct Header {
  std::string descr;
  bool fortran_order = false;
  Shape shape;
};

Header parse_header(const std::string& path, const std::string& text) {
  Header h;
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(R"('descr'\s*:\s*'([^']*)')"))) fail(path, "header has no 'descr'");
  h.descr = m[1];
  if (!std::regex_search(text, m, std::regex(R"('fortran_order'\s*:\s*(True|False))"))) {
    fail(path, "header has no 'fortran_order'");
  }
  h.fortran_order = m[1] == "True";
  if (!std::regex_search(text, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))"))) fail(path, "header has no 'shape'");
  const std::string dims = m[1];
  std::regex number(R"(-?\d+)");
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), number); it != std::sregex_iterator(); ++it) {
    const std::string digits = it->str();
    if (digits.front() == '-') fail(path, "impossible shape (" + dims + ")");
    if (digits.size() > 12) fail(path, "dimension too large: " + digits);
    h.shape.push_back(std::stoll(digits));
  }
  return h;
}

// The tensor dtype for a numpy descr, and the element size in the file.
std::pair<DType, std::size_t> file_type(const std::string& path, const std::string& descr) {
  if (descr == "<f4") return {DType::float32, 4};
  if (descr == "<f8") return {DType::float64, 8};
  if (descr == "<i4") return {DType::int32, 4};
  if (descr == "<i8") return {DType::int64, 8};
  if (descr == "|b1") return {DType::bool_, 1};
  if (descr == "|u1") return {DType::int32, 1};
  fail(path, "unsupported dtype '" + descr + "' (need <f4, <f8, <i4, <i8, |b1 or |u1)");
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "no such file or not readable");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Tensor load_npy(const std::string& path) {
  const std::string bytes = read_all(path);
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) fail(path, "not an .npy file (bad magic)");
  const auto major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0;
  std::size_t header_start = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8;
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail(path, "truncated header");
    header_len = 0;
    for (int i = 3; i >= 0; --i) header_len = header_len << 8 | static_cast<unsigned char>(bytes[8 + static_cast<std::size_t>(i)]);
    header_start = 12;
  } else {
    fail(path, "unsupported format version " + std::to_string(major));
  }
  if (header_start + header_len > bytes.size()) fail(path, "truncated header");
  const Header h = parse_header(path, bytes.substr(header_start, header_len));
  if (h.fortran_order) fail(path, "Fortran-ordered arrays are not supported");
  const auto [dtype, file_size] = file_type(path, h.descr);
  const auto checked = checked_shape_size(h.shape);
  if (!checked) fail(path, "impossible shape " + shape_str(h.shape));
  const std::int64_t count = *checked;
  const std::size_t data_start = header_start + header_len;
  if (static_cast<std::size_t>(count) > (bytes.size() - data_start) / file_size) {
    fail(path, "data is truncated: shape " + shape_str(h.shape) + " needs " + std::to_string(count) + " elements of " +
                   std::to_string(file_size) + " bytes, file has " + std::to_string(bytes.size() - data_start) +
                   " bytes");
  }
  Tensor out = Tensor::empty(h.shape, dtype, Device{});
  const char* src = bytes.data() + data_start;
  if (h.descr == "|u1") {
    auto* dst = out.data<std::int32_t>();
    for (std::int64_t i = 0; i < count; ++i) dst[i] = static_cast<unsigned char>(src[i]);
  } else if (count > 0) {
    std::memcpy(out.raw_data(), src, static_cast<std::size_t>(count) * file_size);
  }
  return out;
}

namespace {

std::string descr_of(DType dtype) {
  switch (dtype) {
    case DType::float32: return "<f4";
    case DType::float64: return "<f8";
    case DType::int32: return "<i4";
    case DType::int64: return "<i8";
    case DType::bool_: return "|b1";
  }
  return "";
}

std::string header_text(const Tensor& t) {
  std::string shape = "(";
  for (std::size_t i = 0; i < t.shape().size(); ++i) shape += std::to_string(t.shape()[i]) + (t.shape().size() == 1 ? "," : i + 1 < t.shape().size() ? ", " : "");
  shape += ")";
  std::string dict = "{'descr': '" + descr_of(t.dtype()) + "', 'fortran_order': False, 'shape': " + shape + ", }";
  // numpy pads the header with spaces so the data starts on a 64-byte boundary.
  const std::size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  return dict + "\n";
}

}  // namespace

void save_npy(const std::string& path, const Tensor& tensor) {
  const std::string header = header_text(tensor);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw IOError("Cannot write .npy file '" + path + "': cannot open " + tmp);
    const char preamble[8] = {'\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0};
    out.write(preamble, 8);
    const char len[2] = {static_cast<char>(header.size() & 0xff), static_cast<char>(header.size() >> 8)};
    out.write(len, 2);
    out << header;
    out.write(static_cast<const char*>(tensor.raw_data()), static_cast<std::streamsize>(tensor.nbytes()));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw IOError("Cannot write .npy file '" + path + "': write failed");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw IOError("Cannot write .npy file '" + path + "': rename failed");
  }
}

}  // namespace keras::utils
