#include "graph/symbolic.hpp"
#include "keras/layers/normalization.hpp"
#include "keras/ops.hpp"
#include "layers/layer_config.hpp"

namespace keras::layers {

namespace {

// Keras computes the statistics in at least float32 (float64 stays float64).
DType compute_dtype(DType input) { return input == DType::float64 ? DType::float64 : DType::float32; }

std::string incompatible(const std::string& layer, const std::string& what) {
  return "Input 0 of layer '" + layer + "' is incompatible with the layer: " + what;
}

}  // namespace

BatchNormalizationLayer::BatchNormalizationLayer(const BatchNormalizationOptions& options)
    : Layer(base_options(options)), options_(options) {
  set_supports_masking(true);
}

void BatchNormalizationLayer::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1) {
    throw ValueError("BatchNormalization takes one input, but was called on " +
                     std::to_string(input_shapes.size()) + " inputs");
  }
  const Shape& shape = input_shapes.front();
  const auto rank = static_cast<std::int64_t>(shape.size());
  const std::int64_t axis = options_.axis;
  if (axis >= rank || axis < -rank) {
    throw ValueError("Axis " + std::to_string(axis) + " is out of bounds for input shape " + shape_str(shape) +
                     ". Received: axis=" + std::to_string(axis));
  }
  channels_ = shape[static_cast<std::size_t>(axis < 0 ? axis + rank : axis)];
  if (channels_ == kUnknownDim) {
    throw ValueError("Axis " + std::to_string(axis) +
                     " of input tensor should have a defined dimension but the layer received an input with shape " +
                     shape_str(shape) + ".");
  }
  rank_ = shape.size();
  const Shape weight_shape{channels_};
  if (options_.scale) {
    gamma_ = add_weight("gamma", weight_shape,
                        {.initializer = options_.gamma_initializer,
                         .regularizer = options_.gamma_regularizer,
                         .constraint = options_.gamma_constraint});
  }
  if (options_.center) {
    beta_ = add_weight("beta", weight_shape,
                       {.initializer = options_.beta_initializer,
                        .regularizer = options_.beta_regularizer,
                        .constraint = options_.beta_constraint});
  }
  moving_mean_ = add_weight("moving_mean", weight_shape,
                            {.initializer = options_.moving_mean_initializer, .trainable = false});
  moving_variance_ = add_weight("moving_variance", weight_shape,
                                {.initializer = options_.moving_variance_initializer, .trainable = false});
}

Tensors BatchNormalizationLayer::call(const Tensors& inputs, const CallContext& context) {
  Tensor x = inputs.front();
  const Tensor mask = context.masks.empty() ? Tensor() : context.masks.front();
  if (static_cast<std::size_t>(x.ndim()) != rank_) {
    throw ValueError(incompatible(name(), "expected ndim=" + std::to_string(rank_) + ", found ndim=" +
                                              std::to_string(x.ndim()) + ". Full shape received: " +
                                              shape_str(x.shape())));
  }
  const auto axis = static_cast<std::size_t>(options_.axis < 0 ? options_.axis + x.ndim() : options_.axis);
  if (x.shape()[axis] != channels_) {
    throw ValueError(incompatible(name(), "expected axis " + std::to_string(options_.axis) +
                                              " of input shape to have value " + std::to_string(channels_) +
                                              ", but received input with shape " + shape_str(x.shape())));
  }
  if (mask.defined() && mask.ndim() != x.ndim() - 1) {
    throw ValueError("The mask provided should be one dimension less than the inputs. Received: mask.shape=" +
                     shape_str(mask.shape()) + ", inputs.shape=" + shape_str(x.shape()));
  }
  const DType dtype = compute_dtype(x.dtype());
  x = ops::cast(x, dtype);
  const Tensor gamma = options_.scale ? ops::cast(gamma_.value(), dtype) : Tensor();
  const Tensor beta = options_.center ? ops::cast(beta_.value(), dtype) : Tensor();
  Tensor mean, variance;
  // A frozen layer normalises with its moving statistics even in training (Keras >= 2.1).
  if (context.training && trainable()) {
    std::tie(mean, variance) = batch_moments(x, mask);
    // Shape-only runs (symbolic calls) must leave the statistics alone.
    if (!graph::probing()) update_moving_statistics(mean, variance);
  } else {
    mean = ops::cast(moving_mean_.value(), dtype);
    variance = ops::cast(moving_variance_.value(), dtype);
  }
  const Tensor y = ops::batch_normalization(x, mean, variance, static_cast<std::int64_t>(axis), beta, gamma,
                                            options_.epsilon);
  return {ops::cast(y, this->dtype())};
}

// Mean and biased variance over every axis but `axis`; with a mask, over the unmasked
// positions only (Keras's weighted moments, with epsilon beside the count).
std::pair<Tensor, Tensor> BatchNormalizationLayer::batch_moments(const Tensor& x, const Tensor& mask) const {
  std::vector<std::int64_t> reduction_axes;
  const std::int64_t axis = options_.axis < 0 ? options_.axis + x.ndim() : options_.axis;
  for (std::int64_t a = 0; a < x.ndim(); ++a) {
    if (a != axis) reduction_axes.push_back(a);
  }
  if (!mask.defined()) return ops::moments(x, reduction_axes);
  const Tensor m = ops::broadcast_to(ops::cast(ops::expand_dims(mask, -1), DType::bool_), x.shape());
  const Tensor count = ops::add(ops::sum(ops::cast(m, x.dtype()), reduction_axes, true), 1e-7);
  const Tensor mean = ops::divide(ops::sum(ops::where(m, x, 0.0), reduction_axes, true), count);
  const Tensor centred = ops::where(m, ops::subtract(x, mean), 0.0);
  const Tensor variance = ops::divide(ops::sum(ops::square(centred), reduction_axes, true), count);
  return {ops::reshape(mean, {channels_}), ops::reshape(variance, {channels_})};
}

// moving = moving * momentum + batch * (1 - momentum), off the gradient tape: the update
// is state, not part of the differentiated computation. The new value is computed in a
// scope of its own so that no read of the old one is alive at the assign, which then
// updates in place (and so replays in a traced step).
void BatchNormalizationLayer::update_moving_statistics(const Tensor& mean, const Tensor& variance) {
  const double m = options_.momentum;
  auto update = [m](Variable& moving, const Tensor& batch) {
    Tensor updated;
    {
      const Tensor old = ops::cast(moving.value(), batch.dtype());
      updated = ops::add(ops::multiply(old, m), ops::multiply(ops::stop_gradient(batch), 1.0 - m));
    }
    moving.assign(updated);
  };
  update(moving_mean_, mean);
  update(moving_variance_, variance);
}

json BatchNormalizationLayer::get_config() const {
  json config = Layer::get_config();
  config["axis"] = options_.axis;
  config["momentum"] = options_.momentum;
  config["epsilon"] = options_.epsilon;
  config["center"] = options_.center;
  config["scale"] = options_.scale;
  config["beta_initializer"] = initializers::serialize(options_.beta_initializer);
  config["gamma_initializer"] = initializers::serialize(options_.gamma_initializer);
  config["moving_mean_initializer"] = initializers::serialize(options_.moving_mean_initializer);
  config["moving_variance_initializer"] = initializers::serialize(options_.moving_variance_initializer);
  config["beta_regularizer"] = regularizers::serialize(options_.beta_regularizer);
  config["gamma_regularizer"] = regularizers::serialize(options_.gamma_regularizer);
  config["beta_constraint"] = constraints::serialize(options_.beta_constraint);
  config["gamma_constraint"] = constraints::serialize(options_.gamma_constraint);
  config["synchronized"] = options_.synchronized;
  return config;
}

namespace {

// Keras 2 wrote `axis` as a one-element list ([3]); Keras 3 reads it as that int.
std::int64_t read_axis(detail::LayerConfigReader& reader) {
  const json* v = reader.find("axis");
  if (v == nullptr) return -1;
  if (v->is_array() && v->size() == 1 && v->front().is_number_integer()) return v->front().get<std::int64_t>();
  if (!v->is_number_integer()) throw TypeError("BatchNormalization: `axis` must be an int, got " + v->dump());
  return v->get<std::int64_t>();
}

// Batch renormalization (Keras >= 3.13) is not implemented; its off state loads.
void reject_renorm(detail::LayerConfigReader& reader) {
  if (reader.boolean("renorm", false)) {
    throw NotImplementedError("BatchNormalization: renorm=True (batch renormalization) is not supported");
  }
  reader.find("renorm_clipping");
  reader.number("renorm_momentum", 0.99);
}

}  // namespace

LayerRef<BatchNormalizationLayer> BatchNormalizationLayer::from_config(const json& config) {
  detail::LayerConfigReader reader(config, "BatchNormalization");
  const LayerOptions base = reader.base();
  BatchNormalizationOptions o{
      .axis = read_axis(reader),
      .momentum = reader.number("momentum", 0.99),
      .epsilon = reader.number("epsilon", 1e-3),
      .center = reader.boolean("center", true),
      .scale = reader.boolean("scale", true),
      .beta_initializer = reader.initializer("beta_initializer", "zeros"),
      .gamma_initializer = reader.initializer("gamma_initializer", "ones"),
      .moving_mean_initializer = reader.initializer("moving_mean_initializer", "zeros"),
      .moving_variance_initializer = reader.initializer("moving_variance_initializer", "ones"),
      .beta_regularizer = reader.regularizer("beta_regularizer"),
      .gamma_regularizer = reader.regularizer("gamma_regularizer"),
      .beta_constraint = reader.constraint("beta_constraint"),
      .gamma_constraint = reader.constraint("gamma_constraint"),
      .synchronized = reader.boolean("synchronized", false),
      .name = base.name,
      .trainable = base.trainable,
      .dtype = base.dtype,
      .input_shape = base.input_shape,
      .batch_size = base.batch_size};
  reject_renorm(reader);
  reader.finish();
  return BatchNormalization(o);
}

}  // namespace keras::layers
