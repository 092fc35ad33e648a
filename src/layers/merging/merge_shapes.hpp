#pragma once
// Shape rules shared by the merge layers: Keras's messages and broadcasting, and the
// adjustment of shape-only probe tensors.
//
// Why the probe adjustment: a symbolic call runs the layer on probe tensors whose unknown
// dimensions are concrete sizes (graph/symbolic.hpp). Keras computes a merge's output
// shape from its rules instead, where None meets any size; so inputs (None, None, 5) and
// (None, 3, 5) are fine for Keras, but their probes (83, 83, 5) and (83, 3, 5) do not
// broadcast. The merge layers therefore state Keras's output shape
// (declared_output_shape) and, only while probing, replace an input whose probe size
// conflicts with another input's by a shape-only tensor of the agreed size. Real data
// never passes through these helpers.
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers::detail {

// A list of shapes as Python prints one: "[(None, 4), (None, 5)]".
std::string shapes_str(const std::vector<Shape>& shapes);

// Keras's Merge._compute_elemwise_op_output_shape, for shapes without the batch axis.
Shape elementwise_shape(const Shape& a, const Shape& b);

// The size each axis (aligned from the right) settles on across probe shapes: the sizes
// other than 1 when they agree, else the largest (a conflict only an unknown dimension
// can cause, since the Keras rules were checked on the symbolic shapes).
Shape probe_broadcast_shape(const std::vector<Shape>& shapes);

// While probing: t itself when its shape is `shape`, else a shape-only tensor of `shape`
// and t's dtype. Outside a probe: t.
Tensor fit_probe(const Tensor& t, const Shape& shape);

// While probing: each tensor with its sizes other than 1 set to probe_broadcast_shape's,
// so that the list broadcasts. Outside a probe: the tensors as they are.
Tensors fit_probes_for_broadcast(const Tensors& tensors);

// The first n dimensions of shape.
Shape leading(const Shape& shape, std::size_t n);

}  // namespace keras::layers::detail
