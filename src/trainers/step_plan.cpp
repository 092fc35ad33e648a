#include "trainers/step_plan.hpp"

#include <cstring>

namespace keras::trainers {

Tensor own_copy(const Tensor& t) {
  if (!t.defined() || t.device().type != DeviceType::cpu) return t;
  Tensor out = Tensor::empty(t.shape(), t.dtype(), t.device());
  if (out.nbytes() > 0) std::memcpy(out.raw_data(), t.raw_data(), out.nbytes());
  return out;
}

namespace {

std::string signature(const std::string& kind, const Tensors& inputs) {
  std::string key = kind;
  for (const auto& t : inputs) {
    key += '|';
    if (t.defined()) key += std::string(dtype_name(t.dtype())) + shape_str(t.shape());
  }
  return key;
}

bool cpu_only(const Tensors& inputs) {
  for (const auto& t : inputs) {
    if (t.defined() && t.device().type != DeviceType::cpu) return false;
  }
  return true;
}

}  // namespace

StepPlan::StepPlan(const StepFn& step, const Tensors& inputs, const std::vector<Variable>& variables,
                   Tensors& outputs) {
  for (const auto& t : inputs) inputs_.push_back(own_copy(t));
  recording_.start();
  try {
    outputs = step(inputs_);
  } catch (...) {
    recording_.stop();
    throw;
  }
  recording_.stop();
  for (auto& t : inputs_) t = recording_.pin(t);
  for (const auto& t : outputs) outputs_.push_back(recording_.pin(t));
  bind_variables(variables);
  if (refusal().empty()) bytes_saved_ = recording_.plan_memory();
}

void StepPlan::bind_variables(const std::vector<Variable>& variables) {
  for (const auto& [slot, storage] : recording_.variable_slots()) {
    const Variable* owner = nullptr;
    for (const auto& v : variables) {
      if (v.value().impl()->storage.get() == storage) owner = &v;
    }
    if (owner == nullptr) {
      refuse("it uses a variable that is not one of the model's weights");
    } else {
      bindings_.emplace_back(slot, *owner);
    }
    for (const auto& t : outputs_) {
      if (t.defined() && t.impl()->storage.get() == storage) refuse("it returns a variable's storage");
    }
  }
  // Not held between runs, so a variable's in-place update stays in place.
  for (const auto& [slot, storage] : recording_.variable_slots()) recording_.unbind(slot);
}

const Tensors& StepPlan::run(const Tensors& inputs) {
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    if (inputs_[i].defined() && inputs_[i].nbytes() > 0) {
      std::memcpy(inputs_[i].raw_data(), inputs[i].raw_data(), inputs_[i].nbytes());
    }
  }
  for (auto& [slot, variable] : bindings_) recording_.bind(slot, variable.storage_tensor().impl()->storage);
  struct Unbind {
    StepPlan& plan;
    ~Unbind() {
      for (const auto& binding : plan.bindings_) plan.recording_.unbind(binding.first);
    }
  } unbind{*this};
  recording_.replay();
  return outputs_;
}

Tensors StepPlans::run(const std::string& kind, const StepFn& step, const Tensors& inputs,
                       const std::function<std::vector<Variable>()>& variables) {
  // A step inside another step's trace (a model called from a Lambda) is part of that
  // trace: run it, so that its kernels are recorded there.
  if (!cpu_only(inputs) || kernels::recording_backend(Device{DeviceType::cpu}) != nullptr) return step(inputs);
  Entry& entry = entries_[signature(kind, inputs)];
  entry.last_used = ++clock_;
  if (entry.plan) {
    ++replays_;
    return entry.plan->run(inputs);
  }
  if (entry.eager_runs++ != 1) return step(inputs);
  make_room();
  const std::vector<Variable> before = variables();
  Tensors outputs;
  entry.plan = std::make_unique<StepPlan>(step, inputs, before, outputs);
  if (variables().size() != before.size()) entry.plan->refuse("it creates variables");
  if (!entry.plan->refusal().empty()) {
    entry.refusal = entry.plan->refusal();
    entry.plan.reset();  // its buffers with it
  }
  return outputs;
}

void StepPlans::make_room() {
  std::size_t held = 0;
  Entry* oldest = nullptr;
  for (auto& [key, entry] : entries_) {
    if (!entry.plan) continue;
    ++held;
    if (oldest == nullptr || entry.last_used < oldest->last_used) oldest = &entry;
  }
  if (held < max_plans) return;
  oldest->plan.reset();
  oldest->eager_runs = 0;
}

std::vector<std::string> StepPlans::refusals() const {
  std::vector<std::string> out;
  for (const auto& [key, entry] : entries_) {
    if (!entry.refusal.empty()) out.push_back(entry.refusal);
  }
  return out;
}

std::vector<const StepPlan*> StepPlans::plans() const {
  std::vector<const StepPlan*> out;
  for (const auto& [key, entry] : entries_) {
    if (entry.plan) out.push_back(entry.plan.get());
  }
  return out;
}

const StepPlans::Entry* StepPlans::find(const std::string& kind, const Tensors& inputs) const {
  auto it = entries_.find(signature(kind, inputs));
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace keras::trainers
