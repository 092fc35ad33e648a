// TEMPORARY: the manipulation helper replaces this with cpu_gather.cpp.
#include "kernels/cpu/cpu_backend.hpp"

namespace keras::kernels::cpu {
void CpuBackend::gather(const Tensor&, int, const Tensor&, Tensor&) { throw NotImplementedError(__func__); }
void CpuBackend::scatter_add(const Tensor&, int, const Tensor&, Tensor&) { throw NotImplementedError(__func__); }
}  // namespace keras::kernels::cpu
