#include "keras/utils/progbar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace keras::utils {

namespace {

std::string printf_string(const char* format, auto... args) {
  const int n = std::snprintf(nullptr, 0, format, args...);
  std::string out(static_cast<std::size_t>(n), '\0');
  std::snprintf(out.data(), out.size() + 1, format, args...);
  return out;
}

// Python's f"{x:.0f}" rounds half to even, as printf does.
std::string seconds_text(double seconds) { return printf_string("%.0fs", seconds); }

std::string eta_text(double eta) {
  const auto whole = static_cast<long long>(eta);
  if (eta > 3600) return printf_string("%lld:%02lld:%02lld", whole / 3600, (whole % 3600) / 60, whole % 60);
  if (eta > 60) return printf_string("%lld:%02lld", whole / 60, whole % 60);
  return printf_string("%llds", whole);
}

std::string count_text(std::int64_t current, std::int64_t target) {
  const int digits = static_cast<int>(std::floor(std::log10(static_cast<double>(target)))) + 1;
  return printf_string("%*lld/%lld", digits, static_cast<long long>(current), static_cast<long long>(target));
}

std::string repeat(const std::string& s, std::int64_t n) {
  std::string out;
  for (std::int64_t i = 0; i < n; ++i) out += s;
  return out;
}

// Display width of UTF-8 text: counts code points, not bytes (the bar's `━` is 3 bytes).
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string format_time_per_unit(double seconds, const std::string& unit_name) {
  if (seconds >= 1 || seconds == 0) return printf_string(" %.0fs/", seconds) + unit_name;
  if (seconds >= 1e-3) return printf_string(" %.0fms/", seconds * 1000.0) + unit_name;
  return printf_string(" %.0fus/", seconds * 1e6) + unit_name;
}

std::string format_metric_value(double value, bool absolute_threshold) {
  const double magnitude = absolute_threshold ? std::abs(value) : value;
  return magnitude > 1e-3 ? printf_string("%.4f", value) : printf_string("%.4e", value);
}

Progbar::Progbar(std::optional<std::int64_t> target, ProgbarOptions options)
    : target_(target), options_(std::move(options)) {
  start_ = now();
}

double Progbar::now() const {
  if (options_.clock) return options_.clock();
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

void Progbar::print(const std::string& text) const {
  if (options_.print_fn) {
    options_.print_fn(text);
  } else {
    std::cout << text << std::flush;
  }
}

double Progbar::estimate_step_duration(std::int64_t current, double now) {
  if (current == 0) return 0.0;
  double per_unit = 0.0;
  if (time_after_first_step_ && current > 1) {
    per_unit = (now - *time_after_first_step_) / static_cast<double>(current - 1);
  } else {
    per_unit = (now - start_) / static_cast<double>(current);
  }
  if (current == 1) time_after_first_step_ = now;
  return per_unit;
}

// Keras averages a value over the steps it covered; a finalizing update shows it as given.
void Progbar::accumulate(std::int64_t current, const std::vector<std::pair<std::string, double>>& values,
                         bool finalize) {
  for (const auto& [k, v] : values) {
    if (std::find(order_.begin(), order_.end(), k) == order_.end()) order_.push_back(k);
    const bool stateless = !options_.stateful_metrics.contains(k);
    if (!stateless || finalize) {
      values_[k] = {v, 1.0};
      continue;
    }
    const double base = static_cast<double>(std::max<std::int64_t>(current - seen_so_far_, 1));
    auto it = values_.find(k);
    if (it == values_.end()) {
      values_[k] = {v * base, base};
    } else {
      it->second.first += v * base;
      it->second.second += base;
    }
  }
  seen_so_far_ = current;
}

std::string Progbar::format_values(bool absolute_threshold) const {
  std::string info;
  for (const auto& k : order_) {
    const auto& [sum, count] = values_.at(k);
    info += " - " + k + ": " + format_metric_value(sum / std::max(1.0, count), absolute_threshold);
  }
  return info;
}

void Progbar::update(std::int64_t current, const std::vector<std::pair<std::string, double>>& values,
                     std::optional<bool> finalize_arg) {
  const bool finalize = finalize_arg.value_or(target_.has_value() && current >= *target_);
  accumulate(current, values, finalize);
  const double t = now();
  const double per_unit = estimate_step_duration(current, t);
  if (options_.verbose == 1) {
    if (t - last_update_ < options_.interval && !finalize) return;
    draw_verbose1(current, finalize, t, per_unit);
  } else if (options_.verbose == 2 && finalize && target_ && *target_ > 0) {
    draw_verbose2(current, t, per_unit);
  }
  last_update_ = t;
}

void Progbar::add(std::int64_t n, const std::vector<std::pair<std::string, double>>& values) {
  update(seen_so_far_ + n, values);
}

void Progbar::draw_verbose1(std::int64_t current, bool finalize, double t, double per_unit) {
  // Keras always redraws in place on POSIX: back over the previous line, then carriage return.
  std::string message = std::string(prev_total_width_, '\b') + "\r";
  std::string bar;
  std::string visible_bar;
  const bool known = target_ && *target_ > 0;
  if (known) {
    const std::string count = count_text(current, *target_);
    const auto done = static_cast<std::int64_t>(options_.width * (static_cast<double>(current) / *target_));
    bar = "\x1b[1m" + count + "\x1b[0m ";
    visible_bar = count + " ";
    if (done > 0) bar += "\x1b[32m" + repeat("━", done) + "\x1b[0m";
    bar += "\x1b[37m" + repeat("━", options_.width - done) + "\x1b[0m";
    visible_bar += repeat("━", options_.width);
  } else {
    bar = printf_string("%7lld/Unknown", static_cast<long long>(current));
    visible_bar = bar;
  }
  const std::string time_field = known && !finalize ? eta_text(per_unit * static_cast<double>(*target_ - current))
                                                    : seconds_text(t - start_);
  const std::string rest = format_time_per_unit(per_unit, options_.unit_name) + format_values(true);
  message += bar + " \x1b[1m" + time_field + "\x1b[0m" + rest;
  const std::size_t total_width = display_width(visible_bar) + 1 + time_field.size() + display_width(rest);
  if (prev_total_width_ > total_width) message += std::string(prev_total_width_ - total_width, ' ');
  if (finalize) message += "\n";
  print(message);
  prev_total_width_ = total_width;
}

void Progbar::draw_verbose2(std::int64_t current, double t, double per_unit) {
  std::string info = count_text(current, *target_) + " - " + seconds_text(t - start_) + " -" +
                     format_time_per_unit(per_unit, options_.unit_name) + format_values(false) + "\n";
  print(info);
}

}  // namespace keras::utils
