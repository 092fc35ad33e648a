#pragma once
// The Loss base class (keras.losses.Loss): a loss maps (y_true, y_pred) to per-sample
// values, which `operator()` weights (sample_weight, y_pred's Keras mask) and reduces.
// The concrete losses and `losses::get` are in keras/losses.hpp.
#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>

#include "keras/tensor.hpp"

namespace keras::losses {

// A loss function: per-sample values (usually the mean over the last axis) from labels and
// predictions.
using LossFunction = std::function<Tensor(const Tensor& y_true, const Tensor& y_pred)>;

// The reductions Keras knows: "sum_over_batch_size" (the default; "mean" is the same),
// "sum", "mean_with_sample_weight" and "none".
struct LossOptions {
  std::string name;  // empty: the loss's snake_case default name
  std::string reduction = "sum_over_batch_size";
};

// Keras's reduce_weighted_values: values * sample_weight (rank-aligned as Keras's
// squeeze_or_expand_to_same_rank), masked entries weighted 0 with mean-type reductions
// averaging over the unmasked ones, then reduced. `sample_weight` and `mask` may be
// undefined. Division is divide_no_nan. ValueError for an unknown reduction.
Tensor reduce_weighted_values(const Tensor& values, const Tensor& sample_weight, const Tensor& mask,
                              const std::string& reduction);

class Loss {
 public:
  Loss(std::string name, std::string reduction);
  virtual ~Loss();

  // Keras's Loss.__call__: call(), then weighting and reduction. The result has y_pred's
  // floating dtype (float32 unless y_pred is float64).
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight = {}) const;
  // The unreduced per-sample values.
  virtual Tensor call(const Tensor& y_true, const Tensor& y_pred) const = 0;

  const std::string& name() const { return name_; }
  const std::string& reduction() const { return reduction_; }
  virtual std::string class_name() const = 0;
  // {"name", "reduction"} plus the subclass's arguments, as Keras's get_config.
  virtual nlohmann::json get_config() const;

 private:
  std::string name_;
  std::string reduction_;
};

using LossPtr = std::shared_ptr<const Loss>;

// A loss made from a function (Keras's LossFunctionWrapper); it cannot be serialized unless
// it is one of the built-in functions (then `class_name` is the built-in class's).
class LossFunctionWrapper : public Loss {
 public:
  LossFunctionWrapper(LossFunction fn, const LossOptions& options);
  Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
  std::string class_name() const override { return "LossFunctionWrapper"; }
  // A wrapped C++ callable cannot be serialized: NotImplementedError. The built-in classes
  // override this with their Keras config.
  nlohmann::json get_config() const override;

 private:
  LossFunction fn_;
};

// Keras's losses.get: a loss by name ("mse", "mean_squared_error", "MeanSquaredError",
// "categorical_crossentropy", ...; "crossentropy"/"ce" are resolved by the trainer from
// shapes) or by its config dict. ValueError "Could not interpret loss identifier: <name>".
LossPtr get(const nlohmann::json& identifier);

// What `compile(loss=...)` accepts for one output: nothing, a name, a Loss object (copied),
// a shared pointer to one, or any C++ callable (y_true, y_pred) -> per-sample Tensor (a
// custom loss; reduced with sum_over_batch_size, named after `name` or "loss").
class LossArg {
 public:
  LossArg() = default;
  LossArg(std::nullptr_t) {}                                // NOLINT(google-explicit-constructor)
  LossArg(const char* name) : name_(name) {}                // NOLINT(google-explicit-constructor)
  LossArg(std::string name) : name_(std::move(name)) {}    // NOLINT(google-explicit-constructor)
  LossArg(LossPtr loss) : loss_(std::move(loss)) {}        // NOLINT(google-explicit-constructor)
  template <class L>
    requires std::derived_from<std::decay_t<L>, Loss>
  LossArg(L&& loss)  // NOLINT(google-explicit-constructor)
      : loss_(std::make_shared<std::decay_t<L>>(std::forward<L>(loss))) {}
  template <class F>
    requires(!std::derived_from<std::decay_t<F>, Loss> &&
             !std::convertible_to<F, std::string> && !std::convertible_to<F, LossPtr> &&
             std::is_invocable_r_v<Tensor, F, const Tensor&, const Tensor&>)
  LossArg(F&& fn)  // NOLINT(google-explicit-constructor)
      : loss_(std::make_shared<LossFunctionWrapper>(LossFunction(std::forward<F>(fn)),
                                                    LossOptions{.name = "loss"})) {}

  bool empty() const { return !loss_ && name_.empty(); }
  // The name given, if any ("" for objects and callables).
  const std::string& name() const { return name_; }
  // The loss object; names resolve with losses::get.
  LossPtr ptr() const;

 private:
  std::string name_;
  LossPtr loss_;
};

}  // namespace keras::losses
