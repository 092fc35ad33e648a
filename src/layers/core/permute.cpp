#include <algorithm>
#include <numeric>

#include "keras/layers/core.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/core/layer_config.hpp"

namespace keras::layers {

PermuteLayer::PermuteLayer(std::vector<std::int64_t> dims, const PermuteOptions& options)
    : Layer(base_options(options)), dims_(std::move(dims)) {
  std::vector<std::int64_t> sorted = dims_;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::int64_t> expected(dims_.size());
  std::iota(expected.begin(), expected.end(), 1);
  if (sorted != expected) {
    throw ValueError("Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be "
                     "consecutive and start from 1. Received dims=" + detail::int_tuple(dims_));
  }
}

// Checked here too: build sees the symbolic shape, None included.
void PermuteLayer::build(const std::vector<Shape>& input_shapes) {
  detail::check_input_ndim(*this, input_shapes.at(0), static_cast<std::int64_t>(dims_.size()) + 1);
}

Tensors PermuteLayer::call(const Tensors& inputs, const CallContext&) {
  const Tensor& x = detail::single_input(*this, inputs);
  detail::check_input_ndim(*this, x.shape(), static_cast<std::int64_t>(dims_.size()) + 1);
  std::vector<std::int64_t> axes{0};
  axes.insert(axes.end(), dims_.begin(), dims_.end());
  return {ops::transpose(x, axes)};
}

json PermuteLayer::get_config() const {
  json config = Layer::get_config();
  config["dims"] = dims_;
  return config;
}

LayerRef<PermuteLayer> PermuteLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "Permute");
  PermuteOptions o;
  detail::set_base_options(o, c.base());
  return Permute(c.int_list({"dims"}), o);
}

}  // namespace keras::layers
