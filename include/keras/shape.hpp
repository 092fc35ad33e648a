#pragma once
// Shapes are vectors of dimension sizes; -1 stands for an unknown dimension (Keras's None),
// which appears only on symbolic tensors.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keras {

using Shape = std::vector<std::int64_t>;

inline constexpr std::int64_t kUnknownDim = -1;

// Number of elements; 1 for a scalar shape ().
std::int64_t shape_size(const Shape& shape);
// The element count of a shape read from a file: nullopt when a dimension is negative or
// the count would overflow int64 (shape_size assumes neither).
std::optional<std::int64_t> checked_shape_size(const Shape& shape);
// Python tuple notation, as Keras prints shapes: "(2, 3)", "(None, 3)", "(5,)", "()".
std::string shape_str(const Shape& shape);
// Row-major strides, in elements.
std::vector<std::int64_t> contiguous_strides(const Shape& shape);
// numpy broadcasting of two shapes; throws ValueError naming both when incompatible.
Shape broadcast_shapes(const Shape& a, const Shape& b);
// Normalises a possibly negative axis against `ndim`; throws ValueError when out of range.
int normalize_axis(std::int64_t axis, std::int64_t ndim);

}  // namespace keras
