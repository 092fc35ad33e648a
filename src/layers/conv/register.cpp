// The convolution, pooling and spatial reshaping classes by Keras class name, with
// Keras's aliases (Convolution2D, MaxPool2D, AvgPool2D, GlobalAvgPool2D, ...), which
// Keras 1 configs and keras.layers lookups use.
#include "keras/layers/convolutional.hpp"
#include "keras/layers/pooling.hpp"
#include "keras/layers/reshaping.hpp"
#include "layers/registry.hpp"

namespace keras::detail {

namespace {

template <class L>
void register_as(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    register_layer_class(name, [](const json& config) -> LayerPtr { return L::from_config(config); });
  }
}

}  // namespace

void register_conv_layers() {
  using namespace keras::layers;
  register_as<Conv1DLayer>({"Conv1D", "Convolution1D"});
  register_as<Conv2DLayer>({"Conv2D", "Convolution2D"});
  register_as<Conv1DTransposeLayer>({"Conv1DTranspose", "Convolution1DTranspose"});
  // Keras 1 called the transposed convolution Deconvolution2D.
  register_as<Conv2DTransposeLayer>({"Conv2DTranspose", "Convolution2DTranspose", "Deconvolution2D"});
  register_as<DepthwiseConv1DLayer>({"DepthwiseConv1D"});
  register_as<DepthwiseConv2DLayer>({"DepthwiseConv2D"});
  register_as<SeparableConv1DLayer>({"SeparableConv1D", "SeparableConvolution1D"});
  register_as<SeparableConv2DLayer>({"SeparableConv2D", "SeparableConvolution2D"});
  register_as<MaxPooling1DLayer>({"MaxPooling1D", "MaxPool1D"});
  register_as<MaxPooling2DLayer>({"MaxPooling2D", "MaxPool2D"});
  register_as<AveragePooling1DLayer>({"AveragePooling1D", "AvgPool1D"});
  register_as<AveragePooling2DLayer>({"AveragePooling2D", "AvgPool2D"});
  register_as<GlobalMaxPooling1DLayer>({"GlobalMaxPooling1D", "GlobalMaxPool1D"});
  register_as<GlobalMaxPooling2DLayer>({"GlobalMaxPooling2D", "GlobalMaxPool2D"});
  register_as<GlobalAveragePooling1DLayer>({"GlobalAveragePooling1D", "GlobalAvgPool1D"});
  register_as<GlobalAveragePooling2DLayer>({"GlobalAveragePooling2D", "GlobalAvgPool2D"});
  register_as<UpSampling1DLayer>({"UpSampling1D"});
  register_as<UpSampling2DLayer>({"UpSampling2D"});
  register_as<ZeroPadding2DLayer>({"ZeroPadding2D"});
  register_as<Cropping2DLayer>({"Cropping2D"});
}

}  // namespace keras::detail
