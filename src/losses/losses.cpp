// The per-sample loss functions, the Loss classes and keras.losses.get / serialize, following
// keras/src/losses/losses.py and keras/src/losses/__init__.py (Keras 3).
#include "keras/losses.hpp"

#include <cmath>
#include <limits>

#include "keras/input.hpp"
#include "keras/ops/creation.hpp"
#include "keras/ops/manipulation.hpp"
#include "keras/ops/math.hpp"
#include "keras/ops/nn.hpp"
#include "keras/ops/reduction.hpp"
#include "losses/loss_utils.hpp"
#include "saving/registry.hpp"
#include "utils/object_config.hpp"

namespace keras::losses {

namespace {

constexpr double kEpsilon = 1e-7;

void require_defined(const Tensor& y_true, const Tensor& y_pred, const char* fn) {
  if (!y_true.defined() || !y_pred.defined()) {
    throw ValueError(std::string(fn) + ": y_true and y_pred must be defined tensors");
  }
}

// y_pred in its floating dtype, y_true cast to it (Keras's convert_to_tensor(y_true,
// dtype=y_pred.dtype)).
std::pair<Tensor, Tensor> as_pred_dtype(const Tensor& y_true, const Tensor& y_pred, const char* fn) {
  require_defined(y_true, y_pred, fn);
  const DType dtype = detail::float_dtype(y_pred);
  Tensor p = y_pred.dtype() == dtype ? y_pred : ops::cast(y_pred, dtype);
  Tensor t = y_true.dtype() == dtype ? y_true : ops::cast(y_true, dtype);
  return {t, p};
}

// As above, then squeeze_or_expand_to_same_rank.
std::pair<Tensor, Tensor> aligned(const Tensor& y_true, const Tensor& y_pred, const char* fn) {
  auto [t, p] = as_pred_dtype(y_true, y_pred, fn);
  return squeeze_or_expand_to_same_rank(t, p);
}

Tensor scalar_like(double value, const Tensor& x) { return Tensor::scalar(value, x.dtype()); }

Tensor convert_binary_labels_to_hinge(const Tensor& y_true) {
  Tensor binary = ops::all(ops::logical_or(ops::equal(y_true, 0.0), ops::equal(y_true, 1.0)));
  if (binary.item<double>() != 0.0) return ops::subtract(ops::multiply(2.0, y_true), 1.0);
  return y_true;
}

void check_smoothing(double label_smoothing) {
  if (!std::isfinite(label_smoothing)) {
    throw ValueError("label_smoothing must be a finite number. Received: label_smoothing=" +
                     keras::detail::python_float(label_smoothing));
  }
}

}  // namespace

// ---- Functions ----

Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = aligned(y_true, y_pred, "mean_squared_error");
  return ops::mean(ops::square(ops::subtract(t, p)), -1);
}

Tensor mean_absolute_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = aligned(y_true, y_pred, "mean_absolute_error");
  return ops::mean(ops::abs(ops::subtract(t, p)), -1);
}

Tensor mean_absolute_percentage_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = aligned(y_true, y_pred, "mean_absolute_percentage_error");
  Tensor diff = ops::abs(ops::divide(ops::subtract(t, p), ops::maximum(ops::abs(t), scalar_like(kEpsilon, p))));
  return ops::multiply(100.0, ops::mean(diff, -1));
}

Tensor mean_squared_logarithmic_error(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = aligned(y_true, y_pred, "mean_squared_logarithmic_error");
  Tensor eps = scalar_like(kEpsilon, p);
  Tensor first = ops::log(ops::add(ops::maximum(p, eps), 1.0));
  Tensor second = ops::log(ops::add(ops::maximum(t, eps), 1.0));
  return ops::mean(ops::square(ops::subtract(first, second)), -1);
}

Tensor huber(const Tensor& y_true, const Tensor& y_pred, double delta) {
  auto [t, p] = aligned(y_true, y_pred, "huber");
  Tensor error = ops::subtract(p, t);
  Tensor abs_error = ops::abs(error);
  Tensor d = scalar_like(delta, p);
  Tensor quadratic = ops::multiply(0.5, ops::square(error));
  Tensor linear = ops::subtract(ops::multiply(d, abs_error), scalar_like(0.5 * delta * delta, p));
  return ops::mean(ops::where(ops::less_equal(abs_error, d), quadratic, linear), -1);
}

Tensor log_cosh(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = aligned(y_true, y_pred, "log_cosh");
  Tensor x = ops::subtract(p, t);
  Tensor value = ops::subtract(ops::add(x, ops::softplus(ops::multiply(x, -2.0))), scalar_like(std::log(2.0), p));
  return ops::mean(value, -1);
}

Tensor hinge(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = as_pred_dtype(y_true, y_pred, "hinge");
  t = convert_binary_labels_to_hinge(t);
  return ops::mean(ops::maximum(ops::subtract(1.0, ops::multiply(t, p)), 0.0), -1);
}

Tensor squared_hinge(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = as_pred_dtype(y_true, y_pred, "squared_hinge");
  t = convert_binary_labels_to_hinge(t);
  return ops::mean(ops::square(ops::maximum(ops::subtract(1.0, ops::multiply(t, p)), 0.0)), -1);
}

Tensor categorical_hinge(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = as_pred_dtype(y_true, y_pred, "categorical_hinge");
  Tensor pos = ops::sum(ops::multiply(t, p), -1);
  Tensor neg = ops::max(ops::multiply(ops::subtract(1.0, t), p), -1);
  return ops::maximum(ops::add(ops::subtract(neg, pos), 1.0), 0.0);
}

Tensor kl_divergence(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = as_pred_dtype(y_true, y_pred, "kl_divergence");
  t = ops::clip(t, kEpsilon, 1.0);
  p = ops::clip(p, kEpsilon, 1.0);
  return ops::sum(ops::multiply(t, ops::log(ops::divide(t, p))), -1);
}

Tensor poisson(const Tensor& y_true, const Tensor& y_pred) {
  auto [t, p] = as_pred_dtype(y_true, y_pred, "poisson");
  return ops::mean(ops::subtract(p, ops::multiply(t, ops::log(ops::add(p, scalar_like(kEpsilon, p))))), -1);
}

Tensor cosine_similarity(const Tensor& y_true, const Tensor& y_pred, std::int64_t axis) {
  auto [t, p] = aligned(y_true, y_pred, "cosine_similarity");
  // Keras's normalize: x * rsqrt(max(sum(x^2), epsilon^2)).
  Tensor pn = ops::l2_normalize(p, axis, kEpsilon * kEpsilon);
  Tensor tn = ops::l2_normalize(t, axis, kEpsilon * kEpsilon);
  return ops::negative(ops::sum(ops::multiply(tn, pn), axis));
}

Tensor binary_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits,
                           double label_smoothing, std::int64_t axis) {
  check_smoothing(label_smoothing);
  auto [t, p] = as_pred_dtype(y_true, y_pred, "binary_crossentropy");
  if (label_smoothing != 0.0) {
    t = ops::add(ops::multiply(t, 1.0 - label_smoothing), 0.5 * label_smoothing);
  }
  return ops::mean(ops::binary_crossentropy(t, p, from_logits), axis);
}

Tensor categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits,
                                double label_smoothing, std::int64_t axis) {
  check_smoothing(label_smoothing);
  auto [t, p] = as_pred_dtype(y_true, y_pred, "categorical_crossentropy");
  if (p.ndim() == 0) {
    throw ValueError("categorical_crossentropy: y_pred must be at least rank 1. Received: y_pred.shape=" +
                     shape_str(p.shape()));
  }
  if (axis < -p.ndim() || axis >= p.ndim()) {
    throw ValueError("categorical_crossentropy: axis " + std::to_string(axis) +
                     " is out of bounds for y_pred.shape=" + shape_str(p.shape()));
  }
  const std::int64_t a = axis < 0 ? axis + p.ndim() : axis;
  if (label_smoothing != 0.0) {
    const double classes = static_cast<double>(p.dim(a));
    t = ops::add(ops::multiply(t, 1.0 - label_smoothing), label_smoothing / classes);
  }
  return ops::categorical_crossentropy(t, p, from_logits, a);
}

Tensor sparse_categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits,
                                       std::optional<std::int64_t> ignore_class, std::int64_t axis) {
  require_defined(y_true, y_pred, "sparse_categorical_crossentropy");
  Tensor t = y_true;
  Tensor p = y_pred.dtype() == detail::float_dtype(y_pred) ? y_pred : ops::cast(y_pred, detail::float_dtype(y_pred));
  if (p.ndim() == 0) {
    throw ValueError("sparse_categorical_crossentropy: y_pred must be at least rank 1. Received: y_pred.shape=" +
                     shape_str(p.shape()));
  }
  if (axis < -p.ndim() || axis >= p.ndim()) {
    throw ValueError("sparse_categorical_crossentropy: axis " + std::to_string(axis) +
                     " is out of bounds for y_pred.shape=" + shape_str(p.shape()));
  }
  if (t.ndim() == p.ndim() && t.dim(axis) == 1) t = ops::squeeze(t, axis);
  if (!ignore_class) return ops::sparse_categorical_crossentropy(t, p, from_logits, axis);
  const std::int64_t class_axis = axis < 0 ? axis + p.ndim() : axis;
  Shape res_shape = p.shape();
  res_shape.erase(res_shape.begin() + class_axis);
  Tensor valid = ops::not_equal(ops::cast(t, p.dtype()), Tensor::scalar(static_cast<double>(*ignore_class), p.dtype()));
  t = ops::where(valid, t, ops::zeros_like(t));
  p = ops::where(ops::expand_dims(valid, axis), p, ops::zeros_like(p));
  Tensor res = ops::sparse_categorical_crossentropy(t, p, from_logits, axis);
  valid = ops::reshape(valid, res_shape);
  res = ops::where(valid, res, ops::zeros_like(res));
  return with_keras_mask(res, valid);
}

Tensor binary_focal_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool apply_class_balancing,
                                 double alpha, double gamma, bool from_logits, double label_smoothing,
                                 std::int64_t axis) {
  check_smoothing(label_smoothing);
  auto [t, p] = as_pred_dtype(y_true, y_pred, "binary_focal_crossentropy");
  if (label_smoothing != 0.0) {
    t = ops::add(ops::multiply(t, 1.0 - label_smoothing), 0.5 * label_smoothing);
  }
  if (from_logits) p = ops::sigmoid(p);
  Tensor bce = ops::binary_crossentropy(t, p, false);
  Tensor p_t = ops::add(ops::multiply(t, p), ops::multiply(ops::subtract(1.0, t), ops::subtract(1.0, p)));
  Tensor focal = ops::power(ops::subtract(1.0, p_t), scalar_like(gamma, p));
  Tensor loss = ops::multiply(focal, bce);
  if (apply_class_balancing) {
    Tensor weight = ops::add(ops::multiply(t, alpha), ops::multiply(ops::subtract(1.0, t), 1.0 - alpha));
    loss = ops::multiply(weight, loss);
  }
  return ops::mean(loss, axis);
}

// ---- Classes ----

MeanSquaredError::MeanSquaredError(const MeanSquaredErrorOptions& o)
    : LossFunctionWrapper(mean_squared_error, {.name = o.name, .reduction = o.reduction}) {}

MeanAbsoluteError::MeanAbsoluteError(const MeanAbsoluteErrorOptions& o)
    : LossFunctionWrapper(mean_absolute_error, {.name = o.name, .reduction = o.reduction}) {}

MeanAbsolutePercentageError::MeanAbsolutePercentageError(const MeanAbsolutePercentageErrorOptions& o)
    : LossFunctionWrapper(mean_absolute_percentage_error, {.name = o.name, .reduction = o.reduction}) {}

MeanSquaredLogarithmicError::MeanSquaredLogarithmicError(const MeanSquaredLogarithmicErrorOptions& o)
    : LossFunctionWrapper(mean_squared_logarithmic_error, {.name = o.name, .reduction = o.reduction}) {}

CosineSimilarity::CosineSimilarity(const CosineSimilarityOptions& o)
    : LossFunctionWrapper([axis = o.axis](const Tensor& t, const Tensor& p) { return cosine_similarity(t, p, axis); },
                          {.name = o.name, .reduction = o.reduction}),
      options_(o) {}

nlohmann::json CosineSimilarity::get_config() const {
  nlohmann::json config = Loss::get_config();
  config["axis"] = options_.axis;
  return config;
}

Huber::Huber(const HuberOptions& o)
    : LossFunctionWrapper([delta = o.delta](const Tensor& t, const Tensor& p) { return huber(t, p, delta); },
                          {.name = o.name, .reduction = o.reduction}),
      options_(o) {}

nlohmann::json Huber::get_config() const {
  nlohmann::json config = Loss::get_config();
  config["delta"] = options_.delta;
  return config;
}

LogCosh::LogCosh(const LogCoshOptions& o)
    : LossFunctionWrapper(log_cosh, {.name = o.name, .reduction = o.reduction}) {}

Hinge::Hinge(const HingeOptions& o) : LossFunctionWrapper(hinge, {.name = o.name, .reduction = o.reduction}) {}

SquaredHinge::SquaredHinge(const SquaredHingeOptions& o)
    : LossFunctionWrapper(squared_hinge, {.name = o.name, .reduction = o.reduction}) {}

CategoricalHinge::CategoricalHinge(const CategoricalHingeOptions& o)
    : LossFunctionWrapper(categorical_hinge, {.name = o.name, .reduction = o.reduction}) {}

KLDivergence::KLDivergence(const KLDivergenceOptions& o)
    : LossFunctionWrapper(kl_divergence, {.name = o.name, .reduction = o.reduction}) {}

Poisson::Poisson(const PoissonOptions& o) : LossFunctionWrapper(poisson, {.name = o.name, .reduction = o.reduction}) {}

BinaryCrossentropy::BinaryCrossentropy(const BinaryCrossentropyOptions& o)
    : LossFunctionWrapper(
          [o](const Tensor& t, const Tensor& p) { return binary_crossentropy(t, p, o.from_logits, o.label_smoothing, o.axis); },
          {.name = o.name, .reduction = o.reduction}),
      options_(o) {
  check_smoothing(o.label_smoothing);
}

nlohmann::json BinaryCrossentropy::get_config() const {
  nlohmann::json config = Loss::get_config();
  config["from_logits"] = options_.from_logits;
  config["label_smoothing"] = options_.label_smoothing;
  config["axis"] = options_.axis;
  return config;
}

BinaryFocalCrossentropy::BinaryFocalCrossentropy(const BinaryFocalCrossentropyOptions& o)
    : LossFunctionWrapper(
          [o](const Tensor& t, const Tensor& p) {
            return binary_focal_crossentropy(t, p, o.apply_class_balancing, o.alpha, o.gamma, o.from_logits,
                                             o.label_smoothing, o.axis);
          },
          {.name = o.name, .reduction = o.reduction}),
      options_(o) {
  check_smoothing(o.label_smoothing);
}

nlohmann::json BinaryFocalCrossentropy::get_config() const {
  nlohmann::json config = Loss::get_config();
  config["from_logits"] = options_.from_logits;
  config["label_smoothing"] = options_.label_smoothing;
  config["axis"] = options_.axis;
  config["apply_class_balancing"] = options_.apply_class_balancing;
  config["alpha"] = options_.alpha;
  config["gamma"] = options_.gamma;
  return config;
}

CategoricalCrossentropy::CategoricalCrossentropy(const CategoricalCrossentropyOptions& o)
    : LossFunctionWrapper(
          [o](const Tensor& t, const Tensor& p) {
            return categorical_crossentropy(t, p, o.from_logits, o.label_smoothing, o.axis);
          },
          {.name = o.name, .reduction = o.reduction}),
      options_(o) {
  check_smoothing(o.label_smoothing);
}

nlohmann::json CategoricalCrossentropy::get_config() const {
  nlohmann::json config = Loss::get_config();
  config["from_logits"] = options_.from_logits;
  config["label_smoothing"] = options_.label_smoothing;
  config["axis"] = options_.axis;
  return config;
}

SparseCategoricalCrossentropy::SparseCategoricalCrossentropy(const SparseCategoricalCrossentropyOptions& o)
    : LossFunctionWrapper(
          [o](const Tensor& t, const Tensor& p) {
            return sparse_categorical_crossentropy(t, p, o.from_logits, o.ignore_class, o.axis);
          },
          {.name = o.name, .reduction = o.reduction}),
      options_(o) {}

nlohmann::json SparseCategoricalCrossentropy::get_config() const {
  nlohmann::json config = Loss::get_config();
  config["from_logits"] = options_.from_logits;
  config["ignore_class"] = options_.ignore_class ? nlohmann::json(*options_.ignore_class) : nlohmann::json(nullptr);
  config["axis"] = options_.axis;
  return config;
}

// ---- get / serialize ----

namespace {

using keras::detail::ConfigReader;
using Factory = std::function<LossPtr(ConfigReader&)>;

// Bool fields are taken out of the config before ConfigReader sees it (it reads numbers and
// strings); TypeError for a non-bool.
bool take_bool(nlohmann::json& config, const std::string& key, bool fallback, const std::string& cls) {
  auto it = config.find(key);
  if (it == config.end()) return fallback;
  bool value = fallback;
  if (it->is_boolean()) {
    value = it->get<bool>();
  } else if (!it->is_null()) {
    throw TypeError(cls + ": expected a bool for config key '" + key + "', got " + it->dump());
  }
  config.erase(it);
  return value;
}

std::int64_t read_int(ConfigReader& c, const std::string& key, std::int64_t fallback) {
  return static_cast<std::int64_t>(c.number(key, static_cast<double>(fallback)));
}

template <class L, class O>
Factory simple(const char* default_name) {
  return [default_name](ConfigReader& c) -> LossPtr {
    O o;
    o.reduction = c.string("reduction", "sum_over_batch_size");
    o.name = c.string("name", default_name);
    return std::make_shared<const L>(o);
  };
}

const keras::detail::Registry<LossPtr>& class_table() {
  static const keras::detail::Registry<LossPtr> table = [] {
    keras::detail::Registry<LossPtr> t;
    t["MeanSquaredError"] = simple<MeanSquaredError, MeanSquaredErrorOptions>("mean_squared_error");
    t["MeanAbsoluteError"] = simple<MeanAbsoluteError, MeanAbsoluteErrorOptions>("mean_absolute_error");
    t["MeanAbsolutePercentageError"] = simple<MeanAbsolutePercentageError, MeanAbsolutePercentageErrorOptions>(
        "mean_absolute_percentage_error");
    t["MeanSquaredLogarithmicError"] = simple<MeanSquaredLogarithmicError, MeanSquaredLogarithmicErrorOptions>(
        "mean_squared_logarithmic_error");
    t["LogCosh"] = simple<LogCosh, LogCoshOptions>("log_cosh");
    t["Hinge"] = simple<Hinge, HingeOptions>("hinge");
    t["SquaredHinge"] = simple<SquaredHinge, SquaredHingeOptions>("squared_hinge");
    t["CategoricalHinge"] = simple<CategoricalHinge, CategoricalHingeOptions>("categorical_hinge");
    t["KLDivergence"] = simple<KLDivergence, KLDivergenceOptions>("kl_divergence");
    t["Poisson"] = simple<Poisson, PoissonOptions>("poisson");
    t["CosineSimilarity"] = [](ConfigReader& c) -> LossPtr {
      return std::make_shared<const CosineSimilarity>(CosineSimilarityOptions{
          .axis = read_int(c, "axis", -1),
          .reduction = c.string("reduction", "sum_over_batch_size"),
          .name = c.string("name", "cosine_similarity")});
    };
    t["Huber"] = [](ConfigReader& c) -> LossPtr {
      return std::make_shared<const Huber>(HuberOptions{.delta = c.number("delta", 1.0),
                                                        .reduction = c.string("reduction", "sum_over_batch_size"),
                                                        .name = c.string("name", "huber_loss")});
    };
    return t;
  }();
  return table;
}

// Builds a built-in loss from its class name and config (a copy, bool keys handled here).
LossPtr from_class(const std::string& cls, nlohmann::json config, const nlohmann::json& full) {
  if (!config.is_object()) throw TypeError("The config of a loss must be a dict. Received: " + config.dump());
  config.erase("dtype");  // Keras's dtype policy: computations here follow y_pred's dtype
  if (cls == "BinaryCrossentropy" || cls == "CategoricalCrossentropy" || cls == "BinaryFocalCrossentropy" ||
      cls == "SparseCategoricalCrossentropy") {
    const bool from_logits = take_bool(config, "from_logits", false, cls);
    const bool balancing =
        cls == "BinaryFocalCrossentropy" ? take_bool(config, "apply_class_balancing", false, cls) : false;
    ConfigReader c(config, cls);
    LossPtr out;
    if (cls == "BinaryCrossentropy") {
      BinaryCrossentropyOptions o{.from_logits = from_logits};
      o.label_smoothing = c.number("label_smoothing", 0.0);
      o.axis = read_int(c, "axis", -1);
      o.reduction = c.string("reduction", o.reduction);
      o.name = c.string("name", o.name);
      out = std::make_shared<const BinaryCrossentropy>(o);
    } else if (cls == "CategoricalCrossentropy") {
      CategoricalCrossentropyOptions o{.from_logits = from_logits};
      o.label_smoothing = c.number("label_smoothing", 0.0);
      o.axis = read_int(c, "axis", -1);
      o.reduction = c.string("reduction", o.reduction);
      o.name = c.string("name", o.name);
      out = std::make_shared<const CategoricalCrossentropy>(o);
    } else if (cls == "BinaryFocalCrossentropy") {
      BinaryFocalCrossentropyOptions o{.apply_class_balancing = balancing};
      o.from_logits = from_logits;
      o.alpha = c.number("alpha", 0.25);
      o.gamma = c.number("gamma", 2.0);
      o.label_smoothing = c.number("label_smoothing", 0.0);
      o.axis = read_int(c, "axis", -1);
      o.reduction = c.string("reduction", o.reduction);
      o.name = c.string("name", o.name);
      out = std::make_shared<const BinaryFocalCrossentropy>(o);
    } else {
      SparseCategoricalCrossentropyOptions o{.from_logits = from_logits};
      const double ignore = c.number("ignore_class", std::numeric_limits<double>::quiet_NaN());
      if (!std::isnan(ignore)) o.ignore_class = static_cast<std::int64_t>(ignore);
      o.reduction = c.string("reduction", o.reduction);
      o.axis = read_int(c, "axis", -1);
      o.name = c.string("name", o.name);
      out = std::make_shared<const SparseCategoricalCrossentropy>(o);
    }
    c.finish();
    return out;
  }
  return keras::detail::deserialize_object(class_table(), {cls, config}, full);
}

// Function names and aliases (Keras's ALL_OBJECTS_DICT entries that are functions) -> class.
const std::map<std::string, std::string, std::less<>>& function_names() {
  static const std::map<std::string, std::string, std::less<>> names = {
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
      {"huber", "Huber"},
      {"log_cosh", "LogCosh"},
      {"logcosh", "LogCosh"},
      {"hinge", "Hinge"},
      {"squared_hinge", "SquaredHinge"},
      {"categorical_hinge", "CategoricalHinge"},
      {"kl_divergence", "KLDivergence"},
      {"kld", "KLDivergence"},
      {"KLD", "KLDivergence"},
      {"kullback_leibler_divergence", "KLDivergence"},
      {"poisson", "Poisson"},
      {"cosine_similarity", "CosineSimilarity"},
      {"binary_crossentropy", "BinaryCrossentropy"},
      {"bce", "BinaryCrossentropy"},
      {"BCE", "BinaryCrossentropy"},
      {"binary_focal_crossentropy", "BinaryFocalCrossentropy"},
      {"categorical_crossentropy", "CategoricalCrossentropy"},
      {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"},
  };
  return names;
}

bool is_class_name(const std::string& name) {
  static const char* const classes[] = {
      "MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
      "LogCosh",          "Hinge",             "SquaredHinge",                "CategoricalHinge",
      "KLDivergence",     "Poisson",           "CosineSimilarity",            "Huber",
      "BinaryCrossentropy", "CategoricalCrossentropy", "BinaryFocalCrossentropy",
      "SparseCategoricalCrossentropy"};
  for (const char* c : classes) {
    if (name == c) return true;
  }
  return false;
}

}  // namespace

LossPtr get(const nlohmann::json& identifier) {
  if (identifier.is_null()) return nullptr;
  if (identifier.is_object()) {
    // A serialized built-in function: {"class_name": "function", "config": "mean_squared_error"}.
    auto cls = identifier.find("class_name");
    auto cfg = identifier.find("config");
    if (cls != identifier.end() && cls->is_string() && *cls == "function" && cfg != identifier.end() &&
        cfg->is_string()) {
      return get(*cfg);
    }
    const auto id = keras::detail::parse_object_dict(identifier, "loss");
    return from_class(id.class_name, id.config, identifier);
  }
  if (identifier.is_string()) {
    const auto name = identifier.get<std::string>();
    if (is_class_name(name)) return from_class(name, nlohmann::json::object(), identifier);
    auto it = function_names().find(name);
    if (it != function_names().end()) {
      // Keras returns the function, which compile() wraps under the name given.
      return from_class(it->second, {{"name", name}}, identifier);
    }
    // A custom loss registered under this name (keras::saving::register_loss).
    if (auto custom = saving::detail::registered_loss(name)) return custom->ptr();
  }
  throw ValueError("Could not interpret loss identifier: " +
                   (identifier.is_string() ? identifier.get<std::string>() : identifier.dump()));
}

nlohmann::json serialize(const Loss& loss) {
  return keras::detail::keras_object("keras.losses", loss.class_name(), loss.get_config());
}

}  // namespace keras::losses
