#pragma once
// Symbolic execution. A symbolic tensor's shape may hold unknown dimensions (None, -1),
// which no kernel can take; so a layer or op is run twice on shape-only (meta device)
// "probe" tensors whose unknown dimensions are two different sizes, and an output
// dimension that differs between the two runs is unknown. This is Keras's own trick for
// its JAX backend (compute_output_spec), and it means no op or layer writes shape rules
// twice: the shape logic the kernels already run is the shape inference.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "graph/node.hpp"
#include "keras/layer.hpp"

namespace keras::graph {

bool is_symbolic(const Tensor& t);
// Whether `layer` records an op called on symbolic tensors (symbolic_op below).
bool is_op_layer(const Layer& layer);
bool any_symbolic(const Tensors& tensors);

// A new symbolic tensor (no data) with this shape, dtype and history (null: a tensor that
// belongs to no graph, such as a mask); `id` 0 draws a fresh id.
Tensor make_symbolic(const Shape& shape, DType dtype,
                     std::shared_ptr<const detail::KerasHistory> history, std::uint64_t id = 0);

// While alive, tensors are created on the meta device and variables read as meta tensors,
// so a layer's call computes shapes only. Builds still make real weights (real_device()).
class ProbeScope {
 public:
  ProbeScope();
  ~ProbeScope();
  ProbeScope(const ProbeScope&) = delete;
  ProbeScope& operator=(const ProbeScope&) = delete;

 private:
  DeviceScope device_;
};
bool probing();
// The default device outside any probe scope.
Device real_device();

// The output shapes, dtypes and masks of `fn` on symbolic inputs (constants pass through).
struct Spec {
  Shape shape;
  DType dtype;
};
struct Inferred {
  std::vector<Spec> outputs;
  std::vector<std::optional<Spec>> masks;  // one per output; nullopt: no mask
};
using ProbeFn = std::function<std::pair<Tensors, Tensors>(const Tensors& inputs, const Tensors& masks)>;
Inferred infer(const Tensors& inputs, const Tensors& masks, const ProbeFn& fn);

// Records an op called on symbolic tensors as a node of the graph: `fn` recomputes the
// op from its inputs (symbolic ones replaced by data when the model runs). Ops call this
// first: `if (graph::any_symbolic({a, b})) return graph::symbolic_op("add", {a, b}, ...)`.
using OpFn = std::function<Tensors(const Tensors& inputs)>;
Tensors symbolic_op(const std::string& name, const Tensors& inputs, OpFn fn);

}  // namespace keras::graph

// The first statement of an op that returns one tensor: records the op when any input is
// symbolic. EXPR recomputes the op from `in`, the inputs in the order listed after it:
//   KERAS_SYMBOLIC_OP("add", add(in[0], in[1]), a, b);
#define KERAS_SYMBOLIC_OP(NAME, EXPR, ...) \
  KERAS_SYMBOLIC_OP_ON(NAME, (::keras::Tensors{__VA_ARGS__}), EXPR)

// The same with the inputs as one list expression (ops over a list of tensors):
//   KERAS_SYMBOLIC_OP_ON("concatenate", xs, concatenate(in, axis));
#define KERAS_SYMBOLIC_OP_ON(NAME, INPUTS, EXPR)                                              \
  do {                                                                                        \
    const ::keras::Tensors keras_symbolic_inputs_ = INPUTS;                                   \
    if (::keras::graph::any_symbolic(keras_symbolic_inputs_)) {                               \
      return ::keras::graph::symbolic_op(NAME, keras_symbolic_inputs_,                        \
                                         [=](const ::keras::Tensors& in) {                    \
                                           return ::keras::Tensors{EXPR};                     \
                                         })[0];                                               \
    }                                                                                         \
  } while (false)

// For an op that returns a list of tensors (split, ...); EXPR yields a std::vector<Tensor>.
#define KERAS_SYMBOLIC_OP_LIST_ON(NAME, INPUTS, EXPR)                                         \
  do {                                                                                        \
    const ::keras::Tensors keras_symbolic_inputs_ = INPUTS;                                   \
    if (::keras::graph::any_symbolic(keras_symbolic_inputs_)) {                               \
      return ::keras::graph::symbolic_op(NAME, keras_symbolic_inputs_,                        \
                                         [=](const ::keras::Tensors& in) {                    \
                                           return ::keras::Tensors(EXPR);                     \
                                         });                                                  \
    }                                                                                         \
  } while (false)
