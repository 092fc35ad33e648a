// keras::datasets (IDX files, gzipped or not; clear errors for missing and corrupt files)
// and utils::to_categorical / normalize. The Fashion-MNIST figures (labels 9 0 0 3 0 2 7 2 5
// 5, first test image's pixel sum 33456) were read with Python's gzip + struct.
#include <filesystem>
#include <fstream>

#include "keras/datasets/datasets.hpp"
#include "keras/utils/numerical_utils.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;

std::string write_bytes(const std::string& name, const std::string& bytes) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(Datasets, ReadsAPlainIdxFile) {
  // magic 0 0 8 2, dims 2 x 3, then six bytes.
  const std::string bytes = std::string("\0\0\x08\x02\0\0\0\x02\0\0\0\x03", 12) + std::string("\x01\x02\x03\xfd\xfe\xff", 6);
  const Tensor t = datasets::load_idx(write_bytes("plain.idx", bytes));
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.to_vector<int>(), (std::vector<int>{1, 2, 3, 253, 254, 255}));
}

TEST(Datasets, CorruptIdxFilesRaiseIOError) {
  const std::string header = std::string("\0\0\x08\x02\0\0\0\x02\0\0\0\x03", 12);
  EXPECT_THROW(datasets::load_idx(write_bytes("short.idx", header + "\x01\x02")), IOError);
  EXPECT_THROW(datasets::load_idx(write_bytes("magic.idx", std::string("\0\0\x0d\x02", 4) + header.substr(4))), IOError);
  EXPECT_THROW(datasets::load_idx(write_bytes("empty.idx", "")), IOError);
  EXPECT_THROW(datasets::load_idx("/nonexistent/file.idx"), IOError);
  try {
    datasets::fashion_mnist::load_data("/nonexistent");
    FAIL();
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("apt-get install dataset-fashion-mnist"), std::string::npos);
  }
}

TEST(Datasets, LoadsFashionMnistFromTheDebianPackage) {
  const auto [x_train, y_train, x_test, y_test] = datasets::fashion_mnist::load_data();
  EXPECT_EQ(x_train.shape(), (Shape{60000, 28, 28}));
  EXPECT_EQ(y_train.shape(), (Shape{60000}));
  EXPECT_EQ(x_test.shape(), (Shape{10000, 28, 28}));
  EXPECT_EQ(y_test.shape(), (Shape{10000}));
  EXPECT_EQ(ops::slice(y_train, {0}, {10}).to_vector<int>(), (std::vector<int>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}));
  EXPECT_EQ(ops::sum(ops::slice(x_test, {0, 0, 0}, {1, 28, 28})).item<int>(), 33456);
}

TEST(NumericalUtils, ToCategoricalMakesOneHotRows) {
  const Tensor y = Tensor::from_vector(std::vector<std::int32_t>{2, 0, 1}, {3, 1});
  EXPECT_TRUE(all_close(utils::to_categorical(y), Tensor({{0, 0, 1}, {1, 0, 0}, {0, 1, 0}})));
  EXPECT_EQ(utils::to_categorical(y, 5).shape(), (Shape{3, 5}));
  EXPECT_THROW(utils::to_categorical(y, 2), ValueError);
}

TEST(NumericalUtils, NormalizeDividesByTheNorm) {
  const Tensor x({{3, 4}, {0, 0}, {1, -1}});
  EXPECT_TRUE(all_close(utils::normalize(x), Tensor({{0.6, 0.8}, {0, 0}, {std::sqrt(0.5), -std::sqrt(0.5)}}), 1e-6));
  EXPECT_TRUE(all_close(utils::normalize(x, -1, 1), Tensor({{3.0 / 7, 4.0 / 7}, {0, 0}, {0.5, -0.5}}), 1e-6));
}

}  // namespace
}  // namespace keras
