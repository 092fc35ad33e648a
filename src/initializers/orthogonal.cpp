// The Orthogonal initializer. Its QR decomposition runs once per weight, on the host, in
// float64: Gram-Schmidt with a second orthogonalisation pass ("twice is enough"), which
// yields the Q whose R has a positive diagonal, i.e. Keras's q * sign(diag(r)).
#include <algorithm>
#include <cmath>

#include "keras/initializers.hpp"
#include "keras/ops/manipulation.hpp"
#include "keras/ops/math.hpp"
#include "keras/random.hpp"

namespace keras::initializers {

namespace {

// Orthonormalises the `count` vectors of length `length` stored one after another in
// `v`, in order. A Gaussian matrix has full rank with probability one.
void orthonormalize(std::vector<double>& v, std::int64_t count, std::int64_t length) {
  const auto n = static_cast<std::size_t>(length);
  for (std::int64_t j = 0; j < count; ++j) {
    double* col = v.data() + static_cast<std::size_t>(j) * n;
    for (int pass = 0; pass < 2; ++pass) {
      for (std::int64_t k = 0; k < j; ++k) {
        const double* q = v.data() + static_cast<std::size_t>(k) * n;
        double dot = 0.0;
        for (std::size_t i = 0; i < n; ++i) dot += q[i] * col[i];
        for (std::size_t i = 0; i < n; ++i) col[i] -= dot * q[i];
      }
    }
    double norm = 0.0;
    for (std::size_t i = 0; i < n; ++i) norm += col[i] * col[i];
    norm = std::sqrt(norm);
    for (std::size_t i = 0; i < n; ++i) col[i] /= norm;
  }
}

}  // namespace

Orthogonal::Orthogonal(const OrthogonalOptions& options)
    : RandomInitializer(options.seed), options_(options) {}

Tensor Orthogonal::operator()(const Shape& shape, DType dtype) const {
  if (shape.size() < 2) {
    throw ValueError("The tensor to initialize must be at least two-dimensional. Received: shape=" +
                     shape_str(shape) + " of rank " + std::to_string(shape.size()) + ".");
  }
  if (!is_floating(dtype)) {
    throw ValueError("Orthogonal can only produce floating tensors, got dtype=" +
                     std::string(dtype_name(dtype)));
  }
  std::int64_t rows = 1;
  for (std::size_t i = 0; i + 1 < shape.size(); ++i) rows *= shape[i];
  const std::int64_t cols = shape.back();
  if (rows <= 0 || cols <= 0) {
    throw ValueError("Orthogonal: cannot initialize a tensor of shape " + shape_str(shape));
  }
  const std::int64_t tall = std::max(rows, cols);
  const std::int64_t wide = std::min(rows, cols);
  // Keras draws a (tall, wide) normal matrix and orthonormalises its columns; drawing its
  // transpose lets each column be one contiguous run.
  std::vector<double> a =
      random::normal({wide, tall}, {.dtype = DType::float64, .seed = draw_seed()}).to_vector<double>();
  orthonormalize(a, wide, tall);
  // `a` now holds Q transposed, (wide, tall): the (rows, cols) result when rows < cols,
  // its transpose otherwise.
  Tensor q = Tensor::from_vector(a, {wide, tall});
  if (rows >= cols) q = ops::transpose(q);
  q = ops::reshape(q, shape);
  if (options_.gain != 1.0) q = ops::multiply(q, options_.gain);
  return q.astype(dtype);
}

nlohmann::json Orthogonal::get_config() const {
  nlohmann::json config = RandomInitializer::get_config();
  config["gain"] = options_.gain;
  return config;
}

}  // namespace keras::initializers
