#pragma once
// keras::GradientTape, shaped like tf.GradientTape. A tape records the differentiable ops
// run on watched tensors from its construction until it is destroyed (the C++ form of
// Python's `with` block); `gradient` then runs the recorded ops' gradient rules backwards.
//
//   GradientTape tape;
//   Tensor loss = ops::mean(ops::square(ops::matmul(x, w) - y));
//   auto grads = tape.gradient(loss, {w});
//
// Trainable variables read while the tape records are watched automatically; other
// tensors need `watch`. A persistent tape allows several `gradient` calls, and an outer
// persistent tape records the inner tape's gradient computation (higher-order gradients).
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "keras/tensor.hpp"
#include "keras/variable.hpp"

namespace keras {

struct GradientTapeOptions {
  bool persistent = false;
  bool watch_accessed_variables = true;
};

struct GradientOptions {
  // The gradient flowing into the target; ones (d sum(target)) when undefined.
  Tensor output_gradients;
  // "none": an unconnected source gets an undefined Tensor; "zero": zeros of its shape.
  std::string unconnected_gradients = "none";
};

class GradientTape {
 public:
  explicit GradientTape(GradientTapeOptions options = {});
  ~GradientTape();
  GradientTape(const GradientTape&) = delete;
  GradientTape& operator=(const GradientTape&) = delete;

  void watch(const Tensor& tensor);
  void watch(const Variable& variable);
  // Stops recording for good (like leaving the `with` block early).
  void stop_recording();
  bool recording() const;

  std::vector<Tensor> gradient(const Tensor& target, const std::vector<Tensor>& sources,
                               const GradientOptions& options = {});
  std::vector<Tensor> gradient(const Tensor& target, const std::vector<Variable>& sources,
                               const GradientOptions& options = {});
  Tensor gradient(const Tensor& target, const Tensor& source, const GradientOptions& options = {});

  struct Record;

 private:
  friend struct TapeAccess;
  GradientTapeOptions options_;
  std::vector<Record> records_;
  std::unordered_set<std::uint64_t> watched_;
  bool recording_ = true;
  bool used_ = false;
};

}  // namespace keras
