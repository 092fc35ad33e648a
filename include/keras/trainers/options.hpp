#pragma once
// The keyword arguments of Model::compile / fit / evaluate / predict, with Keras's names
// and defaults, for designated initializers:
//
//   model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy",
//                  .metrics = {"accuracy"}});
//   model.fit(x, y, {.batch_size = 128, .epochs = 5, .validation_split = 0.1});
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keras/losses/loss.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/trainers/data.hpp"

namespace keras {

namespace callbacks {
class Callback;
}

// A value given once for every output, as a list (one per output, in order) or by output
// name: what compile's `loss` and `loss_weights` take.
template <class T>
class PerOutput {
 public:
  PerOutput() = default;
  template <class U>
    requires std::constructible_from<T, U&&>
  PerOutput(U&& value) : single_(T(std::forward<U>(value))), has_single_(true) {}  // NOLINT
  PerOutput(std::initializer_list<T> values) : list_(values) {}
  PerOutput(std::vector<T> values) : list_(std::move(values)) {}  // NOLINT
  PerOutput(std::map<std::string, T> named) : named_(std::move(named)) {}  // NOLINT

  bool empty() const { return !has_single_ && list_.empty() && named_.empty(); }
  bool has_single() const { return has_single_; }
  const T& single() const { return single_; }
  const std::vector<T>& list() const { return list_; }
  const std::map<std::string, T>& named() const { return named_; }

 private:
  T single_{};
  bool has_single_ = false;
  std::vector<T> list_;
  std::map<std::string, T> named_;
};

// compile's `metrics` / `weighted_metrics`: a flat list (for a single-output model, or one
// metric per output when the list has as many entries as outputs), a list of lists (one
// per output) or lists by output name.
class MetricsSpec {
 public:
  MetricsSpec() = default;
  MetricsSpec(std::initializer_list<metrics::MetricArg> flat) : flat_(flat) {}
  MetricsSpec(std::vector<metrics::MetricArg> flat) : flat_(std::move(flat)) {}  // NOLINT
  MetricsSpec(std::vector<std::vector<metrics::MetricArg>> nested)  // NOLINT
      : nested_(std::move(nested)) {}
  MetricsSpec(std::map<std::string, std::vector<metrics::MetricArg>> named)  // NOLINT
      : named_(std::move(named)) {}

  bool empty() const { return flat_.empty() && nested_.empty() && named_.empty(); }
  const std::vector<metrics::MetricArg>& flat() const { return flat_; }
  const std::vector<std::vector<metrics::MetricArg>>& nested() const { return nested_; }
  const std::map<std::string, std::vector<metrics::MetricArg>>& named() const { return named_; }

 private:
  std::vector<metrics::MetricArg> flat_;
  std::vector<std::vector<metrics::MetricArg>> nested_;
  std::map<std::string, std::vector<metrics::MetricArg>> named_;
};

struct CompileOptions {
  optimizers::OptimizerArg optimizer;  // "rmsprop"
  PerOutput<losses::LossArg> loss;     // none: only add_loss terms
  PerOutput<double> loss_weights;      // none: 1 for every output
  MetricsSpec metrics;
  MetricsSpec weighted_metrics;
  bool run_eagerly = false;
};

// verbose: "auto" (the default: 1 when stdout is a terminal, 2 otherwise), 0, 1 or 2.
class Verbose {
 public:
  Verbose() = default;
  Verbose(int level) : level_(level) {}  // NOLINT(google-explicit-constructor)
  Verbose(const char* name);             // NOLINT(google-explicit-constructor): "auto"
  // The level "auto" resolves to: 1 when stdout is a terminal, else 2.
  int level() const;
  bool is_auto() const { return level_ < 0; }

 private:
  int level_ = -1;
};

// fit's `shuffle`: true, false or "batch" (shuffle within batch-sized chunks).
class Shuffle {
 public:
  Shuffle(bool on) : mode_(on ? "true" : "false") {}  // NOLINT(google-explicit-constructor)
  Shuffle(const char* mode);                           // NOLINT(google-explicit-constructor)
  bool enabled() const { return mode_ != "false"; }
  bool batch_wise() const { return mode_ == "batch"; }

 private:
  std::string mode_;
};

using CallbackList = std::vector<std::shared_ptr<callbacks::Callback>>;

// validation_data: (x_val, y_val) or (x_val, y_val, sample_weight_val).
struct ValidationData {
  ArrayData x;
  ArrayData y;
  ArrayData sample_weight;
};

struct FitOptions {
  std::optional<std::int64_t> batch_size;  // 32
  std::int64_t epochs = 1;
  Verbose verbose;
  CallbackList callbacks;
  double validation_split = 0.0;
  std::optional<ValidationData> validation_data;
  Shuffle shuffle = true;
  std::map<std::int64_t, double> class_weight;
  ArrayData sample_weight;
  std::int64_t initial_epoch = 0;
  std::optional<std::int64_t> steps_per_epoch;
  std::optional<std::int64_t> validation_steps;
  std::optional<std::int64_t> validation_batch_size;
  std::int64_t validation_freq = 1;
};

struct EvaluateOptions {
  std::optional<std::int64_t> batch_size;  // 32
  Verbose verbose;
  ArrayData sample_weight;
  std::optional<std::int64_t> steps;
  CallbackList callbacks;
};

struct PredictOptions {
  std::optional<std::int64_t> batch_size;  // 32
  Verbose verbose;
  std::optional<std::int64_t> steps;
  CallbackList callbacks;
};

// The logs callbacks and History see: metric name -> value. A std::map, so keys are in
// Keras 3's (sorted) order.
using Logs = std::map<std::string, double>;

// What evaluate / train_on_batch / test_on_batch return: the values in Keras's order
// (loss first, then the compiled metrics) as a list, and the same by name.
class Scores : public std::vector<double> {
 public:
  Scores() = default;
  Scores(std::vector<double> values, Logs logs) : std::vector<double>(std::move(values)), logs_(std::move(logs)) {}
  using std::vector<double>::operator[];
  // By name (Keras's return_dict=True); KeyError-like ValueError for an unknown name.
  double operator[](const std::string& name) const;
  const Logs& logs() const { return logs_; }

 private:
  Logs logs_;
};

}  // namespace keras
