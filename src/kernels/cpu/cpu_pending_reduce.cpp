// TEMPORARY: the reductions helper replaces this with cpu_reduce.cpp.
#include "kernels/cpu/cpu_backend.hpp"

namespace keras::kernels::cpu {
void CpuBackend::reduce(ReduceOp, const Tensor&, const std::vector<int>&, Tensor&) { throw NotImplementedError(__func__); }
void CpuBackend::arg_reduce(ArgReduceOp, const Tensor&, int, Tensor&) { throw NotImplementedError(__func__); }
void CpuBackend::softmax(const Tensor&, int, bool, Tensor&) { throw NotImplementedError(__func__); }
}  // namespace keras::kernels::cpu
