// Keras 3's print_summary, rendered as rich renders its table without colour.
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "graph/functional.hpp"
#include "graph/node.hpp"
#include "keras/errors.hpp"
#include "keras/model.hpp"
#include "keras/optimizers/optimizer.hpp"

namespace keras {

namespace {

// Python's shutil.get_terminal_size().columns: $COLUMNS, else the terminal, else 80.
int terminal_columns() {
  if (const char* env = std::getenv("COLUMNS")) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

std::size_t width_of(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// "1,234,567" as Python's f"{n:,}".
std::string thousands(std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  const int len = static_cast<int>(digits.size());
  for (int i = 0; i < len; ++i) {
    out += digits[static_cast<std::size_t>(i)];
    const int left = len - 1 - i;
    if (left > 0 && left % 3 == 0 && digits[0] != '-') out += ',';
  }
  return out;
}

std::string readable_memory_size(double bytes) {
  static const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  for (const char* unit : units) {
    if (bytes / 1024 < 1) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f %s", bytes, unit);
      return buf;
    }
    bytes /= 1024;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f PB", bytes);
  return buf;
}

std::string format_shape(const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += shape[i] < 0 ? "None" : std::to_string(shape[i]);
  }
  return s + ")";
}

std::string format_shapes(const std::vector<Shape>& shapes) {
  if (shapes.size() == 1) return format_shape(shapes[0]);
  std::string s = "[";
  for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + format_shape(shapes[i]);
  return s + "]";
}

std::string output_shape_text(Layer& layer) {
  const auto nodes = layer.inbound_nodes();
  if (!nodes.empty()) return format_shapes(nodes.back()->output_shapes);
  if (!layer.built()) return "?";
  try {
    return format_shapes(layer.compute_output_shape(LayerAccess::build_shapes(layer)));
  } catch (const Error&) {
    return "?";
  }
}

std::int64_t count_params(const std::vector<Variable>& weights) {
  std::set<std::uint64_t> seen;
  std::int64_t n = 0;
  for (const auto& w : weights) {
    if (seen.insert(w.id()).second) n += shape_size(w.shape());
  }
  return n;
}

double memory_size(const std::vector<Variable>& weights) {
  std::set<std::uint64_t> seen;
  double bytes = 0;
  for (const auto& w : weights) {
    if (seen.insert(w.id()).second) bytes += static_cast<double>(shape_size(w.shape()) * dtype_size(w.dtype()));
  }
  return bytes;
}

enum class Justify { left, right, center };

// Rich's word wrap of a cell: greedy by words; a word longer than the width is cut with "…".
std::vector<std::string> wrap_cell(const std::string& text, std::size_t width) {
  // Leading spaces (the indent of expand_nested rows) stay on the first word.
  const std::size_t indent = text.find_first_not_of(' ');
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  if (!words.empty() && indent != std::string::npos) words.front().insert(0, indent, ' ');
  std::vector<std::string> lines;
  std::string line;
  for (const auto& w : words) {
    if (!line.empty() && width_of(line) + 1 + width_of(w) <= width) {
      line += " " + w;
      continue;
    }
    if (!line.empty()) lines.push_back(line);
    line = w;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  for (auto& l : lines) {
    if (width_of(l) > width) {
      std::string cut;
      std::size_t n = 0;
      for (std::size_t i = 0; i < l.size() && n + 1 < width; ++i) {
        cut += l[i];
        n += (static_cast<unsigned char>(l[i]) & 0xC0) != 0x80;
      }
      l = cut + "…";
    }
  }
  return lines;
}

std::string justify_text(const std::string& text, std::size_t width, Justify how) {
  const std::size_t pad = width > width_of(text) ? width - width_of(text) : 0;
  const std::size_t before = how == Justify::left ? 0 : how == Justify::right ? pad : pad / 2;
  std::string out(before, ' ');
  out.append(text);
  out.append(pad - before, ' ');
  return out;
}

// Python's round(): halves to even.
long long round_half_even(double x) { return std::llrint(x); }

// Rich's Table._calculate_column_widths for fixed-width columns: each column asks for its
// width plus padding; an excess over the table's inner width is taken off evenly
// (rich's ratio_reduce).
std::vector<std::size_t> table_widths(const std::vector<int>& column_widths, int line_length) {
  const auto columns = static_cast<long long>(column_widths.size());
  const long long max_width = line_length - (columns + 1);
  std::vector<long long> widths;
  long long total = 0;
  for (int w : column_widths) {
    widths.push_back(w + 2);
    total += w + 2;
  }
  if (total > max_width) {
    long long remaining = total - max_width;
    long long ratio_left = columns;
    for (auto& w : widths) {
      const long long take =
          std::min(w, round_half_even(static_cast<double>(remaining) / static_cast<double>(ratio_left)));
      w -= take;
      remaining -= take;
      ratio_left -= 1;
    }
  }
  return {widths.begin(), widths.end()};
}

struct Table {
  std::vector<std::string> header;
  std::vector<Justify> justify;
  std::vector<std::size_t> widths;  // including one space of padding each side
  std::vector<std::vector<std::string>> rows;

  std::string rule(const char* left, const char* fill, const char* mid, const char* right) const {
    std::string s = left;
    for (std::size_t i = 0; i < widths.size(); ++i) s += repeat(fill, widths[i]) + (i + 1 < widths.size() ? mid : right);
    return s + "\n";
  }

  std::string row_text(const std::vector<std::string>& cells, const char* bar) const {
    std::vector<std::vector<std::string>> wrapped;
    std::size_t height = 1;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      wrapped.push_back(wrap_cell(cells[i], widths[i] > 2 ? widths[i] - 2 : 1));
      height = std::max(height, wrapped.back().size());
    }
    std::string s;
    for (std::size_t line = 0; line < height; ++line) {
      s += bar;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        const std::string text = line < wrapped[i].size() ? wrapped[i][line] : "";
        s.append(" ").append(justify_text(text, widths[i] - 2, justify[i])).append(" ").append(bar);
      }
      s += "\n";
    }
    return s;
  }

  std::string render() const {
    std::string s = rule("┏", "━", "┳", "┓") + row_text(header, "┃") + rule("┡", "━", "╇", "┩");
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (r) s += rule("├", "─", "┼", "┤");
      s += row_text(rows[r], "│");
    }
    return s + rule("└", "─", "┴", "┘");
  }
};

bool contains(const std::vector<std::shared_ptr<detail::Node>>& nodes, const std::shared_ptr<detail::Node>& node) {
  return std::find(nodes.begin(), nodes.end(), node) != nodes.end();
}

// Keras treats a functional model as sequential-like when its graph is one chain: every
// node has at most one input tensor, no tensor feeds two nodes, and no layer is called twice.
bool is_chain(const graph::Functional& g) {
  std::set<std::uint64_t> consumed;
  std::set<const Layer*> layers;
  for (const auto& node : g.nodes()) {
    std::size_t symbolic_inputs = 0;
    for (const auto& t : node->inputs) {
      if (!t.defined() || !t.impl()->keras_history) continue;
      ++symbolic_inputs;
      if (!consumed.insert(t.id()).second) return false;
    }
    if (symbolic_inputs > 1 || !layers.insert(node->layer.get()).second) return false;
  }
  return g.inputs().size() <= 1;
}

std::string connections(const Layer& layer, const std::vector<std::shared_ptr<detail::Node>>& relevant) {
  std::string out;
  for (const auto& node : layer.inbound_nodes()) {
    if (!contains(relevant, node)) continue;
    for (const auto& t : node->inputs) {
      if (!t.defined() || !t.impl()->keras_history || !t.impl()->keras_history->node) continue;
      const auto& h = *t.impl()->keras_history;
      const auto& inbound = *h.node->layer;
      const auto nodes = inbound.inbound_nodes();
      const auto node_index = std::find(nodes.begin(), nodes.end(), h.node) - nodes.begin();
      if (!out.empty()) out += ", ";
      out += inbound.name() + "[" + std::to_string(node_index) + "][" + std::to_string(h.index) + "]";
    }
  }
  return out.empty() ? "-" : out;
}

std::pair<std::size_t, std::size_t> layer_bounds(const std::vector<LayerPtr>& layers, const SummaryOptions& o) {
  if (!o.layer_range) return {0, layers.size()};
  const std::regex first(o.layer_range->first);
  const std::regex last(o.layer_range->second);
  std::vector<std::size_t> lower;
  std::vector<std::size_t> upper;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (std::regex_search(layers[i]->name(), first, std::regex_constants::match_continuous)) lower.push_back(i);
    if (std::regex_search(layers[i]->name(), last, std::regex_constants::match_continuous)) upper.push_back(i);
  }
  if (lower.empty() || upper.empty()) {
    throw ValueError("Passed layer_names do not match the layer names in the model. Received: ['" +
                     o.layer_range->first + "', '" + o.layer_range->second + "']");
  }
  const std::size_t lo = *std::min_element(lower.begin(), lower.end());
  const std::size_t hi = *std::max_element(upper.begin(), upper.end());
  if (lo > hi) return {hi, *std::max_element(lower.begin(), lower.end()) + 1};
  return {lo, hi + 1};
}

}  // namespace

namespace utils {

std::string summary_text(const Model& model, const SummaryOptions& o) {
  const std::vector<LayerPtr> layers = model.layers();
  const graph::Functional* g = model.graph();
  const bool sequential_like = model.class_name() == "Sequential" || g == nullptr || is_chain(*g);
  std::vector<double> positions = o.positions;
  int default_length = sequential_like ? 88 : 108;
  std::vector<std::string> header = {"Layer (type)", "Output Shape", "Param #"};
  std::vector<Justify> align = {Justify::left, Justify::left, Justify::right};
  if (positions.empty()) positions = sequential_like ? std::vector<double>{0.45, 0.80, 1.0} : std::vector<double>{0.3, 0.56, 0.74, 1.0};
  if (!sequential_like) {
    header.push_back("Connected to");
    align.push_back(Justify::left);
  }
  if (o.show_trainable) {
    default_length += 12;
    for (auto& p : positions) p *= 0.90;
    positions.push_back(1.0);
    header.push_back("Trainable");
    align.push_back(Justify::center);
  }
  default_length = std::min(default_length, terminal_columns() - 4);
  const int line_length = o.line_length.value_or(default_length);
  std::vector<int> column_widths;
  int current = 0;
  for (double p : positions) {
    const int end = p <= 1.0 ? static_cast<int>(p * line_length) : static_cast<int>(p);
    const int width = end - current;
    if (width < 4) throw ValueError("Insufficient console width to print summary.");
    column_widths.push_back(width);
    current += width;
  }
  Table table{header, align, table_widths(column_widths, line_length), {}};
  const std::vector<std::shared_ptr<detail::Node>> relevant = g ? g->nodes() : std::vector<std::shared_ptr<detail::Node>>{};

  std::function<void(const LayerPtr&, int)> add_layer = [&](const LayerPtr& layer, int level) {
    const std::string prefix = level ? repeat("   ", static_cast<std::size_t>(level)) + "└ " : "";
    std::string params = layer->built() ? thousands(count_params(layer->weights())) : "0 (unbuilt)";
    std::vector<std::string> row = {prefix + layer->name() + " (" + layer->class_name() + ")", output_shape_text(*layer),
                                    params};
    if (!sequential_like) row.push_back(connections(*layer, relevant));
    if (o.show_trainable) row.push_back(layer->weights().empty() ? "-" : layer->trainable() ? "Y" : "N");
    table.rows.push_back(row);
    if (!o.expand_nested) return;
    if (const auto* nested = dynamic_cast<const Model*>(layer.get())) {
      for (const auto& sub : nested->layers()) add_layer(sub, level + 1);
    }
  };
  const auto [lo, hi] = layer_bounds(layers, o);
  for (std::size_t i = lo; i < hi; ++i) add_layer(layers[i], 0);

  const auto trainable = model.trainable_weights();
  const auto frozen = model.non_trainable_weights();
  std::int64_t total = count_params(trainable) + count_params(frozen);
  double total_bytes = memory_size(trainable) + memory_size(frozen);
  std::string text = "Model: \"" + model.name() + "\"\n" + table.render();
  text += " Total params: ";
  std::string tail = " Trainable params: " + thousands(count_params(trainable)) + " (" +
                     readable_memory_size(memory_size(trainable)) + ")\n" + " Non-trainable params: " +
                     thousands(count_params(frozen)) + " (" + readable_memory_size(memory_size(frozen)) + ")\n";
  const auto optimizer = model.optimizer();
  if (model.compiled() && optimizer && optimizer->built()) {
    // Keras's optimizer variables also hold the learning rate unless it is a schedule.
    const auto vars = optimizer->variables();
    const std::int64_t n = count_params(vars) + (optimizer->has_schedule() ? 0 : 1);
    const double bytes = memory_size(vars) + (optimizer->has_schedule() ? 0 : 4);
    total += n;
    total_bytes += bytes;
    tail += " Optimizer params: " + thousands(n) + " (" + readable_memory_size(bytes) + ")\n";
  }
  text += thousands(total) + " (" + readable_memory_size(total_bytes) + ")\n" + tail;
  return text;
}

}  // namespace utils

void Model::summary(const SummaryOptions& options) const {
  const std::string text = utils::summary_text(*this, options);
  if (options.print_fn) {
    options.print_fn(text);
  } else {
    std::cout << text << std::flush;
  }
}

}  // namespace keras
