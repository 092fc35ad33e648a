#pragma once
// A small RAII wrapper over the HDF5 C library for Keras's weight files (private to the
// library). Every failure is a keras::IOError naming the file and the HDF5 object path;
// HDF5's own error printing is switched off. Groups and datasets keep the file open (HDF5's
// weak close), so a Group may outlive the File it came from.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::saving::h5 {

// One HDF5 identifier, closed with the matching H5*close when the last copy goes.
class Handle {
 public:
  Handle() = default;
  // `kind` picks the close function: 'f' file, 'g' group, 'd' dataset, 'a' attribute,
  // 's' dataspace, 't' datatype, 'p' property list.
  Handle(std::int64_t id, char kind);
  std::int64_t id() const;
  bool valid() const { return state_ != nullptr; }
  void reset() { state_.reset(); }

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// What a dataset holds, without reading it.
struct DatasetInfo {
  Shape shape;
  std::string dtype;  // numpy-style: "float32", "float64", "int32", "int64", "uint8", ...
};

class Group {
 public:
  Group() = default;

  // The file name and this group's path inside it ("/", "/layers/dense").
  const std::string& filename() const { return filename_; }
  const std::string& path() const { return path_; }
  // `path() + "/" + name`, for messages.
  std::string child_path(const std::string& name) const;

  // Existence checks; `name` may be a relative path ("dense/kernel:0"); never throw for
  // a missing intermediate group.
  bool has(const std::string& name) const;
  bool has_group(const std::string& name) const;
  bool has_dataset(const std::string& name) const;
  bool has_attr(const std::string& name) const;

  Group group(const std::string& name) const;
  // Creates intermediate groups as needed ("a/b/c").
  Group create_group(const std::string& name) const;
  // Opens `name`, creating it (and its parents) when missing.
  Group require_group(const std::string& name) const;
  // Names of the direct children (groups and datasets), in name order.
  std::vector<std::string> children() const;
  std::vector<std::string> attr_names() const;

  DatasetInfo dataset_info(const std::string& name) const;
  // float32/float64/int32/int64 datasets come back in their dtype; other integer or
  // float widths are converted (to int32/int64, float32/float64). 0-d datasets give 0-d
  // tensors. IOError for strings, compounds and other classes.
  Tensor read_dataset(const std::string& name) const;
  // float32/float64/int32/int64 as little-endian IEEE / two's complement (other dtypes:
  // TypeError). Intermediate groups in `name` are created.
  void write_dataset(const std::string& name, const Tensor& value) const;

  // A string attribute, fixed- or variable-length (a 1-element array is accepted too).
  std::string read_string_attr(const std::string& name) const;
  // Variable-length UTF-8 (h5py's str) or fixed-length null-padded bytes (numpy's S).
  void write_string_attr(const std::string& name, const std::string& value, bool variable_length = true) const;
  // An array of strings under `name`, or Keras's chunked form `name0`, `name1`, ... when
  // `name` is absent. An empty numeric array (how h5py stores an empty list) reads as
  // empty; a missing attribute is an IOError unless `missing_ok`, then empty.
  std::vector<std::string> read_string_array_attr(const std::string& name, bool missing_ok = false) const;
  // Fixed-length null-padded strings (numpy's S), split into `name0`, `name1`, ... like
  // Keras when one attribute would exceed 64512 bytes. An empty list is stored as an empty
  // float64 array, as h5py does.
  void write_string_array_attr(const std::string& name, const std::vector<std::string>& values) const;
  // The attribute's values as numbers (for tests of numeric attributes); IOError for strings.
  std::vector<double> read_numeric_attr(const std::string& name) const;
  // "string", "vlen_string", "float64", "int64", ... with the element count.
  std::pair<std::string, std::int64_t> attr_info(const std::string& name) const;

 protected:
  // How many times its stored size a dataset may claim (compression): more is corruption.
  static constexpr std::uint64_t kMaxExpansion = 1024;
  std::uint64_t file_size() const;
  Group(Handle handle, std::string filename, std::string path);
  [[noreturn]] void fail(const std::string& object, const std::string& what) const;

  Handle handle_;
  std::string filename_;
  std::string path_;
};

class File : public Group {
 public:
  // Opens an existing file read-only. IOError for a missing, non-HDF5, truncated or
  // corrupt file.
  static File open(const std::string& filename);
  // Creates (truncates) a file for writing.
  static File create(const std::string& filename);
  // The same in memory (HDF5's core driver): `name` labels messages and must not name an
  // existing file. A `.keras` archive holds its weights file as a zip member, so it is
  // read and written this way.
  static File open_image(const std::string& bytes, const std::string& name);
  static File create_in_memory(const std::string& name);
  // The file's bytes as they would be on disk (flushes first).
  std::string image() const;
  // Flushes and closes; an IOError when HDF5 reports a failure. Open groups and datasets
  // taken from this file must be gone by then for the file to close at once.
  void close();

 private:
  using Group::Group;
};

// Calls H5Eset_auto(H5E_DEFAULT, NULL, NULL) for this thread (HDF5's error stack is per
// thread); the wrapper does it on every open and create.
void silence_hdf5_errors();

}  // namespace keras::saving::h5
