#include "saving/registry.hpp"

#include <mutex>

#include "keras/saving.hpp"

namespace keras::saving {

namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, layers::LambdaFunction> functions;
  std::map<std::string, losses::LossArg> losses;
  std::map<std::string, metrics::MetricArg> metrics;
};

Registry& registry() {
  static Registry r;
  return r;
}

template <class Map, class T>
std::optional<T> find(Map Registry::*member, const std::string& name) {
  std::lock_guard<std::mutex> lock(registry().mutex);
  if (const auto* found = detail::lookup(registry().*member, name)) return *found;
  return std::nullopt;
}

}  // namespace

void register_function(const std::string& name, layers::LambdaFunction function) {
  std::lock_guard<std::mutex> lock(registry().mutex);
  registry().functions.insert_or_assign(name, std::move(function));
}

void register_loss(const std::string& name, losses::LossArg loss) {
  std::lock_guard<std::mutex> lock(registry().mutex);
  registry().losses.insert_or_assign(name, std::move(loss));
}

void register_metric(const std::string& name, metrics::MetricArg metric) {
  std::lock_guard<std::mutex> lock(registry().mutex);
  registry().metrics.insert_or_assign(name, std::move(metric));
}

}  // namespace keras::saving

namespace keras::saving::detail {

std::string short_name(const std::string& name) {
  const auto pos = name.rfind('>');
  return pos == std::string::npos ? name : name.substr(pos + 1);
}

std::optional<layers::LambdaFunction> registered_function(const std::string& name) {
  return find<std::map<std::string, layers::LambdaFunction>, layers::LambdaFunction>(&Registry::functions, name);
}

std::optional<losses::LossArg> registered_loss(const std::string& name) {
  return find<std::map<std::string, losses::LossArg>, losses::LossArg>(&Registry::losses, name);
}

std::optional<metrics::MetricArg> registered_metric(const std::string& name) {
  return find<std::map<std::string, metrics::MetricArg>, metrics::MetricArg>(&Registry::metrics, name);
}

}  // namespace keras::saving::detail
