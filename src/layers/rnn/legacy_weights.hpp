#pragma once
// Keras 1 stored each recurrent gate's weights as separate arrays; Keras 2's loader
// (preprocess_weights_for_loading in keras/engine/saving.py, 2.2.4) concatenated them into
// kernel, recurrent_kernel and bias. This is that conversion, for the legacy .h5 loader.
#include <optional>
#include <string>

#include "keras/layer.hpp"

namespace keras::detail {

// Keras 1 weights of a `class_name` layer in Keras 2's layout, or nullopt when nothing needs
// converting (another class, or not the Keras 1 array count):
//   LSTM, 12 arrays W_i, U_i, b_i, W_c, U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o
//     -> kernel [W_i W_f W_c W_o], recurrent_kernel [U_i U_f U_c U_o], bias [b_i b_f b_c b_o]
//        (Keras 1's gate order i, c, f, o becomes Keras 2's i, f, c, o);
//   GRU, 9 arrays W_z, U_z, b_z, W_r, U_r, b_r, W_h, U_h, b_h
//     -> kernel [W_z W_r W_h], recurrent_kernel [U_z U_r U_h], bias [b_z b_r b_h]
//        (for a reset_after=False GRU, which Keras 1's was).
// SimpleRNN's Keras 1 arrays W, U, b already are kernel, recurrent_kernel, bias: nullopt.
std::optional<Tensors> convert_keras1_rnn_weights(const std::string& class_name, const Tensors& values);

}  // namespace keras::detail
