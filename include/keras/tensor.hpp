#pragma once
// keras::Tensor: an n-d array value. Copies share storage (like numpy views or TF
// tensors); operations return new tensors and never change their inputs. Storage is
// 64-byte aligned and comes from the device's caching allocator.
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "keras/device.hpp"
#include "keras/dtype.hpp"
#include "keras/errors.hpp"
#include "keras/shape.hpp"

namespace keras {

namespace detail {

struct KerasHistory;

// A block of device memory, returned to the device's allocator when the last tensor
// using it goes away. `data` is null for meta tensors.
struct Storage : std::enable_shared_from_this<Storage> {
  void* data = nullptr;
  std::size_t bytes = 0;
  Device device;
  // False once a step plan has moved `data` into its arena (the plan frees the arena).
  bool owns_data = true;
  // A keras::Variable's value lives here (a step plan rebinds such storages each run).
  bool variable = false;
  Storage(std::size_t bytes, Device device);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  std::int64_t offset = 0;  // in elements
  Shape shape;
  DType dtype = DType::float32;
  // A weakly typed scalar comes from a C++ number literal: like a Python number in Keras,
  // it takes the other operand's dtype (x_float32 * 2.0 stays float32).
  bool weak = false;
  double weak_value = 0.0;  // the literal's exact value, so casts to float64 lose nothing
  // Tensors read from a trainable keras::Variable share its id, so a GradientTape finds
  // the variable behind every read.
  std::uint64_t id = 0;
  bool trainable_variable = false;
  // Symbolic tensors (KerasTensors) only: the graph node that makes this tensor.
  std::shared_ptr<const KerasHistory> keras_history;
  // The mask a layer attached to this tensor (Keras's _keras_mask), if any.
  std::shared_ptr<TensorImpl> keras_mask;
};

std::uint64_t next_tensor_id();

}  // namespace detail

class Tensor {
 public:
  // An undefined tensor (no shape, no data): what a gradient of an unconnected source is.
  Tensor() = default;
  // Weakly typed scalars (see TensorImpl::weak): float32 for floating literals, int32 for
  // integer literals.
  Tensor(double value);  // NOLINT(google-explicit-constructor): ops take numbers as tensors
  Tensor(float value);   // NOLINT(google-explicit-constructor)
  Tensor(int value);     // NOLINT(google-explicit-constructor)
  // 1-D and 2-D float32 tensors from nested lists: Tensor({{1, 2}, {3, 4}}).
  Tensor(std::initializer_list<double> values);
  Tensor(std::initializer_list<std::initializer_list<double>> rows);

  // Uninitialised storage of the given shape.
  static Tensor empty(const Shape& shape, DType dtype = floatx(), Device device = default_device());
  // Copies `values` into a new tensor; throws ValueError when the sizes disagree.
  template <class T>
  static Tensor from_vector(const std::vector<T>& values, const Shape& shape,
                            Device device = default_device());
  template <class T>
  static Tensor from_vector(const std::vector<T>& values) {
    return from_vector(values, Shape{static_cast<std::int64_t>(values.size())});
  }
  static Tensor scalar(double value, DType dtype = floatx());

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  std::int64_t ndim() const { return static_cast<std::int64_t>(shape().size()); }
  std::int64_t size() const { return shape_size(shape()); }
  // Size of one dimension; a negative axis counts from the end.
  std::int64_t dim(std::int64_t axis) const;
  DType dtype() const;
  Device device() const;
  bool is_weak() const { return impl_ && impl_->weak; }
  std::uint64_t id() const;
  std::size_t nbytes() const { return static_cast<std::size_t>(size()) * dtype_size(dtype()); }

  // Typed pointer to the first element; throws TypeError when T is not the dtype and
  // ValueError on a tensor without host data.
  template <class T>
  T* data();
  template <class T>
  const T* data() const;
  void* raw_data();
  const void* raw_data() const;

  // Element values converted to T, in row-major order.
  template <class T>
  std::vector<T> to_vector() const;
  // The single element of a size-1 tensor, converted to T.
  template <class T = double>
  T item() const;

  // Same data in another dtype (ops::cast) / shape (ops::reshape).
  Tensor astype(DType dtype) const;
  Tensor reshape(const Shape& shape) const;
  // Same values on another device (a copy unless already there).
  Tensor to(const Device& device) const;

  // The implementation handle, for the library's own ops and kernels.
  const std::shared_ptr<detail::TensorImpl>& impl() const { return impl_; }
  explicit Tensor(std::shared_ptr<detail::TensorImpl> impl) : impl_(std::move(impl)) {}

 private:
  const detail::TensorImpl& checked() const;
  std::shared_ptr<detail::TensorImpl> impl_;
};

// Differentiable arithmetic operators (ops::add, ... with broadcasting).
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a);
Tensor& operator+=(Tensor& a, const Tensor& b);
Tensor& operator-=(Tensor& a, const Tensor& b);
Tensor& operator*=(Tensor& a, const Tensor& b);
Tensor& operator/=(Tensor& a, const Tensor& b);

// Prints like numpy's str(): "[[1. 2.]\n [3. 4.]]".
std::ostream& operator<<(std::ostream& os, const Tensor& t);
// numpy's repr(): "array([[1., 2.],\n       [3., 4.]], dtype=float32)".
std::string repr(const Tensor& t);

}  // namespace keras
