// Fused recurrent-cell kernels: the LSTM and GRU cells' gate maths, forward and backward,
// in one pass over each batch row (vectorised sigmoid and tanh from vmath.hpp), parallel over
// rows when the step is large.
#include <omp.h>

#include <string>

#include "kernels/cpu/cpu_backend.hpp"
#include "kernels/cpu/vmath.hpp"

namespace keras::kernels::cpu {

namespace {

template <class T>
void lstm_forward(const T* z, const T* c_prev, T* c, T* h, std::int64_t batch, std::int64_t units) {
#pragma omp parallel for if (batch * units * 4 >= kParallelThreshold)
  for (std::int64_t b = 0; b < batch; ++b) {
    const T* zi = z + b * 4 * units;
    const T* zf = zi + units;
    const T* zg = zf + units;
    const T* zo = zg + units;
    const T* cp = c_prev + b * units;
    T* cb = c + b * units;
    T* hb = h + b * units;
#pragma omp simd
    for (std::int64_t j = 0; j < units; ++j) {
      const T cj = vmath::sigmoid(zf[j]) * cp[j] + vmath::sigmoid(zi[j]) * vmath::tanh(zg[j]);
      cb[j] = cj;
      hb[j] = vmath::sigmoid(zo[j]) * vmath::tanh(cj);
    }
  }
}

// dc_total = dc + dh o (1 - tanh(c)^2); the gates' gradients through their activations.
template <class T>
void lstm_backward(const T* z, const T* c_prev, const T* c, const T* dc, const T* dh, T* dz, T* dc_prev,
                   std::int64_t batch, std::int64_t units) {
#pragma omp parallel for if (batch * units * 4 >= kParallelThreshold)
  for (std::int64_t b = 0; b < batch; ++b) {
    const std::int64_t row = b * 4 * units;
    const std::int64_t half = b * units;
    T* dzi = dz + row;
    T* dzf = dzi + units;
    T* dzg = dzf + units;
    T* dzo = dzg + units;
#pragma omp simd
    for (std::int64_t j = 0; j < units; ++j) {
      const T i = vmath::sigmoid(z[row + j]);
      const T f = vmath::sigmoid(z[row + units + j]);
      const T g = vmath::tanh(z[row + 2 * units + j]);
      const T o = vmath::sigmoid(z[row + 3 * units + j]);
      const T tc = vmath::tanh(c[half + j]);
      const T dhj = dh[half + j];
      const T dct = dc[half + j] + dhj * o * (T(1) - tc * tc);
      dzi[j] = dct * g * i * (T(1) - i);
      dzf[j] = dct * c_prev[half + j] * f * (T(1) - f);
      dzg[j] = dct * i * (T(1) - g * g);
      dzo[j] = dhj * tc * o * (T(1) - o);
      dc_prev[half + j] = dct * f;
    }
  }
}

template <class T>
void gru_forward(const T* x, const T* inner, const T* h_prev, T* h, std::int64_t batch, std::int64_t units) {
#pragma omp parallel for if (batch * units * 3 >= kParallelThreshold)
  for (std::int64_t b = 0; b < batch; ++b) {
    const T* xb = x + b * 3 * units;
    const T* ib = inner + b * 3 * units;
    const T* hp = h_prev + b * units;
    T* hb = h + b * units;
#pragma omp simd
    for (std::int64_t j = 0; j < units; ++j) {
      const T z = vmath::sigmoid(xb[j] + ib[j]);
      const T r = vmath::sigmoid(xb[units + j] + ib[units + j]);
      const T n = vmath::tanh(xb[2 * units + j] + r * ib[2 * units + j]);
      hb[j] = n + z * (hp[j] - n);
    }
  }
}

template <class T>
void gru_backward(const T* x, const T* inner, const T* h_prev, const T* dh, T* dx, T* dinner, T* dh_prev,
                  std::int64_t batch, std::int64_t units) {
#pragma omp parallel for if (batch * units * 3 >= kParallelThreshold)
  for (std::int64_t b = 0; b < batch; ++b) {
    const std::int64_t row = b * 3 * units;
    const std::int64_t half = b * units;
#pragma omp simd
    for (std::int64_t j = 0; j < units; ++j) {
      const T z = vmath::sigmoid(x[row + j] + inner[row + j]);
      const T r = vmath::sigmoid(x[row + units + j] + inner[row + units + j]);
      const T inner_h = inner[row + 2 * units + j];
      const T n = vmath::tanh(x[row + 2 * units + j] + r * inner_h);
      const T d = dh[half + j];
      const T da_n = d * (T(1) - z) * (T(1) - n * n);
      const T da_z = d * (h_prev[half + j] - n) * z * (T(1) - z);
      const T da_r = da_n * inner_h * r * (T(1) - r);
      dx[row + j] = da_z;
      dx[row + units + j] = da_r;
      dx[row + 2 * units + j] = da_n;
      dinner[row + j] = da_z;
      dinner[row + units + j] = da_r;
      dinner[row + 2 * units + j] = da_n * r;
      dh_prev[half + j] = d * z;
    }
  }
}

[[noreturn]] void no_version(const char* kernel, DType dtype) {
  throw ValueError(std::string(kernel) + " kernel: no version for dtype " + std::string(dtype_name(dtype)));
}

}  // namespace

void CpuBackend::lstm_cell(const Tensor& z, const Tensor& c_prev, Tensor& c, Tensor& h) {
  const std::int64_t batch = c.shape()[0];
  const std::int64_t units = c.shape()[1];
  switch (z.dtype()) {
    case DType::float32:
      return lstm_forward(z.data<float>(), c_prev.data<float>(), c.data<float>(), h.data<float>(), batch, units);
    case DType::float64:
      return lstm_forward(z.data<double>(), c_prev.data<double>(), c.data<double>(), h.data<double>(), batch, units);
    default:
      no_version("lstm_cell", z.dtype());
  }
}

void CpuBackend::lstm_cell_backward(const Tensor& z, const Tensor& c_prev, const Tensor& c, const Tensor& dc,
                                    const Tensor& dh, Tensor& dz, Tensor& dc_prev) {
  const std::int64_t batch = c.shape()[0];
  const std::int64_t units = c.shape()[1];
  switch (z.dtype()) {
    case DType::float32:
      return lstm_backward(z.data<float>(), c_prev.data<float>(), c.data<float>(), dc.data<float>(), dh.data<float>(),
                           dz.data<float>(), dc_prev.data<float>(), batch, units);
    case DType::float64:
      return lstm_backward(z.data<double>(), c_prev.data<double>(), c.data<double>(), dc.data<double>(),
                           dh.data<double>(), dz.data<double>(), dc_prev.data<double>(), batch, units);
    default:
      no_version("lstm_cell_backward", z.dtype());
  }
}

void CpuBackend::gru_cell(const Tensor& x, const Tensor& inner, const Tensor& h_prev, Tensor& h) {
  const std::int64_t batch = h.shape()[0];
  const std::int64_t units = h.shape()[1];
  switch (x.dtype()) {
    case DType::float32:
      return gru_forward(x.data<float>(), inner.data<float>(), h_prev.data<float>(), h.data<float>(), batch, units);
    case DType::float64:
      return gru_forward(x.data<double>(), inner.data<double>(), h_prev.data<double>(), h.data<double>(), batch, units);
    default:
      no_version("gru_cell", x.dtype());
  }
}

void CpuBackend::gru_cell_backward(const Tensor& x, const Tensor& inner, const Tensor& h_prev, const Tensor& dh,
                                   Tensor& dx, Tensor& dinner, Tensor& dh_prev) {
  const std::int64_t batch = h_prev.shape()[0];
  const std::int64_t units = h_prev.shape()[1];
  switch (x.dtype()) {
    case DType::float32:
      return gru_backward(x.data<float>(), inner.data<float>(), h_prev.data<float>(), dh.data<float>(),
                          dx.data<float>(), dinner.data<float>(), dh_prev.data<float>(), batch, units);
    case DType::float64:
      return gru_backward(x.data<double>(), inner.data<double>(), h_prev.data<double>(), dh.data<double>(),
                          dx.data<double>(), dinner.data<double>(), dh_prev.data<double>(), batch, units);
    default:
      no_version("gru_cell_backward", x.dtype());
  }
}

}  // namespace keras::kernels::cpu
