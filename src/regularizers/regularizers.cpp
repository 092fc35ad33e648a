// L1, L2, L1L2, OrthogonalRegularizer, callables, and keras.regularizers.get / serialize.
#include "keras/regularizers.hpp"

#include <cmath>

#include "keras/ops/creation.hpp"
#include "keras/ops/linalg.hpp"
#include "keras/ops/manipulation.hpp"
#include "keras/ops/math.hpp"
#include "keras/ops/nn.hpp"
#include "keras/ops/reduction.hpp"
#include "utils/object_config.hpp"

namespace keras::regularizers {

namespace {

using detail::ConfigReader;
using Factory = std::function<RegularizerPtr(ConfigReader&)>;

// Keras's validate_float_arg.
double validate_factor(double value, const char* name) {
  if (!std::isfinite(value) || value < 0) {
    throw ValueError(std::string("Invalid value for argument ") + name +
                     ": expected a non-negative float. Received: " + name + "=" +
                     detail::python_float(value));
  }
  return value;
}

void require_defined(const Tensor& x, const std::string& who) {
  if (!x.defined()) throw ValueError(who + ": the input tensor is undefined");
}

Tensor l1_term(double l1, const Tensor& x) { return ops::multiply(l1, ops::sum(ops::abs(x))); }
Tensor l2_term(double l2, const Tensor& x) { return ops::multiply(l2, ops::sum(ops::square(x))); }

const detail::Registry<RegularizerPtr>& registry() {
  static const detail::Registry<RegularizerPtr> table = [] {
    const Factory l1 = [](ConfigReader& c) -> RegularizerPtr {
      return std::make_shared<const L1>(c.number("l1", 0.01));
    };
    const Factory l2 = [](ConfigReader& c) -> RegularizerPtr {
      return std::make_shared<const L2>(c.number("l2", 0.01));
    };
    const Factory l1l2 = [](ConfigReader& c) -> RegularizerPtr {
      return std::make_shared<const L1L2>(L1L2Options{.l1 = c.number("l1", 0.0), .l2 = c.number("l2", 0.0)});
    };
    const Factory orthogonal = [](ConfigReader& c) -> RegularizerPtr {
      return std::make_shared<const OrthogonalRegularizer>(OrthogonalRegularizerOptions{
          .factor = c.number("factor", 0.01), .mode = c.string("mode", "rows")});
    };
    return detail::Registry<RegularizerPtr>{
        {"L1", l1},
        {"l1", l1},
        {"L2", l2},
        {"l2", l2},
        {"L1L2", l1l2},
        {"l1l2", l1l2},
        {"OrthogonalRegularizer", orthogonal},
        {"orthogonal_regularizer", orthogonal},
    };
  }();
  return table;
}

}  // namespace

Regularizer::~Regularizer() = default;

nlohmann::json Regularizer::get_config() const {
  throw NotImplementedError(class_name() +
                            " does not implement get_config(), so it cannot be serialized");
}

L1::L1(double l1) : l1_(validate_factor(l1, "l1")) {}

Tensor L1::operator()(const Tensor& x) const {
  require_defined(x, "L1");
  return l1_term(l1_, x);
}

nlohmann::json L1::get_config() const { return {{"l1", l1_}}; }

L2::L2(double l2) : l2_(validate_factor(l2, "l2")) {}

Tensor L2::operator()(const Tensor& x) const {
  require_defined(x, "L2");
  return l2_term(l2_, x);
}

nlohmann::json L2::get_config() const { return {{"l2", l2_}}; }

L1L2::L1L2(const L1L2Options& options)
    : options_{validate_factor(options.l1, "l1"), validate_factor(options.l2, "l2")} {}

Tensor L1L2::operator()(const Tensor& x) const {
  require_defined(x, "L1L2");
  Tensor penalty = ops::zeros({}, x.dtype());
  if (options_.l1 != 0.0) penalty = ops::add(penalty, l1_term(options_.l1, x));
  if (options_.l2 != 0.0) penalty = ops::add(penalty, l2_term(options_.l2, x));
  return penalty;
}

nlohmann::json L1L2::get_config() const { return {{"l1", options_.l1}, {"l2", options_.l2}}; }

OrthogonalRegularizer::OrthogonalRegularizer(const OrthogonalRegularizerOptions& options)
    : options_(options) {
  validate_factor(options.factor, "factor");
  if (options.mode != "rows" && options.mode != "columns") {
    throw ValueError(
        "Invalid value for argument `mode`. Expected one of {\"rows\", \"columns\"}. Received: mode=" +
        options.mode);
  }
}

Tensor OrthogonalRegularizer::operator()(const Tensor& x) const {
  require_defined(x, "OrthogonalRegularizer");
  if (x.ndim() != 2) {
    throw ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=" +
                     shape_str(x.shape()));
  }
  const bool rows = options_.mode == "rows";
  // Keras's normalize: x * rsqrt(max(sum(x^2), epsilon^2)), epsilon = 1e-7.
  Tensor u = ops::l2_normalize(x, rows ? 1 : 0, 1e-14);
  Tensor product = rows ? ops::matmul(u, ops::transpose(u)) : ops::matmul(ops::transpose(u), u);
  const std::int64_t size = x.dim(rows ? 0 : 1);
  Tensor off_diagonal = ops::multiply(product, ops::subtract(1.0, ops::eye(size, -1, 0, x.dtype())));
  const double num_pairs = static_cast<double>(size) * (static_cast<double>(size) - 1.0) / 2.0;
  return ops::multiply(options_.factor * 0.5 / num_pairs, ops::sum(ops::abs(off_diagonal)));
}

nlohmann::json OrthogonalRegularizer::get_config() const {
  return {{"factor", options_.factor}, {"mode", options_.mode}};
}

FunctionRegularizer::FunctionRegularizer(RegularizerFunction fn) : fn_(std::move(fn)) {
  if (!fn_) throw ValueError("FunctionRegularizer: the callable is empty");
}

Tensor FunctionRegularizer::operator()(const Tensor& x) const { return fn_(x); }

RegularizerArg::RegularizerArg(const char* name) : RegularizerArg(std::string(name)) {}

RegularizerArg::RegularizerArg(const std::string& name) : ptr_(get(name)) {}

const Regularizer& RegularizerArg::operator*() const {
  if (!ptr_) throw ValueError("This regularizer argument is empty (None): there is no regularizer to call");
  return *ptr_;
}

RegularizerPtr get(const nlohmann::json& identifier) {
  if (identifier.is_null()) return nullptr;
  if (identifier.is_object()) {
    return detail::deserialize_object(registry(), detail::parse_object_dict(identifier, "regularizer"),
                                      identifier);
  }
  if (identifier.is_string()) {
    const auto name = identifier.get<std::string>();
    if (name == "l1_l2") return std::make_shared<const L1L2>(L1L2Options{.l1 = 0.01, .l2 = 0.01});
    if (registry().count(name) != 0) {
      return detail::deserialize_object(registry(), {name, nlohmann::json::object()}, identifier);
    }
  }
  throw ValueError("Could not interpret regularizer identifier: " +
                   (identifier.is_string() ? identifier.get<std::string>() : identifier.dump()));
}

nlohmann::json serialize(const Regularizer& regularizer) {
  return detail::keras_object("keras.regularizers", regularizer.class_name(), regularizer.get_config());
}

nlohmann::json serialize(const RegularizerArg& regularizer) {
  return regularizer ? serialize(*regularizer) : nlohmann::json(nullptr);
}

}  // namespace keras::regularizers
