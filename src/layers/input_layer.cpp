#include "keras/layers/input_layer.hpp"

#include "graph/node.hpp"
#include "graph/symbolic.hpp"
#include "keras/input.hpp"
#include "layers/registry.hpp"

namespace keras {

namespace layers {

InputLayer::InputLayer(const Shape& batch_shape, DType dtype, const std::string& name)
    : Layer(LayerOptions{.name = name.empty() ? unique_layer_name("input_layer") : name, .dtype = dtype}),
      batch_shape_(batch_shape) {
  build_once({batch_shape});
}

Tensors InputLayer::call(const Tensors& inputs, const CallContext&) { return inputs; }

json InputLayer::get_config() const {
  json shape = json::array();
  for (auto d : batch_shape_) shape.push_back(d < 0 ? json(nullptr) : json(d));
  return {{"batch_shape", shape}, {"dtype", std::string(dtype_name(dtype()))}, {"sparse", false}, {"ragged", false},
          {"name", name()}};
}

}  // namespace layers

Tensor Input(const Shape& shape, const InputOptions& options) {
  for (auto d : shape) {
    if (d < 0 && d != None) throw ValueError("Input dimensions must be positive or None, got " + shape_str(shape));
  }
  Shape batch_shape{options.batch_size.value_or(None)};
  batch_shape.insert(batch_shape.end(), shape.begin(), shape.end());
  auto layer = std::make_shared<layers::InputLayer>(batch_shape, options.dtype.value_or(floatx()), options.name);
  auto node = std::make_shared<detail::Node>();
  node->layer = layer;
  auto history = std::make_shared<const detail::KerasHistory>(detail::KerasHistory{node, 0});
  Tensor t = graph::make_symbolic(batch_shape, layer->dtype(), history);
  node->output_ids = {t.id()};
  node->output_shapes = {batch_shape};
  node->output_dtypes = {layer->dtype()};
  LayerAccess::add_node(*layer, node);
  return t;
}

bool is_keras_tensor(const Tensor& t) { return graph::is_symbolic(t); }

Tensor get_keras_mask(const Tensor& t) {
  return t.defined() && t.impl()->keras_mask ? Tensor(t.impl()->keras_mask) : Tensor();
}

Tensor with_keras_mask(const Tensor& t, const Tensor& mask) {
  if (!t.defined()) throw ValueError("Cannot attach a mask to an undefined tensor");
  auto impl = std::make_shared<detail::TensorImpl>(*t.impl());
  impl->keras_mask = mask.defined() ? mask.impl() : nullptr;
  return Tensor(std::move(impl));
}

}  // namespace keras

namespace keras::detail {

void register_input_layers() {
  register_layer_class("InputLayer", [](const json& config) -> LayerPtr {
    // Keras 3 writes batch_shape; Keras 2 wrote batch_input_shape.
    const json& dims = config.contains("batch_shape") ? config.at("batch_shape") : config.at("batch_input_shape");
    Shape shape;
    for (const auto& d : dims) shape.push_back(d.is_null() ? kUnknownDim : d.get<std::int64_t>());
    const DType dtype = config.contains("dtype") && config.at("dtype").is_string()
                            ? dtype_from_name(config.at("dtype").get<std::string>())
                            : floatx();
    return make_layer<layers::InputLayer>(shape, dtype, config.value("name", std::string()));
  });
}

}  // namespace keras::detail
