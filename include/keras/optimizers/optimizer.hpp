#pragma once
// The Optimizer base class (keras.optimizers.Optimizer): one apply() step runs Keras 3's
// sequence (drop missing gradients, loss-scale, clip, decoupled weight decay, the
// subclass's update rule, variable constraints, iterations += 1). The concrete optimizers
// and `optimizers::get` are in keras/optimizers.hpp.
#include <concepts>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "keras/constraints.hpp"
#include "keras/optimizers/learning_rate_schedule.hpp"
#include "keras/tensor.hpp"
#include "keras/variable.hpp"

namespace keras::optimizers {

// A learning rate: a number or a schedule (shared, as Keras shares the schedule object).
class LearningRate {
 public:
  LearningRate(double value) : value_(value) {}  // NOLINT(google-explicit-constructor)
  template <class S>
    requires std::derived_from<std::decay_t<S>, schedules::LearningRateSchedule>
  LearningRate(S&& schedule)  // NOLINT(google-explicit-constructor)
      : schedule_(std::make_shared<std::decay_t<S>>(std::forward<S>(schedule))) {}
  LearningRate(schedules::LearningRateSchedulePtr schedule)  // NOLINT(google-explicit-constructor)
      : schedule_(std::move(schedule)) {}
  // A shared pointer to a concrete schedule (std::make_shared<ExponentialDecay>(...)).
  template <class S>
    requires std::derived_from<S, schedules::LearningRateSchedule>
  LearningRate(std::shared_ptr<S> schedule)  // NOLINT(google-explicit-constructor)
      : schedule_(std::move(schedule)) {}

  const schedules::LearningRateSchedulePtr& schedule() const { return schedule_; }
  double value() const { return value_; }

 private:
  double value_ = 0.0;
  schedules::LearningRateSchedulePtr schedule_;
};

// Every optimizer's options struct repeats these fields (after its own) through
// KERAS_OPTIMIZER_BASE_OPTIONS, because a designated initializer cannot reach into a base.
#define KERAS_OPTIMIZER_BASE_OPTIONS                                                  \
  std::optional<double> weight_decay;    /* decoupled decay; AdamW defaults 0.004 */    \
  std::optional<double> clipnorm;        /* per-tensor norm clip */                   \
  std::optional<double> clipvalue;       /* elementwise clip */                       \
  std::optional<double> global_clipnorm; /* clip by the norm of all gradients */       \
  bool use_ema = false;                                                               \
  double ema_momentum = 0.99;                                                         \
  std::optional<std::int64_t> ema_overwrite_frequency;                                \
  std::optional<double> loss_scale_factor;                                            \
  std::optional<std::int64_t> gradient_accumulation_steps;                            \
  std::string name;                      /* empty: the class's snake_case name */

struct OptimizerBaseOptions {
  KERAS_OPTIMIZER_BASE_OPTIONS
};

// The base fields of any optimizer options struct.
template <class Options>
OptimizerBaseOptions base_options(const Options& o) {
  return {o.weight_decay,          o.clipnorm,         o.clipvalue,
          o.global_clipnorm,       o.use_ema,          o.ema_momentum,
          o.ema_overwrite_frequency, o.loss_scale_factor, o.gradient_accumulation_steps,
          o.name};
}

class Optimizer {
 public:
  // ValueError when more than one of clipnorm, clipvalue and global_clipnorm is set, as Keras.
  Optimizer(LearningRate learning_rate, OptimizerBaseOptions options, std::string default_name);
  virtual ~Optimizer();
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One step. Gradients that are undefined are skipped (ValueError when none is left).
  // Builds the optimizer's slot variables on the first call.
  void apply(const std::vector<Tensor>& grads, const std::vector<Variable>& variables);
  void apply_gradients(const std::vector<std::pair<Tensor, Variable>>& grads_and_vars);
  // Creates the slot variables for these variables (apply() does it on first use).
  void build(const std::vector<Variable>& variables);
  bool built() const { return built_; }

  // The constraint applied to a variable after each update (Keras keeps it on the
  // variable; Model::compile registers every layer's).
  void set_constraint(const Variable& variable, constraints::ConstraintPtr constraint);

  // Keras's exclude_from_weight_decay: these variables, and those whose name contains one
  // of `var_names` (a regex search, as Keras), get no weight decay. ValueError once built.
  void exclude_from_weight_decay(const std::vector<Variable>& var_list,
                                 const std::vector<std::string>& var_names = {});
  // With use_ema: overwrites the variables with their moving averages (what fit() does at
  // the end of training); otherwise nothing.
  void finalize_variable_values(const std::vector<Variable>& variables);

  // The number of optimizer steps taken (with gradient_accumulation_steps = k, the raw
  // apply() count divided by k, as Keras's `iterations` property).
  std::int64_t iterations() const;
  // The learning rate the next step uses (the schedule's value at the raw apply() count,
  // as Keras, which equals iterations() without gradient accumulation).
  double learning_rate() const;
  // TypeError when the learning rate is a schedule, as Keras.
  void set_learning_rate(double value);
  bool has_schedule() const { return learning_rate_.schedule() != nullptr; }

  // iterations first, then the slots in build order (what summary counts and saving
  // writes). The learning-rate variable is not a slot here: it is a plain number.
  std::vector<Variable> variables() const;
  const std::string& name() const { return options_.name; }
  const OptimizerBaseOptions& base() const { return options_; }
  virtual std::string class_name() const = 0;
  // Keras's config: name, learning_rate (a number or a schedule's serialized dict),
  // weight_decay, clipnorm, global_clipnorm, clipvalue, use_ema, ema_momentum,
  // ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, plus the
  // subclass's own keys.
  virtual nlohmann::json get_config() const;

 protected:
  // Creates the subclass's slots for each variable (add_variable_from_reference).
  virtual void build_slots(const std::vector<Variable>& variables) = 0;
  // Called once per step before the per-variable updates (Nadam's momentum product).
  virtual void before_update(std::int64_t step) { (void)step; }
  // The update rule for variables[index], in place; `lr` is this step's learning rate and
  // `step` is iterations + 1.
  virtual void update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                           std::int64_t step) = 0;
  // A zero (or `fill`) slot shaped like `reference`, named "<reference name>_<name>" as Keras.
  Variable add_variable_from_reference(const Variable& reference, const std::string& name,
                                       double fill = 0.0);
  // A slot not tied to one variable (Nadam's momentum product), filled with `fill`.
  Variable add_variable(const Shape& shape, const std::string& name, DType dtype = floatx(),
                        double fill = 0.0);
  // The subclass's own config keys, merged into get_config().
  virtual nlohmann::json own_config() const = 0;

 private:
  std::vector<Tensor> clip(std::vector<Tensor> grads) const;
  void apply_weight_decay(const std::vector<Variable>& variables, double lr);
  void apply_constraints(const std::vector<Variable>& variables);
  std::size_t slot_index(const Variable& variable) const;
  // Clip, weight decay, before_update and update_step on each (gradient, variable).
  void update(const std::vector<Tensor>& grads, const std::vector<Variable>& variables);
  void update_moving_averages();
  bool uses_weight_decay(const Variable& variable) const;
  std::int64_t raw_iterations() const;

  LearningRate learning_rate_;
  OptimizerBaseOptions options_;
  Variable iterations_;
  std::vector<Variable> slots_;
  std::map<std::uint64_t, std::size_t> index_of_;  // variable id -> build order
  std::map<std::uint64_t, constraints::ConstraintPtr> constraints_;
  bool built_ = false;
  std::vector<Variable> trainable_;     // the variables built on, in order
  std::vector<Variable> averages_;      // use_ema: "<var>_average"
  std::vector<Variable> accumulators_;  // gradient accumulation: "<var>_gradient_accumulator"
  std::vector<std::uint64_t> no_decay_ids_;
  std::vector<std::string> no_decay_names_;
};

using OptimizerPtr = std::shared_ptr<Optimizer>;

// Keras's optimizers.get: a default instance by name ("sgd", "rmsprop", "adam", "adamw",
// "adagrad", "adadelta", "adamax", "nadam", "lion", class names too) or a config dict.
// ValueError "Could not interpret optimizer identifier: <name>".
OptimizerPtr get(const nlohmann::json& identifier);

// What compile(optimizer=...) accepts: a name or a shared pointer (kept, so the caller
// can read its state). Defaults to "rmsprop" as Keras.
class OptimizerArg {
 public:
  OptimizerArg() : name_("rmsprop") {}
  OptimizerArg(const char* name) : name_(name) {}              // NOLINT(google-explicit-constructor)
  OptimizerArg(std::string name) : name_(std::move(name)) {}  // NOLINT(google-explicit-constructor)
  template <class O>
    requires std::derived_from<O, Optimizer>
  OptimizerArg(std::shared_ptr<O> optimizer)  // NOLINT(google-explicit-constructor)
      : optimizer_(std::move(optimizer)) {}

  OptimizerPtr ptr() const { return optimizer_ ? optimizer_ : get(name_); }

 private:
  std::string name_;
  OptimizerPtr optimizer_;
};

}  // namespace keras::optimizers
