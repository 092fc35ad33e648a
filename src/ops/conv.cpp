// Convolutions: conv (with groups), depthwise_conv (a grouped conv) and conv_transpose
// (the data gradient of a conv, run forward). Three recorded ops carry the gradients:
// conv, its data gradient and its weights gradient; each one's gradient is made of the
// other two, so convolutions are differentiable to any order.
#include <algorithm>

#include "keras/ops/manipulation.hpp"
#include "keras/ops/nn.hpp"
#include "graph/symbolic.hpp"
#include "ops/common.hpp"
#include "ops/spatial.hpp"

namespace keras::ops {

using autodiff::Grads;
using kernels::ConvParams;

namespace {

Tensor conv_data(const ConvParams& p, const Tensor& dy, const Tensor& w, const Shape& x_shape);
Tensor conv_weights(const ConvParams& p, const Tensor& x, const Tensor& dy, const Shape& w_shape);

// y = conv(x, w) with y's shape already worked out.
Tensor conv_forward(const ConvParams& p, const Tensor& x, const Tensor& w, const Shape& y_shape) {
  Tensor y = Tensor::empty(y_shape, x.dtype(), x.device());
  detail::backend_of(y).conv(p, x, w, y);
  autodiff::maybe_record("conv", {x, w}, y, [&] {
    return [p, x, w](const Tensor& g) -> Grads {
      return {autodiff::needs_gradient(x) ? conv_data(p, g, w, x.shape()) : Tensor(),
              autodiff::needs_gradient(w) ? conv_weights(p, x, g, w.shape()) : Tensor()};
    };
  });
  return y;
}

// dx = convᵀ(dy, w): linear in dy and in w, so its gradients are a conv and a weights
// gradient.
Tensor conv_data(const ConvParams& p, const Tensor& dy, const Tensor& w, const Shape& x_shape) {
  Tensor dx = Tensor::empty(x_shape, dy.dtype(), dy.device());
  detail::backend_of(dx).conv_backward_data(p, dy, w, dx);
  autodiff::maybe_record("conv_backward_data", {dy, w}, dx, [&] {
    return [p, dy, w](const Tensor& g) -> Grads {
      return {autodiff::needs_gradient(dy) ? conv_forward(p, g, w, dy.shape()) : Tensor(),
              autodiff::needs_gradient(w) ? conv_weights(p, g, dy, w.shape()) : Tensor()};
    };
  });
  return dx;
}

// dw = Σ x ⊗ dy over positions: <G, dw> = <conv(x, G), dy>.
Tensor conv_weights(const ConvParams& p, const Tensor& x, const Tensor& dy, const Shape& w_shape) {
  Tensor dw = Tensor::empty(w_shape, x.dtype(), x.device());
  detail::backend_of(dw).conv_backward_weights(p, x, dy, dw);
  autodiff::maybe_record("conv_backward_weights", {x, dy}, dw, [&] {
    return [p, x, dy](const Tensor& g) -> Grads {
      return {autodiff::needs_gradient(x) ? conv_data(p, dy, g, x.shape()) : Tensor(),
              autodiff::needs_gradient(dy) ? conv_forward(p, x, g, dy.shape()) : Tensor()};
    };
  });
  return dw;
}

// inputs and kernel in one floating dtype on one device.
std::pair<Tensor, Tensor> float_operands(const Tensor& inputs, const Tensor& kernel) {
  const Tensor x = detail::strong(inputs);
  const Tensor w = detail::strong(kernel);
  DType dtype = detail::result_type({x, w});
  if (!is_floating(dtype)) dtype = floatx();
  const Device device = detail::common_device({x, w});
  return {detail::as_operand(x, dtype, device), detail::as_operand(w, dtype, device)};
}

// The parts of ConvParams that come straight from the options.
ConvParams base_params(const char* op, int rank, const std::vector<std::int64_t>& strides,
                       const std::vector<std::int64_t>& dilation_rate, const std::string& data_format) {
  ConvParams p;
  p.spatial_dims = rank;
  p.channels_first = detail::is_channels_first(data_format);
  p.strides = detail::per_axis(op, "strides", strides, rank);
  p.dilation = detail::per_axis(op, "dilation_rate", dilation_rate, rank);
  return p;
}

void check_kernel_rank(const char* op, const Tensor& x, const Tensor& w) {
  if (w.ndim() != x.ndim()) {
    throw ValueError(std::string(op) + ": the kernel must have rank " + std::to_string(x.ndim()) +
                     " (spatial dims, input channels, output channels) for inputs of rank " +
                     std::to_string(x.ndim()) + ". Received inputs.shape=" + shape_str(x.shape()) +
                     ", kernel.shape=" + shape_str(w.shape()));
  }
}

std::string shapes_of(const Tensor& x, const Tensor& w) {
  return "inputs.shape=" + shape_str(x.shape()) + ", kernel.shape=" + shape_str(w.shape());
}

}  // namespace

Tensor conv(const Tensor& inputs, const Tensor& kernel, const ConvOptions& options) {
  KERAS_SYMBOLIC_OP("conv", conv(in[0], in[1], options), inputs, kernel);
  detail::require_defined(inputs, "conv", "inputs");
  detail::require_defined(kernel, "conv", "kernel");
  const auto [x, w] = float_operands(inputs, kernel);
  const int rank = detail::spatial_rank("conv", x);
  check_kernel_rank("conv", x, w);
  ConvParams p = base_params("conv", rank, options.strides, options.dilation_rate, options.data_format);
  const std::string padding = detail::checked_padding(options.padding);
  const std::int64_t c = detail::channels(x.shape(), p.channels_first);
  const std::int64_t cg = w.shape()[static_cast<std::size_t>(rank)];
  const std::int64_t filters = w.shape().back();
  if (cg < 1 || c % cg != 0) {
    throw ValueError("The number of input channels must be evenly divisible by kernel's in_channels. "
                     "Received input channels " + std::to_string(c) + " and kernel in_channels " +
                     std::to_string(cg) + " (" + shapes_of(x, w) + ").");
  }
  p.groups = c / cg;
  if (filters % p.groups != 0) {
    throw ValueError("conv: the number of filters (" + std::to_string(filters) +
                     ") must be divisible by groups (" + std::to_string(p.groups) + "); " +
                     shapes_of(x, w));
  }
  const Shape in = detail::spatial_shape(x.shape(), rank, p.channels_first);
  Shape out;
  for (int i = 0; i < rank; ++i) {
    const auto u = static_cast<std::size_t>(i);
    const auto a = detail::window_axis(in[u], w.shape()[u], p.strides[u], p.dilation[u], padding,
                                       shapes_of(x, w));
    out.push_back(a.out);
    p.pad_begin.push_back(a.pad_begin);
    p.pad_end.push_back(a.pad_end);
  }
  if (p.channels_first) {
    // oneDNN runs plain channels_first (nchw) convolutions as im2col + GEMM, several times
    // slower than its channels_last kernels (bench/run_models.sh's U-Net): transpose around
    // a channels_last convolution instead. Autodiff differentiates the transposes.
    std::vector<std::int64_t> to_last{0};
    std::vector<std::int64_t> to_first{0, rank + 1};
    for (int i = 0; i < rank; ++i) {
      to_last.push_back(i + 2);
      to_first.push_back(i + 1);
    }
    to_last.push_back(1);
    p.channels_first = false;
    const Tensor y = conv_forward(p, ops::transpose(x, to_last), w, detail::image_shape(x.shape()[0], out, filters, false));
    return ops::transpose(y, to_first);
  }
  return conv_forward(p, x, w, detail::image_shape(x.shape()[0], out, filters, p.channels_first));
}

Tensor depthwise_conv(const Tensor& inputs, const Tensor& kernel, const ConvOptions& options) {
  KERAS_SYMBOLIC_OP("depthwise_conv", depthwise_conv(in[0], in[1], options), inputs, kernel);
  detail::require_defined(inputs, "depthwise_conv", "inputs");
  detail::require_defined(kernel, "depthwise_conv", "kernel");
  const int rank = detail::spatial_rank("depthwise_conv", inputs);
  check_kernel_rank("depthwise_conv", inputs, kernel);
  const std::int64_t c = detail::channels(inputs.shape(), detail::is_channels_first(options.data_format));
  const Shape& ks = kernel.shape();
  if (ks[static_cast<std::size_t>(rank)] != c) {
    throw ValueError("The number of input channels must match the kernel's input channels. "
                     "Received: input channels=" + std::to_string(c) + ", kernel input channels=" +
                     std::to_string(ks[static_cast<std::size_t>(rank)]) + ", data_format='" +
                     options.data_format + "'.");
  }
  // (spatial..., C, M) -> (spatial..., 1, C * M): output channel c * M + m, groups = C.
  Shape grouped(ks.begin(), ks.begin() + rank);
  grouped.push_back(1);
  grouped.push_back(c * ks.back());
  return conv(inputs, reshape(kernel, grouped), options);
}

Tensor conv_transpose(const Tensor& inputs, const Tensor& kernel, const ConvTransposeOptions& options) {
  KERAS_SYMBOLIC_OP("conv_transpose", conv_transpose(in[0], in[1], options), inputs, kernel);
  detail::require_defined(inputs, "conv_transpose", "inputs");
  detail::require_defined(kernel, "conv_transpose", "kernel");
  const auto [x, w] = float_operands(inputs, kernel);
  const int rank = detail::spatial_rank("conv_transpose", x);
  check_kernel_rank("conv_transpose", x, w);
  ConvParams p = base_params("conv_transpose", rank, options.strides, options.dilation_rate,
                             options.data_format);
  const std::string padding = detail::checked_padding(options.padding);
  const std::int64_t c = detail::channels(x.shape(), p.channels_first);
  if (w.shape().back() != c) {
    throw ValueError("The number of input channels must match the kernel's input channels (its "
                     "last axis). Received: input channels=" + std::to_string(c) +
                     ", kernel input channels=" + std::to_string(w.shape().back()) + "; " +
                     shapes_of(x, w));
  }
  const bool inferred = options.output_padding.empty();
  const auto output_padding =
      inferred ? std::vector<std::int64_t>(static_cast<std::size_t>(rank), 0)
               : options.output_padding.size() == 1
                     ? std::vector<std::int64_t>(static_cast<std::size_t>(rank), options.output_padding[0])
                     : options.output_padding;
  if (output_padding.size() != static_cast<std::size_t>(rank)) {
    throw ValueError("conv_transpose: `output_padding` must have 1 or " + std::to_string(rank) +
                     " values. Received: output_padding=(" + detail::join_ints(output_padding) + ")");
  }
  // Keras's output length, and the padding of the conv whose data gradient this is: JAX's
  // transposed-conv padding (left, right) around the stride-dilated input corresponds to
  // a conv padded by k_e - 1 - left before; the end padding makes the lengths agree. A
  // negative end padding (the output reaches past what the conv reads) is added as zeros.
  const Shape in = detail::spatial_shape(x.shape(), rank, p.channels_first);
  Shape computed;
  std::vector<std::pair<std::int64_t, std::int64_t>> zeros_after(static_cast<std::size_t>(x.ndim()), {0, 0});
  for (int i = 0; i < rank; ++i) {
    const auto u = static_cast<std::size_t>(i);
    const std::int64_t s = p.strides[u];
    const std::int64_t ke = p.dilation[u] * (w.shape()[u] - 1) + 1;
    const std::int64_t op = output_padding[u];
    std::int64_t out = 0;
    std::int64_t left = 0;
    if (padding == "valid") {
      out = (in[u] - 1) * s + ke + (inferred ? std::max(ke, s) - ke : op);
      left = ke - 1;
    } else {
      out = inferred ? in[u] * s : (in[u] - 1) * s + ke % 2 + op;
      const std::int64_t total = inferred ? s + ke - 2 : ke + ke % 2 - 2 + op;
      left = std::min(total / 2 + total % 2, ke - 1);
    }
    if (out < 1) {
      throw ValueError("conv_transpose: the computed output length is " + std::to_string(out) +
                       " for " + shapes_of(x, w));
    }
    const std::int64_t begin = ke - 1 - left;
    const std::int64_t end = (in[u] - 1) * s + ke - out - begin;
    p.pad_begin.push_back(begin);
    p.pad_end.push_back(std::max<std::int64_t>(end, 0));
    computed.push_back(out + std::min<std::int64_t>(end, 0));
    zeros_after[static_cast<std::size_t>(i + (p.channels_first ? 2 : 1))].second = std::max<std::int64_t>(-end, 0);
  }
  const std::int64_t filters = w.shape()[static_cast<std::size_t>(rank)];
  Tensor y = conv_data(p, x, w, detail::image_shape(x.shape()[0], computed, filters, p.channels_first));
  const bool padded = std::any_of(zeros_after.begin(), zeros_after.end(), [](const auto& z) { return z.second > 0; });
  return padded ? pad(y, zeros_after) : y;
}

}  // namespace keras::ops
