#pragma once
// The Metric base class (keras.metrics.Metric): streaming state in variables, updated per
// batch, read with result(), zeroed by reset_state(). The concrete metrics and
// `metrics::get` are in keras/metrics.hpp.
#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "keras/shape.hpp"
#include "keras/tensor.hpp"
#include "keras/variable.hpp"

namespace keras::metrics {

// A metric function: per-sample values from labels and predictions (what
// MeanMetricWrapper averages).
using MetricFunction = std::function<Tensor(const Tensor& y_true, const Tensor& y_pred)>;

class Metric {
 public:
  explicit Metric(std::string name, DType dtype = DType::float32);
  virtual ~Metric();

  // Accumulates one batch. `sample_weight` may be undefined.
  virtual void update_state(const Tensor& y_true, const Tensor& y_pred,
                            const Tensor& sample_weight = {}) = 0;
  // The value so far (a 0-d tensor for every built-in metric).
  virtual Tensor result() const = 0;
  // Zeroes every state variable (Keras's default); metrics with other initial values override.
  virtual void reset_state();

  const std::string& name() const { return name_; }
  DType dtype() const { return dtype_; }
  const std::vector<Variable>& variables() const { return variables_; }
  virtual std::string class_name() const = 0;
  // {"name", "dtype"} plus the subclass's arguments.
  virtual nlohmann::json get_config() const;
  // Keras's _direction: "up" (accuracies, AUC, ...), "down" (errors) or "" (unknown); the
  // callbacks' mode="auto" reads it.
  virtual std::string direction() const { return ""; }

 protected:
  // A zero-filled state variable (non-trainable) of the metric's dtype unless given.
  Variable add_variable(const Shape& shape, const std::string& name);
  Variable add_variable(const Shape& shape, const std::string& name, DType dtype);

 private:
  std::string name_;
  DType dtype_;
  std::vector<Variable> variables_;
};

using MetricPtr = std::shared_ptr<Metric>;

// Keras's metrics.get: a metric by name ("mse", "mean_absolute_error", "AUC",
// "binary_accuracy", ...) or config dict. "accuracy"/"acc" and "crossentropy"/"ce" depend on
// the shapes, so `resolve` below handles them. ValueError "Could not interpret metric
// identifier: <name>".
MetricPtr get(const nlohmann::json& identifier);

// What compile() does with a metric name for one output: "accuracy"/"acc" become
// Binary/SparseCategorical/CategoricalAccuracy by the shapes (Keras's
// is_binary_or_sparse_categorical, keeping the name typed), "crossentropy"/"ce" likewise
// the matching crossentropy metric; other names as get().
MetricPtr resolve(const std::string& name, const Shape& y_true_shape, const Shape& y_pred_shape);

// What `compile(metrics=...)` accepts per metric: a name, a Metric object (copied), a shared
// pointer to one (kept: its state is the caller's to read), or a C++ callable
// (y_true, y_pred) -> per-sample Tensor, averaged as MeanMetricWrapper under `name`.
class MetricArg {
 public:
  MetricArg(const char* name) : name_(name) {}              // NOLINT(google-explicit-constructor)
  MetricArg(std::string name) : name_(std::move(name)) {}  // NOLINT(google-explicit-constructor)
  MetricArg(MetricPtr metric) : metric_(std::move(metric)) {}  // NOLINT(google-explicit-constructor)
  template <class M>
    requires std::derived_from<std::decay_t<M>, Metric>
  MetricArg(M&& metric)  // NOLINT(google-explicit-constructor)
      : metric_(std::make_shared<std::decay_t<M>>(std::forward<M>(metric))) {}
  // A callable with the name it is logged under.
  MetricArg(std::string name, MetricFunction fn);

  const std::string& name() const { return name_; }
  // The object given, if any, and whether a callable was given.
  const MetricPtr& object() const { return metric_; }
  bool is_function() const { return static_cast<bool>(fn_); }
  // The metric for an output with these shapes (a fresh object for names and callables).
  MetricPtr make(const Shape& y_true_shape, const Shape& y_pred_shape) const;

 private:
  std::string name_;
  MetricPtr metric_;
  MetricFunction fn_;
};

}  // namespace keras::metrics
