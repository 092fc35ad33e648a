// Model::save_weights / load_weights: Keras 3's `.weights.h5`, Keras's legacy `.h5`
// weights (read only, as Keras 3), and keras-cpp's interim checkpoint format for other
// names. See docs/architecture.md, "Keras weight files".
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "keras/errors.hpp"
#include "keras/model.hpp"
#include "saving/h5/h5_file.hpp"
#include "saving/model_state.hpp"

namespace keras {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

enum class Format { weights_h5, legacy_h5, keras_zip, checkpoint };

Format format_of(const std::string& path) {
  if (ends_with(path, ".weights.h5")) return Format::weights_h5;
  if (ends_with(path, ".h5") || ends_with(path, ".hdf5")) return Format::legacy_h5;
  if (ends_with(path, ".keras")) return Format::keras_zip;
  return Format::checkpoint;
}

std::string names_of(const std::vector<Variable>& vars) {
  std::string out = "[";
  for (std::size_t i = 0; i < vars.size(); ++i) out += (i ? ", '" : "'") + vars[i].name() + "'";
  return out + "]";
}

// The variables a layer owns itself (not through tracked sub-layers), in Keras's
// save_own_variables order: those created trainable first, then the others.
std::vector<Variable> own_variables(const Layer& layer) {
  std::set<std::uint64_t> inherited;
  for (const auto& sub : layer.tracked_layers()) {
    for (const auto& w : sub->weights()) inherited.insert(w.id());
  }
  std::vector<Variable> own;
  for (const auto& w : layer.weights()) {
    if (!inherited.count(w.id())) own.push_back(w);
  }
  std::stable_partition(own.begin(), own.end(), [](const Variable& v) { return v.trainable(); });
  return own;
}

// The children a layer's state walk visits under `layers`: a model's layers() (Keras's
// Sequential/Functional `layers`), or the sub-layers another layer tracks.
std::vector<std::shared_ptr<Layer>> children_of(const Layer& layer) {
  std::vector<std::shared_ptr<Layer>> out;
  if (const auto* model = dynamic_cast<const Model*>(&layer)) {
    for (const auto& l : model->layers()) out.push_back(l);
  } else {
    for (const auto& l : layer.tracked_layers()) out.push_back(l);
  }
  return out;
}

// Keras's per-container naming: snake_case(class name), then _1, _2, ... on repeats.
std::vector<std::string> container_names(const std::vector<std::shared_ptr<Layer>>& items) {
  std::map<std::string, int> used;
  std::vector<std::string> names;
  for (const auto& item : items) {
    std::string name = to_snake_case(item->class_name());
    auto it = used.find(name);
    if (it == used.end()) {
      used[name] = 0;
    } else {
      name += "_" + std::to_string(++it->second);
    }
    names.push_back(name);
  }
  return names;
}

std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + "/" + b; }

// The optimizer's variables as Keras 3 saves them: iteration, learning_rate (a float32
// scalar unless the rate is a schedule), then the slots in build order.
std::vector<Tensor> optimizer_values(const optimizers::Optimizer& opt) {
  const auto vars = opt.variables();
  std::vector<Tensor> out;
  out.push_back(vars.at(0).value());
  if (!opt.has_schedule()) out.push_back(Tensor::scalar(opt.learning_rate(), DType::float32));
  for (std::size_t i = 1; i < vars.size(); ++i) out.push_back(vars[i].value());
  return out;
}

// --- writing ------------------------------------------------------------------------------

void save_layer_state(const Layer& layer, const saving::h5::Group& root, const std::string& path,
                      std::set<const Layer*>& visited) {
  if (visited.count(&layer)) return;
  visited.insert(&layer);
  // Keras >= 3.6 always creates the vars group of a named saveable, with its name.
  const auto vars = root.create_group(join(path, "vars"));
  vars.write_string_attr("name", layer.name());
  const auto own = own_variables(layer);
  for (std::size_t i = 0; i < own.size(); ++i) vars.write_dataset(std::to_string(i), own[i].value());
  const auto children = children_of(layer);
  const auto names = container_names(children);
  for (std::size_t i = 0; i < children.size(); ++i) {
    save_layer_state(*children[i], root, join(join(path, "layers"), names[i]), visited);
  }
}

void write_weights_h5(const Model& model, const std::string& filename) {
  auto file = saving::h5::File::create(filename);
  {
    std::set<const Layer*> visited;
    save_layer_state(model, file, "", visited);
    const auto opt = model.optimizer();
    if (opt && opt->built()) {
      const auto vars = file.create_group("optimizer/vars");
      vars.write_string_attr("name", opt->name());
      const auto values = optimizer_values(*opt);
      for (std::size_t i = 0; i < values.size(); ++i) vars.write_dataset(std::to_string(i), values[i]);
    }
  }
  file.close();
}

// Writes with `write` to a temporary file beside `path`, fsyncs it and renames it over
// `path`; the temporary file is removed on failure.
template <class Write>
void write_atomically(const std::string& path, Write&& write) {
  static std::atomic<unsigned> counter{0};
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  try {
    write(tmp);
    const int fd = ::open(tmp.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) {
      const std::string reason = std::strerror(errno);
      if (fd >= 0) ::close(fd);
      throw IOError("Cannot write '" + path + "': cannot flush " + tmp + ": " + reason);
    }
    ::close(fd);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
      throw IOError("Cannot write '" + path + "': cannot rename " + tmp + ": " + std::strerror(errno));
    }
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
}

// --- reading: a plan of assignments, applied only when the whole file checked out --------

struct Assignment {
  Variable variable;
  Tensor value;
};

void warn(const std::string& message) { std::cerr << "WARNING: " << message << "\n"; }

// The `vars` group of the saveable at `path`, or none (Keras reads a missing group as
// empty). tf.keras 2.13-2.15 wrote `_layer_checkpoint_dependencies` for `layers`.
std::optional<saving::h5::Group> vars_group(const saving::h5::Group& root, const std::string& path) {
  const std::string vars = join(path, "vars");
  if (root.has_group(vars)) return root.group(vars);
  if (root.has_group("_layer_checkpoint_dependencies")) {
    std::string alt = vars;
    for (std::size_t pos = 0; (pos = alt.find("layers", pos)) != std::string::npos; pos += 30) {
      alt.replace(pos, 6, "_layer_checkpoint_dependencies");
    }
    if (root.has_group(alt)) return root.group(alt);
  }
  return std::nullopt;
}

void check_shape(const Variable& v, const Tensor& value, const std::string& filename, const std::string& object,
                 const std::string& owner) {
  if (v.shape() != value.shape()) {
    throw ValueError("The shape of the target variable and the shape of the target value in `variable.assign(value)` "
                     "must match. variable.shape=" + shape_str(v.shape()) + ", Received: value.shape=" +
                     shape_str(value.shape()) + ". Target variable: '" + v.name() + "' of " + owner + "; value: '" +
                     object + "' in '" + filename + "'");
  }
}

void plan_layer_state(const Layer& layer, const saving::h5::Group& root, const std::string& path,
                      std::set<const Layer*>& visited, bool skip_mismatch, std::vector<Assignment>& plan) {
  if (visited.count(&layer)) return;
  visited.insert(&layer);
  const auto own = own_variables(layer);
  const auto vars = vars_group(root, path);
  const std::size_t count = vars ? vars->children().size() : 0;
  if (count != own.size()) {
    std::string message;
    if (own.empty() && !layer.built()) {
      message = "Layer '" + layer.name() + "' was never built and thus it doesn't have any variables. However the "
                "weights file lists " + std::to_string(count) + " variables for this layer ('" +
                root.child_path(join(path, "vars")) + "' in '" + root.filename() + "'). Build the model first.";
    } else {
      message = "Layer '" + layer.name() + "' expected " + std::to_string(own.size()) + " variables, but received " +
                std::to_string(count) + " variables during loading. Expected: " + names_of(own) + " (group '" +
                root.child_path(join(path, "vars")) + "' in '" + root.filename() + "')";
    }
    if (!skip_mismatch) throw ValueError(message);
    warn(message + "; skipping it");
  } else {
    for (std::size_t i = 0; i < own.size(); ++i) {
      const std::string key = std::to_string(i);
      if (!vars->has_dataset(key)) {
        throw IOError("HDF5 file '" + root.filename() + "', object '" + vars->child_path(key) +
                      "': no such dataset (layer '" + layer.name() + "' expects " + std::to_string(own.size()) +
                      " variables named 0.." + std::to_string(own.size() - 1) + ")");
      }
      Tensor value = vars->read_dataset(key);
      if (own[i].shape() != value.shape() && skip_mismatch) {
        warn("Skipping '" + own[i].name() + "' of layer '" + layer.name() + "': shape " + shape_str(own[i].shape()) +
             ", the file's " + shape_str(value.shape()));
        continue;
      }
      check_shape(own[i], value, root.filename(), vars->child_path(key), "layer '" + layer.name() + "'");
      plan.push_back({own[i], value.astype(own[i].dtype())});
    }
  }
  const auto children = children_of(layer);
  const auto names = container_names(children);
  for (std::size_t i = 0; i < children.size(); ++i) {
    plan_layer_state(*children[i], root, join(join(path, "layers"), names[i]), visited, skip_mismatch, plan);
  }
}

void apply(std::vector<Assignment>& plan) {
  for (auto& a : plan) a.variable.assign(a.value);
}

void read_weights_h5(Model& model, const std::string& filename, bool skip_mismatch) {
  auto file = saving::h5::File::open(filename);
  std::vector<Assignment> plan;
  std::set<const Layer*> visited;
  plan_layer_state(model, file, "", visited, skip_mismatch, plan);

  // The optimizer: as Keras, a count mismatch warns and leaves it as it is.
  const auto opt = model.optimizer();
  std::optional<double> learning_rate;
  const auto opt_vars = vars_group(file, "optimizer");
  if (opt && opt_vars && !opt_vars->children().empty()) {
    if (!opt->built()) opt->build(model.trainable_weights());
    const auto vars = opt->variables();
    const std::size_t expected = vars.size() + (opt->has_schedule() ? 0 : 1);
    const std::size_t count = opt_vars->children().size();
    if (count != expected) {
      warn("Skipping variable loading for optimizer '" + opt->name() + "', because it has " + std::to_string(expected) +
           " variables whereas the saved optimizer has " + std::to_string(count) + " variables ('" + filename + "')");
    } else {
      std::size_t k = 0;
      for (std::size_t i = 0; i < count; ++i) {
        const std::string key = std::to_string(i);
        if (!opt_vars->has_dataset(key)) {
          throw IOError("HDF5 file '" + filename + "', object '" + opt_vars->child_path(key) + "': no such dataset");
        }
        Tensor value = opt_vars->read_dataset(key);
        if (i == 1 && !opt->has_schedule()) {
          if (value.size() != 1) {
            throw ValueError("The optimizer's learning_rate in '" + filename + "' ('" + opt_vars->child_path(key) +
                             "') has shape " + shape_str(value.shape()) + ", expected a scalar");
          }
          learning_rate = value.item<double>();
          continue;
        }
        const Variable& v = vars[k++];
        check_shape(v, value, filename, opt_vars->child_path(key), "optimizer '" + opt->name() + "'");
        plan.push_back({v, value.astype(v.dtype())});
      }
    }
  }
  apply(plan);
  if (learning_rate) opt->set_learning_rate(*learning_rate);
}

// --- legacy .h5 (Keras 2 / Keras 3's legacy writer) ----------------------------------------

// Keras's _legacy_weights: trainable weights, then non-trainable ones.
std::vector<Variable> legacy_weights(const Layer& layer) {
  auto out = layer.trainable_weights();
  const auto rest = layer.non_trainable_weights();
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

struct SavedLayer {
  std::string name;
  std::vector<std::string> weight_names;
  std::optional<saving::h5::Group> group;
};

std::vector<Tensor> read_saved_weights(const SavedLayer& saved) {
  std::vector<Tensor> out;
  for (const auto& w : saved.weight_names) {
    if (!saved.group->has_dataset(w)) {
      throw IOError("HDF5 file '" + saved.group->filename() + "', object '" + saved.group->child_path(w) +
                    "': no such dataset (listed in weight_names of layer '" + saved.name + "')");
    }
    out.push_back(saved.group->read_dataset(w));
  }
  return out;
}

void plan_legacy_layer(const std::vector<Variable>& symbolic, const std::vector<Tensor>& values, const SavedLayer& saved,
                       const std::string& what, bool skip_mismatch, std::vector<Assignment>& plan) {
  for (std::size_t i = 0; i < symbolic.size(); ++i) {
    if (symbolic[i].shape() != values[i].shape()) {
      const std::string message = "Shape mismatch in " + what + " for weight " + symbolic[i].name() +
                                  ". Weight expects shape " + shape_str(symbolic[i].shape()) +
                                  ". Received saved weight with shape " + shape_str(values[i].shape()) + " ('" +
                                  saved.group->child_path(saved.weight_names[i]) + "' in '" +
                                  saved.group->filename() + "')";
      if (!skip_mismatch) throw ValueError(message);
      warn("Skipping loading weights for " + what + " due to mismatched shape: " + message);
      continue;
    }
    plan.push_back({symbolic[i], values[i].astype(symbolic[i].dtype())});
  }
}

void read_legacy_h5(Model& model, const std::string& filename, const LoadWeightsOptions& options) {
  auto file = saving::h5::File::open(filename);
  saving::h5::Group root = file;
  const bool has_names = root.has_attr("layer_names") || root.has_attr("layer_names0");
  if (!has_names && root.has_group("model_weights")) root = root.group("model_weights");
  if (!root.has_attr("layer_names") && !root.has_attr("layer_names0")) {
    throw IOError("HDF5 file '" + filename + "', object '" + root.path() +
                  "': not a Keras weights file (no layer_names attribute)");
  }
  std::vector<SavedLayer> saved;
  for (const auto& name : root.read_string_array_attr("layer_names")) {
    if (!root.has_group(name)) {
      throw IOError("HDF5 file '" + filename + "', object '" + root.child_path(name) +
                    "': no such group (listed in layer_names)");
    }
    auto g = root.group(name);
    saved.push_back({name, g.read_string_array_attr("weight_names", true), g});
  }
  std::vector<Assignment> plan;
  const auto layers = model.layers();
  if (options.by_name) {
    for (std::size_t k = 0; k < saved.size(); ++k) {
      const auto& s = saved[k];
      std::vector<Tensor> values;
      bool read = false;
      for (const auto& layer : layers) {
        if (layer->name() != s.name) continue;
        if (!read) {
          values = read_saved_weights(s);
          read = true;
        }
        const auto symbolic = legacy_weights(*layer);
        if (symbolic.size() != values.size()) {
          const std::string message = "Weight count mismatch for layer #" + std::to_string(k) + " (named " +
                                      layer->name() + "). Layer expects " + std::to_string(symbolic.size()) +
                                      " weight(s). Received " + std::to_string(values.size()) +
                                      " saved weight(s) ('" + s.group->path() + "' in '" + filename + "')";
          if (!options.skip_mismatch) throw ValueError(message);
          warn("Skipping loading of weights for layer #" + std::to_string(k) + " (named " + layer->name() +
               ") due to mismatch in number of weights: " + message);
          continue;
        }
        plan_legacy_layer(symbolic, values, s, "layer #" + std::to_string(k) + " (named " + layer->name() + ")",
                          options.skip_mismatch, plan);
      }
    }
  } else {
    std::vector<std::shared_ptr<Layer>> filtered;
    for (const auto& layer : layers) {
      if (!legacy_weights(*layer).empty()) filtered.push_back(layer);
    }
    std::vector<const SavedLayer*> filtered_saved;
    for (const auto& s : saved) {
      if (!s.weight_names.empty()) filtered_saved.push_back(&s);
    }
    if (filtered.size() != filtered_saved.size()) {
      throw ValueError("Layer count mismatch when loading weights from file. Model expected " +
                       std::to_string(filtered.size()) + " layers, found " + std::to_string(filtered_saved.size()) +
                       " saved layers ('" + filename + "')");
    }
    for (std::size_t k = 0; k < filtered.size(); ++k) {
      const auto& s = *filtered_saved[k];
      const auto symbolic = legacy_weights(*filtered[k]);
      const auto values = read_saved_weights(s);
      if (symbolic.size() != values.size()) {
        throw ValueError("Weight count mismatch for layer #" + std::to_string(k) + " (named " + filtered[k]->name() +
                         " in the current model, " + s.name + " in the save file). Layer expects " +
                         std::to_string(symbolic.size()) + " weight(s). Received " + std::to_string(values.size()) +
                         " saved weight(s) ('" + filename + "')");
      }
      plan_legacy_layer(symbolic, values, s, "layer #" + std::to_string(k) + " (named " + filtered[k]->name() + ")",
                        options.skip_mismatch, plan);
    }
  }
  if (root.has_group("top_level_model_weights")) {
    auto g = root.group("top_level_model_weights");
    SavedLayer top{"top_level_model_weights", g.read_string_array_attr("weight_names", true), g};
    const auto values = read_saved_weights(top);
    const auto symbolic = own_variables(model);
    if (values.size() != symbolic.size()) {
      throw ValueError("Weight count mismatch for top-level weights when loading weights from file. Model expects " +
                       std::to_string(symbolic.size()) + " top-level weight(s). Received " +
                       std::to_string(values.size()) + " saved top-level weight(s) ('" + filename + "')");
    }
    plan_legacy_layer(symbolic, values, top, "top-level model", options.skip_mismatch, plan);
  }
  apply(plan);
}

[[noreturn]] void reject_save_name(const std::string& path) {
  throw ValueError("The filename must end in `.weights.h5`. Received: filepath=" + path);
}

}  // namespace

}  // namespace keras

namespace keras::saving {

CheckpointData model_state(const Model& model) {
  CheckpointData data;
  const auto weights = model.weights();
  for (std::size_t i = 0; i < weights.size(); ++i) data.arrays.emplace_back("model/" + std::to_string(i), weights[i].value());
  const auto opt = model.optimizer();
  if (opt && opt->built()) {
    const auto vars = opt->variables();
    for (std::size_t i = 0; i < vars.size(); ++i) data.arrays.emplace_back("optimizer/" + std::to_string(i), vars[i].value());
  }
  data.metadata["format"] = "keras-cpp checkpoint";
  data.metadata["model"] = model.name();
  return data;
}

void restore_model_state(Model& model, const CheckpointData& data, const std::string& filepath) {
  Tensors model_values;
  Tensors optimizer_values;
  for (const auto& [name, t] : data.arrays) {
    if (name.starts_with("model/")) model_values.push_back(t);
    if (name.starts_with("optimizer/")) optimizer_values.push_back(t);
  }
  const auto weights = model.weights();
  if (model_values.size() != weights.size()) {
    throw ValueError("Model '" + model.name() + "' expected " + std::to_string(weights.size()) + " variables, but received " +
                     std::to_string(model_values.size()) + " variables during loading from '" + filepath + "'");
  }
  model.set_weights(model_values);
  const auto opt = model.optimizer();
  if (optimizer_values.empty() || !opt) return;
  if (!opt->built()) opt->build(model.trainable_weights());
  auto vars = opt->variables();
  if (vars.size() != optimizer_values.size()) {
    std::cerr << "Skipping the optimizer state in '" << filepath << "': it has " << optimizer_values.size()
              << " variables, the optimizer " << vars.size() << "\n";
    return;
  }
  for (std::size_t i = 0; i < vars.size(); ++i) {
    if (vars[i].shape() != optimizer_values[i].shape()) {
      throw ValueError("Optimizer variable " + vars[i].name() + " has shape " + shape_str(vars[i].shape()) +
                       ", the file's has " + shape_str(optimizer_values[i].shape()));
    }
    vars[i].assign(optimizer_values[i].astype(vars[i].dtype()));
  }
}

}  // namespace keras::saving

namespace keras {

void Model::save_weights(const std::string& filepath) const {
  switch (format_of(filepath)) {
    case Format::weights_h5:
      write_atomically(filepath, [&](const std::string& tmp) { write_weights_h5(*this, tmp); });
      return;
    case Format::legacy_h5:
    case Format::keras_zip:
      reject_save_name(filepath);
    case Format::checkpoint:
      saving::write_checkpoint(filepath, saving::model_state(*this));
      return;
  }
}

void Model::load_weights(const std::string& filepath) { load_weights(filepath, LoadWeightsOptions{}); }

void Model::load_weights(const std::string& filepath, const LoadWeightsOptions& options) {
  const Format format = format_of(filepath);
  if (options.by_name && format != Format::legacy_h5) {
    throw ValueError("Invalid keyword arguments: {'by_name': True}. `by_name` is only supported for legacy .h5/.hdf5 "
                     "files; received filepath=" + filepath);
  }
  switch (format) {
    case Format::weights_h5:
      read_weights_h5(*this, filepath, options.skip_mismatch);
      return;
    case Format::legacy_h5:
      read_legacy_h5(*this, filepath, options);
      return;
    case Format::keras_zip:
      throw NotImplementedError("Reading Keras's .keras files is not implemented yet; '" + filepath +
                                "' needs it. Its model.weights.h5 member loads with load_weights.");
    case Format::checkpoint:
      saving::restore_model_state(*this, saving::read_checkpoint(filepath), filepath);
      return;
  }
}

}  // namespace keras
