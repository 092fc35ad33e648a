#pragma once
// The custom objects registered by name for every load (keras::saving::register_*), and
// the name lookups shared by the loaders and by losses::get / metrics::get, which resolve
// registered names too (Keras's register_keras_serializable makes a name usable in
// compile()).
#include <map>
#include <optional>
#include <string>

#include "keras/layers/lambda.hpp"
#include "keras/losses/loss.hpp"
#include "keras/metrics/metric.hpp"

namespace keras::saving::detail {

// "Package>Name" -> "Name": Keras's registered names carry a package prefix.
std::string short_name(const std::string& name);

// The entry of `map` under `name` or under its short name; null when neither is there.
template <class Map>
const typename Map::mapped_type* lookup(const Map& map, const std::string& name) {
  auto it = map.find(name);
  if (it == map.end()) it = map.find(short_name(name));
  return it == map.end() ? nullptr : &it->second;
}

std::optional<layers::LambdaFunction> registered_function(const std::string& name);
std::optional<losses::LossArg> registered_loss(const std::string& name);
std::optional<metrics::MetricArg> registered_metric(const std::string& name);

}  // namespace keras::saving::detail
