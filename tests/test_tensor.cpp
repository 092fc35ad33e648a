#include "test_util.hpp"

namespace keras {
namespace {

TEST(Tensor, FromInitializerListHasShapeAndValues) {
  Tensor t({{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.dtype(), DType::float32);
  EXPECT_EQ(t.to_vector<float>(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(Tensor, StorageIs64ByteAligned) {
  for (std::int64_t n : {1, 3, 17, 1000, 100000}) {
    Tensor t = Tensor::empty({n});
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.raw_data()) % 64, 0u) << n;
  }
}

TEST(Tensor, CopiesShareStorage) {
  Tensor a = ops::zeros({4});
  Tensor b = a;
  b.data<float>()[2] = 7.0f;
  EXPECT_EQ(a.to_vector<float>()[2], 7.0f);
}

TEST(Tensor, WrongDtypeAccessThrowsTypeError) {
  Tensor a = ops::zeros({2});
  EXPECT_THROW(a.data<double>(), TypeError);
}

TEST(Tensor, RaggedRowsThrowValueError) {
  EXPECT_THROW((Tensor({{1, 2}, {3}})), ValueError);
}

TEST(Tensor, WeakScalarKeepsOtherDtype) {
  Tensor x = ops::ones({2}, DType::float64);
  Tensor y = x * 0.1;
  EXPECT_EQ(y.dtype(), DType::float64);
  EXPECT_DOUBLE_EQ(y.to_vector<double>()[0], 0.1);  // the literal's exact value, not 0.1f
  Tensor i = ops::ones({2}, DType::int32);
  EXPECT_EQ((i + 1).dtype(), DType::int32);
  EXPECT_EQ((i * 0.5).dtype(), DType::float32);
}

TEST(Tensor, MetaTensorsComputeShapesWithoutData) {
  DeviceScope scope(Device{DeviceType::meta});
  Tensor a = Tensor::empty({8, 3});
  Tensor b = Tensor::empty({3});
  Tensor c = a * b + 1.0;
  EXPECT_EQ(c.shape(), (Shape{8, 3}));
  EXPECT_EQ(c.device().type, DeviceType::meta);
  EXPECT_THROW(a + Tensor::empty({4}), ValueError);
}

TEST(Tensor, BroadcastErrorNamesBothShapes) {
  try {
    ops::add(ops::zeros({2, 3}), ops::zeros({4}));
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("(2, 3)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(4,)"), std::string::npos) << e.what();
  }
}

TEST(Memory, RepeatedStepsStopAllocating) {
  auto step = [] {
    Tensor a = ops::full({256, 256}, 1.5);
    Tensor b = ops::full({256, 256}, 2.0);
    Tensor c = a * b + a;
    return c.to_vector<float>()[0];
  };
  step();
  const auto before = memory::stats().system_allocations;
  for (int i = 0; i < 10; ++i) EXPECT_FLOAT_EQ(step(), 4.5f);
  EXPECT_EQ(memory::stats().system_allocations, before);
}

}  // namespace
}  // namespace keras
