#pragma once
// DESIGN.md's "trace once, run many" for Model's steps. A step (forward, loss, tape
// gradient) is traced by recording the kernel calls one eager run of it makes
// (kernels::Recording); later batches of the same shapes replay those calls: no op
// dispatch, shape checks, tape or allocation, and the step's own buffers packed by
// liveness into one arena. The model's variables are bound afresh for each run, so
// optimizer updates and weight loads between runs are seen.
//
// A step the recording refuses (it reads values on the host, applies an optimizer update,
// copies untracked memory, or uses a variable the model does not own) runs eagerly.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernels/recording.hpp"
#include "keras/layer.hpp"
#include "keras/variable.hpp"

namespace keras::trainers {

using StepFn = std::function<Tensors(const Tensors& inputs)>;

// A contiguous copy of a CPU tensor in storage of its own (undefined stays undefined).
Tensor own_copy(const Tensor& t);

class StepPlan {
 public:
  // Runs `step` on copies of `inputs` while recording it; its results go to `outputs`.
  // `variables` are the ones the step may use (the model's weights).
  StepPlan(const StepFn& step, const Tensors& inputs, const std::vector<Variable>& variables, Tensors& outputs);

  // Why this step cannot be replayed; empty when it can.
  const std::string& refusal() const { return recording_.refusal(); }
  void refuse(const std::string& why) { recording_.refuse(why); }

  // The step's outputs for new inputs of the traced shapes and dtypes. They live in the
  // plan's buffers: the next run overwrites them.
  const Tensors& run(const Tensors& inputs);

  std::size_t kernel_calls() const { return recording_.calls(); }
  std::size_t arena_bytes() const { return recording_.arena_bytes(); }
  std::size_t bytes_saved() const { return bytes_saved_; }

 private:
  void bind_variables(const std::vector<Variable>& variables);

  kernels::Recording recording_;
  Tensors inputs_;
  Tensors outputs_;
  std::vector<std::pair<std::size_t, Variable>> bindings_;  // recording slot, variable
  std::size_t bytes_saved_ = 0;
};

// A model's plans, one per step kind and input signature, at most `max_plans`: inputs
// whose shapes keep changing would otherwise hold one arena per shape for good. Past the
// limit, the plan used least recently goes (its signature is traced again if it returns).
class StepPlans {
 public:
  static constexpr std::size_t max_plans = 16;

  // Runs `step` on `inputs`: eagerly the first time a signature is seen (that run may
  // build the model), traced the second time, replayed after that; eagerly for good when
  // the trace was refused. `kind` names the step and whatever else fixes its graph (the
  // training flag, the trainable variables). The outputs of a replay alias its buffers.
  Tensors run(const std::string& kind, const StepFn& step, const Tensors& inputs,
              const std::function<std::vector<Variable>()>& variables);

  struct Entry {
    int eager_runs = 0;
    std::uint64_t last_used = 0;
    std::unique_ptr<StepPlan> plan;
    std::string refusal;  // why the trace was refused (then the step stays eager)
  };
  // What is known for this kind and inputs' signature; null: never run.
  const Entry* find(const std::string& kind, const Tensors& inputs) const;
  // Over all signatures: how many runs were replays, and why traces were refused.
  std::size_t replays() const { return replays_; }
  std::vector<std::string> refusals() const;
  std::vector<const StepPlan*> plans() const;

 private:
  void make_room();

  std::map<std::string, Entry> entries_;
  std::uint64_t clock_ = 0;
  std::size_t replays_ = 0;
};

}  // namespace keras::trainers
