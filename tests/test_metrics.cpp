// keras::metrics: streaming results over two batches (with and without sample weights)
// against tests/golden/gen_metrics.py, reset_state, AUC against a numpy reimplementation of
// Keras's algorithm, configs, get / resolve (accuracy rules), MetricArg and errors.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "keras/metrics.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;

// Scalars are stored as (1,) (np.ascontiguousarray makes 0-d arrays 1-d): read back as 0-d.
Tensor gold(const std::string& name) {
  Tensor t = testing::golden("metrics/" + name);
  return t.shape() == Shape{1} ? t.reshape({}) : t;
}
Tensor batch(int b, const std::string& key) { return gold("b" + std::to_string(b) + "_" + key); }

// Runs `metric` over both batches (weighted or not) and compares with the golden.
void check_stream(metrics::Metric& metric, const std::string& yk, const std::string& pk, const std::string& golden,
                  double tol = 1e-5) {
  for (bool weighted : {false, true}) {
    SCOPED_TRACE(golden + (weighted ? " weighted" : ""));
    metric.reset_state();
    for (int b = 0; b < 2; ++b) {
      metric.update_state(batch(b, yk), batch(b, pk), weighted ? batch(b, "w") : Tensor());
    }
    EXPECT_TRUE(all_close(metric.result().astype(DType::float64), gold(golden + (weighted ? "_w" : "")), tol, tol));
  }
}

TEST(Metrics, MeanAndSum) {
  metrics::Mean mean;
  EXPECT_EQ(mean.name(), "mean");
  mean.update_state(batch(0, "v"));
  mean.update_state(batch(1, "v"));
  EXPECT_TRUE(all_close(mean.result().astype(DType::float64), gold("mean"), 1e-5, 1e-5));
  mean.reset_state();
  EXPECT_EQ(mean.result().item<double>(), 0.0);
  mean.update_state(batch(0, "v"), batch(0, "w"));
  mean.update_state(batch(1, "v"), batch(1, "w"));
  EXPECT_TRUE(all_close(mean.result().astype(DType::float64), gold("mean_w"), 1e-5, 1e-5));
  EXPECT_EQ(mean.variables().size(), 2u);
  metrics::Sum sum({.dtype = DType::float64});
  sum.update_state(batch(0, "v"), batch(0, "w"));
  sum.update_state(batch(1, "v"), batch(1, "w"));
  EXPECT_TRUE(all_close(sum.result(), gold("sum_w"), 1e-12, 1e-12));
  EXPECT_THROW(sum.update_state(batch(0, "v"), batch(0, "v"), batch(0, "w")), TypeError);
}

TEST(Metrics, StreamingMeansMatchGoldens) {
  metrics::BinaryAccuracy bin;
  check_stream(bin, "ybin", "pbin", "binary_accuracy");
  metrics::BinaryAccuracy bin07({.threshold = 0.7});
  check_stream(bin07, "ybin", "pbin", "binary_accuracy_07");
  metrics::CategoricalAccuracy cat;
  check_stream(cat, "ycat", "pcat", "categorical_accuracy");
  metrics::SparseCategoricalAccuracy sparse;
  check_stream(sparse, "ysp", "pcat", "sparse_categorical_accuracy");
  metrics::TopKCategoricalAccuracy top2({.k = 2});
  check_stream(top2, "ycat", "pcat", "top2");
  metrics::SparseTopKCategoricalAccuracy stop2({.k = 2});
  check_stream(stop2, "ysp", "pcat", "top2");
  metrics::MeanSquaredError mse;
  check_stream(mse, "yreg", "preg", "mse");
  metrics::MeanAbsoluteError mae;
  check_stream(mae, "yreg", "preg", "mae");
  metrics::RootMeanSquaredError rmse;
  check_stream(rmse, "yreg", "preg", "rmse");
  metrics::BinaryCrossentropy bce;
  check_stream(bce, "ybin", "pbin", "bce");
  metrics::CategoricalCrossentropy cce;
  check_stream(cce, "ycat", "pcat", "cce");
  metrics::SparseCategoricalCrossentropy scce({.from_logits = true});
  check_stream(scce, "ysp", "pcat", "scce_logits");
  // (N, 1) sparse labels.
  metrics::SparseCategoricalAccuracy sparse2;
  sparse2.update_state(batch(0, "ysp").reshape({8, 1}), batch(0, "pcat"));
  sparse2.update_state(batch(1, "ysp").reshape({8, 1}), batch(1, "pcat"));
  EXPECT_TRUE(all_close(sparse2.result().astype(DType::float64), gold("sparse_categorical_accuracy"), 1e-6, 1e-6));
}

TEST(Metrics, PrecisionRecall) {
  metrics::Precision p;
  check_stream(p, "ymulti", "pmulti", "precision");
  metrics::Recall r;
  check_stream(r, "ymulti", "pmulti", "recall");
  metrics::Precision p3({.thresholds = {0.3, 0.5, 0.7}});
  check_stream(p3, "ymulti", "pmulti", "precision_3");
  EXPECT_EQ(p3.result().shape(), Shape{3});
  metrics::Recall r3({.thresholds = {0.3, 0.5, 0.7}});
  check_stream(r3, "ymulti", "pmulti", "recall_3");
  metrics::Precision top1({.top_k = 1});
  top1.update_state(batch(0, "ycat"), batch(0, "pcat"));
  top1.update_state(batch(1, "ycat"), batch(1, "pcat"));
  EXPECT_TRUE(all_close(top1.result().astype(DType::float64), gold("precision_top1"), 1e-6, 1e-6));
  EXPECT_EQ(p.name(), "precision");
  EXPECT_EQ(r.name(), "recall");
  EXPECT_EQ(p.direction(), "up");
  EXPECT_THROW(metrics::Precision({.thresholds = {1.5}}), ValueError);
}

TEST(Metrics, AUCMatchesKerasAlgorithm) {
  metrics::AUC roc;
  EXPECT_EQ(roc.num_thresholds(), 200);
  EXPECT_EQ(roc.thresholds().size(), 200u);
  check_stream(roc, "ymulti", "pmulti", "auc_roc");
  metrics::AUC pr({.curve = "PR"});
  check_stream(pr, "ymulti", "pmulti", "auc_pr");
  metrics::AUC roc_min({.num_thresholds = 50, .summation_method = "minoring"});
  check_stream(roc_min, "ymulti", "pmulti", "auc_roc_min_50");
  metrics::AUC pr_maj({.num_thresholds = 50, .curve = "PR", .summation_method = "majoring"});
  check_stream(pr_maj, "ymulti", "pmulti", "auc_pr_maj_50");
  metrics::AUC bin({.dtype = DType::float64});
  check_stream(bin, "ybin", "pbin", "auc_bin", 1e-10);
  EXPECT_EQ(roc.name(), "auc");
  EXPECT_EQ(roc.direction(), "up");
  roc.reset_state();
  EXPECT_EQ(roc.result().item<double>(), 0.0);
  EXPECT_THROW(metrics::AUC({.curve = "XY"}), ValueError);
  EXPECT_THROW(metrics::AUC({.num_thresholds = 1}), ValueError);
  const auto config = pr.get_config();
  EXPECT_EQ(config["curve"], "PR");
  EXPECT_EQ(config["num_thresholds"], 200);
  EXPECT_EQ(config["summation_method"], "interpolation");
}

TEST(Metrics, ResolveAccuracyRules) {
  // Binary: y_pred's last dim is 1.
  EXPECT_EQ(metrics::resolve("accuracy", {-1, 1}, {-1, 1})->class_name(), "BinaryAccuracy");
  // Sparse: y_true has lower rank, or ends in 1 while y_pred does not.
  EXPECT_EQ(metrics::resolve("accuracy", {-1}, {-1, 5})->class_name(), "SparseCategoricalAccuracy");
  EXPECT_EQ(metrics::resolve("acc", {-1, 1}, {-1, 5})->class_name(), "SparseCategoricalAccuracy");
  // Categorical otherwise.
  EXPECT_EQ(metrics::resolve("accuracy", {-1, 5}, {-1, 5})->class_name(), "CategoricalAccuracy");
  // The typed name is kept.
  EXPECT_EQ(metrics::resolve("acc", {-1, 1}, {-1, 1})->name(), "acc");
  EXPECT_EQ(metrics::resolve("accuracy", {-1, 5}, {-1, 5})->name(), "accuracy");
  EXPECT_EQ(metrics::resolve("crossentropy", {-1}, {-1, 3})->class_name(), "SparseCategoricalCrossentropy");
  EXPECT_EQ(metrics::resolve("ce", {-1, 1}, {-1, 1})->class_name(), "BinaryCrossentropy");
  const auto mse = metrics::resolve("mse", {-1, 1}, {-1, 1});
  EXPECT_EQ(mse->class_name(), "MeanSquaredError");
  EXPECT_EQ(mse->name(), "mse");
  EXPECT_EQ(mse->direction(), "down");
}

TEST(Metrics, GetAndConfigs) {
  for (const auto& [name, cls] : std::vector<std::pair<std::string, std::string>>{
           {"mse", "MeanSquaredError"}, {"MSE", "MeanSquaredError"}, {"mean_absolute_error", "MeanAbsoluteError"},
           {"AUC", "AUC"}, {"auc", "AUC"}, {"binary_accuracy", "BinaryAccuracy"}, {"accuracy", "Accuracy"},
           {"Precision", "Precision"}, {"recall", "Recall"}, {"root_mean_squared_error", "RootMeanSquaredError"},
           {"top_k_categorical_accuracy", "TopKCategoricalAccuracy"}, {"bce", "BinaryCrossentropy"}}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(metrics::get(name)->class_name(), cls);
  }
  EXPECT_EQ(metrics::get("mse")->name(), "mean_squared_error");
  metrics::BinaryAccuracy acc({.name = "ba", .threshold = 0.3});
  const auto config = acc.get_config();
  EXPECT_EQ(config, (nlohmann::json{{"name", "ba"}, {"dtype", "float32"}, {"threshold", 0.3}}));
  EXPECT_EQ(metrics::get(metrics::serialize(acc))->get_config(), config);
  metrics::AUC auc({.num_thresholds = 10, .curve = "PR", .from_logits = true});
  EXPECT_EQ(metrics::get(metrics::serialize(auc))->get_config(), auc.get_config());
  metrics::Precision p({.thresholds = {0.2, 0.4}, .class_id = 1});
  EXPECT_EQ(metrics::get(metrics::serialize(p))->get_config(), p.get_config());
  EXPECT_EQ(metrics::CategoricalAccuracy().direction(), "up");
  EXPECT_EQ(metrics::MeanAbsoluteError().direction(), "down");
  EXPECT_EQ(metrics::Mean().direction(), "");
}

TEST(Metrics, MetricArg) {
  metrics::MetricArg by_name("acc");
  EXPECT_EQ(by_name.make({-1}, {-1, 3})->class_name(), "SparseCategoricalAccuracy");
  auto shared = std::make_shared<metrics::MeanAbsoluteError>();
  metrics::MetricArg kept(shared);
  EXPECT_EQ(kept.make({-1, 1}, {-1, 1}), shared);
  metrics::MetricArg fn("my_mae", [](const Tensor& t, const Tensor& p) {
    return ops::mean(ops::abs(ops::subtract(t, p)), -1);
  });
  auto m = fn.make({-1, 3}, {-1, 3});
  EXPECT_EQ(m->name(), "my_mae");
  m->update_state(batch(0, "yreg"), batch(0, "preg"));
  m->update_state(batch(1, "yreg"), batch(1, "preg"));
  EXPECT_TRUE(all_close(m->result().astype(DType::float64), gold("mae"), 1e-5, 1e-5));
  EXPECT_THROW(m->get_config(), NotImplementedError);
  metrics::MetricArg obj(metrics::AUC{});
  EXPECT_EQ(obj.make({-1, 1}, {-1, 1})->class_name(), "AUC");
}

TEST(Metrics, Errors) {
  try {
    metrics::get("nope");
    FAIL() << "no error";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "Could not interpret metric identifier: nope");
  }
  try {
    metrics::resolve("nope", {-1}, {-1});
    FAIL() << "no error";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "Could not interpret metric identifier: nope");
  }
  EXPECT_THROW(metrics::get({{"class_name", "Nope"}, {"config", nlohmann::json::object()}}), TypeError);
  EXPECT_THROW(metrics::get("acc"), ValueError);
}

}  // namespace
}  // namespace keras
