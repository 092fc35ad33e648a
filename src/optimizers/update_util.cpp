#include "optimizers/update_util.hpp"

#include "ops/common.hpp"

namespace keras::optimizers::detail {

void fused_update(const kernels::UpdateParams& params, const Tensor& gradient, Variable& variable,
                  const SlotVariables& slots) {
  Tensor& value = variable.storage_tensor();
  const Tensor g = ops::detail::as_operand(gradient, value.dtype(), value.device());
  auto storage = [](Variable* v) { return v ? &v->storage_tensor() : nullptr; };
  const kernels::UpdateSlots s{.momentum = storage(slots.momentum),
                               .velocity = storage(slots.velocity),
                               .average_gradient = storage(slots.average_gradient),
                               .velocity_hat = storage(slots.velocity_hat)};
  kernels::backend(value.device()).optimizer_update(params, g, value, s);
}

}  // namespace keras::optimizers::detail
