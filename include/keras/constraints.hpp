#pragma once
// Weight constraints (keras.constraints): projections applied to a weight after each
// optimizer update. Names, defaults, maths (epsilon 1e-7 beside the norms) and configs are
// Keras 3's.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::constraints {

class Constraint {
 public:
  virtual ~Constraint();
  // The projected weight.
  virtual Tensor operator()(const Tensor& w) const = 0;
  virtual std::string class_name() const = 0;
  // The constructor arguments ({} by default, as Keras).
  virtual nlohmann::json get_config() const;
};

using ConstraintPtr = std::shared_ptr<const Constraint>;

// The `axis` argument of the norm constraints: one axis (Keras's default 0: each column of
// a Dense kernel) or a list (e.g. {0, 1, 2}: each filter of a Conv2D kernel). It is
// serialized as given.
class NormAxis {
 public:
  NormAxis(int axis) : axes_{axis} {}  // NOLINT(google-explicit-constructor)
  NormAxis(std::int64_t axis) : axes_{axis} {}  // NOLINT(google-explicit-constructor)
  NormAxis(std::initializer_list<std::int64_t> axes) : axes_(axes), is_list_(true) {}
  NormAxis(std::vector<std::int64_t> axes) : axes_(std::move(axes)), is_list_(true) {}  // NOLINT

  const std::vector<std::int64_t>& axes() const { return axes_; }
  bool is_list() const { return is_list_; }
  nlohmann::json to_json() const;

 private:
  std::vector<std::int64_t> axes_;
  bool is_list_ = false;
};

struct MaxNormOptions {
  double max_value = 2;
  NormAxis axis = 0;
};
// w * clip(norms, 0, max_value) / (epsilon + norms), norms = sqrt(sum(w^2, axis)).
class MaxNorm final : public Constraint {
 public:
  explicit MaxNorm(const MaxNormOptions& options = {}) : options_(options) {}
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "MaxNorm"; }
  nlohmann::json get_config() const override;
  const MaxNormOptions& options() const { return options_; }

 private:
  MaxNormOptions options_;
};

struct MinMaxNormOptions {
  double min_value = 0.0;
  double max_value = 1.0;
  double rate = 1.0;
  NormAxis axis = 0;
};
// w * desired / (epsilon + norms), desired = rate * clip(norms, min_value, max_value)
// + (1 - rate) * norms.
class MinMaxNorm final : public Constraint {
 public:
  explicit MinMaxNorm(const MinMaxNormOptions& options = {}) : options_(options) {}
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "MinMaxNorm"; }
  nlohmann::json get_config() const override;
  const MinMaxNormOptions& options() const { return options_; }

 private:
  MinMaxNormOptions options_;
};

// maximum(w, 0).
class NonNeg final : public Constraint {
 public:
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "NonNeg"; }
};

struct UnitNormOptions {
  NormAxis axis = 0;
};
// w / (epsilon + sqrt(sum(w^2, axis))).
class UnitNorm final : public Constraint {
 public:
  explicit UnitNorm(const UnitNormOptions& options = {}) : options_(options) {}
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "UnitNorm"; }
  nlohmann::json get_config() const override;
  const UnitNormOptions& options() const { return options_; }

 private:
  UnitNormOptions options_;
};

// Keras's lower-case names for the classes.
inline MaxNorm max_norm(const MaxNormOptions& options = {}) { return MaxNorm(options); }
inline MinMaxNorm min_max_norm(const MinMaxNormOptions& options = {}) { return MinMaxNorm(options); }
inline NonNeg non_neg() { return NonNeg(); }
inline UnitNorm unit_norm(const UnitNormOptions& options = {}) { return UnitNorm(options); }

using ConstraintFunction = std::function<Tensor(const Tensor&)>;

// A C++ callable used as a constraint. It cannot be serialized: get_config() throws
// NotImplementedError.
class FunctionConstraint final : public Constraint {
 public:
  explicit FunctionConstraint(ConstraintFunction fn);
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "function"; }
  nlohmann::json get_config() const override;

 private:
  ConstraintFunction fn_;
};

// What a layer's `*_constraint` argument holds: nothing (the default, Keras's None), a
// name ("max_norm", "MaxNorm", "min_max_norm", "non_neg", "unit_norm", ...), a constraint
// object (copied), a shared pointer to one, or a C++ callable Tensor(const Tensor&).
class ConstraintArg {
 public:
  ConstraintArg() = default;
  ConstraintArg(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  ConstraintArg(const char* name);  // NOLINT(google-explicit-constructor)
  ConstraintArg(const std::string& name);  // NOLINT(google-explicit-constructor)
  template <class T>
    requires std::derived_from<T, Constraint>
  ConstraintArg(std::shared_ptr<T> constraint)  // NOLINT(google-explicit-constructor)
      : ptr_(std::move(constraint)) {}
  template <class T>
    requires std::derived_from<std::remove_cvref_t<T>, Constraint>
  ConstraintArg(T&& constraint)  // NOLINT(google-explicit-constructor)
      : ptr_(std::make_shared<const std::remove_cvref_t<T>>(std::forward<T>(constraint))) {}
  template <class F>
    requires(!std::derived_from<std::remove_cvref_t<F>, Constraint> &&
             !std::convertible_to<F, std::string> &&
             std::is_invocable_r_v<Tensor, F&, const Tensor&>)
  ConstraintArg(F fn)  // NOLINT(google-explicit-constructor)
      : ptr_(std::make_shared<const FunctionConstraint>(ConstraintFunction(std::move(fn)))) {}

  bool defined() const { return ptr_ != nullptr; }
  explicit operator bool() const { return defined(); }
  const ConstraintPtr& ptr() const { return ptr_; }
  // Throws ValueError when empty.
  const Constraint& operator*() const;
  const Constraint* operator->() const { return &**this; }
  Tensor operator()(const Tensor& w) const { return (**this)(w); }

 private:
  ConstraintPtr ptr_;
};

// keras.constraints.get: a name (ValueError "Could not interpret constraint identifier:
// <name>" when unknown) or a config dict (TypeError "Could not locate class ..." when its
// class is unknown); null gives nullptr.
ConstraintPtr get(const nlohmann::json& identifier);
// {"module": "keras.constraints", "class_name", "config", "registered_name": null}; an
// empty ConstraintArg gives null; a callable throws NotImplementedError.
nlohmann::json serialize(const Constraint& constraint);
nlohmann::json serialize(const ConstraintArg& constraint);

}  // namespace keras::constraints
