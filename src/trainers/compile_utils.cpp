// Keras's CompileLoss / CompileMetrics: matching compile()'s per-output specs to the
// model's outputs, and the shape-dependent names ("accuracy", "crossentropy").
#include <algorithm>

#include "keras/errors.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "trainers/trainer_state.hpp"

namespace keras::trainers {

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// The per-output values of a PerOutput spec: one value everywhere, a list by position or
// a map by name (outputs missing from the map get `fallback`).
template <class T>
std::vector<T> per_output(const PerOutput<T>& spec, const std::vector<std::string>& names, const std::string& what,
                          const T& fallback) {
  std::vector<T> out(names.size(), fallback);
  if (spec.has_single()) {
    std::fill(out.begin(), out.end(), spec.single());
  } else if (!spec.list().empty()) {
    if (spec.list().size() != names.size()) {
      throw ValueError("For a model with " + std::to_string(names.size()) + " outputs, when providing the `" +
                       what + "` argument as a list, it should have as many entries as the model has outputs. "
                       "Received " + std::to_string(spec.list().size()) + " entries.");
    }
    out = spec.list();
  } else {
    for (const auto& [key, value] : spec.named()) {
      auto it = std::find(names.begin(), names.end(), key);
      if (it == names.end()) {
        throw ValueError("In the dict argument `" + what + "`, key '" + key +
                         "' does not correspond to any model output. Received: " + what + " keys: " + key +
                         "; model output names: " + join(names));
      }
      out[static_cast<std::size_t>(it - names.begin())] = value;
    }
  }
  return out;
}

std::vector<std::vector<metrics::MetricArg>> per_output_metrics(const MetricsSpec& spec,
                                                                const std::vector<std::string>& names,
                                                                const std::string& what) {
  std::vector<std::vector<metrics::MetricArg>> out(names.size());
  if (!spec.flat().empty()) {
    if (names.size() == 1) {
      out[0] = spec.flat();
    } else if (spec.flat().size() == names.size()) {
      for (std::size_t i = 0; i < names.size(); ++i) out[i] = {spec.flat()[i]};
    } else {
      throw ValueError("For a model with multiple outputs, when providing the `" + what +
                       "` argument as a list, it should have as many entries as the model has outputs. Received:\n" +
                       what + "=[...] of length " + std::to_string(spec.flat().size()) + "\nof length " +
                       std::to_string(spec.flat().size()) + " whereas the model has " +
                       std::to_string(names.size()) + " outputs.");
    }
  } else if (!spec.nested().empty()) {
    if (spec.nested().size() != names.size()) {
      throw ValueError("For a model with " + std::to_string(names.size()) + " outputs, the `" + what +
                       "` argument as a list of lists should have one list per output. Received " +
                       std::to_string(spec.nested().size()) + ".");
    }
    out = spec.nested();
  } else {
    for (const auto& [key, list] : spec.named()) {
      auto it = std::find(names.begin(), names.end(), key);
      if (it == names.end()) {
        throw ValueError("In the dict argument `" + what + "`, key '" + key +
                         "' does not correspond to any model output. Received model output names: " + join(names));
      }
      out[static_cast<std::size_t>(it - names.begin())] = list;
    }
  }
  return out;
}

// Keras's is_binary_or_sparse_categorical: "crossentropy"/"ce" picks the loss by shapes.
losses::LossPtr resolve_loss(const losses::LossArg& arg, const Shape& y_true, const Shape& y_pred) {
  if (arg.empty()) return nullptr;
  const std::string& name = arg.name();
  if (name == "crossentropy" || name == "ce") {
    const bool binary = !y_pred.empty() && y_pred.back() == 1;
    const bool sparse = y_true.size() < y_pred.size() ||
                        (!y_true.empty() && y_true.back() == 1 && !y_pred.empty() && y_pred.back() > 1);
    return losses::get(binary ? "binary_crossentropy" : sparse ? "sparse_categorical_crossentropy" : "categorical_crossentropy");
  }
  return arg.ptr();
}

}  // namespace

void TrainerState::build_outputs(const std::vector<std::string>& names, const Tensors& y_true, const Tensors& y_pred) {
  if (outputs_built) return;
  const auto loss_args = per_output(options.loss, names, "loss", losses::LossArg{});
  const auto weights = per_output(options.loss_weights, names, "loss_weights", 1.0);
  const auto metric_args = per_output_metrics(options.metrics, names, "metrics");
  const auto weighted_args = per_output_metrics(options.weighted_metrics, names, "weighted_metrics");
  outputs.assign(names.size(), OutputSetup{});
  for (std::size_t i = 0; i < names.size(); ++i) {
    OutputSetup& o = outputs[i];
    o.name = names[i];
    const Shape yt = i < y_true.size() && y_true[i].defined() ? y_true[i].shape() : y_pred[i].shape();
    const Shape& yp = y_pred[i].shape();
    o.loss = resolve_loss(loss_args[i], yt, yp);
    o.loss_weight = weights[i];
    const std::string prefix = names.size() > 1 ? names[i] + "_" : "";
    for (const auto& m : metric_args[i]) {
      o.metrics.push_back(m.make(yt, yp));
      o.metric_names.push_back(prefix + o.metrics.back()->name());
    }
    for (const auto& m : weighted_args[i]) {
      o.weighted_metrics.push_back(m.make(yt, yp));
      std::string logged = prefix + o.weighted_metrics.back()->name();
      if (std::find(o.metric_names.begin(), o.metric_names.end(), logged) != o.metric_names.end()) {
        logged = prefix + "weighted_" + o.weighted_metrics.back()->name();
      }
      o.weighted_metric_names.push_back(logged);
    }
  }
  outputs_built = true;
}

bool TrainerState::has_compiled_loss() const {
  if (!outputs_built) return !options.loss.empty();
  return std::any_of(outputs.begin(), outputs.end(), [](const OutputSetup& o) { return o.loss != nullptr; });
}

}  // namespace keras::trainers
