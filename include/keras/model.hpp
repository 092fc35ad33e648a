#pragma once
// keras::Model. `Model(inputs, outputs)` is a functional model: it runs the graph of
// layers and ops recorded between symbolic inputs and outputs. Subclass Model (override
// `call`, track sub-layers) for a custom model. A Model is a Layer, so models nest.
//
// Training (compile, fit, evaluate, predict and the *_on_batch forms) is implemented in
// src/trainers/; summary in src/utils/summary_utils.cpp.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "keras/layer.hpp"
#include "keras/trainers/options.hpp"
#include "keras/utils/summary.hpp"

namespace keras {

namespace graph {
class Functional;
}
namespace callbacks {
class History;
}
namespace trainers {
struct TrainerState;
struct PlanAccess;
}

struct ModelOptions {
  std::string name;  // empty: "functional", "functional_1", ... (or the class's snake name)
  bool trainable = true;
};

// load_weights options (Keras's keyword arguments).
// Model::save options (Keras's keyword arguments).
struct SaveOptions {
  // Store the compile configuration and the optimizer's state.
  bool include_optimizer = true;
};

struct LoadWeightsOptions {
  // Legacy .h5/.hdf5 only: give each model layer the file's group of the same name; layers
  // missing from either side are left alone. Default: match weighted layers in order.
  bool by_name = false;
  // Skip (with a warning on stderr) layers whose weight count differs and weights whose
  // shape differs, instead of raising ValueError.
  bool skip_mismatch = false;
};

class Model : public Layer {
 public:
  // A subclassed model: override call (and build), track layers in the constructor.
  explicit Model(const ModelOptions& options = {});
  // A functional model from symbolic inputs to outputs (Keras's Model(inputs, outputs)).
  Model(const Tensors& inputs, const Tensors& outputs, const ModelOptions& options = {});
  Model(const Tensor& input, const Tensor& output, const ModelOptions& options = {});
  Model(const Tensors& inputs, const Tensor& output, const ModelOptions& options = {});
  Model(const Tensor& input, const Tensors& outputs, const ModelOptions& options = {});
  // Inputs and outputs by name: data is then given in the inputs' name order.
  Model(const std::map<std::string, Tensor>& inputs, const std::map<std::string, Tensor>& outputs,
        const ModelOptions& options = {});
  ~Model() override;

  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;
  std::string class_name() const override;
  // A functional model's or a Sequential's config as Keras writes it (layers, their
  // inbound nodes, input_layers and output_layers); a subclassed model's base config.
  json get_config() const override;

  // Runs the model on data (Keras's model(x) / model(x, training=...)).
  // Layer::operator() does the same and also works on symbolic tensors.

  // The layers of a functional model (InputLayers included, as Keras lists them), or the
  // tracked layers of a subclassed one.
  virtual std::vector<LayerPtr> layers() const;
  // By name, or by index in layers(); ValueError when there is none.
  LayerPtr get_layer(const std::string& name) const;
  LayerPtr get_layer(int index) const;
  // The symbolic inputs and outputs of a functional model (empty for subclassed ones).
  const Tensors& inputs() const;
  const Tensors& outputs() const;
  // Names of the inputs/outputs in order (a functional model built from name maps uses
  // those names; otherwise the layers' names).
  std::vector<std::string> input_names() const;
  std::vector<std::string> output_names() const;
  bool is_functional() const { return graph_ != nullptr; }

  // ---- Training (Keras's Trainer) ----
  // Configures the model for training. ValueError for a loss/metric list whose length does
  // not match the outputs or a map naming an unknown output.
  void compile(const CompileOptions& options = {});
  bool compiled() const;
  // Trains for `epochs` epochs; returns the History (also in `history`).
  callbacks::History fit(const ArrayData& x, const ArrayData& y = {}, const FitOptions& options = {});
  callbacks::History fit(PyDataset& dataset, const FitOptions& options = {});
  // The loss and metrics over the data: loss first, then the metrics (by name: .logs()).
  Scores evaluate(const ArrayData& x, const ArrayData& y = {}, const EvaluateOptions& options = {});
  Scores evaluate(PyDataset& dataset, const EvaluateOptions& options = {});
  // The outputs for every sample, batch by batch, in inference mode.
  Outputs predict(const ArrayData& x, const PredictOptions& options = {});
  // One gradient step / one evaluation / one inference on a single batch.
  Scores train_on_batch(const ArrayData& x, const ArrayData& y = {}, const ArrayData& sample_weight = {},
                        const std::map<std::int64_t, double>& class_weight = {});
  Scores test_on_batch(const ArrayData& x, const ArrayData& y = {}, const ArrayData& sample_weight = {});
  Outputs predict_on_batch(const ArrayData& x);

  // The steps fit / evaluate / predict run per batch; override them as in Keras.
  // train_step and test_step update the metrics and return metrics_result().
  virtual Logs train_step(const Batch& batch);
  virtual Logs test_step(const Batch& batch);
  virtual Tensors predict_step(const Batch& batch);
  // The total loss: the compiled losses (weighted) plus every add_loss and regularization
  // term. ValueError "No loss to compute..." when there is none.
  virtual Tensor compute_loss(const Batch& batch, const Tensors& y_pred);
  // Updates the loss tracker and the compiled metrics with one batch.
  void update_metrics(const Batch& batch, const Tensors& y_pred, const Tensor& loss);
  // The current values: loss, then the compiled metrics (Keras's get_metrics_result).
  Logs metrics_result() const;
  void reset_metrics();
  // "loss", per-output losses, then the compiled metrics' names, in Keras's order.
  std::vector<std::string> metrics_names() const;
  // The compiled metric logged under `name` ("accuracy", "out_mae", ...), or null.
  metrics::MetricPtr find_metric(const std::string& name) const;
  optimizers::OptimizerPtr optimizer() const;
  // The arguments of the latest compile() (ValueError when not compiled).
  const CompileOptions& compile_options() const;

  // Writes the weights, and the optimizer's state once it is built, atomically (a
  // temporary file beside the target, then a rename). `*.weights.h5` is Keras 3's file
  // (src/saving/weights.cpp); other `.h5`/`.hdf5`/`.keras` names raise ValueError as
  // Keras 3; any other name gets keras-cpp's interim checkpoint format.
  void save_weights(const std::string& filepath) const;
  // Reads `*.weights.h5` (Keras 3), legacy Keras `.h5`/`.hdf5` weights or full-model files
  // (topological order, or by name), or the interim checkpoint format (`.keras`: not yet,
  // NotImplementedError). ValueError when a
  // weight count or a shape differs; IOError for a missing or corrupt file. The model is
  // left unchanged when loading fails.
  void load_weights(const std::string& filepath);
  void load_weights(const std::string& filepath, const LoadWeightsOptions& options);

  // Set by a callback in on_train_begin (BackupAndRestore) to resume fit at this epoch.
  std::optional<std::int64_t> resume_epoch;

  // ---- Saving (src/saving/; keras/saving.hpp has load_model) ----
  // Keras's model.save: a `.keras` archive or a legacy `.h5`/`.hdf5` full-model file by
  // the extension, written atomically. ValueError for other extensions.
  void save(const std::string& filepath, const SaveOptions& options = {}) const;
  // Keras 3's model.to_json(): {"module", "class_name", "config", "registered_name"}.
  std::string to_json() const;
  // The compile arguments as Keras 3's compile_config (null when not compiled), and
  // compile() from such a config (names of custom losses and metrics resolved through the
  // registered custom objects).
  json get_compile_config() const;
  void compile_from_config(const json& config);

  // Prints Keras 3's summary table (see keras/utils/summary.hpp).
  void summary(const SummaryOptions& options = {}) const;

  // Set by a callback to end fit after the current batch's epoch.
  bool stop_training = false;
  // The History of the latest fit.
  std::shared_ptr<callbacks::History> history;

 protected:
  // Makes this model functional (Sequential rebuilds its graph as layers are added).
  void set_graph(const Tensors& inputs, const Tensors& outputs);
  void clear_graph();
  const graph::Functional* graph() const { return graph_.get(); }

 private:
  friend std::string utils::summary_text(const Model& model, const SummaryOptions& options);
  friend struct ModelAccess;
  friend struct trainers::PlanAccess;
  trainers::TrainerState& trainer() const;

  Tensors output_masks_;
  std::unique_ptr<trainers::TrainerState> trainer_;  // the masks of the latest call's outputs, for compute_mask
  std::shared_ptr<graph::Functional> graph_;
  std::vector<std::string> input_names_;
  std::vector<std::string> output_names_;
  bool named_io_ = false;  // built from name maps: configs list inputs/outputs by name
};

using ModelPtr = LayerRef<Model>;

// A functional model on the heap, usable as a layer of another model.
inline ModelPtr make_model(const Tensors& inputs, const Tensors& outputs, const ModelOptions& options = {}) {
  return make_layer<Model>(inputs, outputs, options);
}

}  // namespace keras
