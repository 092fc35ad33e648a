#include "graph/symbolic.hpp"

#include <algorithm>
#include <regex>

namespace keras::graph {

namespace {

thread_local int g_probe_depth = 0;
thread_local Device g_real_device;

// The two sizes unknown dimensions take in the two probe runs: distinct, not 1 (which
// broadcasts), and unlikely to equal a real dimension of the model.
constexpr std::int64_t kProbeSizes[2] = {83, 89};

Device enter_probe() {
  if (g_probe_depth == 0) g_real_device = default_device();
  ++g_probe_depth;
  return Device{DeviceType::meta};
}

// A shape-only stand-in for t: symbolic tensors get their unknown dimensions set to
// `size`; other tensors (constants, undefined) are used as they are.
Tensor probe(const Tensor& t, std::int64_t size) {
  if (!is_symbolic(t)) return t;
  Shape shape = t.shape();
  std::replace(shape.begin(), shape.end(), kUnknownDim, size);
  return Tensor::empty(shape, t.dtype(), Device{DeviceType::meta});
}

Tensors probes(const Tensors& tensors, std::int64_t size) {
  Tensors out;
  out.reserve(tensors.size());
  for (const auto& t : tensors) out.push_back(probe(t, size));
  return out;
}

// An error raised inside a probe run names probe shapes: show the unknown dimensions as
// None again ("(83, 3, 4)" -> "(None, 3, 4)"), as the user wrote them.
std::string unprobed(const std::string& message, std::int64_t size) {
  const std::regex in_shape("([(, ])" + std::to_string(size) + "(?=[,)])");
  return std::regex_replace(message, in_shape, "$1None");
}

// Dimensions equal in both runs are known; the others depend on an unknown input size.
Spec merge(const Tensor& a, const Tensor& b) {
  if (a.ndim() != b.ndim()) {
    throw ValueError("The output rank depends on the unknown input dimensions (" + shape_str(a.shape()) +
                     " vs " + shape_str(b.shape()) + "); give the layer an explicit output shape");
  }
  Spec spec{a.shape(), a.dtype()};
  for (std::size_t i = 0; i < spec.shape.size(); ++i) {
    if (a.shape()[i] != b.shape()[i]) spec.shape[i] = kUnknownDim;
  }
  return spec;
}

// An op recorded on symbolic tensors: its call reruns the op. Masks are not propagated
// through ops (as in Keras), but they do not stop them either.
class OpLayer : public Layer {
 public:
  OpLayer(const std::string& op, OpFn fn)
      : Layer(LayerOptions{.name = unique_layer_name(op)}), fn_(std::move(fn)), class_name_(camel(op)) {
    set_supports_masking(true);
  }
  Tensors call(const Tensors& inputs, const CallContext&) override { return fn_(inputs); }
  Tensors compute_mask(const Tensors&, const Tensors&) override { return {}; }
  std::string class_name() const override { return class_name_; }

 private:
  static std::string camel(const std::string& snake) {
    std::string out;
    bool upper = true;
    for (char c : snake) {
      if (c == '_') {
        upper = true;
      } else {
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
      }
    }
    return out;
  }
  OpFn fn_;
  std::string class_name_;
};

}  // namespace

bool is_op_layer(const Layer& layer) { return dynamic_cast<const OpLayer*>(&layer) != nullptr; }

bool is_symbolic(const Tensor& t) { return t.defined() && t.impl()->keras_history != nullptr; }

bool any_symbolic(const Tensors& tensors) {
  return std::any_of(tensors.begin(), tensors.end(), [](const Tensor& t) { return is_symbolic(t); });
}

Tensor make_symbolic(const Shape& shape, DType dtype, std::shared_ptr<const detail::KerasHistory> history,
                     std::uint64_t id) {
  auto impl = std::make_shared<detail::TensorImpl>();
  impl->storage = std::make_shared<detail::Storage>(0, Device{DeviceType::meta});
  impl->shape = shape;
  impl->dtype = dtype;
  impl->id = id != 0 ? id : detail::next_tensor_id();
  impl->keras_history =
      history ? std::move(history) : std::make_shared<const detail::KerasHistory>();
  return Tensor(std::move(impl));
}

ProbeScope::ProbeScope() : device_(enter_probe()) {}
ProbeScope::~ProbeScope() { --g_probe_depth; }
bool probing() { return g_probe_depth > 0; }
Device real_device() { return g_probe_depth > 0 ? g_real_device : default_device(); }

Inferred infer(const Tensors& inputs, const Tensors& masks, const ProbeFn& fn) {
  std::pair<Tensors, Tensors> runs[2];
  for (int r = 0; r < 2; ++r) {
    const Tensors in = probes(inputs, kProbeSizes[r]);
    const Tensors in_masks = probes(masks, kProbeSizes[r]);
    ProbeScope scope;
    try {
      runs[r] = fn(in, in_masks);
    } catch (const ValueError& e) {
      throw ValueError(unprobed(e.what(), kProbeSizes[r]));
    }
  }
  Inferred result;
  const auto& [outs0, masks0] = runs[0];
  const auto& [outs1, masks1] = runs[1];
  for (std::size_t i = 0; i < outs0.size(); ++i) {
    result.outputs.push_back(merge(outs0[i], outs1[i]));
    const bool has_mask = i < masks0.size() && masks0[i].defined() && masks1[i].defined();
    result.masks.push_back(has_mask ? std::optional<Spec>(merge(masks0[i], masks1[i])) : std::nullopt);
  }
  return result;
}

Tensors symbolic_op(const std::string& name, const Tensors& inputs, OpFn fn) {
  auto layer = std::make_shared<OpLayer>(name, std::move(fn));
  return (*layer)(inputs);
}

}  // namespace keras::graph

namespace keras::detail {

Tensor node_output(const std::shared_ptr<Node>& node, std::size_t i) {
  auto history = std::make_shared<const KerasHistory>(KerasHistory{node, i});
  return graph::make_symbolic(node->output_shapes.at(i), node->output_dtypes.at(i), history,
                              node->output_ids.at(i));
}

}  // namespace keras::detail
