#!/usr/bin/python3
"""Corrupt-but-valid HDF5 files for the loaders' error tests, written with h5py.

  /usr/bin/python3 tests/golden/gen_bad_files.py

huge_dataset.weights.h5: a Keras 3 weights tree for one Dense(2) layer on 3 inputs whose
kernel dataset claims shape (2**20, 2**20) of float32 (4 TiB) with no data stored (HDF5
allocates storage late, so the file stays small). A loader must refuse it before trying
to allocate, as it would a file truncated by a bad copy.

zero_heap_object.h5 and overflow_heap_object.h5: a legacy Keras .h5 whose string
attributes (variable-length, so stored in HDF5's global heap) sit in a collection with
one object header patched: index 0 with size 0 (Debian's libhdf5 1.10.8 decodes that
collection forever), or a size near 2**64 (its decoder then reads past the collection).
The loader must refuse both before HDF5 reads the attributes.
"""
import os
import struct

import h5py

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "bad_files")


def main():
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "huge_dataset.weights.h5")
    with h5py.File(path, "w") as f:
        f.create_group("vars")
        f.create_group("layers/dense/vars").create_dataset("0", shape=(2**20, 2**20), dtype="f4")
        f["layers/dense/vars"].create_dataset("1", data=[0.0, 0.0], dtype="f4")
    print("wrote", path, os.path.getsize(path), "bytes")
    for name, index, size in (("zero_heap_object.h5", 0, 0), ("overflow_heap_object.h5", 1, 2**64 - 8)):
        write_patched_heap(os.path.join(OUT, name), index, size)


def write_patched_heap(path, index, size):
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.4.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = '{"class_name": "Sequential", "config": {"layers": []}}'
    with open(path, "rb") as f:
        data = bytearray(f.read())
    heap = data.find(b"GCOL\x01\x00\x00\x00")
    assert heap > 0 and data.find(b"GCOL", heap + 1) < 0, "expected one global heap collection"
    first_object = heap + 16
    struct.pack_into("<H", data, first_object, index)
    struct.pack_into("<Q", data, first_object + 8, size)
    with open(path, "wb") as f:
        f.write(data)
    print("wrote", path, len(data), "bytes")


if __name__ == "__main__":
    main()
