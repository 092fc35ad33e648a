// Registers the core and activation layers under their Keras class names.
#include "keras/layers/activation_layers.hpp"
#include "keras/layers/core.hpp"
#include "layers/registry.hpp"

namespace keras::detail {

void register_core_layers() {
  register_class<layers::DenseLayer>("Dense");
  register_class<layers::ActivationLayer>("Activation");
  register_class<layers::DropoutLayer>("Dropout");
  register_class<layers::FlattenLayer>("Flatten");
  register_class<layers::ReshapeLayer>("Reshape");
  register_class<layers::PermuteLayer>("Permute");
  register_class<layers::RepeatVectorLayer>("RepeatVector");
  register_class<layers::ActivityRegularizationLayer>("ActivityRegularization");
  register_class<layers::MaskingLayer>("Masking");
  register_class<layers::EmbeddingLayer>("Embedding");
  register_class<layers::IdentityLayer>("Identity");
  register_class<layers::ReLULayer>("ReLU");
  register_class<layers::LeakyReLULayer>("LeakyReLU");
  register_class<layers::PReLULayer>("PReLU");
  register_class<layers::ELULayer>("ELU");
  register_class<layers::SoftmaxLayer>("Softmax");
}

}  // namespace keras::detail
