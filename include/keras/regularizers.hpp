#pragma once
// Weight regularizers (keras.regularizers): a penalty computed from a tensor, added to the
// loss. Written in ops, so differentiable. Names, defaults and configs are Keras 3's.
#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>

#include "keras/tensor.hpp"

namespace keras::regularizers {

class Regularizer {
 public:
  virtual ~Regularizer();
  // The penalty, a 0-d tensor of x's dtype.
  virtual Tensor operator()(const Tensor& x) const = 0;
  virtual std::string class_name() const = 0;
  // Throws NotImplementedError unless overridden, as Keras's Regularizer.get_config.
  virtual nlohmann::json get_config() const;
};

using RegularizerPtr = std::shared_ptr<const Regularizer>;

// l1 * sum(|x|). The factor must be a non-negative finite number (ValueError otherwise).
class L1 final : public Regularizer {
 public:
  explicit L1(double l1 = 0.01);
  Tensor operator()(const Tensor& x) const override;
  std::string class_name() const override { return "L1"; }
  nlohmann::json get_config() const override;
  double l1() const { return l1_; }

 private:
  double l1_;
};

// l2 * sum(x^2).
class L2 final : public Regularizer {
 public:
  explicit L2(double l2 = 0.01);
  Tensor operator()(const Tensor& x) const override;
  std::string class_name() const override { return "L2"; }
  nlohmann::json get_config() const override;
  double l2() const { return l2_; }

 private:
  double l2_;
};

// Keras 3's L1L2 defaults both factors to 0 (the string "l1_l2" gives 0.01 each).
struct L1L2Options {
  double l1 = 0.0;
  double l2 = 0.0;
};
// l1 * sum(|x|) + l2 * sum(x^2); a zero factor's term is left out.
class L1L2 final : public Regularizer {
 public:
  explicit L1L2(const L1L2Options& options = {});
  Tensor operator()(const Tensor& x) const override;
  std::string class_name() const override { return "L1L2"; }
  nlohmann::json get_config() const override;
  const L1L2Options& options() const { return options_; }

 private:
  L1L2Options options_;
};

struct OrthogonalRegularizerOptions {
  double factor = 0.01;
  std::string mode = "rows";  // or "columns"
};
// factor * 0.5 * mean over pairs of |<u_i, u_j>|, i != j, where u are the L2-normalised
// rows (or columns) of a rank-2 input.
class OrthogonalRegularizer final : public Regularizer {
 public:
  explicit OrthogonalRegularizer(const OrthogonalRegularizerOptions& options = {});
  Tensor operator()(const Tensor& x) const override;
  std::string class_name() const override { return "OrthogonalRegularizer"; }
  nlohmann::json get_config() const override;
  const OrthogonalRegularizerOptions& options() const { return options_; }

 private:
  OrthogonalRegularizerOptions options_;
};

// Keras's lower-case names for the classes.
inline L1 l1(double l1 = 0.01) { return L1(l1); }
inline L2 l2(double l2 = 0.01) { return L2(l2); }
inline L1L2 l1_l2(const L1L2Options& options = {}) { return L1L2(options); }
inline OrthogonalRegularizer orthogonal_regularizer(const OrthogonalRegularizerOptions& options = {}) {
  return OrthogonalRegularizer(options);
}

using RegularizerFunction = std::function<Tensor(const Tensor&)>;

// A C++ callable used as a regularizer (Keras accepts any fn(x) -> scalar). It cannot be
// serialized: get_config() throws NotImplementedError.
class FunctionRegularizer final : public Regularizer {
 public:
  explicit FunctionRegularizer(RegularizerFunction fn);
  Tensor operator()(const Tensor& x) const override;
  std::string class_name() const override { return "function"; }

 private:
  RegularizerFunction fn_;
};

// What a layer's `*_regularizer` argument holds: nothing (the default, Keras's None), a
// name ("l1", "l2", "l1_l2", "L1L2", "orthogonal_regularizer", ...), a regularizer object
// (copied), a shared pointer to one, or a C++ callable Tensor(const Tensor&).
class RegularizerArg {
 public:
  RegularizerArg() = default;
  RegularizerArg(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  RegularizerArg(const char* name);  // NOLINT(google-explicit-constructor)
  RegularizerArg(const std::string& name);  // NOLINT(google-explicit-constructor)
  template <class T>
    requires std::derived_from<T, Regularizer>
  RegularizerArg(std::shared_ptr<T> regularizer)  // NOLINT(google-explicit-constructor)
      : ptr_(std::move(regularizer)) {}
  template <class T>
    requires std::derived_from<std::remove_cvref_t<T>, Regularizer>
  RegularizerArg(T&& regularizer)  // NOLINT(google-explicit-constructor)
      : ptr_(std::make_shared<const std::remove_cvref_t<T>>(std::forward<T>(regularizer))) {}
  template <class F>
    requires(!std::derived_from<std::remove_cvref_t<F>, Regularizer> &&
             !std::convertible_to<F, std::string> &&
             std::is_invocable_r_v<Tensor, F&, const Tensor&>)
  RegularizerArg(F fn)  // NOLINT(google-explicit-constructor)
      : ptr_(std::make_shared<const FunctionRegularizer>(RegularizerFunction(std::move(fn)))) {}

  bool defined() const { return ptr_ != nullptr; }
  explicit operator bool() const { return defined(); }
  const RegularizerPtr& ptr() const { return ptr_; }
  // Throws ValueError when empty.
  const Regularizer& operator*() const;
  const Regularizer* operator->() const { return &**this; }
  Tensor operator()(const Tensor& x) const { return (**this)(x); }

 private:
  RegularizerPtr ptr_;
};

// keras.regularizers.get: a name (ValueError "Could not interpret regularizer identifier:
// <name>" when unknown) or a config dict (TypeError "Could not locate class ..." when its
// class is unknown); null gives nullptr. Besides Keras 3's names ("L1", "l1", "L2", "l2",
// "L1L2", "l1l2", "OrthogonalRegularizer", "orthogonal_regularizer") "l1_l2" is accepted,
// meaning L1L2 with 0.01 for both factors, as Keras 2 and Keras's own documentation say.
RegularizerPtr get(const nlohmann::json& identifier);
// {"module": "keras.regularizers", "class_name", "config", "registered_name": null};
// an empty RegularizerArg gives null; a callable throws NotImplementedError.
nlohmann::json serialize(const Regularizer& regularizer);
nlohmann::json serialize(const RegularizerArg& regularizer);

}  // namespace keras::regularizers
