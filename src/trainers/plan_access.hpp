#pragma once
// Tests' and benchmarks' view of a model's traced steps.
#include "keras/model.hpp"
#include "trainers/trainer_state.hpp"

namespace keras::trainers {

struct PlanAccess {
  static const StepPlans& plans(const Model& model) { return model.trainer().plans; }
};

}  // namespace keras::trainers
