// plot_model / model_to_dot: Keras 3's labels and edges in the DOT text, and real PNG/SVG
// files from Graphviz (written atomically; bad extensions rejected).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "keras/input.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/sequential.hpp"
#include "keras/utils/model_visualization.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Model two_branch_model() {
  Tensor a = Input({3}, {.name = "input_a"});
  Tensor b = Input({2}, {.name = "input_b"});
  Tensor joined = layers::Concatenate({.name = "joined"})({a, b});
  Tensor out = layers::Dense(4, {.activation = "relu", .name = "head"})(joined);
  return Model(Tensors{a, b}, out, {.name = "two_branch"});
}

TEST(PlotModel, DotTextHasKerasLabelsAndEdges) {
  Model model = two_branch_model();
  const std::string dot = utils::model_to_dot(
      model, {.show_shapes = true, .show_dtype = true, .show_layer_names = true, .show_layer_activations = true,
              .show_trainable = true});
  EXPECT_NE(dot.find("rankdir=TB;"), std::string::npos);
  EXPECT_NE(dot.find("node [shape=record];"), std::string::npos);
  EXPECT_NE(dot.find("<b>head</b> (Dense)"), std::string::npos) << dot;
  EXPECT_NE(dot.find("Activation: <b>relu</b>"), std::string::npos);
  EXPECT_NE(dot.find("Input shape: <b>[(None, 3), (None, 2)]</b>"), std::string::npos) << dot;
  EXPECT_NE(dot.find("Output shape: <b>(None, 4)</b>"), std::string::npos);
  EXPECT_NE(dot.find("Output dtype: <b>float32</b>"), std::string::npos);
  EXPECT_NE(dot.find("<b>Trainable</b>"), std::string::npos);
  // Input layers show only their output shape; three edges: a -> joined, b -> joined, joined -> head.
  std::size_t edges = 0;
  for (std::size_t p = dot.find("->"); p != std::string::npos; p = dot.find("->", p + 2)) ++edges;
  EXPECT_EQ(edges, 3u);
  // plot_model's default hides the names: the header is just the class.
  const std::string plain = utils::model_to_dot(model, {});
  EXPECT_NE(plain.find("<b>Dense</b>"), std::string::npos);
  EXPECT_EQ(plain.find("<b>head</b>"), std::string::npos);
}

TEST(PlotModel, WritesPngAndSvgWithGraphviz) {
  Sequential model;
  model.add(Input({8}));
  model.add(layers::Dense(4, {.activation = "relu"}));
  model.add(layers::Dense(2));
  const std::string dir = ::testing::TempDir();
  utils::plot_model(model, dir + "/keras_model.png", {.show_shapes = true});
  const std::string png = read_file(dir + "/keras_model.png");
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  utils::plot_model(model, dir + "/keras_model.svg");
  EXPECT_NE(read_file(dir + "/keras_model.svg").find("<svg"), std::string::npos);
  utils::plot_model(model, dir + "/keras_model.dot");
  EXPECT_EQ(read_file(dir + "/keras_model.dot").rfind("digraph G {", 0), 0u);
  EXPECT_THROW(utils::plot_model(model, dir + "/keras_model.xyz"), ValueError);
  EXPECT_FALSE(std::filesystem::exists(dir + "/keras_model.xyz"));
}

}  // namespace
}  // namespace keras
