#pragma once
// The weight layouts inside an HDF5 file, shared by save_weights/load_weights and the
// whole-model files (src/saving/weights.cpp; formats in docs/architecture.md).
#include <string>

#include "keras/model.hpp"
#include "saving/h5/h5_file.hpp"

namespace keras::saving {

// The Keras version and backend whose file dialect keras-cpp writes (root attributes of
// legacy .h5 files and metadata.json of .keras archives).
inline constexpr const char* kKerasVersion = "3.12.0";
inline constexpr const char* kBackend = "tensorflow";

// Keras 3's state tree (`layers/<name>/vars/<i>`, `optimizer/vars/<i>`): the content of a
// `.weights.h5` file and of a `.keras` archive's model.weights.h5.
void write_weights_tree(const Model& model, const h5::Group& root, bool include_optimizer = true);
// Checks the whole tree against the model before assigning anything.
void read_weights_tree(Model& model, const h5::Group& root, bool skip_mismatch);

// Keras's legacy layout: `layer_names`, one group per layer with `weight_names` (the
// root of a legacy weights file, or the `model_weights` group of a full-model file).
void write_legacy_weights(const Model& model, const h5::Group& group);
// `optimizer_weights` of a full-model file (nothing when the optimizer is not built).
void write_legacy_optimizer(const Model& model, const h5::Group& root);
// From `file`'s root or its `model_weights` group; with_optimizer also reads the root's
// `optimizer_weights` into the (compiled) model's optimizer.
void read_legacy_weights(Model& model, const h5::Group& file, const LoadWeightsOptions& options, bool with_optimizer);

// The weights of a `.keras` archive (its model.weights.h5 member).
void load_weights_from_keras_archive(Model& model, const std::string& filepath, bool skip_mismatch);

}  // namespace keras::saving
