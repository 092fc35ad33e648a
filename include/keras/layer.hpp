#pragma once
// keras::Layer: the base of every layer and model. A layer owns weights (Variables),
// builds them on its first call from the input shapes, and maps input tensors to output
// tensors in `call`. Calling a layer on symbolic tensors (keras::Input and what grows from
// it) records a node of the functional graph; calling it on data runs it (Keras 3).
//
// Layers live on the heap and are shared: the library's factories (`layers::Dense(8)`)
// return a LayerRef, a shared pointer that can also be called; custom layers subclass
// Layer and are made with `keras::make_layer<MyLayer>(args...)`.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keras/constraints.hpp"
#include "keras/initializers.hpp"
#include "keras/regularizers.hpp"
#include "keras/tensor.hpp"
#include "keras/variable.hpp"

namespace keras {

using Tensors = std::vector<Tensor>;
using json = nlohmann::json;

// A layer's outputs: one or several tensors. Converts to a Tensor when there is exactly one,
// so `Tensor y = layer(x);` reads as in Keras.
class Outputs : public Tensors {
 public:
  using Tensors::Tensors;
  Outputs(Tensors tensors) : Tensors(std::move(tensors)) {}  // NOLINT: a list is outputs
  operator Tensor() const;  // NOLINT: one output is a tensor; throws ValueError otherwise
  // The single output's shape and dtype (`layer(x).shape()`, as in Keras).
  const Shape& shape() const { return single().shape(); }
  DType dtype() const { return single().dtype(); }

 private:
  const Tensor& single() const;
};

// The arguments a caller may give besides the inputs (Keras's `training=` and `mask=`).
struct CallArgs {
  std::optional<bool> training;  // unset: inherit from the enclosing call (default false)
  Tensors mask;                  // one per input (undefined: none); empty: the inputs' own masks
};

// What `call` receives besides its inputs.
struct CallContext {
  bool training = false;
  Tensors masks;  // one per input; undefined where an input has no mask
};

// The options every layer takes (Keras's base-layer keyword arguments). Layer option
// structs repeat these fields through KERAS_LAYER_BASE_OPTIONS, because a designated
// initializer cannot reach into a base struct.
#define KERAS_LAYER_BASE_OPTIONS                                                \
  std::string name;                     /* empty: an automatic unique name */  \
  bool trainable = true;                                                        \
  std::optional<DType> dtype;           /* the weights' dtype; floatx */        \
  Shape input_shape;                    /* without the batch axis; empty: none */ \
  std::optional<std::int64_t> batch_size;

struct LayerOptions {
  KERAS_LAYER_BASE_OPTIONS
};

// The base fields of any layer options struct.
template <class Options>
LayerOptions base_options(const Options& o) {
  return LayerOptions{.name = o.name,
                      .trainable = o.trainable,
                      .dtype = o.dtype,
                      .input_shape = o.input_shape,
                      .batch_size = o.batch_size};
}

struct WeightOptions {
  initializers::InitializerArg initializer = "glorot_uniform";
  bool trainable = true;
  regularizers::RegularizerArg regularizer;
  constraints::ConstraintArg constraint;
  std::optional<DType> dtype;  // unset: the layer's dtype
};

namespace detail {
struct Node;
}

class Layer : public std::enable_shared_from_this<Layer> {
 public:
  explicit Layer(const LayerOptions& options = {});
  virtual ~Layer();
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  // Keras's __call__: builds on first use, then runs `call` on data or records a node on
  // symbolic tensors. A list argument reaches `call` as a list of that many inputs.
  Outputs operator()(const Tensor& inputs, const CallArgs& args = {});
  Outputs operator()(const Tensors& inputs, const CallArgs& args = {});
  Outputs operator()(std::initializer_list<Tensor> inputs, const CallArgs& args = {});

  // Creates the weights for inputs of these shapes (batch axis first, -1 unknown). The
  // default creates none. Called once, before the first call.
  virtual void build(const std::vector<Shape>& input_shapes);
  // The layer's computation: one output per result. Inputs are data or symbolic probes;
  // write it in keras::ops and autodiff differentiates it.
  virtual Tensors call(const Tensors& inputs, const CallContext& context) = 0;
  // Output shapes for inputs of these shapes. The default runs `call` on shape-only
  // tensors, so layers rarely need to override it.
  virtual std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes);
  // The output masks. The default passes the first input's mask on when the layer
  // supports masking, and gives none otherwise.
  virtual Tensors compute_mask(const Tensors& inputs, const Tensors& masks);

  // Keras's class name ("Dense"); custom layers override it for summaries and configs.
  virtual std::string class_name() const = 0;
  // The constructor arguments as Keras's config dict (name, trainable, dtype, ...).
  virtual json get_config() const;

  const std::string& name() const { return name_; }
  bool trainable() const { return trainable_; }
  virtual void set_trainable(bool trainable);
  bool built() const { return built_; }
  DType dtype() const { return dtype_; }
  bool supports_masking() const { return supports_masking_; }

  // Creates and tracks a weight; its name within the layer is `name` ("kernel").
  Variable add_weight(const std::string& name, const Shape& shape, const WeightOptions& options = {});
  // This layer's weights then those of its tracked sub-layers, in creation order
  // (Keras's order, which saved files follow).
  std::vector<Variable> weights() const;
  std::vector<Variable> trainable_weights() const;
  std::vector<Variable> non_trainable_weights() const;
  // Weight values as tensors, and setting them (shapes must match).
  Tensors get_weights() const;
  void set_weights(const Tensors& values);

  // Adds a loss term during `call` (Keras's add_loss); `losses()` gives the terms of the
  // latest call, this layer's and its sub-layers', plus weight-regularization penalties.
  void add_loss(const Tensor& loss);
  Tensors losses() const;

  // Tracks a sub-layer (an attribute in Keras), so its weights and losses count here.
  // `attribute` is the Keras attribute name ("cell", "forward_layer"): weight files store
  // the sub-layer's state under it. Unnamed sub-layers are stored in a `layers` list.
  template <class L>
  std::shared_ptr<L> track(std::shared_ptr<L> layer, const std::string& attribute = {}) {
    track_layer(layer, attribute);
    return layer;
  }
  void track_layer(std::shared_ptr<Layer> layer, const std::string& attribute = {});
  const std::vector<std::shared_ptr<Layer>>& tracked_layers() const { return sublayers_; }
  // The attribute name each tracked layer was given (empty when none), in tracking order.
  const std::vector<std::string>& tracked_attributes() const { return sublayer_attributes_; }

  // The functional-graph nodes made by calling this layer on symbolic tensors.
  std::vector<std::shared_ptr<detail::Node>> inbound_nodes() const;
  // The symbolic input/output of the layer's first node (Keras's layer.input/.output);
  // ValueError when it has none.
  Tensor input() const;
  Tensor output() const;
  // The batch input shape given by `input_shape`/`batch_size` (Sequential's first layer).
  std::optional<Shape> batch_input_shape() const;

  // Builds now from the shapes unless already built (Keras's layer.build(shape)).
  void build_once(const std::vector<Shape>& input_shapes);
  // Clears the add_loss terms of this layer and its sub-layers (start of a new outer call).
  void clear_losses();

 protected:
  // Set by layers whose `call` honours masks (Keras's supports_masking).
  void set_supports_masking(bool value) { supports_masking_ = value; }
  // Output shapes the layer states instead of inferring them (Lambda's output_shape);
  // nullopt (the default) infers them by running `call` on shape-only tensors.
  virtual std::optional<std::vector<Shape>> declared_output_shape(const std::vector<Shape>& input_shapes) const;
  // The input shapes `build` ran with.
  const std::vector<Shape>& build_shapes() const { return build_shapes_; }
  void set_name(const std::string& name) { name_ = name; }
  // Forgets the build (Sequential rebuilds when its layers change).
  void reset_built() { built_ = false; }
  void clear_tracked_layers() {
    sublayers_.clear();
    sublayer_attributes_.clear();
  }

 private:
  friend struct LayerAccess;
  Outputs call_symbolic(const Tensors& inputs, const CallArgs& args, bool list_input);
  Outputs call_eager(const Tensors& inputs, const CallArgs& args, bool list_input);

  std::string name_;
  bool trainable_ = true;
  bool built_ = false;
  bool supports_masking_ = false;
  DType dtype_;
  Shape input_shape_;
  std::optional<std::int64_t> batch_size_;
  std::vector<Shape> build_shapes_;
  std::vector<Variable> weights_;
  std::vector<std::pair<Variable, regularizers::RegularizerPtr>> regularized_;
  std::vector<std::pair<Variable, constraints::ConstraintPtr>> constrained_;
  std::vector<std::shared_ptr<Layer>> sublayers_;
  std::vector<std::string> sublayer_attributes_;
  std::vector<std::weak_ptr<detail::Node>> nodes_;
  Tensors losses_;

 public:
  // The (variable, constraint) pairs an optimizer applies after each update.
  const std::vector<std::pair<Variable, constraints::ConstraintPtr>>& constraints() const {
    return constrained_;
  }
};

// A shared handle to a layer of type L that can be called like the layer itself:
// `auto dense = layers::Dense(8); Tensor y = dense(x); dense->kernel();`.
template <class L>
class LayerRef : public std::shared_ptr<L> {
 public:
  LayerRef() = default;
  LayerRef(std::shared_ptr<L> layer) : std::shared_ptr<L>(std::move(layer)) {}  // NOLINT
  template <class U>
  LayerRef(const LayerRef<U>& other) : std::shared_ptr<L>(other) {}  // NOLINT: upcast

  Outputs operator()(const Tensor& inputs, const CallArgs& args = {}) const {
    return (**this)(inputs, args);
  }
  Outputs operator()(const Tensors& inputs, const CallArgs& args = {}) const {
    return (**this)(inputs, args);
  }
  Outputs operator()(std::initializer_list<Tensor> inputs, const CallArgs& args = {}) const {
    return (**this)(inputs, args);
  }
};

using LayerPtr = LayerRef<Layer>;

// Makes a custom layer (or model) on the heap: `auto l = keras::make_layer<MyDense>(32);`.
template <class L, class... Args>
LayerRef<L> make_layer(Args&&... args) {
  return LayerRef<L>(std::make_shared<L>(std::forward<Args>(args)...));
}

// Keras's automatic names: "dense", "dense_1", ... per snake-cased class name, unique in
// the process until clear_session().
std::string unique_layer_name(const std::string& base);
std::string to_snake_case(const std::string& class_name);

}  // namespace keras

namespace keras::ops {
// Resets automatic layer names (keras.backend.clear_session()).
void clear_session();
}  // namespace keras::ops
