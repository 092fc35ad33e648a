#pragma once
// Reading and writing the configs of Keras objects (initializers, regularizers,
// constraints): the Keras 3 envelope {"module", "class_name", "config",
// "registered_name"}, identifiers given as a name or a dict, and typed, checked reads of
// a config's fields.
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "keras/errors.hpp"

namespace keras::detail {

// Keras 3's serialize_keras_object for a public Keras class: `module` is the export path
// without the class ("keras.initializers") and registered_name is null.
nlohmann::json keras_object(const std::string& module, const std::string& class_name,
                            nlohmann::json config);

// A double as Python's repr() writes it: shortest round trip, "2.0" rather than "2".
std::string python_float(double value);

// A class name and its config, from a dict {"class_name", "config", ...} (module and
// registered_name are ignored: every class here is a Keras built-in).
struct ObjectIdentifier {
  std::string class_name;
  nlohmann::json config;
};
// Throws TypeError naming `kind` ("initializer") for a dict without a string class_name
// or with a config that is not a dict.
ObjectIdentifier parse_object_dict(const nlohmann::json& identifier, const std::string& kind);

// Reads a config's fields by name with defaults for absent or null ones; finish() throws
// TypeError for keys that no read asked for, as Python's cls(**config) would.
class ConfigReader {
 public:
  ConfigReader(const nlohmann::json& config, std::string class_name);
  double number(const std::string& key, double fallback);
  std::string string(const std::string& key, const std::string& fallback);
  std::optional<std::uint64_t> seed();
  std::optional<std::vector<std::int64_t>> int_list(const std::string& key);
  // An int or a list of ints (a constraint's `axis`).
  std::vector<std::int64_t> int_or_list(const std::string& key, bool& is_list,
                                        std::int64_t fallback);
  void finish() const;

 private:
  const nlohmann::json* find(const std::string& key);
  [[noreturn]] void bad_type(const std::string& key, const char* expected) const;

  const nlohmann::json& config_;
  std::string class_name_;
  std::set<std::string> read_;
};

// A registry: names (class names, snake_case names, aliases) to factories reading a config.
template <class Ptr>
using Registry = std::map<std::string, std::function<Ptr(ConfigReader&)>, std::less<>>;

// Builds the object a dict names; TypeError "Could not locate class ..." for an unknown
// class, as Keras's deserialize_keras_object.
template <class Ptr>
Ptr deserialize_object(const Registry<Ptr>& registry, const ObjectIdentifier& id,
                       const nlohmann::json& full_config) {
  auto it = registry.find(id.class_name);
  if (it == registry.end()) {
    throw TypeError("Could not locate class '" + id.class_name +
                    "'. Make sure custom classes are registered before loading them. "
                    "Full object config: " +
                    full_config.dump());
  }
  ConfigReader reader(id.config, id.class_name);
  Ptr object = it->second(reader);
  reader.finish();
  return object;
}

}  // namespace keras::detail
