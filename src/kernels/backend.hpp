#pragma once
// The kernel interface every device implements: a small set of primitives from which the
// ops compose everything else. Adding a device means implementing this class and
// registering it; the ops never branch on the device.
//
// Conventions: tensors passed in are contiguous (offset + row-major); `out` is allocated
// by the caller with its final shape and dtype; inputs of binary ops share one dtype.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::kernels {

enum class UnaryOp {
  negative, abs, sign, square, sqrt, rsqrt, reciprocal, exp, expm1, log, log1p, sin, cos,
  tan, tanh, sigmoid, relu, softplus, erf, floor, ceil, round, logical_not, isnan, isfinite,
  leaky_relu,  // alpha = negative slope
  elu,         // alpha
};

enum class BinaryOp {
  add, subtract, multiply, divide, power, minimum, maximum, floor_divide, mod,
  equal, not_equal, less, less_equal, greater, greater_equal,  // -> bool
  logical_and, logical_or, logical_xor,                        // bool inputs -> bool
};

enum class ReduceOp { sum, prod, max, min, any, all };
enum class ArgReduceOp { argmax, argmin };
enum class RandomDist { uniform, normal, truncated_normal, binomial };

// A strided window on a tensor's storage: element (i0, i1, ...) lives at
// data + sum(ik * strides[k]) elements. Strides may be 0 (broadcast) or negative (flip).
struct StridedView {
  void* data = nullptr;
  DType dtype = DType::float32;
  Shape shape;
  std::vector<std::int64_t> strides;
  // The storage `data` points into (a kernel recording needs it to replay the copy).
  const detail::Storage* storage = nullptr;
};

struct ConvParams {
  int spatial_dims = 2;  // 1 or 2
  bool channels_first = false;
  std::vector<std::int64_t> strides;
  std::vector<std::int64_t> dilation;  // Keras's dilation_rate (1 = dense)
  std::vector<std::int64_t> pad_begin;
  std::vector<std::int64_t> pad_end;
  std::int64_t groups = 1;
};

struct PoolParams {
  int spatial_dims = 2;
  bool channels_first = false;
  bool max = true;  // else average, excluding padding
  std::vector<std::int64_t> window;
  std::vector<std::int64_t> strides;
  std::vector<std::int64_t> pad_begin;
  std::vector<std::int64_t> pad_end;
};

// Keras's update rules for the optimizers that dominate a training step's elementwise
// time (SGD, RMSprop, Adam/AdamW), fused: one pass updates a variable and its slots in place
// instead of about ten elementwise ops, each a pass over memory.
enum class UpdateRule { sgd, rmsprop, adam };

struct UpdateParams {
  UpdateRule rule = UpdateRule::sgd;
  // Adam: the step's bias-corrected rate, lr sqrt(1 - beta_2^t) / (1 - beta_1^t).
  double learning_rate = 0;
  double momentum = 0;  // SGD, RMSprop
  bool nesterov = false;  // SGD
  double rho = 0;  // RMSprop
  double beta_1 = 0, beta_2 = 0;  // Adam
  double epsilon = 0;  // RMSprop, Adam
};

// A rule's slot variables; the ones its options leave out (SGD without momentum,
// RMSprop without centering, Adam without amsgrad) are null.
struct UpdateSlots {
  Tensor* momentum = nullptr;  // SGD, RMSprop: the momentum; Adam: the first moment
  Tensor* velocity = nullptr;  // RMSprop, Adam: the second moment
  Tensor* average_gradient = nullptr;  // centered RMSprop
  Tensor* velocity_hat = nullptr;  // Adam with amsgrad
};

class Backend {
 public:
  virtual ~Backend() = default;

  virtual void* allocate(std::size_t bytes) = 0;
  virtual void deallocate(void* ptr, std::size_t bytes) = 0;

  virtual void fill(Tensor& out, double value) = 0;
  // out[i] = start + i * step
  virtual void arange(double start, double step, Tensor& out) = 0;
  // Copies src's elements into dst's positions; same shape and dtype.
  virtual void copy(const StridedView& src, const StridedView& dst) = 0;
  virtual void cast(const Tensor& in, Tensor& out) = 0;
  virtual void unary(UnaryOp op, const Tensor& in, Tensor& out, double alpha) = 0;
  // a and b broadcast to out's shape (numpy rules, already checked).
  virtual void binary(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) = 0;
  // condition (bool), a, b broadcast to out's shape.
  virtual void where(const Tensor& condition, const Tensor& a, const Tensor& b, Tensor& out) = 0;
  // `axes` sorted; out has in's shape with those axes set to 1.
  virtual void reduce(ReduceOp op, const Tensor& in, const std::vector<int>& axes, Tensor& out) = 0;
  // out (int32) has in's shape with `axis` set to 1.
  virtual void arg_reduce(ArgReduceOp op, const Tensor& in, int axis, Tensor& out) = 0;
  // Softmax (or log-softmax) along axis.
  virtual void softmax(const Tensor& in, int axis, bool log, Tensor& out) = 0;
  // a: (Ba, M, K) or (Ba, K, M) when trans_a; b: (Bb, K, N) or (Bb, N, K) when trans_b;
  // out: (B, M, N) with Ba, Bb each B or 1.
  virtual void matmul(const Tensor& a, const Tensor& b, bool trans_a, bool trans_b,
                      Tensor& out) = 0;
  // src viewed as (outer, n, inner) along the gather axis; indices int32/int64 in [-n, n),
  // negative ones counting from the end (checked: ValueError otherwise); out: (outer,
  // indices.size(), inner).
  virtual void gather(const Tensor& src, int axis, const Tensor& indices, Tensor& out) = 0;
  // The adjoint of gather: out (zeroed by the caller) += updates at indices.
  virtual void scatter_add(const Tensor& updates, int axis, const Tensor& indices,
                           Tensor& out) = 0;
  // x: (N, [C,] spatial..., [C]) by data format; w: Keras layout (spatial..., C/groups, F).
  virtual void conv(const ConvParams& p, const Tensor& x, const Tensor& w, Tensor& y) = 0;
  virtual void conv_backward_data(const ConvParams& p, const Tensor& dy, const Tensor& w,
                                  Tensor& dx) = 0;
  virtual void conv_backward_weights(const ConvParams& p, const Tensor& x, const Tensor& dy,
                                     Tensor& dw) = 0;
  virtual void pool(const PoolParams& p, const Tensor& x, Tensor& y) = 0;
  virtual void pool_backward(const PoolParams& p, const Tensor& x, const Tensor& dy,
                             Tensor& dx) = 0;
  // The LSTM cell's gate maths in one pass (a fused kernel: the per-step elementwise work
  // of an LSTM is otherwise a dozen ops). z (B, 4u) holds the pre-activations of Keras's
  // gates i, f, c, o; with sigmoid gates and a tanh candidate and output:
  // c = f c_prev + i g, h = o tanh(c). All contiguous, one float dtype.
  virtual void lstm_cell(const Tensor& z, const Tensor& c_prev, Tensor& c, Tensor& h) = 0;
  // Its gradient from dc and dh (dz (B, 4u), dc_prev (B, u)); the gates are recomputed from
  // z, so the forward keeps nothing but its inputs and c.
  virtual void lstm_cell_backward(const Tensor& z, const Tensor& c_prev, const Tensor& c, const Tensor& dc,
                                  const Tensor& dh, Tensor& dz, Tensor& dc_prev) = 0;
  // The GRU cell's gate maths (Keras's reset_after=True form, gates z, r, h): x (B, 3u) the
  // input projection, inner (B, 3u) the recurrent one (bias included), h_prev (B, u):
  // z = sigmoid(x_z + inner_z), r = sigmoid(x_r + inner_r), n = tanh(x_h + r inner_h),
  // h = z h_prev + (1 - z) n.
  virtual void gru_cell(const Tensor& x, const Tensor& inner, const Tensor& h_prev, Tensor& h) = 0;
  // Its gradient from dh: dx, dinner (B, 3u), dh_prev (B, u), the gates recomputed.
  virtual void gru_cell_backward(const Tensor& x, const Tensor& inner, const Tensor& h_prev, const Tensor& dh,
                                 Tensor& dx, Tensor& dinner, Tensor& dh_prev) = 0;
  // Applies one optimizer step to `variable` and its slots in place from `gradient`: all
  // contiguous, the variable's shape and float dtype.
  virtual void optimizer_update(const UpdateParams& p, const Tensor& gradient, Tensor& variable,
                                const UpdateSlots& slots) = 0;
  // Fills out from the Philox stream (key, counter); a, b are the distribution's
  // parameters (uniform: min, max; normal: mean, stddev; binomial: counts, p).
  virtual void random(RandomDist dist, std::uint64_t key, std::uint64_t counter, double a,
                      double b, Tensor& out) = 0;
};

// The backend of a device; throws RuntimeError when the device has none.
Backend& backend(const Device& device);
void register_backend(DeviceType type, Backend* backend);

}  // namespace keras::kernels
