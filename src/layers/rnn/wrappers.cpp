// The wrappers Bidirectional and TimeDistributed (Keras's layers/rnn/bidirectional.py and
// layers/rnn/time_distributed.py).
#include "keras/layer_registry.hpp"
#include "keras/layers/recurrent.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"
#include "utils/object_config.hpp"

namespace keras::layers {

namespace {

json serialize_layer(const Layer& layer) {
  return detail::keras_object("keras.layers", layer.class_name(), layer.get_config());
}

LayerPtr deserialize_layer(const json& config) {
  const auto id = detail::parse_object_dict(config, "layer");
  return layer_from_config(id.class_name, id.config);
}

std::string without_prefix(const std::string& name, const std::string& prefix) {
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

// A fresh copy of `layer` (named `name`) from its config, renamed `<prefix><name>`, as Keras's
// Bidirectional makes its forward (and default backward) layer.
LayerPtr renamed_copy(const Layer& layer, const std::string& name, const std::string& prefix, bool flip_go_backwards) {
  json config = layer.get_config();
  config["name"] = prefix + without_prefix(name, prefix);
  if (flip_go_backwards) config["go_backwards"] = !config.value("go_backwards", false);
  return layer_from_config(layer.class_name(), config);
}

std::string python_bool(bool value) { return value ? "True" : "False"; }

void check_same_flag(const json& forward, const json& backward, const std::string& key) {
  const bool f = forward.value(key, false);
  const bool b = backward.value(key, false);
  if (f != b) {
    throw ValueError("Forward layer and backward layer are expected to have the same value for attribute `" + key +
                     "`, got `" + python_bool(f) + "` for forward layer and `" + python_bool(b) +
                     "` for backward layer");
  }
}

// Timestep t of (batch, time, ...): (batch, ...).
Tensors timesteps_of(const Tensor& x) {
  const std::int64_t steps = x.dim(1);
  Tensors pieces = steps == 1 ? Tensors{x} : ops::split(x, steps, 1);
  Shape shape = x.shape();
  shape.erase(shape.begin() + 1);
  for (auto& p : pieces) p = ops::reshape(p, shape);
  return pieces;
}

}  // namespace

// ---- Bidirectional ----------------------------------------------------------------------

BidirectionalLayer::BidirectionalLayer(const LayerPtr& layer, const BidirectionalOptions& options)
    : Layer(base_options(options)), merge_mode_(options.merge_mode) {
  if (!layer) throw ValueError("Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. Received: None");
  static const std::vector<std::string> modes = {"sum", "mul", "ave", "concat", "none"};
  if (std::find(modes.begin(), modes.end(), merge_mode_) == modes.end()) {
    throw ValueError("Invalid merge mode. Merge mode should be one of {\"sum\", \"mul\", \"ave\", \"concat\", None}. "
                     "Received: merge_mode=" + merge_mode_);
  }
  // Keras names a layer when it is made; here an unnamed one takes its automatic name now.
  const std::string name = layer->name().empty() ? unique_layer_name(to_snake_case(layer->class_name())) : layer->name();
  forward_ = renamed_copy(*layer, name, "forward_", false);
  backward_ = options.backward_layer ? options.backward_layer : renamed_copy(*layer, name, "backward_", true);
  const json forward_config = forward_->get_config();
  const json backward_config = backward_->get_config();
  const bool forward_backwards = forward_config.value("go_backwards", false);
  const bool backward_backwards = backward_config.value("go_backwards", false);
  if (forward_backwards == backward_backwards) {
    throw ValueError("Forward layer and backward layer should have different `go_backwards` value. Received: "
                     "forward_layer.go_backwards=" + python_bool(forward_backwards) +
                     ", backward_layer.go_backwards=" + python_bool(backward_backwards));
  }
  check_same_flag(forward_config, backward_config, "stateful");
  check_same_flag(forward_config, backward_config, "return_sequences");
  check_same_flag(forward_config, backward_config, "return_state");
  return_sequences_ = forward_config.value("return_sequences", false);
  return_state_ = forward_config.value("return_state", false);
  track(forward_, "forward_layer");
  track(backward_, "backward_layer");
  set_supports_masking(true);
}

void BidirectionalLayer::build(const std::vector<Shape>& input_shapes) {
  forward_->build_once({input_shapes.at(0)});
  backward_->build_once({input_shapes.at(0)});
}

Tensors BidirectionalLayer::call(const Tensors& inputs, const CallContext& context) {
  const Tensor& x = inputs.at(0);
  Tensors forward_inputs{x};
  Tensors backward_inputs{x};
  if (inputs.size() > 1) {
    // The forward layer's initial states, then the backward layer's.
    const std::size_t n = inputs.size() - 1;
    if (n % 2 != 0) {
      throw ValueError("When passing `initial_state` to a Bidirectional RNN, the state should be a list containing "
                       "the states of the underlying RNNs. Received " + std::to_string(n) + " state tensors.");
    }
    forward_inputs.insert(forward_inputs.end(), inputs.begin() + 1, inputs.begin() + 1 + static_cast<long>(n / 2));
    backward_inputs.insert(backward_inputs.end(), inputs.begin() + 1 + static_cast<long>(n / 2), inputs.end());
  }
  const Tensor mask = context.masks.empty() ? Tensor() : context.masks.front();
  auto args_for = [&](std::size_t n) {
    CallArgs args{.training = context.training, .mask = Tensors(n)};
    args.mask.front() = mask;
    return args;
  };
  const Outputs forward = (*forward_)(forward_inputs, args_for(forward_inputs.size()));
  const Outputs backward = (*backward_)(backward_inputs, args_for(backward_inputs.size()));
  const Tensor& y = forward.front();
  // The backward layer's sequence is in processing (reversed) order.
  const Tensor y_rev = return_sequences_ ? ops::flip(backward.front(), 1) : backward.front();
  Tensors results;
  if (merge_mode_ == "concat") {
    results = {ops::concatenate({y, y_rev}, -1)};
  } else if (merge_mode_ == "sum") {
    results = {ops::add(y, y_rev)};
  } else if (merge_mode_ == "ave") {
    results = {ops::multiply(ops::add(y, y_rev), 0.5)};
  } else if (merge_mode_ == "mul") {
    results = {ops::multiply(y, y_rev)};
  } else {
    results = {y, y_rev};
  }
  if (return_state_) {
    results.insert(results.end(), forward.begin() + 1, forward.end());
    results.insert(results.end(), backward.begin() + 1, backward.end());
  }
  return results;
}

Tensors BidirectionalLayer::compute_mask(const Tensors&, const Tensors& masks) {
  const Tensor mask = return_sequences_ && !masks.empty() ? masks.front() : Tensor();
  // One mask per merged output; the states (after them) carry none.
  return merge_mode_ == "none" ? Tensors{mask, mask} : Tensors{mask};
}

json BidirectionalLayer::get_config() const {
  json config = Layer::get_config();
  config["merge_mode"] = merge_mode_ == "none" ? json(nullptr) : json(merge_mode_);
  config["layer"] = serialize_layer(*forward_);
  config["backward_layer"] = serialize_layer(*backward_);
  return config;
}

LayerRef<BidirectionalLayer> BidirectionalLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "Bidirectional");
  BidirectionalOptions o;
  detail::set_base_options(o, c.base());
  // merge_mode null is Keras's None.
  o.merge_mode = c.string({"merge_mode"}, config.contains("merge_mode") ? "none" : "concat");
  const json* layer = c.find({"layer"});
  if (layer == nullptr) throw ValueError("Bidirectional.from_config: the config has no 'layer'. Config: " + config.dump());
  if (const json* backward = c.find({"backward_layer"})) o.backward_layer = deserialize_layer(*backward);
  return Bidirectional(deserialize_layer(*layer), o);
}

// ---- TimeDistributed --------------------------------------------------------------------

namespace {

void check_time_distributed_shape(const Shape& shape) {
  if (shape.size() < 3) {
    throw ValueError("`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, "
                     "received: " + shape_str(shape));
  }
}

}  // namespace

TimeDistributedLayer::TimeDistributedLayer(LayerPtr layer, const TimeDistributedOptions& options)
    : Layer(base_options(options)), layer_(std::move(layer)) {
  if (!layer_) {
    throw ValueError("Please initialize `TimeDistributed` layer with a `keras.layers.Layer` instance. Received: None");
  }
  track(layer_, "layer");
  set_supports_masking(true);
}

void TimeDistributedLayer::build(const std::vector<Shape>& input_shapes) {
  Shape child = input_shapes.at(0);
  check_time_distributed_shape(child);
  child.erase(child.begin() + 1);
  layer_->build_once({child});
}

Tensors TimeDistributedLayer::call(const Tensors& inputs, const CallContext& context) {
  const Tensor& x = detail::single_input(*this, inputs);
  check_time_distributed_shape(x.shape());
  const Tensor mask = context.masks.empty() ? Tensor() : context.masks.front();
  if (mask.defined() && (mask.ndim() < 2 || mask.dim(0) != x.dim(0) || mask.dim(1) != x.dim(1))) {
    throw ValueError("`TimeDistributed` Layer should be passed a `mask` of shape (" + std::to_string(x.dim(0)) +
                     ", " + std::to_string(x.dim(1)) + ", ...), received: mask.shape=" + shape_str(mask.shape()));
  }
  const Tensors steps = timesteps_of(x);
  const Tensors step_masks = mask.defined() && layer_->supports_masking() ? timesteps_of(mask) : Tensors();
  Tensors outputs;
  for (std::size_t t = 0; t < steps.size(); ++t) {
    // As Keras: the wrapped layer's call itself, with the step's mask when it takes one.
    const CallContext step_context{.training = context.training,
                                   .masks = {step_masks.empty() ? Tensor() : step_masks[t]}};
    outputs.push_back(layer_->call({steps[t]}, step_context).at(0));
  }
  return {ops::stack(outputs, 1)};
}

json TimeDistributedLayer::get_config() const {
  json config = Layer::get_config();
  config["layer"] = serialize_layer(*layer_);
  return config;
}

LayerRef<TimeDistributedLayer> TimeDistributedLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "TimeDistributed");
  TimeDistributedOptions o;
  detail::set_base_options(o, c.base());
  const json* layer = c.find({"layer"});
  if (layer == nullptr) {
    throw ValueError("TimeDistributed.from_config: the config has no 'layer'. Config: " + config.dump());
  }
  return TimeDistributed(deserialize_layer(*layer), o);
}

}  // namespace keras::layers
