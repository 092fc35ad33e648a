// keras.losses.Loss: weighting (sample_weight, Keras masks) and reduction of per-sample
// values, LossFunctionWrapper and LossArg. Follows keras/src/losses/loss.py.
#include "keras/losses/loss.hpp"

#include "keras/input.hpp"
#include "keras/losses.hpp"
#include "keras/ops/creation.hpp"
#include "keras/ops/manipulation.hpp"
#include "keras/ops/math.hpp"
#include "keras/ops/reduction.hpp"
#include "losses/loss_utils.hpp"

namespace keras::losses {

namespace detail {

Tensor divide_no_nan(const Tensor& x, const Tensor& y) {
  Tensor zero = ops::equal(y, 0.0);
  Tensor safe = ops::where(zero, ops::ones_like(y), y);
  Tensor q = ops::divide(x, safe);
  return ops::where(zero, ops::zeros_like(q), q);
}

DType float_dtype(const Tensor& x) { return is_floating(x.dtype()) ? x.dtype() : floatx(); }

const std::string& standardize_reduction(const std::string& reduction) {
  if (reduction != "sum_over_batch_size" && reduction != "sum" && reduction != "none" &&
      reduction != "mean" && reduction != "mean_with_sample_weight") {
    throw ValueError(
        "Invalid value for argument `reduction`. Expected one of {'sum_over_batch_size', 'sum', "
        "None, 'none', 'mean', 'mean_with_sample_weight'}. Received: reduction=" +
        reduction);
  }
  return reduction;
}

Tensor apply_mask(const Tensor& sample_weight, const Tensor& mask, DType dtype,
                  const std::string& reduction) {
  if (!mask.defined()) return sample_weight;
  Tensor m = ops::cast(mask, dtype);
  if (reduction == "mean" || reduction == "sum_over_batch_size") {
    Tensor total = Tensor::scalar(static_cast<double>(m.size()), dtype);
    Tensor valid = ops::sum(m);
    m = ops::multiply(m, divide_no_nan(total, valid));
  }
  if (!sample_weight.defined()) return m;
  Tensor w = ops::cast(sample_weight, dtype);
  auto [m2, w2] = squeeze_or_expand_to_same_rank(m, w);
  return ops::multiply(w2, m2);
}

}  // namespace detail

namespace {

Tensor reduce_values(const Tensor& values, const Tensor& sample_weight, const std::string& reduction) {
  if (reduction == "none" || values.ndim() == 0 || values.shape() == Shape{0}) return values;
  Tensor loss = ops::sum(values);
  if (reduction == "sum") return loss;
  if (reduction == "mean_with_sample_weight" && sample_weight.defined()) {
    return detail::divide_no_nan(loss, ops::cast(ops::sum(sample_weight), loss.dtype()));
  }
  const std::int64_t n = values.size();
  if (n > 0) return ops::divide(loss, Tensor::scalar(static_cast<double>(n), loss.dtype()));
  return ops::zeros_like(loss);
}

}  // namespace

std::pair<Tensor, Tensor> squeeze_or_expand_to_same_rank(const Tensor& x1_in, const Tensor& x2_in,
                                                         bool expand_rank_1) {
  Tensor x1 = x1_in;
  Tensor x2 = x2_in;
  const std::int64_t r1 = x1.ndim();
  const std::int64_t r2 = x2.ndim();
  if (r1 == r2) return {x1, x2};
  if (r1 == r2 + 1 && x1.shape().back() == 1) {
    if (r2 == 1 && expand_rank_1) {
      x2 = ops::expand_dims(x2, -1);
    } else {
      x1 = ops::squeeze(x1, -1);
    }
  }
  if (r2 == r1 + 1 && x2.shape().back() == 1) {
    if (r1 == 1 && expand_rank_1) {
      x1 = ops::expand_dims(x1, -1);
    } else {
      x2 = ops::squeeze(x2, -1);
    }
  }
  return {x1, x2};
}

Tensor reduce_weighted_values(const Tensor& values_in, const Tensor& sample_weight_in,
                              const Tensor& mask, const std::string& reduction) {
  detail::standardize_reduction(reduction);
  if (!values_in.defined()) throw ValueError("reduce_weighted_values: `values` is undefined");
  const DType dtype = detail::float_dtype(values_in);
  Tensor values = ops::cast(values_in, dtype);
  Tensor sample_weight =
      sample_weight_in.defined() ? ops::cast(sample_weight_in, dtype) : Tensor();
  sample_weight = detail::apply_mask(sample_weight, mask, dtype, reduction);
  if (sample_weight.defined()) {
    sample_weight = ops::cast(sample_weight, dtype);
    std::tie(values, sample_weight) = squeeze_or_expand_to_same_rank(values, sample_weight);
    values = ops::multiply(values, sample_weight);
  }
  return reduce_values(values, sample_weight, reduction);
}

Loss::Loss(std::string name, std::string reduction)
    : name_(name.empty() ? "loss" : std::move(name)),
      reduction_(detail::standardize_reduction(reduction)) {}

Loss::~Loss() = default;

Tensor Loss::operator()(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) const {
  if (!y_true.defined() || !y_pred.defined()) {
    throw ValueError("Loss " + name_ + ": y_true and y_pred must be defined tensors");
  }
  const Tensor in_mask = get_keras_mask(y_pred);
  const DType dtype = y_pred.dtype() == DType::float64 ? DType::float64 : DType::float32;
  const Tensor yp = y_pred.dtype() == dtype ? y_pred : ops::cast(y_pred, dtype);
  const Tensor yt = y_true.dtype() == dtype ? y_true : ops::cast(y_true, dtype);
  Tensor losses = call(yt, yp);
  const Tensor out_mask = get_keras_mask(losses);
  Tensor mask;
  if (in_mask.defined() && out_mask.defined()) {
    mask = ops::logical_and(in_mask, out_mask);
  } else if (in_mask.defined()) {
    mask = in_mask;
  } else {
    mask = out_mask;
  }
  Tensor out = reduce_weighted_values(ops::cast(losses, dtype), sample_weight, mask, reduction_);
  return out.dtype() == dtype ? out : ops::cast(out, dtype);
}

nlohmann::json Loss::get_config() const { return {{"name", name_}, {"reduction", reduction_}}; }

LossFunctionWrapper::LossFunctionWrapper(LossFunction fn, const LossOptions& options)
    : Loss(options.name.empty() ? "loss_function_wrapper" : options.name, options.reduction),
      fn_(std::move(fn)) {
  if (!fn_) throw ValueError("LossFunctionWrapper: the loss function is empty");
}

Tensor LossFunctionWrapper::call(const Tensor& y_true, const Tensor& y_pred) const {
  auto [yt, yp] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return fn_(yt, yp);
}

nlohmann::json LossFunctionWrapper::get_config() const {
  throw NotImplementedError("The loss " + name() +
                            " wraps a C++ callable and cannot be serialized (get_config)");
}

LossPtr LossArg::ptr() const {
  if (loss_) return loss_;
  if (name_.empty()) return nullptr;
  return get(name_);
}

}  // namespace keras::losses
