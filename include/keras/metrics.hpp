#pragma once
// Keras 3's metrics (keras.metrics): streaming means (Mean, Sum, MeanMetricWrapper and the
// metrics built on it: accuracies, regression errors, crossentropies), the confusion-matrix
// metrics (Precision, Recall, AUC), and metrics::get / resolve / serialize. Options structs
// take Keras's argument names and defaults, in Keras's order, for designated initializers:
//   metrics::AUC auc({.num_thresholds = 100, .curve = "PR"});
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/dtype.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/tensor.hpp"

namespace keras::metrics {

// ---- Per-sample metric functions (float32 values of 1 for a hit, 0 for a miss) ----

// y_true == y_pred elementwise.
Tensor accuracy(const Tensor& y_true, const Tensor& y_pred);
// y_true == (y_pred > threshold).
Tensor binary_accuracy(const Tensor& y_true, const Tensor& y_pred, double threshold = 0.5);
// argmax(y_true) == argmax(y_pred) over the last axis (ties: the first index).
Tensor categorical_accuracy(const Tensor& y_true, const Tensor& y_pred);
// y_true (class indices) == argmax(y_pred).
Tensor sparse_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred);
// Whether argmax(y_true) is among the k largest predictions (ties count as in).
Tensor top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, std::int64_t k = 5);
Tensor sparse_top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, std::int64_t k = 5);

// The options of metrics whose only arguments are a name and a dtype; an empty name is the
// class's Keras default ("mean_squared_error", "categorical_accuracy", ...).
struct MetricOptions {
  std::string name;
  DType dtype = floatx();
};

// ---- Reduction metrics ----

// The weighted sum of all values seen.
class Sum : public Metric {
 public:
  explicit Sum(const MetricOptions& options = {});
  // Accumulates values (weighted by sample_weight, rank-aligned as Keras does).
  void update_state(const Tensor& values, const Tensor& sample_weight = {});
  // Sum takes values, not (y_true, y_pred): TypeError.
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) override;
  Tensor result() const override;
  std::string class_name() const override { return "Sum"; }

 private:
  Variable total_;
};

// The weighted mean of all values seen: total / count, count = sum of the weights (or the
// number of samples).
class Mean : public Metric {
 public:
  explicit Mean(const MetricOptions& options = {});
  void update_state(const Tensor& values, const Tensor& sample_weight = {});
  // Mean takes values, not (y_true, y_pred): TypeError.
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) override;
  Tensor result() const override;
  std::string class_name() const override { return "Mean"; }

 protected:
  Mean(std::string name, DType dtype);
  // Keras's Mean.update_state(values, sample_weight).
  void accumulate(const Tensor& values, const Tensor& sample_weight);

 private:
  Variable total_;
  Variable count_;
};

// The mean of fn(y_true, y_pred) over all samples (y_pred's Keras mask weights samples 0).
class MeanMetricWrapper : public Mean {
 public:
  // An empty name is "mean_metric_wrapper".
  MeanMetricWrapper(MetricFunction fn, const MetricOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight = {}) override;
  std::string class_name() const override { return "MeanMetricWrapper"; }
  // A wrapped C++ callable cannot be serialized: NotImplementedError (the built-in
  // subclasses override this).
  nlohmann::json get_config() const override;
  std::string direction() const override { return direction_; }

 protected:
  MeanMetricWrapper(MetricFunction fn, std::string name, DType dtype, std::string direction);

 private:
  MetricFunction fn_;
  std::string direction_;
};

// Declares a MeanMetricWrapper subclass taking MetricOptions.
#define KERAS_SIMPLE_MEAN_METRIC(Class)                                 \
  class Class : public MeanMetricWrapper {                              \
   public:                                                              \
    explicit Class(const MetricOptions& options = {});                  \
    std::string class_name() const override { return #Class; }         \
    nlohmann::json get_config() const override { return Metric::get_config(); } \
  };

KERAS_SIMPLE_MEAN_METRIC(Accuracy)
KERAS_SIMPLE_MEAN_METRIC(CategoricalAccuracy)
KERAS_SIMPLE_MEAN_METRIC(SparseCategoricalAccuracy)
KERAS_SIMPLE_MEAN_METRIC(MeanSquaredError)
KERAS_SIMPLE_MEAN_METRIC(MeanAbsoluteError)
KERAS_SIMPLE_MEAN_METRIC(MeanAbsolutePercentageError)
KERAS_SIMPLE_MEAN_METRIC(MeanSquaredLogarithmicError)
KERAS_SIMPLE_MEAN_METRIC(LogCoshError)
KERAS_SIMPLE_MEAN_METRIC(Hinge)
KERAS_SIMPLE_MEAN_METRIC(SquaredHinge)
KERAS_SIMPLE_MEAN_METRIC(CategoricalHinge)
KERAS_SIMPLE_MEAN_METRIC(KLDivergence)
KERAS_SIMPLE_MEAN_METRIC(Poisson)
#undef KERAS_SIMPLE_MEAN_METRIC

struct BinaryAccuracyOptions {
  std::string name = "binary_accuracy";
  DType dtype = floatx();
  double threshold = 0.5;
};
class BinaryAccuracy : public MeanMetricWrapper {
 public:
  explicit BinaryAccuracy(const BinaryAccuracyOptions& options = {});
  std::string class_name() const override { return "BinaryAccuracy"; }
  nlohmann::json get_config() const override;

 private:
  double threshold_;
};

struct TopKCategoricalAccuracyOptions {
  std::int64_t k = 5;
  std::string name = "top_k_categorical_accuracy";
  DType dtype = floatx();
};
class TopKCategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit TopKCategoricalAccuracy(const TopKCategoricalAccuracyOptions& options = {});
  std::string class_name() const override { return "TopKCategoricalAccuracy"; }
  nlohmann::json get_config() const override;

 private:
  std::int64_t k_;
};

struct SparseTopKCategoricalAccuracyOptions {
  std::int64_t k = 5;
  std::string name = "sparse_top_k_categorical_accuracy";
  DType dtype = floatx();
};
class SparseTopKCategoricalAccuracy : public MeanMetricWrapper {
 public:
  explicit SparseTopKCategoricalAccuracy(const SparseTopKCategoricalAccuracyOptions& options = {});
  std::string class_name() const override { return "SparseTopKCategoricalAccuracy"; }
  nlohmann::json get_config() const override;

 private:
  std::int64_t k_;
};

struct CosineSimilarityOptions {
  std::string name = "cosine_similarity";
  DType dtype = floatx();
  std::int64_t axis = -1;
};
// The mean cosine similarity (positive: higher is better).
class CosineSimilarity : public MeanMetricWrapper {
 public:
  explicit CosineSimilarity(const CosineSimilarityOptions& options = {});
  std::string class_name() const override { return "CosineSimilarity"; }
  nlohmann::json get_config() const override { return Metric::get_config(); }
};

// sqrt of the weighted mean of squared errors.
class RootMeanSquaredError : public Mean {
 public:
  explicit RootMeanSquaredError(const MetricOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight = {}) override;
  Tensor result() const override;
  std::string class_name() const override { return "RootMeanSquaredError"; }
  std::string direction() const override { return "down"; }
};

struct BinaryCrossentropyOptions {
  std::string name = "binary_crossentropy";
  DType dtype = floatx();
  bool from_logits = false;
  double label_smoothing = 0.0;
};
class BinaryCrossentropy : public MeanMetricWrapper {
 public:
  explicit BinaryCrossentropy(const BinaryCrossentropyOptions& options = {});
  std::string class_name() const override { return "BinaryCrossentropy"; }
  nlohmann::json get_config() const override;

 private:
  BinaryCrossentropyOptions options_;
};

struct CategoricalCrossentropyOptions {
  std::string name = "categorical_crossentropy";
  DType dtype = floatx();
  bool from_logits = false;
  double label_smoothing = 0.0;
  std::int64_t axis = -1;
};
class CategoricalCrossentropy : public MeanMetricWrapper {
 public:
  explicit CategoricalCrossentropy(const CategoricalCrossentropyOptions& options = {});
  std::string class_name() const override { return "CategoricalCrossentropy"; }
  nlohmann::json get_config() const override;

 private:
  CategoricalCrossentropyOptions options_;
};

struct SparseCategoricalCrossentropyOptions {
  std::string name = "sparse_categorical_crossentropy";
  DType dtype = floatx();
  bool from_logits = false;
  std::optional<std::int64_t> ignore_class;
  std::int64_t axis = -1;
};
class SparseCategoricalCrossentropy : public MeanMetricWrapper {
 public:
  explicit SparseCategoricalCrossentropy(const SparseCategoricalCrossentropyOptions& options = {});
  std::string class_name() const override { return "SparseCategoricalCrossentropy"; }
  nlohmann::json get_config() const override;

 private:
  SparseCategoricalCrossentropyOptions options_;
};

// ---- Confusion-matrix metrics ----

// thresholds: empty is Keras's None (0.5, or -1e10 with top_k); each must lie in [0, 1].
// With one threshold result() is 0-d, with several a vector (one value per threshold).
struct PrecisionOptions {
  std::vector<double> thresholds;
  std::optional<std::int64_t> top_k;
  std::optional<std::int64_t> class_id;
  std::string name = "precision";
  DType dtype = floatx();
};
class Precision : public Metric {
 public:
  explicit Precision(const PrecisionOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight = {}) override;
  Tensor result() const override;
  std::string class_name() const override { return "Precision"; }
  nlohmann::json get_config() const override;
  std::string direction() const override { return "up"; }
  const std::vector<double>& thresholds() const { return thresholds_; }

 private:
  PrecisionOptions options_;
  std::vector<double> thresholds_;
  bool evenly_ = false;
  Variable true_positives_;
  Variable false_positives_;
};

struct RecallOptions {
  std::vector<double> thresholds;
  std::optional<std::int64_t> top_k;
  std::optional<std::int64_t> class_id;
  std::string name = "recall";
  DType dtype = floatx();
};
class Recall : public Metric {
 public:
  explicit Recall(const RecallOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight = {}) override;
  Tensor result() const override;
  std::string class_name() const override { return "Recall"; }
  nlohmann::json get_config() const override;
  std::string direction() const override { return "up"; }
  const std::vector<double>& thresholds() const { return thresholds_; }

 private:
  RecallOptions options_;
  std::vector<double> thresholds_;
  bool evenly_ = false;
  Variable true_positives_;
  Variable false_negatives_;
};

// Area under the ROC or PR curve (or PRGAIN) from confusion counts at num_thresholds
// thresholds; "interpolation" uses Keras's rules (Davis & Goadrich interpolation for PR).
struct AUCOptions {
  std::int64_t num_thresholds = 200;
  std::string curve = "ROC";                       // "ROC", "PR" or "PRGAIN"
  std::string summation_method = "interpolation";  // or "minoring", "majoring"
  std::string name = "auc";
  DType dtype = floatx();
  std::vector<double> thresholds;  // empty: num_thresholds evenly spaced in [0, 1]
  bool multi_label = false;
  std::optional<std::int64_t> num_labels;
  std::vector<double> label_weights;  // empty: None
  bool from_logits = false;
};
class AUC : public Metric {
 public:
  explicit AUC(const AUCOptions& options = {});
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight = {}) override;
  Tensor result() const override;
  void reset_state() override;
  std::string class_name() const override { return "AUC"; }
  nlohmann::json get_config() const override;
  std::string direction() const override { return "up"; }
  // The thresholds used, including the -epsilon and 1 + epsilon ends.
  const std::vector<double>& thresholds() const { return thresholds_; }
  std::int64_t num_thresholds() const { return num_thresholds_; }

 private:
  void build(const Shape& y_pred_shape);
  Tensor interpolate_pr_auc() const;

  AUCOptions options_;
  std::int64_t num_thresholds_ = 0;
  std::vector<double> thresholds_;
  bool evenly_ = false;
  bool built_ = false;
  std::int64_t labels_ = 0;
  Variable true_positives_;
  Variable false_positives_;
  Variable true_negatives_;
  Variable false_negatives_;
};

// keras.metrics.serialize: {"module": "keras.metrics", "class_name", "config",
// "registered_name": null}.
nlohmann::json serialize(const Metric& metric);

}  // namespace keras::metrics
