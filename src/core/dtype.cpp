#include "keras/dtype.hpp"

#include "keras/errors.hpp"

namespace keras {

namespace {
DType g_floatx = DType::float32;

int rank(DType d) {
  switch (d) {
    case DType::bool_: return 0;
    case DType::int32: return 1;
    case DType::int64: return 2;
    case DType::float32: return 3;
    case DType::float64: return 4;
  }
  return 0;
}
}  // namespace

std::string_view dtype_name(DType dtype) {
  switch (dtype) {
    case DType::float32: return "float32";
    case DType::float64: return "float64";
    case DType::int32: return "int32";
    case DType::int64: return "int64";
    case DType::bool_: return "bool";
  }
  return "unknown";
}

DType dtype_from_name(std::string_view name) {
  for (DType d : {DType::float32, DType::float64, DType::int32, DType::int64, DType::bool_}) {
    if (dtype_name(d) == name) return d;
  }
  throw ValueError("Invalid dtype: " + std::string(name));
}

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::float32: return 4;
    case DType::float64: return 8;
    case DType::int32: return 4;
    case DType::int64: return 8;
    case DType::bool_: return 1;
  }
  return 0;
}

bool is_floating(DType dtype) { return dtype == DType::float32 || dtype == DType::float64; }
bool is_integer(DType dtype) { return dtype == DType::int32 || dtype == DType::int64; }

DType promote_types(DType a, DType b) { return rank(a) >= rank(b) ? a : b; }

DType floatx() { return g_floatx; }

void set_floatx(DType dtype) {
  if (!is_floating(dtype)) {
    throw ValueError("Unknown `floatx` value: " + std::string(dtype_name(dtype)) +
                     ". Expected one of {'float32', 'float64'}");
  }
  g_floatx = dtype;
}

}  // namespace keras
