#pragma once
// Element types. float32 is Keras's default `floatx`; float64 exists for gradient checks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace keras {

enum class DType : std::uint8_t { float32, float64, int32, int64, bool_ };

// Keras's name for the dtype ("float32", "bool", ...).
std::string_view dtype_name(DType dtype);
// Parses a Keras dtype name; throws ValueError for an unknown one.
DType dtype_from_name(std::string_view name);
std::size_t dtype_size(DType dtype);
bool is_floating(DType dtype);
bool is_integer(DType dtype);

// Keras's `result_type`: bool < int32 < int64 < float32 < float64, except that an integer
// meeting a float gives that float (as in JAX / Keras 3), never float64 by surprise.
DType promote_types(DType a, DType b);

// The default floating dtype (Keras's `backend.floatx()`).
DType floatx();
void set_floatx(DType dtype);

template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() { return DType::float32; }
template <>
constexpr DType dtype_of<double>() { return DType::float64; }
template <>
constexpr DType dtype_of<std::int32_t>() { return DType::int32; }
template <>
constexpr DType dtype_of<std::int64_t>() { return DType::int64; }
template <>
constexpr DType dtype_of<bool>() { return DType::bool_; }

}  // namespace keras
