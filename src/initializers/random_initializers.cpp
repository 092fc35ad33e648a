// RandomNormal, TruncatedNormal, RandomUniform, VarianceScaling and its presets, and
// Keras's fan rules.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "keras/initializers.hpp"
#include "keras/random.hpp"
#include "utils/object_config.hpp"

namespace keras::initializers {

namespace {

// Keras's make_default_seed: an int in [1, 1e9) from the global generator.
std::uint64_t make_default_seed() {
  const double u = random::uniform({}, {.minval = 1.0, .maxval = 1e9, .dtype = DType::float64})
                       .item<double>();
  return static_cast<std::uint64_t>(u);
}

void require_floating(const std::string& name, DType dtype) {
  if (!is_floating(dtype)) {
    throw ValueError(name + " can only produce floating tensors, got dtype=" +
                     std::string(dtype_name(dtype)));
  }
}

void require_known_dims(const std::string& name, const Shape& shape) {
  for (std::int64_t d : shape) {
    if (d < 0) throw ValueError(name + ": cannot initialize a tensor of shape " + shape_str(shape));
  }
}

nlohmann::json seed_json(const std::optional<std::uint64_t>& seed) {
  return seed ? nlohmann::json(*seed) : nlohmann::json(nullptr);
}

std::int64_t product_of_axes(const Shape& shape, const std::vector<std::int64_t>& axes) {
  std::int64_t n = 1;
  for (std::int64_t axis : axes) n *= shape[static_cast<std::size_t>(normalize_axis(axis, static_cast<std::int64_t>(shape.size())))];
  return n;
}

const std::set<std::string> kModes = {"fan_in", "fan_out", "fan_avg"};
const std::set<std::string> kDistributions = {"truncated_normal", "untruncated_normal", "uniform"};

// Python's repr of a set of strings, for Keras's error messages.
std::string python_set(const std::set<std::string>& items) {
  std::string s = "{";
  for (const auto& item : items) s += (s.size() > 1 ? ", '" : "'") + item + "'";
  return s + "}";
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

VarianceScalingOptions validated(VarianceScalingOptions o) {
  if (!(o.scale > 0.0)) {
    throw ValueError("Argument `scale` must be positive float. Received: scale=" +
                     detail::python_float(o.scale));
  }
  if (kModes.count(o.mode) == 0) {
    throw ValueError("Invalid `mode` argument: " + o.mode + ". Please use one of " +
                     python_set(kModes));
  }
  o.distribution = lower(o.distribution);
  if (o.distribution == "normal") o.distribution = "truncated_normal";
  if (kDistributions.count(o.distribution) == 0) {
    throw ValueError("Invalid `distribution` argument: " + o.distribution +
                     ". Please use one of " + python_set(kDistributions));
  }
  if (o.input_axes.has_value() != o.output_axes.has_value()) {
    throw ValueError("VarianceScaling: give both `input_axes` and `output_axes`, or neither");
  }
  return o;
}

VarianceScalingOptions preset(double scale, const char* mode, const char* distribution,
                              const FanOptions& o) {
  return {.scale = scale, .mode = mode, .distribution = distribution, .seed = o.seed,
          .input_axes = o.input_axes, .output_axes = o.output_axes};
}

}  // namespace

std::pair<std::int64_t, std::int64_t> compute_fans(const Shape& shape) {
  if (shape.empty()) return {1, 1};
  if (shape.size() == 1) return {shape[0], shape[0]};
  if (shape.size() == 2) return {shape[0], shape[1]};
  std::int64_t receptive_field = 1;
  for (std::size_t i = 0; i + 2 < shape.size(); ++i) receptive_field *= shape[i];
  return {shape[shape.size() - 2] * receptive_field, shape.back() * receptive_field};
}

std::pair<std::int64_t, std::int64_t> compute_fans(const Shape& shape,
                                                   const std::vector<std::int64_t>& input_axes,
                                                   const std::vector<std::int64_t>& output_axes) {
  return {product_of_axes(shape, input_axes), product_of_axes(shape, output_axes)};
}

RandomInitializer::RandomInitializer(std::optional<std::uint64_t> seed)
    : seed_(seed), draw_seed_(seed ? *seed : make_default_seed()) {}

nlohmann::json RandomInitializer::get_config() const { return {{"seed", seed_json(seed_)}}; }

RandomNormal::RandomNormal(const RandomNormalOptions& options)
    : RandomInitializer(options.seed), options_(options) {}

Tensor RandomNormal::operator()(const Shape& shape, DType dtype) const {
  require_floating(class_name(), dtype);
  require_known_dims(class_name(), shape);
  return random::normal(shape, {.mean = options_.mean, .stddev = options_.stddev, .dtype = dtype,
                                .seed = draw_seed()});
}

nlohmann::json RandomNormal::get_config() const {
  return {{"seed", seed_json(seed())}, {"mean", options_.mean}, {"stddev", options_.stddev}};
}

TruncatedNormal::TruncatedNormal(const TruncatedNormalOptions& options)
    : RandomInitializer(options.seed), options_(options) {}

Tensor TruncatedNormal::operator()(const Shape& shape, DType dtype) const {
  require_floating(class_name(), dtype);
  require_known_dims(class_name(), shape);
  return random::truncated_normal(
      shape, {.mean = options_.mean, .stddev = options_.stddev, .dtype = dtype, .seed = draw_seed()});
}

nlohmann::json TruncatedNormal::get_config() const {
  return {{"seed", seed_json(seed())}, {"mean", options_.mean}, {"stddev", options_.stddev}};
}

RandomUniform::RandomUniform(const RandomUniformOptions& options)
    : RandomInitializer(options.seed), options_(options) {}

Tensor RandomUniform::operator()(const Shape& shape, DType dtype) const {
  require_floating(class_name(), dtype);
  require_known_dims(class_name(), shape);
  return random::uniform(shape, {.minval = options_.minval, .maxval = options_.maxval,
                                 .dtype = dtype, .seed = draw_seed()});
}

nlohmann::json RandomUniform::get_config() const {
  return {{"seed", seed_json(seed())}, {"minval", options_.minval}, {"maxval", options_.maxval}};
}

VarianceScaling::VarianceScaling(const VarianceScalingOptions& options)
    : RandomInitializer(options.seed), options_(validated(options)) {}

Tensor VarianceScaling::operator()(const Shape& shape, DType dtype) const {
  require_floating(class_name(), dtype);
  require_known_dims(class_name(), shape);
  const auto [fan_in, fan_out] = options_.input_axes
                                     ? compute_fans(shape, *options_.input_axes, *options_.output_axes)
                                     : compute_fans(shape);
  double n = 0.5 * static_cast<double>(fan_in + fan_out);
  if (options_.mode == "fan_in") n = static_cast<double>(fan_in);
  if (options_.mode == "fan_out") n = static_cast<double>(fan_out);
  const double scale = options_.scale / std::max(1.0, n);
  if (options_.distribution == "uniform") {
    const double limit = std::sqrt(3.0 * scale);
    return random::uniform(shape, {.minval = -limit, .maxval = limit, .dtype = dtype, .seed = draw_seed()});
  }
  if (options_.distribution == "untruncated_normal") {
    return random::normal(shape, {.stddev = std::sqrt(scale), .dtype = dtype, .seed = draw_seed()});
  }
  // The standard deviation of a unit normal truncated to [-2, 2] is 0.8796...; dividing by
  // it makes the truncated values' spread sqrt(scale).
  const double stddev = std::sqrt(scale) / 0.87962566103423978;
  return random::truncated_normal(shape, {.stddev = stddev, .dtype = dtype, .seed = draw_seed()});
}

nlohmann::json VarianceScaling::axes_config() const {
  nlohmann::json config = {{"seed", seed_json(seed())}};
  if (options_.input_axes) {
    config["input_axes"] = *options_.input_axes;
    config["output_axes"] = *options_.output_axes;
  }
  return config;
}

nlohmann::json VarianceScaling::get_config() const {
  nlohmann::json config = axes_config();
  config["scale"] = options_.scale;
  config["mode"] = options_.mode;
  config["distribution"] = options_.distribution;
  return config;
}

GlorotUniform::GlorotUniform(const FanOptions& o) : VarianceScaling(preset(1.0, "fan_avg", "uniform", o)) {}
nlohmann::json GlorotUniform::get_config() const { return axes_config(); }

GlorotNormal::GlorotNormal(const FanOptions& o)
    : VarianceScaling(preset(1.0, "fan_avg", "truncated_normal", o)) {}
nlohmann::json GlorotNormal::get_config() const { return axes_config(); }

HeUniform::HeUniform(const FanOptions& o) : VarianceScaling(preset(2.0, "fan_in", "uniform", o)) {}
nlohmann::json HeUniform::get_config() const { return axes_config(); }

HeNormal::HeNormal(const FanOptions& o) : VarianceScaling(preset(2.0, "fan_in", "truncated_normal", o)) {}
nlohmann::json HeNormal::get_config() const { return axes_config(); }

LecunUniform::LecunUniform(const FanOptions& o) : VarianceScaling(preset(1.0, "fan_in", "uniform", o)) {}
nlohmann::json LecunUniform::get_config() const { return axes_config(); }

LecunNormal::LecunNormal(const FanOptions& o)
    : VarianceScaling(preset(1.0, "fan_in", "truncated_normal", o)) {}
nlohmann::json LecunNormal::get_config() const { return axes_config(); }

}  // namespace keras::initializers
