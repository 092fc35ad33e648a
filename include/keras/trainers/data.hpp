#pragma once
// What fit / evaluate / predict take as data: arrays (one tensor, a list in the model's
// input/output order, or a name map), or a dataset object that yields whole batches (the
// idea of Keras's PyDataset, for data that does not fit in memory).
#include <cstddef>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "keras/tensor.hpp"

namespace keras {

using Tensors = std::vector<Tensor>;  // as in layer.hpp

// Nothing (Keras's None), one array, a list of arrays or arrays by name. All arrays hold
// the samples along axis 0.
class ArrayData {
 public:
  ArrayData() = default;
  ArrayData(Tensor tensor) : list_{std::move(tensor)} {}  // NOLINT(google-explicit-constructor)
  ArrayData(Tensors tensors) : list_(std::move(tensors)) {}  // NOLINT(google-explicit-constructor)
  ArrayData(std::initializer_list<Tensor> tensors) : list_(tensors) {}
  ArrayData(std::map<std::string, Tensor> named)  // NOLINT(google-explicit-constructor)
      : named_(std::move(named)), is_map_(true) {}

  bool empty() const { return list_.empty() && named_.empty(); }
  bool is_map() const { return is_map_; }
  const Tensors& list() const { return list_; }
  const std::map<std::string, Tensor>& named() const { return named_; }

 private:
  Tensors list_;
  std::map<std::string, Tensor> named_;
  bool is_map_ = false;
};

// One batch from a dataset: inputs, targets (may be empty) and sample weights (may be empty),
// each in the model's input/output order.
struct Batch {
  Tensors x;
  Tensors y;
  Tensors sample_weight;
};

// A source of whole batches (Keras's PyDataset / keras.utils.Sequence): `size()` batches per
// epoch, `get(i)` makes batch i. fit() calls on_epoch_end() after every epoch (reshuffle
// there). With `shuffle` the batch order is permuted each epoch.
class PyDataset {
 public:
  virtual ~PyDataset() = default;
  virtual std::size_t size() const = 0;
  virtual Batch get(std::size_t index) = 0;
  virtual void on_epoch_end() {}
};

}  // namespace keras
