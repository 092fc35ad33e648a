#pragma once
// layers::Lambda: any C++ function over keras::ops as a layer. The function runs on data
// eagerly and on shape-only tensors while a model is built, so its output shape is
// inferred; it is differentiable like any other ops.
#include <functional>
#include <optional>
#include <variant>

#include "keras/layer.hpp"

namespace keras::layers {

// Extra named values for the function (Keras's `arguments` dict), e.g. {{"index", 2}}.
using LambdaArguments = json;

// The function, in any of the forms Keras allows: one tensor or a list in, one tensor or
// a list out, optionally with the `arguments`.
class LambdaFunction {
 public:
  using Fn = std::function<Tensors(const Tensors&, const LambdaArguments&)>;
  template <class F>
  LambdaFunction(F f) : fn_(wrap(std::move(f))) {}  // NOLINT: any callable
  Tensors operator()(const Tensors& inputs, const LambdaArguments& arguments) const { return fn_(inputs, arguments); }

 private:
  static Tensors as_list(Tensors t) { return t; }
  static Tensors as_list(const Tensor& t) { return {t}; }
  static Tensor single(const Tensors& inputs) {
    if (inputs.size() != 1) throw ValueError("This Lambda function takes one tensor, but got " + std::to_string(inputs.size()));
    return inputs.front();
  }
  template <class F>
  static Fn wrap(F f) {
    if constexpr (std::is_invocable_v<F&, const Tensor&, const LambdaArguments&>) {
      return [f](const Tensors& in, const LambdaArguments& a) mutable { return as_list(f(single(in), a)); };
    } else if constexpr (std::is_invocable_v<F&, const Tensors&, const LambdaArguments&>) {
      return [f](const Tensors& in, const LambdaArguments& a) mutable { return as_list(f(in, a)); };
    } else if constexpr (std::is_invocable_v<F&, const Tensor&>) {
      return [f](const Tensors& in, const LambdaArguments&) mutable { return as_list(f(single(in))); };
    } else {
      static_assert(std::is_invocable_v<F&, const Tensors&>,
                    "A Lambda function takes a Tensor or a list of Tensors (and optionally the arguments)");
      return [f](const Tensors& in, const LambdaArguments&) mutable { return as_list(f(in)); };
    }
  }
  Fn fn_;
};

using ShapeFunction = std::function<Shape(const Shape&)>;
using MaskFunction = std::function<Tensor(const Tensors& inputs, const Tensors& masks)>;

struct LambdaOptions {
  // A shape without the batch axis, or a function from the full input shape to the full
  // output shape; unset: inferred by running the function.
  std::variant<std::monostate, Shape, ShapeFunction> output_shape;
  MaskFunction mask;  // the output mask from the inputs and their masks; unset: none
  LambdaArguments arguments = LambdaArguments::object();
  // The name the function is registered under (keras::saving::register_function): what a
  // saved model names, so that loading finds it. Unnamed Lambdas cannot be saved whole.
  std::string function_name;
  KERAS_LAYER_BASE_OPTIONS
};

class LambdaLayer : public Layer {
 public:
  LambdaLayer(LambdaFunction function, const LambdaOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;
  std::optional<std::vector<Shape>> declared_output_shape(const std::vector<Shape>& input_shapes) const override;
  std::string class_name() const override { return "Lambda"; }
  json get_config() const override;
  const LambdaOptions& options() const { return options_; }

 private:
  LambdaFunction function_;
  LambdaOptions options_;
};

inline LayerRef<LambdaLayer> Lambda(LambdaFunction function, const LambdaOptions& options = {}) {
  return make_layer<LambdaLayer>(std::move(function), options);
}

}  // namespace keras::layers
