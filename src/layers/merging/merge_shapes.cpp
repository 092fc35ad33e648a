#include "layers/merging/merge_shapes.hpp"

#include <algorithm>

#include "graph/symbolic.hpp"
#include "keras/ops.hpp"

namespace keras::layers::detail {

std::string shapes_str(const std::vector<Shape>& shapes) {
  std::string s = "[";
  for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shape_str(shapes[i]);
  return s + "]";
}

Shape elementwise_shape(const Shape& a, const Shape& b) {
  if (a.size() < b.size()) return elementwise_shape(b, a);
  if (b.empty()) return a;
  const std::size_t lead = a.size() - b.size();
  Shape out(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(lead));
  for (std::size_t k = 0; k < b.size(); ++k) {
    const std::int64_t i = a[lead + k];
    const std::int64_t j = b[k];
    if (i == kUnknownDim || j == kUnknownDim) {
      out.push_back(kUnknownDim);
    } else if (i == 1 || j == 1) {
      out.push_back(i == 1 ? j : i);
    } else if (i != j) {
      throw ValueError("Inputs have incompatible shapes. Received shapes " + shape_str(a) + " and " + shape_str(b));
    } else {
      out.push_back(i);
    }
  }
  return out;
}

Shape probe_broadcast_shape(const std::vector<Shape>& shapes) {
  std::size_t rank = 0;
  for (const auto& s : shapes) rank = std::max(rank, s.size());
  Shape out(rank, 1);
  for (const auto& s : shapes) {
    const std::size_t lead = rank - s.size();
    for (std::size_t k = 0; k < s.size(); ++k) {
      if (s[k] != 1) out[lead + k] = out[lead + k] == 1 ? s[k] : std::max(out[lead + k], s[k]);
    }
  }
  return out;
}

Tensor fit_probe(const Tensor& t, const Shape& shape) {
  if (!graph::probing() || !t.defined() || t.shape() == shape) return t;
  return Tensor::empty(shape, t.dtype(), default_device());
}

Tensors fit_probes_for_broadcast(const Tensors& tensors) {
  if (!graph::probing()) return tensors;
  std::vector<Shape> shapes;
  for (const auto& t : tensors) {
    if (t.defined()) shapes.push_back(t.shape());
  }
  const Shape target = probe_broadcast_shape(shapes);
  Tensors out;
  for (const auto& t : tensors) {
    if (!t.defined()) {
      out.push_back(t);
      continue;
    }
    Shape shape = t.shape();
    const std::size_t lead = target.size() - shape.size();
    for (std::size_t k = 0; k < shape.size(); ++k) {
      if (shape[k] != 1) shape[k] = target[lead + k];
    }
    out.push_back(fit_probe(t, shape));
  }
  return out;
}

Shape leading(const Shape& shape, std::size_t n) {
  return Shape(shape.begin(), shape.begin() + static_cast<std::ptrdiff_t>(std::min(n, shape.size())));
}

}  // namespace keras::layers::detail
