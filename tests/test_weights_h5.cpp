// Keras's weight files: real Keras files (tests/data/keras_files, Apache-2.0 test resources
// of DL4J and KotlinDL) load into models built from their configs and reproduce Keras's
// predictions; `.weights.h5` round trips (Sequential, nested functional, BatchNormalization,
// Adam state); the file layout against tests/golden/weights_h5/layout.json (written by
// tests/golden/gen_weights_h5_layout.py with h5py, which also reads a real Keras 3.12
// file); and bad files give IOError / ValueError naming what and where.
//
// KERAS_WRITE_LAYOUT_FILES=1 makes the layout tests write their files into
// tests/golden/weights_h5/ for the generator.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "keras/input.hpp"
#include "keras/layer_registry.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/optimizers.hpp"
#include "keras/sequential.hpp"
#include "saving/h5/h5_file.hpp"
#include "h5_layout.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

namespace fs = std::filesystem;
using testing::all_close;
using testing::read_bytes;
using testing::write_bytes;

const std::string kData = std::string(KERAS_GOLDEN_DIR) + "/../data/keras_files/";
const std::string kGoldenLayout = std::string(KERAS_GOLDEN_DIR) + "/weights_h5/";
// The shared folder of real Keras files (only for the file whose licence is unknown).
const std::string kShared = "/work/shared/keras-files/";

std::string temp_dir() {
  static const std::string dir = [] {
    const fs::path p = fs::temp_directory_path() / ("keras_weights_h5_" + std::to_string(::getpid()));
    fs::create_directories(p);
    return p.string();
  }();
  return dir;
}



json read_json(const std::string& path) { return json::parse(read_bytes(path)); }

// --- models from Keras configs ------------------------------------------------------------

// A Sequential from a Keras 2 model config: {"layers": [...]} or a bare list (Keras <= 2.1).
SequentialPtr sequential_from_config(const json& config) {
  const json& layers = config.is_array() ? config : config.at("layers");
  std::vector<LayerPtr> stack;
  for (const auto& entry : layers) stack.push_back(layer_from_config(entry.at("class_name"), entry.at("config")));
  return make_layer<Sequential>(stack);
}

json model_config_of(const std::string& h5_path) {
  return json::parse(saving::h5::File::open(h5_path).read_string_attr("model_config"));
}

// A functional model from a Keras 2 config (one inbound node per layer).
ModelPtr functional_from_config(const json& config) {
  std::map<std::string, Tensor> tensors;
  for (const auto& entry : config.at("layers")) {
    const json& c = entry.at("config");
    const std::string name = c.at("name");
    if (entry.at("class_name") == "InputLayer") {
      Shape shape;
      const json& batch = c.at("batch_input_shape");
      for (std::size_t i = 1; i < batch.size(); ++i) shape.push_back(batch[i].is_null() ? -1 : batch[i].get<std::int64_t>());
      tensors[name] = Input(shape, {.name = name});
      continue;
    }
    LayerPtr layer = layer_from_config(entry.at("class_name"), c);
    Tensors inputs;
    for (const auto& ref : entry.at("inbound_nodes").at(0)) inputs.push_back(tensors.at(ref.at(0)));
    tensors[name] = inputs.size() == 1 ? Tensor((*layer)(inputs[0])) : Tensor((*layer)(inputs));
  }
  Tensors ins;
  Tensors outs;
  for (const auto& ref : config.at("input_layers")) ins.push_back(tensors.at(ref.at(0)));
  for (const auto& ref : config.at("output_layers")) outs.push_back(tensors.at(ref.at(0)));
  return make_model(ins, outs);
}

Tensor predict(Model& model, const Tensor& x) { return model.predict(x, {.verbose = 0}); }

// --- real Keras files ---------------------------------------------------------------------

TEST(WeightsH5Keras, MnistMlpKeras206WeightsFile) {
  const std::string dir = kData + "dl4j_mnist_mlp_tf_keras_2/";
  auto model = sequential_from_config(read_json(dir + "config.json").at("config"));
  model->load_weights(dir + "mnist_mlp_tf_keras_2_weights.h5");
  const Tensor x = utils::load_npy(dir + "input__dense_1_input.npy");
  EXPECT_TRUE(all_close(predict(*model, x), utils::load_npy(dir + "expected_output__dense_3.npy"), 1e-6, 1e-5));
}

TEST(WeightsH5Keras, SparseXentMlpWeightsAndFullModelFiles) {
  const std::string dir = kData + "dl4j_sparse_xent_mlp_keras_2/";
  const Tensor x = utils::load_npy(dir + "input__dense_1_input.npy");
  const Tensor expected = utils::load_npy(dir + "expected_output__activation_1.npy");
  for (const char* file : {"simple_sparse_xent_mlp_keras_2_weights.h5", "simple_sparse_xent_mlp_keras_2_model.h5"}) {
    auto model = sequential_from_config(model_config_of(dir + "simple_sparse_xent_mlp_keras_2_model.h5").at("config"));
    model->load_weights(dir + file);
    EXPECT_TRUE(all_close(predict(*model, x), expected, 1e-6, 1e-5)) << file;
  }
}

TEST(WeightsH5Keras, EluModelTopologicalAndByName) {
  const std::string dir = kData + "dl4j_act_ELU_0/";
  const Tensor x = utils::load_npy(dir + "input__dense_input.npy");
  const Tensor expected = utils::load_npy(dir + "expected_output__elu_1.npy");
  const json config = model_config_of(dir + "ELU_0_model.h5").at("config");
  for (bool by_name : {false, true}) {
    for (const char* file : {"ELU_0_weights.h5", "ELU_0_model.h5"}) {
      auto model = sequential_from_config(config);
      model->load_weights(dir + file, {.by_name = by_name});
      EXPECT_TRUE(all_close(predict(*model, x), expected, 1e-6, 1e-5)) << file << " by_name=" << by_name;
    }
  }
}

TEST(WeightsH5Keras, Conv1DSame) {
  const std::string dir = kData + "dl4j_conv1d_k2_s1_d1_cl_same/";
  auto model = sequential_from_config(model_config_of(dir + "conv1d_k2_s1_d1_cl_same_model.h5").at("config"));
  model->load_weights(dir + "conv1d_k2_s1_d1_cl_same_weights.h5");
  const Tensor x = utils::load_npy(dir + "input__conv0_input.npy");
  EXPECT_TRUE(all_close(predict(*model, x), utils::load_npy(dir + "expected_output__conv0.npy"), 1e-6, 1e-5));
}

TEST(WeightsH5Keras, KotlinDlToyResnetFunctional) {
  const std::string dir = kData + "kotlindl_toyresnet/";
  const json config = read_json(dir + "modelConfig.json").at("config");
  const Tensor x = utils::load_npy(dir + "input__img.npy");
  const Tensor reference = utils::load_npy(dir + "reference_output__dense_7.npy");
  for (bool by_name : {false, true}) {
    auto model = functional_from_config(config);
    EXPECT_EQ(model->layers().size(), 14u);
    model->load_weights(dir + "weights.h5", {.by_name = by_name});
    EXPECT_TRUE(all_close(predict(*model, x), reference, 1e-5, 1e-4)) << "by_name=" << by_name;
    // A round trip through .weights.h5 keeps every weight bit for bit.
    const std::string path = temp_dir() + "/toyresnet.weights.h5";
    model->save_weights(path);
    auto copy = functional_from_config(config);
    copy->load_weights(path);
    const Tensors a = model->get_weights();
    const Tensors b = copy->get_weights();
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(all_close(a[i], b[i], 0, 0)) << i;
  }
}

// The member `name` of a stored (uncompressed) zip, as Keras writes .keras files; "" when
// it is absent or compressed.
std::string stored_zip_member(const std::string& zip, const std::string& name) {
  auto u16 = [&](std::size_t at) { return static_cast<std::size_t>(static_cast<unsigned char>(zip[at]) | static_cast<unsigned char>(zip[at + 1]) << 8); };
  auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
  if (zip.size() < 22) return "";
  std::size_t eocd = zip.size() - 22;
  while (eocd > 0 && u32(eocd) != 0x06054b50) --eocd;
  if (u32(eocd) != 0x06054b50) return "";
  std::size_t at = u32(eocd + 16);
  for (std::size_t i = 0, n = u16(eocd + 10); i < n && at + 46 <= zip.size(); ++i) {
    const std::size_t method = u16(at + 10), size = u32(at + 20), nlen = u16(at + 28), xlen = u16(at + 30),
                      clen = u16(at + 32), local = u32(at + 42);
    if (zip.compare(at + 46, nlen, name) == 0 && nlen == name.size()) {
      if (method != 0) return "";
      const std::size_t data = local + 30 + u16(local + 26) + u16(local + 28);
      return zip.substr(data, size);
    }
    at += 46 + nlen + xlen + clen;
  }
  return "";
}

using testing::keras3_mnist_mlp;

TEST(WeightsH5Keras, Keras312MnistMlpWeightsH5) {
  // No licence is stated for this file, so it is read from the shared folder, not copied.
  const std::string dir = kShared + "keras3_mnist_mlp_3_12/";
  if (!fs::exists(dir + "mnist_model.keras")) GTEST_SKIP() << "no " << dir;
  const std::string member = stored_zip_member(read_bytes(dir + "mnist_model.keras"), "model.weights.h5");
  ASSERT_FALSE(member.empty());
  const std::string path = temp_dir() + "/keras312_model.weights.h5";
  write_bytes(path, member);
  const Tensor x = utils::load_npy(dir + "input__input_layer.npy");
  const Tensor reference = utils::load_npy(dir + "reference_output__dense_2.npy");
  {
    auto model = keras3_mnist_mlp();
    model->load_weights(path);
    EXPECT_TRUE(all_close(predict(*model, x), reference, 1e-6, 1e-4));
  }
  // With a compiled Adam, the saved optimizer state (14 variables) is restored too.
  auto model = keras3_mnist_mlp();
  model->compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy"});
  model->load_weights(path);
  const auto opt = model->optimizer();
  ASSERT_TRUE(opt->built());
  EXPECT_GT(opt->iterations(), 0);
  const auto file = saving::h5::File::open(path);
  EXPECT_EQ(opt->iterations(), file.read_dataset("optimizer/vars/0").item<std::int64_t>());
  EXPECT_NEAR(opt->learning_rate(), file.read_dataset("optimizer/vars/1").item<double>(), 1e-9);
  EXPECT_TRUE(all_close(opt->variables()[1].value(), file.read_dataset("optimizer/vars/2"), 0, 0));
  EXPECT_TRUE(all_close(opt->variables()[2].value(), file.read_dataset("optimizer/vars/3"), 0, 0));
}

// --- round trips ---------------------------------------------------------------------------

void expect_same_weights(const Model& a, const Model& b) {
  const Tensors wa = a.get_weights();
  const Tensors wb = b.get_weights();
  ASSERT_EQ(wa.size(), wb.size());
  for (std::size_t i = 0; i < wa.size(); ++i) EXPECT_TRUE(all_close(wa[i], wb[i], 0, 0)) << "weight " << i;
}

SequentialPtr small_sequential() {
  return make_layer<Sequential>(std::vector<LayerPtr>{layers::Dense(6, {.activation = "relu", .input_shape = Shape{5}}),
                                                      layers::Dropout(0.5), layers::Dense(3)});
}

TEST(WeightsH5RoundTrip, Sequential) {
  auto a = small_sequential();
  auto b = small_sequential();
  const std::string path = temp_dir() + "/seq.weights.h5";
  a->save_weights(path);
  EXPECT_FALSE(all_close(a->get_weights()[0], b->get_weights()[0], 0, 0));
  b->load_weights(path);
  expect_same_weights(*a, *b);
  // No temporary file is left beside the target.
  for (const auto& e : fs::directory_iterator(temp_dir())) EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos);
}

// Input -> Dense -> BatchNormalization -> nested Sequential -> nested functional -> Dense.
ModelPtr nested_model(const std::string& prefix = "") {
  auto inner_seq = make_layer<Sequential>(
      std::vector<LayerPtr>{layers::Dense(8, {.activation = "relu", .name = prefix + "i1", .input_shape = Shape{16}}),
                            layers::BatchNormalization({.name = prefix + "ibn"}), layers::Dense(8, {.name = prefix + "i2"})},
      ModelOptions{.name = prefix + "inner_seq"});
  Tensor fin = Input({8}, {.name = prefix + "fin"});
  Tensor f1 = layers::Dense(4, {.name = prefix + "f1"})(fin);
  Tensor f2 = layers::Dense(4, {.name = prefix + "f2"})(fin);
  auto inner_fn = make_model({fin}, {layers::Add({.name = prefix + "fadd"})({f1, f2})}, {.name = prefix + "inner_fn"});
  Tensor in = Input({5}, {.name = prefix + "in"});
  Tensor h = layers::Dense(16, {.name = prefix + "d1"})(in);
  h = layers::BatchNormalization({.name = prefix + "bn"})(h);
  h = inner_seq(h);
  h = inner_fn(h);
  Tensor out = layers::Dense(2, {.name = prefix + "out"})(h);
  return make_model({in}, {out}, {.name = prefix + "outer"});
}

// Moves the BatchNormalization statistics away from their initial values.
void train_a_little(Model& model, int steps) {
  const Tensor x = testing::test_input({8, 5}, 11).astype(DType::float32);
  const Tensor y = testing::test_input({8, 2}, 12).astype(DType::float32);
  for (int i = 0; i < steps; ++i) model.train_on_batch(x, y);
}

TEST(WeightsH5RoundTrip, FunctionalWithNestedModelsAndBatchNormalization) {
  auto a = nested_model();
  a->compile({.optimizer = "sgd", .loss = "mse"});
  train_a_little(*a, 2);
  auto b = nested_model();
  const std::string path = temp_dir() + "/nested.weights.h5";
  a->save_weights(path);
  b->load_weights(path);
  expect_same_weights(*a, *b);
  // The non-trainable moving statistics travelled too.
  const auto bn = b->get_layer("bn");
  EXPECT_EQ(bn->non_trainable_weights().size(), 2u);
  EXPECT_FALSE(all_close(bn->non_trainable_weights()[0].value(), ops::zeros({16}), 0, 0));
  const Tensor x = testing::test_input({4, 5}, 3).astype(DType::float32);
  EXPECT_TRUE(all_close(predict(*a, x), predict(*b, x), 0, 0));
}

TEST(WeightsH5RoundTrip, AdamStateIsRestored) {
  auto a = nested_model();
  a->compile({.optimizer = std::make_shared<optimizers::Adam>(optimizers::AdamOptions{.learning_rate = 0.01}), .loss = "mse"});
  train_a_little(*a, 3);
  const std::string path = temp_dir() + "/adam.weights.h5";
  a->save_weights(path);
  auto b = nested_model();
  b->compile({.optimizer = std::make_shared<optimizers::Adam>(optimizers::AdamOptions{.learning_rate = 0.5}), .loss = "mse"});
  b->load_weights(path);
  expect_same_weights(*a, *b);
  const auto oa = a->optimizer();
  const auto ob = b->optimizer();
  ASSERT_TRUE(ob->built());
  EXPECT_EQ(ob->iterations(), 3);
  EXPECT_NEAR(ob->learning_rate(), 0.01, 1e-9);
  const auto va = oa->variables();
  const auto vb = ob->variables();
  ASSERT_EQ(va.size(), vb.size());
  for (std::size_t i = 0; i < va.size(); ++i) EXPECT_TRUE(all_close(va[i].value(), vb[i].value(), 0, 0)) << va[i].name();
  // The next step is the same in both.
  train_a_little(*a, 1);
  train_a_little(*b, 1);
  expect_same_weights(*a, *b);
}

TEST(WeightsH5RoundTrip, ReadsFilesWithAndWithoutEmptyGroups) {
  // Keras 3.0-3.5 (and 3.12 for named layers) write empty vars groups for weightless
  // layers; a file without them (only the weighted layers' groups) loads as well.
  auto a = keras3_mnist_mlp();
  const std::string path = temp_dir() + "/sparse_groups.weights.h5";
  {
    auto f = saving::h5::File::create(path);
    const char* names[] = {"dense", "dense_1", "dense_2"};
    const auto layers = a->layers();
    for (int i = 0; i < 3; ++i) {
      const auto w = layers[static_cast<std::size_t>(i) + 1]->weights();
      const auto g = f.create_group(std::string("layers/") + names[i] + "/vars");
      g.write_dataset("0", w[0].value());
      g.write_dataset("1", w[1].value());
    }
    f.close();
  }
  auto b = keras3_mnist_mlp();
  b->load_weights(path);
  expect_same_weights(*a, *b);
}

TEST(WeightsH5RoundTrip, SaveAndLoadNamesFollowKeras3) {
  auto a = small_sequential();
  for (const char* name : {"/w.h5", "/w.hdf5", "/w.keras", "/w.ckpt"}) {
    try {
      a->save_weights(temp_dir() + name);
      ADD_FAILURE() << name;
    } catch (const ValueError& e) {
      EXPECT_NE(std::string(e.what()).find("The filename must end in `.weights.h5`"), std::string::npos);
    }
  }
  EXPECT_THROW(a->load_weights(temp_dir() + "/seq.weights.h5", {.by_name = true}), ValueError);
  EXPECT_NE(testing::value_error([&] { a->load_weights(temp_dir() + "/w.ckpt"); }).find("File format not supported"),
            std::string::npos);
  // A .keras archive's weights load into a model of the same architecture.
  a->save(temp_dir() + "/whole.keras");
  auto b = small_sequential();
  b->load_weights(temp_dir() + "/whole.keras");
  expect_same_weights(*a, *b);
}

// --- the HDF5 wrapper -----------------------------------------------------------------------

TEST(WeightsH5Wrapper, DatasetsAttributesAndChunkedNames) {
  const std::string path = temp_dir() + "/wrapper.h5";
  std::vector<std::string> names;
  for (int i = 0; i < 3000; ++i) names.push_back("layer_with_a_long_name_" + std::to_string(i));
  {
    auto f = saving::h5::File::create(path);
    f.write_dataset("a/b/f32", Tensor::from_vector(std::vector<float>{1.5f, -2}, {2, 1}));
    f.write_dataset("f64", Tensor::from_vector(std::vector<double>{0.25}, {}));
    f.write_dataset("i32", Tensor::from_vector(std::vector<std::int32_t>{7, 8, 9}));
    f.write_dataset("i64", Tensor::from_vector(std::vector<std::int64_t>{}, {0, 3}));
    f.write_string_attr("vlen", "héllo");
    f.write_string_attr("fixed", "bytes", false);
    f.write_string_array_attr("names", names);
    f.write_string_array_attr("empty", {});
    f.close();
  }
  const auto f = saving::h5::File::open(path);
  EXPECT_TRUE(f.has_group("a/b"));
  EXPECT_TRUE(f.has_dataset("a/b/f32"));
  EXPECT_FALSE(f.has_group("a/b/f32"));
  EXPECT_FALSE(f.has("x/y/z"));
  EXPECT_EQ(f.children(), (std::vector<std::string>{"a", "f64", "i32", "i64"}));
  const Tensor f32 = f.read_dataset("a/b/f32");
  EXPECT_EQ(f32.dtype(), DType::float32);
  EXPECT_TRUE(all_close(f32, Tensor::from_vector(std::vector<float>{1.5f, -2}, {2, 1}), 0, 0));
  const Tensor f64 = f.read_dataset("f64");
  EXPECT_EQ(f64.dtype(), DType::float64);
  EXPECT_EQ(f64.ndim(), 0);
  EXPECT_EQ(f64.item<double>(), 0.25);
  EXPECT_EQ(f.read_dataset("i32").dtype(), DType::int32);
  EXPECT_EQ(f.read_dataset("i64").shape(), (Shape{0, 3}));
  EXPECT_EQ(f.read_dataset("i64").dtype(), DType::int64);
  EXPECT_EQ(f.read_string_attr("vlen"), "héllo");
  EXPECT_EQ(f.attr_info("vlen").first, "vlen_string");
  EXPECT_EQ(f.read_string_attr("fixed"), "bytes");
  EXPECT_EQ(f.attr_info("fixed").first, "string");
  // 3000 names of 28 bytes exceed 64512 bytes: Keras's chunks names0, names1.
  EXPECT_FALSE(f.has_attr("names"));
  EXPECT_TRUE(f.has_attr("names0"));
  EXPECT_TRUE(f.has_attr("names1"));
  EXPECT_FALSE(f.has_attr("names2"));
  EXPECT_EQ(f.read_string_array_attr("names"), names);
  EXPECT_TRUE(f.read_string_array_attr("empty").empty());
  EXPECT_EQ(f.attr_info("empty").first, "float64");
  EXPECT_THROW(f.read_string_attr("missing"), IOError);
  EXPECT_THROW(f.read_dataset("a"), IOError);
}

TEST(WeightsH5Legacy, ChunkedLayerNamesLoad) {
  // A legacy weights file written with the wrapper, layer_names split in chunks.
  auto model = small_sequential();
  const auto layers = model->layers();
  const std::string path = temp_dir() + "/chunked.h5";
  {
    auto f = saving::h5::File::create(path);
    std::vector<std::string> layer_names;
    for (int i = 0; i < 2500; ++i) {
      const std::string name = "padding_layer_without_weights_" + std::to_string(i);
      f.create_group(name).write_string_array_attr("weight_names", {});
      layer_names.push_back(name);
    }
    for (std::size_t k = 0; k < layers.size(); ++k) {
      const auto g = f.create_group("L" + std::to_string(k));
      std::vector<std::string> weight_names;
      const auto ws = layers[k]->weights();
      for (std::size_t i = 0; i < ws.size(); ++i) {
        weight_names.push_back("L" + std::to_string(k) + "/w" + std::to_string(i) + ":0");
        g.write_dataset(weight_names.back(), ops::full(ws[i].shape(), static_cast<double>(k * 10 + i)));
      }
      g.write_string_array_attr("weight_names", weight_names);
      layer_names.push_back("L" + std::to_string(k));
    }
    f.write_string_array_attr("layer_names", layer_names);
    f.close();
  }
  EXPECT_TRUE(saving::h5::File::open(path).has_attr("layer_names1"));
  model->load_weights(path);
  EXPECT_EQ(model->get_weights()[1].to_vector<double>()[0], 1.0);
  EXPECT_EQ(model->get_weights()[3].to_vector<double>()[0], 21.0);
}

// --- the layout -----------------------------------------------------------------------------

json layout_of(const std::string& path) { return testing::h5_layout(saving::h5::File::open(path)); }

// Writes the file where the generator reads it (KERAS_WRITE_LAYOUT_FILES=1) or in a
// temporary folder.
std::string layout_file(const std::string& name) {
  const char* env = std::getenv("KERAS_WRITE_LAYOUT_FILES");
  if (env && std::string(env) == "1") {
    fs::create_directories(kGoldenLayout);
    return kGoldenLayout + name;
  }
  return temp_dir() + "/" + name;
}

json golden_layout() {
  const std::string path = kGoldenLayout + "layout.json";
  if (!fs::exists(path)) return nullptr;
  return read_json(path);
}

TEST(WeightsH5Layout, Keras3MnistMlpMatchesKeras312) {
  auto model = keras3_mnist_mlp();
  model->compile({.optimizer = std::make_shared<optimizers::Adam>(optimizers::AdamOptions{.name = "adam"}),
                  .loss = "sparse_categorical_crossentropy"});
  model->optimizer()->build(model->trainable_weights());
  const std::string path = layout_file("keras3_mnist_mlp.weights.h5");
  model->save_weights(path);
  const json golden = golden_layout();
  ASSERT_FALSE(golden.is_null()) << "run tests/golden/gen_weights_h5_layout.py";
  const json ours = layout_of(path);
  EXPECT_EQ(ours, golden.at("cpp").at("keras3_mnist_mlp.weights.h5")) << ours.dump(1);
  // The generator read Keras 3.12's own file: same groups, datasets, shapes and dtypes.
  EXPECT_EQ(ours, golden.at("keras").at("keras3_mnist_mlp_3_12/model.weights.h5")) << ours.dump(1);
}

TEST(WeightsH5Layout, NestedFunctional) {
  auto model = nested_model();
  model->compile({.optimizer = std::make_shared<optimizers::Adam>(optimizers::AdamOptions{.name = "adam"}), .loss = "mse"});
  train_a_little(*model, 1);
  const std::string path = layout_file("nested_functional.weights.h5");
  model->save_weights(path);
  const json golden = golden_layout();
  ASSERT_FALSE(golden.is_null()) << "run tests/golden/gen_weights_h5_layout.py";
  const json ours = layout_of(path);
  EXPECT_EQ(ours, golden.at("cpp").at("nested_functional.weights.h5")) << ours.dump(1);
}

// --- bad files -------------------------------------------------------------------------------

using testing::message_of;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(WeightsH5BadFiles, MissingFile) {
  auto m = small_sequential();
  const std::string path = temp_dir() + "/does_not_exist.weights.h5";
  const std::string msg = message_of<IOError>([&] { m->load_weights(path); });
  EXPECT_TRUE(contains(msg, path) && contains(msg, "no such file")) << msg;
  const std::string legacy = message_of<IOError>([&] { m->load_weights(temp_dir() + "/nope.h5"); });
  EXPECT_TRUE(contains(legacy, "nope.h5")) << legacy;
}

TEST(WeightsH5BadFiles, WrongMagic) {
  auto m = small_sequential();
  const std::string path = temp_dir() + "/text.weights.h5";
  write_bytes(path, "this is not an HDF5 file at all, just some text\n");
  const std::string msg = message_of<IOError>([&] { m->load_weights(path); });
  EXPECT_TRUE(contains(msg, path) && contains(msg, "not an HDF5 file")) << msg;
  write_bytes(temp_dir() + "/text.h5", "x");
  EXPECT_TRUE(contains(message_of<IOError>([&] { m->load_weights(temp_dir() + "/text.h5"); }), "not an HDF5 file"));
}

TEST(WeightsH5BadFiles, DatasetClaimingMoreThanTheFileHolds) {
  // tests/golden/gen_bad_files.py: a 5 KB file whose kernel claims 4 TiB.
  const Tensor in = Input({3});
  auto model = make_model({in}, {layers::Dense(2)(in)});
  const std::string path = std::string(KERAS_GOLDEN_DIR) + "/../data/bad_files/huge_dataset.weights.h5";
  const std::string msg = message_of<IOError>([&] { model->load_weights(path); });
  EXPECT_NE(msg.find("claims 4398046511104 bytes"), std::string::npos) << msg;
  EXPECT_NE(msg.find("layers/dense/vars/0"), std::string::npos) << msg;
}

TEST(WeightsH5BadFiles, TruncatedFiles) {
  auto a = nested_model();
  const std::string good = temp_dir() + "/good.weights.h5";
  a->save_weights(good);
  const std::string bytes = read_bytes(good);
  auto b = nested_model();
  const Tensors before = b->get_weights();
  for (std::size_t cut : {std::size_t{0}, std::size_t{4}, std::size_t{8}, std::size_t{96}, std::size_t{512},
                          std::size_t{2048}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 100, bytes.size() - 1}) {
    const std::string path = temp_dir() + "/cut_" + std::to_string(cut) + ".weights.h5";
    write_bytes(path, bytes.substr(0, cut));
    const std::string msg = message_of<IOError>([&] { b->load_weights(path); });
    EXPECT_TRUE(contains(msg, path)) << "cut at " << cut << ": " << msg;
    // Nothing was assigned.
    const Tensors after = b->get_weights();
    for (std::size_t i = 0; i < after.size(); ++i) EXPECT_TRUE(all_close(after[i], before[i], 0, 0));
  }
  // Legacy files too.
  const std::string legacy = read_bytes(kData + "dl4j_act_ELU_0/ELU_0_weights.h5");
  for (std::size_t cut : {std::size_t{10}, legacy.size() / 2, legacy.size() - 1}) {
    const std::string path = temp_dir() + "/cut_" + std::to_string(cut) + ".h5";
    write_bytes(path, legacy.substr(0, cut));
    auto m = sequential_from_config(model_config_of(kData + "dl4j_act_ELU_0/ELU_0_model.h5").at("config"));
    const std::string msg = message_of<IOError>([&] { m->load_weights(path); });
    EXPECT_TRUE(contains(msg, path)) << "cut at " << cut << ": " << msg;
  }
}

// A .weights.h5 for small_sequential() with `dense` given these datasets.
std::string weights_file_with(const std::string& name, const std::vector<std::pair<std::string, Tensor>>& dense) {
  const std::string path = temp_dir() + "/" + name;
  auto f = saving::h5::File::create(path);
  const auto g = f.create_group("layers/dense/vars");
  for (const auto& [key, t] : dense) g.write_dataset(key, t);
  const auto g1 = f.create_group("layers/dense_1/vars");
  g1.write_dataset("0", ops::zeros({6, 3}));
  g1.write_dataset("1", ops::zeros({3}));
  f.close();
  return path;
}

TEST(WeightsH5BadFiles, MissingDatasetShapeMismatchAndWrongCount) {
  auto m = small_sequential();
  const Tensors before = m->get_weights();
  {
    const std::string path = weights_file_with("missing.weights.h5", {{"0", ops::zeros({5, 6})}, {"2", ops::zeros({6})}});
    const std::string msg = message_of<IOError>([&] { m->load_weights(path); });
    EXPECT_TRUE(contains(msg, "/layers/dense/vars/1") && contains(msg, path)) << msg;
  }
  {
    const std::string path = weights_file_with("shape.weights.h5", {{"0", ops::zeros({5, 7})}, {"1", ops::zeros({6})}});
    const std::string msg = message_of<ValueError>([&] { m->load_weights(path); });
    EXPECT_TRUE(contains(msg, "(5, 6)") && contains(msg, "(5, 7)") && contains(msg, "/layers/dense/vars/0")) << msg;
    // skip_mismatch skips that weight and loads the rest.
    m->load_weights(path, {.skip_mismatch = true});
    EXPECT_TRUE(all_close(m->get_weights()[0], before[0], 0, 0));
    EXPECT_TRUE(all_close(m->get_weights()[2], ops::zeros({6, 3}), 0, 0));
    m->set_weights(before);
  }
  {
    const std::string path = weights_file_with(
        "count.weights.h5", {{"0", ops::zeros({5, 6})}, {"1", ops::zeros({6})}, {"2", ops::zeros({6})}});
    const std::string msg = message_of<ValueError>([&] { m->load_weights(path); });
    EXPECT_TRUE(contains(msg, "expected 2 variables, but received 3 variables during loading") &&
                contains(msg, "/layers/dense/vars"))
        << msg;
  }
  const Tensors after = m->get_weights();
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_TRUE(all_close(after[i], before[i], 0, 0));
}

TEST(WeightsH5BadFiles, LegacyMismatches) {
  const std::string dir = kData + "dl4j_mnist_mlp_tf_keras_2/";
  // Two Dense layers where the file has three.
  auto two = make_layer<Sequential>(std::vector<LayerPtr>{layers::Dense(512, {.input_shape = Shape{784}}), layers::Dense(10)});
  const std::string msg = message_of<ValueError>([&] { two->load_weights(dir + "mnist_mlp_tf_keras_2_weights.h5"); });
  EXPECT_TRUE(contains(msg, "Layer count mismatch") && contains(msg, "expected 2 layers, found 3")) << msg;
  auto wrong = make_layer<Sequential>(std::vector<LayerPtr>{
      layers::Dense(512, {.input_shape = Shape{784}}), layers::Dense(512), layers::Dense(11)});
  const std::string shape = message_of<ValueError>([&] { wrong->load_weights(dir + "mnist_mlp_tf_keras_2_weights.h5"); });
  EXPECT_TRUE(contains(shape, "Shape mismatch") && contains(shape, "(512, 11)") && contains(shape, "(512, 10)")) << shape;
  // A weight_names entry whose dataset is missing.
  const std::string path = temp_dir() + "/legacy_missing.h5";
  {
    auto f = saving::h5::File::create(path);
    f.write_string_array_attr("layer_names", {"dense"});
    f.create_group("dense").write_string_array_attr("weight_names", {"dense/kernel:0", "dense/bias:0"});
    f.write_dataset("dense/dense/kernel:0", ops::zeros({5, 6}));
    f.close();
  }
  auto one = make_layer<Sequential>(std::vector<LayerPtr>{layers::Dense(6, {.input_shape = Shape{5}})});
  const std::string missing = message_of<IOError>([&] { one->load_weights(path); });
  EXPECT_TRUE(contains(missing, "/dense/dense/bias:0") && contains(missing, path)) << missing;
}

}  // namespace
}  // namespace keras
