// Printing: operator<< must match numpy's str() and repr() must match numpy's repr(),
// character for character (tests/golden/gen_print.py writes what numpy prints).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_util.hpp"

namespace keras {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string str(const Tensor& t) {
  std::ostringstream s;
  s << t;
  return s.str();
}

TEST(Print, MatchesNumpyGolden) {
  const std::filesystem::path dir = std::filesystem::path(KERAS_GOLDEN_DIR) / "print";
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".npy") continue;
    const std::string name = entry.path().stem().string();
    SCOPED_TRACE(name);
    const Tensor t = testing::golden("print/" + name);
    EXPECT_EQ(str(t), read_text(dir / (name + ".str.txt")));
    EXPECT_EQ(repr(t), read_text(dir / (name + ".repr.txt")));
    ++cases;
  }
  EXPECT_GE(cases, 50);
}

TEST(Print, SmallExamplesFromTheHeader) {
  const Tensor t({{1, 2}, {3, 4}});
  EXPECT_EQ(str(t), "[[1. 2.]\n [3. 4.]]");
  EXPECT_EQ(repr(t), "array([[1., 2.],\n       [3., 4.]], dtype=float32)");
}

TEST(Print, WeakScalarPrintsLikeAFloat32Scalar) {
  EXPECT_EQ(str(Tensor(2.0)), "2.0");
  EXPECT_EQ(repr(Tensor(2.0)), "array(2., dtype=float32)");
  EXPECT_EQ(str(Tensor(3)), "3");
  EXPECT_EQ(repr(Tensor(3)), "array(3, dtype=int32)");
}

TEST(Print, OpResultsAndCasts) {
  const Tensor x = ops::arange(6.0).reshape({2, 3});
  EXPECT_EQ(str(x * 0.5), "[[0.  0.5 1. ]\n [1.5 2.  2.5]]");
  EXPECT_EQ(repr(x.astype(DType::int64)), "array([[0, 1, 2],\n       [3, 4, 5]])");
  EXPECT_EQ(str(ops::greater(x, 2.0)), "[[False False False]\n [ True  True  True]]");
}

TEST(Print, StreamsIntoSurroundingText) {
  std::ostringstream s;
  s << "x = " << Tensor({1.5, -2.0}) << ";";
  EXPECT_EQ(s.str(), "x = [ 1.5 -2. ];");
}

TEST(Print, TensorsWithoutHostValuesAreDescribed) {
  EXPECT_EQ(str(Tensor()), "<undefined Tensor>");
  EXPECT_EQ(repr(Tensor()), "<undefined Tensor>");
  const Tensor m = Tensor::empty({2, 3}, DType::float32, Device{DeviceType::meta});
  EXPECT_EQ(str(m), "<Tensor shape=(2, 3), dtype=float32, device=meta>");
  EXPECT_EQ(repr(m), str(m));
}

}  // namespace
}  // namespace keras
