#include <algorithm>

#include "graph/symbolic.hpp"
#include "keras/layers/merging.hpp"
#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/merging/merge_shapes.hpp"

namespace keras::layers {

namespace {

std::string axes_repr(const DotAxes& axes) {
  if (!axes.is_list()) return std::to_string(axes.axes().front());
  std::string s = "[";
  for (std::size_t i = 0; i < axes.axes().size(); ++i) s += (i ? ", " : "") + std::to_string(axes.axes()[i]);
  return s + "]";
}

std::string dim_str(std::int64_t d) { return d == kUnknownDim ? "None" : std::to_string(d); }

// An axis of a shape of `rank` dimensions, counted from the end when negative (Python
// indexing); ValueError when out of range.
std::size_t index_in(std::int64_t axis, const Shape& shape) {
  const auto r = static_cast<std::int64_t>(shape.size());
  if (axis < -r || axis >= r) {
    throw ValueError("Dot: axis " + std::to_string(axis) + " is out of bounds for an input of shape " +
                     shape_str(shape));
  }
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

// The two axes as Keras's Dot resolves them against the inputs' ranks.
std::pair<std::size_t, std::size_t> resolve(const DotAxes& axes, const Shape& a, const Shape& b) {
  const auto& v = axes.axes();
  return {index_in(v.front(), a), index_in(v.back(), b)};
}

// Keras's Dot.build and batch_dot checks, then Dot.compute_output_shape.
Shape dot_output_shape(const DotAxes& axes, const std::vector<Shape>& shapes) {
  if (shapes.size() != 2) {
    throw ValueError("A `Dot` layer should be called on a list of 2 inputs. Received: input_shape=" +
                     detail::shapes_str(shapes));
  }
  const Shape& a = shapes[0];
  const Shape& b = shapes[1];
  const auto [a0, a1] = resolve(axes, a, b);
  if (a[a0] != b[a1]) {
    // Keras names the axes as given when they are a list, resolved when one int.
    const auto shown0 = axes.is_list() ? axes.axes().front() : static_cast<std::int64_t>(a0);
    const auto shown1 = axes.is_list() ? axes.axes().back() : static_cast<std::int64_t>(a1);
    throw ValueError("Incompatible input shapes: axis values " + dim_str(a[a0]) + " (at axis " +
                     std::to_string(shown0) + ") != " + dim_str(b[a1]) + " (at axis " + std::to_string(shown1) +
                     "). Full input shapes: " + shape_str(a) + ", " + shape_str(b));
  }
  if (a.size() < 2 || b.size() < 2) {
    throw ValueError("Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes " + shape_str(a) +
                     " and " + shape_str(b) + ".");
  }
  if (a[0] != kUnknownDim && b[0] != kUnknownDim && a[0] != b[0]) {
    throw ValueError("Cannot do batch_dot on inputs with different batch sizes. Received inputs with shapes " +
                     shape_str(a) + " and " + shape_str(b) + ".");
  }
  if (a0 == 0 || a1 == 0) {
    throw ValueError(
        "Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy batch dimension to "
        "your inputs using keras.ops.expand_dims(x, 0)");
  }
  Shape out = a;
  out.erase(out.begin() + static_cast<std::ptrdiff_t>(a0));
  for (std::size_t d = 1; d < b.size(); ++d) {
    if (d != a1) out.push_back(b[d]);
  }
  if (out.size() == 1) out.push_back(1);
  return out;
}

// While probing: the batch sizes and the contracted sizes made equal (an unknown size may
// have met a known one; see merge_shapes.hpp).
std::pair<Tensor, Tensor> fit_probes_for_dot(const Tensor& x, const Tensor& y, std::size_t a0, std::size_t a1) {
  Shape xs = x.shape();
  Shape ys = y.shape();
  xs[0] = ys[0] = std::max(xs[0], ys[0]);
  xs[a0] = ys[a1] = std::max(xs[a0], ys[a1]);
  return {detail::fit_probe(x, xs), detail::fit_probe(y, ys)};
}

// For each sample, x's axis a0 contracted with y's axis a1: both axes moved next to each
// other and the rest flattened, so one batched matmul does it.
Tensor batch_dot(const Tensor& x, const Tensor& y, std::size_t a0, std::size_t a1) {
  const Tensor xt = ops::moveaxis(x, static_cast<std::int64_t>(a0), -1);
  const Tensor yt = ops::moveaxis(y, static_cast<std::int64_t>(a1), 1);
  const std::int64_t batch = x.shape()[0];
  const std::int64_t n = x.shape()[a0];
  const Shape x_rest(xt.shape().begin() + 1, xt.shape().end() - 1);
  const Shape y_rest(yt.shape().begin() + 2, yt.shape().end());
  const Tensor r = ops::matmul(ops::reshape(xt, {batch, shape_size(x_rest), n}),
                               ops::reshape(yt, {batch, n, shape_size(y_rest)}));
  Shape out{batch};
  out.insert(out.end(), x_rest.begin(), x_rest.end());
  out.insert(out.end(), y_rest.begin(), y_rest.end());
  if (out.size() == 1) out.push_back(1);
  return ops::reshape(r, out);
}

}  // namespace

DotLayer::DotLayer(DotAxes axes, const DotOptions& options)
    : Layer(base_options(options)), axes_(std::move(axes)), normalize_(options.normalize) {
  if (axes_.is_list() && axes_.axes().size() != 2) {
    throw ValueError("Invalid format for argument `axes`: it should contain two elements. Received: axes=" +
                     axes_repr(axes_));
  }
  set_supports_masking(true);
}

void DotLayer::build(const std::vector<Shape>& input_shapes) { dot_output_shape(axes_, input_shapes); }

std::optional<std::vector<Shape>> DotLayer::declared_output_shape(const std::vector<Shape>& input_shapes) const {
  return std::vector<Shape>{dot_output_shape(axes_, input_shapes)};
}

Tensors DotLayer::call(const Tensors& inputs, const CallContext&) {
  std::vector<Shape> shapes;
  for (const auto& t : inputs) shapes.push_back(t.shape());
  // A probe's sizes stand for unknown dimensions, so probes are only counted here
  // (declared_output_shape checks the symbolic shapes).
  if (!graph::probing() || inputs.size() != 2) dot_output_shape(axes_, shapes);
  const auto [a0, a1] = resolve(axes_, inputs[0].shape(), inputs[1].shape());
  auto [x, y] = fit_probes_for_dot(inputs[0], inputs[1], a0, a1);
  if (normalize_) {
    // Keras's normalize: x * rsqrt(max(sum(x^2), epsilon^2)), epsilon = 1e-7.
    x = ops::l2_normalize(x, static_cast<std::int64_t>(a0), 1e-14);
    y = ops::l2_normalize(y, static_cast<std::int64_t>(a1), 1e-14);
  }
  return {batch_dot(x, y, a0, a1)};
}

Tensors DotLayer::compute_mask(const Tensors&, const Tensors&) { return {}; }

json DotLayer::get_config() const {
  json config = Layer::get_config();
  config["axes"] = axes_.is_list() ? json(axes_.axes()) : json(axes_.axes().front());
  config["normalize"] = normalize_;
  return config;
}

LayerRef<DotLayer> DotLayer::from_config(const json& config) {
  keras::detail::LayerConfigReader reader(config, "Dot");
  const LayerOptions b = reader.base();
  const json* axes = reader.find("axes");
  if (axes == nullptr) throw TypeError("Dot.__init__() missing 1 required positional argument: 'axes'");
  DotAxes parsed = -1;
  if (axes->is_number_integer()) {
    parsed = axes->get<std::int64_t>();
  } else if (axes->is_array() && std::all_of(axes->begin(), axes->end(), [](const json& a) { return a.is_number_integer(); })) {
    parsed = axes->get<std::vector<std::int64_t>>();
  } else {
    throw TypeError("Invalid type for argument `axes`: it should be a list or an int. Received: axes=" + axes->dump());
  }
  DotOptions o{.normalize = reader.boolean("normalize", false),
               .name = b.name,
               .trainable = b.trainable,
               .dtype = b.dtype,
               .input_shape = b.input_shape,
               .batch_size = b.batch_size};
  reader.finish();
  return Dot(std::move(parsed), o);
}

}  // namespace keras::layers
