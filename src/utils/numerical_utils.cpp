#include "keras/utils/numerical_utils.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "keras/errors.hpp"
#include "keras/ops.hpp"

namespace keras::utils {

Tensor to_categorical(const Tensor& x, std::optional<std::int64_t> num_classes) {
  Shape shape = x.shape();
  if (shape.size() > 1 && shape.back() == 1) shape.pop_back();
  const auto labels = x.to_vector<double>();
  std::int64_t classes = num_classes.value_or(0);
  if (!num_classes) {
    for (double v : labels) classes = std::max(classes, static_cast<std::int64_t>(v) + 1);
  }
  std::vector<float> out(labels.size() * static_cast<std::size_t>(classes), 0.0f);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto c = static_cast<std::int64_t>(labels[i]);
    if (c < 0 || c >= classes || static_cast<double>(c) != labels[i]) {
      throw ValueError("to_categorical: label " + std::to_string(labels[i]) + " is not an integer in [0, " +
                       std::to_string(classes) + ")");
    }
    out[i * static_cast<std::size_t>(classes) + static_cast<std::size_t>(c)] = 1.0f;
  }
  shape.push_back(classes);
  return Tensor::from_vector(out, shape);
}

Tensor normalize(const Tensor& x, std::int64_t axis, int order) {
  if (order < 1) throw ValueError("normalize: `order` must be a positive integer, got " + std::to_string(order));
  const Tensor xf = is_floating(x.dtype()) ? x : ops::cast(x, floatx());
  Tensor norm;
  if (order == 2) {
    norm = ops::sqrt(ops::sum(ops::square(xf), axis, true));
  } else {
    norm = ops::power(ops::sum(ops::power(ops::abs(xf), static_cast<double>(order)), axis, true), 1.0 / order);
  }
  // A zero norm divides as 1, leaving the zero vector.
  return ops::divide(xf, ops::where(ops::equal(norm, 0.0), ops::ones_like(norm), norm));
}

}  // namespace keras::utils
