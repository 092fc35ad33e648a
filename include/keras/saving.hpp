#pragma once
// Whole-model files: Keras 3's `.keras` archives and Keras's legacy full-model `.h5`,
// read and written so that Python Keras opens ours and we open its; configs as JSON
// (model.to_json() / model_from_json) in the Keras 1, 2 and 3 dialects; and the custom
// objects (layers, Lambda functions, losses, metrics) a file may name.
//
//   model->save("model.keras");
//   auto loaded = keras::saving::load_model("model.keras");
//
// Loading a file never runs code from it: a Lambda layer's function, or a custom layer,
// loss or metric, comes from what the program registered (register_* below, or
// LoadModelOptions::custom_objects), by the name the file gives.
#include <functional>
#include <map>
#include <string>

#include "keras/layer_registry.hpp"
#include "keras/layers/lambda.hpp"
#include "keras/losses/loss.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/model.hpp"

namespace keras::saving {

// Objects a file may name that are not Keras built-ins, by name. For a Lambda layer the
// key is the function's name in the file (Keras 3's named-function form) or, for a
// Python lambda, the layer's name.
struct CustomObjects {
  std::map<std::string, LayerFactory> layers;
  std::map<std::string, layers::LambdaFunction> functions;
  std::map<std::string, losses::LossArg> losses;
  std::map<std::string, metrics::MetricArg> metrics;
};

struct LoadModelOptions {
  // Consulted before the registered objects.
  CustomObjects custom_objects;
  // Compile the model with the file's training configuration (loss, metrics, optimizer,
  // and the optimizer's state when the file has it).
  bool compile = true;
};

// Keras's load_model: a `.keras` archive (or a directory holding its three files), or a
// legacy `.h5`/`.hdf5` full-model file. IOError for a missing or corrupt file; ValueError
// for a config that names an unknown class or weights that do not fit.
ModelPtr load_model(const std::string& filepath, const LoadModelOptions& options = {});

// Keras's save_model (model.save): `.keras` or `.h5`/`.hdf5` by the extension; written
// to a temporary file and renamed over `filepath`, so an interrupted save leaves the
// previous file intact.
void save_model(const Model& model, const std::string& filepath, const SaveOptions& options = {});

// A model from its config: {"class_name": "Functional"|"Model"|"Sequential", "config":
// {...}} in any Keras dialect, or a bare Keras 1 Sequential list. Unbuilt weights.
ModelPtr model_from_config(const json& config, const CustomObjects& custom_objects = {});

// Registers a custom object under `name` for every later load (Keras's
// register_keras_serializable; Keras names them "Package>Name", and either form is
// looked up). A Lambda made with LambdaOptions::function_name == name saves that name.
void register_function(const std::string& name, layers::LambdaFunction function);
void register_loss(const std::string& name, losses::LossArg loss);
void register_metric(const std::string& name, metrics::MetricArg metric);

}  // namespace keras::saving

namespace keras::models {

// Keras's model_from_json: the text of model.to_json() (or of a Keras 1/2 JSON config).
ModelPtr model_from_json(const std::string& json_text, const saving::CustomObjects& custom_objects = {});
// keras.models.load_model.
inline ModelPtr load_model(const std::string& filepath, const saving::LoadModelOptions& options = {}) {
  return saving::load_model(filepath, options);
}

}  // namespace keras::models
