// The keras-cpp command-line tool (tools/keras-cpp.cpp), run as a process on real Keras
// files: summary lists the layers, predict reproduces Keras's stored predictions, convert
// writes files that load and predict the same, plot draws a PNG, and bad input exits
// non-zero with a message.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "keras/input.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "keras/utils/npy.hpp"
#include "test_util.hpp"

#ifndef KERAS_CLI
#error "KERAS_CLI must name the keras-cpp executable"
#endif

namespace keras {
namespace {

namespace fs = std::filesystem;
using testing::all_close;

const std::string kData = std::string(KERAS_GOLDEN_DIR) + "/../data/keras_files/";

struct Result {
  int status;
  std::string output;  // stdout and stderr
};

Result run_cli(const std::string& args) {
  const std::string command = std::string(KERAS_CLI) + " " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  Result r{-1, ""};
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) r.output += buf.data();
  const int status = ::pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("keras_cli_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}

TEST(Cli, SummaryOfALegacyH5File) {
  const auto r = run_cli("summary " + kData + "k2c_profile_predictor/model.h5");
  EXPECT_EQ(r.status, 0) << r.output;
  for (const char* s : {"input_1 (InputLayer)", "lstm_1 (LSTM)", "dense_3 (Dense)", "Total params"}) {
    EXPECT_NE(r.output.find(s), std::string::npos) << s << "\n" << r.output;
  }
}

TEST(Cli, PredictReproducesKeras) {
  const std::string dir = kData + "dl4j_conv1d_k2_s1_d1_cl_same/";
  const std::string out = temp_path("conv.npy");
  const auto r = run_cli("predict " + dir + "conv1d_k2_s1_d1_cl_same_model.h5 " + dir + "input__conv0_input.npy -o " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(all_close(utils::load_npy(out), utils::load_npy(dir + "expected_output__conv0.npy"), 1e-6, 1e-5));
}

TEST(Cli, PredictFromJsonAndWeights) {
  const std::string dir = kData + "dl4j_mnist_mlp_tf_keras_2/";
  const std::string out = temp_path("mlp.npy");
  const auto r = run_cli("predict " + dir + "config.json " + dir + "input__dense_1_input.npy -o " + out + " --weights " +
                         dir + "mnist_mlp_tf_keras_2_weights.h5 --batch-size 7");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(all_close(utils::load_npy(out), utils::load_npy(dir + "expected_output__dense_3.npy"), 1e-6, 1e-5));
}

TEST(Cli, PredictWritesOneFilePerOutput) {
  const Tensor a = Input({2});
  const Tensor b = Input({3});
  auto model = make_model({a, b}, {layers::Dense(1)(a), layers::Concatenate()({a, b})});
  const std::string path = temp_path("two.keras");
  model->save(path);
  const Tensor xa = testing::test_input({4, 2}, 1).astype(DType::float32);
  const Tensor xb = testing::test_input({4, 3}, 2).astype(DType::float32);
  utils::save_npy(temp_path("a.npy"), xa);
  utils::save_npy(temp_path("b.npy"), xb);
  const auto r = run_cli("predict " + path + " " + temp_path("a.npy") + " " + temp_path("b.npy") + " -o " + temp_path("out.npy"));
  ASSERT_EQ(r.status, 0) << r.output;
  const Outputs expected = model->predict(ArrayData({xa, xb}), {.verbose = 0});
  EXPECT_TRUE(all_close(utils::load_npy(temp_path("out_0.npy")), expected[0], 0, 0));
  EXPECT_TRUE(all_close(utils::load_npy(temp_path("out_1.npy")), expected[1], 0, 0));
}

TEST(Cli, ConvertH5ToKerasAndBack) {
  const std::string dir = kData + "dl4j_wgan_discriminator/";
  const std::string keras_file = temp_path("wgan.keras");
  ASSERT_EQ(run_cli("convert " + dir + "wgan_discriminator.h5 " + keras_file).status, 0);
  const std::string h5_file = temp_path("wgan.h5");
  ASSERT_EQ(run_cli("convert " + keras_file + " " + h5_file).status, 0);
  const Tensor x = utils::load_npy(dir + "input__conv2d_1_input.npy");
  const Tensor reference = utils::load_npy(dir + "reference_output__flatten_1.npy");
  for (const auto& file : {keras_file, h5_file}) {
    EXPECT_TRUE(all_close(saving::load_model(file)->predict(x, {.verbose = 0}), reference, 1e-5, 1e-4)) << file;
  }
}

TEST(Cli, PlotDrawsAPng) {
  const std::string out = temp_path("model.png");
  const auto r = run_cli("plot " + kData + "dl4j_act_ELU_0/ELU_0_model.h5 " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  std::ifstream in(out, std::ios::binary);
  std::string magic(8, '\0');
  in.read(magic.data(), 8);
  EXPECT_EQ(magic, std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST(Cli, ErrorsAndUsage) {
  auto r = run_cli("summary " + temp_path("missing.keras"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("keras-cpp: error: Cannot open"), std::string::npos) << r.output;
  r = run_cli("frobnicate x");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("unknown command 'frobnicate'"), std::string::npos) << r.output;
  r = run_cli("predict " + kData + "dl4j_act_ELU_0/ELU_0_model.h5 x.npy");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("needs -o"), std::string::npos) << r.output;
  EXPECT_EQ(run_cli("--help").status, 0);
}

}  // namespace
}  // namespace keras
