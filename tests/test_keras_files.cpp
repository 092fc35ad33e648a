// Real files written by Python Keras (tests/data/keras_files: Apache-2.0 test resources of
// DL4J and KotlinDL, and keras2c's MIT-licensed example; see each folder's SOURCE.json) load whole with load_model /
// model_from_json, have the structure their manifest lists, and reproduce the predictions
// Keras stored (expected_output__*.npy) or an independent numpy forward pass
// (reference_output__*.npy); and a loaded model survives a save/load round trip in both
// of our formats.
#include <unistd.h>

#include <filesystem>

#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "keras/sequential.hpp"
#include "keras/utils/npy.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

namespace fs = std::filesystem;
using testing::all_close;
using testing::read_bytes;

const std::string kData = std::string(KERAS_GOLDEN_DIR) + "/../data/keras_files/";
// The shared folder of real Keras files (only for the file whose licence is unknown).
const std::string kShared = "/work/shared/keras-files/";

std::string temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("keras_files_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}


std::vector<std::string> class_names(const Model& model) {
  std::vector<std::string> out;
  for (const auto& l : model.layers()) out.push_back(l->class_name());
  return out;
}

Tensor predict(Model& model, const Tensor& x) { return model.predict(x, {.verbose = 0}); }

// The model's predictions survive model.save + load_model in both formats, bit for bit.
void expect_round_trips(Model& model, const Tensor& x) {
  const Tensor before = predict(model, x);
  for (const char* ext : {".keras", ".h5"}) {
    const std::string path = temp_path(std::string("round_trip") + ext);
    model.save(path);
    auto loaded = saving::load_model(path);
    EXPECT_EQ(class_names(*loaded), class_names(model)) << ext;
    EXPECT_TRUE(all_close(predict(*loaded, x), before, 0, 0)) << ext;
  }
}

struct FullModelCase {
  std::string dir, file, input, expected;
  std::vector<std::string> layers;
  double rtol = 1e-5, atol = 1e-6;
};

void PrintTo(const FullModelCase& c, std::ostream* os) { *os << c.dir; }

class LegacyFullModel : public ::testing::TestWithParam<FullModelCase> {};

TEST_P(LegacyFullModel, LoadsAndPredictsAsKeras) {
  const auto& c = GetParam();
  const std::string dir = kData + c.dir + "/";
  auto model = saving::load_model(dir + c.file);
  EXPECT_EQ(class_names(*model), c.layers);
  const Tensor x = utils::load_npy(dir + c.input);
  EXPECT_TRUE(all_close(predict(*model, x), utils::load_npy(dir + c.expected), c.atol, c.rtol));
  expect_round_trips(*model, x);
}

INSTANTIATE_TEST_SUITE_P(
    KerasFiles, LegacyFullModel,
    ::testing::Values(
        FullModelCase{"dl4j_act_ELU_0", "ELU_0_model.h5", "input__dense_input.npy", "expected_output__elu_1.npy",
                      {"Dense", "ELU"}},
        FullModelCase{"dl4j_act_Softmax_0", "Softmax_0_model.h5", "input__dense_input.npy",
                      "expected_output__softmax_1.npy", {"Dense", "Softmax"}},
        FullModelCase{"dl4j_sparse_xent_mlp_keras_2", "simple_sparse_xent_mlp_keras_2_model.h5",
                      "input__dense_1_input.npy", "expected_output__activation_1.npy", {"Dense", "Activation"}},
        FullModelCase{"dl4j_conv1d_k2_s1_d1_cl_same", "conv1d_k2_s1_d1_cl_same_model.h5", "input__conv0_input.npy",
                      "expected_output__conv0.npy", {"Conv1D"}},
        FullModelCase{"dl4j_wgan_discriminator", "wgan_discriminator.h5", "input__conv2d_1_input.npy",
                      "reference_output__flatten_1.npy",
                      {"Conv2D", "LeakyReLU", "Dropout", "Conv2D", "ZeroPadding2D", "LeakyReLU", "Dropout",
                       "BatchNormalization", "Conv2D", "LeakyReLU", "Dropout", "BatchNormalization", "Conv2D",
                       "LeakyReLU", "Dropout", "Flatten"},
                      1e-4, 1e-5},
        // Keras 1.2.2: Keras 1's LSTM arguments and its 12 separate gate arrays.
        FullModelCase{"dl4j_simple_lstm_tf_keras_1", "simple_lstm_tf_keras_1_model.h5", "input__lstm_input_1.npy",
                      "expected_output__dense_1.npy", {"LSTM", "Dense"}},
        FullModelCase{"dl4j_simple_rnn_tf_keras_2", "simple_rnn_tf_keras_2_model.h5", "input__simple_rnn_1_input.npy",
                      "expected_output__dense_1.npy", {"SimpleRNN", "Dense"}},
        FullModelCase{"dl4j_embedding_lstm_tf_keras_2", "embedding_lstm_tensorflow_2.h5", "input__embedding_1_input.npy",
                      "reference_output__lstm_1.npy", {"Embedding", "LSTM"}},
        FullModelCase{"k2c_profile_predictor", "model.h5", "input__input_1.npy", "expected_output__dense_3.npy",
                      {"InputLayer", "Dense", "Dense", "LSTM", "Dense"}, 1e-4, 1e-5}),
    [](const auto& info) { return info.param.dir; });

TEST(KerasFiles, MnistMlpJsonConfigPlusWeights) {
  const std::string dir = kData + "dl4j_mnist_mlp_tf_keras_2/";
  auto model = models::model_from_json(read_bytes(dir + "config.json"));
  EXPECT_EQ(class_names(*model), (std::vector<std::string>{"Dense", "Dropout", "Dense", "Dropout", "Dense"}));
  model->load_weights(dir + "mnist_mlp_tf_keras_2_weights.h5");
  const Tensor x = utils::load_npy(dir + "input__dense_1_input.npy");
  EXPECT_TRUE(all_close(predict(*model, x), utils::load_npy(dir + "expected_output__dense_3.npy"), 1e-6, 1e-5));
  expect_round_trips(*model, x);
}

TEST(KerasFiles, KotlinDlToyResnetFunctionalJsonPlusWeights) {
  const std::string dir = kData + "kotlindl_toyresnet/";
  auto model = models::model_from_json(read_bytes(dir + "modelConfig.json"));
  EXPECT_EQ(class_names(*model),
            (std::vector<std::string>{"InputLayer", "Conv2D", "Conv2D", "MaxPooling2D", "Conv2D", "Conv2D", "Add",
                                      "Conv2D", "Conv2D", "Add", "Conv2D", "GlobalAveragePooling2D", "Dense", "Dense"}));
  model->load_weights(dir + "weights.h5");
  const Tensor x = utils::load_npy(dir + "input__img.npy");
  EXPECT_TRUE(all_close(predict(*model, x), utils::load_npy(dir + "reference_output__dense_7.npy"), 1e-5, 1e-4));
  expect_round_trips(*model, x);
}

TEST(KerasFiles, Keras312MnistMlpKerasArchive) {
  // No licence is stated for this file, so it is read from the shared folder, not copied.
  const std::string dir = kShared + "keras3_mnist_mlp_3_12/";
  if (!fs::exists(dir + "mnist_model.keras")) GTEST_SKIP() << "no " << dir;
  auto model = saving::load_model(dir + "mnist_model.keras");
  EXPECT_EQ(class_names(*model), (std::vector<std::string>{"Flatten", "Dense", "Dense", "Dense"}));
  EXPECT_TRUE(model->compiled());
  const Tensor x = utils::load_npy(dir + "input__input_layer.npy");
  EXPECT_TRUE(all_close(predict(*model, x), utils::load_npy(dir + "reference_output__dense_2.npy"), 1e-6, 1e-4));
  expect_round_trips(*model, x);
  // It keeps training: one epoch on its own predictions lowers nothing but runs.
  const Tensor y = ops::argmax(predict(*model, x), -1);
  const auto history = model->fit(x, y, {.epochs = 1, .verbose = 0});
  EXPECT_EQ(history.history.at("loss").size(), 1u);
}

}  // namespace
}  // namespace keras
