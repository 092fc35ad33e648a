// The concrete optimizers (keras/src/optimizers/{sgd,rmsprop,adam,adamw,adagrad,adadelta,
// adamax,nadam,lion}.py) and optimizers::get. Updates run in the variable's dtype; scalar
// hyperparameters enter as weak scalars (Keras casts them to the variable's dtype). SGD,
// RMSprop and Adam (with AdamW, the common choices) run as one fused kernel per variable
// (kernels::UpdateRule); the others as ops.
#include <cmath>
#include <functional>
#include <map>

#include "keras/errors.hpp"
#include "keras/ops.hpp"
#include "keras/optimizers.hpp"
#include "optimizers/config_reader.hpp"
#include "optimizers/update_util.hpp"
#include "utils/object_config.hpp"

namespace keras::optimizers {

using nlohmann::json;
using detail::read;

namespace {

Tensor as_dtype(const Tensor& g, DType dtype) { return g.dtype() == dtype ? g : ops::cast(g, dtype); }

// variable ← variable − delta, in place.
void assign_sub(Variable& variable, const Tensor& delta) {
  Tensor updated = ops::subtract(read(variable), delta);
  variable.assign(updated);
}

void assign_add(Variable& variable, const Tensor& delta) {
  Tensor updated = ops::add(read(variable), delta);
  variable.assign(updated);
}

}  // namespace

// ---- SGD ----

SGD::SGD(const SGDOptions& options)
    : Optimizer(options.learning_rate, base_options(options), "SGD"), options_(options) {
  if (options_.momentum < 0 || options_.momentum > 1) {
    throw ValueError("`momentum` must be a float between [0, 1].");
  }
}

void SGD::build_slots(const std::vector<Variable>& variables) {
  if (options_.momentum == 0) return;
  for (const auto& v : variables) momentums_.push_back(add_variable_from_reference(v, "momentum"));
}

void SGD::update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr, std::int64_t) {
  detail::fused_update({.rule = kernels::UpdateRule::sgd,
                        .learning_rate = lr,
                        .momentum = options_.momentum,
                        .nesterov = options_.nesterov},
                       gradient, variable, {.momentum = options_.momentum == 0 ? nullptr : &momentums_[index]});
}

json SGD::own_config() const { return {{"momentum", options_.momentum}, {"nesterov", options_.nesterov}}; }

// ---- RMSprop ----

RMSprop::RMSprop(const RMSpropOptions& options)
    : Optimizer(options.learning_rate, base_options(options), "RMSprop"), options_(options) {}

void RMSprop::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables) velocities_.push_back(add_variable_from_reference(v, "velocity"));
  if (options_.momentum > 0) {
    for (const auto& v : variables) momentums_.push_back(add_variable_from_reference(v, "momentum"));
  }
  if (options_.centered) {
    for (const auto& v : variables) average_gradients_.push_back(add_variable_from_reference(v, "average_gradient"));
  }
}

void RMSprop::update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                          std::int64_t) {
  detail::fused_update(
      {.rule = kernels::UpdateRule::rmsprop,
       .learning_rate = lr,
       .momentum = options_.momentum,
       .rho = options_.rho,
       .epsilon = options_.epsilon},
      gradient, variable,
      {.momentum = options_.momentum > 0 ? &momentums_[index] : nullptr,
       .velocity = &velocities_[index],
       .average_gradient = options_.centered ? &average_gradients_[index] : nullptr});
}

json RMSprop::own_config() const {
  return {{"rho", options_.rho},
          {"momentum", options_.momentum},
          {"epsilon", options_.epsilon},
          {"centered", options_.centered}};
}

// ---- Adam ----

Adam::Adam(const AdamOptions& options) : Adam(options, "Adam") {}

Adam::Adam(const AdamOptions& options, std::string default_name)
    : Optimizer(options.learning_rate, base_options(options), std::move(default_name)), options_(options) {}

void Adam::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables) {
    momentums_.push_back(add_variable_from_reference(v, "momentum"));
    velocities_.push_back(add_variable_from_reference(v, "velocity"));
  }
  if (options_.amsgrad) {
    for (const auto& v : variables) velocity_hats_.push_back(add_variable_from_reference(v, "velocity_hat"));
  }
}

void Adam::update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                       std::int64_t step) {
  const double t = static_cast<double>(step);
  const double alpha =
      lr * std::sqrt(1 - std::pow(options_.beta_2, t)) / (1 - std::pow(options_.beta_1, t));
  detail::fused_update({.rule = kernels::UpdateRule::adam,
                        .learning_rate = alpha,
                        .beta_1 = options_.beta_1,
                        .beta_2 = options_.beta_2,
                        .epsilon = options_.epsilon},
                       gradient, variable,
                       {.momentum = &momentums_[index],
                        .velocity = &velocities_[index],
                        .velocity_hat = options_.amsgrad ? &velocity_hats_[index] : nullptr});
}

json Adam::own_config() const {
  return {{"beta_1", options_.beta_1},
          {"beta_2", options_.beta_2},
          {"epsilon", options_.epsilon},
          {"amsgrad", options_.amsgrad}};
}

// ---- AdamW ----

namespace {
AdamOptions adam_options(const AdamWOptions& o) {
  if (!o.weight_decay) {
    throw ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None");
  }
  AdamOptions a{.learning_rate = o.learning_rate,
                .beta_1 = o.beta_1,
                .beta_2 = o.beta_2,
                .epsilon = o.epsilon,
                .amsgrad = o.amsgrad};
  const OptimizerBaseOptions b = base_options(o);
  a.weight_decay = b.weight_decay;
  a.clipnorm = b.clipnorm;
  a.clipvalue = b.clipvalue;
  a.global_clipnorm = b.global_clipnorm;
  a.use_ema = b.use_ema;
  a.ema_momentum = b.ema_momentum;
  a.ema_overwrite_frequency = b.ema_overwrite_frequency;
  a.loss_scale_factor = b.loss_scale_factor;
  a.gradient_accumulation_steps = b.gradient_accumulation_steps;
  a.name = b.name;
  return a;
}
}  // namespace

AdamW::AdamW(const AdamWOptions& options) : Adam(adam_options(options), "AdamW") {}

// ---- Adagrad ----

Adagrad::Adagrad(const AdagradOptions& options)
    : Optimizer(options.learning_rate, base_options(options), "Adagrad"), options_(options) {}

void Adagrad::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables) {
    accumulators_.push_back(add_variable_from_reference(v, "accumulator", options_.initial_accumulator_value));
  }
}

void Adagrad::update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                          std::int64_t) {
  const Tensor g = as_dtype(gradient, variable.dtype());
  Variable& acc = accumulators_[index];
  assign_add(acc, ops::square(g));
  assign_sub(variable, ops::divide(ops::multiply(lr, g), ops::sqrt(ops::add(read(acc), options_.epsilon))));
}

json Adagrad::own_config() const {
  return {{"initial_accumulator_value", options_.initial_accumulator_value}, {"epsilon", options_.epsilon}};
}

// ---- Adadelta ----

Adadelta::Adadelta(const AdadeltaOptions& options)
    : Optimizer(options.learning_rate, base_options(options), "Adadelta"), options_(options) {}

void Adadelta::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables) {
    accumulated_grads_.push_back(add_variable_from_reference(v, "accumulated_grad"));
    accumulated_delta_vars_.push_back(add_variable_from_reference(v, "accumulated_delta_var"));
  }
}

void Adadelta::update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                           std::int64_t) {
  const Tensor g = as_dtype(gradient, variable.dtype());
  const double rho = options_.rho;
  const double eps = options_.epsilon;
  Variable& acc_grad = accumulated_grads_[index];
  Variable& acc_delta = accumulated_delta_vars_[index];
  auto rms = [eps](const Tensor& x) { return ops::sqrt(ops::add(x, eps)); };
  Tensor new_grad = ops::add(ops::multiply(read(acc_grad), rho), ops::multiply(1 - rho, ops::square(g)));
  acc_grad.assign(new_grad);
  new_grad = Tensor();
  Tensor delta = ops::negative(ops::divide(ops::multiply(rms(read(acc_delta)), g), rms(read(acc_grad))));
  Tensor new_delta = ops::add(ops::multiply(rho, read(acc_delta)), ops::multiply(1 - rho, ops::square(delta)));
  acc_delta.assign(new_delta);
  assign_add(variable, ops::multiply(lr, delta));
}

json Adadelta::own_config() const { return {{"rho", options_.rho}, {"epsilon", options_.epsilon}}; }

// ---- Adamax ----

Adamax::Adamax(const AdamaxOptions& options)
    : Optimizer(options.learning_rate, base_options(options), "Adamax"), options_(options) {}

void Adamax::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables) {
    m_.push_back(add_variable_from_reference(v, "momentum"));
    u_.push_back(add_variable_from_reference(v, "norm"));
  }
}

void Adamax::update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                         std::int64_t step) {
  const Tensor g = as_dtype(gradient, variable.dtype());
  const double beta_1_power = std::pow(options_.beta_1, static_cast<double>(step));
  Variable& m = m_[index];
  Variable& u = u_[index];
  assign_add(m, ops::multiply(ops::subtract(g, read(m)), 1 - options_.beta_1));
  Tensor new_u = ops::maximum(ops::multiply(options_.beta_2, read(u)), ops::abs(g));
  u.assign(new_u);
  new_u = Tensor();
  assign_sub(variable, ops::divide(ops::multiply(lr, read(m)),
                                   ops::multiply(1 - beta_1_power, ops::add(read(u), options_.epsilon))));
}

json Adamax::own_config() const {
  return {{"beta_1", options_.beta_1}, {"beta_2", options_.beta_2}, {"epsilon", options_.epsilon}};
}

// ---- Nadam ----

Nadam::Nadam(const NadamOptions& options)
    : Optimizer(options.learning_rate, base_options(options), "Nadam"), options_(options) {}

void Nadam::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables) {
    momentums_.push_back(add_variable_from_reference(v, "momentum"));
    velocities_.push_back(add_variable_from_reference(v, "velocity"));
  }
  u_product_ = add_variable({}, "u_product", variables.empty() ? floatx() : variables.front().dtype(), 1.0);
}

void Nadam::before_update(std::int64_t step) {
  const double u_t = options_.beta_1 * (1.0 - 0.5 * std::pow(0.96, static_cast<double>(step)));
  Tensor updated = ops::multiply(read(u_product_), u_t);
  u_product_.assign(updated);
}

void Nadam::update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr,
                        std::int64_t step) {
  const DType dtype = variable.dtype();
  const Tensor g = as_dtype(gradient, dtype);
  const double beta_1 = options_.beta_1;
  const double beta_2 = options_.beta_2;
  const double u_t = beta_1 * (1.0 - 0.5 * std::pow(0.96, static_cast<double>(step)));
  const double u_t_1 = beta_1 * (1.0 - 0.5 * std::pow(0.96, static_cast<double>(step + 1)));
  const Tensor u_product_t = as_dtype(read(u_product_), dtype);
  const Tensor u_product_t_1 = ops::multiply(u_product_t, u_t_1);
  const double beta_2_power = std::pow(beta_2, static_cast<double>(step));
  Variable& m = momentums_[index];
  Variable& v = velocities_[index];
  assign_add(m, ops::multiply(ops::subtract(g, read(m)), 1 - beta_1));
  assign_add(v, ops::multiply(ops::subtract(ops::square(g), read(v)), 1 - beta_2));
  Tensor m_hat = ops::add(ops::divide(ops::multiply(u_t_1, read(m)), ops::subtract(1.0, u_product_t_1)),
                          ops::divide(ops::multiply(1 - u_t, g), ops::subtract(1.0, u_product_t)));
  Tensor v_hat = ops::divide(read(v), 1 - beta_2_power);
  assign_sub(variable, ops::divide(ops::multiply(m_hat, lr), ops::add(ops::sqrt(v_hat), options_.epsilon)));
}

json Nadam::own_config() const {
  return {{"beta_1", options_.beta_1}, {"beta_2", options_.beta_2}, {"epsilon", options_.epsilon}};
}

// ---- Lion ----

Lion::Lion(const LionOptions& options)
    : Optimizer(options.learning_rate, base_options(options), "Lion"), options_(options) {
  if (options_.beta_1 <= 0 || options_.beta_1 > 1) {
    throw ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to "
                     "SignSGD. Received: beta_1=" + json(options_.beta_1).dump() + ".");
  }
}

void Lion::build_slots(const std::vector<Variable>& variables) {
  for (const auto& v : variables) momentums_.push_back(add_variable_from_reference(v, "momentum"));
}

void Lion::update_step(const Tensor& gradient, Variable& variable, std::size_t index, double lr, std::int64_t) {
  const Tensor g = as_dtype(gradient, variable.dtype());
  const double beta_1 = options_.beta_1;
  const double beta_2 = options_.beta_2;
  Variable& m = momentums_[index];
  assign_sub(variable,
             ops::multiply(lr, ops::sign(ops::add(ops::multiply(read(m), beta_1), ops::multiply(g, 1.0 - beta_1)))));
  Tensor new_m = ops::add(ops::multiply(read(m), beta_2), ops::multiply(g, 1.0 - beta_2));
  m.assign(new_m);
}

json Lion::own_config() const { return {{"beta_1", options_.beta_1}, {"beta_2", options_.beta_2}}; }

// ---- serialization and get ----

json serialize(const Optimizer& optimizer) {
  return keras::detail::keras_object("keras.optimizers", optimizer.class_name(), optimizer.get_config());
}

namespace {

using Reader = detail::KwargsReader;

// The base arguments (and learning_rate) from a config; absent keys keep the defaults.
template <class Options>
void read_base(Reader& c, Options& o) {
  if (const json* lr = c.raw("learning_rate")) {
    if (lr->is_object()) {
      o.learning_rate = LearningRate(schedules::deserialize(*lr));
    } else if (lr->is_number()) {
      o.learning_rate = lr->get<double>();
    } else {
      throw ValueError("Argument `learning_rate` should be float, or an instance of LearningRateSchedule. "
                       "Received instead: learning_rate=" + lr->dump());
    }
  }
  if (const json* wd = c.raw("weight_decay")) {
    if (!wd->is_number()) throw TypeError("Optimizer config key 'weight_decay' must be a number or null");
    o.weight_decay = wd->get<double>();
  }
  o.clipnorm = c.optional_number("clipnorm");
  o.clipvalue = c.optional_number("clipvalue");
  o.global_clipnorm = c.optional_number("global_clipnorm");
  o.use_ema = c.boolean("use_ema", false);
  o.ema_momentum = c.number("ema_momentum", 0.99);
  o.ema_overwrite_frequency = c.optional_integer("ema_overwrite_frequency");
  o.loss_scale_factor = c.optional_number("loss_scale_factor");
  o.gradient_accumulation_steps = c.optional_integer("gradient_accumulation_steps");
  o.name = c.string("name", "");
  c.ignore("decay");  // accepted and ignored, as Keras (which warns)
}

void finish(const Reader& c) {
  const auto unread = c.unread();
  if (unread.empty()) return;
  std::string keys;
  for (const auto& k : unread) keys += (keys.empty() ? "'" : ", '") + k + "'";
  throw ValueError("Argument(s) not recognized: {" + keys + "}");
}

using Factory = std::function<OptimizerPtr(Reader&)>;

const std::map<std::string, Factory>& optimizer_registry() {
  static const std::map<std::string, Factory> table = {
      {"sgd",
       [](Reader& c) -> OptimizerPtr {
         SGDOptions o{.momentum = c.number("momentum", 0.0), .nesterov = c.boolean("nesterov", false)};
         read_base(c, o);
         finish(c);
         return std::make_shared<SGD>(o);
       }},
      {"rmsprop",
       [](Reader& c) -> OptimizerPtr {
         RMSpropOptions o{.rho = c.number("rho", 0.9),
                          .momentum = c.number("momentum", 0.0),
                          .epsilon = c.number("epsilon", 1e-7),
                          .centered = c.boolean("centered", false)};
         read_base(c, o);
         finish(c);
         return std::make_shared<RMSprop>(o);
       }},
      {"adam",
       [](Reader& c) -> OptimizerPtr {
         AdamOptions o{.beta_1 = c.number("beta_1", 0.9),
                       .beta_2 = c.number("beta_2", 0.999),
                       .epsilon = c.number("epsilon", 1e-7),
                       .amsgrad = c.boolean("amsgrad", false)};
         read_base(c, o);
         finish(c);
         return std::make_shared<Adam>(o);
       }},
      {"adamw",
       [](Reader& c) -> OptimizerPtr {
         AdamWOptions o{.beta_1 = c.number("beta_1", 0.9),
                        .beta_2 = c.number("beta_2", 0.999),
                        .epsilon = c.number("epsilon", 1e-7),
                        .amsgrad = c.boolean("amsgrad", false)};
         read_base(c, o);
         finish(c);
         return std::make_shared<AdamW>(o);
       }},
      {"adagrad",
       [](Reader& c) -> OptimizerPtr {
         AdagradOptions o{.initial_accumulator_value = c.number("initial_accumulator_value", 0.1),
                          .epsilon = c.number("epsilon", 1e-7)};
         read_base(c, o);
         finish(c);
         return std::make_shared<Adagrad>(o);
       }},
      {"adadelta",
       [](Reader& c) -> OptimizerPtr {
         AdadeltaOptions o{.rho = c.number("rho", 0.95), .epsilon = c.number("epsilon", 1e-7)};
         read_base(c, o);
         finish(c);
         return std::make_shared<Adadelta>(o);
       }},
      {"adamax",
       [](Reader& c) -> OptimizerPtr {
         AdamaxOptions o{.beta_1 = c.number("beta_1", 0.9),
                         .beta_2 = c.number("beta_2", 0.999),
                         .epsilon = c.number("epsilon", 1e-7)};
         read_base(c, o);
         finish(c);
         return std::make_shared<Adamax>(o);
       }},
      {"nadam",
       [](Reader& c) -> OptimizerPtr {
         NadamOptions o{.beta_1 = c.number("beta_1", 0.9),
                        .beta_2 = c.number("beta_2", 0.999),
                        .epsilon = c.number("epsilon", 1e-7)};
         read_base(c, o);
         finish(c);
         return std::make_shared<Nadam>(o);
       }},
      {"lion",
       [](Reader& c) -> OptimizerPtr {
         LionOptions o{.beta_1 = c.number("beta_1", 0.9), .beta_2 = c.number("beta_2", 0.99)};
         read_base(c, o);
         finish(c);
         return std::make_shared<Lion>(o);
       }},
  };
  return table;
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

OptimizerPtr get(const json& identifier) {
  if (identifier.is_null()) return nullptr;
  const auto& table = optimizer_registry();
  if (identifier.is_string()) {
    const std::string name = identifier.get<std::string>();
    const auto it = table.find(lower(name));
    if (it == table.end()) throw ValueError("Could not interpret optimizer identifier: " + name);
    const json empty = json::object();
    Reader reader(empty, name);
    return it->second(reader);
  }
  if (identifier.is_object()) {
    const auto id = keras::detail::parse_object_dict(identifier, "optimizer");
    const auto it = table.find(lower(id.class_name));
    if (it == table.end()) {
      throw TypeError("Could not locate class '" + id.class_name +
                      "'. Make sure custom classes are registered before loading them. Full object "
                      "config: " + identifier.dump());
    }
    Reader reader(id.config, id.class_name);
    return it->second(reader);
  }
  throw ValueError("Could not interpret optimizer identifier: " + identifier.dump());
}

}  // namespace keras::optimizers
