#include "trainers/data_adapter.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "keras/errors.hpp"
#include "keras/ops.hpp"
#include "keras/random.hpp"

namespace keras::trainers {

std::int64_t ArraySet::num_samples() const {
  for (const auto* list : {&x, &y, &sample_weight}) {
    for (const auto& t : *list) {
      if (t.defined()) return t.dim(0);
    }
  }
  return 0;
}

Tensors ordered(const ArrayData& data, const std::vector<std::string>& names, const std::string& what) {
  if (data.empty()) return {};
  if (!data.is_map()) {
    if (!names.empty() && data.list().size() != names.size()) {
      throw ValueError("Expected " + std::to_string(names.size()) + " " + what + " array(s), one per model " +
                       what + ", but received " + std::to_string(data.list().size()));
    }
    return data.list();
  }
  Tensors out;
  for (const auto& name : names) {
    auto it = data.named().find(name);
    if (it == data.named().end()) {
      throw ValueError("No data provided for " + what + " '" + name + "'. Expected keys: " +
                       [&] {
                         std::string s;
                         for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
                         return s;
                       }());
    }
    out.push_back(it->second);
  }
  if (data.named().size() != names.size()) {
    for (const auto& [k, v] : data.named()) {
      if (std::find(names.begin(), names.end(), k) == names.end()) {
        throw ValueError("Unknown " + what + " name '" + k + "' in the data");
      }
    }
  }
  return out;
}

void check_cardinality(const ArraySet& data) {
  std::set<std::int64_t> sizes;
  std::string detail;
  auto visit = [&](const Tensors& list, const char* label) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].defined()) continue;
      if (list[i].ndim() == 0) throw ValueError(std::string("Expected ") + label + " arrays with a sample axis, got a scalar");
      sizes.insert(list[i].dim(0));
      detail += std::string("\n'") + label + "' sizes: " + std::to_string(list[i].dim(0));
    }
  };
  visit(data.x, "x");
  visit(data.y, "y");
  visit(data.sample_weight, "sample_weight");
  if (sizes.size() > 1) {
    throw ValueError("Data cardinality is ambiguous. Make sure all arrays contain the same number of samples." +
                     detail);
  }
}

namespace {

std::vector<std::int64_t> range(std::int64_t begin, std::int64_t end) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(end - begin));
  std::iota(v.begin(), v.end(), begin);
  return v;
}

Tensor take_rows(const Tensor& t, const Tensor& index) {
  return t.defined() ? ops::take(t, index, 0) : t;
}

}  // namespace

ArraySet take_rows(const ArraySet& data, const std::vector<std::int64_t>& indices) {
  const Tensor index = Tensor::from_vector(indices);
  ArraySet out;
  for (const auto& t : data.x) out.x.push_back(take_rows(t, index));
  for (const auto& t : data.y) out.y.push_back(take_rows(t, index));
  for (const auto& t : data.sample_weight) out.sample_weight.push_back(take_rows(t, index));
  return out;
}

Batch to_batch(ArraySet rows) { return Batch{std::move(rows.x), std::move(rows.y), std::move(rows.sample_weight)}; }

std::pair<ArraySet, ArraySet> train_validation_split(const ArraySet& data, double split) {
  if (!(split > 0.0 && split < 1.0)) {
    throw ValueError("`validation_split` must be between 0 and 1, received: " + std::to_string(split));
  }
  const std::int64_t n = data.num_samples();
  const auto split_at = static_cast<std::int64_t>(std::floor(static_cast<double>(n) * (1.0 - split)));
  if (split_at == 0 || split_at == n) {
    throw ValueError("Training data contains " + std::to_string(n) +
                     " samples, which is not sufficient to split it into a validation and training set "
                     "as specified by `validation_split=" +
                     std::to_string(split) + "`. Either provide more data, or a different value for the "
                     "`validation_split` argument.");
  }
  return {take_rows(data, range(0, split_at)), take_rows(data, range(split_at, n))};
}

Tensor class_weight_to_sample_weights(const Tensor& y, const std::map<std::int64_t, double>& class_weight) {
  Tensor labels = y;
  if (labels.ndim() > 1 && labels.dim(-1) > 1) {
    labels = ops::argmax(labels, -1);
  } else if (labels.ndim() > 1 && labels.dim(-1) == 1) {
    labels = ops::squeeze(labels, -1);
  }
  const auto values = labels.to_vector<double>();
  std::vector<float> weights(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto it = class_weight.find(static_cast<std::int64_t>(std::llround(values[i])));
    weights[i] = static_cast<float>(it == class_weight.end() ? 1.0 : it->second);
  }
  return Tensor::from_vector(weights, labels.shape());
}

ArrayBatcher::ArrayBatcher(ArraySet data, std::int64_t batch_size, bool shuffle, bool batch_wise_shuffle)
    : data_(std::move(data)), batch_size_(batch_size), shuffle_(shuffle), batch_wise_(batch_wise_shuffle) {
  if (batch_size_ <= 0) throw ValueError("`batch_size` must be a positive integer, got " + std::to_string(batch_size_));
  order_ = range(0, data_.num_samples());
}

std::int64_t ArrayBatcher::batches_per_pass() const {
  return (data_.num_samples() + batch_size_ - 1) / batch_size_;
}

namespace {

// A permutation drawn from the global generator, so utils::set_random_seed repeats it.
void shuffle_range(std::vector<std::int64_t>& v, std::size_t begin, std::size_t end) {
  const auto n = static_cast<std::int64_t>(end - begin);
  if (n < 2) return;
  const auto keys = random::uniform({n}, {.dtype = DType::float64}).to_vector<double>();
  std::vector<std::int64_t> perm = range(0, n);
  std::stable_sort(perm.begin(), perm.end(), [&](auto a, auto b) { return keys[static_cast<std::size_t>(a)] < keys[static_cast<std::size_t>(b)]; });
  std::vector<std::int64_t> old(v.begin() + static_cast<std::ptrdiff_t>(begin), v.begin() + static_cast<std::ptrdiff_t>(end));
  for (std::size_t i = 0; i < perm.size(); ++i) v[begin + i] = old[static_cast<std::size_t>(perm[i])];
}

}  // namespace

void ArrayBatcher::begin_pass() {
  if (!shuffle_) return;
  order_ = range(0, data_.num_samples());
  if (!batch_wise_) {
    shuffle_range(order_, 0, order_.size());
    return;
  }
  for (std::size_t b = 0; b < order_.size(); b += static_cast<std::size_t>(batch_size_)) {
    shuffle_range(order_, b, std::min(order_.size(), b + static_cast<std::size_t>(batch_size_)));
  }
}

Batch ArrayBatcher::batch(std::int64_t index) const {
  const auto begin = static_cast<std::size_t>(index * batch_size_);
  const auto end = std::min(order_.size(), begin + static_cast<std::size_t>(batch_size_));
  return to_batch(take_rows(data_, std::vector<std::int64_t>(order_.begin() + static_cast<std::ptrdiff_t>(begin),
                                                             order_.begin() + static_cast<std::ptrdiff_t>(end))));
}

}  // namespace keras::trainers
