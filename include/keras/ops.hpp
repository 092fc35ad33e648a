#pragma once
// keras::ops: the differentiable operations. keras::backend (Keras 2's `K`) is an alias.
#include "keras/ops/axes.hpp"
#include "keras/ops/creation.hpp"
#include "keras/ops/linalg.hpp"
#include "keras/ops/manipulation.hpp"
#include "keras/ops/math.hpp"
#include "keras/ops/nn.hpp"
#include "keras/ops/reduction.hpp"

namespace keras {
namespace backend = ops;
}  // namespace keras
