// keras.activations: the functions (over keras::ops) and the registry of names.
#include "keras/activations.hpp"

#include <map>
#include <utility>

#include "keras/ops/manipulation.hpp"
#include "keras/ops/math.hpp"
#include "keras/ops/nn.hpp"

namespace keras::activations {

Tensor relu(const Tensor& x) { return ops::relu(x); }

// Keras's ReLU.static_call, step by step.
Tensor relu(const Tensor& x, const ReluOptions& o) {
  if (!x.defined()) throw ValueError("relu: the input tensor is undefined");
  const bool leaky = o.negative_slope != 0.0;
  if (leaky && !o.max_value && o.threshold == 0.0) return ops::leaky_relu(x, o.negative_slope);
  Tensor negative_part;
  if (leaky) negative_part = ops::relu(ops::add(ops::negative(x), o.threshold));
  bool clip_max = o.max_value.has_value();
  Tensor y;
  if (o.threshold != 0.0) {
    y = ops::where(ops::greater(x, o.threshold), x, 0.0);
  } else if (o.max_value == 6.0) {
    y = ops::relu6(x);
    clip_max = false;
  } else {
    y = ops::relu(x);
  }
  if (clip_max) y = ops::clip(y, 0.0, *o.max_value);
  if (leaky) y = ops::subtract(y, ops::multiply(o.negative_slope, negative_part));
  return y;
}

Tensor relu6(const Tensor& x) { return ops::relu6(x); }
Tensor leaky_relu(const Tensor& x) { return ops::leaky_relu(x, 0.2); }
Tensor leaky_relu(const Tensor& x, double negative_slope) { return ops::leaky_relu(x, negative_slope); }
Tensor elu(const Tensor& x) { return ops::elu(x, 1.0); }
Tensor elu(const Tensor& x, double alpha) { return ops::elu(x, alpha); }
Tensor selu(const Tensor& x) { return ops::selu(x); }
Tensor celu(const Tensor& x) { return celu(x, 1.0); }

Tensor celu(const Tensor& x, double alpha) {
  return ops::add(ops::maximum(x, 0.0),
                  ops::multiply(alpha, ops::expm1(ops::divide(ops::minimum(x, 0.0), alpha))));
}

Tensor gelu(const Tensor& x) { return ops::gelu(x, false); }
Tensor gelu(const Tensor& x, bool approximate) { return ops::gelu(x, approximate); }
Tensor sigmoid(const Tensor& x) { return ops::sigmoid(x); }
Tensor hard_sigmoid(const Tensor& x) { return ops::hard_sigmoid(x); }
Tensor legacy_hard_sigmoid(const Tensor& x) {
  return ops::minimum(ops::maximum(ops::add(ops::multiply(x, 0.2), 0.5), 0.0), 1.0);
}
Tensor log_sigmoid(const Tensor& x) { return ops::negative(ops::softplus(ops::negative(x))); }

Tensor sparse_sigmoid(const Tensor& x) {
  return ops::where(ops::less_equal(x, -1.0), 0.0,
                    ops::where(ops::greater_equal(x, 1.0), 1.0, ops::multiply(0.5, ops::add(x, 1.0))));
}

Tensor silu(const Tensor& x) { return ops::silu(x); }
Tensor hard_silu(const Tensor& x) { return ops::multiply(x, ops::hard_sigmoid(x)); }
Tensor softplus(const Tensor& x) { return ops::softplus(x); }
Tensor softsign(const Tensor& x) { return ops::softsign(x); }

Tensor sparse_plus(const Tensor& x) {
  Tensor quadratic = ops::multiply(0.25, ops::square(ops::add(x, 1.0)));
  return ops::where(ops::less_equal(x, -1.0), 0.0, ops::where(ops::less(x, 1.0), quadratic, x));
}

Tensor squareplus(const Tensor& x) { return squareplus(x, 4.0); }

Tensor squareplus(const Tensor& x, double b) {
  return ops::divide(ops::add(x, ops::sqrt(ops::add(ops::square(x), b))), 2.0);
}

Tensor softmax(const Tensor& x) { return ops::softmax(x, -1); }
Tensor softmax(const Tensor& x, std::int64_t axis) { return ops::softmax(x, axis); }
Tensor log_softmax(const Tensor& x) { return ops::log_softmax(x, -1); }
Tensor log_softmax(const Tensor& x, std::int64_t axis) { return ops::log_softmax(x, axis); }
Tensor tanh(const Tensor& x) { return ops::tanh(x); }
Tensor tanh_shrink(const Tensor& x) { return ops::subtract(x, ops::tanh(x)); }
Tensor hard_tanh(const Tensor& x) { return ops::clip(x, -1.0, 1.0); }
Tensor soft_shrink(const Tensor& x) { return soft_shrink(x, 0.5); }

Tensor soft_shrink(const Tensor& x, double threshold) {
  return ops::where(ops::greater(x, threshold), ops::subtract(x, threshold),
                    ops::where(ops::less(x, -threshold), ops::add(x, threshold), 0.0));
}

Tensor hard_shrink(const Tensor& x) { return hard_shrink(x, 0.5); }

Tensor hard_shrink(const Tensor& x, double threshold) {
  return ops::where(ops::greater(ops::abs(x), threshold), x, 0.0);
}

Tensor glu(const Tensor& x) { return glu(x, -1); }

Tensor glu(const Tensor& x, std::int64_t axis) {
  if (!x.defined()) throw ValueError("glu: the input tensor is undefined");
  const std::int64_t size = x.dim(axis);
  if (size % 2 != 0) {
    throw ValueError("axis size must be divisible by 2. Received: x.shape=" + shape_str(x.shape()) +
                     " with axis=" + std::to_string(axis));
  }
  const std::vector<Tensor> halves = ops::split(x, 2, axis);
  return ops::multiply(halves[0], ops::sigmoid(halves[1]));
}

Tensor exponential(const Tensor& x) { return ops::exp(x); }
Tensor mish(const Tensor& x) { return ops::multiply(x, ops::tanh(ops::softplus(x))); }

Tensor linear(const Tensor& x) {
  if (!x.defined()) throw ValueError("linear: the input tensor is undefined");
  return x;
}

namespace {

// Keras 3's ALL_OBJECTS_DICT: each function under its own name, plus the aliases.
const std::map<std::string, ActivationPointer, std::less<>>& registry() {
  static const std::map<std::string, ActivationPointer, std::less<>> table = {
      {"relu", &relu},
      {"relu6", &relu6},
      {"leaky_relu", &leaky_relu},
      {"elu", &elu},
      {"selu", &selu},
      {"celu", &celu},
      {"gelu", &gelu},
      {"sigmoid", &sigmoid},
      {"hard_sigmoid", &hard_sigmoid},
      {"legacy_hard_sigmoid", &legacy_hard_sigmoid},
      {"log_sigmoid", &log_sigmoid},
      {"sparse_sigmoid", &sparse_sigmoid},
      {"silu", &silu},
      {"swish", &silu},
      {"hard_silu", &hard_silu},
      {"hard_swish", &hard_silu},
      {"softplus", &softplus},
      {"softsign", &softsign},
      {"sparse_plus", &sparse_plus},
      {"squareplus", &squareplus},
      {"softmax", &softmax},
      {"log_softmax", &log_softmax},
      {"tanh", &tanh},
      {"tanh_shrink", &tanh_shrink},
      {"hard_tanh", &hard_tanh},
      {"soft_shrink", &soft_shrink},
      {"hard_shrink", &hard_shrink},
      {"glu", &glu},
      {"exponential", &exponential},
      {"mish", &mish},
      {"linear", &linear},
  };
  return table;
}

// The name Keras serializes a built-in under: its function's own name, so aliases
// ("swish") resolve to it ("silu").
std::string canonical_name(ActivationPointer fn) {
  static const std::map<ActivationPointer, std::string> by_pointer = [] {
    std::map<ActivationPointer, std::string> m;
    for (const auto& [name, ptr] : registry()) {
      if (name != "swish" && name != "hard_swish") m[ptr] = name;
    }
    return m;
  }();
  const auto it = by_pointer.find(fn);
  return it == by_pointer.end() ? std::string() : it->second;
}

[[noreturn]] void unknown(const nlohmann::json& identifier) {
  throw ValueError("Could not interpret activation function identifier: " +
                   (identifier.is_string() ? identifier.get<std::string>() : identifier.dump()));
}

// The built-in a name or dict identifier refers to; null means linear.
ActivationPointer lookup(const nlohmann::json& identifier) {
  if (identifier.is_null()) return &linear;
  const nlohmann::json* name = &identifier;
  // serialize_keras_object's form of a function: {"class_name": "function", "config": name}.
  if (identifier.is_object()) {
    const auto config = identifier.find("config");
    if (identifier.value("class_name", "") != "function" || config == identifier.end()) unknown(identifier);
    name = &*config;
  }
  if (!name->is_string()) unknown(identifier);
  const auto it = registry().find(name->get<std::string>());
  if (it == registry().end()) unknown(identifier);
  return it->second;
}

}  // namespace

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& entry : registry()) out.push_back(entry.first);
  return out;
}

Activation get(const nlohmann::json& identifier) { return lookup(identifier); }

ActivationArg::ActivationArg() : ActivationArg(&linear) {}

ActivationArg::ActivationArg(const char* name) : ActivationArg(lookup(nlohmann::json(name))) {}

ActivationArg::ActivationArg(const std::string& name) : ActivationArg(lookup(nlohmann::json(name))) {}

ActivationArg::ActivationArg(ActivationPointer fn) : name_(canonical_name(fn)), fn_(fn) {
  if (fn == nullptr) throw ValueError("An activation function pointer is null");
}

nlohmann::json serialize(const ActivationArg& activation) {
  if (activation.name().empty()) {
    throw ValueError(
        "A C++ callable activation cannot be serialized: only Keras's built-in activations "
        "(given by name or as keras::activations::<name>) have a name to save");
  }
  return activation.name();
}

ActivationArg deserialize(const nlohmann::json& config) { return ActivationArg(lookup(config)); }

}  // namespace keras::activations
