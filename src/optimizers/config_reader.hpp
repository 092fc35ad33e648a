#pragma once
// Typed reads of an optimizer's or a schedule's config dict (what Python's cls(**config)
// checks): numbers, integers, booleans, optional numbers and strings, with defaults for
// absent or null keys, and an error for keys that no read asked for.
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "keras/errors.hpp"

namespace keras::optimizers::detail {

class KwargsReader {
 public:
  KwargsReader(const nlohmann::json& config, std::string class_name)
      : config_(config), class_name_(std::move(class_name)) {}

  double number(const std::string& key, double fallback) {
    const auto* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_number()) bad_type(key, "a number");
    return v->get<double>();
  }
  std::optional<double> optional_number(const std::string& key) {
    const auto* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number()) bad_type(key, "a number or null");
    return v->get<double>();
  }
  std::int64_t integer(const std::string& key, std::int64_t fallback) {
    const auto* v = find(key);
    if (v == nullptr) return fallback;
    return as_integer(key, *v);
  }
  std::optional<std::int64_t> optional_integer(const std::string& key) {
    const auto* v = find(key);
    if (v == nullptr) return std::nullopt;
    return as_integer(key, *v);
  }
  bool boolean(const std::string& key, bool fallback) {
    const auto* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) bad_type(key, "a boolean");
    return v->get<bool>();
  }
  std::string string(const std::string& key, const std::string& fallback) {
    const auto* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_string()) bad_type(key, "a string");
    return v->get<std::string>();
  }
  // The raw value (nullptr when absent or null), marked as read.
  const nlohmann::json* raw(const std::string& key) { return find(key); }
  void ignore(const std::string& key) { read_.insert(key); }

  // The keys no read asked for.
  std::vector<std::string> unread() const {
    std::vector<std::string> out;
    for (const auto& [key, value] : config_.items()) {
      if (read_.count(key) == 0) out.push_back(key);
    }
    return out;
  }

 private:
  const nlohmann::json* find(const std::string& key) {
    read_.insert(key);
    const auto it = config_.find(key);
    if (it == config_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  std::int64_t as_integer(const std::string& key, const nlohmann::json& v) const {
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>()) {
      return static_cast<std::int64_t>(v.get<double>());
    }
    bad_type(key, "an integer");
  }
  [[noreturn]] void bad_type(const std::string& key, const char* expected) const {
    throw TypeError(class_name_ + ": config key '" + key + "' must be " + expected + ", got " +
                    config_.at(key).dump());
  }

  const nlohmann::json& config_;
  std::string class_name_;
  std::set<std::string> read_;
};

}  // namespace keras::optimizers::detail
