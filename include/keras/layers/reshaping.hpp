#pragma once
// Spatial reshaping layers (keras.layers.UpSampling1D, UpSampling2D, ZeroPadding2D,
// Cropping2D): they resize, pad or crop the spatial axes of images and sequences. Written
// in keras::ops; no weights. (Flatten, Reshape, Permute and RepeatVector are in core.hpp.)
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

// (before, after) for each spatial axis: ((top, bottom), (left, right)) for images.
using SpatialPairs = std::vector<std::pair<std::int64_t, std::int64_t>>;

// ---- UpSampling1D, UpSampling2D ------------------------------------------------------

using UpSampling1DOptions = LayerOptions;

// Repeats each time step `size` times: (batch, steps, features) -> (batch, steps * size,
// features).
class UpSampling1DLayer final : public Layer {
 public:
  explicit UpSampling1DLayer(std::int64_t size = 2, const UpSampling1DOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  json get_config() const override;
  std::string class_name() const override { return "UpSampling1D"; }
  // Also reads Keras 1's `length`.
  static LayerRef<UpSampling1DLayer> from_config(const json& config);
  std::int64_t size() const { return size_; }

 private:
  std::int64_t size_;
};

struct UpSampling2DOptions {
  std::string data_format;                // empty: "channels_last"
  std::string interpolation = "nearest";  // "nearest" or "bilinear"
  KERAS_LAYER_BASE_OPTIONS
};

// Scales rows by size[0] and columns by size[1]: "nearest" repeats each row and column
// (not tiling); "bilinear" resizes with half-pixel centres (keras.ops.image.resize).
class UpSampling2DLayer final : public Layer {
 public:
  explicit UpSampling2DLayer(const std::vector<std::int64_t>& size = {2, 2}, const UpSampling2DOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  json get_config() const override;
  std::string class_name() const override { return "UpSampling2D"; }
  // Also reads Keras 1's dim_ordering.
  static LayerRef<UpSampling2DLayer> from_config(const json& config);
  const std::vector<std::int64_t>& size() const { return size_; }
  const UpSampling2DOptions& options() const { return options_; }  // standardized

 private:
  std::vector<std::int64_t> size_;
  UpSampling2DOptions options_;
};

inline LayerRef<UpSampling1DLayer> UpSampling1D(std::int64_t size = 2, const UpSampling1DOptions& options = {}) {
  return make_layer<UpSampling1DLayer>(size, options);
}
inline LayerRef<UpSampling2DLayer> UpSampling2D(std::vector<std::int64_t> size = {2, 2},
                                                const UpSampling2DOptions& options = {}) {
  return make_layer<UpSampling2DLayer>(size, options);
}
inline LayerRef<UpSampling2DLayer> UpSampling2D(std::int64_t size, const UpSampling2DOptions& options = {}) {
  return make_layer<UpSampling2DLayer>(std::vector<std::int64_t>{size}, options);
}

// ---- ZeroPadding2D, Cropping2D -------------------------------------------------------

// How much to pad or crop, in Keras's three forms: one number for all four sides ({{1}}),
// one per axis for both its sides ({{h}, {w}}), or a pair per axis ({{top, bottom},
// {left, right}}). The factories below take each form directly.
using SpatialAmounts = std::vector<std::vector<std::int64_t>>;

struct ZeroPadding2DOptions {
  std::string data_format;  // empty: "channels_last"
  KERAS_LAYER_BASE_OPTIONS
};

class ZeroPadding2DLayer final : public Layer {
 public:
  explicit ZeroPadding2DLayer(const SpatialAmounts& padding = {{1}}, const ZeroPadding2DOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  json get_config() const override;
  std::string class_name() const override { return "ZeroPadding2D"; }
  static LayerRef<ZeroPadding2DLayer> from_config(const json& config);
  const SpatialPairs& padding() const { return padding_; }
  const ZeroPadding2DOptions& options() const { return options_; }

 private:
  SpatialPairs padding_;
  ZeroPadding2DOptions options_;
};

using Cropping2DOptions = ZeroPadding2DOptions;

class Cropping2DLayer final : public Layer {
 public:
  explicit Cropping2DLayer(const SpatialAmounts& cropping = {{0}}, const Cropping2DOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  json get_config() const override;
  std::string class_name() const override { return "Cropping2D"; }
  static LayerRef<Cropping2DLayer> from_config(const json& config);
  const SpatialPairs& cropping() const { return cropping_; }
  const Cropping2DOptions& options() const { return options_; }

 private:
  SpatialPairs cropping_;
  Cropping2DOptions options_;
};

// ZeroPadding2D(1), ZeroPadding2D({1, 2}) (rows, columns), ZeroPadding2D({{1, 2}, {3, 4}}).
inline LayerRef<ZeroPadding2DLayer> ZeroPadding2D(std::int64_t padding = 1, const ZeroPadding2DOptions& options = {}) {
  return make_layer<ZeroPadding2DLayer>(SpatialAmounts{{padding}}, options);
}
inline LayerRef<ZeroPadding2DLayer> ZeroPadding2D(const std::vector<std::int64_t>& padding,
                                                  const ZeroPadding2DOptions& options = {}) {
  SpatialAmounts rows;
  for (auto p : padding) rows.push_back({p});
  return make_layer<ZeroPadding2DLayer>(rows, options);
}
inline LayerRef<ZeroPadding2DLayer> ZeroPadding2D(const SpatialAmounts& padding, const ZeroPadding2DOptions& options = {}) {
  return make_layer<ZeroPadding2DLayer>(padding, options);
}
// Cropping2D(1), Cropping2D({1, 2}) (rows, columns), Cropping2D({{1, 2}, {3, 4}}).
inline LayerRef<Cropping2DLayer> Cropping2D(std::int64_t cropping = 0, const Cropping2DOptions& options = {}) {
  return make_layer<Cropping2DLayer>(SpatialAmounts{{cropping}}, options);
}
inline LayerRef<Cropping2DLayer> Cropping2D(const std::vector<std::int64_t>& cropping,
                                            const Cropping2DOptions& options = {}) {
  SpatialAmounts rows;
  for (auto c : cropping) rows.push_back({c});
  return make_layer<Cropping2DLayer>(rows, options);
}
inline LayerRef<Cropping2DLayer> Cropping2D(const SpatialAmounts& cropping, const Cropping2DOptions& options = {}) {
  return make_layer<Cropping2DLayer>(cropping, options);
}

}  // namespace keras::layers
