#pragma once
// Template bodies for loops.hpp.
#include <omp.h>

#include "kernels/cpu/cpu_backend.hpp"

namespace keras::kernels::cpu {

template <class Body>
void for_each_run(const Iteration& it, Body&& body) {
  for (auto d : it.shape) {
    if (d == 0) return;
  }
  const std::size_t nd = it.shape.size();
  const std::size_t nops = it.strides.size();
  if (nd == 0) {
    std::int64_t offsets[4] = {0, 0, 0, 0};
    body(offsets, std::int64_t{1});
    return;
  }
  const std::int64_t inner = it.shape[nd - 1];
  std::int64_t outer = 1;
  for (std::size_t d = 0; d + 1 < nd; ++d) outer *= it.shape[d];
  const bool parallel = outer * inner >= kParallelThreshold && omp_get_max_threads() > 1;
  if (outer == 1) {
    // One long run: split it into chunks across threads.
    const std::int64_t chunks = parallel ? omp_get_max_threads() * 4 : 1;
    const std::int64_t step = (inner + chunks - 1) / chunks;
#pragma omp parallel for if (parallel) schedule(static)
    for (std::int64_t c = 0; c < chunks; ++c) {
      const std::int64_t begin = c * step;
      const std::int64_t n = std::min(step, inner - begin);
      if (n <= 0) continue;
      std::int64_t offsets[4] = {0, 0, 0, 0};
      for (std::size_t k = 0; k < nops; ++k) offsets[k] = begin * it.strides[k][nd - 1];
      body(offsets, n);
    }
    return;
  }
#pragma omp parallel for if (parallel) schedule(static)
  for (std::int64_t row = 0; row < outer; ++row) {
    std::int64_t offsets[4] = {0, 0, 0, 0};
    std::int64_t rem = row;
    for (std::size_t d = nd - 1; d-- > 0;) {
      const std::int64_t idx = rem % it.shape[d];
      rem /= it.shape[d];
      for (std::size_t k = 0; k < nops; ++k) offsets[k] += idx * it.strides[k][d];
    }
    body(offsets, inner);
  }
}

}  // namespace keras::kernels::cpu
