#pragma once
// A structural check of an HDF5 file's global heap collections, run before HDF5 reads
// anything from them. Debian's libhdf5 1.10.8 decodes a collection in a loop that never
// ends when an object claims size 0, and walks off its buffer when a size overflows;
// both are reached through H5Aread of any variable-length string attribute (every Keras
// file has some), so a corrupt file would hang or crash the loader. Later HDF5 releases
// check this themselves; until Debian ships one, the loader does.
#include <string>
#include <string_view>

namespace keras::saving::h5 {

// Throws keras::IOError naming `name` when a collection ("GCOL" version 1) in `bytes`
// would not decode to a sequence of objects that ends exactly at the collection's end.
void check_global_heaps(std::string_view bytes, const std::string& name);

// The same for a file on disk (mapped, not read into memory).
void check_global_heaps_in_file(const std::string& filename);

}  // namespace keras::saving::h5
