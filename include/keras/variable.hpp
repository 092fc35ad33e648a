#pragma once
// keras::Variable: named, mutable state (weights). Copies of a Variable refer to the same
// variable, like Python references. Reading it gives a Tensor snapshot that a
// GradientTape traces back to the variable.
#include <memory>
#include <string>

#include "keras/tensor.hpp"

namespace keras {

struct VariableOptions {
  std::string name = "variable";
  bool trainable = true;
};

class Variable {
 public:
  Variable() = default;
  explicit Variable(const Tensor& initial_value, VariableOptions options = {});

  // The current value. Later assignments do not change a snapshot already taken.
  Tensor value() const;
  operator Tensor() const { return value(); }  // NOLINT: a variable is usable as a tensor

  // Replaces the value; throws ValueError when the shape differs, and casts to the
  // variable's dtype. Updates in place when no snapshot of the old value is alive.
  void assign(const Tensor& value);
  void assign_add(const Tensor& delta);
  void assign_sub(const Tensor& delta);

  bool defined() const { return state_ != nullptr; }
  const std::string& name() const;
  bool trainable() const;
  void set_trainable(bool trainable);
  const Shape& shape() const;
  DType dtype() const;
  std::uint64_t id() const;
  // The storage, for a kernel that updates the variable in place (the optimizers' fused
  // updates). When a snapshot of the value is alive, the variable first moves to a fresh
  // copy, so the snapshot keeps its values.
  Tensor& storage_tensor();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace keras
