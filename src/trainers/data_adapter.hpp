#pragma once
// Array data for fit / evaluate / predict: ordering lists and name maps to the model's
// inputs and outputs, Keras's validation_split, class weights, and batching with
// per-epoch shuffling (drawn from the global seeded generator).
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "keras/trainers/data.hpp"
#include "keras/trainers/options.hpp"

namespace keras::trainers {

// x, y and sample weights as lists in the model's input/output order.
struct ArraySet {
  Tensors x;
  Tensors y;
  Tensors sample_weight;
  std::int64_t num_samples() const;
};

// A list in `names` order: a list is taken as is (ValueError unless it has names.size()
// entries, when names are known), a map is read by name (ValueError naming a missing key).
Tensors ordered(const ArrayData& data, const std::vector<std::string>& names, const std::string& what);

// ValueError "Data cardinality is ambiguous..." unless every array has the same number of
// samples; ValueError for a 0-d array.
void check_cardinality(const ArraySet& data);

// Keras's train_validation_split: the last `split` fraction (before any shuffling).
std::pair<ArraySet, ArraySet> train_validation_split(const ArraySet& data, double split);

// Keras's class_weight_to_sample_weights for one output's labels.
Tensor class_weight_to_sample_weights(const Tensor& y, const std::map<std::int64_t, double>& class_weight);

// Rows `indices` of every array.
ArraySet take_rows(const ArraySet& data, const std::vector<std::int64_t>& indices);
Batch to_batch(ArraySet rows);

// Batches of an ArraySet: ceil(n / batch_size) per pass, the last one partial; a new pass
// reshuffles (fully, or within batch-sized chunks).
class ArrayBatcher {
 public:
  ArrayBatcher(ArraySet data, std::int64_t batch_size, bool shuffle, bool batch_wise_shuffle);
  std::int64_t batches_per_pass() const;
  // Starts a pass (a new order when shuffling).
  void begin_pass();
  Batch batch(std::int64_t index) const;

 private:
  ArraySet data_;
  std::int64_t batch_size_;
  bool shuffle_;
  bool batch_wise_;
  std::vector<std::int64_t> order_;
};

}  // namespace keras::trainers
