// MaxNorm, MinMaxNorm, NonNeg, UnitNorm, callables, and keras.constraints.get / serialize.
#include "keras/constraints.hpp"

#include <cmath>

#include "keras/ops/math.hpp"
#include "keras/ops/reduction.hpp"
#include "utils/object_config.hpp"

namespace keras::constraints {

namespace {

using detail::ConfigReader;
using Factory = std::function<ConstraintPtr(ConfigReader&)>;

// Keras's backend.epsilon().
constexpr double kEpsilon = 1e-7;

Tensor checked(const Tensor& w, const std::string& who) {
  if (!w.defined()) throw ValueError(who + ": the weight tensor is undefined");
  if (!is_floating(w.dtype())) {
    throw ValueError(who + " needs a floating weight, got dtype=" + std::string(dtype_name(w.dtype())));
  }
  return w;
}

// sqrt(sum(w^2, axis, keepdims)).
Tensor norms_of(const Tensor& w, const NormAxis& axis) {
  return ops::sqrt(ops::sum(ops::square(w), ops::Axes(axis.axes()), true));
}

// w * desired / (epsilon + norms), the rescaling every norm constraint ends with.
Tensor rescale(const Tensor& w, const Tensor& desired, const Tensor& norms) {
  return ops::multiply(w, ops::divide(desired, ops::add(kEpsilon, norms)));
}

NormAxis read_axis(ConfigReader& c) {
  bool is_list = false;
  std::vector<std::int64_t> axes = c.int_or_list("axis", is_list, 0);
  return is_list ? NormAxis(std::move(axes)) : NormAxis(axes.front());
}

// An integral max_value is written as an int, as Keras writes its default `2`.
nlohmann::json number_json(double value) {
  const bool integral = std::isfinite(value) && value == std::floor(value) && std::abs(value) < 9e15;
  return integral ? nlohmann::json(static_cast<std::int64_t>(value)) : nlohmann::json(value);
}

const detail::Registry<ConstraintPtr>& registry() {
  static const detail::Registry<ConstraintPtr> table = [] {
    const Factory max_norm = [](ConfigReader& c) -> ConstraintPtr {
      MaxNormOptions o{.max_value = c.number("max_value", 2)};
      o.axis = read_axis(c);
      return std::make_shared<const MaxNorm>(o);
    };
    const Factory min_max_norm = [](ConfigReader& c) -> ConstraintPtr {
      MinMaxNormOptions o{.min_value = c.number("min_value", 0.0),
                          .max_value = c.number("max_value", 1.0),
                          .rate = c.number("rate", 1.0)};
      o.axis = read_axis(c);
      return std::make_shared<const MinMaxNorm>(o);
    };
    const Factory non_neg = [](ConfigReader&) -> ConstraintPtr { return std::make_shared<const NonNeg>(); };
    const Factory unit_norm = [](ConfigReader& c) -> ConstraintPtr {
      return std::make_shared<const UnitNorm>(UnitNormOptions{.axis = read_axis(c)});
    };
    return detail::Registry<ConstraintPtr>{
        {"MaxNorm", max_norm},   {"max_norm", max_norm},   {"MinMaxNorm", min_max_norm},
        {"min_max_norm", min_max_norm}, {"NonNeg", non_neg}, {"non_neg", non_neg},
        {"UnitNorm", unit_norm}, {"unit_norm", unit_norm},
    };
  }();
  return table;
}

}  // namespace

nlohmann::json NormAxis::to_json() const {
  return is_list_ ? nlohmann::json(axes_) : nlohmann::json(axes_.front());
}

Constraint::~Constraint() = default;

nlohmann::json Constraint::get_config() const { return nlohmann::json::object(); }

Tensor MaxNorm::operator()(const Tensor& w) const {
  checked(w, "MaxNorm");
  Tensor norms = norms_of(w, options_.axis);
  return rescale(w, ops::clip(norms, 0.0, options_.max_value), norms);
}

nlohmann::json MaxNorm::get_config() const {
  return {{"max_value", number_json(options_.max_value)}, {"axis", options_.axis.to_json()}};
}

Tensor MinMaxNorm::operator()(const Tensor& w) const {
  checked(w, "MinMaxNorm");
  Tensor norms = norms_of(w, options_.axis);
  Tensor desired = ops::add(ops::multiply(options_.rate, ops::clip(norms, options_.min_value, options_.max_value)),
                            ops::multiply(1.0 - options_.rate, norms));
  return rescale(w, desired, norms);
}

nlohmann::json MinMaxNorm::get_config() const {
  return {{"min_value", options_.min_value},
          {"max_value", options_.max_value},
          {"rate", options_.rate},
          {"axis", options_.axis.to_json()}};
}

Tensor NonNeg::operator()(const Tensor& w) const { return ops::maximum(checked(w, "NonNeg"), 0.0); }

Tensor UnitNorm::operator()(const Tensor& w) const {
  checked(w, "UnitNorm");
  return ops::divide(w, ops::add(kEpsilon, norms_of(w, options_.axis)));
}

nlohmann::json UnitNorm::get_config() const { return {{"axis", options_.axis.to_json()}}; }

FunctionConstraint::FunctionConstraint(ConstraintFunction fn) : fn_(std::move(fn)) {
  if (!fn_) throw ValueError("FunctionConstraint: the callable is empty");
}

Tensor FunctionConstraint::operator()(const Tensor& w) const { return fn_(w); }

nlohmann::json FunctionConstraint::get_config() const {
  throw NotImplementedError(
      "A C++ callable constraint cannot be serialized (it has no get_config()). Subclass "
      "keras::constraints::Constraint and override class_name() and get_config() to make it "
      "serializable.");
}

ConstraintArg::ConstraintArg(const char* name) : ConstraintArg(std::string(name)) {}

ConstraintArg::ConstraintArg(const std::string& name) : ptr_(get(name)) {}

const Constraint& ConstraintArg::operator*() const {
  if (!ptr_) throw ValueError("This constraint argument is empty (None): there is no constraint to call");
  return *ptr_;
}

ConstraintPtr get(const nlohmann::json& identifier) {
  if (identifier.is_null()) return nullptr;
  if (identifier.is_object()) {
    return detail::deserialize_object(registry(), detail::parse_object_dict(identifier, "constraint"),
                                      identifier);
  }
  if (identifier.is_string() && registry().count(identifier.get<std::string>()) != 0) {
    return detail::deserialize_object(registry(), {identifier.get<std::string>(), nlohmann::json::object()},
                                      identifier);
  }
  throw ValueError("Could not interpret constraint identifier: " +
                   (identifier.is_string() ? identifier.get<std::string>() : identifier.dump()));
}

nlohmann::json serialize(const Constraint& constraint) {
  return detail::keras_object("keras.constraints", constraint.class_name(), constraint.get_config());
}

nlohmann::json serialize(const ConstraintArg& constraint) {
  return constraint ? serialize(*constraint) : nlohmann::json(nullptr);
}

}  // namespace keras::constraints
