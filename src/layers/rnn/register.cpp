// Registers the recurrent layers, their cells and the RNN wrappers under their Keras class names.
#include "keras/layers/recurrent.hpp"
#include "layers/registry.hpp"

namespace keras::detail {

void register_rnn_layers() {
  register_class<layers::SimpleRNNCellLayer>("SimpleRNNCell");
  register_class<layers::LSTMCellLayer>("LSTMCell");
  register_class<layers::GRUCellLayer>("GRUCell");
  register_class<layers::RNNLayer>("RNN");
  register_class<layers::SimpleRNNLayer>("SimpleRNN");
  register_class<layers::LSTMLayer>("LSTM");
  register_class<layers::GRULayer>("GRU");
  register_class<layers::BidirectionalLayer>("Bidirectional");
  register_class<layers::TimeDistributedLayer>("TimeDistributed");
}

}  // namespace keras::detail
