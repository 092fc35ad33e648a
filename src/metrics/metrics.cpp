// keras.metrics.get / serialize, compile()'s resolution of metric names by shapes, and
// MetricArg. Follows keras/src/metrics/__init__.py and keras/src/trainers/compile_utils.py.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "keras/metrics.hpp"
#include "saving/registry.hpp"
#include "utils/object_config.hpp"

namespace keras::metrics {

namespace {

using keras::detail::ConfigReader;

// Fields ConfigReader does not read (bools, the dtype, lists of floats), taken out of the
// config before it sees the rest.
struct Extra {
  std::optional<bool> from_logits;
  std::optional<bool> multi_label;
  DType dtype = floatx();
  std::vector<double> thresholds;
  std::vector<double> label_weights;
};

bool take_bool(nlohmann::json& config, const char* key, const std::string& cls, std::optional<bool>& out) {
  auto it = config.find(key);
  if (it == config.end()) return false;
  if (it->is_boolean()) {
    out = it->get<bool>();
  } else if (!it->is_null()) {
    throw TypeError(cls + ": expected a bool for config key '" + key + "', got " + it->dump());
  }
  config.erase(it);
  return true;
}

std::vector<double> take_floats(nlohmann::json& config, const char* key, const std::string& cls) {
  std::vector<double> out;
  auto it = config.find(key);
  if (it == config.end()) return out;
  if (it->is_number()) {
    out.push_back(it->get<double>());
  } else if (it->is_array()) {
    for (const auto& v : *it) {
      if (!v.is_number()) throw TypeError(cls + ": expected numbers in config key '" + key + "', got " + it->dump());
      out.push_back(v.get<double>());
    }
  } else if (!it->is_null()) {
    throw TypeError(cls + ": expected a number or a list for config key '" + key + "', got " + it->dump());
  }
  config.erase(it);
  return out;
}

Extra take_extra(nlohmann::json& config, const std::string& cls) {
  Extra e;
  take_bool(config, "from_logits", cls, e.from_logits);
  take_bool(config, "multi_label", cls, e.multi_label);
  auto dt = config.find("dtype");
  if (dt != config.end()) {
    if (dt->is_string()) {
      e.dtype = dtype_from_name(dt->get<std::string>());
    } else if (dt->is_object() && dt->contains("config") && (*dt)["config"].contains("name")) {
      e.dtype = dtype_from_name((*dt)["config"]["name"].get<std::string>());  // a DTypePolicy
    } else if (!dt->is_null()) {
      throw TypeError(cls + ": cannot read the dtype " + dt->dump());
    }
    config.erase(dt);
  }
  e.thresholds = take_floats(config, "thresholds", cls);
  e.label_weights = take_floats(config, "label_weights", cls);
  return e;
}

std::optional<std::int64_t> opt_int(ConfigReader& c, const std::string& key) {
  const double v = c.number(key, std::numeric_limits<double>::quiet_NaN());
  if (std::isnan(v)) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

using Factory = std::function<MetricPtr(ConfigReader&, const Extra&)>;

template <class M>
Factory simple(const char* default_name) {
  return [default_name](ConfigReader& c, const Extra& e) -> MetricPtr {
    return std::make_shared<M>(MetricOptions{.name = c.string("name", default_name), .dtype = e.dtype});
  };
}

const std::map<std::string, Factory, std::less<>>& class_table() {
  static const std::map<std::string, Factory, std::less<>> table = [] {
    std::map<std::string, Factory, std::less<>> t;
    t["Mean"] = simple<Mean>("mean");
    t["Sum"] = simple<Sum>("sum");
    t["Accuracy"] = simple<Accuracy>("accuracy");
    t["CategoricalAccuracy"] = simple<CategoricalAccuracy>("categorical_accuracy");
    t["SparseCategoricalAccuracy"] = simple<SparseCategoricalAccuracy>("sparse_categorical_accuracy");
    t["MeanSquaredError"] = simple<MeanSquaredError>("mean_squared_error");
    t["MeanAbsoluteError"] = simple<MeanAbsoluteError>("mean_absolute_error");
    t["MeanAbsolutePercentageError"] = simple<MeanAbsolutePercentageError>("mean_absolute_percentage_error");
    t["MeanSquaredLogarithmicError"] = simple<MeanSquaredLogarithmicError>("mean_squared_logarithmic_error");
    t["RootMeanSquaredError"] = simple<RootMeanSquaredError>("root_mean_squared_error");
    t["LogCoshError"] = simple<LogCoshError>("logcosh");
    t["Hinge"] = simple<Hinge>("hinge");
    t["SquaredHinge"] = simple<SquaredHinge>("squared_hinge");
    t["CategoricalHinge"] = simple<CategoricalHinge>("categorical_hinge");
    t["KLDivergence"] = simple<KLDivergence>("kl_divergence");
    t["Poisson"] = simple<Poisson>("poisson");
    t["BinaryAccuracy"] = [](ConfigReader& c, const Extra& e) -> MetricPtr {
      return std::make_shared<BinaryAccuracy>(BinaryAccuracyOptions{
          .name = c.string("name", "binary_accuracy"), .dtype = e.dtype, .threshold = c.number("threshold", 0.5)});
    };
    t["TopKCategoricalAccuracy"] = [](ConfigReader& c, const Extra& e) -> MetricPtr {
      return std::make_shared<TopKCategoricalAccuracy>(TopKCategoricalAccuracyOptions{
          .k = static_cast<std::int64_t>(c.number("k", 5)),
          .name = c.string("name", "top_k_categorical_accuracy"),
          .dtype = e.dtype});
    };
    t["SparseTopKCategoricalAccuracy"] = [](ConfigReader& c, const Extra& e) -> MetricPtr {
      return std::make_shared<SparseTopKCategoricalAccuracy>(SparseTopKCategoricalAccuracyOptions{
          .k = static_cast<std::int64_t>(c.number("k", 5)),
          .name = c.string("name", "sparse_top_k_categorical_accuracy"),
          .dtype = e.dtype});
    };
    t["CosineSimilarity"] = [](ConfigReader& c, const Extra& e) -> MetricPtr {
      return std::make_shared<CosineSimilarity>(CosineSimilarityOptions{
          .name = c.string("name", "cosine_similarity"),
          .dtype = e.dtype,
          .axis = static_cast<std::int64_t>(c.number("axis", -1))});
    };
    t["BinaryCrossentropy"] = [](ConfigReader& c, const Extra& e) -> MetricPtr {
      return std::make_shared<BinaryCrossentropy>(BinaryCrossentropyOptions{
          .name = c.string("name", "binary_crossentropy"),
          .dtype = e.dtype,
          .from_logits = e.from_logits.value_or(false),
          .label_smoothing = c.number("label_smoothing", 0.0)});
    };
    t["CategoricalCrossentropy"] = [](ConfigReader& c, const Extra& e) -> MetricPtr {
      return std::make_shared<CategoricalCrossentropy>(CategoricalCrossentropyOptions{
          .name = c.string("name", "categorical_crossentropy"),
          .dtype = e.dtype,
          .from_logits = e.from_logits.value_or(false),
          .label_smoothing = c.number("label_smoothing", 0.0),
          .axis = static_cast<std::int64_t>(c.number("axis", -1))});
    };
    t["SparseCategoricalCrossentropy"] = [](ConfigReader& c, const Extra& e) -> MetricPtr {
      return std::make_shared<SparseCategoricalCrossentropy>(SparseCategoricalCrossentropyOptions{
          .name = c.string("name", "sparse_categorical_crossentropy"),
          .dtype = e.dtype,
          .from_logits = e.from_logits.value_or(false),
          .ignore_class = opt_int(c, "ignore_class"),
          .axis = static_cast<std::int64_t>(c.number("axis", -1))});
    };
    t["Precision"] = [](ConfigReader& c, const Extra& e) -> MetricPtr {
      return std::make_shared<Precision>(PrecisionOptions{.thresholds = e.thresholds,
                                                          .top_k = opt_int(c, "top_k"),
                                                          .class_id = opt_int(c, "class_id"),
                                                          .name = c.string("name", "precision"),
                                                          .dtype = e.dtype});
    };
    t["Recall"] = [](ConfigReader& c, const Extra& e) -> MetricPtr {
      return std::make_shared<Recall>(RecallOptions{.thresholds = e.thresholds,
                                                    .top_k = opt_int(c, "top_k"),
                                                    .class_id = opt_int(c, "class_id"),
                                                    .name = c.string("name", "recall"),
                                                    .dtype = e.dtype});
    };
    t["AUC"] = [](ConfigReader& c, const Extra& e) -> MetricPtr {
      return std::make_shared<AUC>(AUCOptions{.num_thresholds = static_cast<std::int64_t>(c.number("num_thresholds", 200)),
                                              .curve = c.string("curve", "ROC"),
                                              .summation_method = c.string("summation_method", "interpolation"),
                                              .name = c.string("name", "auc"),
                                              .dtype = e.dtype,
                                              .thresholds = e.thresholds,
                                              .multi_label = e.multi_label.value_or(false),
                                              .num_labels = opt_int(c, "num_labels"),
                                              .label_weights = e.label_weights,
                                              .from_logits = e.from_logits.value_or(false)});
    };
    // Keras's to_snake_case names of the classes, and its aliases.
    const std::pair<const char*, const char*> names[] = {
        {"mean", "Mean"},
        {"sum", "Sum"},
        {"accuracy", "Accuracy"},
        {"binary_accuracy", "BinaryAccuracy"},
        {"categorical_accuracy", "CategoricalAccuracy"},
        {"sparse_categorical_accuracy", "SparseCategoricalAccuracy"},
        {"top_k_categorical_accuracy", "TopKCategoricalAccuracy"},
        {"sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy"},
        {"mean_squared_error", "MeanSquaredError"},
        {"mse", "MeanSquaredError"},
        {"MSE", "MeanSquaredError"},
        {"mean_absolute_error", "MeanAbsoluteError"},
        {"mae", "MeanAbsoluteError"},
        {"MAE", "MeanAbsoluteError"},
        {"mean_absolute_percentage_error", "MeanAbsolutePercentageError"},
        {"mape", "MeanAbsolutePercentageError"},
        {"MAPE", "MeanAbsolutePercentageError"},
        {"mean_squared_logarithmic_error", "MeanSquaredLogarithmicError"},
        {"msle", "MeanSquaredLogarithmicError"},
        {"MSLE", "MeanSquaredLogarithmicError"},
        {"root_mean_squared_error", "RootMeanSquaredError"},
        {"log_cosh_error", "LogCoshError"},
        {"cosine_similarity", "CosineSimilarity"},
        {"hinge", "Hinge"},
        {"squared_hinge", "SquaredHinge"},
        {"categorical_hinge", "CategoricalHinge"},
        {"kl_divergence", "KLDivergence"},
        {"poisson", "Poisson"},
        {"binary_crossentropy", "BinaryCrossentropy"},
        {"bce", "BinaryCrossentropy"},
        {"BCE", "BinaryCrossentropy"},
        {"categorical_crossentropy", "CategoricalCrossentropy"},
        {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"},
        {"precision", "Precision"},
        {"recall", "Recall"},
        {"auc", "AUC"},
    };
    for (const auto& [alias, cls] : names) t[alias] = t.at(cls);
    return t;
  }();
  return table;
}

MetricPtr from_class(const std::string& cls, nlohmann::json config, const nlohmann::json& full) {
  const auto& table = class_table();
  auto it = table.find(cls);
  if (it == table.end()) {
    throw TypeError("Could not locate class '" + cls +
                    "'. Make sure custom classes are registered before loading them. Full object config: " +
                    full.dump());
  }
  if (!config.is_object()) throw TypeError("The config of a metric must be a dict. Received: " + config.dump());
  const Extra extra = take_extra(config, cls);
  ConfigReader reader(config, cls);
  MetricPtr m = it->second(reader, extra);
  reader.finish();
  return m;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

MetricPtr get(const nlohmann::json& identifier) {
  if (identifier.is_null()) return nullptr;
  if (identifier.is_object()) {
    const auto id = keras::detail::parse_object_dict(identifier, "metric");
    return from_class(id.class_name, id.config, identifier);
  }
  if (identifier.is_string()) {
    const auto name = identifier.get<std::string>();
    if (class_table().count(name) != 0) return from_class(name, nlohmann::json::object(), identifier);
    // A custom metric registered under this name (keras::saving::register_metric).
    if (auto custom = saving::detail::registered_metric(name)) return custom->make({}, {});
  }
  throw ValueError("Could not interpret metric identifier: " +
                   (identifier.is_string() ? identifier.get<std::string>() : identifier.dump()));
}

MetricPtr resolve(const std::string& name, const Shape& y_true_shape, const Shape& y_pred_shape) {
  const std::string key = lower(name);
  if (key == "accuracy" || key == "acc" || key == "crossentropy" || key == "ce") {
    // Keras's is_binary_or_sparse_categorical.
    const std::int64_t t_last = y_true_shape.empty() ? -1 : y_true_shape.back();
    const std::int64_t p_last = y_pred_shape.empty() ? -1 : y_pred_shape.back();
    const bool is_binary = p_last == 1;
    const bool is_sparse = y_true_shape.size() < y_pred_shape.size() || (t_last == 1 && p_last > 1);
    const bool acc = key == "accuracy" || key == "acc";
    const char* cls = nullptr;
    if (is_binary) {
      cls = acc ? "BinaryAccuracy" : "BinaryCrossentropy";
    } else if (is_sparse) {
      cls = acc ? "SparseCategoricalAccuracy" : "SparseCategoricalCrossentropy";
    } else {
      cls = acc ? "CategoricalAccuracy" : "CategoricalCrossentropy";
    }
    return from_class(cls, {{"name", name}}, name);
  }
  if (class_table().count(name) == 0) {
    if (auto custom = saving::detail::registered_metric(name)) return custom->make(y_true_shape, y_pred_shape);
    throw ValueError("Could not interpret metric identifier: " + name);
  }
  // compile() names a metric after the string given.
  return from_class(name, {{"name", name}}, name);
}

MetricArg::MetricArg(std::string name, MetricFunction fn) : name_(std::move(name)), fn_(std::move(fn)) {
  if (!fn_) throw ValueError("MetricArg: the metric function is empty");
}

MetricPtr MetricArg::make(const Shape& y_true_shape, const Shape& y_pred_shape) const {
  if (metric_) return metric_;
  if (fn_) return std::make_shared<MeanMetricWrapper>(fn_, MetricOptions{.name = name_.empty() ? "metric" : name_});
  return resolve(name_, y_true_shape, y_pred_shape);
}

nlohmann::json serialize(const Metric& metric) {
  return keras::detail::keras_object("keras.metrics", metric.class_name(), metric.get_config());
}

}  // namespace keras::metrics
