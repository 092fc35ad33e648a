// Model::save_weights / load_weights: Keras 3's `.weights.h5`, Keras's legacy `.h5`
// weights (read; written inside full-model files) and the weights of a `.keras` archive.
// See docs/architecture.md, "Keras weight files".
#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "keras/errors.hpp"
#include "keras/model.hpp"
#include "layers/rnn/legacy_weights.hpp"
#include "saving/h5/h5_file.hpp"
#include "saving/atomic_file.hpp"
#include "saving/weights_io.hpp"

namespace keras {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

enum class Format { weights_h5, legacy_h5, keras_zip, other };

Format format_of(const std::string& path) {
  if (ends_with(path, ".weights.h5")) return Format::weights_h5;
  if (ends_with(path, ".h5") || ends_with(path, ".hdf5")) return Format::legacy_h5;
  if (ends_with(path, ".keras")) return Format::keras_zip;
  return Format::other;
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

std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + "/" + b; }

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

struct Child {
  std::shared_ptr<Layer> layer;
  std::string path;  // relative to the parent's path
};

// The children a layer's state walk visits, with the paths Keras gives them: a model's
// layers() (Keras's Sequential/Functional `layers` list) or a layer's unnamed sub-layers go
// in `layers/<snake name>`; a sub-layer tracked under an attribute name goes in that name
// (an RNN's `cell`), after the list, in sorted order as Keras walks attributes.
std::vector<Child> children_of(const Layer& layer) {
  std::vector<std::shared_ptr<Layer>> listed;
  std::vector<Child> named;
  if (const auto* model = dynamic_cast<const Model*>(&layer)) {
    for (const auto& l : model->layers()) listed.push_back(l);
  } else {
    const auto& attributes = layer.tracked_attributes();
    for (std::size_t i = 0; i < layer.tracked_layers().size(); ++i) {
      if (attributes[i].empty()) {
        listed.push_back(layer.tracked_layers()[i]);
      } else {
        named.push_back({layer.tracked_layers()[i], attributes[i]});
      }
    }
  }
  std::vector<Child> out;
  const auto names = container_names(listed);
  for (std::size_t i = 0; i < listed.size(); ++i) out.push_back({listed[i], join("layers", names[i])});
  std::sort(named.begin(), named.end(), [](const Child& a, const Child& b) { return a.path < b.path; });
  out.insert(out.end(), named.begin(), named.end());
  return out;
}


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
  for (const auto& child : children_of(layer)) save_layer_state(*child.layer, root, join(path, child.path), visited);
}

}  // namespace

void saving::write_weights_tree(const Model& model, const saving::h5::Group& root, bool include_optimizer) {
  std::set<const Layer*> visited;
  save_layer_state(model, root, "", visited);
  const auto opt = model.optimizer();
  if (include_optimizer && opt && opt->built()) {
    const auto vars = root.create_group("optimizer/vars");
    vars.write_string_attr("name", opt->name());
    const auto values = optimizer_values(*opt);
    for (std::size_t i = 0; i < values.size(); ++i) vars.write_dataset(std::to_string(i), values[i]);
  }
}

namespace {

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
  for (const auto& child : children_of(layer)) {
    plan_layer_state(*child.layer, root, join(path, child.path), visited, skip_mismatch, plan);
  }
}

}  // namespace

namespace {

// The optimizer's saved values as Keras 3 lists them (iteration, learning_rate unless it is
// a schedule, then the slots), from datasets `names` of `group`. As Keras, a count
// mismatch warns and leaves the optimizer as it is. Returns the learning rate to set once
// the whole plan is applied.
std::optional<double> plan_optimizer(Model& model, const saving::h5::Group& group,
                                     const std::vector<std::string>& names, std::vector<Assignment>& plan) {
  const auto opt = model.optimizer();
  if (!opt || names.empty()) return std::nullopt;
  const std::string& filename = group.filename();
  if (!opt->built()) opt->build(model.trainable_weights());
  const auto vars = opt->variables();
  const std::size_t expected = vars.size() + (opt->has_schedule() ? 0 : 1);
  if (names.size() != expected) {
    warn("Skipping variable loading for optimizer '" + opt->name() + "', because it has " + std::to_string(expected) +
         " variables whereas the saved optimizer has " + std::to_string(names.size()) + " variables ('" + filename + "')");
    return std::nullopt;
  }
  std::optional<double> learning_rate;
  std::size_t k = 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!group.has_dataset(names[i])) {
      throw IOError("HDF5 file '" + filename + "', object '" + group.child_path(names[i]) + "': no such dataset");
    }
    Tensor value = group.read_dataset(names[i]);
    if (i == 1 && !opt->has_schedule()) {
      if (value.size() != 1) {
        throw ValueError("The optimizer's learning_rate in '" + filename + "' ('" + group.child_path(names[i]) +
                         "') has shape " + shape_str(value.shape()) + ", expected a scalar");
      }
      learning_rate = value.item<double>();
      continue;
    }
    const Variable& v = vars[k++];
    check_shape(v, value, filename, group.child_path(names[i]), "optimizer '" + opt->name() + "'");
    plan.push_back({v, value.astype(v.dtype())});
  }
  return learning_rate;
}

void apply(std::vector<Assignment>& plan, Model& model, std::optional<double> learning_rate) {
  for (auto& a : plan) a.variable.assign(a.value);
  if (learning_rate) model.optimizer()->set_learning_rate(*learning_rate);
}

}  // namespace

void saving::read_weights_tree(Model& model, const saving::h5::Group& file, bool skip_mismatch) {
  std::vector<Assignment> plan;
  std::set<const Layer*> visited;
  plan_layer_state(model, file, "", visited, skip_mismatch, plan);
  std::optional<double> learning_rate;
  if (const auto opt_vars = vars_group(file, "optimizer")) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < opt_vars->children().size(); ++i) names.push_back(std::to_string(i));
    learning_rate = plan_optimizer(model, *opt_vars, names, plan);
  }
  apply(plan, model, learning_rate);
}

namespace {

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

// Keras 1 files keep some layers' weights in another layout (Keras 2's loader converted
// them; keras_version "1.x" or absent marks such files).
Tensors converted(Tensors values, const Layer& layer, bool keras1) {
  if (!keras1) return values;
  if (auto rnn = detail::convert_keras1_rnn_weights(layer.class_name(), values)) return *rnn;
  return values;
}

bool is_keras1_file(const saving::h5::Group& file, const saving::h5::Group& root) {
  for (const auto* g : {&root, &file}) {
    if (g->has_attr("keras_version")) return g->read_string_attr("keras_version").starts_with("1");
  }
  return true;
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

}  // namespace

void saving::read_legacy_weights(Model& model, const saving::h5::Group& file, const LoadWeightsOptions& options,
                         bool with_optimizer) {
  const std::string& filename = file.filename();
  saving::h5::Group root = file;
  const bool has_names = root.has_attr("layer_names") || root.has_attr("layer_names0");
  if (!has_names && root.has_group("model_weights")) root = root.group("model_weights");
  if (!root.has_attr("layer_names") && !root.has_attr("layer_names0")) {
    throw IOError("HDF5 file '" + filename + "', object '" + root.path() +
                  "': not a Keras weights file (no layer_names attribute)");
  }
  const bool keras1 = is_keras1_file(file, root);
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
          values = converted(read_saved_weights(s), *layer, keras1);
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
      const auto values = converted(read_saved_weights(s), *filtered[k], keras1);
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
  std::optional<double> learning_rate;
  if (with_optimizer && file.has_group("optimizer_weights")) {
    const auto g = file.group("optimizer_weights");
    learning_rate = plan_optimizer(model, g, g.read_string_array_attr("weight_names", true), plan);
  }
  apply(plan, model, learning_rate);
}

namespace {

// Keras 3's legacy weight names: each weight's path, "<layer>/<weight>", with the names of
// the layers it is nested in before it.
void collect_paths(const Layer& layer, const std::string& prefix, std::map<std::uint64_t, std::string>& out) {
  const std::string path = join(prefix, layer.name());
  for (const auto& v : own_variables(layer)) out.emplace(v.id(), join(path, v.name()));
  for (const auto& child : children_of(layer)) collect_paths(*child.layer, path, out);
}

// One dataset per value under `names` (a path: "dense/kernel" makes a subgroup), names
// made unique with _1, _2, ... as HDF5 needs, listed in the group's weight_names.
void write_named(const saving::h5::Group& group, const std::vector<std::string>& names, const Tensors& values) {
  std::vector<std::string> unique;
  std::set<std::string> used;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string name = names[i];
    for (int k = 1; used.count(name); ++k) name = names[i] + "_" + std::to_string(k);
    used.insert(name);
    unique.push_back(name);
    group.write_dataset(name, values[i]);
  }
  group.write_string_array_attr("weight_names", unique);
}

void write_layer_group(const saving::h5::Group& group, const Layer& layer, const std::vector<Variable>& weights) {
  std::map<std::uint64_t, std::string> paths;
  collect_paths(layer, "", paths);
  std::vector<std::string> names;
  Tensors values;
  for (const auto& w : weights) {
    names.push_back(paths.count(w.id()) ? paths.at(w.id()) : join(layer.name(), w.name()));
    values.push_back(w.value());
  }
  write_named(group, names, values);
}

}  // namespace

void saving::write_legacy_weights(const Model& model, const saving::h5::Group& root) {
  std::vector<std::string> layer_names;
  for (const auto& layer : model.layers()) layer_names.push_back(layer->name());
  root.write_string_array_attr("layer_names", layer_names);
  root.write_string_attr("backend", saving::kBackend, false);
  root.write_string_attr("keras_version", saving::kKerasVersion, false);
  for (const auto& layer : model.layers()) {
    write_layer_group(root.create_group(layer->name()), *layer, legacy_weights(*layer));
  }
  write_layer_group(root.create_group("top_level_model_weights"), model, own_variables(model));
}

void saving::write_legacy_optimizer(const Model& model, const saving::h5::Group& root) {
  const auto opt = model.optimizer();
  if (!opt || !opt->built()) return;
  const auto vars = opt->variables();
  std::vector<std::string> names{join(opt->name(), vars.at(0).name())};
  if (!opt->has_schedule()) names.push_back(join(opt->name(), "learning_rate"));
  for (std::size_t i = 1; i < vars.size(); ++i) names.push_back(join(opt->name(), vars[i].name()));
  write_named(root.create_group("optimizer_weights"), names, optimizer_values(*opt));
}

namespace {

[[noreturn]] void reject_save_name(const std::string& path) {
  throw ValueError("The filename must end in `.weights.h5`. Received: filepath=" + path);
}

}  // namespace

}  // namespace keras

namespace keras {

void Model::save_weights(const std::string& filepath) const {
  switch (format_of(filepath)) {
    case Format::weights_h5: {
      auto file = saving::h5::File::create_in_memory(filepath);
      saving::write_weights_tree(*this, file);
      saving::write_file_atomically(filepath, file.image());
      return;
    }
    case Format::legacy_h5:
    case Format::keras_zip:
    case Format::other:
      reject_save_name(filepath);
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
      saving::read_weights_tree(*this, saving::h5::File::open(filepath), options.skip_mismatch);
      return;
    case Format::legacy_h5:
      saving::read_legacy_weights(*this, saving::h5::File::open(filepath), options, false);
      return;
    case Format::keras_zip:
      saving::load_weights_from_keras_archive(*this, filepath, options.skip_mismatch);
      return;
    case Format::other:
      throw ValueError("File format not supported: filepath=" + filepath +
                       ". Keras 3 only supports V3 `.keras` and `.weights.h5` files, or legacy V1/V2 `.h5` files.");
  }
}

}  // namespace keras
