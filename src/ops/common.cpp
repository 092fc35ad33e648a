#include "ops/common.hpp"

#include <numeric>

namespace keras::ops::detail {

Device common_device(const std::vector<Tensor>& inputs) {
  const Tensor* first = nullptr;
  for (const auto& t : inputs) {
    if (!t.defined() || t.is_weak()) continue;
    if (t.impl()->keras_history) {
      throw NotImplementedError("This op cannot take a symbolic tensor (KerasTensor " + shape_str(t.shape()) +
                                ") yet; wrap the computation in a layers::Lambda");
    }
    // Shape-only tensors win: a layer probed for its output shape mixes them with its
    // real weights and constants, and no kernel must run.
    if (t.device().type == DeviceType::meta) return t.device();
    if (first == nullptr) {
      first = &t;
    } else if (!(t.device() == first->device())) {
      throw ValueError("Tensors are on different devices: " + device_name(first->device()) +
                       " and " + device_name(t.device()));
    }
  }
  return first ? first->device() : default_device();
}

kernels::Backend& backend_of(const Tensor& t) { return kernels::backend(t.device()); }

DType result_type(const std::vector<Tensor>& inputs) {
  bool any_strong = false;
  DType strong_type = DType::bool_;
  bool weak_float = false;
  bool weak_int = false;
  for (const auto& t : inputs) {
    if (!t.defined()) continue;
    if (t.is_weak()) {
      (is_floating(t.dtype()) ? weak_float : weak_int) = true;
    } else {
      strong_type = any_strong ? promote_types(strong_type, t.dtype()) : t.dtype();
      any_strong = true;
    }
  }
  if (!any_strong) return weak_float ? floatx() : DType::int32;
  if (weak_float && !is_floating(strong_type)) return floatx();
  if (weak_int && strong_type == DType::bool_) return DType::int32;
  return strong_type;
}

Tensor as_operand(const Tensor& x, DType dtype, const Device& device) {
  if (x.is_weak()) {
    if (x.dtype() == dtype && x.device() == device) return x;
    Tensor s = Tensor::empty({}, dtype, device);
    backend_of(s).fill(s, x.impl()->weak_value);
    return s;
  }
  return x.dtype() == dtype ? x : cast(x, dtype);
}

Tensor strong(const Tensor& x) {
  return x.is_weak() ? as_operand(x, result_type({x}), x.device()) : x;
}

Tensor to_float(const Tensor& x) {
  Tensor s = strong(x);
  return is_floating(s.dtype()) ? s : cast(s, floatx());
}

Tensor sum_to(const Tensor& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  const auto lead = static_cast<std::int64_t>(g.shape().size() - shape.size());
  std::vector<std::int64_t> axes;
  for (std::int64_t i = 0; i < g.ndim(); ++i) {
    if (i < lead || (shape[static_cast<std::size_t>(i - lead)] == 1 && g.shape()[static_cast<std::size_t>(i)] != 1)) {
      axes.push_back(i);
    }
  }
  Tensor s = axes.empty() ? g : sum(g, Axes(axes), true);
  return reshape(s, shape);
}

void require_defined(const Tensor& x, const char* op, const char* arg) {
  if (!x.defined()) {
    throw ValueError(std::string(op) + ": argument `" + arg + "` is an undefined Tensor");
  }
}

kernels::StridedView view_of(const Tensor& t) {
  return {const_cast<void*>(t.raw_data()), t.dtype(), t.shape(), contiguous_strides(t.shape()), t.impl()->storage.get()};
}

std::string join_ints(const std::vector<std::int64_t>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s;
}

}  // namespace keras::ops::detail
