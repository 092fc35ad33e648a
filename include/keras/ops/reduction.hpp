#pragma once
// Reductions over an axis, a list of axes or (default) every axis, with keepdims.
#include <utility>

#include "keras/ops/axes.hpp"
#include "keras/tensor.hpp"

namespace keras::ops {

Tensor sum(const Tensor& x, Axes axis = {}, bool keepdims = false);
Tensor mean(const Tensor& x, Axes axis = {}, bool keepdims = false);
Tensor max(const Tensor& x, Axes axis = {}, bool keepdims = false);
Tensor min(const Tensor& x, Axes axis = {}, bool keepdims = false);
Tensor prod(const Tensor& x, Axes axis = {}, bool keepdims = false);
// Population variance / standard deviation (ddof = 0), as keras.ops.var / std.
Tensor var(const Tensor& x, Axes axis = {}, bool keepdims = false);
Tensor std(const Tensor& x, Axes axis = {}, bool keepdims = false);
Tensor logsumexp(const Tensor& x, Axes axis = {}, bool keepdims = false);
Tensor all(const Tensor& x, Axes axis = {}, bool keepdims = false);
Tensor any(const Tensor& x, Axes axis = {}, bool keepdims = false);
// Index of the largest / smallest element along `axis` (over the flattened tensor when
// axis is None); int32, first occurrence on ties.
Tensor argmax(const Tensor& x, Axes axis = {}, bool keepdims = false);
Tensor argmin(const Tensor& x, Axes axis = {}, bool keepdims = false);
// Mean and variance over `axes` (keras.ops.moments).
std::pair<Tensor, Tensor> moments(const Tensor& x, Axes axes, bool keepdims = false);

}  // namespace keras::ops
