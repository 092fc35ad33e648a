#pragma once
// The CPU backend: oneDNN for GEMM, convolution and pooling; vectorised, OpenMP-parallel
// loops for the rest. Each family of kernels lives in its own cpu_*.cpp file.
#include "kernels/backend.hpp"

namespace keras::kernels::cpu {

class CpuBackend final : public Backend {
 public:
  void* allocate(std::size_t bytes) override;
  void deallocate(void* ptr, std::size_t bytes) override;
  void fill(Tensor& out, double value) override;
  void arange(double start, double step, Tensor& out) override;
  void copy(const StridedView& src, const StridedView& dst) override;
  void cast(const Tensor& in, Tensor& out) override;
  void unary(UnaryOp op, const Tensor& in, Tensor& out, double alpha) override;
  void binary(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) override;
  void where(const Tensor& condition, const Tensor& a, const Tensor& b, Tensor& out) override;
  void reduce(ReduceOp op, const Tensor& in, const std::vector<int>& axes, Tensor& out) override;
  void arg_reduce(ArgReduceOp op, const Tensor& in, int axis, Tensor& out) override;
  void softmax(const Tensor& in, int axis, bool log, Tensor& out) override;
  void matmul(const Tensor& a, const Tensor& b, bool trans_a, bool trans_b, Tensor& out) override;
  void gather(const Tensor& src, int axis, const Tensor& indices, Tensor& out) override;
  void scatter_add(const Tensor& updates, int axis, const Tensor& indices, Tensor& out) override;
  void conv(const ConvParams& p, const Tensor& x, const Tensor& w, Tensor& y) override;
  void conv_backward_data(const ConvParams& p, const Tensor& dy, const Tensor& w,
                          Tensor& dx) override;
  void conv_backward_weights(const ConvParams& p, const Tensor& x, const Tensor& dy,
                             Tensor& dw) override;
  void pool(const PoolParams& p, const Tensor& x, Tensor& y) override;
  void pool_backward(const PoolParams& p, const Tensor& x, const Tensor& dy, Tensor& dx) override;
  void lstm_cell(const Tensor& z, const Tensor& c_prev, Tensor& c, Tensor& h) override;
  void lstm_cell_backward(const Tensor& z, const Tensor& c_prev, const Tensor& c, const Tensor& dc, const Tensor& dh,
                          Tensor& dz, Tensor& dc_prev) override;
  void gru_cell(const Tensor& x, const Tensor& inner, const Tensor& h_prev, Tensor& h) override;
  void gru_cell_backward(const Tensor& x, const Tensor& inner, const Tensor& h_prev, const Tensor& dh, Tensor& dx,
                         Tensor& dinner, Tensor& dh_prev) override;
  void optimizer_update(const UpdateParams& p, const Tensor& gradient, Tensor& variable,
                        const UpdateSlots& slots) override;
  void random(RandomDist dist, std::uint64_t key, std::uint64_t counter, double a, double b,
              Tensor& out) override;
};

Backend* instance();

// Below this many elements a loop runs on one thread: measured where spawning the OpenMP
// team costs more than it saves.
inline constexpr std::int64_t kParallelThreshold = 32768;

}  // namespace keras::kernels::cpu
