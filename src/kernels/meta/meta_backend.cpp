// The meta device: tensors with a shape and a dtype but no data. Every kernel is a no-op,
// so running ops on meta tensors computes output shapes and dtypes (and raises the same
// shape errors) without arithmetic; symbolic model construction rests on this.
#include "kernels/backend.hpp"

namespace keras::kernels::meta {

namespace {

class MetaBackend final : public Backend {
 public:
  void* allocate(std::size_t) override { return nullptr; }
  void deallocate(void*, std::size_t) override {}
  void fill(Tensor&, double) override {}
  void arange(double, double, Tensor&) override {}
  void copy(const StridedView&, const StridedView&) override {}
  void cast(const Tensor&, Tensor&) override {}
  void unary(UnaryOp, const Tensor&, Tensor&, double) override {}
  void binary(BinaryOp, const Tensor&, const Tensor&, Tensor&) override {}
  void where(const Tensor&, const Tensor&, const Tensor&, Tensor&) override {}
  void reduce(ReduceOp, const Tensor&, const std::vector<int>&, Tensor&) override {}
  void arg_reduce(ArgReduceOp, const Tensor&, int, Tensor&) override {}
  void softmax(const Tensor&, int, bool, Tensor&) override {}
  void matmul(const Tensor&, const Tensor&, bool, bool, Tensor&) override {}
  void gather(const Tensor&, int, const Tensor&, Tensor&) override {}
  void scatter_add(const Tensor&, int, const Tensor&, Tensor&) override {}
  void conv(const ConvParams&, const Tensor&, const Tensor&, Tensor&) override {}
  void conv_backward_data(const ConvParams&, const Tensor&, const Tensor&, Tensor&) override {}
  void conv_backward_weights(const ConvParams&, const Tensor&, const Tensor&, Tensor&) override {}
  void pool(const PoolParams&, const Tensor&, Tensor&) override {}
  void pool_backward(const PoolParams&, const Tensor&, const Tensor&, Tensor&) override {}
  void lstm_cell(const Tensor&, const Tensor&, Tensor&, Tensor&) override {}
  void lstm_cell_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&, Tensor&,
                          Tensor&) override {}
  void gru_cell(const Tensor&, const Tensor&, const Tensor&, Tensor&) override {}
  void gru_cell_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, Tensor&, Tensor&, Tensor&) override {}
  void optimizer_update(const UpdateParams&, const Tensor&, Tensor&, const UpdateSlots&) override {}
  void random(RandomDist, std::uint64_t, std::uint64_t, double, double, Tensor&) override {}
};

}  // namespace

Backend* instance() {
  static MetaBackend backend;
  return &backend;
}

}  // namespace keras::kernels::meta
