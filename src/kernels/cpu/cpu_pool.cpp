// Max and average pooling (padding excluded from averages and never winning a max),
// forward and backward. float32 runs on oneDNN primitives cached by geometry, reading
// NHWC / NCHW in place; max-pooling backward re-runs the forward pass to get oneDNN's
// workspace (the argmax positions) instead of keeping it between calls. float64 runs a
// reference loop. 1-D pooling is 2-D pooling with height 1.
#include <algorithm>
#include <limits>
#include <string>

#include "kernels/cpu/cpu_backend.hpp"
#include "kernels/cpu/dnnl_context.hpp"

namespace keras::kernels::cpu {

namespace {

using dnnl::memory;

struct Geometry {
  std::int64_t n, c, h, w;
  std::int64_t oh, ow;
  std::int64_t kh, kw, sh, sw;
  std::int64_t ph, pw, ph_end, pw_end;
  bool channels_first;
  bool max;

  memory::dims key() const {
    return {n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw, ph_end, pw_end, channels_first, max};
  }
  // Offset of (n, c, h, w) in a tensor of height hh and width ww.
  std::int64_t at(std::int64_t in, std::int64_t ic, std::int64_t ih, std::int64_t iw, std::int64_t hh,
                  std::int64_t ww) const {
    return channels_first ? ((in * c + ic) * hh + ih) * ww + iw : ((in * hh + ih) * ww + iw) * c + ic;
  }
};

Geometry geometry(const PoolParams& p, const Shape& x, const Shape& y) {
  const bool cf = p.channels_first;
  const std::size_t first = cf ? 2 : 1;
  const bool two = p.spatial_dims == 2;
  auto spatial = [&](const Shape& s, int i) -> std::int64_t {
    if (!two) return i == 0 ? 1 : s[first];
    return s[first + static_cast<std::size_t>(i)];
  };
  auto param = [&](const std::vector<std::int64_t>& v, int i, std::int64_t fallback) {
    return two ? v[static_cast<std::size_t>(i)] : (i == 0 ? fallback : v[0]);
  };
  return {x[0],
          cf ? x[1] : x.back(),
          spatial(x, 0),
          spatial(x, 1),
          spatial(y, 0),
          spatial(y, 1),
          param(p.window, 0, 1),
          param(p.window, 1, 1),
          param(p.strides, 0, 1),
          param(p.strides, 1, 1),
          param(p.pad_begin, 0, 0),
          param(p.pad_begin, 1, 0),
          param(p.pad_end, 0, 0),
          param(p.pad_end, 1, 0),
          cf,
          p.max};
}

// ---- float32: oneDNN ------------------------------------------------------------------

memory::desc activation_desc(const Geometry& g, std::int64_t h, std::int64_t w) {
  const std::int64_t c = g.c;
  return onednn::strided_desc({g.n, c, h, w}, g.channels_first ? memory::dims{c * h * w, h * w, w, 1}
                                                               : memory::dims{h * w * c, 1, w * c, c});
}

dnnl::pooling_forward::primitive_desc forward_pd(const Geometry& g, dnnl::prop_kind kind) {
  return {{kind, g.max ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding,
           activation_desc(g, g.h, g.w), activation_desc(g, g.oh, g.ow), {g.sh, g.sw}, {g.kh, g.kw},
           {g.ph, g.pw}, {g.ph_end, g.pw_end}},
          onednn::attributes(), onednn::engine()};
}

void forward_f32(const Geometry& g, const float* x, float* y) {
  static onednn::Cache<onednn::Primitive> cache;
  const auto& prim = cache.get(g.key(), [&]() -> onednn::Primitive {
    const auto pd = forward_pd(g, dnnl::prop_kind::forward_inference);
    return {dnnl::pooling_forward(pd), pd.scratchpad_desc(), {}};
  });
  onednn::execute(prim, {{DNNL_ARG_SRC, onednn::wrap(activation_desc(g, g.h, g.w), x)},
                         {DNNL_ARG_DST, onednn::wrap(activation_desc(g, g.oh, g.ow), y)}});
}

struct BackwardPlan {
  onednn::Primitive forward;  // training mode: leaves the workspace backward needs
  onednn::Primitive backward;
};

BackwardPlan make_backward(const Geometry& g) {
  const auto fwd = forward_pd(g, dnnl::prop_kind::forward_training);
  const dnnl::pooling_backward::primitive_desc bwd(
      {g.max ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding,
       activation_desc(g, g.h, g.w), activation_desc(g, g.oh, g.ow), {g.sh, g.sw}, {g.kh, g.kw},
       {g.ph, g.pw}, {g.ph_end, g.pw_end}},
      onednn::attributes(), onednn::engine(), fwd);
  return {{dnnl::pooling_forward(fwd), fwd.scratchpad_desc(), fwd.workspace_desc()},
          {dnnl::pooling_backward(bwd), bwd.scratchpad_desc(), bwd.workspace_desc()}};
}

void backward_f32(const Geometry& g, const float* x, const float* dy, float* dx) {
  static onednn::Cache<BackwardPlan> cache;
  const auto& plan = cache.get(g.key(), [&] { return make_backward(g); });
  const auto x_md = activation_desc(g, g.h, g.w);
  const auto y_md = activation_desc(g, g.oh, g.ow);
  std::unordered_map<int, memory> args{{DNNL_ARG_DIFF_DST, onednn::wrap(y_md, dy)},
                                       {DNNL_ARG_DIFF_SRC, onednn::wrap(x_md, dx)}};
  onednn::Buffer workspace(plan.forward.workspace.get_size());
  if (g.max) {
    onednn::Buffer y(y_md.get_size());
    const memory ws = onednn::wrap(plan.forward.workspace, workspace.get());
    onednn::execute(plan.forward, {{DNNL_ARG_SRC, onednn::wrap(x_md, x)},
                                   {DNNL_ARG_DST, onednn::wrap(y_md, y.get())},
                                   {DNNL_ARG_WORKSPACE, ws}});
    args.emplace(DNNL_ARG_WORKSPACE, ws);
  }
  onednn::execute(plan.backward, std::move(args));
}

// ---- float64: reference loops ---------------------------------------------------------

// Calls body(x_offset) for each real (unpadded) input position in output (oh, ow)'s window.
template <class Body>
void for_each_in_window(const Geometry& g, std::int64_t n, std::int64_t c, std::int64_t oh,
                        std::int64_t ow, Body body) {
  const std::int64_t h0 = oh * g.sh - g.ph;
  const std::int64_t w0 = ow * g.sw - g.pw;
  for (std::int64_t ih = std::max<std::int64_t>(h0, 0); ih < std::min(h0 + g.kh, g.h); ++ih) {
    for (std::int64_t iw = std::max<std::int64_t>(w0, 0); iw < std::min(w0 + g.kw, g.w); ++iw) {
      body(g.at(n, c, ih, iw, g.h, g.w));
    }
  }
}

// For output (n, c, oh, ow): the max's input offset (first on ties) or the window's count.
struct Window {
  std::int64_t argmax = -1;
  std::int64_t count = 0;
};

Window window(const Geometry& g, const double* x, std::int64_t n, std::int64_t c, std::int64_t oh,
              std::int64_t ow) {
  Window win;
  for_each_in_window(g, n, c, oh, ow, [&](std::int64_t i) {
    if (win.argmax < 0 || x[i] > x[win.argmax]) win.argmax = i;
    ++win.count;
  });
  return win;
}

void forward_f64(const Geometry& g, const double* x, double* y) {
#pragma omp parallel for collapse(2)
  for (std::int64_t n = 0; n < g.n; ++n) {
    for (std::int64_t c = 0; c < g.c; ++c) {
      for (std::int64_t oh = 0; oh < g.oh; ++oh) {
        for (std::int64_t ow = 0; ow < g.ow; ++ow) {
          double& out = y[g.at(n, c, oh, ow, g.oh, g.ow)];
          if (g.max) {
            const Window win = window(g, x, n, c, oh, ow);
            out = win.argmax < 0 ? -std::numeric_limits<double>::infinity() : x[win.argmax];
          } else {
            double s = 0.0;
            std::int64_t count = 0;
            for_each_in_window(g, n, c, oh, ow, [&](std::int64_t i) { s += x[i]; ++count; });
            out = count > 0 ? s / static_cast<double>(count) : 0.0;
          }
        }
      }
    }
  }
}

void backward_f64(const Geometry& g, const double* x, const double* dy, double* dx) {
  std::fill(dx, dx + g.n * g.c * g.h * g.w, 0.0);
  // Each (n, c) plane of dx is written by its own iteration only.
#pragma omp parallel for collapse(2)
  for (std::int64_t n = 0; n < g.n; ++n) {
    for (std::int64_t c = 0; c < g.c; ++c) {
      for (std::int64_t oh = 0; oh < g.oh; ++oh) {
        for (std::int64_t ow = 0; ow < g.ow; ++ow) {
          const double d = dy[g.at(n, c, oh, ow, g.oh, g.ow)];
          const Window win = window(g, x, n, c, oh, ow);
          if (g.max) {
            if (win.argmax >= 0) dx[win.argmax] += d;
          } else if (win.count > 0) {
            const double share = d / static_cast<double>(win.count);
            for_each_in_window(g, n, c, oh, ow, [&](std::int64_t i) { dx[i] += share; });
          }
        }
      }
    }
  }
}

void check_dtype(DType dtype) {
  if (dtype != DType::float32 && dtype != DType::float64) {
    throw TypeError("pooling kernels take float32 or float64, got " + std::string(dtype_name(dtype)));
  }
}

}  // namespace

void CpuBackend::pool(const PoolParams& p, const Tensor& x, Tensor& y) {
  check_dtype(x.dtype());
  if (y.size() == 0) return;
  const Geometry g = geometry(p, x.shape(), y.shape());
  if (x.dtype() == DType::float32) {
    forward_f32(g, x.data<float>(), y.data<float>());
  } else {
    forward_f64(g, x.data<double>(), y.data<double>());
  }
}

void CpuBackend::pool_backward(const PoolParams& p, const Tensor& x, const Tensor& dy, Tensor& dx) {
  check_dtype(x.dtype());
  if (dx.size() == 0) return;
  if (dy.size() == 0) {
    fill(dx, 0.0);
    return;
  }
  const Geometry g = geometry(p, x.shape(), dy.shape());
  if (x.dtype() == DType::float32) {
    backward_f32(g, x.data<float>(), dy.data<float>(), dx.data<float>());
  } else {
    backward_f64(g, x.data<double>(), dy.data<double>(), dx.data<double>());
  }
}

}  // namespace keras::kernels::cpu
