#pragma once
// Fused recurrent-cell ops for the RNN layers (private: Keras has no such public op).
#include "keras/tensor.hpp"

namespace keras::ops::detail {

// One LSTM step's gate maths with Keras's defaults (sigmoid gates, tanh candidate and
// output): z (batch, 4 units) holds the pre-activations of the gates i, f, c, o, c_prev
// (batch, units) the previous carry. Returns {h, c}: c = f c_prev + i g, h = o tanh(c).
// One kernel pass forward and one backward (its own gradient, gradient-checked in
// tests/test_layers_rnn.cpp) instead of about a dozen elementwise ops each way.
std::vector<Tensor> lstm_cell(const Tensor& z, const Tensor& c_prev);

// One GRU step's gate maths, Keras's reset_after=True form with its default activations:
// x (batch, 3 units) the input projection, inner (batch, 3 units) the recurrent projection
// with its bias, h_prev (batch, units); gates z, r, h. Returns h = z h_prev + (1 - z) n,
// n = tanh(x_h + r inner_h). Fused the same way, with its own gradient.
Tensor gru_cell(const Tensor& x, const Tensor& inner, const Tensor& h_prev);

}  // namespace keras::ops::detail
