#pragma once
// model.summary(): Keras 3's table, as its `rich` console renders it without colour
// (heavy-head box, a line between rows, cells word-wrapped to their columns).
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace keras {

class Model;

struct SummaryOptions {
  // Total width; default 88 for sequential-like models, 108 otherwise, capped at the
  // terminal's width (COLUMNS, else the terminal, else 80) minus 4, as Keras.
  std::optional<int> line_length;
  // Column ends as fractions of the line (or absolute columns when > 1).
  std::vector<double> positions;
  // Receives the whole summary text; prints to stdout when unset.
  std::function<void(const std::string&)> print_fn;
  bool expand_nested = false;
  bool show_trainable = false;
  // First and last layer names (regexes matched at the start of the name), inclusive.
  std::optional<std::pair<std::string, std::string>> layer_range;
};

namespace utils {
// The summary text Model::summary prints.
std::string summary_text(const Model& model, const SummaryOptions& options = {});
}  // namespace utils

}  // namespace keras
