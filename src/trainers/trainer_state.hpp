#pragma once
// What compile() sets up on a Model: the optimizer, and per output the loss, its weight
// and the metrics, resolved from the first batch's shapes (Keras's CompileLoss and
// CompileMetrics), plus the streaming loss trackers.
#include <cstdint>
#include <string>
#include <vector>

#include "keras/losses/loss.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/trainers/options.hpp"
#include "trainers/step_plan.hpp"

namespace keras::trainers {

// A streaming mean weighted by batch size (Keras's loss tracker).
struct MeanTracker {
  double total = 0.0;
  double count = 0.0;
  void update(double value, double weight) {
    total += value * weight;
    count += weight;
  }
  double result() const { return count > 0 ? total / count : 0.0; }
  void reset() { total = count = 0.0; }
};

struct OutputSetup {
  std::string name;
  losses::LossPtr loss;  // null: no loss on this output
  double loss_weight = 1.0;
  std::vector<metrics::MetricPtr> metrics;
  std::vector<metrics::MetricPtr> weighted_metrics;
  std::vector<std::string> metric_names;           // as logged
  std::vector<std::string> weighted_metric_names;  // as logged
  MeanTracker loss_tracker;  // logged as "<name>_loss" for multi-output models
};

struct TrainerState {
  CompileOptions options;
  bool compiled = false;
  optimizers::OptimizerPtr optimizer;
  bool outputs_built = false;  // losses and metrics resolved for the outputs
  std::vector<OutputSetup> outputs;
  MeanTracker loss_tracker;
  // The per-output losses of the latest compute_loss (multi-output models), which
  // update_metrics adds to the outputs' loss trackers.
  Tensors output_losses;
  StepPlans plans;  // the traced train / test / predict steps

  // Resolves the compiled losses and metrics for these targets and predictions (once).
  void build_outputs(const std::vector<std::string>& output_names, const Tensors& y_true, const Tensors& y_pred);
  bool has_compiled_loss() const;
  bool multi_output() const { return outputs.size() > 1; }
};

}  // namespace keras::trainers
