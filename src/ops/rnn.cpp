#include "ops/rnn.hpp"

#include "autodiff/record.hpp"
#include "keras/errors.hpp"
#include "keras/ops.hpp"
#include "ops/common.hpp"

namespace keras::ops::detail {

namespace {

// The same gradient written in ops, for a backward pass that an outer tape records
// (higher-order gradients), which the kernel cannot provide.
autodiff::Grads lstm_cell_grad_in_ops(const Tensor& z, const Tensor& c_prev, const Tensor& dh, const Tensor& dc) {
  const auto gates = split(z, 4, -1);
  const Tensor i = sigmoid(gates[0]);
  const Tensor f = sigmoid(gates[1]);
  const Tensor g = tanh(gates[2]);
  const Tensor o = sigmoid(gates[3]);
  const Tensor tc = tanh(add(multiply(f, c_prev), multiply(i, g)));
  const Tensor dct = add(dc, multiply(multiply(dh, o), subtract(1.0, square(tc))));
  const auto sigmoid_grad = [](const Tensor& s) { return multiply(s, subtract(1.0, s)); };
  const Tensor dz = concatenate({multiply(multiply(dct, g), sigmoid_grad(i)),
                                 multiply(multiply(dct, c_prev), sigmoid_grad(f)),
                                 multiply(multiply(dct, i), subtract(1.0, square(g))),
                                 multiply(multiply(dh, tc), sigmoid_grad(o))},
                                -1);
  return {dz, multiply(dct, f)};
}

autodiff::Grads gru_cell_grad_in_ops(const Tensor& x, const Tensor& inner, const Tensor& h_prev, const Tensor& dh) {
  const auto xs = split(x, 3, -1);
  const auto is = split(inner, 3, -1);
  const Tensor z = sigmoid(add(xs[0], is[0]));
  const Tensor r = sigmoid(add(xs[1], is[1]));
  const Tensor n = tanh(add(xs[2], multiply(r, is[2])));
  const Tensor da_n = multiply(multiply(dh, subtract(1.0, z)), subtract(1.0, square(n)));
  const Tensor da_z = multiply(multiply(dh, subtract(h_prev, n)), multiply(z, subtract(1.0, z)));
  const Tensor da_r = multiply(multiply(da_n, is[2]), multiply(r, subtract(1.0, r)));
  return {concatenate({da_z, da_r, da_n}, -1), concatenate({da_z, da_r, multiply(da_n, r)}, -1), multiply(dh, z)};
}

void check_2d(const Tensor& t, std::int64_t batch, std::int64_t cols, const char* op, const char* what,
              const std::string& expected) {
  if (t.ndim() != 2 || t.shape()[0] != batch || t.shape()[1] != cols) {
    throw ValueError(std::string(op) + ": " + what + " must be " + expected + "; received " + what + ".shape=" +
                     shape_str(t.shape()));
  }
}

}  // namespace

std::vector<Tensor> lstm_cell(const Tensor& z, const Tensor& c_prev) {
  require_defined(z, "lstm_cell", "z");
  require_defined(c_prev, "lstm_cell", "c_prev");
  if (c_prev.ndim() != 2) throw ValueError("lstm_cell: c_prev must be (batch, units); received " + shape_str(c_prev.shape()));
  check_2d(z, c_prev.shape()[0], 4 * c_prev.shape()[1], "lstm_cell", "z", "(batch, 4 * units)");
  const Device device = common_device({z, c_prev});
  const DType dtype = result_type({to_float(z), to_float(c_prev)});
  const Tensor zf = as_operand(z, dtype, device);
  const Tensor cf = as_operand(c_prev, dtype, device);
  Tensor c = Tensor::empty(cf.shape(), dtype, device);
  Tensor h = Tensor::empty(cf.shape(), dtype, device);
  backend_of(zf).lstm_cell(zf, cf, c, h);
  if (autodiff::should_record({zf, cf})) {
    autodiff::record("lstm_cell", {zf, cf}, {h, c}, [zf, cf, c](const autodiff::Grads& g) -> autodiff::Grads {
      const Tensor dh = as_operand(g[0], zf.dtype(), zf.device());
      const Tensor dc = as_operand(g[1], zf.dtype(), zf.device());
      if (autodiff::should_record({zf, cf, dh, dc})) return lstm_cell_grad_in_ops(zf, cf, dh, dc);
      Tensor dz = Tensor::empty(zf.shape(), zf.dtype(), zf.device());
      Tensor dc_prev = Tensor::empty(cf.shape(), cf.dtype(), cf.device());
      backend_of(zf).lstm_cell_backward(zf, cf, c, dc, dh, dz, dc_prev);
      return {dz, dc_prev};
    });
  }
  return {h, c};
}

Tensor gru_cell(const Tensor& x, const Tensor& inner, const Tensor& h_prev) {
  require_defined(x, "gru_cell", "x");
  require_defined(inner, "gru_cell", "inner");
  require_defined(h_prev, "gru_cell", "h_prev");
  if (h_prev.ndim() != 2) throw ValueError("gru_cell: h_prev must be (batch, units); received " + shape_str(h_prev.shape()));
  const std::int64_t batch = h_prev.shape()[0];
  const std::int64_t units = h_prev.shape()[1];
  check_2d(x, batch, 3 * units, "gru_cell", "x", "(batch, 3 * units)");
  check_2d(inner, batch, 3 * units, "gru_cell", "inner", "(batch, 3 * units)");
  const Device device = common_device({x, inner, h_prev});
  const DType dtype = result_type({to_float(x), to_float(inner), to_float(h_prev)});
  const Tensor xf = as_operand(x, dtype, device);
  const Tensor inf = as_operand(inner, dtype, device);
  const Tensor hf = as_operand(h_prev, dtype, device);
  Tensor h = Tensor::empty(hf.shape(), dtype, device);
  backend_of(xf).gru_cell(xf, inf, hf, h);
  if (autodiff::should_record({xf, inf, hf})) {
    autodiff::record("gru_cell", {xf, inf, hf}, {h}, [xf, inf, hf](const autodiff::Grads& g) -> autodiff::Grads {
      const Tensor dh = as_operand(g[0], xf.dtype(), xf.device());
      if (autodiff::should_record({xf, inf, hf, dh})) return gru_cell_grad_in_ops(xf, inf, hf, dh);
      Tensor dx = Tensor::empty(xf.shape(), xf.dtype(), xf.device());
      Tensor dinner = Tensor::empty(inf.shape(), inf.dtype(), inf.device());
      Tensor dh_prev = Tensor::empty(hf.shape(), hf.dtype(), hf.device());
      backend_of(xf).gru_cell_backward(xf, inf, hf, dh, dx, dinner, dh_prev);
      return {dx, dinner, dh_prev};
    });
  }
  return h;
}

}  // namespace keras::ops::detail
