#pragma once
// Keras 3's losses (keras.losses): the per-sample functions (keras.losses.mean_squared_error,
// ...), the Loss classes built on them (each a LossFunctionWrapper: the function, then the
// weighting and reduction of Loss), and losses::get. Options structs take Keras's argument
// names and defaults, in Keras's order, for designated initializers:
//   losses::BinaryCrossentropy bce({.from_logits = true, .reduction = "sum"});
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "keras/losses/loss.hpp"
#include "keras/tensor.hpp"

namespace keras::losses {

// ---- Per-sample functions (mean over the last axis unless said). y_true is cast to y_pred's
// dtype (y_pred's dtype is floatx when it is an integer type); a trailing axis of size 1 on
// one side is squeezed as Keras's squeeze_or_expand_to_same_rank. ----

Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred);
Tensor mean_absolute_error(const Tensor& y_true, const Tensor& y_pred);
// 100 * mean(|y - p| / max(|y|, 1e-7)).
Tensor mean_absolute_percentage_error(const Tensor& y_true, const Tensor& y_pred);
// mean((log(max(p, 1e-7) + 1) - log(max(y, 1e-7) + 1))^2).
Tensor mean_squared_logarithmic_error(const Tensor& y_true, const Tensor& y_pred);
// e = p - y: 0.5 e^2 where |e| <= delta, else delta |e| - 0.5 delta^2.
Tensor huber(const Tensor& y_true, const Tensor& y_pred, double delta = 1.0);
// mean(x + softplus(-2x) - log 2), x = p - y.
Tensor log_cosh(const Tensor& y_true, const Tensor& y_pred);
// Labels all in {0, 1} (checked over the whole tensor) become {-1, 1}.
Tensor hinge(const Tensor& y_true, const Tensor& y_pred);
Tensor squared_hinge(const Tensor& y_true, const Tensor& y_pred);
// max(max((1 - y) p) - sum(y p) + 1, 0) over the last axis.
Tensor categorical_hinge(const Tensor& y_true, const Tensor& y_pred);
// sum(y log(y / p)) with y, p clipped to [1e-7, 1] (a sum over the last axis, not a mean).
Tensor kl_divergence(const Tensor& y_true, const Tensor& y_pred);
// mean(p - y log(p + 1e-7)).
Tensor poisson(const Tensor& y_true, const Tensor& y_pred);
// -sum(l2_normalize(y) * l2_normalize(p)) over `axis`.
Tensor cosine_similarity(const Tensor& y_true, const Tensor& y_pred, std::int64_t axis = -1);
// Labels smoothed towards 0.5, then ops::binary_crossentropy, then the mean over `axis`.
Tensor binary_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits = false,
                           double label_smoothing = 0.0, std::int64_t axis = -1);
// Labels smoothed towards 1 / classes, then ops::categorical_crossentropy over `axis`.
Tensor categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits = false,
                                double label_smoothing = 0.0, std::int64_t axis = -1);
// Integer labels (a trailing axis of size 1 is squeezed). With ignore_class, positions whose
// label is that class give 0 and carry a Keras mask (false there), so Loss's mean-type
// reductions average over the other positions.
Tensor sparse_categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred,
                                       bool from_logits = false,
                                       std::optional<std::int64_t> ignore_class = std::nullopt,
                                       std::int64_t axis = -1);
// Focal binary crossentropy: (1 - p_t)^gamma * bce, optionally weighted by alpha (class 1) /
// 1 - alpha (class 0); mean over `axis`.
Tensor binary_focal_crossentropy(const Tensor& y_true, const Tensor& y_pred,
                                 bool apply_class_balancing = false, double alpha = 0.25,
                                 double gamma = 2.0, bool from_logits = false,
                                 double label_smoothing = 0.0, std::int64_t axis = -1);

// Keras's squeeze_or_expand_to_same_rank: when the ranks differ by one and the longer one
// ends in 1, that axis is squeezed, or (expand_rank_1) a rank-1 partner gets a trailing axis.
std::pair<Tensor, Tensor> squeeze_or_expand_to_same_rank(const Tensor& x1, const Tensor& x2,
                                                         bool expand_rank_1 = true);

// ---- Classes ----

struct MeanSquaredErrorOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "mean_squared_error";
};
class MeanSquaredError : public LossFunctionWrapper {
 public:
  explicit MeanSquaredError(const MeanSquaredErrorOptions& options = {});
  std::string class_name() const override { return "MeanSquaredError"; }
  nlohmann::json get_config() const override { return Loss::get_config(); }
};

struct MeanAbsoluteErrorOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "mean_absolute_error";
};
class MeanAbsoluteError : public LossFunctionWrapper {
 public:
  explicit MeanAbsoluteError(const MeanAbsoluteErrorOptions& options = {});
  std::string class_name() const override { return "MeanAbsoluteError"; }
  nlohmann::json get_config() const override { return Loss::get_config(); }
};

struct MeanAbsolutePercentageErrorOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "mean_absolute_percentage_error";
};
class MeanAbsolutePercentageError : public LossFunctionWrapper {
 public:
  explicit MeanAbsolutePercentageError(const MeanAbsolutePercentageErrorOptions& options = {});
  std::string class_name() const override { return "MeanAbsolutePercentageError"; }
  nlohmann::json get_config() const override { return Loss::get_config(); }
};

struct MeanSquaredLogarithmicErrorOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "mean_squared_logarithmic_error";
};
class MeanSquaredLogarithmicError : public LossFunctionWrapper {
 public:
  explicit MeanSquaredLogarithmicError(const MeanSquaredLogarithmicErrorOptions& options = {});
  std::string class_name() const override { return "MeanSquaredLogarithmicError"; }
  nlohmann::json get_config() const override { return Loss::get_config(); }
};

struct CosineSimilarityOptions {
  std::int64_t axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name = "cosine_similarity";
};
class CosineSimilarity : public LossFunctionWrapper {
 public:
  explicit CosineSimilarity(const CosineSimilarityOptions& options = {});
  std::string class_name() const override { return "CosineSimilarity"; }
  nlohmann::json get_config() const override;
  const CosineSimilarityOptions& options() const { return options_; }

 private:
  CosineSimilarityOptions options_;
};

struct HuberOptions {
  double delta = 1.0;
  std::string reduction = "sum_over_batch_size";
  std::string name = "huber_loss";
};
class Huber : public LossFunctionWrapper {
 public:
  explicit Huber(const HuberOptions& options = {});
  std::string class_name() const override { return "Huber"; }
  nlohmann::json get_config() const override;
  const HuberOptions& options() const { return options_; }

 private:
  HuberOptions options_;
};

struct LogCoshOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "log_cosh";
};
class LogCosh : public LossFunctionWrapper {
 public:
  explicit LogCosh(const LogCoshOptions& options = {});
  std::string class_name() const override { return "LogCosh"; }
  nlohmann::json get_config() const override { return Loss::get_config(); }
};

struct HingeOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "hinge";
};
class Hinge : public LossFunctionWrapper {
 public:
  explicit Hinge(const HingeOptions& options = {});
  std::string class_name() const override { return "Hinge"; }
  nlohmann::json get_config() const override { return Loss::get_config(); }
};

struct SquaredHingeOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "squared_hinge";
};
class SquaredHinge : public LossFunctionWrapper {
 public:
  explicit SquaredHinge(const SquaredHingeOptions& options = {});
  std::string class_name() const override { return "SquaredHinge"; }
  nlohmann::json get_config() const override { return Loss::get_config(); }
};

struct CategoricalHingeOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "categorical_hinge";
};
class CategoricalHinge : public LossFunctionWrapper {
 public:
  explicit CategoricalHinge(const CategoricalHingeOptions& options = {});
  std::string class_name() const override { return "CategoricalHinge"; }
  nlohmann::json get_config() const override { return Loss::get_config(); }
};

struct KLDivergenceOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "kl_divergence";
};
class KLDivergence : public LossFunctionWrapper {
 public:
  explicit KLDivergence(const KLDivergenceOptions& options = {});
  std::string class_name() const override { return "KLDivergence"; }
  nlohmann::json get_config() const override { return Loss::get_config(); }
};

struct PoissonOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "poisson";
};
class Poisson : public LossFunctionWrapper {
 public:
  explicit Poisson(const PoissonOptions& options = {});
  std::string class_name() const override { return "Poisson"; }
  nlohmann::json get_config() const override { return Loss::get_config(); }
};

struct BinaryCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  std::int64_t axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name = "binary_crossentropy";
};
class BinaryCrossentropy : public LossFunctionWrapper {
 public:
  explicit BinaryCrossentropy(const BinaryCrossentropyOptions& options = {});
  std::string class_name() const override { return "BinaryCrossentropy"; }
  nlohmann::json get_config() const override;
  const BinaryCrossentropyOptions& options() const { return options_; }

 private:
  BinaryCrossentropyOptions options_;
};

struct BinaryFocalCrossentropyOptions {
  bool apply_class_balancing = false;
  double alpha = 0.25;
  double gamma = 2.0;
  bool from_logits = false;
  double label_smoothing = 0.0;
  std::int64_t axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name = "binary_focal_crossentropy";
};
class BinaryFocalCrossentropy : public LossFunctionWrapper {
 public:
  explicit BinaryFocalCrossentropy(const BinaryFocalCrossentropyOptions& options = {});
  std::string class_name() const override { return "BinaryFocalCrossentropy"; }
  nlohmann::json get_config() const override;
  const BinaryFocalCrossentropyOptions& options() const { return options_; }

 private:
  BinaryFocalCrossentropyOptions options_;
};

struct CategoricalCrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  std::int64_t axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name = "categorical_crossentropy";
};
class CategoricalCrossentropy : public LossFunctionWrapper {
 public:
  explicit CategoricalCrossentropy(const CategoricalCrossentropyOptions& options = {});
  std::string class_name() const override { return "CategoricalCrossentropy"; }
  nlohmann::json get_config() const override;
  const CategoricalCrossentropyOptions& options() const { return options_; }

 private:
  CategoricalCrossentropyOptions options_;
};

// Keras's argument order: from_logits, ignore_class, reduction, axis, name.
struct SparseCategoricalCrossentropyOptions {
  bool from_logits = false;
  std::optional<std::int64_t> ignore_class;
  std::string reduction = "sum_over_batch_size";
  std::int64_t axis = -1;
  std::string name = "sparse_categorical_crossentropy";
};
class SparseCategoricalCrossentropy : public LossFunctionWrapper {
 public:
  explicit SparseCategoricalCrossentropy(const SparseCategoricalCrossentropyOptions& options = {});
  std::string class_name() const override { return "SparseCategoricalCrossentropy"; }
  nlohmann::json get_config() const override;
  const SparseCategoricalCrossentropyOptions& options() const { return options_; }

 private:
  SparseCategoricalCrossentropyOptions options_;
};

// keras.losses.serialize: {"module": "keras.losses", "class_name", "config",
// "registered_name": null}. NotImplementedError for a wrapped C++ callable.
nlohmann::json serialize(const Loss& loss);

}  // namespace keras::losses
