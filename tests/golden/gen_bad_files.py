#!/usr/bin/python3
"""Corrupt-but-valid HDF5 files for the loaders' error tests, written with h5py.

  /usr/bin/python3 tests/golden/gen_bad_files.py

huge_dataset.weights.h5: a Keras 3 weights tree for one Dense(2) layer on 3 inputs whose
kernel dataset claims shape (2**20, 2**20) of float32 (4 TiB) with no data stored (HDF5
allocates storage late, so the file stays small). A loader must refuse it before trying
to allocate, as it would a file truncated by a bad copy.
"""
import os

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


if __name__ == "__main__":
    main()
