#pragma once
// Pooling layers (keras.layers.MaxPooling1D/2D, AveragePooling1D/2D and the global
// poolings GlobalMaxPooling1D/2D, GlobalAveragePooling1D/2D), with Keras's aliases
// (MaxPool2D, AvgPool2D, GlobalAvgPool2D, ...). Written in keras::ops; no weights.
#include <cstdint>
#include <string>
#include <vector>

#include "keras/layer.hpp"

namespace keras::layers {

// ---- windowed pooling ----------------------------------------------------------------

struct PoolingOptions {
  std::vector<std::int64_t> strides;  // one or one per axis; empty: pool_size (Keras's None)
  std::string padding = "valid";      // "valid" or "same"
  std::string data_format;            // empty: "channels_last"
  KERAS_LAYER_BASE_OPTIONS
};
using MaxPooling1DOptions = PoolingOptions;
using MaxPooling2DOptions = PoolingOptions;
using AveragePooling1DOptions = PoolingOptions;
using AveragePooling2DOptions = PoolingOptions;

// Keras's BasePooling: a max or average over windows of pool_size. With "same" padding
// the padded positions never win a max and are left out of each average.
class BasePoolingLayer : public Layer {
 public:
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  json get_config() const override;

  int rank() const { return rank_; }
  const std::vector<std::int64_t>& pool_size() const { return pool_size_; }
  const PoolingOptions& options() const { return options_; }  // standardized

 protected:
  BasePoolingLayer(int rank, bool max, const std::vector<std::int64_t>& pool_size, const PoolingOptions& options);

 private:
  int rank_;
  bool max_;
  std::vector<std::int64_t> pool_size_;
  PoolingOptions options_;
};

class MaxPooling1DLayer final : public BasePoolingLayer {
 public:
  explicit MaxPooling1DLayer(const std::vector<std::int64_t>& pool_size = {2}, const PoolingOptions& options = {});
  std::string class_name() const override { return "MaxPooling1D"; }
  // Also reads Keras 1's pool_length, stride and border_mode.
  static LayerRef<MaxPooling1DLayer> from_config(const json& config);
};

class MaxPooling2DLayer final : public BasePoolingLayer {
 public:
  explicit MaxPooling2DLayer(const std::vector<std::int64_t>& pool_size = {2, 2}, const PoolingOptions& options = {});
  std::string class_name() const override { return "MaxPooling2D"; }
  // Also reads Keras 1's border_mode and dim_ordering.
  static LayerRef<MaxPooling2DLayer> from_config(const json& config);
};

class AveragePooling1DLayer final : public BasePoolingLayer {
 public:
  explicit AveragePooling1DLayer(const std::vector<std::int64_t>& pool_size, const PoolingOptions& options = {});
  std::string class_name() const override { return "AveragePooling1D"; }
  static LayerRef<AveragePooling1DLayer> from_config(const json& config);
};

class AveragePooling2DLayer final : public BasePoolingLayer {
 public:
  explicit AveragePooling2DLayer(const std::vector<std::int64_t>& pool_size, const PoolingOptions& options = {});
  std::string class_name() const override { return "AveragePooling2D"; }
  static LayerRef<AveragePooling2DLayer> from_config(const json& config);
};

inline LayerRef<MaxPooling1DLayer> MaxPooling1D(std::vector<std::int64_t> pool_size = {2},
                                                const PoolingOptions& options = {}) {
  return make_layer<MaxPooling1DLayer>(pool_size, options);
}
inline LayerRef<MaxPooling1DLayer> MaxPooling1D(std::int64_t pool_size, const PoolingOptions& options = {}) {
  return make_layer<MaxPooling1DLayer>(std::vector<std::int64_t>{pool_size}, options);
}
inline LayerRef<MaxPooling2DLayer> MaxPooling2D(std::vector<std::int64_t> pool_size = {2, 2},
                                                const PoolingOptions& options = {}) {
  return make_layer<MaxPooling2DLayer>(pool_size, options);
}
inline LayerRef<MaxPooling2DLayer> MaxPooling2D(std::int64_t pool_size, const PoolingOptions& options = {}) {
  return make_layer<MaxPooling2DLayer>(std::vector<std::int64_t>{pool_size}, options);
}
// Keras 3's AveragePooling layers have no default pool_size.
inline LayerRef<AveragePooling1DLayer> AveragePooling1D(std::vector<std::int64_t> pool_size,
                                                        const PoolingOptions& options = {}) {
  return make_layer<AveragePooling1DLayer>(pool_size, options);
}
inline LayerRef<AveragePooling1DLayer> AveragePooling1D(std::int64_t pool_size, const PoolingOptions& options = {}) {
  return make_layer<AveragePooling1DLayer>(std::vector<std::int64_t>{pool_size}, options);
}
inline LayerRef<AveragePooling2DLayer> AveragePooling2D(std::vector<std::int64_t> pool_size,
                                                        const PoolingOptions& options = {}) {
  return make_layer<AveragePooling2DLayer>(pool_size, options);
}
inline LayerRef<AveragePooling2DLayer> AveragePooling2D(std::int64_t pool_size, const PoolingOptions& options = {}) {
  return make_layer<AveragePooling2DLayer>(std::vector<std::int64_t>{pool_size}, options);
}
// Keras's aliases.
inline LayerRef<MaxPooling1DLayer> MaxPool1D(std::vector<std::int64_t> pool_size = {2}, const PoolingOptions& options = {}) {
  return MaxPooling1D(std::move(pool_size), options);
}
inline LayerRef<MaxPooling1DLayer> MaxPool1D(std::int64_t pool_size, const PoolingOptions& options = {}) {
  return MaxPooling1D(pool_size, options);
}
inline LayerRef<MaxPooling2DLayer> MaxPool2D(std::vector<std::int64_t> pool_size = {2, 2},
                                             const PoolingOptions& options = {}) {
  return MaxPooling2D(std::move(pool_size), options);
}
inline LayerRef<MaxPooling2DLayer> MaxPool2D(std::int64_t pool_size, const PoolingOptions& options = {}) {
  return MaxPooling2D(pool_size, options);
}
inline LayerRef<AveragePooling1DLayer> AvgPool1D(std::vector<std::int64_t> pool_size, const PoolingOptions& options = {}) {
  return AveragePooling1D(std::move(pool_size), options);
}
inline LayerRef<AveragePooling1DLayer> AvgPool1D(std::int64_t pool_size, const PoolingOptions& options = {}) {
  return AveragePooling1D(pool_size, options);
}
inline LayerRef<AveragePooling2DLayer> AvgPool2D(std::vector<std::int64_t> pool_size, const PoolingOptions& options = {}) {
  return AveragePooling2D(std::move(pool_size), options);
}
inline LayerRef<AveragePooling2DLayer> AvgPool2D(std::int64_t pool_size, const PoolingOptions& options = {}) {
  return AveragePooling2D(pool_size, options);
}

// ---- global pooling ------------------------------------------------------------------

struct GlobalPoolingOptions {
  std::string data_format;  // empty: "channels_last"
  bool keepdims = false;    // keep the spatial axes, with size 1
  KERAS_LAYER_BASE_OPTIONS
};

// Keras's BaseGlobalPooling: a max or mean over every spatial axis.
class BaseGlobalPoolingLayer : public Layer {
 public:
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  json get_config() const override;

  int rank() const { return rank_; }
  const GlobalPoolingOptions& options() const { return options_; }

 protected:
  BaseGlobalPoolingLayer(int rank, bool max, const GlobalPoolingOptions& options);

 private:
  int rank_;
  bool max_;
  GlobalPoolingOptions options_;
};

class GlobalMaxPooling1DLayer final : public BaseGlobalPoolingLayer {
 public:
  explicit GlobalMaxPooling1DLayer(const GlobalPoolingOptions& options = {});
  std::string class_name() const override { return "GlobalMaxPooling1D"; }
  static LayerRef<GlobalMaxPooling1DLayer> from_config(const json& config);
};

class GlobalMaxPooling2DLayer final : public BaseGlobalPoolingLayer {
 public:
  explicit GlobalMaxPooling2DLayer(const GlobalPoolingOptions& options = {});
  std::string class_name() const override { return "GlobalMaxPooling2D"; }
  static LayerRef<GlobalMaxPooling2DLayer> from_config(const json& config);
};

// Supports masking: masked steps are left out of the mean (all masked gives NaN, as in
// Keras), and the output has no mask.
class GlobalAveragePooling1DLayer final : public BaseGlobalPoolingLayer {
 public:
  explicit GlobalAveragePooling1DLayer(const GlobalPoolingOptions& options = {});
  Tensors call(const Tensors& inputs, const CallContext& context) override;
  Tensors compute_mask(const Tensors& inputs, const Tensors& masks) override;
  std::string class_name() const override { return "GlobalAveragePooling1D"; }
  static LayerRef<GlobalAveragePooling1DLayer> from_config(const json& config);
};

class GlobalAveragePooling2DLayer final : public BaseGlobalPoolingLayer {
 public:
  explicit GlobalAveragePooling2DLayer(const GlobalPoolingOptions& options = {});
  std::string class_name() const override { return "GlobalAveragePooling2D"; }
  static LayerRef<GlobalAveragePooling2DLayer> from_config(const json& config);
};

inline LayerRef<GlobalMaxPooling1DLayer> GlobalMaxPooling1D(const GlobalPoolingOptions& options = {}) {
  return make_layer<GlobalMaxPooling1DLayer>(options);
}
inline LayerRef<GlobalMaxPooling2DLayer> GlobalMaxPooling2D(const GlobalPoolingOptions& options = {}) {
  return make_layer<GlobalMaxPooling2DLayer>(options);
}
inline LayerRef<GlobalAveragePooling1DLayer> GlobalAveragePooling1D(const GlobalPoolingOptions& options = {}) {
  return make_layer<GlobalAveragePooling1DLayer>(options);
}
inline LayerRef<GlobalAveragePooling2DLayer> GlobalAveragePooling2D(const GlobalPoolingOptions& options = {}) {
  return make_layer<GlobalAveragePooling2DLayer>(options);
}
inline LayerRef<GlobalMaxPooling1DLayer> GlobalMaxPool1D(const GlobalPoolingOptions& options = {}) {
  return GlobalMaxPooling1D(options);
}
inline LayerRef<GlobalMaxPooling2DLayer> GlobalMaxPool2D(const GlobalPoolingOptions& options = {}) {
  return GlobalMaxPooling2D(options);
}
inline LayerRef<GlobalAveragePooling1DLayer> GlobalAvgPool1D(const GlobalPoolingOptions& options = {}) {
  return GlobalAveragePooling1D(options);
}
inline LayerRef<GlobalAveragePooling2DLayer> GlobalAvgPool2D(const GlobalPoolingOptions& options = {}) {
  return GlobalAveragePooling2D(options);
}

}  // namespace keras::layers
