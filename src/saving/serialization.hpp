#pragma once
// Model configs: writing Keras 3's (and, for legacy .h5 files, Keras 3's legacy) dialect,
// and reading the Keras 1, 2 and 3 dialects back into models. See docs/architecture.md,
// "Saving and loading", and formats.md §3.3.
#include <string>

#include "keras/model.hpp"
#include "keras/saving.hpp"

namespace keras::saving::detail {

// How a model's layers are written: Keras 3's `.keras`/JSON form ({"module", "class_name",
// "config", "registered_name", "build_config"}), or the legacy form Keras 3 writes into
// `.h5` files ({"class_name", "config"} per layer entry).
enum class Dialect { keras3, legacy };

// {"class_name": "Functional"|"Sequential"|..., "config": {...}} (plus module,
// registered_name and build_config in the Keras 3 dialect). ValueError for what cannot be
// written: an op called on symbolic tensors, a Lambda without a function_name, a
// subclassed model whose class is not registered.
json serialize_model(const Model& model, Dialect dialect);
// The inner config of a functional model or a Sequential (Model::get_config).
json model_inner_config(const Model& model, Dialect dialect);

// The lookups a load uses: the caller's custom objects first, then the registered ones.
// `keras2`: the file was written by Keras 1 or 2, whose "hard_sigmoid" differs from
// Keras 3's; its layers get legacy_hard_sigmoid instead, so they predict as they did.
class ObjectScope {
 public:
  explicit ObjectScope(const CustomObjects& custom, bool keras2 = false) : custom_(custom), keras2_(keras2) {}
  bool keras2() const { return keras2_; }
  LayerPtr layer(const std::string& class_name, const std::string& registered_name, const json& config) const;
  layers::LambdaFunction function(const std::string& name, const std::string& layer_name) const;
  std::optional<losses::LossArg> loss(const std::string& name) const;
  std::optional<metrics::MetricArg> metric(const std::string& name) const;

 private:
  const CustomObjects& custom_;
  bool keras2_;
};

// A model from {"class_name", "config"} in any dialect (a bare list: Keras 1/2.1's
// Sequential). ValueError naming what is wrong for a malformed config.
ModelPtr deserialize_model(const json& data, const ObjectScope& scope);

}  // namespace keras::saving::detail
