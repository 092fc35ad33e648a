// Keras 3's model_to_dot (keras/src/utils/model_visualization.py), with Graphviz's cgraph
// and gvc libraries in place of pydot and the `dot` program.
#include "keras/utils/model_visualization.hpp"

#include <gvc.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <unistd.h>

#include "graph/functional.hpp"
#include "graph/node.hpp"
#include "keras/errors.hpp"
#include "keras/model.hpp"

namespace keras::utils {

namespace {

// Python's str() of a shape tuple: "(None, 784)", and "(None,)" for one dimension.
std::string tuple_text(const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += shape[i] < 0 ? "None" : std::to_string(shape[i]);
  }
  return s + (shape.size() == 1 ? ",)" : ")");
}

std::string shapes_text(const Tensors& tensors) {
  if (tensors.size() == 1) return tuple_text(tensors[0].shape());
  std::string s = "[";
  for (std::size_t i = 0; i < tensors.size(); ++i) s += (i ? ", " : "") + tuple_text(tensors[i].shape());
  return s + "]";
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The activation a layer's config names, if it has one.
std::string activation_name(const Layer& layer) {
  try {
    const json config = layer.get_config();
    if (auto it = config.find("activation"); it != config.end()) {
      if (it->is_string()) return it->get<std::string>();
      if (it->is_object() && it->contains("config") && (*it)["config"].is_string()) return (*it)["config"];
    }
  } catch (const Error&) {
  }
  return "";
}

Tensors node_outputs(const std::shared_ptr<detail::Node>& node) {
  Tensors out;
  for (std::size_t i = 0; i < node->output_shapes.size(); ++i) out.push_back(detail::node_output(node, i));
  return out;
}

std::string layer_label(const Layer& layer, const PlotModelOptions& o) {
  const std::string cls = layer.class_name();
  int colspan = (o.show_dtype ? 1 : 0) + (o.show_trainable ? 1 : 0) + (o.show_shapes ? 2 : 0);
  colspan = std::max(1, colspan);
  const std::string span = std::to_string(colspan);
  std::string t = "<table border=\"0\" cellborder=\"1\" bgcolor=\"black\" cellpadding=\"10\">";
  t += "<tr><td colspan=\"" + span + "\" bgcolor=\"black\"><font point-size=\"16\" color=\"white\">";
  t += o.show_layer_names ? "<b>" + html_escape(layer.name()) + "</b> (" + html_escape(cls) + ")" : "<b>" + html_escape(cls) + "</b>";
  t += "</font></td></tr>";
  if (o.show_layer_activations) {
    if (const std::string act = activation_name(layer); !act.empty()) {
      t += "<tr><td bgcolor=\"white\" colspan=\"" + span + "\"><font point-size=\"14\">Activation: <b>" +
           html_escape(act) + "</b></font></td></tr>";
    }
  }
  std::string cols;
  const auto nodes = layer.inbound_nodes();
  const auto cell = [](const std::string& text) {
    return "<td bgcolor=\"white\"><font point-size=\"14\">" + text + "</font></td>";
  };
  if (o.show_shapes) {
    const std::string in = nodes.empty() ? "?" : shapes_text(nodes.front()->inputs);
    const std::string out = nodes.empty() ? "?" : shapes_text(node_outputs(nodes.front()));
    if (cls != "InputLayer") cols += cell("Input shape: <b>" + html_escape(in) + "</b>");
    cols += cell("Output shape: <b>" + html_escape(out) + "</b>");
  }
  if (o.show_dtype) {
    const std::string dtype = nodes.empty() ? std::string("?") : std::string(dtype_name(nodes.front()->output_dtypes.front()));
    cols += cell("Output dtype: <b>" + dtype + "</b>");
  }
  if (o.show_trainable && !layer.weights().empty()) {
    cols += layer.trainable()
                ? "<td bgcolor=\"forestgreen\"><font point-size=\"14\" color=\"white\"><b>Trainable</b></font></td>"
                : "<td bgcolor=\"firebrick\"><font point-size=\"14\" color=\"white\"><b>Non-trainable</b></font></td>";
  }
  if (!cols.empty()) t += "<tr>" + cols + "</tr>";
  return "<" + t + "</table>>";
}

// Node ids: a stable counter per layer object, like pydot's str(id(layer)).
class DotWriter {
 public:
  explicit DotWriter(const PlotModelOptions& o) : o_(o) {}

  std::string id(const Layer* layer) {
    auto [it, added] = ids_.try_emplace(layer, "layer" + std::to_string(ids_.size()));
    return it->second;
  }
  void node(const Layer& layer) {
    body_ += "\"" + id(&layer) + "\" [label=" + layer_label(layer, o_) + ", fontname=Helvetica, border=0, margin=0];\n";
  }
  void edge(const Layer* from, const Layer* to) {
    if (!edges_.insert({from, to}).second) return;
    body_ += "\"" + id(from) + "\" -> \"" + id(to) + "\" [penwidth=2];\n";
  }
  void open_cluster(const Model& model) {
    body_ += "subgraph \"cluster_" + model.name() + "\" {\nstyle=dashed;\nlabel=\"" + model.name() + "\";\nlabeljust=l;\n";
  }
  void close_cluster() { body_ += "}\n"; }
  std::string finish() const {
    return "digraph G {\nrankdir=" + o_.rankdir + ";\nconcentrate=True;\ndpi=" + std::to_string(o_.dpi) +
           ";\nsplines=" + o_.splines + ";\nnode [shape=record];\n" + body_ + "}\n";
  }

 private:
  const PlotModelOptions& o_;
  std::map<const Layer*, std::string> ids_;
  std::set<std::pair<const Layer*, const Layer*>> edges_;
  std::string body_;
};

bool is_model(const Layer* layer) {
  const auto* m = dynamic_cast<const Model*>(layer);
  return m && (m->is_functional() || m->class_name() == "Sequential");
}

// With expand_nested, an edge to or from a nested model attaches to the layer inside it.
const Layer* resolve_source(const Layer* source, std::size_t output_index) {
  while (is_model(source)) {
    const auto& outputs = dynamic_cast<const Model*>(source)->outputs();
    const auto& h = outputs.at(output_index).impl()->keras_history;
    source = h->node->layer.get();
    output_index = h->index;
  }
  return source;
}

const Layer* resolve_destination(const Layer* destination, std::size_t input_index) {
  while (is_model(destination)) {
    const auto* m = dynamic_cast<const Model*>(destination);
    if (m->class_name() == "Sequential") {
      destination = m->layers().front().get();
    } else {
      destination = m->inputs().at(input_index).impl()->keras_history->node->layer.get();
    }
  }
  return destination;
}

void add_model(DotWriter& dot, const Model& model, const PlotModelOptions& o);

void add_edges(DotWriter& dot, const Model& model, const std::vector<LayerPtr>& layers, const PlotModelOptions& o) {
  std::set<const detail::Node*> own_nodes;
  if (model.is_functional()) {
    for (const auto& layer : layers) {
      for (const auto& node : layer->inbound_nodes()) own_nodes.insert(node.get());
    }
  }
  for (const auto& layer : layers) {
    for (const auto& node : layer->inbound_nodes()) {
      for (std::size_t input_index = 0; input_index < node->inputs.size(); ++input_index) {
        const auto& t = node->inputs[input_index];
        if (!t.defined() || !t.impl()->keras_history || !t.impl()->keras_history->node) continue;
        const auto& h = *t.impl()->keras_history;
        const Layer* source = h.node->layer.get();
        if (std::find_if(layers.begin(), layers.end(), [&](const LayerPtr& l) { return l.get() == source; }) ==
            layers.end()) {
          continue;  // a node of another graph that shares this layer
        }
        if (!o.expand_nested) {
          dot.edge(source, layer.get());
        } else {
          dot.edge(resolve_source(source, h.index), resolve_destination(layer.get(), input_index));
        }
      }
    }
  }
}

void add_model(DotWriter& dot, const Model& model, const PlotModelOptions& o) {
  const std::vector<LayerPtr> layers = model.layers();
  for (const auto& layer : layers) {
    if (o.expand_nested && is_model(layer.get())) {
      const auto& nested = dynamic_cast<const Model&>(*layer);
      dot.open_cluster(nested);
      add_model(dot, nested, o);
      dot.close_cluster();
    } else {
      dot.node(*layer);
    }
  }
  if (model.class_name() == "Sequential" && !o.expand_nested) {
    for (std::size_t i = 0; i + 1 < layers.size(); ++i) dot.edge(layers[i].get(), layers[i + 1].get());
    return;
  }
  add_edges(dot, model, layers, o);
}

std::string format_of(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  const std::string format = ext.empty() ? "png" : ext.substr(1);
  if (format != "png" && format != "svg" && format != "pdf" && format != "dot" && format != "jpg" && format != "jpeg") {
    throw ValueError("plot_model cannot write '" + path + "': use a .png, .svg, .pdf, .jpg or .dot file name");
  }
  return format;
}

// One Graphviz context for the process: Graphviz 2.42's pango plugin keeps a pointer to the
// last font name it used, which the context owns, so a context freed and made anew for the
// next drawing leaves that pointer dangling (a use-after-free AddressSanitizer reports).
GVC_t* graphviz_context() {
  static GVC_t* const gvc = gvContext();
  return gvc;
}

void render(const std::string& dot, const std::string& format, const std::string& path) {
  static std::mutex graphviz_mutex;  // Graphviz is not thread-safe
  const std::lock_guard lock(graphviz_mutex);
  GVC_t* gvc = graphviz_context();
  Agraph_t* g = agmemread(dot.c_str());
  if (!g) throw IOError("Graphviz could not parse the model's DOT text");
  const bool laid_out = gvLayout(gvc, g, "dot") == 0;
  const bool rendered = laid_out && gvRenderFilename(gvc, g, format.c_str(), path.c_str()) == 0;
  if (laid_out) gvFreeLayout(gvc, g);
  agclose(g);
  if (!rendered) throw IOError("Graphviz could not render '" + path + "' as " + format);
}

}  // namespace

std::string model_to_dot(const Model& model, const PlotModelOptions& options) {
  if (!model.built() && !model.is_functional()) {
    throw ValueError("This model has not yet been built. Build the model first by calling `build()` or by calling "
                     "the model on a batch of data.");
  }
  DotWriter dot(options);
  if (!is_model(&model)) {
    dot.node(model);  // a subclassed model is drawn as one box
  } else {
    add_model(dot, model, options);
  }
  return dot.finish();
}

void plot_model(const Model& model, const std::string& to_file, const PlotModelOptions& options) {
  const std::string format = format_of(to_file);
  const std::string dot = model_to_dot(model, options);
  const std::string tmp = to_file + ".tmp." + std::to_string(::getpid()) + "." + format;
  try {
    if (format == "dot") {
      std::ofstream out(tmp, std::ios::binary);
      out << dot;
      if (!out.flush()) throw IOError("Cannot write '" + tmp + "'");
    } else {
      render(dot, format == "jpg" ? "jpeg" : format, tmp);
    }
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  if (std::rename(tmp.c_str(), to_file.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw IOError("Cannot write '" + to_file + "': rename failed");
  }
}

}  // namespace keras::utils
