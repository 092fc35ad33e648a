#pragma once
// How ops talk to the gradient tapes. An op first asks `should_record(inputs)` (cheap:
// false unless a recording tape watches an input), and only then builds its gradient
// closure and calls `record`. The closure receives the gradient of each output and
// returns one gradient per input (undefined where an input gets none); it is written in
// ops, so gradients are themselves differentiable (higher-order tapes).
#include <functional>
#include <string_view>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::autodiff {

using Grads = std::vector<Tensor>;
using BackwardFn = std::function<Grads(const Grads& output_grads)>;

bool should_record(const std::vector<Tensor>& inputs);

// Whether the backward pass now running needs the gradient of input x: false for an
// input the tape does not differentiate (data fed to a conv, labels), true outside any
// backward pass. Rules skip the work for the others, e.g. a first conv layer's input
// gradient, which would otherwise cost as much as its forward pass.
bool needs_gradient(const Tensor& x);
void record(std::string_view op, const std::vector<Tensor>& inputs,
            const std::vector<Tensor>& outputs, BackwardFn backward);

// The single-output form: `backward(grad)` returns the input gradients.
template <class F>
void record_unary_output(std::string_view op, const std::vector<Tensor>& inputs,
                         const Tensor& output, F backward) {
  record(op, inputs, {output},
         [f = std::move(backward)](const Grads& g) -> Grads { return f(g[0]); });
}

// Records `op` when some tape watches an input; `make_backward()` builds the closure only
// then, so an op run outside any tape pays for nothing but the check.
template <class MakeBackward>
void maybe_record(std::string_view op, const std::vector<Tensor>& inputs, const Tensor& output,
                  MakeBackward make_backward) {
  if (should_record(inputs)) record_unary_output(op, inputs, output, make_backward());
}

}  // namespace keras::autodiff
