// max_pool and average_pool with Keras's padding rules. The pooling gradient is a recorded
// op of its own: for average pooling it is linear in the incoming gradient with average
// pooling as its adjoint, so it is differentiable again; second-order gradients through
// max pooling are not implemented (they would need the argmax of each window).
#include "keras/ops/nn.hpp"
#include "graph/symbolic.hpp"
#include "ops/common.hpp"
#include "ops/spatial.hpp"

namespace keras::ops {

using autodiff::Grads;
using kernels::PoolParams;

namespace {

Tensor pool_forward(const PoolParams& p, const Tensor& x, const Shape& y_shape);

// dx for the incoming gradient dy.
Tensor pool_grad(const PoolParams& p, const Tensor& x, const Tensor& dy) {
  Tensor dx = Tensor::empty(x.shape(), x.dtype(), x.device());
  detail::backend_of(dx).pool_backward(p, x, dy, dx);
  autodiff::maybe_record("pool_backward", {dy}, dx, [&] {
    return [p, dy](const Tensor& g) -> Grads {
      if (p.max) {
        throw NotImplementedError("Second-order gradients of max_pool are not implemented");
      }
      return {pool_forward(p, g, dy.shape())};
    };
  });
  return dx;
}

Tensor pool_forward(const PoolParams& p, const Tensor& x, const Shape& y_shape) {
  Tensor y = Tensor::empty(y_shape, x.dtype(), x.device());
  detail::backend_of(y).pool(p, x, y);
  autodiff::maybe_record(p.max ? "max_pool" : "average_pool", {x}, y, [&] {
    return [p, x](const Tensor& g) -> Grads { return {pool_grad(p, x, g)}; };
  });
  return y;
}

Tensor pool(const char* op, bool max, const Tensor& inputs, const std::vector<std::int64_t>& pool_size,
            const PoolOptions& options) {
  detail::require_defined(inputs, op, "inputs");
  const Tensor x = detail::to_float(inputs);
  const int rank = detail::spatial_rank(op, x);
  PoolParams p;
  p.spatial_dims = rank;
  p.channels_first = detail::is_channels_first(options.data_format);
  p.max = max;
  p.window = detail::per_axis(op, "pool_size", pool_size, rank);
  p.strides = options.strides.empty() ? p.window : detail::per_axis(op, "strides", options.strides, rank);
  const std::string padding = detail::checked_padding(options.padding);
  const Shape in = detail::spatial_shape(x.shape(), rank, p.channels_first);
  Shape out;
  for (int i = 0; i < rank; ++i) {
    const auto u = static_cast<std::size_t>(i);
    const auto a = detail::window_axis(in[u], p.window[u], p.strides[u], 1, padding,
                                       "inputs.shape=" + shape_str(x.shape()) + ", pool_size=(" +
                                           detail::join_ints(p.window) + ")");
    out.push_back(a.out);
    p.pad_begin.push_back(a.pad_begin);
    p.pad_end.push_back(a.pad_end);
  }
  const Shape y_shape = detail::image_shape(x.shape()[0], out, detail::channels(x.shape(), p.channels_first),
                                            p.channels_first);
  return pool_forward(p, x, y_shape);
}

}  // namespace

Tensor max_pool(const Tensor& inputs, const std::vector<std::int64_t>& pool_size, const PoolOptions& options) {
  KERAS_SYMBOLIC_OP("max_pool", max_pool(in[0], pool_size, options), inputs);
  return pool("max_pool", true, inputs, pool_size, options);
}

Tensor average_pool(const Tensor& inputs, const std::vector<std::int64_t>& pool_size,
                    const PoolOptions& options) {
  KERAS_SYMBOLIC_OP("average_pool", average_pool(in[0], pool_size, options), inputs);
  return pool("average_pool", false, inputs, pool_size, options);
}

}  // namespace keras::ops
