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

// An unseeded layer takes its stream's seed from the global generator once, so
// keras::utils::set_random_seed makes it repeatable and two layers differ.
std::uint64_t stream_seed(const std::optional<std::uint64_t>& seed) {
  if (seed) return *seed;
  const auto [key, counter] = random::global_generator().next(1);
  return key ^ (counter * 0x9E3779B97F4A7C15ull);
}

}  // namespace

DropoutLayer::DropoutLayer(double rate, const DropoutOptions& options)
    : Layer(base_options(options)),
      rate_(checked_rate(rate)),
      options_(options),
      seed_generator_(stream_seed(options.seed)) {
  check_noise_shape(options.noise_shape);
  set_supports_masking(true);
}

Tensors DropoutLayer::call(const Tensors& inputs, const CallContext& context) {
  const Tensor& x = detail::single_input(*this, inputs);
  if (!context.training || rate_ == 0.0) return {x};
  // Each call draws the next seed of the layer's stream, so masks differ between steps.
  const auto [key, counter] = seed_generator_.next(1);
  return {ops::dropout(x, rate_, {.noise_shape = options_.noise_shape, .seed = key + counter})};
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
