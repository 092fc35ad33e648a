// Foundation-op benchmarks: keras::ops against raw oneDNN sgemm (same process) and, through
// bench/run_ops.sh, against PyTorch (bench/torch_ops.py measures the same cases under the
// same names). Every case reports its time per iteration; run_ops.sh turns times into
// throughputs and ratios.
//
// Case names are "<family>/<side>/<shape>", e.g. "matmul/ours/128x784x512"; the side is
// "ours", "sgemm" or, for the per-kernel breakdown, "kernel".
#include <benchmark/benchmark.h>
#include <oneapi/dnnl/dnnl.h>

#include <array>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "kernels/backend.hpp"
#include "keras/keras.hpp"

namespace {

using keras::Shape;
using keras::Tensor;
namespace ops = keras::ops;

Tensor uniform(const Shape& shape, double lo, double hi, std::uint64_t seed) {
  return keras::random::uniform(shape, {.minval = lo, .maxval = hi, .seed = seed});
}

std::string dims(const std::vector<std::int64_t>& d) {
  std::string s;
  for (auto v : d) {
    if (!s.empty()) s += 'x';
    s += std::to_string(v);
  }
  return s;
}

// Time is wall-clock: the kernels are multithreaded, so CPU time would overcount. An op
// that throws (not implemented yet, bad input) marks its case as failed instead of ending
// the run.
void add_case(const std::string& name, std::function<void(benchmark::State&)> fn) {
  auto guarded = [fn = std::move(fn)](benchmark::State& state) {
    try {
      fn(state);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
    }
  };
  benchmark::RegisterBenchmark(name.c_str(), std::move(guarded))
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
}

// ---- matmul: ops::matmul (allocates its output, as every op does) vs dnnl_sgemm into a
// preallocated C.
void register_matmul(std::int64_t m, std::int64_t k, std::int64_t n) {
  const std::string shape = dims({m, k, n});
  add_case("matmul/ours/" + shape, [=](benchmark::State& state) {
    Tensor a = uniform({m, k}, -1, 1, 1);
    Tensor b = uniform({k, n}, -1, 1, 2);
    for (auto _ : state) {
      Tensor c = ops::matmul(a, b);
      benchmark::DoNotOptimize(c.raw_data());
    }
  });
  add_case("matmul/sgemm/" + shape, [=](benchmark::State& state) {
    Tensor a = uniform({m, k}, -1, 1, 1);
    Tensor b = uniform({k, n}, -1, 1, 2);
    Tensor c = Tensor::empty({m, n});
    const float* pa = a.data<float>();
    const float* pb = b.data<float>();
    float* pc = c.data<float>();
    for (auto _ : state) {
      dnnl_sgemm('N', 'N', m, n, k, 1.0f, pa, k, pb, n, 0.0f, pc, n);
      benchmark::DoNotOptimize(pc);
      benchmark::ClobberMemory();
    }
  });
}

// The backend's matmul kernel alone (its own choice of sgemm or the matmul primitive, into
// a preallocated output): the difference to "ours" is what the op layer costs.
void register_matmul_kernel(std::int64_t m, std::int64_t k, std::int64_t n) {
  auto& be = keras::kernels::backend(keras::Device{});
  add_case("matmul_k/kernel/" + dims({m, k, n}), [=, &be](benchmark::State& state) {
    Tensor a = uniform({1, m, k}, -1, 1, 1);
    Tensor b = uniform({1, k, n}, -1, 1, 2);
    Tensor c = Tensor::empty({1, m, n});
    for (auto _ : state) {
      be.matmul(a, b, false, false, c);
      benchmark::ClobberMemory();
    }
  });
}

// ---- elementwise and softmax: a fresh output per call, like torch.add(a, b).
void register_elementwise(const Shape& shape) {
  const std::string s = dims(shape);
  add_case("add/ours/" + s, [=](benchmark::State& state) {
    Tensor a = uniform(shape, -1, 1, 3);
    Tensor b = uniform(shape, -1, 1, 4);
    for (auto _ : state) {
      Tensor c = ops::add(a, b);
      benchmark::DoNotOptimize(c.raw_data());
    }
  });
  add_case("multiply/ours/" + s, [=](benchmark::State& state) {
    Tensor a = uniform(shape, -1, 1, 3);
    Tensor b = uniform(shape, -1, 1, 4);
    for (auto _ : state) {
      Tensor c = ops::multiply(a, b);
      benchmark::DoNotOptimize(c.raw_data());
    }
  });
  add_case("relu/ours/" + s, [=](benchmark::State& state) {
    Tensor a = uniform(shape, -1, 1, 3);
    for (auto _ : state) {
      Tensor c = ops::relu(a);
      benchmark::DoNotOptimize(c.raw_data());
    }
  });
  add_case("softmax/ours/" + s, [=](benchmark::State& state) {
    Tensor a = uniform(shape, -1, 1, 3);
    for (auto _ : state) {
      Tensor c = ops::softmax(a, -1);
      benchmark::DoNotOptimize(c.raw_data());
    }
  });
}

// ---- conv2d, channels_last, valid padding, stride 1 (the Keras MNIST CNN's two convs).
struct ConvCase {
  std::int64_t batch, height, width, in_channels, filters, kernel;
  // The first layer's input is data: training needs only the kernel's gradient there.
  bool input_gradient;
  std::string name() const {
    return dims({batch, height, width, in_channels}) + "_k" + dims({kernel, kernel}) + "_out" +
           std::to_string(filters);
  }
  Shape input_shape() const { return {batch, height, width, in_channels}; }
  Shape kernel_shape() const { return {kernel, kernel, in_channels, filters}; }
  Shape output_shape() const {
    return {batch, height - kernel + 1, width - kernel + 1, filters};
  }
};

void register_conv(const ConvCase& cc) {
  add_case("conv_fwd/ours/" + cc.name(), [=](benchmark::State& state) {
    Tensor x = uniform(cc.input_shape(), -1, 1, 5);
    Tensor w = uniform(cc.kernel_shape(), -0.1, 0.1, 6);
    for (auto _ : state) {
      Tensor y = ops::conv(x, w);
      benchmark::DoNotOptimize(y.raw_data());
    }
  });
  // Forward, then the backward pass the tape derives from conv's gradient rule, fed with a
  // fixed upstream gradient (as torch's y.backward(dy)).
  add_case("conv_fwdbwd/ours/" + cc.name(), [=](benchmark::State& state) {
    Tensor x = uniform(cc.input_shape(), -1, 1, 5);
    Tensor w = uniform(cc.kernel_shape(), -0.1, 0.1, 6);
    Tensor dy = uniform(cc.output_shape(), -1, 1, 7);
    std::vector<Tensor> sources = {w};
    if (cc.input_gradient) sources.push_back(x);
    for (auto _ : state) {
      keras::GradientTape tape;
      for (const auto& s : sources) tape.watch(s);
      Tensor y = ops::conv(x, w);
      auto grads = tape.gradient(y, sources, {.output_gradients = dy});
      benchmark::DoNotOptimize(grads[0].raw_data());
    }
  });
}

// ---- the conv kernels alone (no op layer, no tape), to split a fwd+bwd figure into its
// parts and to see what the op layer costs on top.
keras::kernels::ConvParams conv_params() {
  keras::kernels::ConvParams p;
  p.spatial_dims = 2;
  p.strides = {1, 1};
  p.dilation = {1, 1};
  p.pad_begin = {0, 0};
  p.pad_end = {0, 0};
  return p;
}

void register_conv_kernels(const ConvCase& cc) {
  auto& be = keras::kernels::backend(keras::Device{});
  add_case("conv_kfwd/kernel/" + cc.name(), [=, &be](benchmark::State& state) {
    Tensor x = uniform(cc.input_shape(), -1, 1, 5);
    Tensor w = uniform(cc.kernel_shape(), -0.1, 0.1, 6);
    Tensor y = Tensor::empty(cc.output_shape());
    const auto p = conv_params();
    for (auto _ : state) {
      be.conv(p, x, w, y);
      benchmark::ClobberMemory();
    }
  });
  add_case("conv_kbwd_data/kernel/" + cc.name(), [=, &be](benchmark::State& state) {
    Tensor w = uniform(cc.kernel_shape(), -0.1, 0.1, 6);
    Tensor dy = uniform(cc.output_shape(), -1, 1, 7);
    Tensor dx = Tensor::empty(cc.input_shape());
    const auto p = conv_params();
    for (auto _ : state) {
      be.conv_backward_data(p, dy, w, dx);
      benchmark::ClobberMemory();
    }
  });
  add_case("conv_kbwd_weights/kernel/" + cc.name(), [=, &be](benchmark::State& state) {
    Tensor x = uniform(cc.input_shape(), -1, 1, 5);
    Tensor dy = uniform(cc.output_shape(), -1, 1, 7);
    Tensor dw = Tensor::empty(cc.kernel_shape());
    const auto p = conv_params();
    for (auto _ : state) {
      be.conv_backward_weights(p, x, dy, dw);
      benchmark::ClobberMemory();
    }
  });
}

}  // namespace

int main(int argc, char** argv) {
  for (const auto& [m, k, n] : {std::array<std::int64_t, 3>{512, 512, 512}, {128, 784, 512}}) {
    register_matmul(m, k, n);
    register_matmul_kernel(m, k, n);
  }
  register_elementwise({128, 4096});
  register_elementwise({1 << 20});
  const ConvCase conv1{128, 28, 28, 1, 32, 3, false};
  const ConvCase conv2{128, 26, 26, 32, 64, 3, true};
  for (const auto& cc : {conv1, conv2}) {
    register_conv(cc);
    register_conv_kernels(cc);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
