#pragma once
// Helpers for the optimizers' in-place updates.
#include "kernels/backend.hpp"
#include "keras/ops.hpp"
#include "keras/variable.hpp"

namespace keras::optimizers::detail {

// A variable's value that no GradientTape traces (not a trainable-variable read, a fresh
// id), so the optimizer's arithmetic is never recorded.
inline Tensor read(const Variable& v) { return ops::stop_gradient(v.value()); }

// The slot variables of a fused update; see kernels::UpdateSlots.
struct SlotVariables {
  Variable* momentum = nullptr;
  Variable* velocity = nullptr;
  Variable* average_gradient = nullptr;
  Variable* velocity_hat = nullptr;
};

// One fused step (kernels::UpdateRule) on `variable` and its slots, in place; the
// gradient is taken in the variable's dtype.
void fused_update(const kernels::UpdateParams& params, const Tensor& gradient, Variable& variable,
                  const SlotVariables& slots);

}  // namespace keras::optimizers::detail
