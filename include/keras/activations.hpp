#pragma once
// Activation functions by name (keras.activations). Each is a plain function of one tensor
// (with Keras's defaults); the forms with extra arguments are overloads. Built on keras::ops,
// so differentiable.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::activations {

using Activation = std::function<Tensor(const Tensor&)>;
using ActivationPointer = Tensor (*)(const Tensor&);

struct ReluOptions {
  double negative_slope = 0.0;     // slope below the threshold
  std::optional<double> max_value;  // saturation value (None: no upper bound)
  double threshold = 0.0;          // values up to it are 0 (or follow negative_slope)
};
Tensor relu(const Tensor& x);
Tensor relu(const Tensor& x, const ReluOptions& options);
Tensor relu6(const Tensor& x);
Tensor leaky_relu(const Tensor& x);  // negative_slope 0.2
Tensor leaky_relu(const Tensor& x, double negative_slope);
Tensor elu(const Tensor& x);  // alpha 1
Tensor elu(const Tensor& x, double alpha);
Tensor selu(const Tensor& x);
Tensor celu(const Tensor& x);  // alpha 1
Tensor celu(const Tensor& x, double alpha);
// keras.activations.gelu defaults to the exact erf form (keras.ops.gelu to the tanh one).
Tensor gelu(const Tensor& x);
Tensor gelu(const Tensor& x, bool approximate);
Tensor sigmoid(const Tensor& x);
Tensor hard_sigmoid(const Tensor& x);
// Keras 1 and 2's hard_sigmoid, clip(0.2 x + 0.5, 0, 1) (Keras 3's is relu6(x + 3) / 6).
// Not a Keras 3 name: loading a Keras 1/2 file maps its "hard_sigmoid" here so that the
// model predicts what it did there; Python Keras 3 needs it as a custom object.
Tensor legacy_hard_sigmoid(const Tensor& x);
Tensor log_sigmoid(const Tensor& x);
Tensor sparse_sigmoid(const Tensor& x);
Tensor silu(const Tensor& x);  // also "swish"
Tensor hard_silu(const Tensor& x);  // also "hard_swish"
Tensor softplus(const Tensor& x);
Tensor softsign(const Tensor& x);
Tensor sparse_plus(const Tensor& x);
Tensor squareplus(const Tensor& x);  // b 4
Tensor squareplus(const Tensor& x, double b);
Tensor softmax(const Tensor& x);  // axis -1
Tensor softmax(const Tensor& x, std::int64_t axis);
Tensor log_softmax(const Tensor& x);  // axis -1
Tensor log_softmax(const Tensor& x, std::int64_t axis);
Tensor tanh(const Tensor& x);
Tensor tanh_shrink(const Tensor& x);
Tensor hard_tanh(const Tensor& x);
Tensor soft_shrink(const Tensor& x);  // threshold 0.5
Tensor soft_shrink(const Tensor& x, double threshold);
Tensor hard_shrink(const Tensor& x);  // threshold 0.5
Tensor hard_shrink(const Tensor& x, double threshold);
Tensor glu(const Tensor& x);  // axis -1
Tensor glu(const Tensor& x, std::int64_t axis);
Tensor exponential(const Tensor& x);
Tensor mish(const Tensor& x);
Tensor linear(const Tensor& x);

// Every name get() accepts, aliases included.
std::vector<std::string> names();

// keras.activations.get: the function for a name, or for Keras's dict form
// {"class_name": "function", "config": "<name>", ...}; null gives linear, as Keras's None.
// Unknown names raise ValueError "Could not interpret activation function identifier: <name>".
Activation get(const nlohmann::json& identifier);

// What a layer's `activation` argument holds: a Keras name, a built-in function
// (activations::relu, ...), or any C++ callable Tensor(const Tensor&). Default-constructed
// (or from nullptr) it is "linear", as Keras's None. Built-ins keep their Keras name, with
// aliases resolved as Keras does ("swish" is "silu").
class ActivationArg {
 public:
  ActivationArg();
  ActivationArg(std::nullptr_t) : ActivationArg() {}  // NOLINT(google-explicit-constructor)
  ActivationArg(const char* name);  // NOLINT(google-explicit-constructor)
  ActivationArg(const std::string& name);  // NOLINT(google-explicit-constructor)
  // A function pointer; overloaded built-ins such as activations::relu resolve to their
  // one-argument form here.
  ActivationArg(ActivationPointer fn);  // NOLINT(google-explicit-constructor)
  template <class F>
    requires(!std::convertible_to<F, std::string> && !std::is_pointer_v<std::decay_t<F>> &&
             !std::same_as<std::remove_cvref_t<F>, ActivationArg> &&
             std::is_invocable_r_v<Tensor, F&, const Tensor&>)
  ActivationArg(F fn)  // NOLINT(google-explicit-constructor)
      : fn_(Activation(std::move(fn))) {}

  // The Keras name of a built-in ("relu"); empty for another callable.
  const std::string& name() const { return name_; }
  bool is_linear() const { return name_ == "linear"; }
  const Activation& function() const { return fn_; }
  Tensor operator()(const Tensor& x) const { return fn_(x); }

 private:
  std::string name_;
  Activation fn_;
};

// keras.activations.serialize: the name of a built-in ("relu"), as Keras stores it in a
// layer's config. A C++ callable without a name raises ValueError (it cannot be saved).
nlohmann::json serialize(const ActivationArg& activation);
// The ActivationArg a config holds (a name or Keras's dict form; null gives linear).
ActivationArg deserialize(const nlohmann::json& config);

}  // namespace keras::activations
