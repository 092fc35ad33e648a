// TEMPORARY while kernels are written in parallel: random moves to cpu_random.cpp.
#include "kernels/cpu/cpu_backend.hpp"

namespace keras::kernels::cpu {
void CpuBackend::random(RandomDist, std::uint64_t, std::uint64_t, double, double, Tensor&) { throw NotImplementedError(__func__); }
}  // namespace keras::kernels::cpu
