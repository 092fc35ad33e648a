// Model's training API (Keras's Trainer): compile, fit, evaluate, predict and the
// single-batch forms. Steps run eagerly under a GradientTape.
#include <algorithm>
#include <functional>
#include <memory>

#include "keras/random.hpp"

#include "callbacks/callback_list.hpp"
#include "keras/callbacks/callback.hpp"
#include "keras/errors.hpp"
#include "keras/gradient_tape.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "keras/model.hpp"
#include "keras/ops.hpp"
#include "trainers/data_adapter.hpp"
#include "trainers/trainer_state.hpp"

namespace keras {

using trainers::ArrayBatcher;
using trainers::ArraySet;

namespace {

// A source of batches for one fit / evaluate / predict run.
class BatchStream {
 public:
  virtual ~BatchStream() = default;
  virtual std::int64_t steps() const = 0;  // per epoch
  virtual void begin_epoch() = 0;
  virtual Batch next() = 0;
  virtual void end_epoch() {}
};

// Arrays: each epoch is one pass, unless steps_per_epoch is given; then batches continue
// across epochs and a new (reshuffled) pass starts when the data runs out.
class ArrayStream final : public BatchStream {
 public:
  ArrayStream(ArraySet data, std::int64_t batch_size, bool shuffle, bool batch_wise, std::optional<std::int64_t> steps)
      : batcher_(std::move(data), batch_size, shuffle, batch_wise), steps_(steps) {
    position_ = batcher_.batches_per_pass();
  }
  std::int64_t steps() const override { return steps_.value_or(batcher_.batches_per_pass()); }
  void begin_epoch() override {
    if (!steps_) position_ = batcher_.batches_per_pass();
  }
  Batch next() override {
    if (position_ >= batcher_.batches_per_pass()) {
      batcher_.begin_pass();
      position_ = 0;
    }
    return batcher_.batch(position_++);
  }

 private:
  ArrayBatcher batcher_;
  std::optional<std::int64_t> steps_;
  std::int64_t position_;
};

class DatasetStream final : public BatchStream {
 public:
  DatasetStream(PyDataset& dataset, bool shuffle, std::optional<std::int64_t> steps)
      : dataset_(dataset), shuffle_(shuffle), steps_(steps) {}
  std::int64_t steps() const override {
    return steps_.value_or(static_cast<std::int64_t>(dataset_.size()));
  }
  void begin_epoch() override {
    order_.resize(dataset_.size());
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    if (shuffle_ && order_.size() > 1) {
      const auto keys = random::uniform({static_cast<std::int64_t>(order_.size())}, {.dtype = DType::float64})
                            .to_vector<double>();
      std::stable_sort(order_.begin(), order_.end(), [&](auto a, auto b) { return keys[a] < keys[b]; });
    }
    position_ = 0;
  }
  Batch next() override {
    if (order_.empty()) throw ValueError("The dataset has no batches (size() is 0)");
    return dataset_.get(order_[position_++ % order_.size()]);
  }
  void end_epoch() override { dataset_.on_epoch_end(); }

 private:
  PyDataset& dataset_;
  bool shuffle_;
  std::optional<std::int64_t> steps_;
  std::vector<std::size_t> order_;
  std::size_t position_ = 0;
};

std::int64_t batch_size_of(const Batch& batch) {
  for (const auto& t : batch.x) {
    if (t.defined() && t.ndim() > 0) return t.dim(0);
  }
  return 1;
}

std::vector<std::pair<Variable, constraints::ConstraintPtr>> all_constraints(const Layer& layer) {
  auto out = layer.constraints();
  for (const auto& sub : layer.tracked_layers()) {
    auto more = all_constraints(*sub);
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

Scores to_scores(const std::vector<std::string>& names, const Logs& logs) {
  std::vector<double> values;
  for (const auto& n : names) {
    auto it = logs.find(n);
    if (it != logs.end()) values.push_back(it->second);
  }
  return Scores(std::move(values), logs);
}

}  // namespace

trainers::TrainerState& Model::trainer() const {
  if (!trainer_) const_cast<Model*>(this)->trainer_ = std::make_unique<trainers::TrainerState>();
  return *trainer_;
}

void Model::compile(const CompileOptions& options) {
  auto& t = trainer();
  t = trainers::TrainerState{};
  t.options = options;
  t.optimizer = options.optimizer.ptr();
  t.compiled = true;
}

bool Model::compiled() const { return trainer_ && trainer_->compiled; }

optimizers::OptimizerPtr Model::optimizer() const { return trainer_ ? trainer_->optimizer : nullptr; }

const CompileOptions& Model::compile_options() const {
  if (!compiled()) throw ValueError("Model '" + name() + "' has not been compiled");
  return trainer_->options;
}

namespace {

void require_compiled(const Model& model, const char* method) {
  if (!model.compiled()) {
    throw ValueError(std::string("You must call `compile()` before using the model's `") + method + "()`.");
  }
}

}  // namespace

// ---- the steps ----

Tensor Model::compute_loss(const Batch& batch, const Tensors& y_pred) {
  auto& t = trainer();
  std::vector<std::string> names = output_names();
  if (names.size() != y_pred.size()) {
    names.clear();
    for (std::size_t i = 0; i < y_pred.size(); ++i) names.push_back("output_" + std::to_string(i + 1));
  }
  t.build_outputs(names, batch.y, y_pred);
  t.output_losses.assign(y_pred.size(), Tensor());
  Tensor total;
  auto add = [&](const Tensor& term) { total = total.defined() ? ops::add(total, term) : term; };
  for (std::size_t i = 0; i < t.outputs.size(); ++i) {
    auto& o = t.outputs[i];
    if (!o.loss) continue;
    if (i >= batch.y.size() || !batch.y[i].defined()) {
      throw ValueError("Target data is missing. Your model has `loss`: " + o.loss->name() +
                       ", and therefore expects target data to be passed in `fit()`.");
    }
    const Tensor sw = i < batch.sample_weight.size() ? batch.sample_weight[i] : Tensor();
    const Tensor value = (*o.loss)(batch.y[i], y_pred[i], sw);
    if (t.multi_output() && i < t.output_losses.size()) t.output_losses[i] = value;
    add(o.loss_weight == 1.0 ? value : ops::multiply(value, o.loss_weight));
  }
  for (const auto& term : losses()) add(ops::sum(ops::cast(term, floatx())));
  if (!total.defined()) throw ValueError("No loss to compute. Provide a `loss` argument in `compile()`.");
  return total;
}

void Model::update_metrics(const Batch& batch, const Tensors& y_pred, const Tensor& loss) {
  auto& t = trainer();
  const auto batch_size = static_cast<double>(batch_size_of(batch));
  t.loss_tracker.update(loss.item<double>(), batch_size);
  // The per-output losses compute_loss left (read here, not there: a traced step must
  // not read values on the host).
  for (std::size_t i = 0; i < t.outputs.size() && i < t.output_losses.size(); ++i) {
    if (t.output_losses[i].defined()) t.outputs[i].loss_tracker.update(t.output_losses[i].item<double>(), batch_size);
  }
  t.output_losses.clear();
  for (std::size_t i = 0; i < t.outputs.size() && i < y_pred.size(); ++i) {
    auto& o = t.outputs[i];
    if (i >= batch.y.size() || !batch.y[i].defined()) continue;
    for (const auto& m : o.metrics) m->update_state(batch.y[i], y_pred[i]);
    const Tensor sw = i < batch.sample_weight.size() ? batch.sample_weight[i] : Tensor();
    for (const auto& m : o.weighted_metrics) m->update_state(batch.y[i], y_pred[i], sw);
  }
}

Logs Model::metrics_result() const {
  Logs logs;
  if (!trainer_) return logs;
  const auto& t = *trainer_;
  logs["loss"] = t.loss_tracker.result();
  for (const auto& o : t.outputs) {
    if (t.multi_output() && o.loss) logs[o.name + "_loss"] = o.loss_tracker.result();
    for (std::size_t k = 0; k < o.metrics.size(); ++k) logs[o.metric_names[k]] = o.metrics[k]->result().item<double>();
    for (std::size_t k = 0; k < o.weighted_metrics.size(); ++k) {
      logs[o.weighted_metric_names[k]] = o.weighted_metrics[k]->result().item<double>();
    }
  }
  return logs;
}

std::vector<std::string> Model::metrics_names() const {
  std::vector<std::string> names;
  if (!trainer_) return names;
  const auto& t = *trainer_;
  names.push_back("loss");
  for (const auto& o : t.outputs) {
    if (t.multi_output() && o.loss) names.push_back(o.name + "_loss");
  }
  for (const auto& o : t.outputs) {
    names.insert(names.end(), o.metric_names.begin(), o.metric_names.end());
    names.insert(names.end(), o.weighted_metric_names.begin(), o.weighted_metric_names.end());
  }
  return names;
}

metrics::MetricPtr Model::find_metric(const std::string& name) const {
  if (!trainer_) return nullptr;
  for (const auto& o : trainer_->outputs) {
    for (std::size_t k = 0; k < o.metrics.size(); ++k) {
      if (o.metric_names[k] == name) return o.metrics[k];
    }
    for (std::size_t k = 0; k < o.weighted_metrics.size(); ++k) {
      if (o.weighted_metric_names[k] == name) return o.weighted_metrics[k];
    }
  }
  return nullptr;
}

void Model::reset_metrics() {
  if (!trainer_) return;
  auto& t = *trainer_;
  t.loss_tracker.reset();
  for (auto& o : t.outputs) {
    o.loss_tracker.reset();
    for (const auto& m : o.metrics) m->reset_state();
    for (const auto& m : o.weighted_metrics) m->reset_state();
  }
}

namespace {

// A batch as one list (x, then y, then sample weights) for a step plan, and back.
Tensors flatten(const Batch& batch) {
  Tensors all = batch.x;
  all.insert(all.end(), batch.y.begin(), batch.y.end());
  all.insert(all.end(), batch.sample_weight.begin(), batch.sample_weight.end());
  return all;
}

Batch unflatten(const Tensors& all, const Batch& like) {
  const auto nx = static_cast<std::ptrdiff_t>(like.x.size());
  const auto ny = static_cast<std::ptrdiff_t>(like.y.size());
  return Batch{Tensors(all.begin(), all.begin() + nx), Tensors(all.begin() + nx, all.begin() + nx + ny),
               Tensors(all.begin() + nx + ny, all.end())};
}

// What fixes a step's graph besides its inputs' shapes: which variables it trains.
std::string step_kind(const char* step, const std::vector<Variable>& trained) {
  std::string kind = step;
  for (const auto& v : trained) kind += ',' + std::to_string(v.id());
  return kind;
}

// A step's outputs for its plan: the loss, the predictions, then the per-output losses
// compute_loss left (one per prediction, undefined where there is none).
Tensors step_outputs(const trainers::TrainerState& t, const Tensor& loss, const Tensors& y_pred) {
  Tensors all{loss};
  all.insert(all.end(), y_pred.begin(), y_pred.end());
  for (std::size_t i = 0; i < y_pred.size(); ++i) all.push_back(i < t.output_losses.size() ? t.output_losses[i] : Tensor());
  return all;
}

// The predictions back from step_outputs' list; the per-output losses go back to `t` for
// update_metrics.
Tensors take_step_outputs(trainers::TrainerState& t, const Tensors& all) {
  const auto n = static_cast<std::ptrdiff_t>(all.size() - 1) / 2;
  t.output_losses.assign(all.begin() + 1 + n, all.begin() + 1 + 2 * n);
  return Tensors(all.begin() + 1, all.begin() + 1 + n);
}

// Runs a step through the model's step plans (eagerly when compiled with run_eagerly).
Tensors run_step_plan(Model& model, trainers::TrainerState& t, const char* kind, const Batch& batch,
                      const std::function<Tensors(const Batch&)>& step) {
  if (t.options.run_eagerly) return step(batch);
  return t.plans.run(
      step_kind(kind, model.trainable_weights()), [&](const Tensors& in) { return step(unflatten(in, batch)); },
      flatten(batch), [&model] { return model.weights(); });
}

}  // namespace

Logs Model::train_step(const Batch& batch) {
  auto& t = trainer();
  std::vector<Variable> variables;
  bool ran = false;
  // Outputs: the loss, the predictions, their losses (step_outputs), then one gradient
  // per trainable variable.
  const Tensors results = run_step_plan(*this, t, "train", batch, [&](const Batch& b) {
    GradientTape tape;
    const Tensors y_pred = (*this)(b.x, {.training = true});
    const Tensor loss = compute_loss(b, y_pred);
    variables = trainable_weights();  // after the call: a deferred build creates them there
    const std::vector<Tensor> grads = tape.gradient(loss, variables);
    Tensors all = step_outputs(t, loss, y_pred);
    all.insert(all.end(), grads.begin(), grads.end());
    ran = true;
    return all;
  });
  if (!ran) variables = trainable_weights();  // a replay: the step's code did not run
  const std::ptrdiff_t n = (static_cast<std::ptrdiff_t>(results.size() - variables.size()) - 1) / 2;
  const Tensors y_pred = take_step_outputs(t, Tensors(results.begin(), results.begin() + 1 + 2 * n));
  const std::vector<Tensor> grads(results.begin() + 1 + 2 * n, results.end());
  if (!t.optimizer->built()) {
    for (const auto& [v, c] : all_constraints(*this)) t.optimizer->set_constraint(v, c);
  }
  t.optimizer->apply(grads, variables);
  update_metrics(batch, y_pred, results[0]);
  return metrics_result();
}

Logs Model::test_step(const Batch& batch) {
  auto& t = trainer();
  const Tensors results = run_step_plan(*this, t, "test", batch, [&](const Batch& b) {
    const Tensors y_pred = (*this)(b.x, {.training = false});
    return step_outputs(t, compute_loss(b, y_pred), y_pred);
  });
  update_metrics(batch, take_step_outputs(t, results), results[0]);
  return metrics_result();
}

Tensors Model::predict_step(const Batch& batch) {
  Tensors y_pred =
      run_step_plan(*this, trainer(), "predict", batch, [&](const Batch& b) { return (*this)(b.x, {.training = false}); });
  // predict keeps each batch's outputs, which a replay would overwrite.
  for (auto& t : y_pred) t = trainers::own_copy(t);
  return y_pred;
}

// ---- the loops ----

namespace {

ArraySet array_set(const Model& model, const ArrayData& x, const ArrayData& y, const ArrayData& sample_weight,
                   const std::map<std::int64_t, double>& class_weight) {
  ArraySet set{trainers::ordered(x, model.input_names(), "input"), trainers::ordered(y, model.output_names(), "output"),
               trainers::ordered(sample_weight, model.output_names(), "sample_weight")};
  if (set.x.empty()) throw ValueError("Expected input data `x`, got none");
  if (!class_weight.empty()) {
    if (!set.sample_weight.empty()) {
      throw ValueError("You cannot `class_weight` and `sample_weight` at the same time.");
    }
    if (set.y.size() != 1) {
      throw ValueError("`class_weight` is only supported for Models with a single output.");
    }
    set.sample_weight = {trainers::class_weight_to_sample_weights(set.y[0], class_weight)};
  }
  trainers::check_cardinality(set);
  return set;
}

Scores run_evaluation(Model& model, BatchStream& stream, callbacks::CallbackRunner& cbs) {
  model.reset_metrics();
  Logs logs;
  cbs.on_test_begin(logs);
  stream.begin_epoch();
  for (std::int64_t step = 0; step < stream.steps(); ++step) {
    Logs begin;
    cbs.on_test_batch_begin(step, begin);
    Logs batch_logs = model.test_step(stream.next());
    cbs.on_test_batch_end(step, batch_logs);
  }
  logs = model.metrics_result();
  cbs.on_test_end(logs);
  return to_scores(model.metrics_names(), logs);
}

}  // namespace

namespace {

callbacks::History run_fit(Model& model, BatchStream& train, BatchStream* validation, const FitOptions& options) {
  const callbacks::CallbackParams params{options.verbose.level(), options.epochs, train.steps()};
  callbacks::CallbackRunner cbs(options.callbacks, &model, params, true, true);
  model.stop_training = false;
  Logs logs;
  model.resume_epoch.reset();
  cbs.on_train_begin(logs);
  const std::int64_t first_epoch = model.resume_epoch.value_or(options.initial_epoch);
  model.resume_epoch.reset();
  Logs epoch_logs;
  for (std::int64_t epoch = first_epoch; epoch < options.epochs && !model.stop_training; ++epoch) {
    model.reset_metrics();
    Logs begin;
    cbs.on_epoch_begin(epoch, begin);
    train.begin_epoch();
    for (std::int64_t step = 0; step < train.steps(); ++step) {
      Logs batch_begin;
      cbs.on_train_batch_begin(step, batch_begin);
      Logs batch_logs = model.train_step(train.next());
      cbs.on_train_batch_end(step, batch_logs);
      if (model.stop_training) break;
    }
    epoch_logs = model.metrics_result();
    if (validation && (epoch + 1) % options.validation_freq == 0) {
      const Scores val = run_evaluation(model, *validation, cbs);
      for (const auto& [k, v] : val.logs()) epoch_logs["val_" + k] = v;
    }
    cbs.on_epoch_end(epoch, epoch_logs);
    train.end_epoch();
  }
  cbs.on_train_end(epoch_logs);
  model.history = cbs.history();
  return *model.history;
}

void check_fit_options(const FitOptions& options) {
  if (options.validation_freq < 1) {
    throw ValueError("`validation_freq` must be a positive integer, got " + std::to_string(options.validation_freq));
  }
  if (options.epochs < 0) throw ValueError("`epochs` must be non-negative, got " + std::to_string(options.epochs));
}

}  // namespace

callbacks::History Model::fit(const ArrayData& x, const ArrayData& y, const FitOptions& options) {
  require_compiled(*this, "fit");
  check_fit_options(options);
  ArraySet data = array_set(*this, x, y, options.sample_weight, options.class_weight);
  std::optional<ArraySet> validation;
  if (options.validation_data) {
    const auto& v = *options.validation_data;
    validation = array_set(*this, v.x, v.y, v.sample_weight, {});
  } else if (options.validation_split > 0.0) {
    auto [train, val] = trainers::train_validation_split(data, options.validation_split);
    data = std::move(train);
    validation = std::move(val);
  }
  const std::int64_t batch_size = options.batch_size.value_or(32);
  ArrayStream train(std::move(data), batch_size, options.shuffle.enabled(), options.shuffle.batch_wise(),
                    options.steps_per_epoch);
  std::unique_ptr<ArrayStream> val_stream;
  if (validation) {
    val_stream = std::make_unique<ArrayStream>(std::move(*validation), options.validation_batch_size.value_or(batch_size),
                                               false, false, options.validation_steps);
  }
  return run_fit(*this, train, val_stream.get(), options);
}

callbacks::History Model::fit(PyDataset& dataset, const FitOptions& options) {
  require_compiled(*this, "fit");
  check_fit_options(options);
  if (options.validation_split > 0.0) {
    throw ValueError("`validation_split` is only supported for arrays, not for a dataset. Received a PyDataset.");
  }
  if (!options.class_weight.empty() || !options.sample_weight.empty()) {
    throw ValueError("`class_weight` and `sample_weight` are only supported for arrays; a dataset yields its own weights.");
  }
  DatasetStream train(dataset, options.shuffle.enabled(), options.steps_per_epoch);
  std::unique_ptr<ArrayStream> val_stream;
  if (options.validation_data) {
    const auto& v = *options.validation_data;
    val_stream = std::make_unique<ArrayStream>(array_set(*this, v.x, v.y, v.sample_weight, {}),
                                               options.validation_batch_size.value_or(32), false, false,
                                               options.validation_steps);
  }
  return run_fit(*this, train, val_stream.get(), options);
}

Scores Model::evaluate(const ArrayData& x, const ArrayData& y, const EvaluateOptions& options) {
  require_compiled(*this, "evaluate");
  ArrayStream stream(array_set(*this, x, y, options.sample_weight, {}), options.batch_size.value_or(32), false, false,
                     options.steps);
  const callbacks::CallbackParams params{options.verbose.level(), 1, stream.steps()};
  callbacks::CallbackRunner cbs(options.callbacks, this, params, false, true);
  return run_evaluation(*this, stream, cbs);
}

Scores Model::evaluate(PyDataset& dataset, const EvaluateOptions& options) {
  require_compiled(*this, "evaluate");
  DatasetStream stream(dataset, false, options.steps);
  const callbacks::CallbackParams params{options.verbose.level(), 1, stream.steps()};
  callbacks::CallbackRunner cbs(options.callbacks, this, params, false, true);
  return run_evaluation(*this, stream, cbs);
}

Outputs Model::predict(const ArrayData& x, const PredictOptions& options) {
  ArraySet set{trainers::ordered(x, input_names(), "input"), {}, {}};
  if (set.x.empty()) throw ValueError("Expected input data `x`, got none");
  trainers::check_cardinality(set);
  ArrayStream stream(std::move(set), options.batch_size.value_or(32), false, false, options.steps);
  const callbacks::CallbackParams params{options.verbose.level(), 1, stream.steps()};
  callbacks::CallbackRunner cbs(options.callbacks, this, params, false, true);
  Logs logs;
  cbs.on_predict_begin(logs);
  stream.begin_epoch();
  std::vector<Tensors> per_output;
  for (std::int64_t step = 0; step < stream.steps(); ++step) {
    Logs begin;
    cbs.on_predict_batch_begin(step, begin);
    const Tensors out = predict_step(stream.next());
    if (per_output.empty()) per_output.resize(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) per_output[i].push_back(out[i]);
    Logs batch_logs;
    cbs.on_predict_batch_end(step, batch_logs);
  }
  cbs.on_predict_end(logs);
  Outputs result;
  for (const auto& parts : per_output) result.push_back(parts.size() == 1 ? parts[0] : ops::concatenate(parts, 0));
  return result;
}

Scores Model::train_on_batch(const ArrayData& x, const ArrayData& y, const ArrayData& sample_weight,
                             const std::map<std::int64_t, double>& class_weight) {
  require_compiled(*this, "train_on_batch");
  const Logs logs = train_step(trainers::to_batch(array_set(*this, x, y, sample_weight, class_weight)));
  return to_scores(metrics_names(), logs);
}

Scores Model::test_on_batch(const ArrayData& x, const ArrayData& y, const ArrayData& sample_weight) {
  require_compiled(*this, "test_on_batch");
  const Logs logs = test_step(trainers::to_batch(array_set(*this, x, y, sample_weight, {})));
  return to_scores(metrics_names(), logs);
}

Outputs Model::predict_on_batch(const ArrayData& x) {
  return predict_step(Batch{trainers::ordered(x, input_names(), "input"), {}, {}});
}

}  // namespace keras
