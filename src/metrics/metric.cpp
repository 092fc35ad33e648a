// keras.metrics.Metric base, Mean / Sum / MeanMetricWrapper and the metrics built on them,
// following keras/src/metrics/{metric,reduction_metrics,accuracy_metrics,regression_metrics,
// probabilistic_metrics}.py (Keras 3).
#include "keras/metrics/metric.hpp"

#include <numeric>

#include "keras/input.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "keras/ops/creation.hpp"
#include "keras/ops/manipulation.hpp"
#include "keras/ops/math.hpp"
#include "keras/ops/reduction.hpp"
#include "losses/loss_utils.hpp"

namespace keras::metrics {

using losses::squeeze_or_expand_to_same_rank;

// ---- Metric ----

Metric::Metric(std::string name, DType dtype) : name_(std::move(name)), dtype_(dtype) {}

Metric::~Metric() = default;

void Metric::reset_state() {
  for (auto& v : variables_) v.assign(ops::zeros(v.shape(), v.dtype()));
}

nlohmann::json Metric::get_config() const {
  return {{"name", name_}, {"dtype", std::string(dtype_name(dtype_))}};
}

Variable Metric::add_variable(const Shape& shape, const std::string& name) {
  return add_variable(shape, name, dtype_);
}

Variable Metric::add_variable(const Shape& shape, const std::string& name, DType dtype) {
  Variable v(ops::zeros(shape, dtype), {.name = name, .trainable = false});
  variables_.push_back(v);
  return v;
}

// ---- per-sample functions ----

namespace {

DType float_of(const Tensor& x) { return losses::detail::float_dtype(x); }

void require_defined(const Tensor& y_true, const Tensor& y_pred, const char* fn) {
  if (!y_true.defined() || !y_pred.defined()) {
    throw ValueError(std::string(fn) + ": y_true and y_pred must be defined tensors");
  }
}

// Keras's in_top_k (the numpy / JAX form): the target's prediction is >= the k-th largest,
// i.e. fewer than k predictions are strictly larger. targets (N,), predictions (N, C).
Tensor in_top_k(const Tensor& targets, const Tensor& predictions, std::int64_t k) {
  Tensor idx = ops::expand_dims(ops::cast(targets, DType::int32), -1);
  Tensor target_values = ops::take_along_axis(predictions, idx, -1);  // (N, 1)
  Tensor larger = ops::sum(ops::cast(ops::greater(predictions, target_values), DType::int32), -1);
  return ops::less(larger, static_cast<int>(k));
}

}  // namespace

Tensor accuracy(const Tensor& y_true, const Tensor& y_pred) {
  require_defined(y_true, y_pred, "accuracy");
  Tensor p = y_pred;
  Tensor t = ops::cast(y_true, p.dtype());
  std::tie(t, p) = squeeze_or_expand_to_same_rank(t, p);
  return ops::cast(ops::equal(t, p), floatx());
}

Tensor binary_accuracy(const Tensor& y_true, const Tensor& y_pred, double threshold) {
  require_defined(y_true, y_pred, "binary_accuracy");
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  p = ops::cast(ops::greater(p, threshold), t.dtype());
  return ops::cast(ops::equal(t, p), floatx());
}

Tensor categorical_accuracy(const Tensor& y_true, const Tensor& y_pred) {
  require_defined(y_true, y_pred, "categorical_accuracy");
  Tensor t = ops::cast(ops::argmax(y_true, -1), float_of(y_pred));
  const Shape org_shape = t.shape();
  bool reshape_matches = false;
  if (t.ndim() == y_pred.ndim()) {
    t = ops::squeeze(t, -1);
    reshape_matches = true;
  }
  Tensor p = ops::cast(ops::argmax(y_pred, -1), t.dtype());
  Tensor matches = ops::cast(ops::equal(t, p), floatx());
  if (reshape_matches) matches = ops::reshape(matches, org_shape);
  return matches;
}

Tensor sparse_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred) {
  require_defined(y_true, y_pred, "sparse_categorical_accuracy");
  Tensor t = ops::cast(y_true, float_of(y_pred));
  const Shape org_shape = t.shape();
  bool reshape_matches = false;
  if (t.ndim() == y_pred.ndim() && t.ndim() > 0 && t.shape().back() == 1) {
    t = ops::squeeze(t, -1);
    reshape_matches = true;
  }
  Tensor p = ops::cast(ops::argmax(y_pred, -1), t.dtype());
  Tensor matches = ops::cast(ops::equal(t, p), floatx());
  if (reshape_matches) matches = ops::reshape(matches, org_shape);
  if (matches.ndim() > 1 && matches.shape().back() == 1) matches = ops::squeeze(matches, -1);
  return matches;
}

namespace {

Tensor top_k_impl(Tensor t, Tensor p, std::int64_t k) {
  const Shape org_shape = t.shape();
  bool reshape_matches = false;
  if (p.ndim() > 2) p = ops::reshape(p, {-1, p.shape().back()});
  if (t.ndim() > 1) {
    reshape_matches = true;
    t = ops::reshape(t, {-1});
  }
  Tensor matches = ops::cast(in_top_k(t, p, k), floatx());
  if (reshape_matches) matches = ops::reshape(matches, org_shape);
  return matches;
}

}  // namespace

Tensor top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, std::int64_t k) {
  require_defined(y_true, y_pred, "top_k_categorical_accuracy");
  return top_k_impl(ops::argmax(y_true, -1), y_pred, k);
}

Tensor sparse_top_k_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, std::int64_t k) {
  require_defined(y_true, y_pred, "sparse_top_k_categorical_accuracy");
  return top_k_impl(ops::cast(y_true, DType::int32), y_pred, k);
}

// ---- Sum / Mean ----

namespace {

// Keras's reduce_to_samplewise_values. `sum` selects the reduction (sum or mean).
std::pair<Tensor, Tensor> reduce_to_samplewise_values(const Tensor& values_in, const Tensor& sample_weight_in,
                                                      bool sum, DType dtype) {
  auto reduce = [sum](const Tensor& x, std::int64_t from, std::int64_t to) {
    std::vector<std::int64_t> axes(static_cast<std::size_t>(to - from));
    std::iota(axes.begin(), axes.end(), from);
    return sum ? ops::sum(x, axes) : ops::mean(x, axes);
  };
  const Tensor mask = get_keras_mask(values_in);
  Tensor values = ops::cast(values_in, dtype);
  Tensor sample_weight;
  if (sample_weight_in.defined()) {
    sample_weight = ops::cast(sample_weight_in, dtype);
    if (mask.defined()) sample_weight = losses::detail::apply_mask(sample_weight, mask, dtype, "sum");
    std::tie(values, sample_weight) = squeeze_or_expand_to_same_rank(values, sample_weight);
    const std::int64_t weight_ndim = sample_weight.ndim();
    const std::int64_t values_ndim = values.ndim();
    if (values_ndim > weight_ndim) values = reduce(values, weight_ndim, values_ndim);
    sample_weight = ops::broadcast_to(sample_weight, values.shape());
    values = ops::multiply(values, sample_weight);
    if (weight_ndim > 1) sample_weight = reduce(sample_weight, 1, weight_ndim);
  }
  if (values.ndim() > 1) values = reduce(values, 1, values.ndim());
  return {values, sample_weight};
}

std::string or_default(const std::string& name, const char* fallback) { return name.empty() ? fallback : name; }

}  // namespace

Sum::Sum(const MetricOptions& options) : Metric(or_default(options.name, "sum"), options.dtype) {
  total_ = add_variable({}, "total");
}

void Sum::update_state(const Tensor& values, const Tensor& sample_weight) {
  if (!values.defined()) throw ValueError("Sum.update_state: `values` is undefined");
  auto [v, w] = reduce_to_samplewise_values(values, sample_weight, true, dtype());
  total_.assign_add(ops::sum(v));
}

void Sum::update_state(const Tensor&, const Tensor&, const Tensor&) {
  throw TypeError("Sum.update_state() takes (values, sample_weight), not (y_true, y_pred, sample_weight)");
}

Tensor Sum::result() const { return ops::cast(total_.value(), dtype()); }

Mean::Mean(const MetricOptions& options) : Mean(or_default(options.name, "mean"), options.dtype) {}

Mean::Mean(std::string name, DType dtype) : Metric(std::move(name), dtype) {
  total_ = add_variable({}, "total");
  count_ = add_variable({}, "count");
}

void Mean::update_state(const Tensor& values, const Tensor& sample_weight) { accumulate(values, sample_weight); }

void Mean::update_state(const Tensor&, const Tensor&, const Tensor&) {
  throw TypeError("Mean.update_state() takes (values, sample_weight), not (y_true, y_pred, sample_weight)");
}

void Mean::accumulate(const Tensor& values_in, const Tensor& sample_weight_in) {
  if (!values_in.defined()) throw ValueError(name() + ".update_state: `values` is undefined");
  auto [values, sample_weight] = reduce_to_samplewise_values(values_in, sample_weight_in, false, dtype());
  total_.assign_add(ops::sum(values));
  Tensor num_samples;
  if (sample_weight.defined()) {
    num_samples = ops::sum(sample_weight);
  } else {
    num_samples = Tensor::scalar(values.ndim() >= 1 ? static_cast<double>(values.dim(0)) : 1.0, dtype());
  }
  count_.assign_add(ops::cast(num_samples, dtype()));
}

Tensor Mean::result() const { return losses::detail::divide_no_nan(total_.value(), count_.value()); }

// ---- MeanMetricWrapper and subclasses ----

MeanMetricWrapper::MeanMetricWrapper(MetricFunction fn, const MetricOptions& options)
    : MeanMetricWrapper(std::move(fn), or_default(options.name, "mean_metric_wrapper"), options.dtype, "") {}

MeanMetricWrapper::MeanMetricWrapper(MetricFunction fn, std::string name, DType dtype, std::string direction)
    : Mean(std::move(name), dtype), fn_(std::move(fn)), direction_(std::move(direction)) {
  if (!fn_) throw ValueError("MeanMetricWrapper: the metric function is empty");
}

void MeanMetricWrapper::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) {
  if (!y_true.defined() || !y_pred.defined()) {
    throw ValueError(name() + ".update_state: y_true and y_pred must be defined tensors");
  }
  const Tensor mask = get_keras_mask(y_pred);
  Tensor values = fn_(y_true, y_pred);
  Tensor w = losses::detail::apply_mask(sample_weight, mask, dtype(), "sum");
  accumulate(values, w);
}

nlohmann::json MeanMetricWrapper::get_config() const {
  throw NotImplementedError("The metric " + name() + " wraps a C++ callable and cannot be serialized (get_config)");
}

#define KERAS_DEFINE_SIMPLE(Class, default_name, fn, direction)                                   \
  Class::Class(const MetricOptions& o)                                                           \
      : MeanMetricWrapper([](const Tensor& t, const Tensor& p) { return fn(t, p); },            \
                          or_default(o.name, default_name), o.dtype, direction) {}

KERAS_DEFINE_SIMPLE(Accuracy, "accuracy", accuracy, "up")
KERAS_DEFINE_SIMPLE(CategoricalAccuracy, "categorical_accuracy", categorical_accuracy, "up")
KERAS_DEFINE_SIMPLE(SparseCategoricalAccuracy, "sparse_categorical_accuracy", sparse_categorical_accuracy, "up")
KERAS_DEFINE_SIMPLE(MeanSquaredError, "mean_squared_error", losses::mean_squared_error, "down")
KERAS_DEFINE_SIMPLE(MeanAbsoluteError, "mean_absolute_error", losses::mean_absolute_error, "down")
KERAS_DEFINE_SIMPLE(MeanAbsolutePercentageError, "mean_absolute_percentage_error",
                    losses::mean_absolute_percentage_error, "down")
KERAS_DEFINE_SIMPLE(MeanSquaredLogarithmicError, "mean_squared_logarithmic_error",
                    losses::mean_squared_logarithmic_error, "down")
KERAS_DEFINE_SIMPLE(LogCoshError, "logcosh", losses::log_cosh, "down")
KERAS_DEFINE_SIMPLE(Hinge, "hinge", losses::hinge, "down")
KERAS_DEFINE_SIMPLE(SquaredHinge, "squared_hinge", losses::squared_hinge, "down")
KERAS_DEFINE_SIMPLE(CategoricalHinge, "categorical_hinge", losses::categorical_hinge, "down")
KERAS_DEFINE_SIMPLE(KLDivergence, "kl_divergence", losses::kl_divergence, "down")
KERAS_DEFINE_SIMPLE(Poisson, "poisson", losses::poisson, "down")
#undef KERAS_DEFINE_SIMPLE

BinaryAccuracy::BinaryAccuracy(const BinaryAccuracyOptions& o)
    : MeanMetricWrapper([th = o.threshold](const Tensor& t, const Tensor& p) { return binary_accuracy(t, p, th); },
                        o.name, o.dtype, "up"),
      threshold_(o.threshold) {}

nlohmann::json BinaryAccuracy::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["threshold"] = threshold_;
  return c;
}

TopKCategoricalAccuracy::TopKCategoricalAccuracy(const TopKCategoricalAccuracyOptions& o)
    : MeanMetricWrapper([k = o.k](const Tensor& t, const Tensor& p) { return top_k_categorical_accuracy(t, p, k); },
                        o.name, o.dtype, "up"),
      k_(o.k) {}

nlohmann::json TopKCategoricalAccuracy::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["k"] = k_;
  return c;
}

SparseTopKCategoricalAccuracy::SparseTopKCategoricalAccuracy(const SparseTopKCategoricalAccuracyOptions& o)
    : MeanMetricWrapper(
          [k = o.k](const Tensor& t, const Tensor& p) { return sparse_top_k_categorical_accuracy(t, p, k); },
          o.name, o.dtype, "up"),
      k_(o.k) {}

nlohmann::json SparseTopKCategoricalAccuracy::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["k"] = k_;
  return c;
}

CosineSimilarity::CosineSimilarity(const CosineSimilarityOptions& o)
    : MeanMetricWrapper(
          [axis = o.axis](const Tensor& t, const Tensor& p) {
            return ops::negative(losses::cosine_similarity(t, p, axis));
          },
          o.name, o.dtype, "up") {}

RootMeanSquaredError::RootMeanSquaredError(const MetricOptions& o)
    : Mean(or_default(o.name, "root_mean_squared_error"), o.dtype) {}

void RootMeanSquaredError::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) {
  if (!y_true.defined() || !y_pred.defined()) {
    throw ValueError(name() + ".update_state: y_true and y_pred must be defined tensors");
  }
  auto [t, p] = squeeze_or_expand_to_same_rank(ops::cast(y_true, dtype()), ops::cast(y_pred, dtype()));
  accumulate(ops::square(ops::subtract(p, t)), sample_weight);
}

Tensor RootMeanSquaredError::result() const { return ops::sqrt(Mean::result()); }

BinaryCrossentropy::BinaryCrossentropy(const BinaryCrossentropyOptions& o)
    : MeanMetricWrapper(
          [o](const Tensor& t, const Tensor& p) {
            return losses::binary_crossentropy(t, p, o.from_logits, o.label_smoothing);
          },
          o.name, o.dtype, "down"),
      options_(o) {}

nlohmann::json BinaryCrossentropy::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  return c;
}

CategoricalCrossentropy::CategoricalCrossentropy(const CategoricalCrossentropyOptions& o)
    : MeanMetricWrapper(
          [o](const Tensor& t, const Tensor& p) {
            return losses::categorical_crossentropy(t, p, o.from_logits, o.label_smoothing, o.axis);
          },
          o.name, o.dtype, "down"),
      options_(o) {}

nlohmann::json CategoricalCrossentropy::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["from_logits"] = options_.from_logits;
  c["label_smoothing"] = options_.label_smoothing;
  c["axis"] = options_.axis;
  return c;
}

SparseCategoricalCrossentropy::SparseCategoricalCrossentropy(const SparseCategoricalCrossentropyOptions& o)
    : MeanMetricWrapper(
          [o](const Tensor& t, const Tensor& p) {
            return losses::sparse_categorical_crossentropy(t, p, o.from_logits, o.ignore_class, o.axis);
          },
          o.name, o.dtype, "down"),
      options_(o) {}

nlohmann::json SparseCategoricalCrossentropy::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["from_logits"] = options_.from_logits;
  c["ignore_class"] = options_.ignore_class ? nlohmann::json(*options_.ignore_class) : nlohmann::json(nullptr);
  c["axis"] = options_.axis;
  return c;
}

}  // namespace keras::metrics
