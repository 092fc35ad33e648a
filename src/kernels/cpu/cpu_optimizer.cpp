// Fused optimizer updates (see UpdateRule in backend.hpp): each rule is Keras's update
// (keras/src/optimizers/{sgd,rmsprop,adam}.py) written elementwise, with the same
// operations in the same order and the hyperparameters rounded to the variable's dtype
// first, as the ops would do with them as weak scalars. One pass, parallel over chunks
// when the variable is large.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "kernels/cpu/cpu_backend.hpp"
#include "keras/errors.hpp"

namespace keras::kernels::cpu {

namespace {

template <class T>
T* data_or_null(Tensor* t) {
  return t ? t->data<T>() : nullptr;
}

template <class T>
struct Pointers {
  const T* g;
  T* var;
  T* momentum;
  T* velocity;
  T* average;
  T* velocity_hat;
};

// m = mu m - lr g; var += nesterov ? mu m - lr g : m (no momentum: var -= lr g).
template <class T>
void sgd(const UpdateParams& p, const Pointers<T>& x, std::int64_t begin, std::int64_t end) {
  const T lr = static_cast<T>(p.learning_rate);
  const T mu = static_cast<T>(p.momentum);
  if (!x.momentum) {
#pragma omp simd
    for (std::int64_t i = begin; i < end; ++i) x.var[i] = x.var[i] - x.g[i] * lr;
    return;
  }
#pragma omp simd
  for (std::int64_t i = begin; i < end; ++i) {
    const T m = x.momentum[i] * mu - x.g[i] * lr;
    x.momentum[i] = m;
    x.var[i] = x.var[i] + (p.nesterov ? m * mu - x.g[i] * lr : m);
  }
}

// v = rho v + (1 - rho) g^2; centered: a = rho a + (1 - rho) g, denominator v - a^2 + eps,
// else v + eps; increment = lr g / sqrt(denominator); with momentum m = mu m + increment,
// var -= m; else var -= increment.
template <class T>
void rmsprop(const UpdateParams& p, const Pointers<T>& x, std::int64_t begin, std::int64_t end) {
  const T lr = static_cast<T>(p.learning_rate);
  const T rho = static_cast<T>(p.rho);
  const T one_minus_rho = static_cast<T>(1 - p.rho);
  const T mu = static_cast<T>(p.momentum);
  const T eps = static_cast<T>(p.epsilon);
#pragma omp simd
  for (std::int64_t i = begin; i < end; ++i) {
    const T g = x.g[i];
    const T v = rho * x.velocity[i] + one_minus_rho * (g * g);
    x.velocity[i] = v;
    T denominator = v + eps;
    if (x.average) {
      const T a = rho * x.average[i] + one_minus_rho * g;
      x.average[i] = a;
      denominator = (v - a * a) + eps;
    }
    T step = (lr * g) / std::sqrt(denominator);
    if (x.momentum) {
      step = mu * x.momentum[i] + step;
      x.momentum[i] = step;
    }
    x.var[i] = x.var[i] - step;
  }
}

// m += (g - m)(1 - beta_1); v += (g^2 - v)(1 - beta_2); amsgrad: v_hat = max(v_hat, v);
// var -= m alpha / (sqrt(v_hat or v) + eps).
template <class T>
void adam(const UpdateParams& p, const Pointers<T>& x, std::int64_t begin, std::int64_t end) {
  const T alpha = static_cast<T>(p.learning_rate);
  const T one_minus_b1 = static_cast<T>(1 - p.beta_1);
  const T one_minus_b2 = static_cast<T>(1 - p.beta_2);
  const T eps = static_cast<T>(p.epsilon);
#pragma omp simd
  for (std::int64_t i = begin; i < end; ++i) {
    const T g = x.g[i];
    const T m = x.momentum[i] + (g - x.momentum[i]) * one_minus_b1;
    const T v = x.velocity[i] + (g * g - x.velocity[i]) * one_minus_b2;
    x.momentum[i] = m;
    x.velocity[i] = v;
    T second = v;
    if (x.velocity_hat) {
      second = std::max(x.velocity_hat[i], v);
      x.velocity_hat[i] = second;
    }
    x.var[i] = x.var[i] - (m * alpha) / (std::sqrt(second) + eps);
  }
}

template <class T>
void update(const UpdateParams& p, const Tensor& gradient, Tensor& variable, const UpdateSlots& s) {
  const Pointers<T> x{gradient.data<T>(),          variable.data<T>(),          data_or_null<T>(s.momentum),
                      data_or_null<T>(s.velocity), data_or_null<T>(s.average_gradient), data_or_null<T>(s.velocity_hat)};
  const std::int64_t n = variable.size();
  auto run = [&](std::int64_t begin, std::int64_t end) {
    switch (p.rule) {
      case UpdateRule::sgd: return sgd(p, x, begin, end);
      case UpdateRule::rmsprop: return rmsprop(p, x, begin, end);
      case UpdateRule::adam: return adam(p, x, begin, end);
    }
  };
  if (n < kParallelThreshold) return run(0, n);
#pragma omp parallel
  {
    const std::int64_t threads = omp_get_num_threads();
    const std::int64_t chunk = (n + threads - 1) / threads;
    const std::int64_t begin = std::min(n, omp_get_thread_num() * chunk);
    run(begin, std::min(n, begin + chunk));
  }
}

}  // namespace

void CpuBackend::optimizer_update(const UpdateParams& p, const Tensor& gradient, Tensor& variable,
                                  const UpdateSlots& slots) {
  switch (variable.dtype()) {
    case DType::float32: return update<float>(p, gradient, variable, slots);
    case DType::float64: return update<double>(p, gradient, variable, slots);
    default:
      throw ValueError("optimizer_update kernel: no version for dtype " + std::string(dtype_name(variable.dtype())));
  }
}

}  // namespace keras::kernels::cpu
