// TEMPORARY: the linalg/conv helper replaces this with cpu_matmul.cpp / cpu_conv.cpp.
#include "kernels/cpu/cpu_backend.hpp"

namespace keras::kernels::cpu {
void CpuBackend::matmul(const Tensor&, const Tensor&, bool, bool, Tensor&) { throw NotImplementedError(__func__); }
void CpuBackend::conv(const ConvParams&, const Tensor&, const Tensor&, Tensor&) { throw NotImplementedError(__func__); }
void CpuBackend::conv_backward_data(const ConvParams&, const Tensor&, const Tensor&, Tensor&) { throw NotImplementedError(__func__); }
void CpuBackend::conv_backward_weights(const ConvParams&, const Tensor&, const Tensor&, Tensor&) { throw NotImplementedError(__func__); }
void CpuBackend::pool(const PoolParams&, const Tensor&, Tensor&) { throw NotImplementedError(__func__); }
void CpuBackend::pool_backward(const PoolParams&, const Tensor&, const Tensor&, Tensor&) { throw NotImplementedError(__func__); }
}  // namespace keras::kernels::cpu
