#pragma once
// Weight initializers (keras.initializers): objects that make a tensor of a given shape
// and dtype. Class names, arguments, defaults and configs are Keras 3's.
//
// Seeds follow Keras 3: an initializer made with a seed gives the same values at every
// call; one made without a seed draws a seed once, at construction, from the global
// generator (so keras::utils::set_random_seed makes it repeatable) and then also gives
// the same values at every call. Its config keeps "seed": null.
#include <concepts>
#include <cstdint>
#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "keras/dtype.hpp"
#include "keras/shape.hpp"
#include "keras/tensor.hpp"

namespace keras::initializers {

class Initializer {
 public:
  virtual ~Initializer();
  virtual Tensor operator()(const Shape& shape, DType dtype = floatx()) const = 0;
  // The name Keras serializes the class under ("GlorotUniform", ...).
  virtual std::string class_name() const = 0;
  // The constructor arguments, as Keras's get_config() returns them ({} by default).
  virtual nlohmann::json get_config() const;
};

using InitializerPtr = std::shared_ptr<const Initializer>;

// Keras's compute_fans: (fan_in, fan_out) of a weight shape. () gives (1, 1), (n,) gives
// (n, n), (in, out) gives (in, out), and a convolution kernel (spatial..., in, out)
// multiplies both by the receptive field (the product of the spatial sizes).
std::pair<std::int64_t, std::int64_t> compute_fans(const Shape& shape);
// With explicit axes (Keras 3.15's input_axes / output_axes): the products of those sizes.
std::pair<std::int64_t, std::int64_t> compute_fans(const Shape& shape,
                                                   const std::vector<std::int64_t>& input_axes,
                                                   const std::vector<std::int64_t>& output_axes);

// ---- constant initializers ----------------------------------------------------------

class Zeros final : public Initializer {
 public:
  Tensor operator()(const Shape& shape, DType dtype = floatx()) const override;
  std::string class_name() const override { return "Zeros"; }
};

class Ones final : public Initializer {
 public:
  Tensor operator()(const Shape& shape, DType dtype = floatx()) const override;
  std::string class_name() const override { return "Ones"; }
};

class Constant final : public Initializer {
 public:
  explicit Constant(double value = 0.0) : value_(value) {}
  Tensor operator()(const Shape& shape, DType dtype = floatx()) const override;
  std::string class_name() const override { return "Constant"; }
  nlohmann::json get_config() const override;
  double value() const { return value_; }

 private:
  double value_;
};

struct IdentityOptions {
  double gain = 1.0;
};
// gain * eye(rows, cols), for 2-D shapes only.
class Identity final : public Initializer {
 public:
  explicit Identity(const IdentityOptions& options = {}) : options_(options) {}
  Tensor operator()(const Shape& shape, DType dtype = floatx()) const override;
  // Keras 3 exports the class first as "Identity".
  std::string class_name() const override { return "Identity"; }
  // {"gain": ...}. Keras 3's Identity writes {} and so loses its gain; writing it keeps
  // the value, and Keras reads it back (Identity(gain=...)).
  nlohmann::json get_config() const override;
  const IdentityOptions& options() const { return options_; }

 private:
  IdentityOptions options_;
};

// ---- random initializers ------------------------------------------------------------

// Holds the seed of a random initializer (see the file comment).
class RandomInitializer : public Initializer {
 public:
  // The seed as given; nullopt for an unseeded initializer.
  const std::optional<std::uint64_t>& seed() const { return seed_; }
  // {"seed": <int or null>}
  nlohmann::json get_config() const override;

 protected:
  explicit RandomInitializer(std::optional<std::uint64_t> seed);
  // The seed the draws use: the given one, or the one drawn at construction.
  std::uint64_t draw_seed() const { return draw_seed_; }

 private:
  std::optional<std::uint64_t> seed_;
  std::uint64_t draw_seed_;
};

struct RandomNormalOptions {
  double mean = 0.0;
  double stddev = 0.05;
  std::optional<std::uint64_t> seed;
};
class RandomNormal final : public RandomInitializer {
 public:
  explicit RandomNormal(const RandomNormalOptions& options = {});
  Tensor operator()(const Shape& shape, DType dtype = floatx()) const override;
  std::string class_name() const override { return "RandomNormal"; }
  nlohmann::json get_config() const override;
  const RandomNormalOptions& options() const { return options_; }

 private:
  RandomNormalOptions options_;
};

// Normal values redrawn when more than two standard deviations from the mean.
struct TruncatedNormalOptions {
  double mean = 0.0;
  double stddev = 0.05;
  std::optional<std::uint64_t> seed;
};
class TruncatedNormal final : public RandomInitializer {
 public:
  explicit TruncatedNormal(const TruncatedNormalOptions& options = {});
  Tensor operator()(const Shape& shape, DType dtype = floatx()) const override;
  std::string class_name() const override { return "TruncatedNormal"; }
  nlohmann::json get_config() const override;
  const TruncatedNormalOptions& options() const { return options_; }

 private:
  TruncatedNormalOptions options_;
};

struct RandomUniformOptions {
  double minval = -0.05;
  double maxval = 0.05;
  std::optional<std::uint64_t> seed;
};
class RandomUniform final : public RandomInitializer {
 public:
  explicit RandomUniform(const RandomUniformOptions& options = {});
  Tensor operator()(const Shape& shape, DType dtype = floatx()) const override;
  std::string class_name() const override { return "RandomUniform"; }
  nlohmann::json get_config() const override;
  const RandomUniformOptions& options() const { return options_; }

 private:
  RandomUniformOptions options_;
};

// n = fan_in, fan_out or their mean (mode); "truncated_normal" draws with stddev
// sqrt(scale / n) / 0.8796... (the truncation's loss of spread undone), "untruncated_normal"
// with sqrt(scale / n), "uniform" from [-sqrt(3 scale / n), sqrt(3 scale / n)].
// "normal" is accepted for "truncated_normal", as in Keras.
struct VarianceScalingOptions {
  double scale = 1.0;
  std::string mode = "fan_in";                     // "fan_in", "fan_out" or "fan_avg"
  std::string distribution = "truncated_normal";  // or "untruncated_normal", "uniform"
  std::optional<std::uint64_t> seed;
  // Axes whose sizes make fan_in / fan_out, instead of compute_fans's rules (both or
  // neither, as in Keras 3.15+).
  std::optional<std::vector<std::int64_t>> input_axes;
  std::optional<std::vector<std::int64_t>> output_axes;
};
class VarianceScaling : public RandomInitializer {
 public:
  explicit VarianceScaling(const VarianceScalingOptions& options = {});
  Tensor operator()(const Shape& shape, DType dtype = floatx()) const override;
  std::string class_name() const override { return "VarianceScaling"; }
  // scale, mode, distribution, seed; input_axes / output_axes only when set, so that
  // Keras versions before 3.15 (which reject those keys) read the config too.
  nlohmann::json get_config() const override;
  const VarianceScalingOptions& options() const { return options_; }

 protected:
  nlohmann::json axes_config() const;

 private:
  VarianceScalingOptions options_;
};

// Arguments of the fixed VarianceScaling presets below.
struct FanOptions {
  std::optional<std::uint64_t> seed;
  std::optional<std::vector<std::int64_t>> input_axes;
  std::optional<std::vector<std::int64_t>> output_axes;
};

// Uniform in [-limit, limit], limit = sqrt(6 / (fan_in + fan_out)).
class GlorotUniform final : public VarianceScaling {
 public:
  explicit GlorotUniform(const FanOptions& options = {});
  std::string class_name() const override { return "GlorotUniform"; }
  nlohmann::json get_config() const override;
};

// Truncated normal, stddev sqrt(2 / (fan_in + fan_out)).
class GlorotNormal final : public VarianceScaling {
 public:
  explicit GlorotNormal(const FanOptions& options = {});
  std::string class_name() const override { return "GlorotNormal"; }
  nlohmann::json get_config() const override;
};

// Uniform in [-limit, limit], limit = sqrt(6 / fan_in).
class HeUniform final : public VarianceScaling {
 public:
  explicit HeUniform(const FanOptions& options = {});
  std::string class_name() const override { return "HeUniform"; }
  nlohmann::json get_config() const override;
};

// Truncated normal, stddev sqrt(2 / fan_in).
class HeNormal final : public VarianceScaling {
 public:
  explicit HeNormal(const FanOptions& options = {});
  std::string class_name() const override { return "HeNormal"; }
  nlohmann::json get_config() const override;
};

// Uniform in [-limit, limit], limit = sqrt(3 / fan_in).
class LecunUniform final : public VarianceScaling {
 public:
  explicit LecunUniform(const FanOptions& options = {});
  std::string class_name() const override { return "LecunUniform"; }
  nlohmann::json get_config() const override;
};

// Truncated normal, stddev sqrt(1 / fan_in).
class LecunNormal final : public VarianceScaling {
 public:
  explicit LecunNormal(const FanOptions& options = {});
  std::string class_name() const override { return "LecunNormal"; }
  nlohmann::json get_config() const override;
};

struct OrthogonalOptions {
  double gain = 1.0;
  std::optional<std::uint64_t> seed;
};
// gain * an orthogonal matrix of shape (prod(shape[:-1]), shape[-1]), reshaped: the Q of
// the QR decomposition of a normal matrix, with R's diagonal made positive. Orthogonal
// columns when rows >= columns, else orthogonal rows. Shapes of rank >= 2.
class Orthogonal final : public RandomInitializer {
 public:
  explicit Orthogonal(const OrthogonalOptions& options = {});
  Tensor operator()(const Shape& shape, DType dtype = floatx()) const override;
  std::string class_name() const override { return "Orthogonal"; }
  nlohmann::json get_config() const override;
  const OrthogonalOptions& options() const { return options_; }

 private:
  OrthogonalOptions options_;
};

// ---- C++ callables --------------------------------------------------------------------

using InitializerFunction = std::function<Tensor(const Shape&, DType)>;

// A C++ callable used as an initializer (Keras accepts any fn(shape, dtype)). It cannot
// be serialized: get_config() throws NotImplementedError.
class FunctionInitializer final : public Initializer {
 public:
  explicit FunctionInitializer(InitializerFunction fn);
  Tensor operator()(const Shape& shape, DType dtype = floatx()) const override;
  std::string class_name() const override { return "function"; }
  nlohmann::json get_config() const override;

 private:
  InitializerFunction fn_;
};

// ---- "a string or an object" ---------------------------------------------------------

// What a layer's `*_initializer` argument holds: a Keras name ("glorot_uniform",
// "HeNormal", "zeros", ...), an initializer object (copied), a shared pointer to one, or a
// C++ callable Tensor(const Shape&, DType). Names are resolved at once, as Keras's
// initializers.get does in a layer's constructor. Default-constructed (or from nullptr)
// it holds nothing, like Keras's None.
class InitializerArg {
 public:
  InitializerArg() = default;
  InitializerArg(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  InitializerArg(const char* name);  // NOLINT(google-explicit-constructor)
  InitializerArg(const std::string& name);  // NOLINT(google-explicit-constructor)
  template <class T>
    requires std::derived_from<T, Initializer>
  InitializerArg(std::shared_ptr<T> initializer)  // NOLINT(google-explicit-constructor)
      : ptr_(std::move(initializer)) {}
  template <class T>
    requires std::derived_from<std::remove_cvref_t<T>, Initializer>
  InitializerArg(T&& initializer)  // NOLINT(google-explicit-constructor)
      : ptr_(std::make_shared<const std::remove_cvref_t<T>>(std::forward<T>(initializer))) {}
  template <class F>
    requires(!std::derived_from<std::remove_cvref_t<F>, Initializer> &&
             !std::convertible_to<F, std::string> &&
             std::is_invocable_r_v<Tensor, F&, const Shape&, DType>)
  InitializerArg(F fn)  // NOLINT(google-explicit-constructor)
      : ptr_(std::make_shared<const FunctionInitializer>(InitializerFunction(std::move(fn)))) {}

  bool defined() const { return ptr_ != nullptr; }
  explicit operator bool() const { return defined(); }
  const InitializerPtr& ptr() const { return ptr_; }
  // Throws ValueError when empty.
  const Initializer& operator*() const;
  const Initializer* operator->() const { return &**this; }
  Tensor operator()(const Shape& shape, DType dtype = floatx()) const { return (**this)(shape, dtype); }

 private:
  InitializerPtr ptr_;
};

// keras.initializers.get: a name (class name, its snake_case, or Keras's aliases "normal",
// "uniform", "zero", "one", "OrthogonalInitializer", "IdentityInitializer") or a config
// dict {"class_name", "config"} (module / registered_name optional, so Keras 2 and 3
// configs both load). null gives nullptr. An unknown class raises TypeError
// "Could not locate class '<name>'...", as Keras does.
InitializerPtr get(const nlohmann::json& identifier);
// keras.initializers.serialize: {"module": "keras.initializers", "class_name": ...,
// "config": {...}, "registered_name": null}; an empty InitializerArg gives null.
nlohmann::json serialize(const Initializer& initializer);
nlohmann::json serialize(const InitializerArg& initializer);

}  // namespace keras::initializers
