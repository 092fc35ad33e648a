#include "keras/layers/lambda.hpp"

namespace keras::layers {

LambdaLayer::LambdaLayer(LambdaFunction function, const LambdaOptions& options)
    : Layer(base_options(options)), function_(std::move(function)), options_(options) {
  if (!options_.arguments.is_object()) throw TypeError("Lambda `arguments` must be a dict (a JSON object)");
  set_supports_masking(static_cast<bool>(options_.mask));
}

Tensors LambdaLayer::call(const Tensors& inputs, const CallContext&) { return function_(inputs, options_.arguments); }

Tensors LambdaLayer::compute_mask(const Tensors& inputs, const Tensors& masks) {
  if (!options_.mask) return {};
  return {options_.mask(inputs, masks)};
}

std::optional<std::vector<Shape>> LambdaLayer::declared_output_shape(const std::vector<Shape>& input_shapes) const {
  if (const auto* shape = std::get_if<Shape>(&options_.output_shape)) {
    // A tuple gives the dimensions after the batch axis, which follows the input's.
    Shape full{input_shapes.empty() || input_shapes.front().empty() ? kUnknownDim : input_shapes.front().front()};
    full.insert(full.end(), shape->begin(), shape->end());
    return std::vector<Shape>{full};
  }
  if (const auto* fn = std::get_if<ShapeFunction>(&options_.output_shape)) {
    return std::vector<Shape>{(*fn)(input_shapes.empty() ? Shape{} : input_shapes.front())};
  }
  return std::nullopt;
}

json LambdaLayer::get_config() const {
  json config = Layer::get_config();
  // Keras 3's form of a named function; "__main__" lets a Python script that defines a
  // function of that name load the file.
  if (!options_.function_name.empty()) {
    config["function"] = {{"module", "__main__"},
                          {"class_name", "function"},
                          {"config", options_.function_name},
                          {"registered_name", options_.function_name}};
  }
  config["arguments"] = options_.arguments;
  if (const auto* shape = std::get_if<Shape>(&options_.output_shape)) config["output_shape"] = *shape;
  return config;
}

}  // namespace keras::layers
