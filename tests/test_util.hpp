#pragma once
// Shared test helpers: closeness checks, golden files, finite-difference gradient checks.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "keras/keras.hpp"

namespace keras::testing {

// Asserts same shape and |a - b| <= atol + rtol * |b| elementwise (NaNs must match).
inline ::testing::AssertionResult all_close(const Tensor& a, const Tensor& b, double atol = 1e-5,
                                            double rtol = 1e-5) {
  if (a.shape() != b.shape()) {
    return ::testing::AssertionFailure() << "shapes differ: " << shape_str(a.shape()) << " vs "
                                         << shape_str(b.shape());
  }
  const auto va = a.to_vector<double>();
  const auto vb = b.to_vector<double>();
  for (std::size_t i = 0; i < va.size(); ++i) {
    if (std::isnan(va[i]) && std::isnan(vb[i])) continue;
    if (std::isinf(va[i]) && va[i] == vb[i]) continue;
    if (!(std::abs(va[i] - vb[i]) <= atol + rtol * std::abs(vb[i]))) {
      return ::testing::AssertionFailure() << "element " << i << ": " << va[i] << " vs " << vb[i]
                                           << " (atol " << atol << ", rtol " << rtol << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

// A float32 matrix from rows; unlike Tensor({{1}, {2}}) it is never ambiguous with the
// 1-D constructor, so one-column and one-row matrices read naturally: matrix({{1}, {2}}).
inline Tensor matrix(std::initializer_list<std::initializer_list<double>> rows) { return Tensor(rows); }

// A golden file written by tests/golden/generate.py.
inline Tensor golden(const std::string& name) {
  return utils::load_npy(std::string(KERAS_GOLDEN_DIR) + "/" + name + ".npy");
}

// Deterministic float64 test data in [lo, hi).
inline Tensor test_input(const Shape& shape, std::uint64_t seed, double lo = -1.0, double hi = 1.0) {
  return random::uniform(shape, {.minval = lo, .maxval = hi, .dtype = DType::float64, .seed = seed});
}

// A whole file's bytes ("" when it cannot be read), and writing bytes to a file.
inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The message of the E that `f` throws; "wrong exception type: ..." or "no exception"
// otherwise, so a test can check both the type and the wording.
template <class E>
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong exception type: ") + e.what();
  }
  return "no exception";
}

// The message of the ValueError `fn` throws ("" when it throws none).
template <class F>
std::string value_error(F&& fn) {
  try {
    fn();
  } catch (const ValueError& e) {
    return e.what();
  }
  return "";
}

struct GradCheckOptions {
  double eps = 1e-6;
  double atol = 1e-6;
  double rtol = 1e-5;
};

using Fn = std::function<Tensor(const std::vector<Tensor>&)>;

// Compares GradientTape's gradients of sum(f(inputs) * w), w a fixed random weighting (so
// output gradients are not all ones), against central finite differences in float64.
// Integer inputs are passed through and not differentiated.
inline ::testing::AssertionResult check_gradients(const Fn& f, const std::vector<Tensor>& inputs,
                                                  GradCheckOptions opt = {}) {
  Tensor probe = f(inputs);
  Tensor w = test_input(probe.shape(), 987654321, 0.5, 1.5);
  auto scalar = [&](const std::vector<Tensor>& xs) {
    return ops::sum(ops::multiply(ops::cast(f(xs), DType::float64), w)).item<double>();
  };
  std::vector<Tensor> analytic;
  {
    GradientTape tape;
    for (const auto& x : inputs) tape.watch(x);
    Tensor loss = ops::sum(ops::multiply(ops::cast(f(inputs), DType::float64), w));
    analytic = tape.gradient(loss, inputs, {.unconnected_gradients = "zero"});
  }
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    if (!is_floating(inputs[k].dtype())) continue;
    const auto base = inputs[k].to_vector<double>();
    const auto got = analytic[k].to_vector<double>();
    if (analytic[k].shape() != inputs[k].shape()) {
      return ::testing::AssertionFailure() << "gradient " << k << " has shape "
                                           << shape_str(analytic[k].shape()) << ", input "
                                           << shape_str(inputs[k].shape());
    }
    for (std::size_t i = 0; i < base.size(); ++i) {
      auto perturbed = [&](double delta) {
        std::vector<double> v = base;
        v[i] += delta;
        std::vector<Tensor> xs = inputs;
        xs[k] = Tensor::from_vector(v, inputs[k].shape());
        return scalar(xs);
      };
      const double numeric = (perturbed(opt.eps) - perturbed(-opt.eps)) / (2 * opt.eps);
      if (!(std::abs(numeric - got[i]) <= opt.atol + opt.rtol * std::abs(numeric))) {
        return ::testing::AssertionFailure()
               << "input " << k << " element " << i << ": analytic " << got[i] << " vs numeric "
               << numeric;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// Gradients of sum(layer(x) * w) w.r.t. the layer's trainable weights, from the tape,
// against central finite differences (each weight element perturbed by assignment).
::testing::AssertionResult check_weight_gradients(Layer& layer, const Tensor& x, const CallArgs& args = {}) {
  const Tensor probe = layer(x, args);
  const Tensor w = test_input(probe.shape(), 24680, 0.5, 1.5);
  auto loss = [&] { return ops::sum(ops::multiply(Tensor(layer(x, args)), w)); };
  const auto weights = layer.trainable_weights();
  if (weights.empty()) return ::testing::AssertionFailure() << "the layer has no trainable weights";
  std::vector<Tensor> analytic;
  {
    GradientTape tape;
    const Tensor l = loss();
    analytic = tape.gradient(l, weights, {.unconnected_gradients = "zero"});
  }
  constexpr double eps = 1e-6;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    Variable v = weights[k];
    const auto base = v.value().to_vector<double>();
    const auto got = analytic[k].to_vector<double>();
    for (std::size_t i = 0; i < base.size(); ++i) {
      auto at = [&](double delta) {
        std::vector<double> values = base;
        values[i] += delta;
        v.assign(Tensor::from_vector(values, v.shape()));
        return loss().item<double>();
      };
      const double numeric = (at(eps) - at(-eps)) / (2 * eps);
      v.assign(Tensor::from_vector(base, v.shape()));
      if (!(std::abs(numeric - got[i]) <= 1e-6 + 1e-5 * std::abs(numeric))) {
        return ::testing::AssertionFailure() << "weight " << v.name() << " element " << i << ": analytic "
                                             << got[i] << " vs numeric " << numeric;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace keras::testing
