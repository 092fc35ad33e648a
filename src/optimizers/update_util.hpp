#pragma once
// Helpers for the optimizers' in-place updates.
#include "keras/ops.hpp"
#include "keras/variable.hpp"

namespace keras::optimizers::detail {

// A variable's value that no GradientTape traces (not a trainable-variable read, a fresh
// id), so the optimizer's arithmetic is never recorded.
inline Tensor read(const Variable& v) { return ops::stop_gradient(v.value()); }

// variable ← value. `value` must not be a read of `variable` still alive in the caller,
// or the update is a copy instead of in place (still correct).
inline void set(Variable& variable, const Tensor& value) { variable.assign(value); }

}  // namespace keras::optimizers::detail
