#pragma once
// Every layer of the library (keras.layers).
#include "keras/layers/activation_layers.hpp"
#include "keras/layers/convolutional.hpp"
#include "keras/layers/core.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/layers/lambda.hpp"
#include "keras/layers/merging.hpp"
#include "keras/layers/normalization.hpp"
#include "keras/layers/pooling.hpp"
#include "keras/layers/recurrent.hpp"
#include "keras/layers/reshaping.hpp"
