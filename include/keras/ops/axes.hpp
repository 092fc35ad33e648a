#pragma once
// The `axis` argument of reductions: Keras's None (every axis), one int, or a list.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

namespace keras::ops {

class Axes {
 public:
  Axes() = default;  // None: every axis
  Axes(int axis) : axes_(std::vector<std::int64_t>{axis}) {}  // NOLINT: ops take ints as axes
  Axes(std::int64_t axis) : axes_(std::vector<std::int64_t>{axis}) {}  // NOLINT
  Axes(std::initializer_list<std::int64_t> axes) : axes_(std::vector<std::int64_t>(axes)) {}
  Axes(std::vector<std::int64_t> axes) : axes_(std::move(axes)) {}  // NOLINT

  bool is_all() const { return !axes_.has_value(); }
  // Sorted, non-negative, duplicate-free axes for a tensor of rank `ndim`; throws
  // ValueError for an axis out of range or given twice.
  std::vector<int> normalized(std::int64_t ndim) const;

 private:
  std::optional<std::vector<std::int64_t>> axes_;
};

}  // namespace keras::ops
