#pragma once
// keras.optimizers: SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam and Lion
// with Keras 3's update rules, defaults and configs, and the learning-rate schedules.
// Each optimizer takes an options struct with Keras's argument names, its own fields
// first, then the base ones (weight_decay, clipnorm, ..., name):
//
//   auto adam = std::make_shared<optimizers::Adam>(
//       optimizers::AdamOptions{.learning_rate = 1e-3, .amsgrad = true});
//   adam->apply(grads, variables);
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keras/optimizers/optimizer.hpp"
#include "keras/optimizers/schedules.hpp"

namespace keras::optimizers {

// ---- SGD ----
struct SGDOptions {
  LearningRate learning_rate = 0.01;
  double momentum = 0.0;  // in [0, 1]
  bool nesterov = false;
  KERAS_OPTIMIZER_BASE_OPTIONS
};
// momentum 0: θ -= lr·g. Else m ← μm − lr·g; θ += m (nesterov: θ += μm − lr·g).
// Slots: "<var>_momentum" when momentum != 0.
class SGD final : public Optimizer {
 public:
  explicit SGD(const SGDOptions& options = {});
  std::string class_name() const override { return "SGD"; }
  const SGDOptions& options() const { return options_; }

 protected:
  void build_slots(const std::vector<Variable>& variables) override;
  void update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                   std::int64_t step) override;
  nlohmann::json own_config() const override;

 private:
  SGDOptions options_;
  std::vector<Variable> momentums_;
};

// ---- RMSprop ----
struct RMSpropOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.9;
  double momentum = 0.0;
  double epsilon = 1e-7;
  bool centered = false;
  KERAS_OPTIMIZER_BASE_OPTIONS
};
// v ← ρv + (1−ρ)g²; centered: a ← ρa + (1−ρ)g, D = v − a² + ε, else D = v + ε;
// inc = lr·g/√D; momentum > 0: mom ← μ·mom + inc, θ −= mom; else θ −= inc.
// Slots: "_velocity", then "_momentum" (momentum > 0), then "_average_gradient" (centered).
class RMSprop final : public Optimizer {
 public:
  explicit RMSprop(const RMSpropOptions& options = {});
  std::string class_name() const override { return "RMSprop"; }
  const RMSpropOptions& options() const { return options_; }

 protected:
  void build_slots(const std::vector<Variable>& variables) override;
  void update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                   std::int64_t step) override;
  nlohmann::json own_config() const override;

 private:
  RMSpropOptions options_;
  std::vector<Variable> velocities_, momentums_, average_gradients_;
};

// ---- Adam ----
struct AdamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  KERAS_OPTIMIZER_BASE_OPTIONS
};
// α = lr·√(1−β2ᵗ)/(1−β1ᵗ); m += (g−m)(1−β1); v += (g²−v)(1−β2); amsgrad: v̂ = max(v̂, v);
// θ −= α·m/(√v + ε). Slots: "_momentum", "_velocity" interleaved per variable, then
// "_velocity_hat" (amsgrad).
class Adam : public Optimizer {
 public:
  explicit Adam(const AdamOptions& options = {});
  std::string class_name() const override { return "Adam"; }
  const AdamOptions& options() const { return options_; }

 protected:
  Adam(const AdamOptions& options, std::string default_name);
  void build_slots(const std::vector<Variable>& variables) override;
  void update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                   std::int64_t step) override;
  nlohmann::json own_config() const override;

 private:
  AdamOptions options_;
  std::vector<Variable> momentums_, velocities_, velocity_hats_;
};

// ---- AdamW ----
// AdamOptions with weight_decay defaulting to 0.004 (the base fields are spelled out
// because of that default).
struct AdamWOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  std::optional<double> weight_decay = 0.004;  // required: ValueError when reset to nullopt
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<std::int64_t> ema_overwrite_frequency;
  std::optional<double> loss_scale_factor;
  std::optional<std::int64_t> gradient_accumulation_steps;
  std::string name;
};
// Adam with decoupled weight decay (the base class's step 4).
class AdamW final : public Adam {
 public:
  explicit AdamW(const AdamWOptions& options = {});
  std::string class_name() const override { return "AdamW"; }
};

// ---- Adagrad ----
struct AdagradOptions {
  LearningRate learning_rate = 0.001;
  double initial_accumulator_value = 0.1;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_BASE_OPTIONS
};
// A += g²; θ −= lr·g/√(A + ε). Slots: "_accumulator" (filled with the initial value).
class Adagrad final : public Optimizer {
 public:
  explicit Adagrad(const AdagradOptions& options = {});
  std::string class_name() const override { return "Adagrad"; }
  const AdagradOptions& options() const { return options_; }

 protected:
  void build_slots(const std::vector<Variable>& variables) override;
  void update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                   std::int64_t step) override;
  nlohmann::json own_config() const override;

 private:
  AdagradOptions options_;
  std::vector<Variable> accumulators_;
};

// ---- Adadelta ----
struct AdadeltaOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.95;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_BASE_OPTIONS
};
// E_g ← ρE_g + (1−ρ)g²; Δ = −√(E_Δ+ε)/√(E_g+ε)·g; E_Δ ← ρE_Δ + (1−ρ)Δ²; θ += lr·Δ.
// Slots: "_accumulated_grad", "_accumulated_delta_var" interleaved.
class Adadelta final : public Optimizer {
 public:
  explicit Adadelta(const AdadeltaOptions& options = {});
  std::string class_name() const override { return "Adadelta"; }
  const AdadeltaOptions& options() const { return options_; }

 protected:
  void build_slots(const std::vector<Variable>& variables) override;
  void update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                   std::int64_t step) override;
  nlohmann::json own_config() const override;

 private:
  AdadeltaOptions options_;
  std::vector<Variable> accumulated_grads_, accumulated_delta_vars_;
};

// ---- Adamax ----
struct AdamaxOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_BASE_OPTIONS
};
// m += (g−m)(1−β1); u ← max(β2·u, |g|); θ −= lr·m/((1−β1ᵗ)(u+ε)).
// Slots: "_momentum", "_norm" interleaved.
class Adamax final : public Optimizer {
 public:
  explicit Adamax(const AdamaxOptions& options = {});
  std::string class_name() const override { return "Adamax"; }
  const AdamaxOptions& options() const { return options_; }

 protected:
  void build_slots(const std::vector<Variable>& variables) override;
  void update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                   std::int64_t step) override;
  nlohmann::json own_config() const override;

 private:
  AdamaxOptions options_;
  std::vector<Variable> m_, u_;
};

// ---- Nadam ----
struct NadamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_BASE_OPTIONS
};
// Adam with Nesterov momentum and Dozat's momentum schedule μ_t = β1(1 − ½·0.96ᵗ).
// Slots: "_momentum", "_velocity" interleaved, then the momentum product "u_product"
// (a scalar, 1 at the start).
class Nadam final : public Optimizer {
 public:
  explicit Nadam(const NadamOptions& options = {});
  std::string class_name() const override { return "Nadam"; }
  const NadamOptions& options() const { return options_; }

 protected:
  void build_slots(const std::vector<Variable>& variables) override;
  void before_update(std::int64_t step) override;
  void update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                   std::int64_t step) override;
  nlohmann::json own_config() const override;

 private:
  NadamOptions options_;
  std::vector<Variable> momentums_, velocities_;
  Variable u_product_;
};

// ---- Lion ----
struct LionOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;  // in (0, 1]
  double beta_2 = 0.99;
  KERAS_OPTIMIZER_BASE_OPTIONS
};
// θ −= lr·sign(β1·m + (1−β1)g); m ← β2·m + (1−β2)g. Slots: "_momentum".
class Lion final : public Optimizer {
 public:
  explicit Lion(const LionOptions& options = {});
  std::string class_name() const override { return "Lion"; }
  const LionOptions& options() const { return options_; }

 protected:
  void build_slots(const std::vector<Variable>& variables) override;
  void update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                   std::int64_t step) override;
  nlohmann::json own_config() const override;

 private:
  LionOptions options_;
  std::vector<Variable> momentums_;
};

// {"module": "keras.optimizers", "class_name", "config", "registered_name": null}.
nlohmann::json serialize(const Optimizer& optimizer);

}  // namespace keras::optimizers
