#include "keras/tensor.hpp"

#include <atomic>
#include <cstring>

#include "kernels/backend.hpp"
#include "kernels/recording.hpp"
#include "keras/ops.hpp"

namespace keras {

namespace detail {

Storage::Storage(std::size_t nbytes, Device dev) : bytes(nbytes), device(dev) {
  data = kernels::backend(device).allocate(bytes);
  kernels::note_storage_created(this);
}

Storage::~Storage() {
  kernels::note_storage_destroyed(this);
  if (owns_data) kernels::backend(device).deallocate(data, bytes);
}

std::uint64_t next_tensor_id() {
  static std::atomic<std::uint64_t> counter{1};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace detail

namespace {

std::shared_ptr<detail::TensorImpl> make_impl(const Shape& shape, DType dtype, Device device) {
  for (auto d : shape) {
    if (d < 0) throw ValueError("Cannot create a tensor of shape " + shape_str(shape));
  }
  auto impl = std::make_shared<detail::TensorImpl>();
  impl->shape = shape;
  impl->dtype = dtype;
  impl->id = detail::next_tensor_id();
  impl->storage = std::make_shared<detail::Storage>(
      static_cast<std::size_t>(shape_size(shape)) * dtype_size(dtype), device);
  return impl;
}

template <class T>
Tensor weak_scalar(T value, double exact) {
  Tensor t = Tensor::from_vector(std::vector<T>{value}, Shape{});
  t.impl()->weak = true;
  t.impl()->weak_value = exact;
  return t;
}

template <class To, class From>
void convert_copy(const From* src, std::size_t n, std::vector<To>& out) {
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<To>(src[i]);
}

template <class To>
std::vector<To> host_values(const Tensor& t) {
  kernels::note_host_read();
  Tensor host = t.device().type == DeviceType::cpu ? t : t.to(Device{});
  std::vector<To> out;
  const auto n = static_cast<std::size_t>(host.size());
  switch (host.dtype()) {
    case DType::float32: convert_copy(host.data<float>(), n, out); break;
    case DType::float64: convert_copy(host.data<double>(), n, out); break;
    case DType::int32: convert_copy(host.data<std::int32_t>(), n, out); break;
    case DType::int64: convert_copy(host.data<std::int64_t>(), n, out); break;
    case DType::bool_: convert_copy(host.data<bool>(), n, out); break;
  }
  return out;
}

}  // namespace

Tensor::Tensor(double value) : Tensor(weak_scalar<float>(static_cast<float>(value), value)) {}
Tensor::Tensor(float value) : Tensor(weak_scalar<float>(value, value)) {}
Tensor::Tensor(int value) : Tensor(weak_scalar<std::int32_t>(value, value)) {}

Tensor::Tensor(std::initializer_list<double> values) {
  std::vector<float> v(values.begin(), values.end());
  *this = from_vector(v);
}

Tensor::Tensor(std::initializer_list<std::initializer_list<double>> rows) {
  std::vector<float> v;
  const std::int64_t cols = rows.size() ? static_cast<std::int64_t>(rows.begin()->size()) : 0;
  for (const auto& row : rows) {
    if (static_cast<std::int64_t>(row.size()) != cols) {
      throw ValueError("Tensor rows must all have the same length: got " + std::to_string(cols) +
                       " and " + std::to_string(row.size()));
    }
    v.insert(v.end(), row.begin(), row.end());
  }
  *this = from_vector(v, Shape{static_cast<std::int64_t>(rows.size()), cols});
}

Tensor Tensor::empty(const Shape& shape, DType dtype, Device device) {
  return Tensor(make_impl(shape, dtype, device));
}

template <class T>
Tensor Tensor::from_vector(const std::vector<T>& values, const Shape& shape, Device device) {
  if (shape_size(shape) != static_cast<std::int64_t>(values.size())) {
    throw ValueError("Cannot create a tensor of shape " + shape_str(shape) + " from " +
                     std::to_string(values.size()) + " values");
  }
  Tensor host = empty(shape, dtype_of<T>(), Device{});
  if (!values.empty()) {
    if constexpr (std::is_same_v<T, bool>) {
      bool* dst = host.data<bool>();
      for (std::size_t i = 0; i < values.size(); ++i) dst[i] = values[i];
    } else {
      std::memcpy(host.raw_data(), values.data(), values.size() * sizeof(T));
    }
  }
  return device.type == DeviceType::cpu ? host : host.to(device);
}

template Tensor Tensor::from_vector(const std::vector<float>&, const Shape&, Device);
template Tensor Tensor::from_vector(const std::vector<double>&, const Shape&, Device);
template Tensor Tensor::from_vector(const std::vector<std::int32_t>&, const Shape&, Device);
template Tensor Tensor::from_vector(const std::vector<std::int64_t>&, const Shape&, Device);
template Tensor Tensor::from_vector(const std::vector<bool>&, const Shape&, Device);

Tensor Tensor::scalar(double value, DType dtype) { return ops::full({}, value, dtype); }

const detail::TensorImpl& Tensor::checked() const {
  if (!impl_) throw ValueError("Operation on an undefined Tensor");
  return *impl_;
}

const Shape& Tensor::shape() const { return checked().shape; }
DType Tensor::dtype() const { return checked().dtype; }
Device Tensor::device() const { return checked().storage->device; }
std::uint64_t Tensor::id() const { return checked().id; }

std::int64_t Tensor::dim(std::int64_t axis) const {
  return shape()[static_cast<std::size_t>(normalize_axis(axis, ndim()))];
}

void* Tensor::raw_data() {
  const auto& impl = checked();
  if (impl.storage->data == nullptr) return nullptr;  // meta tensors and empty tensors
  return static_cast<char*>(impl.storage->data) + impl.offset * static_cast<std::int64_t>(dtype_size(impl.dtype));
}

const void* Tensor::raw_data() const { return const_cast<Tensor*>(this)->raw_data(); }

template <class T>
T* Tensor::data() {
  if (dtype() != dtype_of<T>()) {
    throw TypeError("Tensor has dtype " + std::string(dtype_name(dtype())) + ", not " +
                    std::string(dtype_name(dtype_of<T>())));
  }
  if (device().type != DeviceType::cpu) {
    throw ValueError("Tensor on device " + device_name(device()) + " has no host data");
  }
  return static_cast<T*>(raw_data());
}

template <class T>
const T* Tensor::data() const {
  kernels::note_host_read();
  return const_cast<Tensor*>(this)->data<T>();
}

#define KERAS_INSTANTIATE_DATA(T)          \
  template T* Tensor::data<T>();           \
  template const T* Tensor::data<T>() const; \
  template std::vector<T> Tensor::to_vector<T>() const; \
  template T Tensor::item<T>() const;

template <class T>
std::vector<T> Tensor::to_vector() const {
  return host_values<T>(*this);
}

template <class T>
T Tensor::item() const {
  if (size() != 1) {
    throw ValueError("item() needs a tensor with one element, got shape " + shape_str(shape()));
  }
  return host_values<T>(*this)[0];
}

KERAS_INSTANTIATE_DATA(float)
KERAS_INSTANTIATE_DATA(double)
KERAS_INSTANTIATE_DATA(std::int32_t)
KERAS_INSTANTIATE_DATA(std::int64_t)
KERAS_INSTANTIATE_DATA(bool)
#undef KERAS_INSTANTIATE_DATA

Tensor Tensor::astype(DType dtype) const { return ops::cast(*this, dtype); }
Tensor Tensor::reshape(const Shape& shape) const { return ops::reshape(*this, shape); }

Tensor Tensor::to(const Device& device) const {
  if (this->device() == device) return *this;
  // A meta tensor needs no data; transfers between data-holding devices arrive with the
  // CUDA backend.
  if (device.type == DeviceType::meta) return empty(shape(), dtype(), device);
  throw NotImplementedError("Copying a tensor from " + device_name(this->device()) + " to " +
                            device_name(device) + " is not supported yet");
}

Tensor operator+(const Tensor& a, const Tensor& b) { return ops::add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return ops::subtract(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return ops::multiply(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return ops::divide(a, b); }
Tensor operator-(const Tensor& a) { return ops::negative(a); }
Tensor& operator+=(Tensor& a, const Tensor& b) { return a = ops::add(a, b); }
Tensor& operator-=(Tensor& a, const Tensor& b) { return a = ops::subtract(a, b); }
Tensor& operator*=(Tensor& a, const Tensor& b) { return a = ops::multiply(a, b); }
Tensor& operator/=(Tensor& a, const Tensor& b) { return a = ops::divide(a, b); }

}  // namespace keras
