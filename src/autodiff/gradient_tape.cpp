#include "keras/gradient_tape.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "autodiff/record.hpp"
#include "keras/ops.hpp"

namespace keras {

struct GradientTape::Record {
  std::vector<std::uint64_t> inputs;
  std::vector<std::uint64_t> outputs;
  std::vector<Shape> output_shapes;
  std::vector<DType> output_dtypes;
  autodiff::BackwardFn backward;
};

namespace {
thread_local std::vector<GradientTape*> g_tapes;
// The differentiated inputs' ids of the record whose backward rule is running, if any.
thread_local const std::vector<std::uint64_t>* g_backward_inputs = nullptr;

// Publishes a record's differentiated inputs while its backward rule runs; restores the
// outer value afterwards, as a rule may itself run a nested tape's gradient.
class BackwardScope {
 public:
  explicit BackwardScope(const std::vector<std::uint64_t>& inputs) : saved_(g_backward_inputs) {
    g_backward_inputs = &inputs;
  }
  ~BackwardScope() { g_backward_inputs = saved_; }
  BackwardScope(const BackwardScope&) = delete;
  BackwardScope& operator=(const BackwardScope&) = delete;

 private:
  const std::vector<std::uint64_t>* saved_;
};
}  // namespace

// Grants the recording functions access to the tapes' private state.
struct TapeAccess {
  static bool watches(const GradientTape& tape, const Tensor& t) {
    if (!t.defined() || !is_floating(t.dtype())) return false;
    if (tape.watched_.count(t.id())) return true;
    return tape.options_.watch_accessed_variables && t.impl()->trainable_variable;
  }

  static bool wants(const GradientTape& tape, const std::vector<Tensor>& inputs) {
    return tape.recording_ &&
           std::any_of(inputs.begin(), inputs.end(), [&](const Tensor& t) { return watches(tape, t); });
  }

  static void add(GradientTape& tape, const std::vector<Tensor>& inputs,
                  const std::vector<Tensor>& outputs, const autodiff::BackwardFn& backward) {
    GradientTape::Record r;
    for (const auto& t : inputs) {
      const bool differentiable = watches(tape, t);
      r.inputs.push_back(differentiable ? t.id() : 0);
      if (differentiable) tape.watched_.insert(t.id());
    }
    for (const auto& t : outputs) {
      r.outputs.push_back(t.id());
      r.output_shapes.push_back(t.shape());
      r.output_dtypes.push_back(t.dtype());
      if (is_floating(t.dtype())) tape.watched_.insert(t.id());
    }
    r.backward = backward;
    tape.records_.push_back(std::move(r));
  }
};

namespace autodiff {

bool should_record(const std::vector<Tensor>& inputs) {
  return std::any_of(g_tapes.begin(), g_tapes.end(),
                     [&](const GradientTape* tape) { return TapeAccess::wants(*tape, inputs); });
}

bool needs_gradient(const Tensor& x) {
  if (g_backward_inputs == nullptr) return true;
  return x.defined() && std::find(g_backward_inputs->begin(), g_backward_inputs->end(), x.id()) !=
                            g_backward_inputs->end();
}

void record(std::string_view, const std::vector<Tensor>& inputs, const std::vector<Tensor>& outputs,
            BackwardFn backward) {
  for (GradientTape* tape : g_tapes) {
    if (TapeAccess::wants(*tape, inputs)) TapeAccess::add(*tape, inputs, outputs, backward);
  }
}

}  // namespace autodiff

GradientTape::GradientTape(GradientTapeOptions options) : options_(options) {
  g_tapes.push_back(this);
}

GradientTape::~GradientTape() {
  g_tapes.erase(std::remove(g_tapes.begin(), g_tapes.end(), this), g_tapes.end());
}

void GradientTape::watch(const Tensor& tensor) {
  if (tensor.defined() && is_floating(tensor.dtype())) watched_.insert(tensor.id());
}

void GradientTape::watch(const Variable& variable) { watched_.insert(variable.id()); }

void GradientTape::stop_recording() { recording_ = false; }
bool GradientTape::recording() const { return recording_; }

namespace {

void accumulate(std::unordered_map<std::uint64_t, Tensor>& grads, std::uint64_t id,
                const Tensor& g) {
  auto [it, inserted] = grads.try_emplace(id, g);
  if (!inserted) it->second = ops::add(it->second, g);
}

}  // namespace

std::vector<Tensor> GradientTape::gradient(const Tensor& target, const std::vector<Tensor>& sources,
                                           const GradientOptions& options) {
  if (used_ && !options_.persistent) {
    throw RuntimeError(
        "A non-persistent GradientTape can only be used to compute one set of gradients (or "
        "jacobians)");
  }
  if (options.unconnected_gradients != "none" && options.unconnected_gradients != "zero") {
    throw ValueError("Unknown value for unconnected_gradients: '" + options.unconnected_gradients + "'");
  }
  used_ = true;
  // This tape must not record its own backward pass; outer tapes may (higher order).
  const bool was_recording = recording_;
  recording_ = false;

  std::unordered_map<std::uint64_t, Tensor> grads;
  grads.emplace(target.id(), options.output_gradients.defined() ? options.output_gradients
                                                                : ops::ones_like(target));
  std::unordered_set<std::uint64_t> source_ids;
  for (const auto& s : sources) source_ids.insert(s.id());
  // A record's rule holds the forward tensors it needs; a tape used once lets them go as
  // soon as the rule has run.
  const auto release = [this](Record& r) {
    if (!options_.persistent) r.backward = nullptr;
  };
  for (auto r = records_.rbegin(); r != records_.rend(); ++r) {
    const bool any = std::any_of(r->outputs.begin(), r->outputs.end(),
                                 [&](std::uint64_t id) { return grads.count(id) > 0; });
    if (!any) {
      release(*r);
      continue;
    }
    autodiff::Grads out_grads(r->outputs.size());
    for (std::size_t i = 0; i < r->outputs.size(); ++i) {
      auto it = grads.find(r->outputs[i]);
      out_grads[i] = it != grads.end() ? it->second : ops::zeros(r->output_shapes[i], r->output_dtypes[i]);
    }
    autodiff::Grads in_grads;
    {
      BackwardScope scope(r->inputs);
      in_grads = r->backward(out_grads);
    }
    release(*r);
    // Every consumer of these outputs was recorded later and has run: their gradients are
    // final, and only the sources' are still wanted. Dropping the rest as the walk goes keeps
    // the step's peak memory near the forward pass's rather than twice it.
    for (auto id : r->outputs) {
      if (!source_ids.count(id)) grads.erase(id);
    }
    for (std::size_t i = 0; i < r->inputs.size() && i < in_grads.size(); ++i) {
      if (r->inputs[i] != 0 && in_grads[i].defined()) accumulate(grads, r->inputs[i], in_grads[i]);
    }
  }

  std::vector<Tensor> result;
  result.reserve(sources.size());
  for (const auto& s : sources) {
    auto it = grads.find(s.id());
    if (it != grads.end()) {
      result.push_back(it->second);
    } else {
      result.push_back(options.unconnected_gradients == "zero" ? ops::zeros_like(s) : Tensor());
    }
  }
  if (!options_.persistent) {
    records_.clear();
    watched_.clear();
  }
  recording_ = was_recording && options_.persistent;
  return result;
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target, const std::vector<Variable>& sources,
                                           const GradientOptions& options) {
  std::vector<Tensor> values;
  values.reserve(sources.size());
  for (const auto& v : sources) values.push_back(v.value());
  return gradient(target, values, options);
}

Tensor GradientTape::gradient(const Tensor& target, const Tensor& source,
                              const GradientOptions& options) {
  return gradient(target, std::vector<Tensor>{source}, options)[0];
}

}  // namespace keras
