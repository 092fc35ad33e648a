// RNNCell (the cell interface's defaults) and DropoutRNNCell (what the built-in cells share:
// the three weights and the per-sequence dropout masks).
#include "keras/layers/recurrent.hpp"
#include "keras/ops.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/rnn/rnn_config.hpp"

namespace keras::layers {

RNNCell::RNNCell(const LayerOptions& options) : Layer(options) {}

std::int64_t RNNCell::output_size() const { return state_size().front(); }

Tensors RNNCell::get_initial_state(std::int64_t batch_size) const {
  Tensors states;
  for (auto size : state_size()) states.push_back(ops::zeros({batch_size, size}, dtype()));
  return states;
}

void RNNCell::begin_sequence(const Tensor&, const Tensors&, bool) {}

void RNNCell::end_sequence() {}

Tensor RNNCell::project_inputs(const Tensor& sequence, bool) { return sequence; }

Tensors RNNCell::call(const Tensors& inputs, const CallContext& context) {
  const std::size_t n_states = state_size().size();
  if (inputs.size() != 1 + n_states) {
    throw ValueError("Layer \"" + name() + "\" expects " + std::to_string(1 + n_states) +
                     " input(s) (the step input and " + std::to_string(n_states) + " state(s)), but it received " +
                     std::to_string(inputs.size()) + " input tensors.");
  }
  const Tensor& x = inputs[0];
  detail::check_input_ndim(*this, x.shape(), 2);
  const Tensors states(inputs.begin() + 1, inputs.end());
  rnn_detail::SequenceScope scope(*this, x, states, context.training);
  const Tensor projected = project_inputs(ops::expand_dims(x, 0), context.training);
  return step(ops::squeeze(projected, 0), states, context.training);
}

DropoutRNNCell::DropoutRNNCell(std::int64_t units, double dropout, double recurrent_dropout,
                               std::optional<std::uint64_t> seed, const LayerOptions& options)
    : RNNCell(options),
      units_(units),
      dropout_(rnn_detail::clip_rate(dropout)),
      recurrent_dropout_(rnn_detail::clip_rate(recurrent_dropout)),
      seed_(seed),
      seed_generator_(seed.value_or(0)) {
  if (units <= 0) {
    throw ValueError("Received an invalid value for argument `units`, expected a positive integer, got " +
                     std::to_string(units) + ".");
  }
}

void DropoutRNNCell::begin_sequence(const Tensor& first_input, const Tensors& states, bool training) {
  kernel_value_ = kernel_.value();
  recurrent_value_ = recurrent_kernel_.value();
  input_masks_.clear();
  recurrent_masks_.clear();
  if (!training) return;
  // As Keras: recurrent dropout switches to one mask per gate (implementation 1) for both.
  const std::int64_t count = recurrent_dropout_ > 0.0 ? gate_count() : 1;
  auto draw = [&](const Tensor& like, double rate, Tensors& masks) {
    if (!(rate > 0.0 && rate < 1.0)) return;
    for (std::int64_t g = 0; g < count; ++g) {
      // Each mask is the next draw: from the cell's own stream when seeded, else from the
      // global generator (which utils::set_random_seed resets), as the Dropout layer.
      auto& generator = seed_ ? seed_generator_ : random::global_generator();
      masks.push_back(ops::dropout(ops::ones_like(like), rate, {.seed_generator = &generator}));
    }
  };
  draw(first_input, dropout_, input_masks_);
  draw(states.at(0), recurrent_dropout_, recurrent_masks_);
}

void DropoutRNNCell::end_sequence() {
  kernel_value_ = Tensor();
  recurrent_value_ = Tensor();
  input_masks_.clear();
  recurrent_masks_.clear();
}

Tensor DropoutRNNCell::project(const Tensor& sequence, const Tensor& bias) const {
  // (time, batch, features) as one (time * batch, features) GEMM.
  const Shape& s = sequence.shape();
  auto flat = [&](const Tensor& x) { return ops::reshape(x, {s[0] * s[1], s[2]}); };
  Tensor y;
  if (input_masks_.size() <= 1) {
    const Tensor x = input_masks_.empty() ? sequence : ops::multiply(sequence, input_masks_[0]);
    y = ops::matmul(flat(x), kernel_value_);
  } else {
    const auto blocks = ops::split(kernel_value_, gate_count(), 1);
    Tensors parts;
    for (std::size_t g = 0; g < blocks.size(); ++g) {
      parts.push_back(ops::matmul(flat(ops::multiply(sequence, input_masks_[g])), blocks[g]));
    }
    y = ops::concatenate(parts, -1);
  }
  if (bias.defined()) y = ops::add(y, bias);
  return ops::reshape(y, {s[0], s[1], y.shape()[1]});
}

Tensor DropoutRNNCell::recurrent_projection(const Tensor& h, const Tensor& recurrent_kernel) const {
  if (recurrent_masks_.empty()) return ops::matmul(h, recurrent_kernel);
  if (recurrent_masks_.size() == 1) return ops::matmul(ops::multiply(h, recurrent_masks_[0]), recurrent_kernel);
  const auto blocks = ops::split(recurrent_kernel, static_cast<std::int64_t>(recurrent_masks_.size()), 1);
  Tensors parts;
  for (std::size_t g = 0; g < blocks.size(); ++g) {
    parts.push_back(ops::matmul(ops::multiply(h, recurrent_masks_[g]), blocks[g]));
  }
  return ops::concatenate(parts, -1);
}

std::int64_t DropoutRNNCell::input_dim(const std::vector<Shape>& input_shapes) const {
  const Shape& shape = input_shapes.at(0);
  detail::check_input_ndim(*this, shape, 2);
  if (shape.back() == kUnknownDim) {
    throw ValueError("The last dimension of the inputs to a " + class_name() +
                     " should be defined. Found None. Full input shape received: " + shape_str(shape));
  }
  return shape.back();
}

void DropoutRNNCell::add_weights(std::int64_t input_dim, std::int64_t gates, const Shape& bias_shape,
                                 const WeightOptions& kernel, const WeightOptions& recurrent,
                                 const WeightOptions& bias) {
  kernel_ = add_weight("kernel", {input_dim, gates * units_}, kernel);
  recurrent_kernel_ = add_weight("recurrent_kernel", {units_, gates * units_}, recurrent);
  if (!bias_shape.empty()) bias_ = add_weight("bias", bias_shape, bias);
}

Variable DropoutRNNCell::kernel() const {
  if (!built()) throw ValueError("You must build the layer before accessing `kernel`.");
  return kernel_;
}

Variable DropoutRNNCell::recurrent_kernel() const {
  if (!built()) throw ValueError("You must build the layer before accessing `recurrent_kernel`.");
  return recurrent_kernel_;
}

Variable DropoutRNNCell::bias() const {
  if (!built()) throw ValueError("You must build the layer before accessing `bias`.");
  if (!bias_.defined()) throw ValueError("Layer '" + name() + "' has no bias (use_bias=False).");
  return bias_;
}

}  // namespace keras::layers
