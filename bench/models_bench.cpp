// Model-training benchmark (keras-cpp side of bench/run_models.sh; bench/torch_models.py is
// the PyTorch side, with the same models, batches and output).
//
//   models_bench <model> <seconds> [--breakdown | --eager]
//
// <model>:
//   mlp          Keras's mnist_mlp: 784-512-512-10, Dropout 0.2, RMSprop, batch 128
//   cnn          Keras's mnist_cnn: conv32-conv64-pool-dropout-dense128-dropout-dense10,
//                Adam, batch 128 (channels_last, as Keras)
//   unet         the retina U-Net of examples/retina_unet.cpp: 48x48 patches,
//                channels_first, SGD, batch 32
//   lstm         Keras's imdb_lstm: Embedding(20000, 128) - LSTM(128) - Dense(1, sigmoid),
//                Adam, binary crossentropy, batch 32, sequences of 80 word ids (the
//                script's dropout and recurrent_dropout left out: torch's LSTM has no
//                recurrent dropout)
//   predict_mlp  the MLP's inference on one sample (predict_on_batch), microseconds, and
//                the same forward with no framework (dnnl_sgemm per layer) as its floor
//
// Training uses synthetic data (uniform inputs, random one-hot labels; for lstm random
// word ids and 0/1 labels; 4 distinct batches cycled), compiled as the Keras scripts do
// (categorical or binary crossentropy, "accuracy"), and
// `model.train_on_batch`. A warm-up (at least 5 steps and 10 % of <seconds>) is excluded;
// then steps run until <seconds> have passed. Threads: OMP_NUM_THREADS.
//
// Output: key=value lines. samples_per_s = batch * steps / seconds over the timed window;
// step_ms_median is the median single step; rss_mib is the peak resident set of the
// process (getrusage ru_maxrss), rss_now_mib the resident set after the timed steps. With
// --breakdown the timed steps are train_step's parts run one by one (the model call under
// the tape, compute_loss, tape.gradient, the optimizer's apply, update_metrics), each
// timed, plus reference timings of a forward pass alone. With --eager the model is
// compiled with run_eagerly (every step runs op by op under a tape instead of replaying
// the traced step).
#include <dnnl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "keras/keras.hpp"

namespace {

using namespace keras;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// The resident set now (after the timed steps: the steady state, without the first
// steps' peak).
double current_rss_mib() {
  long pages = 0, resident = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int threads() {
  const char* env = std::getenv("OMP_NUM_THREADS");
  return env ? std::atoi(env) : 0;  // 0: OpenMP's default
}

// ---- the models ----

std::unique_ptr<Model> mnist_mlp() {
  auto seq = std::make_unique<Sequential>();
  Sequential& model = *seq;
  model.add(layers::Dense(512, {.activation = "relu", .input_shape = {784}}));
  model.add(layers::Dropout(0.2));
  model.add(layers::Dense(512, {.activation = "relu"}));
  model.add(layers::Dropout(0.2));
  model.add(layers::Dense(10, {.activation = "softmax"}));
  model.compile({.optimizer = std::make_shared<optimizers::RMSprop>(),
                 .loss = "categorical_crossentropy",
                 .metrics = {"accuracy"}});
  return seq;
}

std::unique_ptr<Model> mnist_cnn() {
  auto seq = std::make_unique<Sequential>();
  Sequential& model = *seq;
  model.add(Input({28, 28, 1}));
  model.add(layers::Conv2D(32, {3, 3}, {.activation = "relu"}));
  model.add(layers::Conv2D(64, {3, 3}, {.activation = "relu"}));
  model.add(layers::MaxPooling2D({2, 2}));
  model.add(layers::Dropout(0.25));
  model.add(layers::Flatten());
  model.add(layers::Dense(128, {.activation = "relu"}));
  model.add(layers::Dropout(0.5));
  model.add(layers::Dense(10, {.activation = "softmax"}));
  model.compile({.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  return seq;
}

// examples/retina_unet.cpp's get_unet.
std::unique_ptr<Model> retina_unet(std::int64_t channels, std::int64_t height, std::int64_t width) {
  const layers::Conv2DOptions conv{.padding = "same", .data_format = "channels_first", .activation = "relu"};
  const layers::PoolingOptions pool{.data_format = "channels_first"};
  const layers::UpSampling2DOptions up{.data_format = "channels_first"};
  Tensor inputs = Input({channels, height, width});
  Tensor conv1 = layers::Conv2D(32, {3, 3}, conv)(inputs);
  conv1 = layers::Dropout(0.2)(conv1);
  conv1 = layers::Conv2D(32, {3, 3}, conv)(conv1);
  Tensor pool1 = layers::MaxPooling2D({2, 2}, pool)(conv1);
  Tensor conv2 = layers::Conv2D(64, {3, 3}, conv)(pool1);
  conv2 = layers::Dropout(0.2)(conv2);
  conv2 = layers::Conv2D(64, {3, 3}, conv)(conv2);
  Tensor pool2 = layers::MaxPooling2D({2, 2}, pool)(conv2);
  Tensor conv3 = layers::Conv2D(128, {3, 3}, conv)(pool2);
  conv3 = layers::Dropout(0.2)(conv3);
  conv3 = layers::Conv2D(128, {3, 3}, conv)(conv3);
  Tensor up1 = layers::UpSampling2D({2, 2}, up)(conv3);
  up1 = layers::concatenate({conv2, up1}, 1);
  Tensor conv4 = layers::Conv2D(64, {3, 3}, conv)(up1);
  conv4 = layers::Dropout(0.2)(conv4);
  conv4 = layers::Conv2D(64, {3, 3}, conv)(conv4);
  Tensor up2 = layers::UpSampling2D({2, 2}, up)(conv4);
  up2 = layers::concatenate({conv1, up2}, 1);
  Tensor conv5 = layers::Conv2D(32, {3, 3}, conv)(up2);
  conv5 = layers::Dropout(0.2)(conv5);
  conv5 = layers::Conv2D(32, {3, 3}, conv)(conv5);
  Tensor conv6 = layers::Conv2D(2, {1, 1}, conv)(conv5);
  conv6 = layers::Reshape({2, height * width})(conv6);
  conv6 = layers::Permute({2, 1})(conv6);
  Tensor conv7 = layers::Activation("softmax")(conv6);
  auto model = std::make_unique<Model>(inputs, conv7);
  model->compile({.optimizer = "sgd", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  return model;
}

// Keras's examples/imdb_lstm.py without its dropout (see the header).
std::unique_ptr<Model> imdb_lstm() {
  auto seq = std::make_unique<Sequential>();
  Sequential& model = *seq;
  model.add(Input({80}, {.dtype = DType::int32}));
  model.add(layers::Embedding(20000, 128));
  model.add(layers::LSTM(128));
  model.add(layers::Dense(1, {.activation = "sigmoid"}));
  model.compile({.optimizer = "adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  return seq;
}

struct Setup {
  std::unique_ptr<Model> model;
  std::int64_t batch;
  Shape x_shape;  // one batch
  std::int64_t classes;
  Shape label_shape;  // one batch of class indices
  std::int64_t vocab = 0;  // > 0: integer inputs below it and 0/1 labels (binary crossentropy)
};

Setup make(const std::string& name) {
  if (name == "mlp") return {mnist_mlp(), 128, {128, 784}, 10, {128}};
  if (name == "cnn") return {mnist_cnn(), 128, {128, 28, 28, 1}, 10, {128}};
  if (name == "unet") return {retina_unet(1, 48, 48), 32, {32, 1, 48, 48}, 2, {32, 48 * 48}};
  if (name == "lstm") return {imdb_lstm(), 32, {32, 80}, 2, {32, 1}, 20000};
  throw ValueError("unknown model '" + name + "' (mlp, cnn, unet, lstm, predict_mlp)");
}

struct Data {
  std::vector<Tensor> x, y;
};

Data synthetic(const Setup& s, int batches) {
  Data d;
  for (int i = 0; i < batches; ++i) {
    const auto seed = static_cast<std::uint64_t>(100 + i);
    Tensor labels = ops::floor(random::uniform(s.label_shape, {.maxval = static_cast<double>(s.classes), .seed = seed + 50}));
    if (s.vocab > 0) {
      const Tensor ids = random::uniform(s.x_shape, {.maxval = static_cast<double>(s.vocab), .seed = seed});
      d.x.push_back(ops::cast(ops::floor(ids), DType::int32));
      d.y.push_back(labels);
      continue;
    }
    d.x.push_back(random::uniform(s.x_shape, {.seed = seed}));
    d.y.push_back(utils::to_categorical(ops::cast(labels, DType::int32), s.classes));
  }
  return d;
}

// Keras's train_step, part by part (src/trainers/trainer.cpp), each part timed.
struct Parts {
  std::map<std::string, std::vector<double>> ms;
  void add(const std::string& k, Clock::time_point t0) { ms[k].push_back(seconds_since(t0) * 1e3); }
};

void step_by_parts(Model& model, const Batch& batch, Parts& parts) {
  const auto t_step = Clock::now();
  Tensors y_pred;
  Tensor loss;
  std::vector<Tensor> grads;
  std::vector<Variable> variables;
  {
    auto t0 = Clock::now();
    GradientTape tape;
    y_pred = model(batch.x, {.training = true});
    parts.add("1_forward_taped", t0);
    t0 = Clock::now();
    loss = model.compute_loss(batch, y_pred);
    parts.add("2_loss", t0);
    t0 = Clock::now();
    variables = model.trainable_weights();
    grads = tape.gradient(loss, variables);
    parts.add("3_gradient", t0);
    t0 = Clock::now();
  }
  auto t0 = Clock::now();
  model.optimizer()->apply(grads, variables);
  parts.add("4_optimizer", t0);
  t0 = Clock::now();
  model.update_metrics(batch, y_pred, loss);
  (void)model.metrics_result();
  parts.add("5_metrics", t0);
  parts.add("step", t_step);
}

int train(const std::string& name, double seconds, bool breakdown, bool eager) {
  utils::set_random_seed(1);
  Setup s = make(name);
  if (eager) {
    CompileOptions options = s.model->compile_options();
    options.run_eagerly = true;
    s.model->compile(options);
  }
  const Data data = synthetic(s, 4);
  const auto system_allocs = [] { return memory::stats().system_allocations; };

  // Warm-up: the first steps build the model, the optimizer's slots, oneDNN's primitives
  // and the allocator's cache.
  const auto t_warm = Clock::now();
  int warm = 0;
  while (warm < 5 || seconds_since(t_warm) < 0.1 * seconds) {
    s.model->train_on_batch(data.x[warm % 4], data.y[warm % 4]);
    ++warm;
  }

  std::vector<double> step_ms;
  Parts parts;
  const auto allocs0 = system_allocs();
  const auto t0 = Clock::now();
  std::int64_t steps = 0;
  double elapsed = 0;
  while (elapsed < seconds) {
    const auto ts = Clock::now();
    const auto i = static_cast<std::size_t>(steps % 4);
    if (breakdown) {
      step_by_parts(*s.model, Batch{{data.x[i]}, {data.y[i]}, {}}, parts);
    } else {
      s.model->train_on_batch(data.x[i], data.y[i]);
    }
    step_ms.push_back(seconds_since(ts) * 1e3);
    ++steps;
    elapsed = seconds_since(t0);
  }
  const auto allocs = system_allocs() - allocs0;

  std::printf("model=%s\nside=ours\nthreads=%d\nbatch=%lld\nwarmup_steps=%d\nsteps=%lld\nseconds=%.4f\n", name.c_str(),
              threads(), static_cast<long long>(s.batch), warm, static_cast<long long>(steps), elapsed);
  std::printf("step_mode=%s\n", eager ? "eager" : breakdown ? "eager_parts" : "traced");
  std::printf("samples_per_s=%.3f\nstep_ms_median=%.4f\n", static_cast<double>(s.batch * steps) / elapsed,
              median(step_ms));
  std::printf("system_allocations_per_step=%.2f\n", static_cast<double>(allocs) / static_cast<double>(steps));
  if (breakdown) {
    for (const auto& [k, v] : parts.ms) std::printf("part_ms_%s=%.4f\n", k.c_str(), median(v));
    // References: the forward pass alone, in training mode without a tape and in inference.
    const Tensor& x = data.x[0];
    for (const bool training : {true, false}) {
      std::vector<double> fwd;
      for (int i = 0; i < 3; ++i) (*s.model)(x, {.training = training});
      const auto tf = Clock::now();
      while (seconds_since(tf) < std::max(0.5, 0.1 * seconds)) {
        const auto t = Clock::now();
        (*s.model)(x, {.training = training});
        fwd.push_back(seconds_since(t) * 1e3);
      }
      std::printf("ref_ms_forward_%s_untaped=%.4f\n", training ? "training" : "inference", median(fwd));
    }
  }
  std::printf("rss_mib=%.1f\nrss_now_mib=%.1f\n", peak_rss_mib(), current_rss_mib());
  return 0;
}

// The same MLP forward with no framework at all: dnnl_sgemm per layer into preallocated
// buffers, bias and activation in plain loops, the model's own weights. It is the floor a
// framework's batch-1 inference can approach on this machine (the weights, 2.6 MB, come
// from L3 on every call).
class RawMlp {
 public:
  explicit RawMlp(const Model& model) {
    const auto weights = model.get_weights();  // kernel, bias per Dense
    for (std::size_t i = 0; i + 1 < weights.size(); i += 2) {
      const Shape& k = weights[i].shape();
      dims_.push_back({k[0], k[1]});
      kernels_.push_back(weights[i].to_vector<float>());
      biases_.push_back(weights[i + 1].to_vector<float>());
      out_.emplace_back(static_cast<std::size_t>(k[1]));
    }
  }

  // relu on the hidden layers, softmax on the last.
  void forward(const float* x) {
    const float* in = x;
    for (std::size_t l = 0; l < dims_.size(); ++l) {
      const auto [k, n] = dims_[l];
      float* out = out_[l].data();
      dnnl_sgemm('N', 'N', 1, n, k, 1.0f, in, k, kernels_[l].data(), n, 0.0f, out, n);
      const bool last = l + 1 == dims_.size();
      for (std::int64_t j = 0; j < n; ++j) {
        out[j] += biases_[l][static_cast<std::size_t>(j)];
        if (!last) out[j] = std::max(out[j], 0.0f);
      }
      if (last) softmax(out, n);
      in = out;
    }
  }

 private:
  static void softmax(float* v, std::int64_t n) {
    const float top = *std::max_element(v, v + n);
    float sum = 0;
    for (std::int64_t j = 0; j < n; ++j) sum += (v[j] = std::exp(v[j] - top));
    for (std::int64_t j = 0; j < n; ++j) v[j] /= sum;
  }

  std::vector<std::pair<std::int64_t, std::int64_t>> dims_;
  std::vector<std::vector<float>> kernels_, biases_, out_;
};

// The MLP's inference on one sample: predict_on_batch (Keras's API for one batch), the
// bare model call and the no-framework floor (RawMlp), in microseconds per call.
int predict_mlp(double seconds) {
  utils::set_random_seed(1);
  const std::unique_ptr<Model> mlp = mnist_mlp();
  Model& model = *mlp;
  const Tensor x = random::uniform({1, 784}, {.seed = 7});
  const auto per_call_us = [&](const std::function<void()>& fn) {
    for (int i = 0; i < 200; ++i) fn();
    std::vector<double> samples;  // batches of 100 calls
    const auto t0 = Clock::now();
    while (seconds_since(t0) < seconds / 3) {
      const auto t = Clock::now();
      for (int i = 0; i < 100; ++i) fn();
      samples.push_back(seconds_since(t) * 1e6 / 100);
    }
    return median(samples);
  };
  const double on_batch = per_call_us([&] { (void)model.predict_on_batch(x); });
  const double call = per_call_us([&] { (void)model(x); });
  RawMlp raw(model);
  const auto input = x.to_vector<float>();
  const double floor = per_call_us([&] { raw.forward(input.data()); });
  std::printf("model=predict_mlp\nside=ours\nthreads=%d\nbatch=1\n", threads());
  std::printf("us_per_call=%.3f\nus_per_call_model_call=%.3f\nus_per_call_onednn_raw=%.3f\nrss_mib=%.1f\n", on_batch,
              call, floor, peak_rss_mib());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <mlp|cnn|unet|lstm|predict_mlp> <seconds> [--breakdown | --eager]\n", argv[0]);
    return 2;
  }
  const std::string name = argv[1];
  const double seconds = std::atof(argv[2]);
  const bool breakdown = argc > 3 && std::strcmp(argv[3], "--breakdown") == 0;
  const bool eager = argc > 3 && std::strcmp(argv[3], "--eager") == 0;
  try {
    return name == "predict_mlp" ? predict_mlp(seconds) : train(name, seconds, breakdown, eager);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "models_bench: %s\n", e.what());
    return 1;
  }
}
