// RNN: runs a cell over the timesteps (Keras's RNN layer with its backend's rnn loop).
// The cell projects the whole (time-major) sequence once, then each step does the
// recurrent part; masked steps keep the states and repeat the previous output, as the
// masked branch of Keras 3's backend rnn.
#include "graph/symbolic.hpp"
#include "keras/layer_registry.hpp"
#include "keras/layers/recurrent.hpp"
#include "keras/ops.hpp"
#include "layers/core/activity_regularizer.hpp"
#include "layers/core/input_checks.hpp"
#include "layers/rnn/rnn_config.hpp"
#include "utils/object_config.hpp"

namespace keras::layers {

namespace {

std::string sizes_str(const std::vector<std::int64_t>& sizes) {
  std::string out = "[";
  for (std::size_t i = 0; i < sizes.size(); ++i) out += (i > 0 ? ", " : "") + std::to_string(sizes[i]);
  return out + "]";
}

// Splits a time-major (time, batch, k) tensor into `time` tensors (batch, k): one copy op.
Tensors timesteps_of(const Tensor& x) {
  const Shape& s = x.shape();
  Tensors pieces = s[0] == 1 ? Tensors{x} : ops::split(x, s[0], 0);
  for (auto& p : pieces) p = ops::reshape(p, {s[1], s[2]});
  return pieces;
}

}  // namespace

RNNLayer::RNNLayer(std::shared_ptr<RNNCell> cell, const RNNOptions& options)
    : Layer(base_options(options)), cell_(std::move(cell)), rnn_options_(options) {
  if (!cell_) throw ValueError("Argument `cell` should have a `call` method. Received: cell=None");
  track(cell_, "cell");
  set_supports_masking(true);
}

void RNNLayer::build(const std::vector<Shape>& input_shapes) {
  const Shape& shape = input_shapes.at(0);
  detail::check_input_ndim(*this, shape, 3);
  if (rnn_options_.unroll && shape[1] == kUnknownDim) {
    throw ValueError(
        "Cannot unroll a RNN if the time dimension is undefined. \n- If using a Sequential model, specify the "
        "time dimension by passing an `Input()` as your first layer.\n- If using the functional API, specify the "
        "time dimension by passing a `shape` or `batch_shape` argument to your `Input()`.");
  }
  cell_->build_once({{shape[0], shape[2]}});
  if (rnn_options_.stateful) {
    if (shape[0] == kUnknownDim) {
      throw ValueError("When using `stateful=True` in a RNN, the batch size must be static. Found dynamic batch "
                       "size: sequence.shape=" + shape_str(shape));
    }
    states_ = cell_->get_initial_state(shape[0]);
  }
}

Tensors RNNLayer::initial_states(const Tensors& inputs, std::int64_t batch_size) const {
  const auto sizes = cell_->state_size();
  if (inputs.size() == 1) {
    if (rnn_options_.stateful && !states_.empty()) {
      if (states_.front().dim(0) != batch_size) {
        throw ValueError("Layer \"" + name() + "\" is stateful with batch size " +
                         std::to_string(states_.front().dim(0)) + ", but received a batch of " +
                         std::to_string(batch_size) + " samples.");
      }
      return states_;
    }
    return cell_->get_initial_state(batch_size);
  }
  const Tensors given(inputs.begin() + 1, inputs.end());
  if (given.size() != sizes.size()) {
    throw ValueError("An `initial_state` was passed that is not compatible with `cell.state_size`. Received " +
                     std::to_string(given.size()) + " initial state tensors; however `cell.state_size` is " +
                     sizes_str(sizes));
  }
  for (std::size_t i = 0; i < given.size(); ++i) {
    if (given[i].shape() != Shape{batch_size, sizes[i]}) {
      throw ValueError("Initial state " + std::to_string(i) + " of layer \"" + name() + "\" should have shape " +
                       shape_str({batch_size, sizes[i]}) + ", but it has shape " + shape_str(given[i].shape()));
    }
  }
  return given;
}

Tensors RNNLayer::call(const Tensors& inputs, const CallContext& context) {
  const Tensor& sequences = inputs.at(0);
  detail::check_input_ndim(*this, sequences.shape(), 3);
  const std::int64_t batch = sequences.dim(0);
  const std::int64_t timesteps = sequences.dim(1);
  if (timesteps == 0) throw ValueError("Layer \"" + name() + "\" received a sequence with no timesteps.");
  Tensors states = initial_states(inputs, batch);
  Tensor mask = context.masks.empty() ? Tensor() : context.masks.front();

  Tensor seq = ops::transpose(sequences, {1, 0, 2});
  if (rnn_options_.go_backwards) {
    seq = ops::flip(seq, 0);
    if (mask.defined()) mask = ops::flip(mask, 1);
  }
  Tensors step_masks;
  if (mask.defined()) step_masks = timesteps_of(ops::expand_dims(ops::transpose(mask, {1, 0}), -1));

  const Tensor first_input = ops::reshape(ops::slice(seq, {0, 0, 0}, {1, batch, seq.dim(2)}), {batch, seq.dim(2)});
  rnn_detail::SequenceScope scope(*cell_, first_input, states, context.training);
  const Tensors steps = timesteps_of(cell_->project_inputs(seq, context.training));

  Tensors outputs;
  if (rnn_options_.return_sequences) outputs.reserve(static_cast<std::size_t>(timesteps));
  Tensor last;
  for (std::int64_t t = 0; t < timesteps; ++t) {
    Tensors result = cell_->step(steps[static_cast<std::size_t>(t)], states, context.training);
    if (result.size() != 1 + states.size()) {
      throw ValueError("The cell \"" + cell_->name() + "\" returned " + std::to_string(result.size()) +
                       " tensors from step(); expected the output and " + std::to_string(states.size()) +
                       " state(s).");
    }
    Tensor out = result.front();
    Tensors next(result.begin() + 1, result.end());
    if (mask.defined()) {
      // A masked step keeps the states and outputs the previous first state (zeros with
      // zero_output_for_mask).
      const Tensor& m = step_masks[static_cast<std::size_t>(t)];
      out = rnn_options_.zero_output_for_mask ? ops::where(m, out, 0.0) : ops::where(m, out, states.front());
      for (std::size_t s = 0; s < next.size(); ++s) next[s] = ops::where(m, next[s], states[s]);
    }
    states = std::move(next);
    if (rnn_options_.return_sequences) outputs.push_back(out);
    last = std::move(out);
  }

  if (rnn_options_.stateful && !graph::probing()) {
    states_.clear();
    for (const auto& s : states) states_.push_back(ops::stop_gradient(s));
  }
  Tensors results{rnn_options_.return_sequences ? ops::stack(outputs, 1) : last};
  if (rnn_options_.return_state) results.insert(results.end(), states.begin(), states.end());
  for (const auto& r : results) detail::add_activity_loss(*this, activity_regularizer_, r);
  return results;
}

Tensors RNNLayer::compute_mask(const Tensors&, const Tensors& masks) {
  const Tensor mask = masks.empty() ? Tensor() : masks.front();
  Tensors out{rnn_options_.return_sequences ? mask : Tensor()};
  if (rnn_options_.return_state) out.resize(1 + cell_->state_size().size());
  return out;
}

void RNNLayer::reset_states() {
  for (auto& s : states_) s = ops::zeros_like(s);
}

json RNNLayer::rnn_config() const {
  json config = Layer::get_config();
  rnn_detail::write_layer_config(config, rnn_options_);
  return config;
}

json RNNLayer::get_config() const {
  json config = rnn_config();
  config["cell"] = detail::keras_object("keras.layers", cell_->class_name(), cell_->get_config());
  return config;
}

LayerRef<RNNLayer> RNNLayer::from_config(const json& config) {
  const detail::LayerConfig c(config, "RNN");
  RNNOptions o;
  rnn_detail::read_base_config(c, o);
  rnn_detail::read_layer_config(c, o);
  const json* cell_config = c.find({"cell"});
  if (cell_config == nullptr) throw ValueError("RNN.from_config: the config has no 'cell'. Config: " + config.dump());
  if (cell_config->is_array()) {
    throw NotImplementedError("RNN.from_config: a list of cells (StackedRNNCells) is not supported");
  }
  const auto id = detail::parse_object_dict(*cell_config, "layer");
  auto cell = std::dynamic_pointer_cast<RNNCell>(layer_from_config(id.class_name, id.config));
  if (!cell) {
    throw ValueError("The RNN cell should be an RNNCell with a `state_size` (single integer or list of integers, "
                     "one integer per RNN state). Received: cell=" + id.class_name);
  }
  return RNN(std::move(cell), o);
}

}  // namespace keras::layers
