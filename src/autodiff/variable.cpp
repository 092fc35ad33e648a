#include "keras/variable.hpp"

#include "kernels/backend.hpp"
#include "kernels/recording.hpp"
#include "keras/ops.hpp"

namespace keras {

struct Variable::State {
  Tensor value;
  std::string name;
  bool trainable = true;
  std::uint64_t id = 0;
};

namespace {

// A view of all of t, which must be contiguous.
kernels::StridedView whole(const Tensor& t) {
  return {const_cast<void*>(t.raw_data()), t.dtype(), t.shape(), contiguous_strides(t.shape()), t.impl()->storage.get()};
}

// An independent copy of t's values in fresh storage, marked as a variable's.
Tensor fresh_copy(const Tensor& t) {
  Tensor out = Tensor::empty(t.shape(), t.dtype(), t.device());
  kernels::backend(t.device()).copy(whole(t), whole(out));
  out.impl()->storage->variable = true;
  return out;
}

}  // namespace

Variable::Variable(const Tensor& initial_value, VariableOptions options)
    : state_(std::make_shared<State>()) {
  if (!initial_value.defined()) throw ValueError("A Variable needs a defined initial value");
  Tensor init = initial_value.is_weak() ? ops::cast(initial_value, floatx()) : initial_value;
  state_->value = fresh_copy(init);
  state_->name = std::move(options.name);
  state_->trainable = options.trainable;
  state_->id = detail::next_tensor_id();
}

Tensor Variable::value() const {
  if (!state_) throw ValueError("Reading an undefined Variable");
  // Under a shape-only probe (the default device is meta), a read is shape-only too.
  if (default_device().type == DeviceType::meta) {
    return Tensor::empty(state_->value.shape(), state_->value.dtype(), default_device());
  }
  auto impl = std::make_shared<detail::TensorImpl>(*state_->value.impl());
  impl->id = state_->id;
  impl->trainable_variable = state_->trainable;
  return Tensor(std::move(impl));
}

void Variable::assign(const Tensor& value) {
  if (!state_) throw ValueError("Assigning to an undefined Variable");
  if (value.shape() != shape()) {
    throw ValueError("Cannot assign a value of shape " + shape_str(value.shape()) +
                     " to variable '" + name() + "' of shape " + shape_str(shape()));
  }
  Tensor v = ops::cast(ops::stop_gradient(value), dtype());
  Tensor& current = state_->value;
  const auto& storage = current.impl()->storage;
  const long held = storage.use_count() - kernels::recording_holds(storage.get());
  if (held == 1 && v.impl()->storage != storage) {
    kernels::backend(current.device()).copy(whole(v), whole(current));
  } else {
    // A snapshot of the old value is alive: keep it unchanged (copy on write).
    current = fresh_copy(v);
  }
}

// The sum is computed into a local first so that no snapshot of the old value is alive
// during `assign`, which then updates in place.
void Variable::assign_add(const Tensor& delta) {
  Tensor updated = ops::add(value(), delta);
  assign(updated);
}

void Variable::assign_sub(const Tensor& delta) {
  Tensor updated = ops::subtract(value(), delta);
  assign(updated);
}

const std::string& Variable::name() const { return state_->name; }
bool Variable::trainable() const { return state_->trainable; }
void Variable::set_trainable(bool trainable) { state_->trainable = trainable; }
const Shape& Variable::shape() const { return state_->value.shape(); }
DType Variable::dtype() const { return state_->value.dtype(); }
std::uint64_t Variable::id() const { return state_->id; }
Tensor& Variable::storage_tensor() {
  if (state_->value.impl()->storage.use_count() != 1) state_->value = fresh_copy(state_->value);
  return state_->value;
}

}  // namespace keras
