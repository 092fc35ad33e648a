#pragma once
// Umbrella header: everything in keras-cpp.
#include "keras/device.hpp"
#include "keras/dtype.hpp"
#include "keras/errors.hpp"
#include "keras/gradient_tape.hpp"
#include "keras/memory.hpp"
#include "keras/ops.hpp"
#include "keras/random.hpp"
#include "keras/shape.hpp"
#include "keras/tensor.hpp"
#include "keras/utils/npy.hpp"
#include "keras/variable.hpp"
