#include "kernels/cpu/loops.hpp"

namespace keras::kernels::cpu {

std::vector<std::int64_t> broadcast_strides(const Shape& shape, const Shape& out) {
  std::vector<std::int64_t> strides(out.size(), 0);
  const auto own = contiguous_strides(shape);
  const std::size_t lead = out.size() - shape.size();
  for (std::size_t i = 0; i < shape.size(); ++i) {
    strides[lead + i] = shape[i] == 1 ? 0 : own[i];
  }
  return strides;
}

Iteration collapse(const Shape& shape, std::vector<std::vector<std::int64_t>> strides) {
  Iteration it;
  // Drop size-1 dims, then merge dim d into d+1 when every operand's stride at d equals
  // its stride at d+1 times the size of d+1.
  std::vector<std::size_t> keep;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] != 1) keep.push_back(d);
  }
  it.strides.assign(strides.size(), {});
  for (std::size_t d : keep) {
    if (!it.shape.empty()) {
      bool mergeable = true;
      for (std::size_t k = 0; k < strides.size(); ++k) {
        if (it.strides[k].back() != strides[k][d] * shape[d]) mergeable = false;
      }
      if (mergeable) {
        it.shape.back() *= shape[d];
        for (std::size_t k = 0; k < strides.size(); ++k) it.strides[k].back() = strides[k][d];
        continue;
      }
    }
    it.shape.push_back(shape[d]);
    for (std::size_t k = 0; k < strides.size(); ++k) it.strides[k].push_back(strides[k][d]);
  }
  if (it.shape.empty()) {
    it.shape.push_back(1);
    for (auto& s : it.strides) s.push_back(0);
  }
  return it;
}

}  // namespace keras::kernels::cpu
