#pragma once
// Loop helpers for the CPU kernels: dtype dispatch, and an n-d iteration that collapses
// contiguous dimensions so the innermost loop is a long, vectorisable run.
#include <cstdint>
#include <vector>

#include "kernels/backend.hpp"

namespace keras::kernels::cpu {

// Calls f(T{}) with T the C++ type of dtype.
template <class F>
decltype(auto) dispatch(DType dtype, F&& f) {
  switch (dtype) {
    case DType::float32: return f(float{});
    case DType::float64: return f(double{});
    case DType::int32: return f(std::int32_t{});
    case DType::int64: return f(std::int64_t{});
    case DType::bool_: return f(bool{});
  }
  throw ValueError("unknown dtype");
}

// Strides (in elements) of `shape` viewed as broadcast to `out` (0 where stretched).
std::vector<std::int64_t> broadcast_strides(const Shape& shape, const Shape& out);

// The iteration space of an elementwise kernel over up to three operands: dims merged
// where every operand stays contiguous across the boundary, innermost dim last.
struct Iteration {
  Shape shape;
  std::vector<std::vector<std::int64_t>> strides;  // per operand
};
Iteration collapse(const Shape& shape, std::vector<std::vector<std::int64_t>> strides);

// Calls body(offsets, inner_count) for each innermost run, where offsets[k] is operand
// k's element offset at the run's start. Runs are split across OpenMP threads when the
// total work is large.
template <class Body>
void for_each_run(const Iteration& it, Body&& body);

}  // namespace keras::kernels::cpu

#include "kernels/cpu/loops_impl.hpp"
