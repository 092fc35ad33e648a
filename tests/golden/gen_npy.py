#!/usr/bin/python3
"""Writes .npy files with numpy itself, for tests/test_npy.cpp: our reader must load them,
and our writer must produce byte-identical files for the same arrays.
Run: /usr/bin/python3 tests/golden/gen_npy.py"""
import os
import numpy as np

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "npy")
os.makedirs(out, exist_ok=True)
arrays = {
    "f32_2x3": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
    "f64_vec": np.array([0.1, -2.5, 3e10], dtype=np.float64),
    "i32_scalar": np.array(7, dtype=np.int32),
    "i64_3d": np.arange(24, dtype=np.int64).reshape(2, 3, 4) - 5,
    "bool_4": np.array([True, False, False, True]),
    "u8_2x2": np.array([[0, 255], [7, 128]], dtype=np.uint8),
    "f32_empty": np.zeros((0, 3), dtype=np.float32),
}
for name, a in arrays.items():
    np.save(os.path.join(out, name + ".npy"), a)
