#pragma once
// The learning-rate schedules of keras.optimizers.schedules, with Keras 3's formulas,
// defaults and configs. A schedule maps the optimizer's 0-based step count to a learning
// rate; pass one as an optimizer's `learning_rate`:
//
//   optimizers::SGD sgd({.learning_rate = schedules::ExponentialDecay(
//       {.initial_learning_rate = 0.1, .decay_steps = 100, .decay_rate = 0.96})});
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/learning_rate_schedule.hpp"

namespace keras::optimizers::schedules {

struct ExponentialDecayOptions {
  double initial_learning_rate = 0.0;
  std::int64_t decay_steps = 0;  // > 0
  double decay_rate = 0.0;
  bool staircase = false;
  std::string name = "ExponentialDecay";
};
// lr0 * decay_rate ^ (step / decay_steps); staircase floors the exponent.
class ExponentialDecay final : public LearningRateSchedule {
 public:
  explicit ExponentialDecay(const ExponentialDecayOptions& options);
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "ExponentialDecay"; }
  nlohmann::json get_config() const override;
  const ExponentialDecayOptions& options() const { return options_; }

 private:
  ExponentialDecayOptions options_;
};

struct InverseTimeDecayOptions {
  double initial_learning_rate = 0.0;
  double decay_steps = 0.0;  // > 0 (Keras's example passes 1.0)
  double decay_rate = 0.0;
  bool staircase = false;
  std::string name = "InverseTimeDecay";
};
// lr0 / (1 + decay_rate * step / decay_steps); staircase floors step / decay_steps.
class InverseTimeDecay final : public LearningRateSchedule {
 public:
  explicit InverseTimeDecay(const InverseTimeDecayOptions& options);
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "InverseTimeDecay"; }
  nlohmann::json get_config() const override;
  const InverseTimeDecayOptions& options() const { return options_; }

 private:
  InverseTimeDecayOptions options_;
};

struct PiecewiseConstantDecayOptions {
  std::vector<std::int64_t> boundaries;  // strictly increasing
  std::vector<double> values;            // one more than boundaries
  std::string name = "PiecewiseConstant";
};
// values[0] while step <= boundaries[0], values[i] while boundaries[i-1] < step <=
// boundaries[i], values.back() after the last boundary. ValueError when the lengths do not
// fit.
class PiecewiseConstantDecay final : public LearningRateSchedule {
 public:
  explicit PiecewiseConstantDecay(const PiecewiseConstantDecayOptions& options);
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "PiecewiseConstantDecay"; }
  nlohmann::json get_config() const override;
  const PiecewiseConstantDecayOptions& options() const { return options_; }

 private:
  PiecewiseConstantDecayOptions options_;
};

struct PolynomialDecayOptions {
  double initial_learning_rate = 0.0;
  std::int64_t decay_steps = 0;  // > 0
  double end_learning_rate = 0.0001;
  double power = 1.0;
  bool cycle = false;
  std::string name = "PolynomialDecay";
};
// (lr0 - end) * (1 - s / D)^power + end with s = min(step, decay_steps), D = decay_steps;
// cycle: s = step and D = decay_steps * ceil(step / decay_steps) (1 at step 0).
class PolynomialDecay final : public LearningRateSchedule {
 public:
  explicit PolynomialDecay(const PolynomialDecayOptions& options);
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "PolynomialDecay"; }
  nlohmann::json get_config() const override;
  const PolynomialDecayOptions& options() const { return options_; }

 private:
  PolynomialDecayOptions options_;
};

struct CosineDecayOptions {
  double initial_learning_rate = 0.0;
  std::int64_t decay_steps = 0;  // > 0
  double alpha = 0.0;
  std::string name = "CosineDecay";
  std::optional<double> warmup_target;  // None: no warmup
  std::int64_t warmup_steps = 0;
};
// Without warmup: lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) + alpha),
// s = min(step, decay_steps). With a warmup_target: linear from lr0 to warmup_target over
// warmup_steps, then the cosine decay from warmup_target.
class CosineDecay final : public LearningRateSchedule {
 public:
  explicit CosineDecay(const CosineDecayOptions& options);
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "CosineDecay"; }
  nlohmann::json get_config() const override;
  const CosineDecayOptions& options() const { return options_; }

 private:
  CosineDecayOptions options_;
};

struct CosineDecayRestartsOptions {
  double initial_learning_rate = 0.0;
  std::int64_t first_decay_steps = 0;  // > 0
  double t_mul = 2.0;
  double m_mul = 1.0;
  double alpha = 0.0;
  std::string name = "SGDRDecay";
};
// SGDR: cosine decay over first_decay_steps, then warm restarts, each period t_mul times
// longer and starting m_mul times lower.
class CosineDecayRestarts final : public LearningRateSchedule {
 public:
  explicit CosineDecayRestarts(const CosineDecayRestartsOptions& options);
  double operator()(std::int64_t step) const override;
  std::string class_name() const override { return "CosineDecayRestarts"; }
  nlohmann::json get_config() const override;
  const CosineDecayRestartsOptions& options() const { return options_; }

 private:
  CosineDecayRestartsOptions options_;
};

// {"module": "keras.optimizers.schedules", "class_name", "config", "registered_name": null}.
nlohmann::json serialize(const LearningRateSchedule& schedule);
// A schedule from such a dict (or {"class_name", "config"}); TypeError "Could not locate
// class ..." for an unknown class.
LearningRateSchedulePtr deserialize(const nlohmann::json& config);

}  // namespace keras::optimizers::schedules
