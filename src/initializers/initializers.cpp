// The Initializer base, InitializerArg, and keras.initializers.get / serialize.
#include "keras/initializers.hpp"

#include <tuple>
#include <vector>

#include "utils/object_config.hpp"

namespace keras::initializers {

namespace {

using detail::ConfigReader;
using Factory = std::function<InitializerPtr(ConfigReader&)>;

FanOptions fan_options(ConfigReader& c) {
  FanOptions o{.seed = c.seed()};
  o.input_axes = c.int_list("input_axes");
  o.output_axes = c.int_list("output_axes");
  return o;
}

template <class T>
Factory fan_preset() {
  return [](ConfigReader& c) -> InitializerPtr { return std::make_shared<const T>(fan_options(c)); };
}

Factory zeros() {
  return [](ConfigReader&) -> InitializerPtr { return std::make_shared<const Zeros>(); };
}

Factory ones() {
  return [](ConfigReader&) -> InitializerPtr { return std::make_shared<const Ones>(); };
}

Factory constant() {
  return [](ConfigReader& c) -> InitializerPtr {
    return std::make_shared<const Constant>(c.number("value", 0.0));
  };
}

Factory identity() {
  return [](ConfigReader& c) -> InitializerPtr {
    return std::make_shared<const Identity>(IdentityOptions{.gain = c.number("gain", 1.0)});
  };
}

Factory random_normal() {
  return [](ConfigReader& c) -> InitializerPtr {
    return std::make_shared<const RandomNormal>(RandomNormalOptions{
        .mean = c.number("mean", 0.0), .stddev = c.number("stddev", 0.05), .seed = c.seed()});
  };
}

Factory truncated_normal() {
  return [](ConfigReader& c) -> InitializerPtr {
    return std::make_shared<const TruncatedNormal>(TruncatedNormalOptions{
        .mean = c.number("mean", 0.0), .stddev = c.number("stddev", 0.05), .seed = c.seed()});
  };
}

Factory random_uniform() {
  return [](ConfigReader& c) -> InitializerPtr {
    return std::make_shared<const RandomUniform>(RandomUniformOptions{
        .minval = c.number("minval", -0.05), .maxval = c.number("maxval", 0.05), .seed = c.seed()});
  };
}

Factory variance_scaling() {
  return [](ConfigReader& c) -> InitializerPtr {
    VarianceScalingOptions o{.scale = c.number("scale", 1.0),
                             .mode = c.string("mode", "fan_in"),
                             .distribution = c.string("distribution", "truncated_normal"),
                             .seed = c.seed()};
    o.input_axes = c.int_list("input_axes");
    o.output_axes = c.int_list("output_axes");
    return std::make_shared<const VarianceScaling>(o);
  };
}

Factory orthogonal() {
  return [](ConfigReader& c) -> InitializerPtr {
    return std::make_shared<const Orthogonal>(
        OrthogonalOptions{.gain = c.number("gain", 1.0), .seed = c.seed()});
  };
}

// Keras 3's ALL_OBJECTS_DICT: class names, their snake_case, and the aliases.
const detail::Registry<InitializerPtr>& registry() {
  static const detail::Registry<InitializerPtr> table = [] {
    const std::vector<std::tuple<const char*, const char*, Factory>> classes = {
        {"Zeros", "zeros", zeros()},
        {"Ones", "ones", ones()},
        {"Constant", "constant", constant()},
        {"Identity", "identity", identity()},
        {"RandomNormal", "random_normal", random_normal()},
        {"TruncatedNormal", "truncated_normal", truncated_normal()},
        {"RandomUniform", "random_uniform", random_uniform()},
        {"VarianceScaling", "variance_scaling", variance_scaling()},
        {"GlorotUniform", "glorot_uniform", fan_preset<GlorotUniform>()},
        {"GlorotNormal", "glorot_normal", fan_preset<GlorotNormal>()},
        {"HeUniform", "he_uniform", fan_preset<HeUniform>()},
        {"HeNormal", "he_normal", fan_preset<HeNormal>()},
        {"LecunUniform", "lecun_uniform", fan_preset<LecunUniform>()},
        {"LecunNormal", "lecun_normal", fan_preset<LecunNormal>()},
        {"Orthogonal", "orthogonal", orthogonal()},
    };
    detail::Registry<InitializerPtr> t;
    for (const auto& [name, snake, factory] : classes) {
      t[name] = factory;
      t[snake] = factory;
    }
    t["IdentityInitializer"] = identity();
    t["OrthogonalInitializer"] = orthogonal();
    t["normal"] = random_normal();
    t["uniform"] = random_uniform();
    t["zero"] = zeros();
    t["one"] = ones();
    return t;
  }();
  return table;
}

}  // namespace

Initializer::~Initializer() = default;

nlohmann::json Initializer::get_config() const { return nlohmann::json::object(); }

InitializerArg::InitializerArg(const char* name) : InitializerArg(std::string(name)) {}

InitializerArg::InitializerArg(const std::string& name) : ptr_(get(name)) {}

const Initializer& InitializerArg::operator*() const {
  if (!ptr_) throw ValueError("This initializer argument is empty (None): there is no initializer to call");
  return *ptr_;
}

InitializerPtr get(const nlohmann::json& identifier) {
  if (identifier.is_null()) return nullptr;
  if (identifier.is_string()) {
    // As Keras: a name is looked up as {"class_name": name, "config": {}}.
    const nlohmann::json config = {{"class_name", identifier}, {"config", nlohmann::json::object()}};
    return detail::deserialize_object(registry(), {identifier.get<std::string>(), config["config"]},
                                      config);
  }
  if (identifier.is_object()) {
    return detail::deserialize_object(registry(), detail::parse_object_dict(identifier, "initializer"),
                                      identifier);
  }
  throw ValueError("Could not interpret initializer identifier: " + identifier.dump());
}

nlohmann::json serialize(const Initializer& initializer) {
  return detail::keras_object("keras.initializers", initializer.class_name(), initializer.get_config());
}

nlohmann::json serialize(const InitializerArg& initializer) {
  return initializer ? serialize(*initializer) : nlohmann::json(nullptr);
}

}  // namespace keras::initializers
