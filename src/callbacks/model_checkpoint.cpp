#include "keras/callbacks/model_checkpoint.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "callbacks/monitor.hpp"
#include "keras/errors.hpp"
#include "keras/model.hpp"
#include "utils/object_config.hpp"

namespace keras::callbacks {

namespace {

std::string printf_string(const std::string& format, double value) {
  char buf[512];
  std::snprintf(buf, sizeof buf, format.c_str(), value);
  return buf;
}

// One {name:spec} field, as Python formats an int or a float.
std::string format_field(const std::string& spec, std::optional<std::int64_t> int_value, double value) {
  if (spec.empty()) return int_value ? std::to_string(*int_value) : detail::python_float(value);
  std::size_t i = 0;
  std::string flags;
  if (spec[i] == '0') flags = "0", ++i;
  std::string width;
  while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i]))) width += spec[i++];
  std::string precision;
  if (i < spec.size() && spec[i] == '.') {
    ++i;
    while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i]))) precision += spec[i++];
  }
  const char type = i < spec.size() ? spec[i++] : (int_value ? 'd' : 'g');
  if (i != spec.size() || std::string("dfeEgGs").find(type) == std::string::npos) {
    throw ValueError("Unsupported format spec '" + spec + "' in a checkpoint filepath");
  }
  if (type == 'd') {
    if (!int_value && value != std::floor(value)) {
      throw ValueError("Unknown format code 'd' for object of type 'float'");
    }
    const auto v = int_value ? *int_value : static_cast<std::int64_t>(value);
    char buf[128];
    std::snprintf(buf, sizeof buf, ("%" + flags + width + "lld").c_str(), static_cast<long long>(v));
    return buf;
  }
  if (type == 's') return int_value ? std::to_string(*int_value) : detail::python_float(value);
  const double v = int_value ? static_cast<double>(*int_value) : value;
  return printf_string("%" + flags + width + (precision.empty() ? "" : "." + precision) + type, v);
}

}  // namespace

std::string format_filepath(const std::string& pattern, const Logs& values, const std::map<std::string, std::int64_t>& ints) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    const std::size_t close = pattern.find('}', i);
    if (close == std::string::npos) throw ValueError("Unmatched '{' in the filepath \"" + pattern + "\"");
    const std::string field = pattern.substr(i + 1, close - i - 1);
    const std::size_t colon = field.find(':');
    const std::string name = field.substr(0, colon);
    const std::string spec = colon == std::string::npos ? "" : field.substr(colon + 1);
    if (auto it = ints.find(name); it != ints.end()) {
      out += format_field(spec, it->second, 0.0);
    } else if (auto jt = values.find(name); jt != values.end()) {
      out += format_field(spec, std::nullopt, jt->second);
    } else {
      throw ValueError("Failed to format this callback filepath: \"" + pattern + "\". Reason: '" + name + "'");
    }
    i = close;
  }
  return out;
}

ModelCheckpoint::ModelCheckpoint(std::string filepath, ModelCheckpointOptions options)
    : filepath_(std::move(filepath)), options_(std::move(options)) {
  if (const auto* s = std::get_if<std::string>(&options_.save_freq); s && *s != "epoch") {
    throw ValueError("Unrecognized save_freq: " + *s + ". Expected save_freq are 'epoch' or integer values");
  }
  const auto ends_with = [&](const std::string& suffix) {
    return filepath_.size() >= suffix.size() && filepath_.compare(filepath_.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (options_.save_weights_only && !ends_with(".weights.h5")) {
    throw ValueError("When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in "
                     "`.weights.h5` (Keras weights format). Received: filepath=" + filepath_);
  }
  if (!options_.save_weights_only && !ends_with(".keras") && !ends_with(".h5")) {
    throw ValueError("The filepath provided must end in `.keras` (Keras model format). Received: filepath=" + filepath_);
  }
  best_ = options_.initial_value_threshold;
}

void ModelCheckpoint::on_epoch_begin(std::int64_t epoch, Logs&) { current_epoch_ = epoch; }

void ModelCheckpoint::on_epoch_end(std::int64_t epoch, Logs& logs) {
  if (!minimize_) minimize_ = monitor_minimizes(options_.mode, options_.monitor, model(), "ModelCheckpoint");
  if (std::holds_alternative<std::string>(options_.save_freq)) save(epoch, std::nullopt, logs);
}

void ModelCheckpoint::on_train_batch_end(std::int64_t batch, Logs& logs) {
  const auto* every = std::get_if<std::int64_t>(&options_.save_freq);
  if (!every) return;
  batches_since_save_ += batch <= last_batch_seen_ ? batch + 1 : batch - last_batch_seen_;
  last_batch_seen_ = batch;
  if (batches_since_save_ < *every) return;
  batches_since_save_ = 0;
  if (!minimize_) minimize_ = monitor_minimizes(options_.mode, options_.monitor, model(), "ModelCheckpoint");
  save(current_epoch_, batch, logs);
}

bool ModelCheckpoint::should_save(std::int64_t epoch, const Logs& logs, const std::string& path) {
  if (!options_.save_best_only) {
    if (options_.verbose > 0) std::cout << "\nEpoch " << epoch + 1 << ": saving model to " << path << "\n";
    return true;
  }
  auto it = logs.find(options_.monitor);
  if (it == logs.end()) {
    std::cerr << "Can save best model only with " << options_.monitor << " available.\n";
    return true;
  }
  const double current = it->second;
  const std::string best_text = best_ ? printf_string("%.5f", *best_) : "None";
  const bool improved = !best_ || (*minimize_ ? current < *best_ : current > *best_);
  if (options_.verbose > 0) {
    if (improved) {
      std::cout << "\nEpoch " << epoch + 1 << ": " << options_.monitor << " improved from " << best_text << " to "
                << printf_string("%.5f", current) << ", saving model to " << path << "\n";
    } else {
      std::cout << "\nEpoch " << epoch + 1 << ": " << options_.monitor << " did not improve from " << best_text << "\n";
    }
  }
  if (improved) best_ = current;
  return improved;
}

void ModelCheckpoint::save(std::int64_t epoch, std::optional<std::int64_t> batch, const Logs& logs) {
  std::map<std::string, std::int64_t> ints{{"epoch", epoch + 1}};
  if (batch && !logs.contains("batch")) ints["batch"] = *batch + 1;
  const std::string path = format_filepath(filepath_, logs, ints);
  if (!should_save(epoch, logs, path)) return;
  if (std::filesystem::is_directory(path)) {
    throw IOError("Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: " + path);
  }
  const auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir);
  if (options_.save_weights_only) {
    model()->save_weights(path);
  } else {
    model()->save(path);
  }
  if (options_.verbose > 0) std::cout << "\nEpoch " << epoch + 1 << ": finished saving model to " << path << "\n";
}

}  // namespace keras::callbacks
