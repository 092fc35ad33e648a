// keras::losses: every loss's per-sample values and each reduction (with sample weights and
// a Keras mask) against tests/golden/gen_losses.py, from_logits / label_smoothing /
// ignore_class, finite-difference gradients, configs, losses::get and errors.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "keras/input.hpp"
#include "keras/losses.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;

// Scalars are stored as (1,) (np.ascontiguousarray makes 0-d arrays 1-d): read back as 0-d.
Tensor gold(const std::string& name) {
  Tensor t = testing::golden("losses/" + name);
  return t.shape() == Shape{1} ? t.reshape({}) : t;
}

struct Case {
  std::string key;  // golden prefix
  std::function<losses::LossPtr(const std::string& reduction)> make;
  std::string y_true;
  std::string y_pred;
};

template <class L, class O>
std::function<losses::LossPtr(const std::string&)> maker(O o) {
  return [o](const std::string& reduction) mutable {
    o.reduction = reduction;
    return std::make_shared<const L>(o);
  };
}

std::vector<Case> cases() {
  using namespace losses;
  return {
      {"mse", maker<MeanSquaredError>(MeanSquaredErrorOptions{}), "yt", "yp"},
      {"mae", maker<MeanAbsoluteError>(MeanAbsoluteErrorOptions{}), "yt", "yp"},
      {"mape", maker<MeanAbsolutePercentageError>(MeanAbsolutePercentageErrorOptions{}), "yt", "yp"},
      {"msle", maker<MeanSquaredLogarithmicError>(MeanSquaredLogarithmicErrorOptions{}), "yt_pos", "yp_pos"},
      {"huber", maker<Huber>(HuberOptions{.delta = 0.7}), "yt", "yp"},
      {"log_cosh", maker<LogCosh>(LogCoshOptions{}), "yt", "yp"},
      {"hinge", maker<Hinge>(HingeOptions{}), "y_bin", "yp"},
      {"squared_hinge", maker<SquaredHinge>(SquaredHingeOptions{}), "y_bin", "yp"},
      {"categorical_hinge", maker<CategoricalHinge>(CategoricalHingeOptions{}), "y_cat", "l_cat"},
      {"kl_divergence", maker<KLDivergence>(KLDivergenceOptions{}), "yt_pos", "yp_pos"},
      {"poisson", maker<Poisson>(PoissonOptions{}), "yt_pos", "yp_pos"},
      {"cosine_similarity", maker<CosineSimilarity>(CosineSimilarityOptions{}), "yt", "yp"},
      {"bce", maker<BinaryCrossentropy>(BinaryCrossentropyOptions{}), "y_bin", "p_bin"},
      {"bce_ls", maker<BinaryCrossentropy>(BinaryCrossentropyOptions{.label_smoothing = 0.2}), "y_bin", "p_bin"},
      {"bce_logits", maker<BinaryCrossentropy>(BinaryCrossentropyOptions{.from_logits = true}), "y_bin", "l_bin"},
      {"bce_logits_ls",
       maker<BinaryCrossentropy>(BinaryCrossentropyOptions{.from_logits = true, .label_smoothing = 0.2}), "y_bin",
       "l_bin"},
      {"cce", maker<CategoricalCrossentropy>(CategoricalCrossentropyOptions{}), "y_cat", "p_cat"},
      {"cce_ls", maker<CategoricalCrossentropy>(CategoricalCrossentropyOptions{.label_smoothing = 0.2}), "y_cat",
       "p_cat"},
      {"cce_logits", maker<CategoricalCrossentropy>(CategoricalCrossentropyOptions{.from_logits = true}), "y_cat",
       "l_cat"},
      {"cce_logits_ls",
       maker<CategoricalCrossentropy>(CategoricalCrossentropyOptions{.from_logits = true, .label_smoothing = 0.2}),
       "y_cat", "l_cat"},
      {"scce", maker<SparseCategoricalCrossentropy>(SparseCategoricalCrossentropyOptions{}), "y_sparse", "p_cat"},
      {"scce_logits",
       maker<SparseCategoricalCrossentropy>(SparseCategoricalCrossentropyOptions{.from_logits = true}), "y_sparse",
       "l_cat"},
      {"bfce", maker<BinaryFocalCrossentropy>(BinaryFocalCrossentropyOptions{}), "y_bin", "p_bin"},
      {"bfce_balanced",
       maker<BinaryFocalCrossentropy>(BinaryFocalCrossentropyOptions{.apply_class_balancing = true}), "y_bin",
       "p_bin"},
  };
}

TEST(Losses, EveryReductionMatchesGoldens) {
  const Tensor sw = gold("sw");
  const Tensor mask = gold("mask");
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.key);
    const Tensor yt = gold(c.y_true);
    const Tensor yp = gold(c.y_pred);
    EXPECT_TRUE(all_close((*c.make("none"))(yt, yp), gold(c.key + "_none"), 1e-9, 1e-9));
    EXPECT_TRUE(all_close((*c.make("sum_over_batch_size"))(yt, yp), gold(c.key + "_sobs"), 1e-9, 1e-9));
    EXPECT_TRUE(all_close((*c.make("mean"))(yt, yp), gold(c.key + "_sobs"), 1e-9, 1e-9));
    EXPECT_TRUE(all_close((*c.make("sum"))(yt, yp), gold(c.key + "_sum"), 1e-9, 1e-9));
    EXPECT_TRUE(all_close((*c.make("sum_over_batch_size"))(yt, yp, sw), gold(c.key + "_sobs_w"), 1e-9, 1e-9));
    EXPECT_TRUE(all_close((*c.make("mean_with_sample_weight"))(yt, yp, sw), gold(c.key + "_mws_w"), 1e-9, 1e-9));
    const Tensor masked = with_keras_mask(yp, mask);
    EXPECT_TRUE(all_close((*c.make("sum_over_batch_size"))(yt, masked), gold(c.key + "_masked_sobs"), 1e-9, 1e-9));
    EXPECT_TRUE(all_close((*c.make("sum"))(yt, masked, sw), gold(c.key + "_masked_sum_w"), 1e-9, 1e-9));
    // float32 inputs give a float32 result.
    Tensor r32 = (*c.make("sum"))(yt, yp.astype(DType::float32));
    EXPECT_EQ(r32.dtype(), DType::float32);
    EXPECT_TRUE(all_close(r32, gold(c.key + "_sum"), 1e-4, 1e-4));
  }
}

TEST(Losses, GradientsMatchFiniteDifferences) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.key);
    const Tensor yt = gold(c.y_true);
    const Tensor yp = gold(c.y_pred);
    const Tensor sw = gold("sw");
    auto loss = c.make("sum_over_batch_size");
    auto none = c.make("none");
    EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& in) { return (*none)(yt, in[0]); }, {yp}));
    EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& in) { return (*loss)(yt, in[0], sw); }, {yp}));
  }
}

TEST(Losses, SparseIgnoreClassMasksPositions) {
  const Tensor y = gold("y_sparse_ign");
  const Tensor logits = gold("l_cat");
  losses::SparseCategoricalCrossentropy none({.from_logits = true, .ignore_class = 0, .reduction = "none"});
  EXPECT_TRUE(all_close(none(y, logits), gold("scce_ignore_none"), 1e-9, 1e-9));
  losses::SparseCategoricalCrossentropy mean({.from_logits = true, .ignore_class = 0});
  EXPECT_TRUE(all_close(mean(y, logits), gold("scce_ignore_sobs"), 1e-9, 1e-9));
  // (batch, 1) labels are squeezed.
  EXPECT_TRUE(all_close(mean(y.reshape({4, 1}), logits), gold("scce_ignore_sobs"), 1e-9, 1e-9));
  const Tensor mask = get_keras_mask(losses::sparse_categorical_crossentropy(y, logits, true, 0));
  ASSERT_TRUE(mask.defined());
  EXPECT_EQ(mask.to_vector<int>(), (std::vector<int>{0, 1, 0, 1}));
}

TEST(Losses, RankAlignmentAndFunctions) {
  const Tensor yt = gold("yt");
  const Tensor yp = gold("yp");
  EXPECT_TRUE(all_close(losses::mean_squared_error(yt, yp), gold("mse_none"), 1e-12, 1e-12));
  EXPECT_TRUE(all_close(losses::huber(yt, yp, 0.7), gold("huber_none"), 1e-12, 1e-12));
  // (B,) labels vs (B, 1) predictions: squeezed, as Keras's squeeze_or_expand_to_same_rank.
  const Tensor a = Tensor::from_vector(std::vector<double>{1, 2, 3});
  const Tensor b = Tensor::from_vector(std::vector<double>{1.5, 2, 1}, {3, 1});
  losses::MeanSquaredError mse;
  EXPECT_NEAR(mse(a, b).item<double>(), (0.25 + 0 + 4) / 3, 1e-12);
  // Sample weights (B, 1) against per-sample losses (B,).
  EXPECT_NEAR(mse(a, b, Tensor::from_vector(std::vector<double>{1, 0, 2}, {3, 1})).item<double>(),
              (0.25 + 8) / 3, 1e-12);
}

TEST(Losses, ConfigsAndGet) {
  losses::BinaryCrossentropy bce({.from_logits = true, .label_smoothing = 0.1, .reduction = "sum"});
  const auto config = bce.get_config();
  EXPECT_EQ(config["name"], "binary_crossentropy");
  EXPECT_EQ(config["reduction"], "sum");
  EXPECT_EQ(config["from_logits"], true);
  EXPECT_DOUBLE_EQ(config["label_smoothing"].get<double>(), 0.1);
  EXPECT_EQ(config["axis"], -1);
  const auto round = losses::get(losses::serialize(bce));
  EXPECT_EQ(round->class_name(), "BinaryCrossentropy");
  EXPECT_EQ(round->get_config(), config);
  EXPECT_EQ(losses::Huber().name(), "huber_loss");
  EXPECT_EQ(losses::Huber({.delta = 2.0}).get_config()["delta"], 2.0);
  EXPECT_EQ(losses::SparseCategoricalCrossentropy().get_config()["ignore_class"], nullptr);
  EXPECT_EQ(losses::MeanSquaredError().get_config(),
            (nlohmann::json{{"name", "mean_squared_error"}, {"reduction", "sum_over_batch_size"}}));

  for (const auto& [name, cls] : std::vector<std::pair<std::string, std::string>>{
           {"mse", "MeanSquaredError"}, {"MSE", "MeanSquaredError"}, {"mean_squared_error", "MeanSquaredError"},
           {"MeanSquaredError", "MeanSquaredError"}, {"mae", "MeanAbsoluteError"}, {"mape", "MeanAbsolutePercentageError"},
           {"msle", "MeanSquaredLogarithmicError"}, {"kld", "KLDivergence"}, {"KLD", "KLDivergence"},
           {"bce", "BinaryCrossentropy"}, {"huber", "Huber"}, {"log_cosh", "LogCosh"}, {"hinge", "Hinge"},
           {"categorical_crossentropy", "CategoricalCrossentropy"},
           {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"}, {"poisson", "Poisson"},
           {"cosine_similarity", "CosineSimilarity"}, {"CategoricalHinge", "CategoricalHinge"}}) {
    SCOPED_TRACE(name);
    const auto loss = losses::get(name);
    ASSERT_TRUE(loss);
    EXPECT_EQ(loss->class_name(), cls);
  }
  EXPECT_EQ(losses::get("mse")->name(), "mse");
  EXPECT_EQ(losses::get("MeanSquaredError")->name(), "mean_squared_error");
  EXPECT_EQ(losses::get(nullptr), nullptr);
  const auto from_dict = losses::get({{"class_name", "Huber"}, {"config", {{"delta", 0.5}, {"name", "h"}}}});
  EXPECT_EQ(from_dict->name(), "h");
  EXPECT_EQ(from_dict->get_config()["delta"], 0.5);

  losses::LossArg arg("mae");
  EXPECT_EQ(arg.ptr()->class_name(), "MeanAbsoluteError");
  losses::LossArg custom([](const Tensor& t, const Tensor& p) { return ops::mean(ops::abs(ops::subtract(t, p)), -1); });
  EXPECT_NEAR((*custom.ptr())(gold("yt"), gold("yp")).item<double>(), gold("mae_sobs").item<double>(), 1e-12);
  EXPECT_THROW(custom.ptr()->get_config(), NotImplementedError);
  losses::LossArg object(losses::Poisson{});
  EXPECT_EQ(object.ptr()->name(), "poisson");
  EXPECT_TRUE(losses::LossArg().empty());
}

TEST(Losses, Errors) {
  try {
    losses::get("nope");
    FAIL() << "no error";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "Could not interpret loss identifier: nope");
  }
  EXPECT_THROW(losses::get({{"class_name", "Nope"}, {"config", nlohmann::json::object()}}), TypeError);
  EXPECT_THROW(losses::get({{"class_name", "Huber"}, {"config", {{"bogus", 1}}}}), TypeError);
  EXPECT_THROW(losses::MeanSquaredError({.reduction = "avg"}), ValueError);
  try {
    losses::MeanSquaredError({.reduction = "avg"});
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Invalid value for argument `reduction`"), std::string::npos);
  }
  EXPECT_THROW(losses::MeanSquaredError()(gold("yt"), Tensor::from_vector(std::vector<double>{1, 2}, {1, 2})),
               ValueError);
}

TEST(Losses, ReduceWeightedValues) {
  const Tensor v = Tensor::from_vector(std::vector<double>{1, 2, 3, 4});
  const Tensor w = Tensor::from_vector(std::vector<double>{0, 1, 1, 2});
  const Tensor m = ops::greater(Tensor::from_vector(std::vector<double>{1, 1, 0, 1}), 0.0);
  EXPECT_NEAR(losses::reduce_weighted_values(v, {}, {}, "sum_over_batch_size").item<double>(), 2.5, 1e-12);
  EXPECT_NEAR(losses::reduce_weighted_values(v, w, {}, "sum").item<double>(), 13, 1e-12);
  EXPECT_NEAR(losses::reduce_weighted_values(v, w, {}, "mean_with_sample_weight").item<double>(), 13.0 / 4, 1e-12);
  EXPECT_NEAR(losses::reduce_weighted_values(v, {}, m, "mean").item<double>(), 7.0 / 3, 1e-12);
  EXPECT_NEAR(losses::reduce_weighted_values(v, w, m, "sum").item<double>(), 10, 1e-12);
  // All masked: 0, not NaN (divide_no_nan).
  const Tensor none = ops::greater(ops::zeros({4}), 0.0);
  EXPECT_EQ(losses::reduce_weighted_values(v, {}, none, "sum_over_batch_size").item<double>(), 0.0);
  EXPECT_EQ(losses::reduce_weighted_values(v, w, {}, "none").shape(), Shape{4});
}

}  // namespace
}  // namespace keras
