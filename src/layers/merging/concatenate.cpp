#include <algorithm>
#include <set>

#include "graph/symbolic.hpp"
#include "keras/layers/merging.hpp"
#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/merging/merge_shapes.hpp"

namespace keras::layers {

namespace {

// `axis` as an index into a shape of `rank` dimensions; ValueError when out of range.
std::size_t axis_index(std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) {
    throw ValueError("Concatenate: axis " + std::to_string(axis) + " is out of bounds for inputs of rank " +
                     std::to_string(rank));
  }
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

// Keras's Concatenate.build check: with the axis removed, the shapes have one rank and
// agree wherever both sizes are known.
void check_shapes(const std::vector<Shape>& shapes, std::int64_t axis) {
  if (shapes.empty()) {
    throw ValueError("A `Concatenate` layer should be called on a list of at least 1 input. Received: input_shape=[]");
  }
  const std::string message =
      "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
      "Received: input_shape=" + detail::shapes_str(shapes);
  std::vector<Shape> reduced;
  for (Shape s : shapes) {
    s.erase(s.begin() + static_cast<std::ptrdiff_t>(axis_index(axis, s.size())));
    reduced.push_back(s);
  }
  for (const auto& s : reduced) {
    if (s.size() != reduced.front().size()) throw ValueError(message);
  }
  for (std::size_t d = 0; d < reduced.front().size(); ++d) {
    std::set<std::int64_t> sizes;
    for (const auto& s : reduced) {
      if (s[d] != kUnknownDim) sizes.insert(s[d]);
    }
    if (sizes.size() > 1) throw ValueError(message);
  }
}

// While probing: every input's dimensions other than `axis` set to the largest probe size
// (unknown dimensions met known ones; see merge_shapes.hpp).
Tensors fit_probes_for_concat(const Tensors& inputs, std::size_t axis) {
  if (!graph::probing()) return inputs;
  Shape target = inputs.front().shape();
  for (const auto& t : inputs) {
    for (std::size_t d = 0; d < target.size() && d < t.shape().size(); ++d) target[d] = std::max(target[d], t.shape()[d]);
  }
  Tensors out;
  for (const auto& t : inputs) {
    Shape shape = target;
    if (axis < shape.size() && axis < t.shape().size()) shape[axis] = t.shape()[axis];
    out.push_back(t.shape().size() == target.size() ? detail::fit_probe(t, shape) : t);
  }
  return out;
}

}  // namespace

ConcatenateLayer::ConcatenateLayer(const ConcatenateOptions& options)
    : Layer(base_options(options)), axis_(options.axis) {
  set_supports_masking(true);
}

void ConcatenateLayer::build(const std::vector<Shape>& input_shapes) { check_shapes(input_shapes, axis_); }

// Keras's Concatenate.compute_output_shape: the first input's shape with the sizes on
// `axis` summed (None when any is None).
std::optional<std::vector<Shape>> ConcatenateLayer::declared_output_shape(const std::vector<Shape>& input_shapes) const {
  check_shapes(input_shapes, axis_);
  Shape out = input_shapes.front();
  const std::size_t a = axis_index(axis_, out.size());
  for (std::size_t i = 1; i < input_shapes.size(); ++i) {
    const std::int64_t d = input_shapes[i][axis_index(axis_, input_shapes[i].size())];
    if (out[a] == kUnknownDim || d == kUnknownDim) {
      out[a] = kUnknownDim;
      break;
    }
    out[a] += d;
  }
  return std::vector<Shape>{out};
}

Tensors ConcatenateLayer::call(const Tensors& inputs, const CallContext&) {
  if (inputs.empty()) check_shapes({}, axis_);
  const std::size_t a = axis_index(axis_, inputs.front().shape().size());
  return {ops::concatenate(fit_probes_for_concat(inputs, a), axis_)};
}

// Each input's mask made of the input's full shape (all true where an input has none),
// concatenated along `axis`, then any() over the last axis.
Tensors ConcatenateLayer::compute_mask(const Tensors& inputs, const Tensors& masks) {
  if (std::none_of(masks.begin(), masks.end(), [](const Tensor& m) { return m.defined(); })) return {};
  const Tensors fitted = fit_probes_for_concat(inputs, axis_index(axis_, inputs.front().shape().size()));
  Tensors full;
  for (std::size_t i = 0; i < fitted.size(); ++i) {
    const Tensor& x = fitted[i];
    const Tensor m = i < masks.size() ? masks[i] : Tensor();
    if (!m.defined()) {
      full.push_back(ops::ones(x.shape(), DType::bool_));
    } else if (m.ndim() < x.ndim()) {
      const Tensor fitted_mask = detail::fit_probe(m, detail::leading(x.shape(), m.ndim()));
      full.push_back(ops::logical_or(ops::expand_dims(ops::cast(fitted_mask, DType::bool_), -1),
                                     ops::zeros(x.shape(), DType::bool_)));
    } else {
      full.push_back(ops::cast(detail::fit_probe(m, x.shape()), DType::bool_));
    }
  }
  return {ops::any(ops::concatenate(full, axis_), -1)};
}

json ConcatenateLayer::get_config() const {
  json config = Layer::get_config();
  config["axis"] = axis_;
  return config;
}

LayerRef<ConcatenateLayer> ConcatenateLayer::from_config(const json& config) {
  keras::detail::LayerConfigReader reader(config, "Concatenate");
  const LayerOptions b = reader.base();
  ConcatenateOptions o{.axis = reader.integer("axis", -1),
                       .name = b.name,
                       .trainable = b.trainable,
                       .dtype = b.dtype,
                       .input_shape = b.input_shape,
                       .batch_size = b.batch_size};
  reader.finish();
  return Concatenate(o);
}

}  // namespace keras::layers
