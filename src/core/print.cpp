// Printing tensors exactly as numpy prints arrays: operator<< is numpy's str(), repr() is
// numpy's repr(), with numpy's default print options (precision 8, threshold 1000,
// edgeitems 3, linewidth 75, floatmode "maxprec"). The layout follows numpy's
// arrayprint.py (_formatArray, FloatingFormat, IntegerFormat, BoolFormat); floats are
// formatted with std::to_chars, whose shortest round-trip digits are the digits numpy's
// Dragon4 produces.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "keras/tensor.hpp"

namespace keras {

namespace {

constexpr int kPrecision = 8;
constexpr std::int64_t kThreshold = 1000;
constexpr std::int64_t kEdgeItems = 3;
constexpr std::size_t kLineWidth = 75;

// ---------------------------------------------------------------- float digits

// numpy's trim modes: 'k' keeps trailing zeros, '.' trims zeros but keeps the point,
// '0' leaves one zero after the point, '-' trims zeros and the point.
enum class Trim { keep, zeros, one_zero, point };

// Number of fraction digits (mantissa fraction digits in scientific notation) of the
// shortest representation that reads back as the same T.
template <class T>
int shortest_fraction_digits(T x, std::chars_format format) {
  char buf[128];
  const auto end = std::to_chars(buf, buf + sizeof buf, x, format).ptr;
  const std::string s(buf, end);
  const auto dot = s.find('.');
  if (dot == std::string::npos) return 0;
  const auto stop = format == std::chars_format::scientific ? s.find('e') : s.size();
  return static_cast<int>(stop - dot - 1);
}

// Dragon4 in unique mode stops at the first digit that identifies x, but not before
// `min_digits` nor after `precision` fraction digits, and rounds the exact binary value
// at that digit: that is x correctly rounded to the clamped shortest digit count.
template <class T>
std::string dragon4(T x, std::chars_format format, int precision, int min_digits, Trim trim,
                    int exp_digits = 2) {
  const int digits = std::clamp(shortest_fraction_digits(x, format), min_digits, precision);
  char buf[512];
  const auto end = std::to_chars(buf, buf + sizeof buf, x, format, digits).ptr;
  std::string s(buf, end);
  std::string exponent;
  if (format == std::chars_format::scientific) {
    const auto e = s.find('e');
    const std::string exp_value = s.substr(e + 2);
    const std::size_t zeros = static_cast<std::size_t>(std::max(0, exp_digits - static_cast<int>(exp_value.size())));
    exponent = s.substr(e, 2) + std::string(zeros, '0') + exp_value;
    s.resize(e);
  }
  if (s.find('.') == std::string::npos) s += '.';
  if (trim != Trim::keep) {
    while (s.back() == '0') s.pop_back();
    if (trim == Trim::one_zero && s.back() == '.') s += '0';
    if (trim == Trim::point && s.back() == '.') s.pop_back();
  }
  return s + exponent;
}

// ---------------------------------------------------------------- element formats

// numpy's FloatingFormat with floatmode "maxprec" and sign "-".
template <class T>
class FloatFormat {
 public:
  explicit FloatFormat(const std::vector<T>& data) {
    std::vector<T> finite;
    bool negative_inf = false;
    for (T v : data) {
      if (std::isfinite(v)) finite.push_back(v);
      if (std::isinf(v) && v < 0) negative_inf = true;
    }
    T max_abs = 0, min_abs = std::numeric_limits<T>::infinity();
    for (T v : finite) {
      if (v == 0) continue;
      max_abs = std::max(max_abs, std::abs(v));
      min_abs = std::min(min_abs, std::abs(v));
    }
    if (max_abs > 0) {
      exp_format_ = max_abs >= 1e8 || min_abs < 0.0001 || max_abs / min_abs > T(1000);
    }
    if (finite.empty()) {
      pad_left_ = pad_right_ = 0;
    } else if (exp_format_) {
      fill_scientific(finite);
    } else {
      fill_positional(finite);
    }
    if (finite.size() != data.size()) {
      const int offset = pad_right_ + 1;
      pad_left_ = std::max({pad_left_, 3 - offset, 3 + (negative_inf ? 1 : 0) - offset});
    }
  }

  std::string operator()(T x) const {
    if (!std::isfinite(x)) {
      const std::string s = std::isnan(x) ? "nan" : x < 0 ? "-inf" : "inf";
      const int width = pad_left_ + pad_right_ + 1;
      return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(s.size()))), ' ') + s;
    }
    if (exp_format_) {
      return pad(dragon4(x, std::chars_format::scientific, precision_, precision_, Trim::keep, exp_size_), 0);
    }
    return pad(dragon4(x, std::chars_format::fixed, kPrecision, 0, Trim::zeros), pad_right_);
  }

 private:
  void fill_scientific(const std::vector<T>& finite) {
    int frac = 0, left = 0, exp_size = 0;
    for (T v : finite) {
      const std::string s = dragon4(v, std::chars_format::scientific, kPrecision, 0, Trim::zeros);
      const auto dot = s.find('.'), e = s.find('e');
      left = std::max(left, static_cast<int>(dot));
      frac = std::max(frac, static_cast<int>(e - dot - 1));
      exp_size = std::max(exp_size, static_cast<int>(s.size() - e - 2));
    }
    precision_ = frac;
    pad_left_ = left;
    exp_size_ = exp_size;
    pad_right_ = exp_size + 2 + frac;
  }

  void fill_positional(const std::vector<T>& finite) {
    int left = 0, right = 0;
    for (T v : finite) {
      const std::string s = dragon4(v, std::chars_format::fixed, kPrecision, 0, Trim::zeros);
      const auto dot = s.find('.');
      left = std::max(left, static_cast<int>(dot));
      right = std::max(right, static_cast<int>(s.size() - dot - 1));
    }
    pad_left_ = left;
    pad_right_ = right;
  }

  // Right-aligns the integer part in pad_left_ columns; pads the fraction to `right`.
  std::string pad(std::string s, int right) const {
    const int dot = static_cast<int>(s.find('.'));
    if (dot < pad_left_) s.insert(0, static_cast<std::size_t>(pad_left_ - dot), ' ');
    const int frac = static_cast<int>(s.size()) - std::max(dot, pad_left_) - 1;
    if (frac < right) s.append(static_cast<std::size_t>(right - frac), ' ');
    return s;
  }

  bool exp_format_ = false;
  int precision_ = kPrecision;
  int pad_left_ = 0;
  int pad_right_ = 0;
  int exp_size_ = 2;
};

// numpy's IntegerFormat: right-aligned to the widest of max and min.
template <class T>
class IntFormat {
 public:
  explicit IntFormat(const std::vector<T>& data) {
    if (data.empty()) return;
    const auto [lo, hi] = std::minmax_element(data.begin(), data.end());
    width_ = std::max(std::to_string(*lo).size(), std::to_string(*hi).size());
  }
  std::string operator()(T x) const {
    std::string s = std::to_string(x);
    return std::string(width_ > s.size() ? width_ - s.size() : 0, ' ') + s;
  }

 private:
  std::size_t width_ = 0;
};

// numpy's BoolFormat: " True" lines up with "False", except in a 0-d array.
class BoolFormat {
 public:
  explicit BoolFormat(bool zero_dim) : true_str_(zero_dim ? "True" : " True") {}
  std::string operator()(bool x) const { return x ? true_str_ : "False"; }

 private:
  std::string true_str_;
};

// ---------------------------------------------------------------- layout

std::string rstrip(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  return s;
}

// numpy's _extendLine: wrap before `word` when it would pass `width`, unless wrapping
// cannot help because the line holds nothing but the indent.
void extend_line(std::string& s, std::string& line, const std::string& word, std::size_t width,
                 const std::string& indent) {
  if (line.size() + word.size() > width && line.size() > indent.size()) {
    s += rstrip(line) + "\n";
    line = indent;
  }
  line += word;
}

using ElementFn = std::function<std::string(std::int64_t)>;

// numpy's _formatArray: nested brackets, `separator` between elements, blank lines
// between blocks of 3-d and higher arrays, "..." in place of the middle of long axes.
class Layout {
 public:
  Layout(const Shape& shape, const ElementFn& element, std::string separator, bool summarise)
      : shape_(shape), strides_(contiguous_strides(shape)), element_(element),
        separator_(std::move(separator)), summarise_(summarise) {}

  std::string format(std::size_t axis, std::int64_t offset, const std::string& indent,
                     std::size_t width) const {
    if (axis == shape_.size()) return element_(offset);
    const std::string next_indent = indent + " ";
    const std::size_t next_width = width - 1;
    const std::int64_t n = shape_[axis];
    const bool summary = summarise_ && 2 * kEdgeItems < n;
    const std::int64_t leading = summary ? kEdgeItems : 0;
    const std::int64_t trailing = summary ? kEdgeItems : n;
    const std::int64_t stride = strides_[axis];
    auto nested = [&](std::int64_t i) { return format(axis + 1, offset + i * stride, next_indent, next_width); };
    const std::size_t axes_left = shape_.size() - axis;
    std::string s;
    if (axes_left == 1) {
      const std::size_t elem_width = width - 1;
      std::string line = indent;
      for (std::int64_t i = 0; i < leading; ++i) {
        extend_line(s, line, nested(i), elem_width, indent);
        line += separator_;
      }
      if (summary) {
        extend_line(s, line, "...", elem_width, indent);
        line += separator_;
      }
      for (std::int64_t i = trailing; i > 1; --i) {
        extend_line(s, line, nested(n - i), elem_width, indent);
        line += separator_;
      }
      extend_line(s, line, nested(n - 1), elem_width, indent);
      s += line;
    } else {
      const std::string line_sep = rstrip(separator_) + std::string(axes_left - 1, '\n');
      for (std::int64_t i = 0; i < leading; ++i) s += indent + nested(i) + line_sep;
      if (summary) s += indent + "..." + line_sep;
      for (std::int64_t i = trailing; i > 1; --i) s += indent + nested(n - i) + line_sep;
      s += indent + nested(n - 1);
    }
    return "[" + s.substr(indent.size()) + "]";
  }

  // Flat offsets of the elements that the layout shows (numpy's _leading_trailing).
  void shown(std::size_t axis, std::int64_t offset, std::vector<std::int64_t>& out) const {
    if (axis == shape_.size()) {
      out.push_back(offset);
      return;
    }
    const std::int64_t n = shape_[axis];
    const bool summary = summarise_ && 2 * kEdgeItems < n;
    for (std::int64_t i = 0; i < n; ++i) {
      if (summary && i == kEdgeItems) i = n - kEdgeItems;
      shown(axis + 1, offset + i * strides_[axis], out);
    }
  }

 private:
  Shape shape_;
  std::vector<std::int64_t> strides_;
  const ElementFn& element_;
  std::string separator_;
  bool summarise_;
};

// numpy's array2string for a non-empty array: `prefix` is what precedes the opening
// bracket on the first line ("array(" in repr), `suffix` what follows the last one.
template <class T>
std::string array_to_string(const Tensor& host, const std::string& separator, std::size_t prefix,
                            std::size_t suffix) {
  const T* data = host.data<T>();
  const bool summarise = host.size() > kThreshold;
  const ElementFn no_element;
  Layout probe(host.shape(), no_element, separator, summarise);
  std::vector<std::int64_t> offsets;
  probe.shown(0, 0, offsets);
  std::vector<T> values;
  values.reserve(offsets.size());
  for (auto o : offsets) values.push_back(data[o]);

  ElementFn element;
  if constexpr (std::is_same_v<T, bool>) {
    element = [data, f = BoolFormat(host.ndim() == 0)](std::int64_t i) { return f(data[i]); };
  } else if constexpr (std::is_floating_point_v<T>) {
    element = [data, f = FloatFormat<T>(values)](std::int64_t i) { return f(data[i]); };
  } else {
    element = [data, f = IntFormat<T>(values)](std::int64_t i) { return f(data[i]); };
  }
  Layout layout(host.shape(), element, separator, summarise);
  return layout.format(0, 0, std::string(1 + prefix, ' '), kLineWidth - suffix);
}

template <class F>
decltype(auto) visit_dtype(DType dtype, F&& f) {
  switch (dtype) {
    case DType::float32: return f(float{});
    case DType::float64: return f(double{});
    case DType::int32: return f(std::int32_t{});
    case DType::int64: return f(std::int64_t{});
    case DType::bool_: break;
  }
  return f(bool{});
}

// str() of a numpy scalar, which is what str() of a 0-d array prints: the shortest
// round-trip digits, positional for 1e-4 <= |x| < 1e16 ("1.0"), else scientific ("1e-05").
template <class T>
std::string scalar_str(T x) {
  if constexpr (std::is_same_v<T, bool>) {
    return x ? "True" : "False";
  } else if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
    const T a = std::abs(x);
    constexpr int kAll = std::numeric_limits<int>::max();
    if (a == 0 || (a < T(1e16) && a >= T(1e-4))) {
      return dragon4(x, std::chars_format::fixed, kAll, 0, Trim::one_zero);
    }
    return dragon4(x, std::chars_format::scientific, kAll, 0, Trim::point);
  } else {
    return std::to_string(x);
  }
}

// Tensors without host values print as a description, like Keras's KerasTensor.
std::string describe(const Tensor& t) {
  return "<Tensor shape=" + shape_str(t.shape()) + ", dtype=" + std::string(dtype_name(t.dtype())) +
         ", device=" + device_name(t.device()) + ">";
}

Tensor on_host(const Tensor& t) { return t.device().type == DeviceType::cpu ? t : t.to(Device{}); }

}  // namespace

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "<undefined Tensor>";
  if (t.device().type == DeviceType::meta) return os << describe(t);
  if (t.size() == 0) return os << "[]";
  const Tensor host = on_host(t);
  return os << visit_dtype(t.dtype(), [&](auto tag) {
           using T = decltype(tag);
           if (host.ndim() == 0) return scalar_str(host.data<T>()[0]);
           return array_to_string<T>(host, " ", 0, 0);
         });
}

std::string repr(const Tensor& t) {
  if (!t.defined()) return "<undefined Tensor>";
  if (t.device().type == DeviceType::meta) return describe(t);
  const std::string prefix = "array(";
  // float64, int64 and bool are numpy's default types: their dtype goes unsaid, except
  // on empty arrays.
  const DType dtype = t.dtype();
  const bool implied = dtype == DType::float64 || dtype == DType::int64 || dtype == DType::bool_;
  const bool skip_dtype = implied && t.size() > 0;
  const std::string suffix = skip_dtype ? ")" : ",";
  std::string body;
  if (t.size() > 0) {
    const Tensor host = on_host(t);
    body = visit_dtype(dtype, [&](auto tag) {
      return array_to_string<decltype(tag)>(host, ", ", prefix.size(), suffix.size());
    });
  } else if (t.shape() == Shape{0}) {
    body = "[]";
  } else {
    body = "[], shape=" + shape_str(t.shape());
  }
  std::string s = prefix + body + suffix;
  if (skip_dtype) return s;
  const std::string dtype_str = "dtype=" + std::string(dtype_name(dtype)) + ")";
  const std::size_t last_line = s.size() - (s.rfind('\n') == std::string::npos ? 0 : s.rfind('\n') + 1);
  const bool wrap = last_line + dtype_str.size() + 1 > kLineWidth;
  return s + (wrap ? "\n" + std::string(prefix.size(), ' ') : " ") + dtype_str;
}

}  // namespace keras
