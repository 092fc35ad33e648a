// Whole-model saving and loading (keras/saving.hpp): `.keras` archives and legacy `.h5`
// files round trip every layer type, multi-input/output, nested and shared-layer models,
// custom layers and Lambda functions, compile configs and optimizer state; configs in the
// Keras 1 and 2 dialects load; our files' layout matches tests/golden/saving/layout.json
// (written by tests/golden/gen_saving_layout.py, which reads them with h5py and zipfile,
// checks formats.md's rules, and compares them with a real Keras 3.12 file); bad files
// raise IOError/ValueError naming what and where; and an interrupted save leaves the
// previous file intact.
//
// KERAS_WRITE_LAYOUT_FILES=1 makes the layout tests write their files into
// tests/golden/saving/ for the generator.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "h5_layout.hpp"
#include "keras/input.hpp"
#include "keras/layer_registry.hpp"
#include "keras/layers.hpp"
#include "keras/losses.hpp"
#include "keras/model.hpp"
#include "keras/ops.hpp"
#include "keras/optimizers.hpp"
#include "keras/random.hpp"
#include "keras/saving.hpp"
#include "keras/sequential.hpp"
#include "saving/zip_archive.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

namespace fs = std::filesystem;
using testing::all_close;
using testing::read_bytes;
using testing::write_bytes;

const std::string kGolden = std::string(KERAS_GOLDEN_DIR) + "/saving/";

std::string temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("keras_saving_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}



Tensor input_like(const Shape& shape, std::uint64_t seed) {
  return testing::test_input(shape, seed).astype(DType::float32);
}

Tensors predict_all(Model& model, const Tensors& x) {
  return model.predict(ArrayData(x), {.verbose = 0});
}

std::vector<std::string> class_names(const Model& model) {
  std::vector<std::string> out;
  for (const auto& l : model.layers()) out.push_back(l->class_name());
  return out;
}

// Saves in `ext`'s format, loads back, and checks the structure, every weight and the
// predictions are the same.
ModelPtr round_trip(Model& model, const Tensors& x, const std::string& ext, const saving::LoadModelOptions& options = {}) {
  const std::string path = temp_path("model" + ext);
  model.save(path);
  auto loaded = saving::load_model(path, options);
  EXPECT_EQ(class_names(*loaded), class_names(model)) << ext;
  EXPECT_EQ(loaded->name(), model.name()) << ext;
  const Tensors a = model.get_weights();
  const Tensors b = loaded->get_weights();
  EXPECT_EQ(a.size(), b.size()) << ext;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) EXPECT_TRUE(all_close(a[i], b[i], 0, 0)) << ext << " weight " << i;
  const Tensors pa = predict_all(model, x);
  const Tensors pb = predict_all(*loaded, x);
  EXPECT_EQ(pa.size(), pb.size());
  for (std::size_t i = 0; i < pa.size() && i < pb.size(); ++i) EXPECT_TRUE(all_close(pa[i], pb[i], 0, 0)) << ext;
  return loaded;
}

// Perturbs every weight so that round trips cannot pass on freshly initialized values.
void randomize(Model& model, std::uint64_t seed) {
  Tensors values;
  for (const auto& w : model.get_weights()) {
    values.push_back(testing::test_input(w.shape(), seed++, -0.5, 0.5).astype(w.dtype()));
  }
  model.set_weights(values);
}

// --- every layer type ----------------------------------------------------------------------

struct LayerCase {
  std::string name;
  Shape input_shape;  // without the batch axis
  std::function<LayerPtr()> make;
  bool integer_input = false;
};

void PrintTo(const LayerCase& c, std::ostream* os) { *os << c.name; }

std::vector<LayerCase> layer_cases() {
  using namespace layers;  // NOLINT: the case table reads as Keras
  return {
      {"Dense", {5}, [] { return Dense(3, {.activation = "tanh", .kernel_regularizer = "l2"}); }},
      {"Activation", {5}, [] { return Activation("relu"); }},
      {"Dropout", {5}, [] { return Dropout(0.3, {.seed = 4}); }},
      {"Flatten", {2, 3}, [] { return Flatten(); }},
      {"Reshape", {6}, [] { return Reshape({3, 2}); }},
      {"Permute", {2, 3}, [] { return Permute({2, 1}); }},
      {"RepeatVector", {4}, [] { return RepeatVector(3); }},
      {"ActivityRegularization", {4}, [] { return ActivityRegularization({.l1 = 0.01}); }},
      {"Masking", {3, 2}, [] { return Masking({.mask_value = 0.5}); }},
      {"Embedding", {4}, [] { return Embedding(10, 3, {.mask_zero = true}); }, true},
      {"Identity", {4}, [] { return Identity(); }},
      {"ReLU", {4}, [] { return ReLU({.max_value = 0.5}); }},
      {"LeakyReLU", {4}, [] { return LeakyReLU({.negative_slope = 0.2}); }},
      {"PReLU", {4}, [] { return PReLU(); }},
      {"ELU", {4}, [] { return ELU({.alpha = 0.7}); }},
      {"Softmax", {4}, [] { return Softmax(); }},
      {"Conv1D", {8, 3}, [] { return Conv1D(4, 3, {.padding = "same", .dilation_rate = {2}}); }},
      {"Conv2D", {6, 6, 2}, [] { return Conv2D(3, {3, 2}, {.strides = {2, 1}, .activation = "relu"}); }},
      {"Conv2D_channels_first", {2, 6, 6}, [] { return Conv2D(3, 3, {.data_format = "channels_first"}); }},
      {"Conv1DTranspose", {5, 3}, [] { return Conv1DTranspose(2, 3, {.strides = {2}}); }},
      {"Conv2DTranspose", {4, 4, 2}, [] { return Conv2DTranspose(3, 2, {.strides = {2, 2}}); }},
      {"DepthwiseConv1D", {6, 3}, [] { return DepthwiseConv1D(3, {.depth_multiplier = 2}); }},
      {"DepthwiseConv2D", {5, 5, 2}, [] { return DepthwiseConv2D(3); }},
      {"SeparableConv1D", {6, 3}, [] { return SeparableConv1D(4, 3); }},
      {"SeparableConv2D", {5, 5, 2}, [] { return SeparableConv2D(4, 3, {.depth_multiplier = 2}); }},
      {"MaxPooling1D", {6, 2}, [] { return MaxPooling1D(2); }},
      {"MaxPooling2D", {4, 4, 2}, [] { return MaxPooling2D(); }},
      {"AveragePooling1D", {6, 2}, [] { return AveragePooling1D(3); }},
      {"AveragePooling2D", {4, 4, 2}, [] { return AveragePooling2D(2, {.padding = "same"}); }},
      {"GlobalMaxPooling1D", {6, 2}, [] { return GlobalMaxPooling1D(); }},
      {"GlobalMaxPooling2D", {4, 4, 2}, [] { return GlobalMaxPooling2D({.keepdims = true}); }},
      {"GlobalAveragePooling1D", {6, 2}, [] { return GlobalAveragePooling1D(); }},
      {"GlobalAveragePooling2D", {4, 4, 2}, [] { return GlobalAveragePooling2D(); }},
      {"UpSampling1D", {3, 2}, [] { return UpSampling1D(2); }},
      {"UpSampling2D", {3, 3, 2}, [] { return UpSampling2D(2, {.interpolation = "bilinear"}); }},
      {"ZeroPadding2D", {3, 3, 2}, [] { return ZeroPadding2D(1); }},
      {"Cropping2D", {5, 5, 2}, [] { return Cropping2D(1); }},
      {"BatchNormalization", {4}, [] { return BatchNormalization({.momentum = 0.9, .center = false}); }},
      {"LayerNormalization", {4}, [] { return LayerNormalization({.epsilon = 0.01}); }},
      {"SimpleRNN", {5, 3}, [] { return SimpleRNN(4, {.return_sequences = true}); }},
      {"LSTM", {5, 3}, [] { return LSTM(4, {.go_backwards = true}); }},
      {"GRU", {5, 3}, [] { return GRU(4, {.reset_after = false}); }},
      {"RNN", {5, 3}, [] { return RNN(LSTMCell(2)); }},
      {"Bidirectional", {5, 3}, [] { return Bidirectional(LSTM(2, {.return_sequences = true}), {.merge_mode = "sum"}); }},
      {"TimeDistributed", {5, 3}, [] { return TimeDistributed(Dense(2)); }},
  };
}

// Merge layers take two inputs.
std::vector<std::pair<std::string, std::function<LayerPtr()>>> merge_cases() {
  using namespace layers;  // NOLINT
  return {{"Add", [] { return Add(); }},
          {"Subtract", [] { return Subtract(); }},
          {"Multiply", [] { return Multiply(); }},
          {"Average", [] { return Average(); }},
          {"Maximum", [] { return Maximum(); }},
          {"Minimum", [] { return Minimum(); }},
          {"Concatenate", [] { return Concatenate({.axis = 1}); }},
          {"Dot", [] { return Dot(1, {.normalize = true}); }}};
}

class LayerRoundTrip : public ::testing::TestWithParam<LayerCase> {};

TEST_P(LayerRoundTrip, KerasAndH5KeepConfigWeightsAndPredictions) {
  const auto& c = GetParam();
  const Tensor in = Input(c.input_shape);
  auto layer = c.make();
  const Tensor out = layer(in);
  auto model = make_model({in}, {out});
  randomize(*model, 7);
  Shape batch{3};
  batch.insert(batch.end(), c.input_shape.begin(), c.input_shape.end());
  Tensor x = input_like(batch, 11);
  if (c.integer_input) x = ops::floor(ops::abs(x) * 9.0);
  for (const char* ext : {".keras", ".h5"}) {
    auto loaded = round_trip(*model, {x}, ext);
    const json expected = layer->get_config();
    EXPECT_EQ(loaded->get_layer(layer->name())->get_config(), expected) << ext;
  }
}

INSTANTIATE_TEST_SUITE_P(Saving, LayerRoundTrip, ::testing::ValuesIn(layer_cases()),
                         [](const auto& info) { return info.param.name; });

TEST(Saving, MergeLayersRoundTrip) {
  for (const auto& [name, make] : merge_cases()) {
    const Tensor a = Input({4});
    const Tensor b = Input({4});
    auto layer = make();
    auto model = make_model({a, b}, {layer({a, b})});
    for (const char* ext : {".keras", ".h5"}) {
      auto loaded = round_trip(*model, {input_like({2, 4}, 1), input_like({2, 4}, 2)}, ext);
      EXPECT_EQ(loaded->get_layer(layer->name())->get_config(), layer->get_config()) << name << ext;
    }
  }
}

// Every layer class the library registers has a round-trip case (aliases and cells are
// covered by their canonical classes and the RNN case).
TEST(Saving, EveryRegisteredLayerClassIsCovered) {
  std::set<std::string> covered{"InputLayer", "SimpleRNNCell", "LSTMCell", "GRUCell"};
  for (const auto& c : layer_cases()) covered.insert(c.make()->class_name());
  for (const auto& [name, make] : merge_cases()) covered.insert(make()->class_name());
  const std::set<std::string> aliases{"Convolution1D", "Convolution2D", "Convolution1DTranspose", "Convolution2DTranspose",
                                      "Deconvolution2D", "SeparableConvolution1D", "SeparableConvolution2D", "MaxPool1D",
                                      "MaxPool2D", "AvgPool1D", "AvgPool2D", "GlobalMaxPool1D", "GlobalMaxPool2D",
                                      "GlobalAvgPool1D", "GlobalAvgPool2D"};
  for (const auto& name : registered_layer_classes()) {
    if (is_builtin_layer_class(name) && !aliases.count(name)) {
      EXPECT_TRUE(covered.count(name)) << name;
    }
  }
}

// --- models ---------------------------------------------------------------------------------

ModelPtr multi_io_model() {
  const Tensor image = Input({6, 6, 1}, {.name = "image"});
  const Tensor meta = Input({3}, {.name = "meta"});
  Tensor x = layers::Conv2D(2, 3, {.activation = "relu", .name = "conv"})(image);
  x = layers::Flatten({.name = "flat"})(x);
  auto shared = layers::Dense(4, {.name = "shared"});
  const Tensor m = shared(meta);
  const Tensor pre = layers::Dense(3, {.name = "pre"})(meta);
  const Tensor m2 = shared(pre);  // the shared layer's second call
  const Tensor joined = layers::Concatenate({.name = "join"})({x, m, m2});
  const Tensor score = layers::Dense(1, {.activation = "sigmoid", .name = "score"})(joined);
  const Tensor klass = layers::Dense(3, {.activation = "softmax", .name = "class"})(joined);
  return make_model({image, meta}, {score, klass}, {.name = "multi_io"});
}

TEST(Saving, MultiInputOutputWithSharedLayer) {
  auto model = multi_io_model();
  randomize(*model, 3);
  const Tensors x{input_like({2, 6, 6, 1}, 1), input_like({2, 3}, 2)};
  for (const char* ext : {".keras", ".h5"}) {
    auto loaded = round_trip(*model, x, ext);
    EXPECT_EQ(loaded->input_names(), (std::vector<std::string>{"image", "meta"}));
    EXPECT_EQ(loaded->output_names(), (std::vector<std::string>{"score", "class"}));
    EXPECT_EQ(loaded->get_layer("shared")->inbound_nodes().size(), 2u);
  }
}

TEST(Saving, FunctionalConfigIsKeras3s) {
  auto model = multi_io_model();
  const json config = json::parse(model->to_json());
  EXPECT_EQ(config.at("class_name"), "Functional");
  EXPECT_EQ(config.at("module"), "keras.src.models.functional");
  const json& c = config.at("config");
  EXPECT_EQ(c.at("input_layers"), json::parse(R"([["image", 0, 0], ["meta", 0, 0]])"));
  EXPECT_EQ(c.at("output_layers"), json::parse(R"([["score", 0, 0], ["class", 0, 0]])"));
  for (const auto& layer : c.at("layers")) {
    if (layer.at("name") != "shared") continue;
    ASSERT_EQ(layer.at("inbound_nodes").size(), 2u);
    const json& second = layer.at("inbound_nodes")[1].at("args")[0];
    EXPECT_EQ(second.at("class_name"), "__keras_tensor__");
    EXPECT_EQ(second.at("config").at("keras_history"), json::parse(R"(["pre", 0, 0])"));
  }
}

TEST(Saving, NestedModelsRoundTrip) {
  auto inner_seq = make_layer<Sequential>(ModelOptions{.name = "block"});
  inner_seq->add(Input({4}));
  inner_seq->add(layers::Dense(4, {.activation = "relu"}));
  inner_seq->add(layers::BatchNormalization());
  const Tensor fin = Input({4});
  auto inner_fn = make_model({fin}, {layers::Dense(2)(fin)}, {.name = "head"});
  const Tensor in = Input({4});
  const Tensor h = (*inner_seq)(in);
  const Tensor out = (*inner_fn)(layers::Add()({h, (*inner_seq)(h)}));
  auto model = make_model({in}, {out}, {.name = "outer"});
  randomize(*model, 5);
  for (const char* ext : {".keras", ".h5"}) {
    auto loaded = round_trip(*model, {input_like({3, 4}, 9)}, ext);
    EXPECT_EQ(loaded->get_layer("block")->class_name(), "Sequential");
    EXPECT_EQ(loaded->get_layer("head")->class_name(), "Functional");
  }
  // A nested functional model that is an output is referenced from node 1, as Keras does.
  const json c = json::parse(model->to_json()).at("config");
  EXPECT_EQ(c.at("output_layers"), json::parse(R"(["head", 1, 0])"));
}

TEST(Saving, UnzippedKerasDirectoryLoads) {
  auto model = testing::keras3_mnist_mlp();
  randomize(*model, 6);
  const std::string path = temp_path("unzipped.keras");
  model->save(path);
  const std::string dir = temp_path("unzipped_dir");
  fs::create_directories(dir);
  for (const auto& [name, bytes] : saving::read_zip(read_bytes(path), path)) write_bytes(dir + "/" + name, bytes);
  auto loaded = saving::load_model(dir);
  const Tensor x = input_like({2, 28, 28}, 3);
  EXPECT_TRUE(all_close(loaded->predict(x, {.verbose = 0}), model->predict(x, {.verbose = 0}), 0, 0));
}

TEST(Saving, SequentialRoundTripAndConfig) {
  auto model = testing::keras3_mnist_mlp();
  randomize(*model, 2);
  for (const char* ext : {".keras", ".h5"}) round_trip(*model, {input_like({2, 28, 28}, 4)}, ext);
  const json config = json::parse(model->to_json());
  EXPECT_EQ(config.at("module"), "keras");
  EXPECT_EQ(config.at("config").at("layers")[0].at("class_name"), "InputLayer");
  EXPECT_EQ(config.at("config").at("build_input_shape"), json::parse("[null, 28, 28]"));
  auto again = models::model_from_json(model->to_json());
  EXPECT_EQ(again->to_json(), model->to_json());
}

// --- custom objects -------------------------------------------------------------------------

class Scale : public Layer {
 public:
  explicit Scale(double factor, const LayerOptions& options = {}) : Layer(options), factor_(factor) {}
  void build(const std::vector<Shape>& shapes) override { w_ = add_weight("w", {shapes[0].back()}, {.initializer = "ones"}); }
  Tensors call(const Tensors& in, const CallContext&) override { return {in[0] * w_.value() * factor_}; }
  std::string class_name() const override { return "Scale"; }
  json get_config() const override {
    json c = Layer::get_config();
    c["factor"] = factor_;
    return c;
  }

 private:
  double factor_;
  Variable w_;
};

LayerPtr scale_from_config(const json& c) {
  return make_layer<Scale>(c.at("factor").get<double>(), LayerOptions{.name = c.at("name").get<std::string>()});
}

TEST(Saving, CustomLayerThroughRegistryOrCustomObjects) {
  const Tensor in = Input({3});
  auto model = make_model({in}, {make_layer<Scale>(2.5)(layers::Dense(3)(in))});
  randomize(*model, 8);
  const Tensor x = input_like({2, 3}, 1);
  // Unregistered: saving says what to do.
  EXPECT_NE(testing::value_error([&] { model->save(temp_path("custom.keras")); }).find("register_layer_class"),
            std::string::npos);
  register_layer_class("Scale", scale_from_config);
  model->save(temp_path("custom.keras"));
  round_trip(*model, {x}, ".keras");
  round_trip(*model, {x}, ".h5", {.custom_objects = {.layers = {{"Scale", scale_from_config}}}});
}

TEST(Saving, LambdaFunctionsByRegisteredName) {
  saving::register_function("double_it", layers::LambdaFunction([](const Tensor& t) { return t * 2.0; }));
  const Tensor in = Input({3});
  const Tensor named = layers::Lambda([](const Tensor& t) { return t * 2.0; }, {.function_name = "double_it"})(in);
  auto model = make_model({in}, {layers::Dense(2)(named)}, {.name = "lambda_model"});
  const Tensor x = input_like({2, 3}, 4);
  for (const char* ext : {".keras", ".h5"}) round_trip(*model, {x}, ext);
  const json entry = json::parse(model->to_json()).at("config").at("layers")[1];
  EXPECT_EQ(entry.at("config").at("function").at("class_name"), "function");
  EXPECT_EQ(entry.at("config").at("function").at("config"), "double_it");

  // A Lambda whose function is not registered cannot be loaded, and the error names it.
  std::string text = model->to_json();
  for (auto at = text.find("double_it"); at != std::string::npos; at = text.find("double_it")) text.replace(at, 9, "triple_it");
  const std::string msg = testing::value_error([&] { models::model_from_json(text); });
  EXPECT_NE(msg.find("triple_it"), std::string::npos) << msg;
  EXPECT_NE(msg.find("never runs code"), std::string::npos) << msg;
  // Custom objects supply it at load.
  auto loaded = models::model_from_json(
      text, {.functions = {{"triple_it", layers::LambdaFunction([](const Tensor& t) { return t * 3.0; })}}});
  EXPECT_EQ(class_names(*loaded), class_names(*model));

  // An anonymous Lambda cannot be saved whole.
  const Tensor in2 = Input({3});
  auto anonymous = make_model({in2}, {layers::Lambda([](const Tensor& t) { return t + 1.0; })(in2)});
  EXPECT_NE(testing::value_error([&] { anonymous->save(temp_path("anon.keras")); }).find("function_name"),
            std::string::npos);
}

TEST(Saving, Keras2PythonLambdaLoadsByLayerName) {
  const std::string text = R"({"class_name": "Model", "config": {"name": "m", "layers": [
    {"name": "in", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 2], "dtype": "float32", "name": "in"}, "inbound_nodes": []},
    {"name": "square", "class_name": "Lambda", "config": {"name": "square", "trainable": true, "function": ["4wEAAAAAAAAA", null, null],
      "function_type": "lambda", "module": "__main__", "output_shape": null, "output_shape_type": "raw", "arguments": {}},
     "inbound_nodes": [[["in", 0, 0, {}]]]}],
    "input_layers": [["in", 0, 0]], "output_layers": [["square", 0, 0]]}})";
  EXPECT_NE(testing::value_error([&] { models::model_from_json(text); }).find("'square'"), std::string::npos);
  auto model = models::model_from_json(text, {.functions = {{"square", layers::LambdaFunction([](const Tensor& t) {
                                                              return t * t;
                                                            })}}});
  const Tensor y = model->predict(testing::matrix({{2.0, -3.0}}).astype(DType::float32), {.verbose = 0});
  EXPECT_EQ(y.to_vector<double>(), (std::vector<double>{4.0, 9.0}));
}

// --- compile config and optimizer state ---------------------------------------------------

Tensor custom_loss(const Tensor& y_true, const Tensor& y_pred) {
  return ops::mean(ops::square(y_true - y_pred), -1) + ops::max(y_pred, -1);
}

TEST(Saving, OptimizerStateGivesTheSameNextStep) {
  saving::register_loss("seed_loss", losses::LossArg(custom_loss));
  for (const char* ext : {".keras", ".h5"}) {
    const Tensor in = Input({4});
    auto model = make_model({in}, {layers::Dense(2)(layers::Dense(5, {.activation = "relu"})(in))});
    model->compile({.optimizer = std::make_shared<optimizers::Adam>(optimizers::AdamOptions{.learning_rate = 0.01}),
                    .loss = "seed_loss",
                    .metrics = {"mae"}});
    const Tensor x = input_like({8, 4}, 1);
    const Tensor y = input_like({8, 2}, 2);
    for (int i = 0; i < 3; ++i) model->train_on_batch(x, y);
    const std::string path = temp_path(std::string("trained") + ext);
    model->save(path);
    auto loaded = saving::load_model(path);
    ASSERT_TRUE(loaded->compiled()) << ext;
    EXPECT_EQ(loaded->optimizer()->class_name(), "Adam");
    EXPECT_EQ(loaded->get_compile_config().at("loss"), model->get_compile_config().at("loss")) << ext;
    // Keras 3's train_on_batch accumulates the metrics: compare this step's alone.
    model->reset_metrics();
    const Scores a = model->train_on_batch(x, y);
    const Scores b = loaded->train_on_batch(x, y);
    EXPECT_EQ(a.logs(), b.logs()) << ext;
    const Tensors wa = model->get_weights();
    const Tensors wb = loaded->get_weights();
    for (std::size_t i = 0; i < wa.size(); ++i) EXPECT_TRUE(all_close(wa[i], wb[i], 0, 0)) << ext << " weight " << i;
    // Without compile, no optimizer.
    EXPECT_FALSE(saving::load_model(path, {.compile = false})->compiled());
  }
}

TEST(Saving, IncludeOptimizerFalseWritesNoTrainingState) {
  auto model = testing::keras3_mnist_mlp();
  model->compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy"});
  model->optimizer()->build(model->trainable_weights());
  const std::string path = temp_path("no_opt.h5");
  model->save(path, {.include_optimizer = false});
  const auto file = saving::h5::File::open(path);
  EXPECT_FALSE(file.has_attr("training_config"));
  EXPECT_FALSE(file.has_group("optimizer_weights"));
  EXPECT_FALSE(saving::load_model(path)->compiled());
}

// --- Keras 1 and 2 dialects -----------------------------------------------------------------

TEST(Saving, Keras1FunctionalWithMergeAndLegacyArguments) {
  const std::string text = R"({"class_name": "Model", "config": {"name": "k1", "layers": [
    {"name": "img", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 8, 8, 1], "input_dtype": "float32", "sparse": false, "name": "img"}, "inbound_nodes": []},
    {"name": "c1", "class_name": "Convolution2D", "config": {"name": "c1", "nb_filter": 2, "nb_row": 3, "nb_col": 3, "border_mode": "same", "activation": "relu", "init": "glorot_uniform", "subsample": [1, 1], "dim_ordering": "tf", "bias": true, "trainable": true}, "inbound_nodes": [[["img", 0, 0]]]},
    {"name": "c2", "class_name": "Convolution2D", "config": {"name": "c2", "nb_filter": 3, "nb_row": 1, "nb_col": 1, "border_mode": "valid", "activation": "linear", "trainable": true}, "inbound_nodes": [[["img", 0, 0]]]},
    {"name": "m", "class_name": "Merge", "config": {"name": "m", "mode": "concat", "concat_axis": -1}, "inbound_nodes": [[["c1", 0, 0], ["c2", 0, 0]]]},
    {"name": "f", "class_name": "Flatten", "config": {"name": "f", "trainable": true}, "inbound_nodes": [[["m", 0, 0]]]},
    {"name": "d", "class_name": "Dense", "config": {"name": "d", "output_dim": 4, "activation": "softmax", "trainable": true}, "inbound_nodes": [[["f", 0, 0]]]}],
    "input_layers": [["img", 0, 0]], "output_layers": [["d", 0, 0]]}})";
  auto model = models::model_from_json(text);
  EXPECT_EQ(class_names(*model),
            (std::vector<std::string>{"InputLayer", "Conv2D", "Conv2D", "Concatenate", "Flatten", "Dense"}));
  EXPECT_EQ(model->outputs()[0].shape(), (Shape{None, 4}));
  EXPECT_EQ(model->get_layer("m")->output().shape(), (Shape{None, 8, 8, 5}));
}

TEST(Saving, Keras2NestedModelReferencesCountFromOne) {
  // tf.keras 2: a nested model's first call is node 1, in inbound_nodes and output_layers.
  const std::string text = R"({"class_name": "Functional", "config": {"name": "outer", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "sparse": false, "ragged": false, "name": "x"}, "name": "x", "inbound_nodes": []},
    {"class_name": "Sequential", "config": {"name": "inner", "layers": [
       {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "name": "inner_in"}},
       {"class_name": "Dense", "config": {"name": "d1", "units": 2, "activation": "linear"}}]},
     "name": "inner", "inbound_nodes": [[["x", 0, 0, {}]]]},
    {"class_name": "Dense", "config": {"name": "d2", "units": 1}, "name": "d2", "inbound_nodes": [[["inner", 1, 0, {}]]]}],
    "input_layers": [["x", 0, 0]], "output_layers": [["d2", 0, 0], ["inner", 1, 0]]}})";
  auto model = models::model_from_json(text);
  ASSERT_EQ(model->outputs().size(), 2u);
  EXPECT_EQ(model->outputs()[0].shape(), (Shape{None, 1}));
  EXPECT_EQ(model->outputs()[1].shape(), (Shape{None, 2}));
}

TEST(Saving, Keras1SequentialAsABareList) {
  const std::string text = R"({"class_name": "Sequential", "config": [
    {"class_name": "Dense", "config": {"name": "a", "output_dim": 3, "input_dim": 2, "batch_input_shape": [null, 2], "activation": "relu"}},
    {"class_name": "Dropout", "config": {"name": "b", "p": 0.5}},
    {"class_name": "Dense", "config": {"name": "c", "output_dim": 1}}]})";
  auto model = models::model_from_json(text);
  EXPECT_EQ(class_names(*model), (std::vector<std::string>{"Dense", "Dropout", "Dense"}));
  EXPECT_EQ(model->outputs()[0].shape(), (Shape{None, 1}));
}

// --- bad files ------------------------------------------------------------------------------

using testing::message_of;

std::string saved_file(const std::string& name) {
  const Tensor in = Input({3});
  auto model = make_model({in}, {layers::Dense(2, {.name = "d"})(layers::Dense(4, {.name = "hidden"})(in))});
  model->compile({.optimizer = "sgd", .loss = "mse"});
  model->train_on_batch(input_like({2, 3}, 1), input_like({2, 2}, 2));
  const std::string path = temp_path(name);
  model->save(path);
  return path;
}

TEST(SavingBadFiles, MissingFiles) {
  for (const char* name : {"missing.keras", "missing.h5"}) {
    const std::string msg = message_of<IOError>([&] { saving::load_model(temp_path(name)); });
    EXPECT_NE(msg.find(name), std::string::npos) << msg;
  }
  EXPECT_NE(testing::value_error([&] { saving::load_model(temp_path("model.pb")); }).find("File format not supported"),
            std::string::npos);
}

TEST(SavingBadFiles, TruncatedAtManyOffsetsNeverCrash) {
  for (const char* ext : {".keras", ".h5"}) {
    const std::string good = read_bytes(saved_file(std::string("whole") + ext));
    const std::string path = temp_path(std::string("cut") + ext);
    for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{30}, std::size_t{100},
                            good.size() / 4, good.size() / 2, good.size() - 100, good.size() - 1}) {
      write_bytes(path, good.substr(0, cut));
      try {
        saving::load_model(path);
        ADD_FAILURE() << ext << " cut at " << cut << " loaded";
      } catch (const IOError&) {
      } catch (const ValueError&) {
      }
    }
  }
}

TEST(SavingBadFiles, WrongMagic) {
  const std::string path = temp_path("text.keras");
  write_bytes(path, "this is not a zip archive at all");
  EXPECT_NE(message_of<IOError>([&] { saving::load_model(path); }).find("not a zip file"), std::string::npos);
  const std::string h5 = temp_path("text.h5");
  write_bytes(h5, "neither an HDF5 file");
  EXPECT_NE(message_of<IOError>([&] { saving::load_model(h5); }).find("not an HDF5 file"), std::string::npos);
}

TEST(SavingBadFiles, ArchiveWithoutConfig) {
  const std::string path = temp_path("no_config.keras");
  write_bytes(path, saving::write_zip({{"metadata.json", "{}"}, {"model.weights.h5", "x"}}, path));
  EXPECT_NE(message_of<IOError>([&] { saving::load_model(path); }).find("no config.json"), std::string::npos);
}

// Rewrites config.json of a saved archive.
std::string with_config(const std::string& path, const std::function<void(json&)>& edit) {
  auto members = saving::read_zip(read_bytes(path), path);
  for (auto& [name, bytes] : members) {
    if (name != "config.json") continue;
    json c = json::parse(bytes);
    edit(c);
    bytes = c.dump();
  }
  const std::string out = temp_path("edited.keras");
  write_bytes(out, saving::write_zip(members, out));
  return out;
}

TEST(SavingBadFiles, UnknownLayerAndMismatchedWeights) {
  const std::string path = saved_file("good.keras");
  const std::string unknown = with_config(path, [](json& c) { c["config"]["layers"][1]["class_name"] = "Fancy"; });
  EXPECT_NE(testing::value_error([&] { saving::load_model(unknown); }).find("Unknown layer: 'Fancy'"), std::string::npos);
  const std::string resized = with_config(path, [](json& c) { c["config"]["layers"][1]["config"]["units"] = 5; });
  const std::string msg = testing::value_error([&] { saving::load_model(resized); });
  EXPECT_NE(msg.find("hidden"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(3, 5)"), std::string::npos) << msg;
  const std::string garbage = with_config(path, [](json& c) { c["config"]["layers"] = 3; });
  EXPECT_NE(testing::value_error([&] { saving::load_model(garbage); }).find("Invalid model config"), std::string::npos);
}

TEST(SavingBadFiles, H5WithAMissingDataset) {
  const std::string path = saved_file("good.h5");
  // Copy everything but one weight into a new file.
  const auto src = saving::h5::File::open(path);
  const std::string out = temp_path("holed.h5");
  {
    auto dst = saving::h5::File::create(out);
    for (const char* attr : {"keras_version", "backend", "model_config", "training_config"}) {
      dst.write_string_attr(attr, src.read_string_attr(attr), false);
    }
    const auto mw = src.group("model_weights");
    const auto dmw = dst.create_group("model_weights");
    dmw.write_string_array_attr("layer_names", mw.read_string_array_attr("layer_names"));
    for (const auto& layer : mw.read_string_array_attr("layer_names")) {
      const auto g = mw.group(layer);
      const auto names = g.read_string_array_attr("weight_names", true);
      const auto dg = dmw.create_group(layer);
      dg.write_string_array_attr("weight_names", names);
      for (const auto& n : names) {
        if (n != "hidden/bias") dg.write_dataset(n, g.read_dataset(n));
      }
    }
    dst.close();
  }
  const std::string msg = message_of<IOError>([&] { saving::load_model(out); });
  EXPECT_NE(msg.find("hidden/bias"), std::string::npos) << msg;
  EXPECT_NE(msg.find("no such dataset"), std::string::npos) << msg;
}

// tests/golden/gen_bad_files.py: string attributes in a global heap collection whose
// object sizes would hang (0) or crash (near 2**64) Debian's libhdf5 when it reads them.
TEST(SavingBadFiles, CorruptGlobalHeapIsRefusedBeforeHdf5ReadsIt) {
  const std::string dir = std::string(KERAS_GOLDEN_DIR) + "/../data/bad_files/";
  for (const char* name : {"zero_heap_object.h5", "overflow_heap_object.h5"}) {
    const std::string path = dir + name;
    const std::string msg = message_of<IOError>([&] { saving::load_model(path); });
    EXPECT_NE(msg.find("corrupt global heap collection"), std::string::npos) << msg;
    EXPECT_NE(msg.find(name), std::string::npos) << msg;
    // The same bytes as the weights member of a .keras archive (read from memory).
    auto members = saving::read_zip(read_bytes(saved_file("good.keras")), "good.keras");
    for (auto& [member, bytes] : members) {
      if (member == "model.weights.h5") bytes = read_bytes(path);
    }
    const std::string archive = temp_path("bad_heap.keras");
    write_bytes(archive, saving::write_zip(members, archive));
    const std::string inner = message_of<IOError>([&] { saving::load_model(archive); });
    EXPECT_NE(inner.find("corrupt global heap collection"), std::string::npos) << inner;
  }
}

// --- atomic writes --------------------------------------------------------------------------

// Saves in a child process whose file-size limit stops the write after `limit` bytes.
int save_with_size_limit(Model& model, const std::string& path, rlim_t limit) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit then fails with EFBIG
    const rlimit rl{limit, limit};
    ::setrlimit(RLIMIT_FSIZE, &rl);
    try {
      model.save(path);
    } catch (const IOError&) {
      std::_Exit(3);
    }
    std::_Exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(SavingAtomic, InterruptedSaveKeepsThePreviousFile) {
  for (const char* ext : {".keras", ".h5"}) {
    const std::string path = saved_file(std::string("atomic") + ext);
    const std::string before = read_bytes(path);
    auto other = multi_io_model();
    for (rlim_t limit : {rlim_t{0}, rlim_t{100}, rlim_t{2000}, rlim_t{before.size() / 2}}) {
      EXPECT_EQ(save_with_size_limit(*other, path, limit), 3) << ext << " limit " << limit;
      EXPECT_EQ(read_bytes(path), before) << ext << " limit " << limit;
    }
    for (const auto& entry : fs::directory_iterator(fs::path(path).parent_path())) {
      EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << entry.path();
    }
    EXPECT_EQ(saving::load_model(path)->layers().size(), 3u);
  }
}

// --- layout against the golden files --------------------------------------------------------

std::string layout_file(const std::string& name) {
  const char* env = std::getenv("KERAS_WRITE_LAYOUT_FILES");
  if (env && std::string(env) == "1") {
    fs::create_directories(kGolden);
    return kGolden + name;
  }
  return temp_path(name);
}

json golden_layout() {
  const std::string path = kGolden + "layout.json";
  if (!fs::exists(path)) return nullptr;
  return json::parse(read_bytes(path));
}

TEST(SavingLayout, KerasArchiveMatchesGolden) {
  auto model = testing::keras3_mnist_mlp();
  model->compile({.optimizer = std::make_shared<optimizers::Adam>(optimizers::AdamOptions{.name = "adam"}),
                  .loss = "sparse_categorical_crossentropy",
                  .metrics = {"accuracy"}});
  model->optimizer()->build(model->trainable_weights());
  const std::string path = layout_file("keras3_mnist_mlp.keras");
  model->save(path);
  const json golden = golden_layout();
  ASSERT_FALSE(golden.is_null()) << "run tests/golden/gen_saving_layout.py";
  const json& g = golden.at("cpp").at("keras3_mnist_mlp.keras");
  const auto members = saving::read_zip(read_bytes(path), path);
  std::vector<std::string> names;
  for (const auto& [name, bytes] : members) names.push_back(name);
  EXPECT_EQ(json(names), g.at("members"));
  for (const auto& [name, bytes] : members) {
    if (name == "config.json") {
      EXPECT_EQ(json::parse(bytes), g.at("config")) << json::parse(bytes).dump(1);
    } else if (name == "metadata.json") {
      EXPECT_EQ(json::parse(bytes).at("keras_version"), g.at("keras_version"));
    } else if (name == "model.weights.h5") {
      EXPECT_EQ(testing::h5_layout(saving::h5::File::open_image(bytes, name)), g.at("weights"));
    }
  }
}

ModelPtr layout_functional() {
  const Tensor in = Input({4}, {.name = "input_layer"});
  auto block = make_layer<Sequential>(ModelOptions{.name = "block"});
  block->add(Input({4}, {.name = "block_input"}));
  block->add(layers::Dense(3, {.name = "inner_dense"}));
  block->add(layers::BatchNormalization({.name = "inner_bn"}));
  const Tensor out = layers::Dense(2, {.activation = "softmax", .name = "dense"})((*block)(in));
  return make_model({in}, {out}, {.name = "functional"});
}

TEST(SavingLayout, LegacyH5MatchesGolden) {
  auto model = layout_functional();
  model->compile({.optimizer = std::make_shared<optimizers::RMSprop>(optimizers::RMSpropOptions{.name = "rmsprop"}),
                  .loss = "categorical_crossentropy",
                  .metrics = {"accuracy"}});
  model->optimizer()->build(model->trainable_weights());
  const std::string path = layout_file("nested_functional.h5");
  model->save(path);
  const json golden = golden_layout();
  ASSERT_FALSE(golden.is_null()) << "run tests/golden/gen_saving_layout.py";
  const json ours = testing::h5_layout(saving::h5::File::open(path));
  EXPECT_EQ(ours, golden.at("cpp").at("nested_functional.h5")) << ours.dump(1);
}

}  // namespace
}  // namespace keras
