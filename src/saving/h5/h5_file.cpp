// The HDF5 wrapper for Keras's weight files (see h5_file.hpp).
#include "saving/h5/h5_file.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <type_traits>

#include "keras/errors.hpp"
#include "saving/h5/global_heap.hpp"

namespace keras::saving::h5 {

static_assert(std::is_same_v<hid_t, std::int64_t>, "keras-cpp expects HDF5 >= 1.10 (64-bit hid_t)");

namespace {

// Keras's HDF5_OBJECT_HEADER_LIMIT: larger name arrays are split across attributes.
constexpr std::size_t kAttrLimit = 64512;

// The innermost message on HDF5's error stack (its own printing is off), or "".
herr_t walk_error(unsigned n, const H5E_error2_t* err, void* data) {
  auto* out = static_cast<std::string*>(data);
  if (n == 0 && err && err->desc) *out = err->desc;
  return 0;
}

std::string hdf5_reason() {
  std::string reason;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walk_error, &reason);
  H5Eclear2(H5E_DEFAULT);
  return reason.empty() ? std::string() : " (HDF5: " + reason + ")";
}

std::string join_path(const std::string& parent, const std::string& name) {
  if (name.empty()) return parent;
  if (parent.empty() || parent == "/") return "/" + name;
  return parent + "/" + name;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : path) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

hid_t file_type_of(DType dtype) {
  switch (dtype) {
    case DType::float32: return H5T_IEEE_F32LE;
    case DType::float64: return H5T_IEEE_F64LE;
    case DType::int32: return H5T_STD_I32LE;
    case DType::int64: return H5T_STD_I64LE;
    default: throw TypeError("HDF5 datasets of dtype " + std::string(dtype_name(dtype)) + " are not supported");
  }
}

hid_t memory_type_of(DType dtype) {
  switch (dtype) {
    case DType::float32: return H5T_NATIVE_FLOAT;
    case DType::float64: return H5T_NATIVE_DOUBLE;
    case DType::int32: return H5T_NATIVE_INT32;
    case DType::int64: return H5T_NATIVE_INT64;
    default: throw TypeError("HDF5 datasets of dtype " + std::string(dtype_name(dtype)) + " are not supported");
  }
}

std::string numpy_name(hid_t type) {
  const H5T_class_t cls = H5Tget_class(type);
  const std::size_t size = H5Tget_size(type);
  if (cls == H5T_FLOAT) return "float" + std::to_string(size * 8);
  if (cls == H5T_INTEGER) {
    const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
    return std::string(is_signed ? "int" : "uint") + std::to_string(size * 8);
  }
  if (cls == H5T_STRING) return H5Tis_variable_str(type) > 0 ? "vlen_string" : "string";
  if (cls == H5T_ENUM) return "enum";
  if (cls == H5T_COMPOUND) return "compound";
  return "other";
}

}  // namespace

void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

struct Handle::State {
  hid_t id;
  char kind;
  State(hid_t i, char k) : id(i), kind(k) {}
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    switch (kind) {
      case 'f': H5Fclose(id); break;
      case 'g': H5Gclose(id); break;
      case 'd': H5Dclose(id); break;
      case 'a': H5Aclose(id); break;
      case 's': H5Sclose(id); break;
      case 't': H5Tclose(id); break;
      case 'p': H5Pclose(id); break;
      case 'o': H5Oclose(id); break;
      default: break;
    }
  }
};

Handle::Handle(std::int64_t id, char kind) : state_(std::make_shared<State>(id, kind)) {}

std::int64_t Handle::id() const { return state_ ? state_->id : H5I_INVALID_HID; }

// --- Group -----------------------------------------------------------------------------

Group::Group(Handle handle, std::string filename, std::string path)
    : handle_(std::move(handle)), filename_(std::move(filename)), path_(std::move(path)) {}

std::string Group::child_path(const std::string& name) const { return join_path(path_, name); }

void Group::fail(const std::string& object, const std::string& what) const {
  throw IOError("HDF5 file '" + filename_ + "', object '" + object + "': " + what + hdf5_reason());
}

bool Group::has(const std::string& name) const {
  if (!handle_.valid()) return false;
  std::string prefix;
  for (const auto& part : split_path(name)) {
    prefix = prefix.empty() ? part : prefix + "/" + part;
    const htri_t e = H5Lexists(handle_.id(), prefix.c_str(), H5P_DEFAULT);
    if (e <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
  }
  if (prefix.empty()) return false;
  const htri_t ok = H5Oexists_by_name(handle_.id(), prefix.c_str(), H5P_DEFAULT);
  H5Eclear2(H5E_DEFAULT);
  return ok > 0;
}

namespace {
H5I_type_t object_type(hid_t loc, const std::string& name) {
  const hid_t obj = H5Oopen(loc, name.c_str(), H5P_DEFAULT);
  if (obj < 0) {
    H5Eclear2(H5E_DEFAULT);
    return H5I_BADID;
  }
  const H5I_type_t t = H5Iget_type(obj);
  H5Oclose(obj);
  return t;
}
}  // namespace

bool Group::has_group(const std::string& name) const {
  return has(name) && object_type(handle_.id(), name) == H5I_GROUP;
}

bool Group::has_dataset(const std::string& name) const {
  return has(name) && object_type(handle_.id(), name) == H5I_DATASET;
}

bool Group::has_attr(const std::string& name) const {
  if (!handle_.valid()) return false;
  const htri_t e = H5Aexists(handle_.id(), name.c_str());
  H5Eclear2(H5E_DEFAULT);
  return e > 0;
}

Group Group::group(const std::string& name) const {
  const std::string p = child_path(name);
  if (!has(name)) fail(p, "no such group");
  const hid_t id = H5Gopen2(handle_.id(), name.c_str(), H5P_DEFAULT);
  if (id < 0) fail(p, "cannot open the group (not a group, or corrupt)");
  return Group(Handle(id, 'g'), filename_, p);
}

Group Group::create_group(const std::string& name) const {
  const std::string p = child_path(name);
  const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  if (lcpl < 0) fail(p, "cannot create a property list");
  Handle lcpl_h(lcpl, 'p');
  H5Pset_create_intermediate_group(lcpl, 1);
  const hid_t id = H5Gcreate2(handle_.id(), name.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) fail(p, "cannot create the group");
  return Group(Handle(id, 'g'), filename_, p);
}

Group Group::require_group(const std::string& name) const { return has(name) ? group(name) : create_group(name); }

std::vector<std::string> Group::children() const {
  H5G_info_t info;
  if (H5Gget_info(handle_.id(), &info) < 0) fail(path_, "cannot list the group");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t n = H5Lget_name_by_idx(handle_.id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (n < 0) fail(path_, "cannot read a link name");
    std::string name(static_cast<std::size_t>(n) + 1, '\0');
    if (H5Lget_name_by_idx(handle_.id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT) < 0) {
      fail(path_, "cannot read a link name");
    }
    name.resize(static_cast<std::size_t>(n));
    names.push_back(name);
  }
  return names;
}

namespace {
herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}
}  // namespace

std::vector<std::string> Group::attr_names() const {
  std::vector<std::string> names;
  hsize_t idx = 0;
  if (H5Aiterate2(handle_.id(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, &names) < 0) {
    fail(path_, "cannot list the attributes");
  }
  return names;
}

// --- datasets ----------------------------------------------------------------------------

std::uint64_t Group::file_size() const {
  Handle file(H5Iget_file_id(handle_.id()), 'f');
  hsize_t size = 0;
  if (H5Fget_filesize(file.id(), &size) < 0) fail("/", "cannot read the file's size");
  return size;
}

DatasetInfo Group::dataset_info(const std::string& name) const {
  const std::string p = child_path(name);
  if (!has_dataset(name)) fail(p, has(name) ? "not a dataset" : "no such dataset");
  const hid_t d = H5Dopen2(handle_.id(), name.c_str(), H5P_DEFAULT);
  if (d < 0) fail(p, "cannot open the dataset");
  Handle dh(d, 'd');
  const hid_t t = H5Dget_type(d);
  if (t < 0) fail(p, "cannot read the dataset's type");
  Handle th(t, 't');
  const hid_t s = H5Dget_space(d);
  if (s < 0) fail(p, "cannot read the dataset's shape");
  Handle sh(s, 's');
  const int rank = H5Sget_simple_extent_ndims(s);
  if (rank < 0 || rank > 32) fail(p, "bad dataspace rank");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(s, dims.data(), nullptr) < 0) fail(p, "cannot read the dataset's shape");
  DatasetInfo info;
  for (auto d0 : dims) {
    if (d0 > static_cast<hsize_t>(std::numeric_limits<std::int64_t>::max())) fail(p, "impossible dataset shape");
    info.shape.push_back(static_cast<std::int64_t>(d0));
  }
  if (!checked_shape_size(info.shape)) fail(p, "impossible dataset shape " + shape_str(info.shape));
  info.dtype = numpy_name(t);
  return info;
}

Tensor Group::read_dataset(const std::string& name) const {
  const std::string p = child_path(name);
  const DatasetInfo info = dataset_info(name);
  const hid_t d = H5Dopen2(handle_.id(), name.c_str(), H5P_DEFAULT);
  if (d < 0) fail(p, "cannot open the dataset");
  Handle dh(d, 'd');
  const hid_t t = H5Dget_type(d);
  if (t < 0) fail(p, "cannot read the dataset's type");
  Handle th(t, 't');
  const H5T_class_t cls = H5Tget_class(t);
  const std::size_t size = H5Tget_size(t);
  DType dtype;
  if (cls == H5T_FLOAT) {
    dtype = size <= 4 ? DType::float32 : DType::float64;
  } else if (cls == H5T_INTEGER) {
    dtype = size <= 4 && !(size == 4 && H5Tget_sign(t) == H5T_SGN_NONE) ? DType::int32 : DType::int64;
  } else {
    fail(p, "dataset of type " + info.dtype + " is not a numeric array");
  }
  // A corrupt file may claim any shape: refuse more data than the file could hold, even
  // compressed, before allocating it.
  const std::uint64_t claimed = static_cast<std::uint64_t>(*checked_shape_size(info.shape)) * dtype_size(dtype);
  if (claimed > kMaxExpansion * file_size() + (1u << 20)) {
    fail(p, "dataset of shape " + shape_str(info.shape) + " claims " + std::to_string(claimed) +
                " bytes, more than a file of " + std::to_string(file_size()) + " bytes can hold");
  }
  Tensor out;
  try {
    out = Tensor::empty(info.shape, dtype, Device{});
  } catch (const std::exception&) {
    fail(p, "dataset of shape " + shape_str(info.shape) + " cannot be allocated");
  }
  if (out.size() > 0 && H5Dread(d, memory_type_of(dtype), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.raw_data()) < 0) {
    fail(p, "cannot read the dataset's data");
  }
  return out;
}

void Group::write_dataset(const std::string& name, const Tensor& value) const {
  const std::string p = child_path(name);
  const hid_t ftype = file_type_of(value.dtype());
  const Tensor host = value.to(Device{});
  std::vector<hsize_t> dims;
  for (auto d : host.shape()) dims.push_back(static_cast<hsize_t>(d));
  const hid_t s = dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  if (s < 0) fail(p, "cannot create a dataspace");
  Handle sh(s, 's');
  const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  if (lcpl < 0) fail(p, "cannot create a property list");
  Handle lcpl_h(lcpl, 'p');
  H5Pset_create_intermediate_group(lcpl, 1);
  const hid_t d = H5Dcreate2(handle_.id(), name.c_str(), ftype, s, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  if (d < 0) fail(p, "cannot create the dataset");
  Handle dh(d, 'd');
  // Tensors are contiguous (storage + offset + shape), so raw_data() is the whole array.
  if (host.size() > 0 && H5Dwrite(d, memory_type_of(value.dtype()), H5S_ALL, H5S_ALL, H5P_DEFAULT, host.raw_data()) < 0) {
    fail(p, "cannot write the dataset's data");
  }
}

// --- attributes --------------------------------------------------------------------------

std::pair<std::string, std::int64_t> Group::attr_info(const std::string& name) const {
  const std::string p = child_path("@" + name);
  if (!has_attr(name)) fail(p, "no such attribute");
  const hid_t a = H5Aopen(handle_.id(), name.c_str(), H5P_DEFAULT);
  if (a < 0) fail(p, "cannot open the attribute");
  Handle ah(a, 'a');
  const hid_t t = H5Aget_type(a);
  if (t < 0) fail(p, "cannot read the attribute's type");
  Handle th(t, 't');
  const hid_t s = H5Aget_space(a);
  if (s < 0) fail(p, "cannot read the attribute's shape");
  Handle sh(s, 's');
  const hssize_t n = H5Sget_simple_extent_npoints(s);
  if (n < 0) fail(p, "bad attribute dataspace");
  return {numpy_name(t), static_cast<std::int64_t>(n)};
}

namespace {

// Reads every element of a string attribute (fixed or variable length); `ok` false for a
// non-string attribute.
std::vector<std::string> read_strings(const Group& g, hid_t a, hid_t t, hid_t s, const std::string& p, bool& ok) {
  ok = H5Tget_class(t) == H5T_STRING;
  std::vector<std::string> out;
  if (!ok) return out;
  const hssize_t n = H5Sget_simple_extent_npoints(s);
  if (n < 0) throw IOError("HDF5 file '" + g.filename() + "', object '" + p + "': bad attribute dataspace" + hdf5_reason());
  const auto count = static_cast<std::size_t>(n);
  const hid_t mem = H5Tcopy(H5T_C_S1);
  Handle mh(mem, 't');
  if (H5Tis_variable_str(t) > 0) {
    H5Tset_size(mem, H5T_VARIABLE);
    H5Tset_cset(mem, H5Tget_cset(t));
    std::vector<char*> buf(std::max<std::size_t>(count, 1), nullptr);
    if (H5Aread(a, mem, buf.data()) < 0) {
      throw IOError("HDF5 file '" + g.filename() + "', object '" + p + "': cannot read the attribute" + hdf5_reason());
    }
    for (std::size_t i = 0; i < count; ++i) out.emplace_back(buf[i] ? buf[i] : "");
    H5Dvlen_reclaim(mem, s, H5P_DEFAULT, buf.data());
  } else {
    const std::size_t size = H5Tget_size(t);
    if (size == 0 || size > (1u << 30)) {
      throw IOError("HDF5 file '" + g.filename() + "', object '" + p + "': bad string size");
    }
    H5Tset_size(mem, size);
    H5Tset_strpad(mem, H5T_STR_NULLPAD);
    H5Tset_cset(mem, H5Tget_cset(t));
    std::string buf(size * std::max<std::size_t>(count, 1), '\0');
    if (H5Aread(a, mem, buf.data()) < 0) {
      throw IOError("HDF5 file '" + g.filename() + "', object '" + p + "': cannot read the attribute" + hdf5_reason());
    }
    for (std::size_t i = 0; i < count; ++i) {
      std::string v = buf.substr(i * size, size);
      const auto nul = v.find('\0');
      if (nul != std::string::npos) v.resize(nul);
      out.push_back(v);
    }
  }
  return out;
}

}  // namespace

std::string Group::read_string_attr(const std::string& name) const {
  const std::string p = child_path("@" + name);
  if (!has_attr(name)) fail(p, "no such attribute");
  const hid_t a = H5Aopen(handle_.id(), name.c_str(), H5P_DEFAULT);
  if (a < 0) fail(p, "cannot open the attribute");
  Handle ah(a, 'a');
  const hid_t t = H5Aget_type(a);
  if (t < 0) fail(p, "cannot read the attribute's type");
  Handle th(t, 't');
  const hid_t s = H5Aget_space(a);
  if (s < 0) fail(p, "cannot read the attribute's shape");
  Handle sh(s, 's');
  bool ok = false;
  auto values = read_strings(*this, a, t, s, p, ok);
  if (!ok) fail(p, "attribute is not a string");
  if (values.size() != 1) fail(p, "expected one string, found " + std::to_string(values.size()));
  return values[0];
}

std::vector<std::string> Group::read_string_array_attr(const std::string& name, bool missing_ok) const {
  auto read_one = [&](const std::string& attr) {
    const std::string p = child_path("@" + attr);
    const hid_t a = H5Aopen(handle_.id(), attr.c_str(), H5P_DEFAULT);
    if (a < 0) fail(p, "cannot open the attribute");
    Handle ah(a, 'a');
    const hid_t t = H5Aget_type(a);
    if (t < 0) fail(p, "cannot read the attribute's type");
    Handle th(t, 't');
    const hid_t s = H5Aget_space(a);
    if (s < 0) fail(p, "cannot read the attribute's shape");
    Handle sh(s, 's');
    bool ok = false;
    auto values = read_strings(*this, a, t, s, p, ok);
    if (!ok) {
      // h5py stores an empty list as an empty float64 array.
      if (H5Sget_simple_extent_npoints(s) == 0) return std::vector<std::string>{};
      fail(p, "attribute is not an array of strings (" + numpy_name(t) + ")");
    }
    return values;
  };
  if (has_attr(name)) return read_one(name);
  std::vector<std::string> all;
  int chunk = 0;
  while (has_attr(name + std::to_string(chunk))) {
    auto part = read_one(name + std::to_string(chunk));
    all.insert(all.end(), part.begin(), part.end());
    ++chunk;
  }
  if (chunk == 0 && !missing_ok) fail(child_path("@" + name), "no such attribute");
  return all;
}

std::vector<double> Group::read_numeric_attr(const std::string& name) const {
  const std::string p = child_path("@" + name);
  if (!has_attr(name)) fail(p, "no such attribute");
  const hid_t a = H5Aopen(handle_.id(), name.c_str(), H5P_DEFAULT);
  if (a < 0) fail(p, "cannot open the attribute");
  Handle ah(a, 'a');
  const hid_t t = H5Aget_type(a);
  Handle th(t, 't');
  const hid_t s = H5Aget_space(a);
  Handle sh(s, 's');
  if (t < 0 || s < 0) fail(p, "cannot read the attribute");
  const H5T_class_t cls = H5Tget_class(t);
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) fail(p, "attribute is not numeric");
  const hssize_t n = H5Sget_simple_extent_npoints(s);
  if (n < 0) fail(p, "bad attribute dataspace");
  std::vector<double> out(static_cast<std::size_t>(std::max<hssize_t>(n, 1)));
  if (n > 0 && H5Aread(a, H5T_NATIVE_DOUBLE, out.data()) < 0) fail(p, "cannot read the attribute");
  out.resize(static_cast<std::size_t>(n));
  return out;
}

void Group::write_string_attr(const std::string& name, const std::string& value, bool variable_length) const {
  const std::string p = child_path("@" + name);
  if (has_attr(name) && H5Adelete(handle_.id(), name.c_str()) < 0) fail(p, "cannot replace the attribute");
  const hid_t t = H5Tcopy(H5T_C_S1);
  Handle th(t, 't');
  if (variable_length) {
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
  } else {
    H5Tset_size(t, std::max<std::size_t>(value.size(), 1));
    H5Tset_strpad(t, H5T_STR_NULLPAD);
  }
  const hid_t s = H5Screate(H5S_SCALAR);
  Handle sh(s, 's');
  const hid_t a = H5Acreate2(handle_.id(), name.c_str(), t, s, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) fail(p, "cannot create the attribute");
  Handle ah(a, 'a');
  herr_t rc;
  if (variable_length) {
    const char* ptr = value.c_str();
    rc = H5Awrite(a, t, &ptr);
  } else {
    std::string buf = value;
    buf.resize(std::max<std::size_t>(value.size(), 1), '\0');
    rc = H5Awrite(a, t, buf.data());
  }
  if (rc < 0) fail(p, "cannot write the attribute");
}

void Group::write_string_array_attr(const std::string& name, const std::vector<std::string>& values) const {
  auto write_one = [&](const std::string& attr, std::size_t begin, std::size_t end) {
    const std::string p = child_path("@" + attr);
    if (has_attr(attr) && H5Adelete(handle_.id(), attr.c_str()) < 0) fail(p, "cannot replace the attribute");
    const hsize_t n = end - begin;
    const hid_t s = H5Screate_simple(1, &n, nullptr);
    Handle sh(s, 's');
    if (n == 0) {
      const hid_t a = H5Acreate2(handle_.id(), attr.c_str(), H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT);
      if (a < 0) fail(p, "cannot create the attribute");
      Handle ah(a, 'a');
      return;
    }
    std::size_t width = 1;
    for (std::size_t i = begin; i < end; ++i) width = std::max(width, values[i].size());
    const hid_t t = H5Tcopy(H5T_C_S1);
    Handle th(t, 't');
    H5Tset_size(t, width);
    H5Tset_strpad(t, H5T_STR_NULLPAD);
    std::string buf(width * n, '\0');
    for (std::size_t i = begin; i < end; ++i) std::memcpy(buf.data() + (i - begin) * width, values[i].data(), values[i].size());
    const hid_t a = H5Acreate2(handle_.id(), attr.c_str(), t, s, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) fail(p, "cannot create the attribute");
    Handle ah(a, 'a');
    if (H5Awrite(a, t, buf.data()) < 0) fail(p, "cannot write the attribute");
  };
  // numpy's array_split into k chunks: the first (n % k) chunks get one extra element;
  // every chunk's bytes use the whole array's item size, as numpy's S dtype does.
  std::size_t width = 1;
  for (const auto& v : values) width = std::max(width, v.size());
  const std::size_t n = values.size();
  std::size_t chunks = 1;
  while (chunks < n && ((n + chunks - 1) / chunks) * width > kAttrLimit) ++chunks;
  if (chunks == 1) {
    write_one(name, 0, n);
    return;
  }
  std::size_t begin = 0;
  for (std::size_t k = 0; k < chunks; ++k) {
    const std::size_t len = n / chunks + (k < n % chunks ? 1 : 0);
    write_one(name + std::to_string(k), begin, begin + len);
    begin += len;
  }
}

// --- File --------------------------------------------------------------------------------

File File::open(const std::string& filename) {
  silence_hdf5_errors();
  const htri_t is_h5 = H5Fis_hdf5(filename.c_str());
  if (is_h5 <= 0) {
    H5Eclear2(H5E_DEFAULT);
    FILE* f = std::fopen(filename.c_str(), "rb");
    if (!f) throw IOError("Cannot open HDF5 file '" + filename + "': no such file or not readable");
    std::fclose(f);
    throw IOError("Cannot open HDF5 file '" + filename + "': not an HDF5 file (bad signature)");
  }
  check_global_heaps_in_file(filename);
  const hid_t id = H5Fopen(filename.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) {
    throw IOError("Cannot open HDF5 file '" + filename + "': truncated or corrupt" + hdf5_reason());
  }
  const hid_t root = H5Gopen2(id, "/", H5P_DEFAULT);
  Handle fh(id, 'f');
  if (root < 0) throw IOError("Cannot open HDF5 file '" + filename + "': cannot open the root group" + hdf5_reason());
  File f(Handle(root, 'g'), filename, "/");
  fh.reset();  // the root group keeps the file open (weak close)
  return f;
}

File File::create(const std::string& filename) {
  silence_hdf5_errors();
  const hid_t id = H5Fcreate(filename.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) throw IOError("Cannot create HDF5 file '" + filename + "'" + hdf5_reason());
  const hid_t root = H5Gopen2(id, "/", H5P_DEFAULT);
  Handle fh(id, 'f');
  if (root < 0) throw IOError("Cannot create HDF5 file '" + filename + "': cannot open the root group" + hdf5_reason());
  File f(Handle(root, 'g'), filename, "/");
  fh.reset();
  return f;
}

File File::open_image(const std::string& bytes, const std::string& name) {
  silence_hdf5_errors();
  check_global_heaps(bytes, name);
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), 'p');
  if (H5Pset_fapl_core(fapl.id(), 1 << 16, 0) < 0 ||
      H5Pset_file_image(fapl.id(), const_cast<char*>(bytes.data()), bytes.size()) < 0) {
    throw IOError("Cannot open HDF5 file '" + name + "' from memory" + hdf5_reason());
  }
  const hid_t id = H5Fopen(name.c_str(), H5F_ACC_RDONLY, fapl.id());
  if (id < 0) throw IOError("Cannot open HDF5 file '" + name + "': not an HDF5 file, truncated or corrupt" + hdf5_reason());
  Handle fh(id, 'f');
  const hid_t root = H5Gopen2(id, "/", H5P_DEFAULT);
  if (root < 0) throw IOError("Cannot open HDF5 file '" + name + "': cannot open the root group" + hdf5_reason());
  return File(Handle(root, 'g'), name, "/");
}

File File::create_in_memory(const std::string& name) {
  silence_hdf5_errors();
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), 'p');
  if (H5Pset_fapl_core(fapl.id(), 1 << 16, 0) < 0) throw IOError("Cannot create HDF5 file '" + name + "' in memory");
  const hid_t id = H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.id());
  if (id < 0) throw IOError("Cannot create HDF5 file '" + name + "' in memory" + hdf5_reason());
  Handle fh(id, 'f');
  const hid_t root = H5Gopen2(id, "/", H5P_DEFAULT);
  if (root < 0) throw IOError("Cannot create HDF5 file '" + name + "': cannot open the root group" + hdf5_reason());
  return File(Handle(root, 'g'), name, "/");
}

std::string File::image() const {
  if (H5Fflush(handle_.id(), H5F_SCOPE_GLOBAL) < 0) fail("/", "cannot flush the file");
  Handle file(H5Iget_file_id(handle_.id()), 'f');
  const ssize_t size = H5Fget_file_image(file.id(), nullptr, 0);
  if (size < 0) fail("/", "cannot take the file's image");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (H5Fget_file_image(file.id(), bytes.data(), bytes.size()) != size) fail("/", "cannot take the file's image");
  return bytes;
}

void File::close() {
  if (!handle_.valid()) return;
  if (H5Fflush(handle_.id(), H5F_SCOPE_GLOBAL) < 0) fail("/", "cannot flush the file");
  handle_.reset();
}

}  // namespace keras::saving::h5
