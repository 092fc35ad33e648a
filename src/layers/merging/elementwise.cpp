// Add, Subtract, Multiply, Average, Maximum, Minimum: the merge functions over inputs of
// one rank, with Keras 3's treatment of masked entries.
#include "keras/layers/merging.hpp"
#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "layers/merging/merge_shapes.hpp"

namespace keras::layers {

namespace {

// A mask of x's leading dimensions, stretched over x's last axis.
Tensor mask_like(const Tensor& mask, const Tensor& x) {
  return ops::broadcast_to(ops::expand_dims(ops::cast(mask, DType::bool_), -1), x.shape());
}

// Keras's _apply_merge_op_and_or_mask (Maximum, Minimum): a masked entry of one operand
// takes the other operand's value, so the op leaves the unmasked value.
Tensor merge_skipping_masked(const Tensors& inputs, const Tensors& masks, Tensor (*op)(const Tensor&, const Tensor&)) {
  Tensor output;
  Tensor output_mask;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Tensor x = inputs[i];
    const Tensor mask = masks[i].defined() ? mask_like(masks[i], x) : Tensor();
    if (!output.defined()) {
      output = x;
      output_mask = mask;
      continue;
    }
    if (mask.defined()) x = ops::where(mask, x, output);
    if (output_mask.defined()) output = ops::where(output_mask, output, x);
    output_mask = mask.defined() && output_mask.defined() ? ops::logical_or(output_mask, mask) : Tensor();
    output = op(output, x);
  }
  return output;
}

template <class L>
LayerRef<L> merge_from_config(const json& config, const std::string& class_name) {
  keras::detail::LayerConfigReader reader(config, class_name);
  const LayerOptions b = reader.base();
  reader.finish();
  return make_layer<L>(MergeOptions{
      .name = b.name, .trainable = b.trainable, .dtype = b.dtype, .input_shape = b.input_shape, .batch_size = b.batch_size});
}

Tensor sum_of(const Tensors& inputs) {
  Tensor output = inputs.front();
  for (std::size_t i = 1; i < inputs.size(); ++i) output = ops::add(output, inputs[i]);
  return output;
}

}  // namespace

AddLayer::AddLayer(const MergeOptions& options) : MergeLayer(base_options(options)) {}

Tensor AddLayer::merge(const Tensors& inputs, const Tensors&) const { return sum_of(inputs); }

LayerRef<AddLayer> AddLayer::from_config(const json& config) { return merge_from_config<AddLayer>(config, "Add"); }

SubtractLayer::SubtractLayer(const MergeOptions& options) : MergeLayer(base_options(options)) {}

void SubtractLayer::build(const std::vector<Shape>& input_shapes) {
  MergeLayer::build(input_shapes);
  if (input_shapes.size() != 2) {
    throw ValueError("A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape=" +
                     detail::shapes_str(input_shapes));
  }
}

Tensor SubtractLayer::merge(const Tensors& inputs, const Tensors&) const {
  if (inputs.size() != 2) {
    throw ValueError("A `Subtract` layer should be called on exactly 2 inputs. Received " +
                     std::to_string(inputs.size()) + " inputs");
  }
  return ops::subtract(inputs[0], inputs[1]);
}

LayerRef<SubtractLayer> SubtractLayer::from_config(const json& config) {
  return merge_from_config<SubtractLayer>(config, "Subtract");
}

MultiplyLayer::MultiplyLayer(const MergeOptions& options) : MergeLayer(base_options(options)) {}

// Masked entries are replaced by 1; when every input has a mask, the product is zeroed
// where all of them are masked.
Tensor MultiplyLayer::merge(const Tensors& inputs, const Tensors& masks) const {
  const bool all_masked = std::all_of(masks.begin(), masks.end(), [](const Tensor& m) { return m.defined(); });
  Tensor output;
  Tensor output_mask;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Tensor x = inputs[i];
    if (masks[i].defined()) {
      const Tensor mask = mask_like(masks[i], x);
      x = ops::where(mask, x, 1);
      if (all_masked) output_mask = output_mask.defined() ? ops::logical_or(output_mask, mask) : mask;
    }
    output = output.defined() ? ops::multiply(output, x) : x;
  }
  return all_masked ? ops::where(output_mask, output, 0) : output;
}

LayerRef<MultiplyLayer> MultiplyLayer::from_config(const json& config) {
  return merge_from_config<MultiplyLayer>(config, "Multiply");
}

AverageLayer::AverageLayer(const MergeOptions& options) : MergeLayer(base_options(options)) {}

Tensor AverageLayer::merge(const Tensors& inputs, const Tensors&) const {
  return ops::divide(sum_of(inputs), static_cast<int>(inputs.size()));
}

LayerRef<AverageLayer> AverageLayer::from_config(const json& config) {
  return merge_from_config<AverageLayer>(config, "Average");
}

MaximumLayer::MaximumLayer(const MergeOptions& options) : MergeLayer(base_options(options)) {}

Tensor MaximumLayer::merge(const Tensors& inputs, const Tensors& masks) const {
  return merge_skipping_masked(inputs, masks, ops::maximum);
}

LayerRef<MaximumLayer> MaximumLayer::from_config(const json& config) {
  return merge_from_config<MaximumLayer>(config, "Maximum");
}

MinimumLayer::MinimumLayer(const MergeOptions& options) : MergeLayer(base_options(options)) {}

Tensor MinimumLayer::merge(const Tensors& inputs, const Tensors& masks) const {
  return merge_skipping_masked(inputs, masks, ops::minimum);
}

LayerRef<MinimumLayer> MinimumLayer::from_config(const json& config) {
  return merge_from_config<MinimumLayer>(config, "Minimum");
}

}  // namespace keras::layers
