#include "keras/layers/core.hpp"
#include "keras/ops.hpp"
#include "layers/core/activity_regularizer.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

namespace {

std::int64_t positive_dim(std::int64_t value, const char* name) {
  if (value <= 0) {
    throw ValueError(std::string("`") + name + "` must be a positive integer. Received: " + name + "=" +
                     std::to_string(value) + " (of type int).");
  }
  return value;
}

LayerOptions embedding_base_options(const EmbeddingOptions& options) {
  LayerOptions base = base_options(options);
  if (options.input_length && base.input_shape.empty()) base.input_shape = {*options.input_length};
  return base;
}

}  // namespace

EmbeddingLayer::EmbeddingLayer(std::int64_t input_dim, std::int64_t output_dim, const EmbeddingOptions& options)
    : Layer(embedding_base_options(options)),
      input_dim_(positive_dim(input_dim, "input_dim")),
      output_dim_(positive_dim(output_dim, "output_dim")),
      options_(options) {
  set_supports_masking(options.mask_zero);
}

void EmbeddingLayer::build(const std::vector<Shape>&) {
  embeddings_ = add_weight("embeddings", {input_dim_, output_dim_},
                           {.initializer = options_.embeddings_initializer,
                            .regularizer = options_.embeddings_regularizer,
                            .constraint = options_.embeddings_constraint});
}

Tensors EmbeddingLayer::call(const Tensors& inputs, const CallContext&) {
  Tensor ids = detail::single_input(*this, inputs);
  if (ids.dtype() != DType::int32 && ids.dtype() != DType::int64) ids = ops::cast(ids, DType::int32);
  Tensor y = ops::cast(ops::take(embeddings_.value(), ids, 0), dtype());
  detail::add_activity_loss(*this, options_.activity_regularizer, y);
  return {y};
}

Tensors EmbeddingLayer::compute_mask(const Tensors& inputs, const Tensors&) {
  if (!options_.mask_zero) return {};
  return {ops::not_equal(inputs.at(0), 0)};
}

Variable EmbeddingLayer::embeddings() const {
  if (!built()) throw ValueError("You must build the layer before accessing `embeddings`.");
  return embeddings_;
}

json EmbeddingLayer::get_config() const {
  json config = Layer::get_config();
  config["input_dim"] = input_dim_;
  config["output_dim"] = output_dim_;
  config["embeddings_initializer"] = initializers::serialize(options_.embeddings_initializer);
  config["embeddings_regularizer"] = regularizers::serialize(options_.embeddings_regularizer);
  config["activity_regularizer"] = regularizers::serialize(options_.activity_regularizer);
  config["embeddings_constraint"] = constraints::serialize(options_.embeddings_constraint);
  config["mask_zero"] = options_.mask_zero;
  return config;
}

LayerRef<EmbeddingLayer> EmbeddingLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "Embedding");
  EmbeddingOptions o;
  detail::set_base_options(o, c.base());
  // The second spellings are Keras 1's, which Keras 2's loader converted.
  o.embeddings_initializer = c.initializer({"embeddings_initializer", "init"}, "uniform");
  o.embeddings_regularizer = c.regularizer({"embeddings_regularizer", "W_regularizer"});
  o.activity_regularizer = c.regularizer({"activity_regularizer"});
  o.embeddings_constraint = c.constraint({"embeddings_constraint", "W_constraint"});
  o.mask_zero = c.boolean({"mask_zero"}, false);
  o.input_length = c.optional_integer({"input_length"});
  return Embedding(c.integer({"input_dim"}), c.integer({"output_dim"}), o);
}

}  // namespace keras::layers
