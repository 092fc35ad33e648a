#pragma once
// keras.utils.Progbar, Keras 3's progress bar character for character: verbose=1 redraws
// one line (`\b`s and `\r`, ANSI bold/green/white, at most every `interval` seconds),
// verbose=2 prints one line when finalized.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace keras::utils {

struct ProgbarOptions {
  int width = 20;
  int verbose = 1;
  double interval = 0.05;  // seconds between redraws
  std::set<std::string> stateful_metrics;  // shown as given; others averaged over steps
  std::string unit_name = "step";
  // Where the text goes (stdout by default); tests capture it here.
  std::function<void(const std::string&)> print_fn;
  // The clock in seconds (a steady clock by default); tests make it deterministic.
  std::function<double()> clock;
};

class Progbar {
 public:
  // target: the number of steps, or nullopt when unknown.
  explicit Progbar(std::optional<std::int64_t> target, ProgbarOptions options = {});

  // Shows progress at step `current` with (name, value) pairs; `finalize` defaults to
  // current >= target.
  void update(std::int64_t current, const std::vector<std::pair<std::string, double>>& values = {},
              std::optional<bool> finalize = std::nullopt);
  void add(std::int64_t n, const std::vector<std::pair<std::string, double>>& values = {});
  void set_target(std::optional<std::int64_t> target) { target_ = target; }
  std::optional<std::int64_t> target() const { return target_; }

 private:
  double now() const;
  double estimate_step_duration(std::int64_t current, double now);
  void accumulate(std::int64_t current, const std::vector<std::pair<std::string, double>>& values,
                  bool finalize);
  std::string format_values(bool absolute_threshold) const;
  void draw_verbose1(std::int64_t current, bool finalize, double now, double time_per_unit);
  void draw_verbose2(std::int64_t current, double now, double time_per_unit);
  void print(const std::string& text) const;

  std::optional<std::int64_t> target_;
  ProgbarOptions options_;
  std::vector<std::string> order_;
  std::map<std::string, std::pair<double, double>> values_;  // name -> (sum, count)
  std::int64_t seen_so_far_ = 0;
  double start_;
  double last_update_ = 0.0;
  std::optional<double> time_after_first_step_;
  std::size_t prev_total_width_ = 0;
};

// Keras's time-per-unit text: " 3s/step", " 12ms/step" or " 850us/step".
std::string format_time_per_unit(double seconds, const std::string& unit_name);
// A value as the progress bar shows it: 4 decimals, or 4-digit scientific when small.
std::string format_metric_value(double value, bool absolute_threshold = true);

}  // namespace keras::utils
