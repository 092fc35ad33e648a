// Convolution forward, backward-data and backward-weights. float32 runs on oneDNN
// primitives cached by geometry, reading and writing activations in Keras's layout (NHWC
// or NCHW) in place through strided memory descriptors, with the kernel (Keras's HWIO,
// with groups) reordered to the primitive's blocked layout; float64 runs a direct
// reference loop (it serves gradient checks). 1-D convolutions are 2-D ones with height 1.
#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "kernels/cpu/cpu_backend.hpp"
#include "kernels/cpu/dnnl_context.hpp"

namespace keras::kernels::cpu {

namespace {

using dnnl::memory;

// Everything about one convolution, in 2-D form.
struct Geometry {
  std::int64_t n, c, h, w;  // input
  std::int64_t f, groups, kh, kw;
  std::int64_t oh, ow;
  std::int64_t sh, sw, dh, dw;  // strides; dilation as Keras's rate (1 = dense)
  std::int64_t ph, pw, ph_end, pw_end;
  bool channels_first;

  std::int64_t cg() const { return c / groups; }
  std::int64_t fg() const { return f / groups; }
  dnnl::memory::dims key(std::int64_t kind) const {
    return {kind, n, c, h, w, f, groups, kh, kw, oh, ow, sh, sw, dh, dw, ph, pw, ph_end, pw_end,
            channels_first};
  }
};

// (N, [H,] W, C) or (N, C, [H,] W) -> {N, C, H, W}.
std::array<std::int64_t, 4> nchw(const Shape& s, int spatial, bool channels_first) {
  const std::int64_t n = s[0];
  const std::int64_t c = channels_first ? s[1] : s.back();
  const std::size_t first = channels_first ? 2 : 1;
  const std::int64_t h = spatial == 2 ? s[first] : 1;
  const std::int64_t w = s[first + static_cast<std::size_t>(spatial) - 1];
  return {n, c, h, w};
}

Geometry geometry(const ConvParams& p, const Shape& x, const Shape& kernel, const Shape& y) {
  const auto [n, c, h, w] = nchw(x, p.spatial_dims, p.channels_first);
  const auto out = nchw(y, p.spatial_dims, p.channels_first);
  const bool two = p.spatial_dims == 2;
  auto at = [&](const std::vector<std::int64_t>& v, int i, std::int64_t fallback) {
    return two ? v[static_cast<std::size_t>(i)] : (i == 0 ? fallback : v[0]);
  };
  return {n,
          c,
          h,
          w,
          kernel.back(),
          c / kernel[kernel.size() - 2],
          two ? kernel[0] : 1,
          kernel[kernel.size() - 3],
          out[2],
          out[3],
          at(p.strides, 0, 1),
          at(p.strides, 1, 1),
          at(p.dilation, 0, 1),
          at(p.dilation, 1, 1),
          at(p.pad_begin, 0, 0),
          at(p.pad_begin, 1, 0),
          at(p.pad_end, 0, 0),
          at(p.pad_end, 1, 0),
          p.channels_first};
}

// ---- float32: oneDNN ------------------------------------------------------------------

memory::desc activation_desc(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w,
                             bool channels_first) {
  return onednn::strided_desc({n, c, h, w}, channels_first ? memory::dims{c * h * w, h * w, w, 1}
                                                           : memory::dims{h * w * c, 1, w * c, c});
}

// Keras's (kh, kw, c / groups, f) kernel; output channel index = group * f / groups + o.
memory::desc weights_desc(const Geometry& g) {
  const std::int64_t ig = g.cg();
  if (g.groups == 1) {
    return onednn::strided_desc({g.f, ig, g.kh, g.kw}, {1, g.f, g.kw * ig * g.f, ig * g.f});
  }
  return onednn::strided_desc({g.groups, g.fg(), ig, g.kh, g.kw},
                              {g.fg(), 1, g.f, g.kw * ig * g.f, ig * g.f});
}

struct Descs {
  memory::desc src, weights, dst;
  memory::dims strides, dilates, pad_l, pad_r;
};

Descs descs(const Geometry& g) {
  return {activation_desc(g.n, g.c, g.h, g.w, g.channels_first), weights_desc(g),
          activation_desc(g.n, g.f, g.oh, g.ow, g.channels_first),
          {g.sh, g.sw}, {g.dh - 1, g.dw - 1}, {g.ph, g.pw}, {g.ph_end, g.pw_end}};
}

dnnl::convolution_forward::primitive_desc forward_pd(const Descs& d, const memory::desc& weights) {
  return {{dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, d.src,
           weights, d.dst, d.strides, d.dilates, d.pad_l, d.pad_r},
          onednn::attributes(), onednn::engine()};
}

enum Kind : std::int64_t { kForward, kBackwardData, kBackwardWeights };

// A convolution primitive and the kernel layout it works in. Activations stay in
// Keras's layout (read and written in place); the kernel is left to oneDNN
// (format_tag::any): its fast direct implementations want blocked kernels, and with
// Keras's HWIO they fall back to a GEMM-based one ~2x slower. Kernels are small, so
// reordering one per call costs little.
struct Plan {
  onednn::Primitive conv;
  memory::desc weights;                     // the primitive's kernel layout
  std::optional<onednn::Primitive> reorder;  // between Keras's kernel layout and `weights`
};

onednn::Primitive make_reorder(const memory::desc& from, const memory::desc& to) {
  const dnnl::reorder::primitive_desc pd(onednn::engine(), from, onednn::engine(), to,
                                         onednn::attributes());
  return {dnnl::reorder(pd), pd.scratchpad_desc(), {}};
}

Plan make_plan(Kind kind, const Descs& d) {
  const memory::desc any(d.weights.dims(), memory::data_type::f32, memory::format_tag::any);
  const auto fwd = forward_pd(d, any);
  Plan plan;
  switch (kind) {
    case kForward:
      plan.conv = {dnnl::convolution_forward(fwd), fwd.scratchpad_desc(), {}};
      plan.weights = fwd.weights_desc();
      break;
    case kBackwardData: {
      const dnnl::convolution_backward_data::primitive_desc pd(
          {dnnl::algorithm::convolution_direct, d.src, any, d.dst, d.strides, d.dilates, d.pad_l,
           d.pad_r},
          onednn::attributes(), onednn::engine(), fwd);
      plan.conv = {dnnl::convolution_backward_data(pd), pd.scratchpad_desc(), {}};
      plan.weights = pd.weights_desc();
      break;
    }
    case kBackwardWeights: {
      const dnnl::convolution_backward_weights::primitive_desc pd(
          {dnnl::algorithm::convolution_direct, d.src, any, d.dst, d.strides, d.dilates, d.pad_l,
           d.pad_r},
          onednn::attributes(), onednn::engine(), fwd);
      plan.conv = {dnnl::convolution_backward_weights(pd), pd.scratchpad_desc(), {}};
      plan.weights = pd.diff_weights_desc();
      break;
    }
  }
  if (plan.weights != d.weights) {
    plan.reorder = kind == kBackwardWeights ? make_reorder(plan.weights, d.weights)
                                            : make_reorder(d.weights, plan.weights);
  }
  return plan;
}

// Runs one of the three primitives: `src` is x or dx, `weights` w or dw, `dst` y or dy.
void run_onednn(Kind kind, const Geometry& g, const void* src, void* weights, const void* dst) {
  static onednn::Cache<Plan> cache;
  const Descs d = descs(g);
  const Plan& plan = cache.get(g.key(kind), [&] { return make_plan(kind, d); });
  const int src_arg = kind == kBackwardData ? DNNL_ARG_DIFF_SRC : DNNL_ARG_SRC;
  const int weights_arg = kind == kBackwardWeights ? DNNL_ARG_DIFF_WEIGHTS : DNNL_ARG_WEIGHTS;
  const int dst_arg = kind == kForward ? DNNL_ARG_DST : DNNL_ARG_DIFF_DST;
  const dnnl::memory keras_weights = onednn::wrap(d.weights, weights);
  onednn::Buffer blocked(plan.reorder ? plan.weights.get_size() : 0);
  const dnnl::memory conv_weights =
      plan.reorder ? onednn::wrap(plan.weights, blocked.get()) : keras_weights;
  if (plan.reorder && kind != kBackwardWeights) {
    onednn::execute(*plan.reorder, {{DNNL_ARG_FROM, keras_weights}, {DNNL_ARG_TO, conv_weights}});
  }
  onednn::execute(plan.conv, {{src_arg, onednn::wrap(d.src, src)},
                              {weights_arg, conv_weights},
                              {dst_arg, onednn::wrap(d.dst, dst)}});
  if (plan.reorder && kind == kBackwardWeights) {
    onednn::execute(*plan.reorder, {{DNNL_ARG_FROM, conv_weights}, {DNNL_ARG_TO, keras_weights}});
  }
}

// ---- float64: direct reference loops --------------------------------------------------

struct Indexer {
  const Geometry& g;
  std::int64_t x(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) const {
    return g.channels_first ? ((n * g.c + c) * g.h + h) * g.w + w : ((n * g.h + h) * g.w + w) * g.c + c;
  }
  std::int64_t y(std::int64_t n, std::int64_t f, std::int64_t h, std::int64_t w) const {
    return g.channels_first ? ((n * g.f + f) * g.oh + h) * g.ow + w
                            : ((n * g.oh + h) * g.ow + w) * g.f + f;
  }
  std::int64_t k(std::int64_t i, std::int64_t j, std::int64_t ci, std::int64_t f) const {
    return ((i * g.kw + j) * g.cg() + ci) * g.f + f;
  }
};

// Calls body(x_index, y_index, w_index) for every (input, output, weight) triple that
// meets in the convolution of sample n.
template <class Body>
void for_each_tap(const Geometry& g, std::int64_t n, Body body) {
  const Indexer at{g};
  for (std::int64_t oh = 0; oh < g.oh; ++oh) {
    for (std::int64_t ow = 0; ow < g.ow; ++ow) {
      for (std::int64_t i = 0; i < g.kh; ++i) {
        const std::int64_t ih = oh * g.sh - g.ph + i * g.dh;
        if (ih < 0 || ih >= g.h) continue;
        for (std::int64_t j = 0; j < g.kw; ++j) {
          const std::int64_t iw = ow * g.sw - g.pw + j * g.dw;
          if (iw < 0 || iw >= g.w) continue;
          for (std::int64_t f = 0; f < g.f; ++f) {
            const std::int64_t group = f / g.fg();
            for (std::int64_t ci = 0; ci < g.cg(); ++ci) {
              body(at.x(n, group * g.cg() + ci, ih, iw), at.y(n, f, oh, ow), at.k(i, j, ci, f));
            }
          }
        }
      }
    }
  }
}

void reference(Kind kind, const Geometry& g, double* x, double* w, double* y) {
  const std::int64_t x_size = g.n * g.c * g.h * g.w;
  const std::int64_t y_size = g.n * g.f * g.oh * g.ow;
  const std::int64_t w_size = g.kh * g.kw * g.cg() * g.f;
  switch (kind) {
    case kForward:
      std::fill(y, y + y_size, 0.0);
#pragma omp parallel for
      for (std::int64_t n = 0; n < g.n; ++n) {
        for_each_tap(g, n, [&](std::int64_t xi, std::int64_t yi, std::int64_t wi) { y[yi] += x[xi] * w[wi]; });
      }
      break;
    case kBackwardData:
      std::fill(x, x + x_size, 0.0);
#pragma omp parallel for
      for (std::int64_t n = 0; n < g.n; ++n) {
        for_each_tap(g, n, [&](std::int64_t xi, std::int64_t yi, std::int64_t wi) { x[xi] += y[yi] * w[wi]; });
      }
      break;
    case kBackwardWeights:
      // Serial over samples: every sample adds into the same weights.
      std::fill(w, w + w_size, 0.0);
      for (std::int64_t n = 0; n < g.n; ++n) {
        for_each_tap(g, n, [&](std::int64_t xi, std::int64_t yi, std::int64_t wi) { w[wi] += x[xi] * y[yi]; });
      }
      break;
  }
}

// x, w and y share storage with the caller's tensors; the one `kind` computes is written.
void run(Kind kind, const Geometry& g, Tensor x, Tensor w, Tensor y) {
  if (x.size() == 0 || w.size() == 0 || y.size() == 0) {
    // Nothing meets: whatever is computed is all zeros.
    Tensor& out = kind == kForward ? y : kind == kBackwardData ? x : w;
    instance()->fill(out, 0.0);
    return;
  }
  void* xp = x.raw_data();
  void* wp = w.raw_data();
  void* yp = y.raw_data();
  switch (x.dtype()) {
    case DType::float32:
      run_onednn(kind, g, xp, wp, yp);
      return;
    case DType::float64:
      reference(kind, g, static_cast<double*>(xp), static_cast<double*>(wp), static_cast<double*>(yp));
      return;
    default:
      throw TypeError("conv kernels take float32 or float64, got " +
                      std::string(dtype_name(x.dtype())));
  }
}

}  // namespace

void CpuBackend::conv(const ConvParams& p, const Tensor& x, const Tensor& w, Tensor& y) {
  run(kForward, geometry(p, x.shape(), w.shape(), y.shape()), x, w, y);
}

void CpuBackend::conv_backward_data(const ConvParams& p, const Tensor& dy, const Tensor& w,
                                    Tensor& dx) {
  run(kBackwardData, geometry(p, dx.shape(), w.shape(), dy.shape()), dx, w, dy);
}

void CpuBackend::conv_backward_weights(const ConvParams& p, const Tensor& x, const Tensor& dy,
                                       Tensor& dw) {
  run(kBackwardWeights, geometry(p, x.shape(), dw.shape(), dy.shape()), x, dw, dy);
}

}  // namespace keras::kernels::cpu
