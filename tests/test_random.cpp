#include <omp.h>

#include <cmath>

#include "test_util.hpp"

namespace keras {
namespace {

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

double std_of(const std::vector<double>& v) {
  const double m = mean_of(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}

TEST(Random, SeededDrawsRepeat) {
  Tensor a = random::normal({1000}, {.seed = 42});
  Tensor b = random::normal({1000}, {.seed = 42});
  Tensor c = random::normal({1000}, {.seed = 43});
  EXPECT_EQ(a.to_vector<float>(), b.to_vector<float>());
  EXPECT_NE(a.to_vector<float>(), c.to_vector<float>());
}

TEST(Random, SetRandomSeedResetsUnseededDraws) {
  utils::set_random_seed(7);
  Tensor a = random::uniform({500});
  Tensor a2 = random::uniform({500});
  utils::set_random_seed(7);
  Tensor b = random::uniform({500});
  Tensor b2 = random::uniform({500});
  EXPECT_EQ(a.to_vector<float>(), b.to_vector<float>());
  EXPECT_EQ(a2.to_vector<float>(), b2.to_vector<float>());
  EXPECT_NE(a.to_vector<float>(), a2.to_vector<float>());
}

TEST(Random, ResultsDoNotDependOnThreadCount) {
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  Tensor a = random::normal({100000}, {.seed = 3});
  omp_set_num_threads(2);
  Tensor b = random::normal({100000}, {.seed = 3});
  omp_set_num_threads(threads);
  EXPECT_EQ(a.to_vector<float>(), b.to_vector<float>());
}

TEST(Random, NormalHasRequestedMoments) {
  const auto v = random::normal({200000}, {.mean = 2.0, .stddev = 3.0, .dtype = DType::float64, .seed = 1})
                     .to_vector<double>();
  EXPECT_NEAR(mean_of(v), 2.0, 0.03);
  EXPECT_NEAR(std_of(v), 3.0, 0.03);
}

TEST(Random, UniformStaysInRange) {
  const auto v = random::uniform({100000}, {.minval = -2.0, .maxval = 5.0, .seed = 9}).to_vector<double>();
  for (double x : v) {
    ASSERT_GE(x, -2.0);
    ASSERT_LT(x, 5.0);
  }
  EXPECT_NEAR(mean_of(v), 1.5, 0.05);
  EXPECT_THROW(random::uniform({2}, {.minval = 1.0, .maxval = 0.0}), ValueError);
}

TEST(Random, TruncatedNormalWithinTwoStddevs) {
  const auto v = random::truncated_normal({100000}, {.mean = 1.0, .stddev = 0.5, .seed = 5}).to_vector<double>();
  for (double x : v) {
    ASSERT_LE(std::abs(x - 1.0), 1.0 + 1e-6);
  }
  // The standard normal truncated to [-2, 2] has standard deviation 0.8796.
  EXPECT_NEAR(std_of(v), 0.5 * 0.8796, 0.01);
}

TEST(Random, BinomialMeanIsCountsTimesP) {
  const auto v = random::binomial({50000}, 10, 0.3, DType::float32, 11).to_vector<double>();
  for (double x : v) {
    ASSERT_GE(x, 0);
    ASSERT_LE(x, 10);
    ASSERT_EQ(x, std::floor(x));
  }
  EXPECT_NEAR(mean_of(v), 3.0, 0.05);
  EXPECT_NEAR(std_of(v), std::sqrt(10 * 0.3 * 0.7), 0.05);
  EXPECT_THROW(random::binomial({2}, 3, 1.5), ValueError);
}

TEST(Random, IntegerAndDoubleDtypes) {
  EXPECT_EQ(random::uniform({3}, {.dtype = DType::float64}).dtype(), DType::float64);
  Tensor ints = random::uniform({1000}, {.minval = 0, .maxval = 10, .dtype = DType::int32, .seed = 2});
  for (int x : ints.to_vector<int>()) {
    ASSERT_GE(x, 0);
    ASSERT_LT(x, 10);
  }
}

}  // namespace
}  // namespace keras
