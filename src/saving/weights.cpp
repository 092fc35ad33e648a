// Model::save_weights / load_weights in keras-cpp's interim checkpoint format.
#include <iostream>

#include "keras/errors.hpp"
#include "keras/model.hpp"
#include "saving/model_state.hpp"

namespace keras {

namespace {

void reject_keras_formats(const std::string& path) {
  for (const char* ext : {".h5", ".keras", ".hdf5"}) {
    const std::string e = ext;
    if (path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0) {
      throw NotImplementedError("Writing and reading Keras's " + e + " files is not implemented yet; '" + path +
                                "' needs it. Use another extension (e.g. .ckpt) for keras-cpp's checkpoint format.");
    }
  }
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
  reject_keras_formats(filepath);
  saving::write_checkpoint(filepath, saving::model_state(*this));
}

void Model::load_weights(const std::string& filepath) {
  reject_keras_formats(filepath);
  saving::restore_model_state(*this, saving::read_checkpoint(filepath), filepath);
}

}  // namespace keras
