#include <algorithm>
#include <set>

#include "keras/layers/merging.hpp"
#include "keras/ops.hpp"
#include "layers/merging/merge_shapes.hpp"

namespace keras::layers {

namespace {

// Keras's Merge.compute_output_shape (and build's checks): known batch sizes agree, the
// rest broadcasts by elementwise_shape.
Shape merge_output_shape(const std::vector<Shape>& shapes) {
  if (shapes.empty()) {
    throw ValueError(
        "A merge layer should be called on a list of at least 1 input. Received 0 inputs. "
        "Full input_shape received: []");
  }
  std::set<std::int64_t> batch_sizes;
  for (const auto& s : shapes) {
    if (!s.empty() && s.front() != kUnknownDim) batch_sizes.insert(s.front());
  }
  if (batch_sizes.size() > 1) {
    throw ValueError("Cannot merge tensors with different batch sizes. Received tensors with shapes " +
                     detail::shapes_str(shapes));
  }
  auto rest = [](const Shape& s) { return s.empty() ? s : Shape(s.begin() + 1, s.end()); };
  Shape out = rest(shapes.front());
  for (std::size_t i = 1; i < shapes.size(); ++i) out = detail::elementwise_shape(out, rest(shapes[i]));
  out.insert(out.begin(), batch_sizes.size() == 1 ? *batch_sizes.begin() : kUnknownDim);
  return out;
}

bool same_rank(const Tensors& inputs) {
  return std::all_of(inputs.begin(), inputs.end(), [&](const Tensor& t) { return t.ndim() == inputs.front().ndim(); });
}

// Inputs of lower rank get axes inserted after the batch axis (Keras's reshape).
Tensors expand_to_common_rank(const Tensors& inputs) {
  std::int64_t rank = 0;
  for (const auto& t : inputs) rank = std::max(rank, t.ndim());
  Tensors out;
  for (Tensor t : inputs) {
    while (t.ndim() < rank) t = ops::expand_dims(t, 1);
    out.push_back(t);
  }
  return out;
}

}  // namespace

MergeLayer::MergeLayer(const LayerOptions& options) : Layer(options) { set_supports_masking(true); }

void MergeLayer::build(const std::vector<Shape>& input_shapes) { merge_output_shape(input_shapes); }

std::optional<std::vector<Shape>> MergeLayer::declared_output_shape(const std::vector<Shape>& input_shapes) const {
  return std::vector<Shape>{merge_output_shape(input_shapes)};
}

Tensors MergeLayer::call(const Tensors& inputs, const CallContext& context) {
  if (!same_rank(inputs)) {
    return {merge(detail::fit_probes_for_broadcast(expand_to_common_rank(inputs)), Tensors(inputs.size()))};
  }
  const Tensors fitted = detail::fit_probes_for_broadcast(inputs);
  Tensors masks = context.masks;
  masks.resize(inputs.size());
  for (std::size_t i = 0; i < masks.size(); ++i) {
    if (masks[i].defined()) masks[i] = detail::fit_probe(masks[i], detail::leading(fitted[i].shape(), masks[i].ndim()));
  }
  return {merge(fitted, masks)};
}

Tensors MergeLayer::compute_mask(const Tensors&, const Tensors& masks) {
  if (masks.empty() || std::any_of(masks.begin(), masks.end(), [](const Tensor& m) { return !m.defined(); })) {
    return {};
  }
  const Tensors fitted = detail::fit_probes_for_broadcast(masks);
  Tensor out = fitted.front();
  for (std::size_t i = 1; i < fitted.size(); ++i) out = ops::logical_or(out, fitted[i]);
  return {out};
}

}  // namespace keras::layers
