// The learning-rate schedules (keras/src/optimizers/schedules/learning_rate_schedule.py),
// computed on the host in double precision.
#include "keras/optimizers/schedules.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numbers>

#include "keras/errors.hpp"
#include "optimizers/config_reader.hpp"
#include "utils/object_config.hpp"

namespace keras::optimizers::schedules {

using nlohmann::json;

LearningRateSchedule::~LearningRateSchedule() = default;

namespace {

void check_positive_steps(double steps, const char* key) {
  if (!(steps > 0)) {
    throw ValueError(std::string("Argument `") + key + "` must be > 0. Received: " + key + "=" +
                     keras::detail::python_float(steps));
  }
}

// Python's repr of a float value in a config: an integral value still dumps as a float.
json float_json(double v) { return json(v); }

}  // namespace

// ---- ExponentialDecay ----

ExponentialDecay::ExponentialDecay(const ExponentialDecayOptions& options) : options_(options) {
  if (options_.decay_steps <= 0) {
    throw ValueError("Argument `decay_steps` must be > 0. Received: decay_steps=" +
                     std::to_string(options_.decay_steps));
  }
}

double ExponentialDecay::operator()(std::int64_t step) const {
  double p = static_cast<double>(step) / static_cast<double>(options_.decay_steps);
  if (options_.staircase) p = std::floor(p);
  return options_.initial_learning_rate * std::pow(options_.decay_rate, p);
}

json ExponentialDecay::get_config() const {
  return {{"initial_learning_rate", float_json(options_.initial_learning_rate)},
          {"decay_steps", options_.decay_steps},
          {"decay_rate", float_json(options_.decay_rate)},
          {"staircase", options_.staircase},
          {"name", options_.name}};
}

// ---- InverseTimeDecay ----

InverseTimeDecay::InverseTimeDecay(const InverseTimeDecayOptions& options) : options_(options) {
  check_positive_steps(options_.decay_steps, "decay_steps");
}

double InverseTimeDecay::operator()(std::int64_t step) const {
  double p = static_cast<double>(step) / options_.decay_steps;
  if (options_.staircase) p = std::floor(p);
  return options_.initial_learning_rate / (1.0 + options_.decay_rate * p);
}

json InverseTimeDecay::get_config() const {
  return {{"initial_learning_rate", float_json(options_.initial_learning_rate)},
          {"decay_steps", float_json(options_.decay_steps)},
          {"decay_rate", float_json(options_.decay_rate)},
          {"staircase", options_.staircase},
          {"name", options_.name}};
}

// ---- PiecewiseConstantDecay ----

PiecewiseConstantDecay::PiecewiseConstantDecay(const PiecewiseConstantDecayOptions& options)
    : options_(options) {
  if (options_.boundaries.size() + 1 != options_.values.size()) {
    throw ValueError("The length of boundaries should be 1 less than the length of values. "
                     "Received: boundaries=" + json(options_.boundaries).dump() + " of length " +
                     std::to_string(options_.boundaries.size()) + ", and values=" +
                     json(options_.values).dump() + " of length " +
                     std::to_string(options_.values.size()) + ".");
  }
  if (options_.boundaries.empty()) {
    throw ValueError("PiecewiseConstantDecay needs at least one boundary");
  }
}

double PiecewiseConstantDecay::operator()(std::int64_t step) const {
  const auto& b = options_.boundaries;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (step <= b[i]) return options_.values[i];
  }
  return options_.values.back();
}

json PiecewiseConstantDecay::get_config() const {
  return {{"boundaries", options_.boundaries}, {"values", options_.values}, {"name", options_.name}};
}

// ---- PolynomialDecay ----

PolynomialDecay::PolynomialDecay(const PolynomialDecayOptions& options) : options_(options) {
  if (options_.decay_steps <= 0) {
    throw ValueError("Argument `decay_steps` must be > 0. Received: decay_steps=" +
                     std::to_string(options_.decay_steps));
  }
}

double PolynomialDecay::operator()(std::int64_t step) const {
  double s = static_cast<double>(step);
  double d = static_cast<double>(options_.decay_steps);
  if (options_.cycle) {
    const double multiplier = s == 0 ? 1.0 : std::ceil(s / d);
    d *= multiplier;
  } else {
    s = std::min(s, d);
  }
  const double p = s / d;
  return (options_.initial_learning_rate - options_.end_learning_rate) * std::pow(1.0 - p, options_.power) +
         options_.end_learning_rate;
}

json PolynomialDecay::get_config() const {
  return {{"initial_learning_rate", float_json(options_.initial_learning_rate)},
          {"decay_steps", options_.decay_steps},
          {"end_learning_rate", float_json(options_.end_learning_rate)},
          {"power", float_json(options_.power)},
          {"cycle", options_.cycle},
          {"name", options_.name}};
}

// ---- CosineDecay ----

CosineDecay::CosineDecay(const CosineDecayOptions& options) : options_(options) {
  if (options_.decay_steps <= 0) {
    throw ValueError("Argument `decay_steps` must be > 0. Received: decay_steps=" +
                     std::to_string(options_.decay_steps));
  }
}

double CosineDecay::operator()(std::int64_t step) const {
  const double decay_steps = static_cast<double>(options_.decay_steps);
  auto decay = [&](double s, double from) {
    const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * (s / decay_steps)));
    return from * ((1.0 - options_.alpha) * cosine + options_.alpha);
  };
  double s = static_cast<double>(step);
  if (!options_.warmup_target) return decay(std::min(s, decay_steps), options_.initial_learning_rate);
  const double warmup_steps = static_cast<double>(options_.warmup_steps);
  const double target = *options_.warmup_target;
  s = std::min(s, decay_steps + warmup_steps);
  if (s < warmup_steps) {
    return (target - options_.initial_learning_rate) * (s / warmup_steps) + options_.initial_learning_rate;
  }
  return decay(s - warmup_steps, target);
}

json CosineDecay::get_config() const {
  return {{"initial_learning_rate", float_json(options_.initial_learning_rate)},
          {"decay_steps", options_.decay_steps},
          {"alpha", float_json(options_.alpha)},
          {"name", options_.name},
          {"warmup_target", options_.warmup_target ? json(*options_.warmup_target) : json(nullptr)},
          {"warmup_steps", options_.warmup_steps}};
}

// ---- CosineDecayRestarts ----

CosineDecayRestarts::CosineDecayRestarts(const CosineDecayRestartsOptions& options) : options_(options) {
  if (options_.first_decay_steps <= 0) {
    throw ValueError("Argument `first_decay_steps` must be > 0. Received: first_decay_steps=" +
                     std::to_string(options_.first_decay_steps));
  }
}

double CosineDecayRestarts::operator()(std::int64_t step) const {
  const double t_mul = options_.t_mul;
  double fraction = static_cast<double>(step) / static_cast<double>(options_.first_decay_steps);
  double i_restart = 0.0;
  if (t_mul == 1.0) {
    i_restart = std::floor(fraction);
    fraction -= i_restart;
  } else {
    i_restart = std::floor(std::log(1.0 - fraction * (1.0 - t_mul)) / std::log(t_mul));
    const double sum_r = (1.0 - std::pow(t_mul, i_restart)) / (1.0 - t_mul);
    fraction = (fraction - sum_r) / std::pow(t_mul, i_restart);
  }
  const double m_fac = std::pow(options_.m_mul, i_restart);
  const double cosine = 0.5 * m_fac * (1.0 + std::cos(std::numbers::pi * fraction));
  return options_.initial_learning_rate * ((1.0 - options_.alpha) * cosine + options_.alpha);
}

json CosineDecayRestarts::get_config() const {
  return {{"initial_learning_rate", float_json(options_.initial_learning_rate)},
          {"first_decay_steps", options_.first_decay_steps},
          {"t_mul", float_json(options_.t_mul)},
          {"m_mul", float_json(options_.m_mul)},
          {"alpha", float_json(options_.alpha)},
          {"name", options_.name}};
}

// ---- serialization ----

json serialize(const LearningRateSchedule& schedule) {
  return keras::detail::keras_object("keras.optimizers.schedules", schedule.class_name(),
                                     schedule.get_config());
}

namespace {

using Factory = std::function<LearningRateSchedulePtr(detail::KwargsReader&)>;

const std::map<std::string, Factory>& schedule_registry() {
  static const std::map<std::string, Factory> table = {
      {"ExponentialDecay",
       [](detail::KwargsReader& c) -> LearningRateSchedulePtr {
         return std::make_shared<ExponentialDecay>(
             ExponentialDecayOptions{.initial_learning_rate = c.number("initial_learning_rate", 0.0),
                                     .decay_steps = c.integer("decay_steps", 0),
                                     .decay_rate = c.number("decay_rate", 0.0),
                                     .staircase = c.boolean("staircase", false),
                                     .name = c.string("name", "ExponentialDecay")});
       }},
      {"InverseTimeDecay",
       [](detail::KwargsReader& c) -> LearningRateSchedulePtr {
         return std::make_shared<InverseTimeDecay>(
             InverseTimeDecayOptions{.initial_learning_rate = c.number("initial_learning_rate", 0.0),
                                     .decay_steps = c.number("decay_steps", 0.0),
                                     .decay_rate = c.number("decay_rate", 0.0),
                                     .staircase = c.boolean("staircase", false),
                                     .name = c.string("name", "InverseTimeDecay")});
       }},
      {"PiecewiseConstantDecay",
       [](detail::KwargsReader& c) -> LearningRateSchedulePtr {
         PiecewiseConstantDecayOptions o;
         if (const auto* b = c.raw("boundaries")) o.boundaries = b->get<std::vector<std::int64_t>>();
         if (const auto* v = c.raw("values")) o.values = v->get<std::vector<double>>();
         o.name = c.string("name", "PiecewiseConstant");
         return std::make_shared<PiecewiseConstantDecay>(o);
       }},
      {"PolynomialDecay",
       [](detail::KwargsReader& c) -> LearningRateSchedulePtr {
         return std::make_shared<PolynomialDecay>(
             PolynomialDecayOptions{.initial_learning_rate = c.number("initial_learning_rate", 0.0),
                                    .decay_steps = c.integer("decay_steps", 0),
                                    .end_learning_rate = c.number("end_learning_rate", 0.0001),
                                    .power = c.number("power", 1.0),
                                    .cycle = c.boolean("cycle", false),
                                    .name = c.string("name", "PolynomialDecay")});
       }},
      {"CosineDecay",
       [](detail::KwargsReader& c) -> LearningRateSchedulePtr {
         return std::make_shared<CosineDecay>(
             CosineDecayOptions{.initial_learning_rate = c.number("initial_learning_rate", 0.0),
                                .decay_steps = c.integer("decay_steps", 0),
                                .alpha = c.number("alpha", 0.0),
                                .name = c.string("name", "CosineDecay"),
                                .warmup_target = c.optional_number("warmup_target"),
                                .warmup_steps = c.integer("warmup_steps", 0)});
       }},
      {"CosineDecayRestarts",
       [](detail::KwargsReader& c) -> LearningRateSchedulePtr {
         return std::make_shared<CosineDecayRestarts>(CosineDecayRestartsOptions{
             .initial_learning_rate = c.number("initial_learning_rate", 0.0),
             .first_decay_steps = c.integer("first_decay_steps", 0),
             .t_mul = c.number("t_mul", 2.0),
             .m_mul = c.number("m_mul", 1.0),
             .alpha = c.number("alpha", 0.0),
             .name = c.string("name", "SGDRDecay")});
       }},
  };
  return table;
}

}  // namespace

LearningRateSchedulePtr deserialize(const json& config) {
  const auto id = keras::detail::parse_object_dict(config, "learning rate schedule");
  const auto& table = schedule_registry();
  const auto it = table.find(id.class_name);
  if (it == table.end()) {
    throw TypeError("Could not locate class '" + id.class_name +
                    "'. Make sure custom classes are registered before loading them. "
                    "Full object config: " + config.dump());
  }
  detail::KwargsReader reader(id.config, id.class_name);
  auto schedule = it->second(reader);
  const auto unread = reader.unread();
  if (!unread.empty()) {
    throw TypeError(id.class_name + ".__init__() got an unexpected keyword argument '" + unread.front() +
                    "'");
  }
  return schedule;
}

}  // namespace keras::optimizers::schedules
