// keras::saving::load_model / save_model, Model::save / to_json / compile configs, and
// model_from_json: the whole-model files (formats.md §1 and §3).
#include <sys/stat.h>

#include <cctype>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "keras/errors.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "keras/saving.hpp"
#include "saving/atomic_file.hpp"
#include "saving/h5/h5_file.hpp"
#include "saving/serialization.hpp"
#include "saving/weights_io.hpp"
#include "saving/zip_archive.hpp"
#include "utils/object_config.hpp"

namespace keras {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_legacy_h5(const std::string& path) { return ends_with(path, ".h5") || ends_with(path, ".hdf5"); }

// Files of Keras 1 and 2 (tf.keras included) compute some activations as Keras 2 did.
bool is_keras2_version(const std::string& version) { return version.empty() || version[0] == '1' || version[0] == '2'; }

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("Cannot open '" + path + "': no such file or not readable");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw IOError("Cannot read '" + path + "'");
  return ss.str();
}

json parse_json(const std::string& text, const std::string& where) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw ValueError("Invalid JSON in " + where + ": " + e.what());
  }
}

// --- compile configs ---

json serialize_loss(const losses::LossArg& loss) {
  if (loss.empty()) return nullptr;
  const std::string& name = loss.name();
  // Keras resolves a function name to the function and saves it in this form; a class
  // name to an object.
  if (!name.empty() && std::islower(static_cast<unsigned char>(name.front()))) {
    return {{"module", "builtins"}, {"class_name", "function"}, {"config", name}, {"registered_name", "function"}};
  }
  const auto ptr = loss.ptr();
  // A C++ callable is saved under its name; loading needs it registered (register_loss).
  if (ptr->class_name() == "LossFunctionWrapper") return ptr->name();
  return losses::serialize(*ptr);
}

json serialize_metric(const metrics::MetricArg& metric) {
  if (!metric.object()) return metric.name();
  const auto& m = *metric.object();
  // A metric the file cannot rebuild (a wrapped callable, a custom class) is saved by
  // name, for loading to find among the registered metrics.
  try {
    json config = metrics::serialize(m);
    metrics::get(config);
    return config;
  } catch (const Error&) {
    return m.name();
  }
}

json serialize_metrics(const MetricsSpec& spec) {
  if (spec.empty()) return nullptr;
  auto list = [](const std::vector<metrics::MetricArg>& ms) {
    json out = json::array();
    for (const auto& m : ms) out.push_back(serialize_metric(m));
    return out;
  };
  if (!spec.named().empty()) {
    json out = json::object();
    for (const auto& [name, ms] : spec.named()) out[name] = list(ms);
    return out;
  }
  if (!spec.nested().empty()) {
    json out = json::array();
    for (const auto& ms : spec.nested()) out.push_back(list(ms));
    return out;
  }
  return list(spec.flat());
}

template <class T, class F>
json serialize_per_output(const PerOutput<T>& value, F&& one) {
  if (value.empty()) return nullptr;
  if (value.has_single()) return one(value.single());
  if (!value.named().empty()) {
    json out = json::object();
    for (const auto& [name, v] : value.named()) out[name] = one(v);
    return out;
  }
  json out = json::array();
  for (const auto& v : value.list()) out.push_back(one(v));
  return out;
}

json serialize_optimizer(const optimizers::Optimizer& opt) {
  return keras::detail::keras_object("keras.optimizers", opt.class_name(), opt.get_config());
}

losses::LossArg loss_from_json(const json& j, const saving::detail::ObjectScope& scope) {
  if (j.is_null()) return {};
  if (!j.is_string() && !j.is_object()) throw ValueError("Invalid loss in the compile config: " + j.dump());
  // A name, or a function's name in {"class_name": "function", "config": name}, may be a
  // registered custom loss; otherwise Keras's own.
  std::string name = j.is_string() ? j.get<std::string>() : std::string();
  if (j.is_object() && j.value("class_name", json()).is_string() && j.at("class_name") == "function" &&
      j.value("config", json()).is_string()) {
    name = j.at("config").get<std::string>();
  }
  if (!name.empty()) {
    if (auto custom = scope.loss(name)) return *custom;
    return name;
  }
  return losses::get(j);
}

metrics::MetricArg metric_from_json(const json& j, const saving::detail::ObjectScope& scope) {
  if (j.is_string()) {
    if (auto custom = scope.metric(j.get<std::string>())) return *custom;
    return j.get<std::string>();
  }
  if (j.is_object()) return metrics::get(j);
  throw ValueError("Invalid metric in the compile config: " + j.dump());
}

MetricsSpec metrics_from_json(const json& j, const saving::detail::ObjectScope& scope) {
  if (j.is_null()) return {};
  auto list = [&](const json& a) {
    std::vector<metrics::MetricArg> out;
    if (!a.is_array()) {
      out.push_back(metric_from_json(a, scope));
      return out;
    }
    for (const auto& m : a) out.push_back(metric_from_json(m, scope));
    return out;
  };
  if (j.is_object()) {
    std::map<std::string, std::vector<metrics::MetricArg>> named;
    for (const auto& [name, ms] : j.items()) named[name] = list(ms);
    return named;
  }
  if (j.is_array() && !j.empty() && j.front().is_array()) {
    std::vector<std::vector<metrics::MetricArg>> nested;
    for (const auto& ms : j) nested.push_back(list(ms));
    return nested;
  }
  return list(j);
}

template <class T, class F>
PerOutput<T> per_output_from_json(const json& j, F&& one) {
  if (j.is_null()) return {};
  if (j.is_object() && !j.contains("class_name")) {
    std::map<std::string, T> named;
    for (const auto& [name, v] : j.items()) named[name] = one(v);
    return named;
  }
  if (j.is_array()) {
    std::vector<T> list;
    for (const auto& v : j) list.push_back(one(v));
    return list;
  }
  return PerOutput<T>(one(j));
}

// Keras 2 optimizer configs spell the rate `lr` and may carry `decay`, which Keras 3
// ignores with a warning.
json keras2_optimizer_arguments(json optimizer) {
  if (!optimizer.is_object() || !optimizer.contains("config") || !optimizer.at("config").is_object()) return optimizer;
  json& config = optimizer["config"];
  if (config.contains("lr")) {
    if (!config.contains("learning_rate")) config["learning_rate"] = config.at("lr");
    config.erase("lr");
  }
  if (config.contains("decay")) {
    if (config.at("decay").is_number() && config.at("decay").get<double>() != 0.0) {
      std::cerr << "WARNING: Argument `decay` is no longer supported and will be ignored.\n";
    }
    config.erase("decay");
  }
  return optimizer;
}

CompileOptions compile_options_from_json(const json& config, const saving::detail::ObjectScope& scope) {
  if (!config.is_object()) throw ValueError("Invalid compile config: not a dict");
  CompileOptions options;
  // Keras 3 keeps the optimizer in `optimizer`; legacy .h5 files in `optimizer_config`.
  const json optimizer = config.contains("optimizer") ? config.at("optimizer")
                                                      : config.value("optimizer_config", json(nullptr));
  if (!optimizer.is_null()) options.optimizer = optimizers::get(keras2_optimizer_arguments(optimizer));
  if (config.contains("loss")) {
    options.loss = per_output_from_json<losses::LossArg>(config.at("loss"),
                                                         [&](const json& l) { return loss_from_json(l, scope); });
  }
  if (config.contains("loss_weights")) {
    options.loss_weights = per_output_from_json<double>(config.at("loss_weights"), [](const json& w) {
      if (!w.is_number()) throw ValueError("Invalid loss weight in the compile config: " + w.dump());
      return w.get<double>();
    });
  }
  if (config.contains("metrics")) options.metrics = metrics_from_json(config.at("metrics"), scope);
  if (config.contains("weighted_metrics")) options.weighted_metrics = metrics_from_json(config.at("weighted_metrics"), scope);
  return options;
}

// Compiles from the file's training configuration; one that cannot be used (a loss or
// metric nobody registered) leaves the model uncompiled with a warning, as Keras does, so
// that the model still loads for inference.
bool compile_if_possible(Model& model, const json& config, const saving::detail::ObjectScope& scope,
                         const std::string& filepath) {
  try {
    model.compile(compile_options_from_json(config, scope));
    return true;
  } catch (const Error& e) {
    std::cerr << "WARNING: the model in '" << filepath << "' was not compiled: its training configuration cannot be "
              << "used (" << e.what() << "). Compile it yourself before training.\n";
    return false;
  }
}

// --- .keras archives ---

std::string date_saved() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d@%H:%M:%S", &tm);
  return buf;
}

std::string weights_image(const Model& model, bool include_optimizer, const std::string& name) {
  auto file = saving::h5::File::create_in_memory(name);
  saving::write_weights_tree(model, file, include_optimizer);
  return file.image();
}

void save_keras_archive(const Model& model, const std::string& filepath, const SaveOptions& options) {
  json config = saving::detail::serialize_model(model, saving::detail::Dialect::keras3);
  if (options.include_optimizer && model.compiled()) config["compile_config"] = model.get_compile_config();
  const json metadata = {{"keras_version", saving::kKerasVersion}, {"date_saved", date_saved()}};
  const saving::ZipMembers members = {{"metadata.json", metadata.dump()},
                                      {"config.json", config.dump()},
                                      {"model.weights.h5", weights_image(model, options.include_optimizer, filepath)}};
  saving::write_file_atomically(filepath, saving::write_zip(members, filepath));
}

// config.json and model.weights.h5 of an archive (or of a directory holding them).
struct Archive {
  std::string config;
  std::string weights;
  std::string keras_version;  // from metadata.json ("" when absent)
};

std::string version_of(const std::string& metadata) {
  try {
    const json m = json::parse(metadata);
    return m.is_object() && m.contains("keras_version") && m.at("keras_version").is_string()
               ? m.at("keras_version").get<std::string>()
               : std::string();
  } catch (const json::exception&) {
    return {};
  }
}

Archive read_archive(const std::string& filepath) {
  Archive out;
  bool has_config = false;
  bool has_weights = false;
  if (is_directory(filepath)) {
    out.config = read_file(filepath + "/config.json");
    out.weights = read_file(filepath + "/model.weights.h5");
    if (std::ifstream(filepath + "/metadata.json").good()) out.keras_version = version_of(read_file(filepath + "/metadata.json"));
    return out;
  }
  for (auto& [name, bytes] : saving::read_zip(read_file(filepath), filepath)) {
    if (name == "config.json") {
      out.config = std::move(bytes);
      has_config = true;
    } else if (name == "model.weights.h5") {
      out.weights = std::move(bytes);
      has_weights = true;
    } else if (name == "metadata.json") {
      out.keras_version = version_of(bytes);
    }
  }
  if (!has_config) throw IOError("Cannot load '" + filepath + "': the archive has no config.json (not a Keras 3 .keras file)");
  if (!has_weights) {
    throw IOError("Cannot load '" + filepath + "': the archive has no model.weights.h5 (keras-cpp reads the HDF5 "
                  "weights format only)");
  }
  return out;
}

ModelPtr load_keras_archive(const std::string& filepath, const saving::LoadModelOptions& options) {
  const Archive archive = read_archive(filepath);
  const json config = parse_json(archive.config, "config.json of '" + filepath + "'");
  // tf.keras 2.13-2.15 wrote .keras files too.
  const saving::detail::ObjectScope scope(options.custom_objects,
                                          !archive.keras_version.empty() && is_keras2_version(archive.keras_version));
  ModelPtr model = saving::detail::deserialize_model(config, scope);
  if (options.compile && config.is_object() && config.contains("compile_config") && !config.at("compile_config").is_null()) {
    compile_if_possible(*model, config.at("compile_config"), scope, filepath);
  }
  saving::read_weights_tree(*model, saving::h5::File::open_image(archive.weights, filepath + ":model.weights.h5"), false);
  return model;
}

// --- legacy .h5 ---

json training_config(const Model& model) {
  json config = model.get_compile_config();
  config.erase("optimizer");
  config["optimizer_config"] = {{"class_name", model.optimizer()->class_name()},
                                {"config", model.optimizer()->get_config()}};
  return config;
}

void save_legacy_h5(const Model& model, const std::string& filepath, const SaveOptions& options) {
  auto file = saving::h5::File::create_in_memory(filepath);
  file.write_string_attr("keras_version", saving::kKerasVersion);
  file.write_string_attr("backend", saving::kBackend);
  file.write_string_attr("model_config",
                         saving::detail::serialize_model(model, saving::detail::Dialect::legacy).dump(), false);
  const bool with_optimizer = options.include_optimizer && model.compiled();
  if (with_optimizer) file.write_string_attr("training_config", training_config(model).dump(), false);
  saving::write_legacy_weights(model, file.create_group("model_weights"));
  if (with_optimizer) saving::write_legacy_optimizer(model, file);
  saving::write_file_atomically(filepath, file.image());
}

ModelPtr load_legacy_h5(const std::string& filepath, const saving::LoadModelOptions& options) {
  const auto file = saving::h5::File::open(filepath);
  if (!file.has_attr("model_config")) {
    throw ValueError("No model config found in the file at " + filepath +
                     " (a weights-only file: build the model and call load_weights)");
  }
  const std::string version = file.has_attr("keras_version") ? file.read_string_attr("keras_version") : "1";
  const saving::detail::ObjectScope scope(options.custom_objects, is_keras2_version(version));
  ModelPtr model = saving::detail::deserialize_model(
      parse_json(file.read_string_attr("model_config"), "the model_config of '" + filepath + "'"), scope);
  bool compiled = false;
  if (options.compile && file.has_attr("training_config")) {
    const json config = parse_json(file.read_string_attr("training_config"), "the training_config of '" + filepath + "'");
    compiled = compile_if_possible(*model, config, scope, filepath);
  }
  saving::read_legacy_weights(*model, file, LoadWeightsOptions{}, compiled);
  return model;
}

}  // namespace

json Model::get_config() const { return saving::detail::model_inner_config(*this, saving::detail::Dialect::keras3); }

std::string Model::to_json() const {
  return saving::detail::serialize_model(*this, saving::detail::Dialect::keras3).dump();
}

json Model::get_compile_config() const {
  if (!compiled()) return nullptr;
  const CompileOptions& o = compile_options();
  return {{"optimizer", optimizer() ? serialize_optimizer(*optimizer()) : json(nullptr)},
          {"loss", serialize_per_output(o.loss, serialize_loss)},
          {"loss_weights", serialize_per_output(o.loss_weights, [](double w) { return json(w); })},
          {"metrics", serialize_metrics(o.metrics)},
          {"weighted_metrics", serialize_metrics(o.weighted_metrics)},
          {"run_eagerly", o.run_eagerly},
          {"steps_per_execution", 1},
          {"jit_compile", false}};
}

void Model::compile_from_config(const json& config) {
  compile(compile_options_from_json(config, saving::detail::ObjectScope(saving::CustomObjects{})));
}

void Model::save(const std::string& filepath, const SaveOptions& options) const {
  saving::save_model(*this, filepath, options);
}

}  // namespace keras

namespace keras::saving {

void save_model(const Model& model, const std::string& filepath, const SaveOptions& options) {
  if (ends_with(filepath, ".keras")) {
    save_keras_archive(model, filepath, options);
  } else if (is_legacy_h5(filepath)) {
    save_legacy_h5(model, filepath, options);
  } else {
    throw ValueError("Invalid filepath extension for saving. Please add either a `.keras` extension for the native "
                     "Keras format (recommended) or a `.h5` extension. Received: filepath=" + filepath);
  }
}

ModelPtr load_model(const std::string& filepath, const LoadModelOptions& options) {
  if (ends_with(filepath, ".keras") || (is_directory(filepath) && std::ifstream(filepath + "/config.json").good())) {
    return load_keras_archive(filepath, options);
  }
  if (is_legacy_h5(filepath)) return load_legacy_h5(filepath, options);
  throw ValueError("File format not supported: filepath=" + filepath +
                   ". Keras 3 only supports V3 `.keras` files and legacy H5 format files (`.h5` extension).");
}

ModelPtr model_from_config(const json& config, const CustomObjects& custom_objects) {
  return detail::deserialize_model(config, detail::ObjectScope(custom_objects));
}

void load_weights_from_keras_archive(Model& model, const std::string& filepath, bool skip_mismatch) {
  const Archive archive = read_archive(filepath);
  read_weights_tree(model, h5::File::open_image(archive.weights, filepath + ":model.weights.h5"), skip_mismatch);
}

}  // namespace keras::saving

namespace keras::models {

ModelPtr model_from_json(const std::string& json_text, const saving::CustomObjects& custom_objects) {
  const json config = parse_json(json_text, "the model JSON");
  // Keras 3's to_json() writes "module"; JSON without it is Keras 1/2's.
  const bool keras2 = !(config.is_object() && config.contains("module"));
  return saving::detail::deserialize_model(config, saving::detail::ObjectScope(custom_objects, keras2));
}

}  // namespace keras::models
