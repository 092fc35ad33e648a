// Zeros, Ones, Constant, Identity and C++ callables.
#include "keras/initializers.hpp"
#include "keras/ops/creation.hpp"
#include "keras/ops/math.hpp"

namespace keras::initializers {

Tensor Zeros::operator()(const Shape& shape, DType dtype) const { return ops::zeros(shape, dtype); }

Tensor Ones::operator()(const Shape& shape, DType dtype) const { return ops::ones(shape, dtype); }

Tensor Constant::operator()(const Shape& shape, DType dtype) const {
  return ops::full(shape, value_, dtype);
}

nlohmann::json Constant::get_config() const { return {{"value", value_}}; }

Tensor Identity::operator()(const Shape& shape, DType dtype) const {
  if (shape.size() != 2) {
    throw ValueError(
        "Identity matrix initializer can only be used for 2D matrices. Received: shape=" +
        shape_str(shape) + " of rank " + std::to_string(shape.size()) + ".");
  }
  Tensor eye = ops::eye(shape[0], shape[1], 0, dtype);
  return options_.gain == 1.0 ? eye : ops::multiply(eye, options_.gain);
}

nlohmann::json Identity::get_config() const { return {{"gain", options_.gain}}; }

FunctionInitializer::FunctionInitializer(InitializerFunction fn) : fn_(std::move(fn)) {
  if (!fn_) throw ValueError("FunctionInitializer: the callable is empty");
}

Tensor FunctionInitializer::operator()(const Shape& shape, DType dtype) const {
  Tensor out = fn_(shape, dtype);
  if (!out.defined() || out.shape() != shape) {
    throw ValueError("A C++ callable initializer returned a tensor of shape " +
                     (out.defined() ? shape_str(out.shape()) : std::string("(undefined)")) +
                     " for the requested shape " + shape_str(shape));
  }
  return out;
}

nlohmann::json FunctionInitializer::get_config() const {
  throw NotImplementedError(
      "A C++ callable initializer cannot be serialized (it has no get_config()). "
      "Subclass keras::initializers::Initializer and override class_name() and "
      "get_config() to make it serializable.");
}

}  // namespace keras::initializers
