#include "keras/layer.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <regex>
#include <unordered_map>

#include "graph/node.hpp"
#include "graph/symbolic.hpp"
#include "keras/input.hpp"
#include "keras/ops.hpp"

namespace keras {

namespace {

std::mutex g_names_mutex;
std::unordered_map<std::string, int> g_name_counts;

// How deep in nested layer calls this thread is, and the enclosing call's training flag.
thread_local int g_call_depth = 0;
thread_local bool g_training = false;

class CallScope {
 public:
  explicit CallScope(bool training) : saved_training_(g_training) {
    ++g_call_depth;
    g_training = training;
  }
  ~CallScope() {
    --g_call_depth;
    g_training = saved_training_;
  }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  bool saved_training_;
};

std::vector<Shape> shapes_of(const Tensors& tensors) {
  std::vector<Shape> shapes;
  for (const auto& t : tensors) shapes.push_back(t.defined() ? t.shape() : Shape{});
  return shapes;
}

Tensors masks_of(const Tensors& inputs, const CallArgs& args) {
  if (!args.mask.empty()) {
    if (args.mask.size() != inputs.size()) {
      throw ValueError("Expected one mask per input: got " + std::to_string(args.mask.size()) +
                       " masks for " + std::to_string(inputs.size()) + " inputs");
    }
    return args.mask;
  }
  Tensors masks;
  for (const auto& t : inputs) masks.push_back(t.defined() ? get_keras_mask(t) : Tensor());
  return masks;
}

bool any_defined(const Tensors& tensors) {
  return std::any_of(tensors.begin(), tensors.end(), [](const Tensor& t) { return t.defined(); });
}

}  // namespace

const Tensor& Outputs::single() const {
  if (size() != 1) {
    throw ValueError("Expected a single output tensor, but the layer returned " +
                     std::to_string(size()) + " outputs");
  }
  return front();
}

Outputs::operator Tensor() const { return single(); }

// Keras's to_snake_case, regex for regex ("Conv2DTranspose" -> "conv2d_transpose").
std::string to_snake_case(const std::string& class_name) {
  static const std::regex non_word(R"(\W+)");
  static const std::regex word("(.)([A-Z][a-z]+)");
  static const std::regex lower_upper("([a-z])([A-Z])");
  std::string name = std::regex_replace(class_name, non_word, "");
  name = std::regex_replace(name, word, "$1_$2");
  name = std::regex_replace(name, lower_upper, "$1_$2");
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string unique_layer_name(const std::string& base) {
  std::lock_guard<std::mutex> lock(g_names_mutex);
  const int n = g_name_counts[base]++;
  return n == 0 ? base : base + "_" + std::to_string(n);
}

namespace ops {
void clear_session() {
  std::lock_guard<std::mutex> lock(g_names_mutex);
  g_name_counts.clear();
}
}  // namespace ops

Layer::Layer(const LayerOptions& options)
    : name_(options.name),
      trainable_(options.trainable),
      dtype_(options.dtype.value_or(floatx())),
      input_shape_(options.input_shape),
      batch_size_(options.batch_size) {}

Layer::~Layer() = default;

Outputs Layer::operator()(const Tensor& inputs, const CallArgs& args) {
  if (!inputs.defined()) throw ValueError("Layer '" + name() + "' was called on an undefined tensor");
  return graph::is_symbolic(inputs) ? call_symbolic({inputs}, args, false) : call_eager({inputs}, args, false);
}

Outputs Layer::operator()(const Tensors& inputs, const CallArgs& args) {
  return graph::any_symbolic(inputs) ? call_symbolic(inputs, args, true) : call_eager(inputs, args, true);
}

Outputs Layer::operator()(std::initializer_list<Tensor> inputs, const CallArgs& args) {
  return (*this)(Tensors(inputs), args);
}

void Layer::build(const std::vector<Shape>&) {}

std::optional<std::vector<Shape>> Layer::declared_output_shape(const std::vector<Shape>&) const {
  return std::nullopt;
}

std::vector<Shape> Layer::compute_output_shape(const std::vector<Shape>& input_shapes) {
  if (auto declared = declared_output_shape(input_shapes)) return *declared;
  Tensors inputs;
  for (const auto& s : input_shapes) inputs.push_back(graph::make_symbolic(s, dtype_, nullptr));
  build_once(input_shapes);
  const auto inferred = graph::infer(inputs, Tensors(inputs.size()), [&](const Tensors& in, const Tensors&) {
    return std::pair<Tensors, Tensors>{call(in, CallContext{.masks = Tensors(in.size())}), {}};
  });
  std::vector<Shape> shapes;
  for (const auto& spec : inferred.outputs) shapes.push_back(spec.shape);
  return shapes;
}

Tensors Layer::compute_mask(const Tensors&, const Tensors& masks) {
  if (!supports_masking_ || masks.empty()) return {};
  return {masks[0]};
}

json Layer::get_config() const {
  json config = {{"name", name_}, {"trainable", trainable_}, {"dtype", std::string(dtype_name(dtype_))}};
  if (const auto shape = batch_input_shape()) {
    json dims = json::array();
    for (auto d : *shape) dims.push_back(d < 0 ? json(nullptr) : json(d));
    config["batch_input_shape"] = dims;
  }
  return config;
}

void Layer::set_trainable(bool trainable) {
  trainable_ = trainable;
  for (auto& layer : sublayers_) layer->set_trainable(trainable);
}

void Layer::build_once(const std::vector<Shape>& input_shapes) {
  if (built_) return;
  if (name_.empty()) name_ = unique_layer_name(to_snake_case(class_name()));
  // Weights are real even when the first call is a shape-only probe.
  DeviceScope real(graph::real_device());
  build(input_shapes);
  build_shapes_ = input_shapes;
  built_ = true;
}

Outputs Layer::call_symbolic(const Tensors& inputs, const CallArgs& args, bool list_input) {
  if (name_.empty()) name_ = unique_layer_name(to_snake_case(class_name()));
  std::shared_ptr<Layer> self;
  try {
    self = shared_from_this();
  } catch (const std::bad_weak_ptr&) {
    throw ValueError("Layer '" + name_ + "' is not held by a shared pointer, so it cannot be part of a "
                     "functional graph; create it with keras::make_layer<" + class_name() + ">(...)");
  }
  const Tensors masks = masks_of(inputs, args);
  if (any_defined(masks) && !supports_masking_) {
    throw TypeError("Layer '" + name_ + "' does not support masking, but was passed an input_mask");
  }
  build_once(shapes_of(inputs));
  const bool training = args.training.value_or(false);
  auto inferred = graph::infer(inputs, masks, [&](const Tensors& in, const Tensors& in_masks) {
    CallScope scope(training);
    const CallContext context{.training = training, .masks = in_masks};
    Tensors outs = call(in, context);
    return std::pair<Tensors, Tensors>{outs, compute_mask(in, in_masks)};
  });
  if (const auto declared = declared_output_shape(shapes_of(inputs))) {
    if (declared->size() != inferred.outputs.size()) {
      throw ValueError("Layer '" + name_ + "' declares " + std::to_string(declared->size()) +
                       " output shapes but returns " + std::to_string(inferred.outputs.size()) + " outputs");
    }
    for (std::size_t i = 0; i < declared->size(); ++i) inferred.outputs[i].shape = (*declared)[i];
  }

  auto node = std::make_shared<detail::Node>();
  node->layer = self;
  node->inputs = inputs;
  node->list_input = list_input;
  node->training = args.training;
  node->explicit_masks = args.mask;
  Outputs outputs;
  for (std::size_t i = 0; i < inferred.outputs.size(); ++i) {
    auto history = std::make_shared<const detail::KerasHistory>(detail::KerasHistory{node, i});
    Tensor out = graph::make_symbolic(inferred.outputs[i].shape, inferred.outputs[i].dtype, history);
    if (const auto& m = inferred.masks[i]) out = with_keras_mask(out, graph::make_symbolic(m->shape, m->dtype, nullptr));
    node->output_ids.push_back(out.id());
    node->output_shapes.push_back(out.shape());
    node->output_dtypes.push_back(out.dtype());
    outputs.push_back(out);
  }
  nodes_.push_back(node);
  return outputs;
}

Outputs Layer::call_eager(const Tensors& inputs, const CallArgs& args, bool) {
  const Tensors masks = masks_of(inputs, args);
  build_once(shapes_of(inputs));
  // The outermost call starts a fresh set of add_loss terms (Keras's entry layer).
  if (g_call_depth == 0 && !graph::probing()) clear_losses();
  const bool training = args.training.value_or(g_training);
  CallScope scope(training);
  Tensors outs = call(inputs, CallContext{.training = training, .masks = masks});
  const Tensors out_masks = compute_mask(inputs, masks);
  // Outputs carry exactly the masks compute_mask gave (an identity layer's output must
  // not keep its input's mask unless the layer passes it on).
  for (std::size_t i = 0; i < outs.size(); ++i) {
    const Tensor mask = i < out_masks.size() ? out_masks[i] : Tensor();
    if (outs[i].defined() && (mask.defined() || get_keras_mask(outs[i]).defined())) {
      outs[i] = with_keras_mask(outs[i], mask);
    }
  }
  return Outputs(std::move(outs));
}

Variable Layer::add_weight(const std::string& name, const Shape& shape, const WeightOptions& options) {
  const DType dtype = options.dtype.value_or(dtype_);
  if (!options.initializer) throw ValueError("add_weight('" + name + "') needs an initializer");
  Variable v(options.initializer(shape, dtype), VariableOptions{.name = name, .trainable = options.trainable});
  weights_.push_back(v);
  if (const auto& r = options.regularizer.ptr()) regularized_.emplace_back(v, r);
  if (const auto& c = options.constraint.ptr()) constrained_.emplace_back(v, c);
  return v;
}

std::vector<Variable> Layer::weights() const {
  std::vector<Variable> all = weights_;
  for (const auto& layer : sublayers_) {
    for (auto& w : layer->weights()) {
      const bool seen = std::any_of(all.begin(), all.end(), [&](const Variable& v) { return v.id() == w.id(); });
      if (!seen) all.push_back(w);
    }
  }
  return all;
}

namespace {

void append_unique(std::vector<Variable>& out, const std::vector<Variable>& more) {
  for (const auto& w : more) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const Variable& v) { return v.id() == w.id(); });
    if (!seen) out.push_back(w);
  }
}

}  // namespace

// As Keras: a frozen layer's weights are all non-trainable, its sub-layers' included.
std::vector<Variable> Layer::trainable_weights() const {
  if (!trainable_) return {};
  std::vector<Variable> out;
  for (const auto& w : weights_) {
    if (w.trainable()) out.push_back(w);
  }
  for (const auto& layer : sublayers_) append_unique(out, layer->trainable_weights());
  return out;
}

std::vector<Variable> Layer::non_trainable_weights() const {
  if (!trainable_) return weights();
  std::vector<Variable> out;
  for (const auto& w : weights_) {
    if (!w.trainable()) out.push_back(w);
  }
  for (const auto& layer : sublayers_) append_unique(out, layer->non_trainable_weights());
  return out;
}

Tensors Layer::get_weights() const {
  Tensors values;
  for (const auto& w : weights()) values.push_back(w.value());
  return values;
}

void Layer::set_weights(const Tensors& values) {
  auto ws = weights();
  if (values.size() != ws.size()) {
    throw ValueError("You called `set_weights(weights)` on layer '" + name_ + "' with a weight list of length " +
                     std::to_string(values.size()) + ", but the layer was expecting " +
                     std::to_string(ws.size()) + " weights.");
  }
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (values[i].shape() != ws[i].shape()) {
      throw ValueError("Layer " + name_ + " weight shape " + shape_str(ws[i].shape()) +
                       " is not compatible with provided weight shape " + shape_str(values[i].shape()) + ".");
    }
    ws[i].assign(values[i]);
  }
}

void Layer::add_loss(const Tensor& loss) {
  // Shape-only runs produce no loss values.
  if (graph::probing() || graph::is_symbolic(loss)) return;
  losses_.push_back(loss);
}

Tensors Layer::losses() const {
  Tensors all = losses_;
  for (const auto& [v, r] : regularized_) all.push_back((*r)(v.value()));
  for (const auto& layer : sublayers_) {
    for (auto& l : layer->losses()) all.push_back(l);
  }
  return all;
}

void Layer::clear_losses() {
  losses_.clear();
  for (auto& layer : sublayers_) layer->clear_losses();
}

void Layer::track_layer(std::shared_ptr<Layer> layer, const std::string& attribute) {
  if (!layer) throw ValueError("Layer '" + name_ + "' cannot track a null layer");
  sublayers_.push_back(std::move(layer));
  sublayer_attributes_.push_back(attribute);
}

std::vector<std::shared_ptr<detail::Node>> Layer::inbound_nodes() const {
  std::vector<std::shared_ptr<detail::Node>> out;
  for (const auto& n : nodes_) {
    if (auto node = n.lock()) out.push_back(node);
  }
  return out;
}

namespace {

Tensor node_tensor(const Layer& layer, bool output) {
  const auto nodes = layer.inbound_nodes();
  if (nodes.empty()) {
    throw ValueError("The layer " + layer.name() + " has never been called and thus has no defined " +
                     (output ? "output." : "input."));
  }
  const auto& node = nodes.front();
  const std::size_t n = output ? node->output_ids.size() : node->inputs.size();
  if (n != 1) {
    throw ValueError("Layer " + layer.name() + " has " + std::to_string(n) + (output ? " outputs" : " inputs") +
                     "; read them from its inbound_nodes()");
  }
  return output ? detail::node_output(node, 0) : node->inputs.front();
}

}  // namespace

Tensor Layer::input() const { return node_tensor(*this, false); }
Tensor Layer::output() const { return node_tensor(*this, true); }

std::optional<Shape> Layer::batch_input_shape() const {
  if (input_shape_.empty() && !batch_size_) return std::nullopt;
  Shape shape{batch_size_.value_or(kUnknownDim)};
  shape.insert(shape.end(), input_shape_.begin(), input_shape_.end());
  return shape;
}

}  // namespace keras
