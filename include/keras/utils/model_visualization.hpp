#pragma once
// keras.utils.plot_model and model_to_dot: Keras 3's drawing of a model (one box per layer,
// an HTML-table label on black, edges along the graph), laid out and rendered by the
// Graphviz library. The format follows the file's extension: .png, .svg, .pdf or .dot.
#include <string>

namespace keras {
class Model;
}

namespace keras::utils {

struct PlotModelOptions {
  bool show_shapes = false;
  bool show_dtype = false;
  bool show_layer_names = false;  // plot_model's default; model_to_dot defaults to true
  std::string rankdir = "TB";     // "TB" vertical, "LR" horizontal
  bool expand_nested = false;     // draw nested models as dashed clusters
  int dpi = 200;
  bool show_layer_activations = false;
  bool show_trainable = false;
  std::string splines = "ortho";
};

// The DOT text of the drawing. ValueError for a model that is not built.
std::string model_to_dot(const Model& model, const PlotModelOptions& options = {.show_layer_names = true});

// Writes the drawing to `to_file` atomically (temporary file, then rename). ValueError for
// an unknown extension; IOError when Graphviz cannot lay out or render it.
void plot_model(const Model& model, const std::string& to_file = "model.png", const PlotModelOptions& options = {});

}  // namespace keras::utils
