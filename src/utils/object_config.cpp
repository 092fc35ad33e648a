#include "utils/object_config.hpp"

#include <array>
#include <charconv>

namespace keras::detail {

using nlohmann::json;

json keras_object(const std::string& module, const std::string& class_name, json config) {
  return json{{"module", module},
              {"class_name", class_name},
              {"config", std::move(config)},
              {"registered_name", nullptr}};
}

std::string python_float(double value) {
  std::array<char, 64> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  std::string s(buf.data(), res.ptr);
  if (s.find_first_of(".eni") == std::string::npos) s += ".0";
  return s;
}

ObjectIdentifier parse_object_dict(const json& identifier, const std::string& kind) {
  const auto name = identifier.find("class_name");
  if (name == identifier.end() || !name->is_string()) {
    throw TypeError("Could not parse " + kind + " config (it needs a string \"class_name\"): " +
                    identifier.dump());
  }
  ObjectIdentifier id{name->get<std::string>(), json::object()};
  const auto config = identifier.find("config");
  if (config != identifier.end() && !config->is_null()) {
    if (!config->is_object()) {
      throw TypeError("Expected 'config' to be a dict for " + id.class_name +
                      ". Full config: " + identifier.dump());
    }
    id.config = *config;
  }
  return id;
}

ConfigReader::ConfigReader(const json& config, std::string class_name)
    : config_(config), class_name_(std::move(class_name)) {}

const json* ConfigReader::find(const std::string& key) {
  read_.insert(key);
  const auto it = config_.find(key);
  if (it == config_.end() || it->is_null()) return nullptr;
  return &*it;
}

void ConfigReader::bad_type(const std::string& key, const char* expected) const {
  throw TypeError(class_name_ + ": config key '" + key + "' must be " + expected +
                  ", got " + config_.at(key).dump());
}

double ConfigReader::number(const std::string& key, double fallback) {
  const json* v = find(key);
  if (v == nullptr) return fallback;
  if (!v->is_number()) bad_type(key, "a number");
  return v->get<double>();
}

std::string ConfigReader::string(const std::string& key, const std::string& fallback) {
  const json* v = find(key);
  if (v == nullptr) return fallback;
  if (!v->is_string()) bad_type(key, "a string");
  return v->get<std::string>();
}

std::optional<std::uint64_t> ConfigReader::seed() {
  const json* v = find("seed");
  if (v == nullptr) return std::nullopt;
  // A serialized SeedGenerator (a dict) has no counterpart here.
  if (!v->is_number_integer() || v->get<std::int64_t>() < 0) {
    bad_type("seed", "a non-negative integer or null");
  }
  return v->get<std::uint64_t>();
}

std::optional<std::vector<std::int64_t>> ConfigReader::int_list(const std::string& key) {
  const json* v = find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) bad_type(key, "a list of integers");
  std::vector<std::int64_t> out;
  for (const auto& e : *v) {
    if (!e.is_number_integer()) bad_type(key, "a list of integers");
    out.push_back(e.get<std::int64_t>());
  }
  return out;
}

std::vector<std::int64_t> ConfigReader::int_or_list(const std::string& key, bool& is_list,
                                                    std::int64_t fallback) {
  const json* v = find(key);
  is_list = v != nullptr && v->is_array();
  if (v == nullptr) return {fallback};
  if (v->is_number_integer()) return {v->get<std::int64_t>()};
  if (!is_list) bad_type(key, "an integer or a list of integers");
  return *int_list(key);
}

void ConfigReader::finish() const {
  for (const auto& [key, value] : config_.items()) {
    if (read_.count(key) == 0) {
      throw TypeError(class_name_ + ".__init__() got an unexpected keyword argument '" + key +
                      "' (config: " + config_.dump() + ")");
    }
  }
}

}  // namespace keras::detail
