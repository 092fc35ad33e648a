#include "saving/serialization.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "graph/functional.hpp"
#include "graph/node.hpp"
#include "graph/symbolic.hpp"
#include "keras/input.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/sequential.hpp"
#include "layers/core/layer_config.hpp"
#include "saving/registry.hpp"

namespace keras {

// The saving code's access to a model's graph.
struct ModelAccess {
  static const graph::Functional* graph(const Model& model) { return model.graph(); }
  static bool named_io(const Model& model) { return model.named_io_; }
};

}  // namespace keras

namespace keras::saving::detail {

namespace {

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

json shape_json(const Shape& shape) { return keras::detail::shape_to_json(shape); }

bool is_functional_class(const Layer& layer) {
  const auto* model = dynamic_cast<const Model*>(&layer);
  return model != nullptr && model->is_functional() && model->class_name() == "Functional";
}

json build_config(const Layer& layer) {
  const auto& shapes = LayerAccess::build_shapes(layer);
  if (shapes.size() == 1) return {{"input_shape", shape_json(shapes.front())}};
  json list = json::array();
  for (const auto& s : shapes) list.push_back(shape_json(s));
  return {{"input_shape", list}};
}

// A custom layer's config, or ValueError when the class cannot be rebuilt from it.
json layer_config(const Layer& layer) {
  if (const auto* lambda = dynamic_cast<const layers::LambdaLayer*>(&layer)) {
    if (lambda->options().function_name.empty()) {
      throw ValueError("Cannot save Lambda layer '" + layer.name() +
                       "': its function has no name. Give LambdaOptions::function_name and register the function "
                       "with keras::saving::register_function(name, fn) so that loading can find it.");
    }
  }
  return layer.get_config();
}

json serialize_layer(const Layer& layer, Dialect dialect) {
  if (const auto* model = dynamic_cast<const Model*>(&layer); model && (model->is_functional() ||
                                                                        dynamic_cast<const Sequential*>(model))) {
    return serialize_model(*model, dialect);
  }
  const std::string class_name = layer.class_name();
  const bool builtin = is_builtin_layer_class(class_name) || class_name == "Lambda";
  if (!builtin && !is_registered_layer_class(class_name)) {
    throw ValueError("Cannot save layer '" + layer.name() + "' of class '" + class_name +
                     "': the class is not registered, so a load could not rebuild it. Register it with "
                     "keras::register_layer_class(\"" + class_name + "\", factory) and give it a get_config().");
  }
  json out;
  if (dialect == Dialect::keras3) out["module"] = builtin ? "keras.layers" : "keras_cpp";
  out["class_name"] = class_name;
  out["config"] = layer_config(layer);
  if (dialect == Dialect::keras3) {
    out["registered_name"] = builtin ? json(nullptr) : json(class_name);
    if (layer.built() && !LayerAccess::build_shapes(layer).empty() && class_name != "InputLayer") {
      out["build_config"] = build_config(layer);
    }
  }
  return out;
}

// The model's own nodes, and each node's index among its layer's nodes that belong to
// this model (Keras's node re-indexing: nodes of other models do not count).
struct NodeIndex {
  std::unordered_set<const keras::detail::Node*> own;
  std::unordered_map<const keras::detail::Node*, int> index;
};

NodeIndex index_nodes(const graph::Functional& graph) {
  NodeIndex out;
  for (const auto& node : graph.nodes()) out.own.insert(node.get());
  for (const auto& layer : graph.layers()) {
    int kept = 0;
    for (const auto& node : layer->inbound_nodes()) {
      if (out.own.count(node.get())) out.index[node.get()] = kept++;
    }
  }
  return out;
}

const keras::detail::KerasHistory& history_of(const Tensor& t) { return *t.impl()->keras_history; }

json keras_tensor(const Tensor& t, const NodeIndex& nodes, const Layer& consumer) {
  if (!graph::is_symbolic(t) || !t.impl()->keras_history || !t.impl()->keras_history->node) {
    throw ValueError("Cannot save the call of layer '" + consumer.name() +
                     "': one of its inputs is a constant tensor, which model configs cannot hold. Make it a "
                     "weight of a custom layer, or compute it in a registered Lambda function.");
  }
  const auto& h = history_of(t);
  return {{"class_name", "__keras_tensor__"},
          {"config",
           {{"shape", shape_json(t.shape())},
            {"dtype", std::string(dtype_name(t.dtype()))},
            {"keras_history", {h.node->layer->name(), nodes.index.at(h.node.get()), h.index}}}}};
}

// Keras 3's node form: {"args": [x] or [[x1, x2]], "kwargs": {...}}.
json serialize_node(const keras::detail::Node& node, const NodeIndex& nodes) {
  json tensors = json::array();
  for (const auto& t : node.inputs) tensors.push_back(keras_tensor(t, nodes, *node.layer));
  json kwargs = json::object();
  if (node.training) kwargs["training"] = *node.training;
  if (!node.explicit_masks.empty()) {
    json masks = json::array();
    for (const auto& m : node.explicit_masks) masks.push_back(m.defined() ? keras_tensor(m, nodes, *node.layer) : json(nullptr));
    kwargs["mask"] = masks.size() > 1 ? masks : masks.front();
  }
  // A list of one tensor (what passing a layer's Outputs gives) is written as the tensor,
  // as Keras, whose layers would not take a list of one.
  const bool list = node.list_input && tensors.size() > 1;
  return {{"args", json::array({list ? tensors : tensors.front()})}, {"kwargs", kwargs}};
}

json tensor_ref(const Tensor& t, const NodeIndex& nodes) {
  const auto& h = history_of(t);
  // A nested functional model's first call is node 1 here (Keras counts the model's own
  // input-to-output node first), and loaders subtract it again.
  const int offset = is_functional_class(*h.node->layer) ? 1 : 0;
  return json::array({h.node->layer->name(), nodes.index.at(h.node.get()) + offset, h.index});
}

json tensor_refs(const Tensors& tensors, const std::vector<std::string>& names, bool named, const NodeIndex& nodes) {
  if (named) {
    json out = json::object();
    for (std::size_t i = 0; i < tensors.size(); ++i) out[names[i]] = tensor_ref(tensors[i], nodes);
    return out;
  }
  if (tensors.size() == 1) return tensor_ref(tensors.front(), nodes);
  json out = json::array();
  for (const auto& t : tensors) out.push_back(tensor_ref(t, nodes));
  return out;
}

void check_serializable(const Layer& layer) {
  if (graph::is_op_layer(layer)) {
    throw ValueError("Cannot save the model: '" + layer.name() + "' is an op (" + layer.class_name() +
                     ") called on symbolic tensors, which keras-cpp cannot write to a config. Use a layer, or a "
                     "Lambda layer with a registered function, instead.");
  }
}

json functional_config(const Model& model, Dialect dialect) {
  const graph::Functional& graph = *ModelAccess::graph(model);
  const NodeIndex nodes = index_nodes(graph);
  json layers = json::array();
  for (const auto& layer : graph.layers()) {
    check_serializable(*layer);
    json entry = serialize_layer(*layer, dialect);
    json inbound = json::array();
    for (const auto& node : layer->inbound_nodes()) {
      if (nodes.own.count(node.get()) && !node->inputs.empty()) inbound.push_back(serialize_node(*node, nodes));
    }
    entry["name"] = layer->name();
    entry["inbound_nodes"] = inbound;
    layers.push_back(entry);
  }
  const bool named = ModelAccess::named_io(model);
  return {{"name", model.name()},
          {"trainable", model.trainable()},
          {"layers", layers},
          {"input_layers", tensor_refs(model.inputs(), model.input_names(), named, nodes)},
          {"output_layers", tensor_refs(model.outputs(), model.output_names(), named, nodes)}};
}

json sequential_config(const Sequential& model, Dialect dialect) {
  json layers = json::array();
  if (model.is_functional()) {
    const Tensor& input = model.inputs().front();
    layers.push_back(serialize_layer(*history_of(input).node->layer, dialect));
  }
  for (const auto& layer : model.layers()) layers.push_back(serialize_layer(*layer, dialect));
  json config = {{"name", model.name()},
                 {"trainable", model.trainable()},
                 {"dtype", std::string(dtype_name(model.dtype()))},
                 {"layers", layers}};
  if (model.is_functional()) config["build_input_shape"] = shape_json(model.inputs().front().shape());
  return config;
}

}  // namespace

json model_inner_config(const Model& model, Dialect dialect) {
  if (const auto* seq = dynamic_cast<const Sequential*>(&model)) return sequential_config(*seq, dialect);
  if (model.is_functional()) return functional_config(model, dialect);
  return model.Layer::get_config();
}

json serialize_model(const Model& model, Dialect dialect) {
  const bool sequential = dynamic_cast<const Sequential*>(&model) != nullptr;
  const bool functional = !sequential && model.is_functional() && model.class_name() == "Functional";
  if (!sequential && !functional && !is_registered_layer_class(model.class_name())) {
    throw ValueError("Cannot save model '" + model.name() + "' of class '" + model.class_name() +
                     "': a subclassed model is saved from its config, so register its class with "
                     "keras::register_layer_class and give it a get_config(), or save its weights with "
                     "save_weights().");
  }
  json out;
  if (dialect == Dialect::keras3) {
    out["module"] = sequential ? "keras" : functional ? "keras.src.models.functional" : "keras_cpp";
  }
  out["class_name"] = model.class_name();
  out["config"] = sequential || functional ? model_inner_config(model, dialect) : model.get_config();
  if (dialect == Dialect::keras3) {
    out["registered_name"] = sequential ? json(nullptr) : json(model.class_name());
    if (sequential && model.is_functional()) out["build_config"] = {{"input_shape", shape_json(model.inputs().front().shape())}};
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

LayerPtr ObjectScope::layer(const std::string& class_name, const std::string& registered_name,
                            const json& config) const {
  for (const auto& name : {registered_name, class_name}) {
    if (name.empty()) continue;
    if (const auto* factory = lookup(custom_.layers, name)) return (*factory)(config);
  }
  if (!registered_name.empty() && is_registered_layer_class(registered_name)) {
    return layer_from_config(registered_name, config);
  }
  if (!is_registered_layer_class(class_name) && is_registered_layer_class(short_name(class_name))) {
    return layer_from_config(short_name(class_name), config);
  }
  return layer_from_config(class_name, config);
}

layers::LambdaFunction ObjectScope::function(const std::string& name, const std::string& layer_name) const {
  for (const auto& key : {name, layer_name}) {
    if (key.empty()) continue;
    if (const auto* fn = lookup(custom_.functions, key)) return *fn;
    if (auto fn = registered_function(key)) return *fn;
  }
  const std::string what = name.empty() ? "its Python lambda" : "its function '" + name + "'";
  throw ValueError("Cannot load Lambda layer '" + layer_name + "': " + what +
                   " is not registered. keras-cpp never runs code from a model file: register a C++ function under '" +
                   (name.empty() ? layer_name : name) +
                   "' with keras::saving::register_function, or pass it in custom_objects.functions.");
}

std::optional<losses::LossArg> ObjectScope::loss(const std::string& name) const {
  if (const auto* l = lookup(custom_.losses, name)) return *l;
  // A registered loss stays a name, which compile() resolves and a later save writes again.
  if (registered_loss(name)) return losses::LossArg(name);
  return std::nullopt;
}

std::optional<metrics::MetricArg> ObjectScope::metric(const std::string& name) const {
  if (const auto* m = lookup(custom_.metrics, name)) return *m;
  if (registered_metric(name)) return metrics::MetricArg(name);
  return std::nullopt;
}

namespace {

[[noreturn]] void bad_config(const std::string& what) { throw ValueError("Invalid model config: " + what); }

const json& member(const json& object, const std::string& key, const std::string& where) {
  if (!object.is_object() || !object.contains(key)) bad_config(where + " has no '" + key + "'");
  return object.at(key);
}

std::string string_member(const json& object, const std::string& key, const std::string& where) {
  const json& v = member(object, key, where);
  if (!v.is_string()) bad_config("'" + key + "' of " + where + " is not a string");
  return v.get<std::string>();
}

std::string optional_string(const json& object, const std::string& key) {
  if (!object.is_object() || !object.contains(key) || !object.at(key).is_string()) return {};
  return object.at(key).get<std::string>();
}

bool is_model_class(const std::string& class_name) {
  return class_name == "Functional" || class_name == "Model" || class_name == "Sequential";
}

// Keras 1's Merge layer as the Keras 2 layer its mode names.
std::pair<std::string, json> convert_merge(const json& config) {
  const std::string mode = config.value("mode", std::string("sum"));
  json out = {{"name", config.value("name", std::string())}};
  if (mode == "concat") return {"Concatenate", {{"name", out["name"]}, {"axis", config.value("concat_axis", -1)}}};
  if (mode == "sum") return {"Add", out};
  if (mode == "mul") return {"Multiply", out};
  if (mode == "ave") return {"Average", out};
  if (mode == "max") return {"Maximum", out};
  if (mode == "dot" || mode == "cos") {
    json axes = config.contains("dot_axes") ? config.at("dot_axes") : json(-1);
    return {"Dot", {{"name", out["name"]}, {"axes", axes}, {"normalize", mode == "cos"}}};
  }
  bad_config("Merge layer '" + out["name"].get<std::string>() + "' has mode '" + mode +
             "', which has no Keras 2 equivalent");
}

Shape shape_from_json(const json& dims, const std::string& where) {
  if (!dims.is_array()) bad_config(where + " is not a list");
  Shape shape;
  for (const auto& d : dims) {
    if (d.is_null()) {
      shape.push_back(kUnknownDim);
    } else if (d.is_number_integer()) {
      shape.push_back(d.get<std::int64_t>());
    } else {
      bad_config(where + " holds a non-integer dimension");
    }
  }
  return shape;
}

LayerPtr make_lambda(const json& config, const ObjectScope& scope) {
  const std::string name = config.value("name", std::string());
  std::string function_name;
  if (config.contains("function") && config.at("function").is_object()) {
    const json& f = config.at("function");
    if (f.value("class_name", std::string()) == "function") {
      function_name = optional_string(f, "registered_name");
      if (function_name.empty()) function_name = optional_string(f, "config");
    }
  }
  layers::LambdaOptions options;
  keras::detail::set_base_options(options, keras::detail::LayerConfig(config, "Lambda").base());
  options.function_name = function_name;
  if (config.contains("arguments") && config.at("arguments").is_object()) options.arguments = config.at("arguments");
  if (config.contains("output_shape") && config.at("output_shape").is_array()) {
    options.output_shape = shape_from_json(config.at("output_shape"), "output_shape of Lambda '" + name + "'");
  }
  return layers::Lambda(scope.function(function_name, name), options);
}

// Keras 1/2's hard_sigmoid, wherever a config names an activation (wrapped layers too).
void use_legacy_hard_sigmoid(json& config) {
  if (config.is_array()) {
    for (auto& v : config) use_legacy_hard_sigmoid(v);
    return;
  }
  if (!config.is_object()) return;
  for (auto& [key, value] : config.items()) {
    if (value.is_string() && value == "hard_sigmoid" && key.find("activation") != std::string::npos) {
      value = "legacy_hard_sigmoid";
    } else {
      use_legacy_hard_sigmoid(value);
    }
  }
}

// A layer from its entry; nested models recurse.
LayerPtr deserialize_layer(const json& data, const ObjectScope& scope) {
  std::string class_name = string_member(data, "class_name", "a layer entry");
  json config = data.contains("config") ? data.at("config") : json::object();
  if (is_model_class(class_name)) return deserialize_model(data, scope);
  if (!config.is_object()) bad_config("the config of a " + class_name + " layer is not a dict");
  if (scope.keras2()) use_legacy_hard_sigmoid(config);
  if (class_name == "Lambda") return make_lambda(config, scope);
  if (class_name == "Merge") std::tie(class_name, config) = convert_merge(config);
  // Keras 2 BatchNormalization wrote its axis as a list of one.
  if (config.contains("axis") && config.at("axis").is_array() && config.at("axis").size() == 1 &&
      class_name == "BatchNormalization") {
    config["axis"] = config.at("axis").front();
  }
  return scope.layer(class_name, optional_string(data, "registered_name"), config);
}

// --- functional models ---

using NodeOutputs = std::map<std::string, std::vector<Tensors>>;  // layer name -> outputs of each call

struct Ref {
  std::string layer;
  std::int64_t node;
  std::int64_t tensor;
};

Ref parse_ref(const json& r, const std::string& where) {
  if (!r.is_array() || r.size() < 3 || !r[0].is_string() || !r[1].is_number_integer() || !r[2].is_number_integer()) {
    bad_config(where + " is not a [layer_name, node_index, tensor_index] reference");
  }
  return {r[0].get<std::string>(), r[1].get<std::int64_t>(), r[2].get<std::int64_t>()};
}

// The tensor a reference names; nullopt when that call has not been made yet.
std::optional<Tensor> resolve(const Ref& ref, const NodeOutputs& outputs, const std::map<std::string, LayerPtr>& layers) {
  if (!layers.count(ref.layer)) bad_config("a node refers to the unknown layer '" + ref.layer + "'");
  const auto& calls = outputs.at(ref.layer);
  if (ref.node < 0) bad_config("a node refers to call " + std::to_string(ref.node) + " of layer '" + ref.layer + "'");
  if (ref.node >= static_cast<std::int64_t>(calls.size())) return std::nullopt;
  const Tensors& out = calls[static_cast<std::size_t>(ref.node)];
  if (ref.tensor < 0 || ref.tensor >= static_cast<std::int64_t>(out.size())) {
    bad_config("a node refers to output " + std::to_string(ref.tensor) + " of layer '" + ref.layer + "', which has " +
               std::to_string(out.size()));
  }
  return out[static_cast<std::size_t>(ref.tensor)];
}

bool is_model_layer(const LayerPtr& layer) { return dynamic_cast<const Model*>(layer.get()) != nullptr; }

// One call of a layer: its inputs (and whether they form a list) and call arguments.
struct Call {
  Tensors inputs;
  bool list_input = false;
  CallArgs args;
};

// Keras 2's node: [[layer, node, tensor, kwargs], ...]. A nested model's node 0 was its
// own, so its calls are counted from 1.
std::optional<Call> resolve_legacy_node(const json& node, const NodeOutputs& outputs,
                                        const std::map<std::string, LayerPtr>& layers, const std::string& where) {
  Call call;
  if (!node.is_array() || node.empty()) bad_config(where + " is an empty or malformed node");
  for (const auto& entry : node) {
    Ref ref = parse_ref(entry, where);
    if (layers.count(ref.layer) && is_model_layer(layers.at(ref.layer)) && ref.node > 0) --ref.node;
    const auto t = resolve(ref, outputs, layers);
    if (!t) return std::nullopt;
    call.inputs.push_back(*t);
    if (entry.size() > 3 && entry[3].is_object() && entry[3].contains("training") && entry[3]["training"].is_boolean()) {
      call.args.training = entry[3]["training"].get<bool>();
    }
  }
  call.list_input = call.inputs.size() > 1;
  return call;
}

bool is_keras_tensor_json(const json& j) {
  return j.is_object() && j.value("class_name", std::string()) == "__keras_tensor__";
}

// Keras 3's node: {"args": [...], "kwargs": {...}} with __keras_tensor__ references.
std::optional<Call> resolve_node(const json& node, const NodeOutputs& outputs,
                                 const std::map<std::string, LayerPtr>& layers, const std::string& where) {
  auto tensor_of = [&](const json& kt) -> std::optional<Tensor> {
    if (!is_keras_tensor_json(kt)) bad_config(where + " has an argument that is not a layer output");
    const json& config = member(kt, "config", where);
    return resolve(parse_ref(member(config, "keras_history", where), where), outputs, layers);
  };
  Call call;
  const json& args = member(node, "args", where);
  if (!args.is_array() || args.empty()) bad_config(where + " has no arguments");
  std::vector<json> tensors;
  if (args.size() == 1 && args[0].is_array()) {
    call.list_input = true;
    tensors.assign(args[0].begin(), args[0].end());
  } else {
    call.list_input = args.size() > 1;
    tensors.assign(args.begin(), args.end());
  }
  for (const auto& kt : tensors) {
    const auto t = tensor_of(kt);
    if (!t) return std::nullopt;
    call.inputs.push_back(*t);
  }
  const json kwargs = node.contains("kwargs") && node.at("kwargs").is_object() ? node.at("kwargs") : json::object();
  if (kwargs.contains("training") && kwargs.at("training").is_boolean()) call.args.training = kwargs.at("training").get<bool>();
  if (kwargs.contains("mask") && !kwargs.at("mask").is_null()) {
    const json& m = kwargs.at("mask");
    for (const auto& kt : m.is_array() ? m : json::array({m})) {
      if (kt.is_null()) {
        call.args.mask.emplace_back();
        continue;
      }
      const auto t = tensor_of(kt);
      if (!t) return std::nullopt;
      call.args.mask.push_back(*t);
    }
  }
  if (call.inputs.empty()) bad_config(where + " has no input tensors");
  return call;
}

Tensor input_from_config(const json& config, const std::string& where) {
  if (!config.is_object()) bad_config(where + " has no config");
  const json* dims = nullptr;
  for (const char* key : {"batch_shape", "batch_input_shape"}) {
    if (config.contains(key) && !config.at(key).is_null()) dims = &config.at(key);
  }
  Shape batch_shape;
  if (dims) {
    batch_shape = shape_from_json(*dims, "the batch shape of " + where);
  } else if (config.contains("shape") || config.contains("input_shape")) {
    batch_shape = shape_from_json(config.contains("shape") ? config.at("shape") : config.at("input_shape"), where);
    batch_shape.insert(batch_shape.begin(), kUnknownDim);
  } else {
    bad_config(where + " has no batch_shape");
  }
  if (batch_shape.empty()) bad_config("the batch shape of " + where + " is empty");
  const DType dtype = config.contains("dtype") && config.at("dtype").is_string()
                          ? dtype_from_name(config.at("dtype").get<std::string>())
                          : floatx();
  return Input(Shape(batch_shape.begin() + 1, batch_shape.end()),
               InputOptions{.batch_size = batch_shape[0] < 0 ? std::nullopt : std::optional<std::int64_t>(batch_shape[0]),
                            .dtype = dtype,
                            .name = config.value("name", std::string())});
}

struct Pending {
  LayerPtr layer;
  std::vector<json> nodes;
  std::size_t done = 0;
};

// Keras 3 counts a nested functional model's first call as node 1 in input_layers and
// output_layers; Keras 2 did the same for every nested model.
Tensors output_tensors(const json& refs, const NodeOutputs& outputs, const std::map<std::string, LayerPtr>& layers,
                       bool keras2, const char* key, std::vector<std::string>& names) {
  auto one = [&](const json& r) {
    Ref ref = parse_ref(r, key);
    if (layers.count(ref.layer)) {
      const LayerPtr& layer = layers.at(ref.layer);
      const bool counted_from_one = keras2 ? is_model_layer(layer) : is_functional_class(*layer);
      if (counted_from_one && ref.node > 0) --ref.node;
    }
    const auto t = resolve(ref, outputs, layers);
    if (!t) bad_config(std::string(key) + " names call " + std::to_string(ref.node) + " of layer '" + ref.layer +
                       "', which no node makes");
    return *t;
  };
  Tensors out;
  if (refs.is_object()) {
    for (const auto& [name, r] : refs.items()) {
      names.push_back(name);
      out.push_back(one(r));
    }
  } else if (refs.is_array() && !refs.empty() && refs[0].is_string()) {
    out.push_back(one(refs));
  } else if (refs.is_array()) {
    for (const auto& r : refs) out.push_back(one(r));
  } else {
    bad_config(std::string(key) + " is neither a reference, a list nor a dict");
  }
  if (out.empty()) bad_config(std::string(key) + " is empty");
  return out;
}

ModelPtr functional_from_config(const json& config, const ObjectScope& scope) {
  const json& entries = member(config, "layers", "the functional config");
  if (!entries.is_array()) bad_config("'layers' of the functional config is not a list");
  std::map<std::string, LayerPtr> layers;
  NodeOutputs outputs;
  std::vector<Pending> pending;
  bool keras2 = false;
  for (const auto& entry : entries) {
    const std::string name = entry.contains("name") && entry.at("name").is_string()
                                 ? entry.at("name").get<std::string>()
                                 : optional_string(member(entry, "config", "a layer entry"), "name");
    if (name.empty()) bad_config("a layer entry has no name");
    if (layers.count(name)) bad_config("two layers are named '" + name + "'");
    if (optional_string(entry, "class_name") == "InputLayer") {
      const Tensor input = input_from_config(member(entry, "config", "InputLayer '" + name + "'"), "InputLayer '" + name + "'");
      layers[name] = LayerPtr(history_of(input).node->layer);
      outputs[name].push_back({input});
      continue;
    }
    LayerPtr layer = deserialize_layer(entry, scope);
    layers[name] = layer;
    outputs[name];
    Pending p{layer, {}, 0};
    const json nodes = entry.contains("inbound_nodes") ? entry.at("inbound_nodes") : json::array();
    if (!nodes.is_array()) bad_config("inbound_nodes of layer '" + name + "' is not a list");
    for (const auto& n : nodes) {
      keras2 = keras2 || n.is_array();
      p.nodes.push_back(n);
    }
    pending.push_back(std::move(p));
  }
  // Calls are made in passes, each making every call whose inputs exist (a layer shared at
  // several depths waits for its later inputs), as Keras's functional_from_config.
  for (bool progress = true; progress;) {
    progress = false;
    for (auto& p : pending) {
      while (p.done < p.nodes.size()) {
        const std::string where = "node " + std::to_string(p.done) + " of layer '" + p.layer->name() + "'";
        const json& n = p.nodes[p.done];
        const auto call = n.is_array() ? resolve_legacy_node(n, outputs, layers, where)
                                       : resolve_node(n, outputs, layers, where);
        if (!call) break;
        const Outputs out = call->list_input ? (*p.layer)(call->inputs, call->args) : (*p.layer)(call->inputs.front(), call->args);
        outputs[p.layer->name()].push_back(out);
        ++p.done;
        progress = true;
      }
    }
  }
  for (const auto& p : pending) {
    if (p.done < p.nodes.size()) {
      bad_config("The graph of the Functional model either has loops or disconnected nodes (layer '" + p.layer->name() +
                 "' cannot be called)");
    }
  }
  std::vector<std::string> input_names;
  std::vector<std::string> output_names;
  const Tensors inputs = output_tensors(member(config, "input_layers", "the functional config"), outputs, layers, keras2,
                                        "input_layers", input_names);
  const Tensors outs = output_tensors(member(config, "output_layers", "the functional config"), outputs, layers, keras2,
                                      "output_layers", output_names);
  ModelOptions options{.name = optional_string(config, "name"), .trainable = config.value("trainable", true)};
  if (!input_names.empty() && !output_names.empty()) {
    std::map<std::string, Tensor> in;
    std::map<std::string, Tensor> out;
    for (std::size_t i = 0; i < inputs.size(); ++i) in[input_names[i]] = inputs[i];
    for (std::size_t i = 0; i < outs.size(); ++i) out[output_names[i]] = outs[i];
    return make_layer<Model>(in, out, options);
  }
  return make_model(inputs, outs, options);
}

// --- Sequential ---

ModelPtr sequential_from_config(const json& config, const ObjectScope& scope) {
  const json& entries = config.is_array() ? config : member(config, "layers", "the Sequential config");
  if (!entries.is_array()) bad_config("'layers' of the Sequential config is not a list");
  const ModelOptions options{.name = config.is_object() ? optional_string(config, "name") : std::string(),
                             .trainable = config.is_object() ? config.value("trainable", true) : true};
  auto model = make_layer<Sequential>(options);
  for (const auto& entry : entries) {
    if (optional_string(entry, "class_name") == "InputLayer") {
      model->add(input_from_config(member(entry, "config", "an InputLayer"), "an InputLayer"));
    } else {
      model->add(deserialize_layer(entry, scope));
    }
  }
  if (!model->is_functional() && config.is_object() && config.contains("build_input_shape") &&
      config.at("build_input_shape").is_array()) {
    model->build_once({shape_from_json(config.at("build_input_shape"), "build_input_shape")});
  }
  return model;
}

}  // namespace

ModelPtr deserialize_model(const json& data, const ObjectScope& scope) {
  try {
    if (data.is_array()) return sequential_from_config(data, scope);
    const std::string class_name = string_member(data, "class_name", "the model config");
    const json& config = member(data, "config", "the model config");
    if (class_name == "Sequential") return sequential_from_config(config, scope);
    if (class_name == "Functional" || class_name == "Model") {
      if (config.is_object() && config.contains("layers")) return functional_from_config(config, scope);
      bad_config("the " + class_name + " config has no layers (a subclassed model's config cannot rebuild it)");
    }
    LayerPtr layer = scope.layer(class_name, optional_string(data, "registered_name"), config);
    auto model = std::dynamic_pointer_cast<Model>(static_cast<std::shared_ptr<Layer>>(layer));
    if (!model) bad_config("'" + class_name + "' is a layer, not a model");
    return ModelPtr(model);
  } catch (const nlohmann::json::exception& e) {
    throw ValueError(std::string("Invalid model config: ") + e.what());
  }
}

}  // namespace keras::saving::detail
