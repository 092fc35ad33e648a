// Callbacks (the hook order, EarlyStopping, ReduceLROnPlateau, LearningRateScheduler,
// CSVLogger, TerminateOnNaN), the progress bar character for character against Keras 3's
// Progbar logic worked through by hand, and model.summary()'s table.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "keras/callbacks.hpp"
#include "keras/input.hpp"
#include "keras/layers.hpp"
#include "keras/losses.hpp"
#include "keras/model.hpp"
#include "keras/optimizers.hpp"
#include "keras/sequential.hpp"
#include "keras/utils/progbar.hpp"
#include "test_util.hpp"
#include "utils/object_config.hpp"

namespace keras {
namespace {

using testing::all_close;

std::shared_ptr<optimizers::SGD> sgd(double lr) {
  return std::make_shared<optimizers::SGD>(optimizers::SGDOptions{.learning_rate = lr});
}

ModelPtr small_model(double lr) {
  utils::set_random_seed(1);
  Tensor in = Input({2});
  auto model = make_model({in}, {layers::Dense(1)(in)});
  model->compile({.optimizer = sgd(lr), .loss = "mse"});
  return model;
}

Tensor xs() { return testing::test_input({8, 2}, 1).astype(DType::float32); }
Tensor ys() { return testing::test_input({8, 1}, 2).astype(DType::float32); }

TEST(Callbacks, HooksRunInKerasOrder) {
  ModelPtr model = small_model(0.1);
  std::vector<std::string> events;
  auto record = std::make_shared<callbacks::LambdaCallback>(callbacks::LambdaCallbackOptions{
      .on_epoch_begin = [&](std::int64_t e, Logs&) { events.push_back("epoch_begin " + std::to_string(e)); },
      .on_epoch_end = [&](std::int64_t e, Logs& logs) {
        events.push_back("epoch_end " + std::to_string(e) + (logs.contains("loss") ? " loss" : ""));
      },
      .on_train_batch_begin = [&](std::int64_t b, Logs&) { events.push_back("batch_begin " + std::to_string(b)); },
      .on_train_batch_end = [&](std::int64_t b, Logs&) { events.push_back("batch_end " + std::to_string(b)); },
      .on_train_begin = [&](Logs&) { events.push_back("train_begin"); },
      .on_train_end = [&](Logs&) { events.push_back("train_end"); }});
  model->fit(xs(), ys(), {.batch_size = 4, .epochs = 2, .verbose = 0, .callbacks = {record}, .shuffle = false});
  EXPECT_EQ(events, (std::vector<std::string>{"train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0",
                                              "batch_begin 1", "batch_end 1", "epoch_end 0 loss", "epoch_begin 1",
                                              "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1",
                                              "epoch_end 1 loss", "train_end"}));
}

TEST(Callbacks, EarlyStoppingStopsAfterPatienceWithoutImprovement) {
  ModelPtr model = small_model(0.0);  // the loss never changes
  auto stop = std::make_shared<callbacks::EarlyStopping>(callbacks::EarlyStoppingOptions{.monitor = "loss", .patience = 2});
  auto history = model->fit(xs(), ys(), {.epochs = 10, .verbose = 0, .callbacks = {stop}});
  // Epoch 0 improves on +inf; epochs 1 and 2 do not; wait reaches 2 at epoch 2.
  EXPECT_EQ(history.epoch.size(), 3u);
  EXPECT_EQ(stop->stopped_epoch(), 2);
}

TEST(Callbacks, EarlyStoppingRestoresTheBestEpochsWeights) {
  ModelPtr model = small_model(0.05);
  Tensors after_first;
  auto snapshot = std::make_shared<callbacks::LambdaCallback>(callbacks::LambdaCallbackOptions{
      .on_epoch_end = [&](std::int64_t e, Logs&) {
        if (e == 0) after_first = model->get_weights();
      }});
  // mode "max" on a falling loss: epoch 0 stays the best.
  auto stop = std::make_shared<callbacks::EarlyStopping>(
      callbacks::EarlyStoppingOptions{.monitor = "loss", .patience = 100, .mode = "max", .restore_best_weights = true});
  model->fit(xs(), ys(), {.epochs = 4, .verbose = 0, .callbacks = {snapshot, stop}});
  EXPECT_EQ(stop->best_epoch(), 0);
  EXPECT_TRUE(all_close(model->get_weights()[0], after_first[0], 0, 0));
  auto unknown = std::make_shared<callbacks::EarlyStopping>(callbacks::EarlyStoppingOptions{.monitor = "val_foo"});
  EXPECT_THROW(model->fit(xs(), ys(), {.epochs = 1, .verbose = 0, .callbacks = {unknown}}), ValueError);
}

TEST(Callbacks, ReduceLROnPlateauCutsTheRateAfterPatience) {
  ModelPtr model = small_model(0.1);
  // min_delta so large that nothing after the first epoch counts as an improvement.
  auto reduce = std::make_shared<callbacks::ReduceLROnPlateau>(
      callbacks::ReduceLROnPlateauOptions{.monitor = "loss", .patience = 2, .min_delta = 1e9});
  auto history = model->fit(xs(), ys(), {.epochs = 4, .verbose = 0, .callbacks = {reduce}});
  const double lr32 = static_cast<float>(0.1);
  const auto& lr = history.history["learning_rate"];
  ASSERT_EQ(lr.size(), 4u);
  EXPECT_EQ(lr[0], lr32);
  EXPECT_EQ(lr[2], lr32);  // logged before epoch 2's reduction
  EXPECT_EQ(lr[3], static_cast<double>(static_cast<float>(lr32 * 0.1)));
  EXPECT_THROW(callbacks::ReduceLROnPlateau({.factor = 1.0}), ValueError);
}

TEST(Callbacks, LearningRateSchedulerSetsEachEpochsRate) {
  ModelPtr model = small_model(0.1);
  auto scheduler = std::make_shared<callbacks::LearningRateScheduler>(
      [](std::int64_t epoch, double) { return 0.1 / static_cast<double>(epoch + 1); });
  auto history = model->fit(xs(), ys(), {.epochs = 3, .verbose = 0, .callbacks = {scheduler}});
  const auto& lr = history.history["learning_rate"];
  ASSERT_EQ(lr.size(), 3u);
  EXPECT_EQ(lr[1], static_cast<double>(static_cast<float>(0.05)));
  EXPECT_EQ(lr[2], static_cast<double>(static_cast<float>(0.1 / 3)));
}

TEST(Callbacks, CsvLoggerWritesSortedKeysAndNaForMissingValidation) {
  ModelPtr model = small_model(0.1);
  const std::string path = ::testing::TempDir() + "/keras_csv_logger.csv";
  auto logger = std::make_shared<callbacks::CSVLogger>(path);
  auto history = model->fit(xs(), ys(), {.epochs = 2, .verbose = 0, .callbacks = {logger}});
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string expected = "epoch,loss,val_loss\r\n0," + detail::python_float(history.history["loss"][0]) + ",NA\r\n1," +
                               detail::python_float(history.history["loss"][1]) + ",NA\r\n";
  EXPECT_EQ(text.str(), expected);
}

TEST(Callbacks, TerminateOnNaNStopsAtTheFirstBadBatch) {
  ModelPtr model = small_model(0.1);
  Tensor y = ops::divide(ys(), 0.0 * ys());  // inf and nan targets
  std::int64_t batches = 0;
  auto count = std::make_shared<callbacks::LambdaCallback>(
      callbacks::LambdaCallbackOptions{.on_train_batch_end = [&](std::int64_t, Logs&) { ++batches; }});
  auto history = model->fit(xs(), y, {.batch_size = 2, .epochs = 5, .verbose = 0,
                                     .callbacks = {std::make_shared<callbacks::TerminateOnNaN>(), count}});
  EXPECT_EQ(batches, 1);
  EXPECT_EQ(history.epoch.size(), 1u);
}

// ---- the progress bar ----

struct FakeClock {
  double now = 0.0;
  std::function<double()> fn() {
    return [this] { return now; };
  }
};

std::string bars(int green, int white) {
  std::string s;
  if (green > 0) {
    s += "\x1b[32m";
    for (int i = 0; i < green; ++i) s += "━";
    s += "\x1b[0m";
  }
  s += "\x1b[37m";
  for (int i = 0; i < white; ++i) s += "━";
  return s + "\x1b[0m";
}

TEST(Progbar, Verbose1RedrawsInPlaceWithEtaThenElapsedTime) {
  FakeClock clock;
  std::vector<std::string> out;
  utils::Progbar bar(3, {.print_fn = [&](const std::string& s) { out.push_back(s); }, .clock = clock.fn()});
  clock.now = 1.0;
  bar.update(1, {{"loss", 0.5}});
  clock.now = 1.01;  // within the 50 ms interval: no redraw
  bar.update(2, {{"loss", 0.4}});
  clock.now = 3.0;
  bar.update(3, {{"loss", 0.3}});
  ASSERT_EQ(out.size(), 2u);
  // 1/3: a third of 20 bars is 6; ETA = 1 s/step * 2 steps; width "1/3 " + 20 + " 2s" + " 1s/step" + " - loss: 0.5000" = 50.
  EXPECT_EQ(out[0], "\r\x1b[1m1/3\x1b[0m " + bars(6, 14) + " \x1b[1m2s\x1b[0m 1s/step - loss: 0.5000");
  // Final: elapsed 3 s, (3 - 1) / 2 = 1 s/step after the first step, the value as given.
  EXPECT_EQ(out[1], std::string(50, '\b') + "\r\x1b[1m3/3\x1b[0m " + bars(20, 0) +
                        " \x1b[1m3s\x1b[0m 1s/step - loss: 0.3000\n");
}

TEST(Progbar, Verbose2PrintsOneLineWhenFinalized) {
  FakeClock clock;
  std::string out;
  utils::Progbar bar(3, {.verbose = 2, .print_fn = [&](const std::string& s) { out += s; }, .clock = clock.fn()});
  clock.now = 1.0;
  bar.update(1, {{"loss", 0.5}});
  EXPECT_EQ(out, "");
  clock.now = 2.0;
  bar.update(3, {{"loss", 0.00025}});
  EXPECT_EQ(out, "3/3 - 2s - 500ms/step - loss: 2.5000e-04\n");
}

TEST(Progbar, FormatsTimesAndValuesAsKeras) {
  EXPECT_EQ(utils::format_time_per_unit(0.0, "step"), " 0s/step");
  EXPECT_EQ(utils::format_time_per_unit(2.4, "step"), " 2s/step");
  EXPECT_EQ(utils::format_time_per_unit(0.0123, "step"), " 12ms/step");
  EXPECT_EQ(utils::format_time_per_unit(0.000456, "step"), " 456us/step");
  EXPECT_EQ(utils::format_metric_value(0.123456), "0.1235");
  EXPECT_EQ(utils::format_metric_value(-0.0001), "-1.0000e-04");
}

TEST(Progbar, FitPrintsEpochHeadersAndOneBarPerEpoch) {
  ModelPtr model = small_model(0.1);
  std::string out;
  auto logger = std::make_shared<callbacks::ProgbarLogger>(
      utils::ProgbarOptions{.print_fn = [&](const std::string& s) { out += s; }});
  model->fit(xs(), ys(), {.batch_size = 4, .epochs = 2, .verbose = 2, .callbacks = {logger}});
  EXPECT_EQ(out.find("Epoch 1/2\n2/2 - "), 0u) << out;
  EXPECT_NE(out.find("\nEpoch 2/2\n2/2 - "), std::string::npos) << out;
  EXPECT_NE(out.find("/step - loss: "), std::string::npos) << out;
}

// ---- summary ----

std::string rule(const char* l, const char* fill, const char* m, const char* r, std::vector<int> widths) {
  std::string s = l;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    for (int k = 0; k < widths[i]; ++k) s += fill;
    s += i + 1 < widths.size() ? m : r;
  }
  return s + "\n";
}

std::string pad_right(const std::string& s, std::size_t n) { return s + std::string(n - s.size(), ' '); }
std::string pad_left(const std::string& s, std::size_t n) { return std::string(n - s.size(), ' ') + s; }

TEST(Summary, SequentialTableMatchesKerasLayout) {
  Sequential model({.name = "sequential"});
  model.add(Input({784}));
  model.add(layers::Dense(64, {.activation = "relu", .name = "dense"}));
  model.add(layers::Dense(10, {.name = "dense_1"}));
  std::string text;
  model.summary({.line_length = 76, .print_fn = [&](const std::string& s) { text = s; }});
  // Columns at 0.45 / 0.8 of 76 ask for 34, 26, 16 (+2 padding); rich takes the 10 columns
  // of excess off evenly (3, 4, 3), as keras.io's 76-wide summaries show: 33, 24, 15.
  const std::vector<int> w = {33, 24, 15};
  auto row = [&](const char* bar, const std::string& a, const std::string& b, const std::string& c) {
    return std::string(bar) + " " + pad_right(a, 31) + " " + bar + " " + pad_right(b, 22) + " " + bar + " " +
           pad_left(c, 13) + " " + bar + "\n";
  };
  const std::string expected = "Model: \"sequential\"\n" + rule("┏", "━", "┳", "┓", w) +
                               row("┃", "Layer (type)", "Output Shape", "Param #") + rule("┡", "━", "╇", "┩", w) +
                               row("│", "dense (Dense)", "(None, 64)", "50,240") + rule("├", "─", "┼", "┤", w) +
                               row("│", "dense_1 (Dense)", "(None, 10)", "650") + rule("└", "─", "┴", "┘", w) +
                               " Total params: 50,890 (198.79 KB)\n Trainable params: 50,890 (198.79 KB)\n"
                               " Non-trainable params: 0 (0.00 B)\n";
  EXPECT_EQ(text, expected);
}

TEST(Summary, FunctionalModelsShowConnectionsAndOptimizerParams) {
  Tensor a = Input({3}, {.name = "input_a"});
  Tensor b = Input({2}, {.name = "input_b"});
  Tensor joined = layers::Concatenate({.name = "joined"})({a, b});
  Tensor out = layers::Dense(1, {.name = "head"})(joined);
  Model model(Tensors{a, b}, out, {.name = "two_inputs"});
  model.compile({.optimizer = "adam", .loss = "mse"});
  model.train_on_batch(Tensors{testing::matrix({{1, 2, 3}}), testing::matrix({{4, 5}})}, testing::matrix({{1}}));
  std::string text;
  model.summary({.line_length = 120, .print_fn = [&](const std::string& s) { text = s; }});
  EXPECT_NE(text.find("Connected to"), std::string::npos) << text;
  EXPECT_NE(text.find("input_a[0][0], input_b[0][0]"), std::string::npos) << text;
  EXPECT_NE(text.find("joined[0][0]"), std::string::npos) << text;
  // head has 6 weights; Adam keeps two slots each, plus iterations and the learning rate.
  EXPECT_NE(text.find(" Optimizer params: 14 "), std::string::npos) << text;
  EXPECT_NE(text.find(" Total params: 20 "), std::string::npos) << text;
}

TEST(Summary, ShowTrainableAndExpandNested) {
  Tensor in = Input({4}, {.name = "inner_in"});
  auto inner = make_model({in}, {layers::Dense(3, {.name = "inner_dense"})(in)}, {.name = "inner"});
  inner->set_trainable(false);
  Sequential model({.name = "outer"});
  model.add(Input({4}));
  model.add(inner);
  model.add(layers::Dense(2, {.name = "top"}));
  std::string text;
  model.summary({.line_length = 100, .print_fn = [&](const std::string& s) { text = s; }, .expand_nested = true,
                 .show_trainable = true});
  EXPECT_NE(text.find("Trainable"), std::string::npos) << text;
  EXPECT_NE(text.find("   └ inner_dense (Dense)"), std::string::npos) << text;
  EXPECT_NE(text.find(" Non-trainable params: 15 (60.00 B)"), std::string::npos) << text;
  EXPECT_NE(text.find(" Trainable params: 8 (32.00 B)"), std::string::npos) << text;
  EXPECT_THROW(model.summary({.line_length = 10}), ValueError);
}

}  // namespace
}  // namespace keras
