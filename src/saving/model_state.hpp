#pragma once
// A model's weights and optimizer state as checkpoint arrays, and back.
#include <string>

#include "saving/checkpoint.hpp"

namespace keras {
class Model;
}

namespace keras::saving {

// "model/<i>" for every weight, then "optimizer/<i>" for the optimizer's variables once built.
CheckpointData model_state(const Model& model);
// Sets the weights (ValueError naming `path` when the count or a shape differs) and, when
// the file has them and the counts agree, the optimizer's variables (building it first).
void restore_model_state(Model& model, const CheckpointData& data, const std::string& path);

}  // namespace keras::saving
