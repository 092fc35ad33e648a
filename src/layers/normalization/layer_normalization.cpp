#include <algorithm>
#include <set>

#include "keras/layers/normalization.hpp"
#include "keras/ops.hpp"
#include "layers/layer_config.hpp"

namespace keras::layers {

namespace {

std::string axis_repr(const NormalizationAxes& axis) {
  if (!axis.is_list()) return std::to_string(axis.axes().front());
  std::string s = "[";
  for (std::size_t i = 0; i < axis.axes().size(); ++i) s += (i ? ", " : "") + std::to_string(axis.axes()[i]);
  return s + "]";
}

// Keras's canonicalize_axes plus LayerNormalization's duplicate check: sorted,
// non-negative axes.
std::vector<std::int64_t> canonical_axes(const NormalizationAxes& axis, std::int64_t rank) {
  std::vector<std::int64_t> axes;
  for (auto a : axis.axes()) {
    if (a < -rank || a >= rank) {
      throw ValueError("axis " + std::to_string(a) + " is out of bounds for an array with dimension " +
                       std::to_string(rank) + ".");
    }
    axes.push_back(a < 0 ? a + rank : a);
  }
  if (std::set<std::int64_t>(axes.begin(), axes.end()).size() != axes.size()) {
    throw ValueError("Duplicate axes are not allowed. Received: axis=" + axis_repr(axis));
  }
  std::sort(axes.begin(), axes.end());
  return axes;
}

DType compute_dtype(DType input) { return input == DType::float64 ? DType::float64 : DType::float32; }

}  // namespace

LayerNormalizationLayer::LayerNormalizationLayer(const LayerNormalizationOptions& options)
    : Layer(base_options(options)), options_(options) {
  if (options_.axis.axes().empty()) throw ValueError("LayerNormalization needs at least one axis");
  set_supports_masking(true);
}

void LayerNormalizationLayer::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1) {
    throw ValueError("LayerNormalization takes one input, but was called on " +
                     std::to_string(input_shapes.size()) + " inputs");
  }
  const Shape& shape = input_shapes.front();
  axes_ = canonical_axes(options_.axis, static_cast<std::int64_t>(shape.size()));
  Shape weight_shape;
  for (auto a : axes_) {
    const auto dim = shape[static_cast<std::size_t>(a)];
    if (dim == kUnknownDim) {
      throw ValueError("LayerNormalization needs known sizes on the normalised axes, but axis " + std::to_string(a) +
                       " of input shape " + shape_str(shape) + " is None");
    }
    weight_shape.push_back(dim);
  }
  if (options_.scale || options_.rms_scaling) {
    gamma_ = add_weight("gamma", weight_shape,
                        {.initializer = options_.gamma_initializer,
                         .regularizer = options_.gamma_regularizer,
                         .constraint = options_.gamma_constraint});
  }
  if (options_.center && !options_.rms_scaling) {
    beta_ = add_weight("beta", weight_shape,
                       {.initializer = options_.beta_initializer,
                        .regularizer = options_.beta_regularizer,
                        .constraint = options_.beta_constraint});
  }
}

Tensors LayerNormalizationLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor x = ops::cast(inputs.front(), compute_dtype(inputs.front().dtype()));
  const Tensor gamma = gamma_.defined() ? ops::cast(gamma_.value(), x.dtype()) : Tensor();
  const Tensor beta = beta_.defined() ? ops::cast(beta_.value(), x.dtype()) : Tensor();
  Tensor y;
  if (options_.rms_scaling) {
    // gamma has the normalised axes' shape; it broadcasts once laid out along them.
    Shape along(static_cast<std::size_t>(x.ndim()), 1);
    for (auto a : axes_) along[static_cast<std::size_t>(a)] = x.shape()[static_cast<std::size_t>(a)];
    y = ops::multiply(x, ops::rsqrt(ops::add(ops::var(x, axes_, true), options_.epsilon)));
    if (gamma.defined()) y = ops::multiply(y, ops::reshape(gamma, along));
  } else {
    y = ops::layer_normalization(x, gamma, beta, axes_, options_.epsilon);
  }
  return {ops::cast(y, dtype())};
}

json LayerNormalizationLayer::get_config() const {
  json config = Layer::get_config();
  // Keras replaces `axis` by the sorted non-negative list when it builds.
  if (built()) {
    config["axis"] = axes_;
  } else if (options_.axis.is_list()) {
    config["axis"] = options_.axis.axes();
  } else {
    config["axis"] = options_.axis.axes().front();
  }
  config["epsilon"] = options_.epsilon;
  config["center"] = options_.center;
  config["scale"] = options_.scale;
  config["rms_scaling"] = options_.rms_scaling;
  config["beta_initializer"] = initializers::serialize(options_.beta_initializer);
  config["gamma_initializer"] = initializers::serialize(options_.gamma_initializer);
  config["beta_regularizer"] = regularizers::serialize(options_.beta_regularizer);
  config["gamma_regularizer"] = regularizers::serialize(options_.gamma_regularizer);
  config["beta_constraint"] = constraints::serialize(options_.beta_constraint);
  config["gamma_constraint"] = constraints::serialize(options_.gamma_constraint);
  return config;
}

namespace {

NormalizationAxes read_axes(detail::LayerConfigReader& reader) {
  const json* v = reader.find("axis");
  if (v == nullptr) return -1;
  if (v->is_number_integer()) return v->get<std::int64_t>();
  if (v->is_array() && std::all_of(v->begin(), v->end(), [](const json& a) { return a.is_number_integer(); })) {
    return v->get<std::vector<std::int64_t>>();
  }
  throw TypeError("Expected an int or a list/tuple of ints for the argument 'axis', but received: " + v->dump());
}

}  // namespace

LayerRef<LayerNormalizationLayer> LayerNormalizationLayer::from_config(const json& config) {
  detail::LayerConfigReader reader(config, "LayerNormalization");
  const LayerOptions base = reader.base();
  LayerNormalizationOptions o{
      .axis = read_axes(reader),
      .epsilon = reader.number("epsilon", 1e-3),
      .center = reader.boolean("center", true),
      .scale = reader.boolean("scale", true),
      .rms_scaling = reader.boolean("rms_scaling", false),
      .beta_initializer = reader.initializer("beta_initializer", "zeros"),
      .gamma_initializer = reader.initializer("gamma_initializer", "ones"),
      .beta_regularizer = reader.regularizer("beta_regularizer"),
      .gamma_regularizer = reader.regularizer("gamma_regularizer"),
      .beta_constraint = reader.constraint("beta_constraint"),
      .gamma_constraint = reader.constraint("gamma_constraint"),
      .name = base.name,
      .trainable = base.trainable,
      .dtype = base.dtype,
      .input_shape = base.input_shape,
      .batch_size = base.batch_size};
  reader.finish();
  return LayerNormalization(o);
}

}  // namespace keras::layers
