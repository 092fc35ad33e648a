// Precision, Recall and AUC: confusion counts per threshold, following
// keras/src/metrics/{confusion_metrics,metrics_utils}.py (Keras 3). Evenly spaced thresholds
// use Keras's bucket form (ceil(p * (T - 1)) - 1), others compare p > threshold.
#include <algorithm>
#include <cmath>
#include <map>

#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "keras/ops/creation.hpp"
#include "keras/ops/manipulation.hpp"
#include "keras/ops/math.hpp"
#include "keras/ops/nn.hpp"
#include "keras/ops/reduction.hpp"
#include "losses/loss_utils.hpp"
#include "utils/object_config.hpp"

namespace keras::metrics {

namespace {

constexpr double kNegInf = -1e10;
constexpr double kEpsilon = 1e-7;

enum class Cond { tp, fp, tn, fn };
using Updates = std::map<Cond, Variable*>;

void assert_thresholds_range(const std::vector<double>& thresholds) {
  std::string bad;
  for (double t : thresholds) {
    if (!(t >= 0.0 && t <= 1.0)) bad += (bad.empty() ? "" : ", ") + keras::detail::python_float(t);
  }
  if (!bad.empty()) throw ValueError("Threshold values must be in [0, 1]. Received: [" + bad + "]");
}

std::vector<double> parse_init_thresholds(const std::vector<double>& thresholds, double default_threshold) {
  if (thresholds.empty()) return {default_threshold};
  assert_thresholds_range(thresholds);
  return thresholds;
}

// Keras's is_evenly_distributed_thresholds (np.allclose with atol = epsilon, rtol = 1e-5).
bool is_evenly_distributed(const std::vector<double>& thresholds) {
  const std::size_t n = thresholds.size();
  if (n < 3) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const double even = static_cast<double>(static_cast<float>(i) / static_cast<float>(n - 1));
    if (!(std::abs(thresholds[i] - even) <= kEpsilon + 1e-5 * std::abs(even))) return false;
  }
  return true;
}

// Keras's _filter_top_k: entries outside the top k of the last axis become -1e10 (ties go to
// the lower index, as top_k).
Tensor filter_top_k(const Tensor& x, std::int64_t k) {
  const std::int64_t c = x.shape().back();
  Tensor xj = ops::expand_dims(x, -1);  // [..., j, 1]
  Tensor xi = ops::expand_dims(x, -2);  // [..., 1, i]
  Tensor before = ops::tril(ops::ones({c, c}, DType::float32), -1);  // [j, i] = i < j
  Tensor ahead = ops::logical_or(ops::greater(xi, xj),
                                 ops::logical_and(ops::equal(xi, xj), ops::cast(before, DType::bool_)));
  Tensor rank = ops::sum(ops::cast(ahead, DType::int32), -1);
  Tensor keep = ops::cast(ops::less(rank, static_cast<int>(k)), x.dtype());
  return ops::add(ops::multiply(x, keep), ops::multiply(kNegInf, ops::subtract(1.0, keep)));
}

void update_confusion_matrix(const Updates& updates, const Tensor& y_true_in, const Tensor& y_pred_in,
                             const std::vector<double>& thresholds, bool evenly,
                             std::optional<std::int64_t> top_k, std::optional<std::int64_t> class_id,
                             const Tensor& sample_weight_in, bool multi_label, const Tensor& label_weights_in) {
  if (!y_true_in.defined() || !y_pred_in.defined()) {
    throw ValueError("update_state: y_true and y_pred must be defined tensors");
  }
  const DType dt = updates.begin()->second->dtype();
  Tensor y_true = ops::cast(y_true_in, dt);
  Tensor y_pred = ops::cast(y_pred_in, dt);
  std::tie(y_pred, y_true) = losses::squeeze_or_expand_to_same_rank(y_pred, y_true);
  Tensor sample_weight;
  if (sample_weight_in.defined()) {
    sample_weight = ops::expand_dims(ops::cast(sample_weight_in, dt), -1);
    sample_weight = losses::squeeze_or_expand_to_same_rank(y_true, sample_weight, false).second;
  }
  if (top_k) y_pred = filter_top_k(y_pred, *top_k);
  if (class_id) {
    if (y_pred.ndim() == 1) {
      throw ValueError(
          "When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), found "
          "shape: " +
          shape_str(y_pred.shape()));
    }
    Tensor idx = Tensor::from_vector(std::vector<std::int32_t>{static_cast<std::int32_t>(*class_id)});
    y_true = ops::take(y_true, idx, -1);
    y_pred = ops::take(y_pred, idx, -1);
  }
  const auto num_t = static_cast<std::int64_t>(thresholds.size());
  Tensor weights;  // undefined: 1
  if (sample_weight.defined()) weights = ops::broadcast_to(sample_weight, y_pred.shape());
  if (label_weights_in.defined()) {
    Tensor lw = ops::broadcast_to(ops::expand_dims(ops::cast(label_weights_in, dt), 0), y_pred.shape());
    weights = weights.defined() ? ops::multiply(weights, lw) : lw;
  }
  if (!multi_label) {
    y_true = ops::reshape(y_true, {-1});
    y_pred = ops::reshape(y_pred, {-1});
    if (weights.defined()) weights = ops::reshape(weights, {-1});
  }
  // Entries along a new leading threshold axis: (T, N) or (T, N, L).
  Shape thr_shape = multi_label ? Shape{num_t, 1, 1} : Shape{num_t, 1};
  Tensor label_pos = ops::not_equal(y_true, 0.0);
  Tensor pred_pos;  // (T, ...) bool: prediction counted positive at threshold t
  if (evenly) {
    const bool with_eps = thresholds.front() < 0.0 || thresholds.back() > 1.0;
    Tensor p = ops::clip(y_pred, 0.0, 1.0);
    Tensor bucket = ops::subtract(ops::ceil(ops::multiply(p, static_cast<double>(num_t - 1))), 1.0);
    if (with_eps) bucket = ops::maximum(bucket, 0.0);
    Tensor idx = ops::reshape(ops::arange(0.0, static_cast<double>(num_t), 1.0, dt), thr_shape);
    pred_pos = ops::greater_equal(ops::expand_dims(bucket, 0), idx);
  } else {
    Tensor thr = ops::reshape(Tensor::from_vector(thresholds).astype(dt), thr_shape);
    pred_pos = ops::greater(ops::expand_dims(y_pred, 0), thr);
  }
  Tensor label_pos_t = ops::expand_dims(label_pos, 0);
  Tensor w = weights.defined() ? ops::expand_dims(weights, 0) : ops::ones({}, dt);
  auto count = [&](const Tensor& label, const Tensor& pred) {
    Tensor hit = ops::logical_and(label, pred);
    Tensor vals = ops::where(hit, ops::broadcast_to(w, hit.shape()), ops::zeros({}, dt));
    return ops::sum(vals, 1);
  };
  Tensor label_neg_t = ops::logical_not(label_pos_t);
  Tensor pred_neg = ops::logical_not(pred_pos);
  for (const auto& [cond, var] : updates) {
    Tensor delta;
    switch (cond) {
      case Cond::tp: delta = count(label_pos_t, pred_pos); break;
      case Cond::fp: delta = count(label_neg_t, pred_pos); break;
      case Cond::tn: delta = count(label_neg_t, pred_neg); break;
      case Cond::fn: delta = count(label_pos_t, pred_neg); break;
    }
    var->assign_add(delta);
  }
}

Tensor first_or_all(const Tensor& x, std::size_t n) {
  return n == 1 ? ops::reshape(x, Shape{}) : x;
}

nlohmann::json thresholds_config(const std::vector<double>& init) {
  if (init.empty()) return nullptr;
  if (init.size() == 1) return init[0];
  return init;
}

nlohmann::json optional_int(const std::optional<std::int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// x[begin:end] along axis 0.
Tensor rows(const Tensor& x, std::int64_t begin, std::int64_t end) {
  std::vector<std::int64_t> start(static_cast<std::size_t>(x.ndim()), 0);
  start[0] = begin;
  Shape shape = x.shape();
  shape[0] = end - begin;
  return ops::slice(x, start, shape);
}

}  // namespace

// ---- Precision / Recall ----

Precision::Precision(const PrecisionOptions& o)
    : Metric(o.name, o.dtype),
      options_(o),
      thresholds_(parse_init_thresholds(o.thresholds, o.top_k ? kNegInf : 0.5)),
      evenly_(is_evenly_distributed(thresholds_)) {
  const auto n = static_cast<std::int64_t>(thresholds_.size());
  true_positives_ = add_variable({n}, "true_positives");
  false_positives_ = add_variable({n}, "false_positives");
}

void Precision::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) {
  update_confusion_matrix({{Cond::tp, &true_positives_}, {Cond::fp, &false_positives_}}, y_true, y_pred,
                          thresholds_, evenly_, options_.top_k, options_.class_id, sample_weight, false, {});
}

Tensor Precision::result() const {
  Tensor tp = true_positives_.value();
  return first_or_all(losses::detail::divide_no_nan(tp, ops::add(tp, false_positives_.value())), thresholds_.size());
}

nlohmann::json Precision::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["thresholds"] = thresholds_config(options_.thresholds);
  c["top_k"] = optional_int(options_.top_k);
  c["class_id"] = optional_int(options_.class_id);
  return c;
}

Recall::Recall(const RecallOptions& o)
    : Metric(o.name, o.dtype),
      options_(o),
      thresholds_(parse_init_thresholds(o.thresholds, o.top_k ? kNegInf : 0.5)),
      evenly_(is_evenly_distributed(thresholds_)) {
  const auto n = static_cast<std::int64_t>(thresholds_.size());
  true_positives_ = add_variable({n}, "true_positives");
  false_negatives_ = add_variable({n}, "false_negatives");
}

void Recall::update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) {
  update_confusion_matrix({{Cond::tp, &true_positives_}, {Cond::fn, &false_negatives_}}, y_true, y_pred,
                          thresholds_, evenly_, options_.top_k, options_.class_id, sample_weight, false, {});
}

Tensor Recall::result() const {
  Tensor tp = true_positives_.value();
  return first_or_all(losses::detail::divide_no_nan(tp, ops::add(tp, false_negatives_.value())), thresholds_.size());
}

nlohmann::json Recall::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["thresholds"] = thresholds_config(options_.thresholds);
  c["top_k"] = optional_int(options_.top_k);
  c["class_id"] = optional_int(options_.class_id);
  return c;
}

// ---- AUC ----

AUC::AUC(const AUCOptions& o) : Metric(o.name, o.dtype), options_(o) {
  const auto& curve = o.curve;
  if (curve == "pr" || curve == "PR") {
    options_.curve = "PR";
  } else if (curve == "roc" || curve == "ROC") {
    options_.curve = "ROC";
  } else if (curve == "prgain" || curve == "PRGAIN") {
    options_.curve = "PRGAIN";
  } else {
    throw ValueError("Invalid AUC curve value: \"" + curve + "\". Expected values are [\"PR\", \"ROC\", \"PRGAIN\"]");
  }
  const auto& sm = o.summation_method;
  if (sm == "interpolation" || sm == "Interpolation") {
    options_.summation_method = "interpolation";
  } else if (sm == "majoring" || sm == "Majoring") {
    options_.summation_method = "majoring";
  } else if (sm == "minoring" || sm == "Minoring") {
    options_.summation_method = "minoring";
  } else {
    throw ValueError("Invalid AUC summation method value: \"" + sm +
                     "\". Expected values are [\"interpolation\", \"majoring\", \"minoring\"]");
  }
  std::vector<double> inner;
  if (!o.thresholds.empty()) {
    inner = o.thresholds;
    std::sort(inner.begin(), inner.end());
    num_thresholds_ = static_cast<std::int64_t>(inner.size()) + 2;
    std::vector<double> full = {0.0};
    full.insert(full.end(), inner.begin(), inner.end());
    full.push_back(1.0);
    evenly_ = is_evenly_distributed(full);
  } else {
    if (o.num_thresholds <= 1) {
      throw ValueError("Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=" +
                       std::to_string(o.num_thresholds));
    }
    num_thresholds_ = o.num_thresholds;
    for (std::int64_t i = 0; i < num_thresholds_ - 2; ++i) {
      inner.push_back(static_cast<double>(i + 1) * 1.0 / static_cast<double>(num_thresholds_ - 1));
    }
    evenly_ = true;
  }
  thresholds_ = {0.0 - kEpsilon};
  thresholds_.insert(thresholds_.end(), inner.begin(), inner.end());
  thresholds_.push_back(1.0 + kEpsilon);
  options_.num_thresholds = num_thresholds_;
  if (o.multi_label) {
    if (o.num_labels) build({-1, *o.num_labels});
  } else {
    if (o.num_labels) throw ValueError("`num_labels` is needed only when `multi_label` is True.");
    build({});
  }
}

void AUC::build(const Shape& shape) {
  Shape var_shape = {num_thresholds_};
  if (options_.multi_label) {
    if (shape.size() != 2) {
      throw ValueError("`y_pred` must have rank 2 when `multi_label=True`. Found rank " +
                       std::to_string(shape.size()) + ". Full shape received for `y_pred`: " + shape_str(shape));
    }
    labels_ = shape[1];
    var_shape.push_back(labels_);
  }
  true_positives_ = add_variable(var_shape, "true_positives");
  false_positives_ = add_variable(var_shape, "false_positives");
  true_negatives_ = add_variable(var_shape, "true_negatives");
  false_negatives_ = add_variable(var_shape, "false_negatives");
  built_ = true;
}

void AUC::update_state(const Tensor& y_true, const Tensor& y_pred_in, const Tensor& sample_weight) {
  if (!y_pred_in.defined()) throw ValueError("AUC.update_state: y_pred is undefined");
  if (!built_) build(y_pred_in.shape());
  Tensor y_pred = options_.from_logits ? ops::sigmoid(y_pred_in) : y_pred_in;
  Tensor label_weights;
  if (!options_.multi_label && !options_.label_weights.empty()) {
    label_weights = Tensor::from_vector(options_.label_weights).astype(dtype());
  }
  update_confusion_matrix({{Cond::tp, &true_positives_},
                           {Cond::tn, &true_negatives_},
                           {Cond::fp, &false_positives_},
                           {Cond::fn, &false_negatives_}},
                          y_true, y_pred, thresholds_, evenly_, std::nullopt, std::nullopt, sample_weight,
                          options_.multi_label, label_weights);
}

namespace {

Tensor aggregate(const Tensor& terms, bool multi_label, const std::vector<double>& label_weights, DType dtype) {
  if (!multi_label) return ops::sum(terms);
  Tensor by_label = ops::sum(terms, 0);
  if (label_weights.empty()) return ops::mean(by_label);
  Tensor lw = Tensor::from_vector(label_weights).astype(dtype);
  return losses::detail::divide_no_nan(ops::sum(ops::multiply(by_label, lw)), ops::sum(lw));
}

}  // namespace

Tensor AUC::interpolate_pr_auc() const {
  const std::int64_t n = num_thresholds_;
  Tensor tp = true_positives_.value();
  Tensor fp = false_positives_.value();
  Tensor fn = false_negatives_.value();
  Tensor dtp = ops::subtract(rows(tp, 0, n - 1), rows(tp, 1, n));
  Tensor p = ops::add(tp, fp);
  Tensor p_lo = rows(p, 0, n - 1);
  Tensor p_hi = rows(p, 1, n);
  Tensor dp = ops::subtract(p_lo, p_hi);
  Tensor prec_slope = losses::detail::divide_no_nan(dtp, ops::maximum(dp, 0.0));
  Tensor intercept = ops::subtract(rows(tp, 1, n), ops::multiply(prec_slope, p_hi));
  Tensor safe_p_ratio = ops::where(ops::logical_and(ops::greater(p_lo, 0.0), ops::greater(p_hi, 0.0)),
                                   losses::detail::divide_no_nan(p_lo, ops::maximum(p_hi, 0.0)), ops::ones_like(p_hi));
  Tensor increment = losses::detail::divide_no_nan(
      ops::multiply(prec_slope, ops::add(dtp, ops::multiply(intercept, ops::log(safe_p_ratio)))),
      ops::maximum(ops::add(rows(tp, 1, n), rows(fn, 1, n)), 0.0));
  return aggregate(increment, options_.multi_label, options_.label_weights, dtype());
}

Tensor AUC::result() const {
  if (!built_) return ops::zeros({}, dtype());
  if (options_.curve == "PR" && options_.summation_method == "interpolation") return interpolate_pr_auc();
  using losses::detail::divide_no_nan;
  Tensor tp = true_positives_.value();
  Tensor fp = false_positives_.value();
  Tensor tn = true_negatives_.value();
  Tensor fn = false_negatives_.value();
  Tensor recall = divide_no_nan(tp, ops::add(tp, fn));
  Tensor x;
  Tensor y;
  if (options_.curve == "ROC") {
    x = divide_no_nan(fp, ops::add(fp, tn));
    y = recall;
  } else if (options_.curve == "PR") {
    x = recall;
    y = divide_no_nan(tp, ops::add(tp, fp));
  } else {
    Tensor scaling = divide_no_nan(ops::add(tp, fn), ops::add(tn, fp));
    Tensor recall_gain = ops::subtract(1.0, ops::multiply(scaling, divide_no_nan(fn, tp)));
    Tensor precision_gain = ops::subtract(1.0, ops::multiply(scaling, divide_no_nan(fp, tp)));
    Tensor tp_zero = ops::equal(tp, 0.0);
    recall_gain = ops::where(tp_zero, ops::zeros_like(recall_gain), recall_gain);
    precision_gain = ops::where(tp_zero, ops::ones_like(precision_gain), precision_gain);
    x = ops::maximum(recall_gain, 0.0);
    y = precision_gain;
  }
  const std::int64_t n = num_thresholds_;
  Tensor y_lo = rows(y, 0, n - 1);
  Tensor y_hi = rows(y, 1, n);
  Tensor heights;
  if (options_.summation_method == "interpolation") {
    heights = ops::divide(ops::add(y_lo, y_hi), 2.0);
  } else if (options_.summation_method == "minoring") {
    heights = ops::minimum(y_lo, y_hi);
  } else {
    heights = ops::maximum(y_lo, y_hi);
  }
  Tensor terms = ops::multiply(ops::subtract(rows(x, 0, n - 1), rows(x, 1, n)), heights);
  return aggregate(terms, options_.multi_label, options_.label_weights, dtype());
}

void AUC::reset_state() {
  if (built_) Metric::reset_state();
}

nlohmann::json AUC::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["num_thresholds"] = num_thresholds_;
  c["curve"] = options_.curve;
  c["summation_method"] = options_.summation_method;
  c["multi_label"] = options_.multi_label;
  c["num_labels"] = optional_int(options_.num_labels);
  c["label_weights"] = options_.label_weights.empty() ? nlohmann::json(nullptr) : nlohmann::json(options_.label_weights);
  c["from_logits"] = options_.from_logits;
  // Keras adds the inner thresholds only when they were given.
  if (!options_.thresholds.empty()) {
    c["thresholds"] = std::vector<double>(thresholds_.begin() + 1, thresholds_.end() - 1);
  }
  return c;
}

}  // namespace keras::metrics
