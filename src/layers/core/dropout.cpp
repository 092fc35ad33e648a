#include "keras/layers/core.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"
#include "utils/object_config.hpp"

namespace keras::layers {

namespace {

double checked_rate(double rate) {
  if (!(rate >= 0.0 && rate <= 1.0)) {
    throw ValueError("Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
                     "Received: rate=" + detail::python_float(rate));
  }
  return rate;
}

void check_noise_shape(const Shape& noise_shape) {
  for (std::size_t i = 0; i < noise_shape.size(); ++i) {
    if (noise_shape[i] != kUnknownDim && noise_shape[i] <= 0) {
      throw ValueError("Invalid value received for argument `noise_shape`. Expected all dimensions to be positive "
                       "integers or None. Received negative or zero value at index " + std::to_string(i) + ": " +
                       std::to_string(noise_shape[i]));
    }
  }
}

}  // namespace

DropoutLayer::DropoutLayer(double rate, const DropoutOptions& options)
    : Layer(base_options(options)),
      rate_(checked_rate(rate)),
      options_(options),
      seed_generator_(options.seed.value_or(0)) {
  check_noise_shape(options.noise_shape);
  set_supports_masking(true);
}

Tensors DropoutLayer::call(const Tensors& inputs, const CallContext& context) {
  const Tensor& x = detail::single_input(*this, inputs);
  if (!context.training || rate_ == 0.0) return {x};
  // Each call draws the next mask, so masks differ between steps: from the layer's own stream
  // when it has a seed, else from the global generator, so that utils::set_random_seed repeats
  // it and a checkpoint of the global generator's state (BackupAndRestore) resumes it exactly.
  auto& generator = options_.seed ? seed_generator_ : random::global_generator();
  return {ops::dropout(x, rate_, {.noise_shape = options_.noise_shape, .seed_generator = &generator})};
}

json DropoutLayer::get_config() const {
  json config = Layer::get_config();
  config["rate"] = rate_;
  config["seed"] = options_.seed ? json(*options_.seed) : json(nullptr);
  config["noise_shape"] = options_.noise_shape.empty() ? json(nullptr) : detail::shape_to_json(options_.noise_shape);
  return config;
}

LayerRef<DropoutLayer> DropoutLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "Dropout");
  DropoutOptions o;
  detail::set_base_options(o, c.base());
  o.noise_shape = c.int_list({"noise_shape"});
  o.seed = c.seed({"seed"});
  // `p` is Keras 1's name for the rate.
  const auto rate = c.optional_number({"rate", "p"});
  if (!rate) throw ValueError("Dropout.from_config: the config has no 'rate'. Config: " + config.dump());
  return Dropout(*rate, o);
}

}  // namespace keras::layers
