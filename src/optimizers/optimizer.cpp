// The Optimizer base class: Keras 3's apply() sequence (keras/src/optimizers/base_optimizer.py).
//
// No GradientTape records the updates: every variable read goes through
// ops::stop_gradient (a tensor that is not a trainable-variable read and has a fresh id),
// and the gradients are stop_gradient-ed too, so no op here has a watched input even
// inside an active tape.
#include "keras/optimizers/optimizer.hpp"

#include <algorithm>
#include <regex>

#include "keras/errors.hpp"
#include "keras/layer.hpp"
#include "keras/ops.hpp"
#include "keras/optimizers/schedules.hpp"
#include "optimizers/update_util.hpp"

namespace keras::optimizers {

using nlohmann::json;

namespace {

std::string optional_str(const std::optional<double>& v) {
  return v ? json(*v).dump() : std::string("None");
}

json optional_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json optional_json(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

Optimizer::Optimizer(LearningRate learning_rate, OptimizerBaseOptions options, std::string default_name)
    : learning_rate_(std::move(learning_rate)), options_(std::move(options)) {
  const int clip_args = static_cast<int>(options_.clipnorm.has_value()) +
                        static_cast<int>(options_.clipvalue.has_value()) +
                        static_cast<int>(options_.global_clipnorm.has_value());
  if (clip_args > 1) {
    throw ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: clipnorm=" +
                     optional_str(options_.clipnorm) + ", clipvalue=" + optional_str(options_.clipvalue) +
                     ", global_clipnorm=" + optional_str(options_.global_clipnorm));
  }
  if (options_.gradient_accumulation_steps && *options_.gradient_accumulation_steps != 0 &&
      *options_.gradient_accumulation_steps < 2) {
    throw ValueError("`gradient_accumulation_steps` must be an integer >= 2. Received: gradient_accumulation_steps=" +
                     std::to_string(*options_.gradient_accumulation_steps));
  }
  if (options_.use_ema) {
    if (options_.ema_momentum > 1 || options_.ema_momentum < 0) {
      throw ValueError("`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=" +
                       json(options_.ema_momentum).dump());
    }
    if (options_.ema_overwrite_frequency && *options_.ema_overwrite_frequency != 0 &&
        *options_.ema_overwrite_frequency < 1) {
      throw ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                       "ema_overwrite_frequency=" + std::to_string(*options_.ema_overwrite_frequency));
    }
  }
  if (options_.name.empty()) options_.name = unique_layer_name(to_snake_case(default_name));
  iterations_ = Variable(Tensor::scalar(0, DType::int64), {.name = "iteration", .trainable = false});
}

Optimizer::~Optimizer() = default;

std::int64_t Optimizer::raw_iterations() const { return iterations_.value().item<std::int64_t>(); }

std::int64_t Optimizer::iterations() const {
  const std::int64_t raw = raw_iterations();
  const auto steps = options_.gradient_accumulation_steps.value_or(0);
  return steps ? raw / steps : raw;
}

double Optimizer::learning_rate() const {
  if (learning_rate_.schedule()) return (*learning_rate_.schedule())(raw_iterations());
  return learning_rate_.value();
}

void Optimizer::set_learning_rate(double value) {
  if (learning_rate_.schedule()) {
    throw TypeError(
        "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
        "constructor argument, hence its learning rate is not settable. If you need the learning "
        "rate to be settable, you should instantiate the optimizer with a float `learning_rate` "
        "argument.");
  }
  learning_rate_ = LearningRate(value);
}

std::vector<Variable> Optimizer::variables() const {
  std::vector<Variable> out{iterations_};
  out.insert(out.end(), slots_.begin(), slots_.end());
  return out;
}

Variable Optimizer::add_variable_from_reference(const Variable& reference, const std::string& name,
                                                double fill) {
  std::string ref = reference.name();
  std::replace(ref.begin(), ref.end(), '/', '_');
  std::replace(ref.begin(), ref.end(), ':', '_');
  Variable slot(ops::full(reference.shape(), fill, reference.dtype()),
                {.name = ref + "_" + (name.empty() ? std::string("var") : name), .trainable = false});
  slots_.push_back(slot);
  return slot;
}

Variable Optimizer::add_variable(const Shape& shape, const std::string& name, DType dtype, double fill) {
  Variable slot(ops::full(shape, fill, dtype), {.name = name, .trainable = false});
  slots_.push_back(slot);
  return slot;
}

void Optimizer::build(const std::vector<Variable>& variables) {
  if (built_) return;
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (!variables[i].defined()) throw ValueError("Optimizer.build got an undefined variable");
    index_of_[variables[i].id()] = i;
  }
  trainable_ = variables;
  if (options_.use_ema) {
    for (const auto& v : variables) averages_.push_back(add_variable_from_reference(v, "average"));
  }
  if (options_.gradient_accumulation_steps.value_or(0)) {
    for (const auto& v : variables) accumulators_.push_back(add_variable_from_reference(v, "gradient_accumulator"));
  }
  build_slots(variables);
  built_ = true;
}

std::size_t Optimizer::slot_index(const Variable& variable) const {
  const auto it = index_of_.find(variable.id());
  if (it == index_of_.end()) {
    throw ValueError("Unknown variable: '" + variable.name() +
                     "'. This optimizer can only be called for the variables it was originally built "
                     "with. When working with a new set of variables, you should recreate a new "
                     "optimizer instance.");
  }
  return it->second;
}

void Optimizer::set_constraint(const Variable& variable, constraints::ConstraintPtr constraint) {
  if (constraint) {
    constraints_[variable.id()] = std::move(constraint);
  } else {
    constraints_.erase(variable.id());
  }
}

void Optimizer::exclude_from_weight_decay(const std::vector<Variable>& var_list,
                                          const std::vector<std::string>& var_names) {
  if (built_) {
    throw ValueError("`exclude_from_weight_decay()` can only be configured before the optimizer is built.");
  }
  no_decay_ids_.clear();
  for (const auto& v : var_list) no_decay_ids_.push_back(v.id());
  no_decay_names_ = var_names;
}

bool Optimizer::uses_weight_decay(const Variable& variable) const {
  if (std::find(no_decay_ids_.begin(), no_decay_ids_.end(), variable.id()) != no_decay_ids_.end()) return false;
  for (const auto& pattern : no_decay_names_) {
    if (std::regex_search(variable.name(), std::regex(pattern))) return false;
  }
  return true;
}

std::vector<Tensor> Optimizer::clip(std::vector<Tensor> grads) const {
  if (options_.clipnorm && *options_.clipnorm > 0) {
    const double c = *options_.clipnorm;
    for (auto& g : grads) {
      Tensor norm = ops::sqrt(ops::sum(ops::square(g)));
      g = ops::divide(ops::multiply(g, c), ops::maximum(norm, c));
    }
  } else if (options_.global_clipnorm && *options_.global_clipnorm > 0) {
    const double c = *options_.global_clipnorm;
    std::vector<Tensor> squared;
    squared.reserve(grads.size());
    for (const auto& g : grads) squared.push_back(ops::sum(ops::square(g)));
    Tensor norm = ops::sqrt(ops::sum(ops::stack(squared)));
    // c·min(1/N, 1/c), plus (N − N) so that a non-finite norm gives NaN, as Keras.
    Tensor scale = ops::add(ops::multiply(ops::minimum(ops::divide(1.0, norm), 1.0 / c), c),
                            ops::subtract(norm, norm));
    for (auto& g : grads) g = ops::multiply(g, ops::cast(scale, g.dtype()));
  } else if (options_.clipvalue && *options_.clipvalue > 0) {
    const double v = *options_.clipvalue;
    for (auto& g : grads) g = ops::clip(g, -v, v);
  }
  return grads;
}

void Optimizer::apply_weight_decay(const std::vector<Variable>& variables, double lr) {
  if (!options_.weight_decay) return;
  const double wd = *options_.weight_decay;
  for (const auto& v : variables) {
    if (!uses_weight_decay(v)) continue;
    Variable var = v;
    Tensor decayed = ops::subtract(detail::read(var), ops::multiply(ops::multiply(detail::read(var), wd), lr));
    var.assign(decayed);
  }
}

void Optimizer::apply_constraints(const std::vector<Variable>& variables) {
  for (const auto& v : variables) {
    const auto it = constraints_.find(v.id());
    if (it == constraints_.end()) continue;
    Variable var = v;
    Tensor projected = ops::stop_gradient((*it->second)(detail::read(var)));
    var.assign(projected);
  }
}

void Optimizer::update(const std::vector<Tensor>& grads, const std::vector<Variable>& variables) {
  const double lr = learning_rate();
  const std::vector<Tensor> clipped = clip(grads);
  apply_weight_decay(variables, lr);
  const std::int64_t step = iterations() + 1;
  before_update(step);
  for (std::size_t i = 0; i < variables.size(); ++i) {
    Variable var = variables[i];
    update_step(clipped[i], var, slot_index(var), lr, step);
  }
}

void Optimizer::update_moving_averages() {
  const bool first_step = iterations() == 0;
  const double momentum = first_step ? 0.0 : options_.ema_momentum;
  for (std::size_t i = 0; i < trainable_.size(); ++i) {
    Variable average = averages_[i];
    Tensor updated = ops::add(ops::multiply(detail::read(average), momentum),
                              ops::multiply(detail::read(trainable_[i]), 1.0 - momentum));
    average.assign(updated);
  }
  const auto frequency = options_.ema_overwrite_frequency.value_or(0);
  if (frequency > 0 && (iterations() + 1) % frequency == 0) finalize_variable_values(trainable_);
}

void Optimizer::finalize_variable_values(const std::vector<Variable>& variables) {
  if (!options_.use_ema) return;
  if (variables.size() != averages_.size()) {
    throw ValueError("The length of model variables (" + std::to_string(variables.size()) +
                     ") to override does not match the length of model variables stored in the "
                     "optimizer (" + std::to_string(averages_.size()) +
                     "). Please check if the optimizer was called on your model.");
  }
  for (std::size_t i = 0; i < variables.size(); ++i) {
    Variable var = variables[i];
    Tensor average = detail::read(averages_[i]);
    var.assign(average);
  }
}

void Optimizer::apply(const std::vector<Tensor>& grads, const std::vector<Variable>& variables) {
  if (grads.empty()) return;
  std::vector<Variable> vars = variables;
  if (vars.empty()) {
    if (!built_) {
      throw ValueError("When passing `grads` without `variables`, the optimizer must already be built on a "
                       "list of variables. Call `optimizer.build(trainable_variables)` first.");
    }
    vars = trainable_;
  }
  if (grads.size() != vars.size()) {
    throw ValueError("Received " + std::to_string(grads.size()) + " gradients for " +
                     std::to_string(vars.size()) + " variables");
  }
  if (!built_) build(vars);
  for (const auto& v : vars) (void)slot_index(v);

  // 1. Drop the variables without a gradient.
  std::vector<Tensor> gs;
  std::vector<Variable> vs;
  for (std::size_t i = 0; i < grads.size(); ++i) {
    if (!grads[i].defined()) continue;
    if (grads[i].shape() != vars[i].shape()) {
      throw ValueError("Gradient of shape " + shape_str(grads[i].shape()) + " for variable '" +
                       vars[i].name() + "' of shape " + shape_str(vars[i].shape()));
    }
    gs.push_back(ops::stop_gradient(grads[i]));
    vs.push_back(vars[i]);
  }
  if (gs.empty()) throw ValueError("No gradients provided for any variable.");

  // 2. Undo the loss scaling.
  if (options_.loss_scale_factor) {
    for (auto& g : gs) g = ops::divide(g, *options_.loss_scale_factor);
  }

  // 3-5. Clip, decay and update (every k-th call with gradient accumulation).
  const auto steps = options_.gradient_accumulation_steps.value_or(0);
  if (steps) {
    const bool is_update_step = (raw_iterations() + 1) % steps == 0;
    if (is_update_step) {
      for (std::size_t i = 0; i < gs.size(); ++i) {
        gs[i] = ops::divide(ops::add(gs[i], detail::read(accumulators_[slot_index(vs[i])])),
                            static_cast<double>(steps));
      }
      update(gs, vs);
      for (auto& acc : accumulators_) acc.assign(ops::zeros(acc.shape(), acc.dtype()));
    } else {
      for (std::size_t i = 0; i < gs.size(); ++i) {
        Variable acc = accumulators_[slot_index(vs[i])];
        Tensor summed = ops::add(gs[i], detail::read(acc));
        acc.assign(summed);
      }
    }
  } else {
    update(gs, vs);
  }

  // Moving averages (and their periodic overwrite), then constraints, then the counter.
  if (options_.use_ema) update_moving_averages();
  apply_constraints(vs);
  Tensor next = ops::add(detail::read(iterations_), 1);
  iterations_.assign(next);
}

void Optimizer::apply_gradients(const std::vector<std::pair<Tensor, Variable>>& grads_and_vars) {
  std::vector<Tensor> grads;
  std::vector<Variable> vars;
  for (const auto& [g, v] : grads_and_vars) {
    grads.push_back(g);
    vars.push_back(v);
  }
  apply(grads, vars);
}

json Optimizer::get_config() const {
  json config = {
      {"name", options_.name},
      {"learning_rate", learning_rate_.schedule() ? schedules::serialize(*learning_rate_.schedule())
                                                  : json(learning_rate_.value())},
      {"weight_decay", optional_json(options_.weight_decay)},
      {"clipnorm", optional_json(options_.clipnorm)},
      {"global_clipnorm", optional_json(options_.global_clipnorm)},
      {"clipvalue", optional_json(options_.clipvalue)},
      {"use_ema", options_.use_ema},
      {"ema_momentum", options_.ema_momentum},
      {"ema_overwrite_frequency", optional_json(options_.ema_overwrite_frequency)},
      {"loss_scale_factor", optional_json(options_.loss_scale_factor)},
      {"gradient_accumulation_steps", optional_json(options_.gradient_accumulation_steps)},
  };
  const json own = own_config();
  config.update(own);
  return config;
}

}  // namespace keras::optimizers
