#include <cstdio>
#include <fstream>
#include <sstream>

#include "test_util.hpp"

namespace keras {
namespace {

std::string golden_path(const std::string& name) {
  return std::string(KERAS_GOLDEN_DIR) + "/npy/" + name + ".npy";
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "/keras_npy_" + name + ".npy";
}

TEST(Npy, ReadsNumpyFiles) {
  Tensor f = utils::load_npy(golden_path("f32_2x3"));
  EXPECT_EQ(f.shape(), (Shape{2, 3}));
  EXPECT_EQ(f.to_vector<float>(), (std::vector<float>{0, 0.25, 0.5, 0.75, 1, 1.25}));
  Tensor d = utils::load_npy(golden_path("f64_vec"));
  EXPECT_EQ(d.to_vector<double>(), (std::vector<double>{0.1, -2.5, 3e10}));
  Tensor s = utils::load_npy(golden_path("i32_scalar"));
  EXPECT_EQ(s.shape(), Shape{});
  EXPECT_EQ(s.item<int>(), 7);
  Tensor i = utils::load_npy(golden_path("i64_3d"));
  EXPECT_EQ(i.shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(i.to_vector<std::int64_t>()[23], 18);
  EXPECT_EQ(utils::load_npy(golden_path("bool_4")).to_vector<int>(), (std::vector<int>{1, 0, 0, 1}));
  Tensor u = utils::load_npy(golden_path("u8_2x2"));
  EXPECT_EQ(u.dtype(), DType::int32);
  EXPECT_EQ(u.to_vector<int>(), (std::vector<int>{0, 255, 7, 128}));
  EXPECT_EQ(utils::load_npy(golden_path("f32_empty")).shape(), (Shape{0, 3}));
}

TEST(Npy, WritesTheSameBytesAsNumpy) {
  for (const char* name : {"f32_2x3", "f64_vec", "i32_scalar", "i64_3d", "bool_4", "f32_empty"}) {
    Tensor t = utils::load_npy(golden_path(name));
    const std::string out = temp_path(name);
    utils::save_npy(out, t);
    EXPECT_EQ(file_bytes(out), file_bytes(golden_path(name))) << name;
    std::remove(out.c_str());
  }
}

TEST(Npy, MissingFileRaisesIOError) {
  EXPECT_THROW(utils::load_npy("/nonexistent/x.npy"), IOError);
}

TEST(Npy, CorruptFilesRaiseIOErrorAtEveryTruncation) {
  const std::string good = file_bytes(golden_path("i64_3d"));
  const std::string path = temp_path("truncated");
  for (std::size_t len = 0; len < good.size(); ++len) {
    write_bytes(path, good.substr(0, len));
    EXPECT_THROW(utils::load_npy(path), IOError) << "length " << len;
  }
  std::string bad_magic = good;
  bad_magic[1] = 'X';
  write_bytes(path, bad_magic);
  EXPECT_THROW(utils::load_npy(path), IOError);
  std::string big_endian = good;
  big_endian.replace(big_endian.find("<i8"), 3, ">i8");
  write_bytes(path, big_endian);
  EXPECT_THROW(utils::load_npy(path), IOError);
  // Shapes whose element count overflows, or is negative, are refused before anything is
  // allocated.
  for (const char* shape : {"(4294967296, 4294967296, 4)", "(-3, 2)"}) {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + std::string(shape) + ", }";
    header.resize(118, ' ');
    header += '\n';
    write_bytes(path, std::string("\x93NUMPY\x01\x00\x76\x00", 10) + header + std::string(16, '\0'));
    try {
      utils::load_npy(path);
      ADD_FAILURE() << shape;
    } catch (const IOError& e) {
      EXPECT_NE(std::string(e.what()).find("impossible shape"), std::string::npos) << e.what();
    }
  }
  std::remove(path.c_str());
}

TEST(Npy, SaveReplacesAtomically) {
  const std::string path = temp_path("atomic");
  utils::save_npy(path, ops::ones({3}));
  EXPECT_THROW(utils::save_npy("/nonexistent-dir/x.npy", ops::ones({3})), IOError);
  utils::save_npy(path, ops::zeros({2}));
  EXPECT_EQ(utils::load_npy(path).shape(), (Shape{2}));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace keras
