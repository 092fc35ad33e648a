#!/usr/bin/python3
"""Golden strings for tests/test_print.cpp: numpy's str() and repr() of arrays, with
numpy's default print options. Writes print/<case>.npy (the array), print/<case>.str.txt
and print/<case>.repr.txt.
Run: /usr/bin/python3 tests/golden/gen_print.py"""
import os

import numpy as np

np.set_printoptions()  # numpy's defaults: precision 8, threshold 1000, linewidth 75
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "print")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240607)
f32, f64, i32, i64 = np.float32, np.float64, np.int32, np.int64

cases = {
    # positional floats: alignment, trailing-zero trimming, 8-digit rounding
    "f32_2x2": np.array([[1, 2], [3, 4]], dtype=f32),
    "f32_grad": np.array([-0.5, -0.75, 20.0], dtype=f32),
    "f32_thirds": np.array([1 / 3, 2 / 3, -1 / 7, 10.0], dtype=f32),
    "f64_thirds": np.array([1 / 3, 2 / 3, -1 / 7, 10.0], dtype=f64),
    "f64_tenths": np.array([0.1, 0.2, 0.3 + 1e-12, 1e-3]),
    "f32_neg_zero": np.array([-0.0, 0.0, 1.0], dtype=f32),
    "f32_integers": np.array([1e7, 1.0, -3.0], dtype=f32),
    "f32_normal_3x4": rng.standard_normal((3, 4)).astype(f32),
    "f64_normal_2x3x4": rng.standard_normal((2, 3, 4)),
    "f32_uniform_4d": rng.uniform(-5, 5, (2, 2, 2, 3)).astype(f32),
    # scientific notation: tiny values, huge values, ratio > 1000, 3-digit exponents
    "f32_tiny": np.array([1e-5, 1.2345678e-5, 3.0], dtype=f32),
    "f64_huge": np.array([1e9, -2.5e10, 3.0]),
    "f32_ratio": np.array([0.001, 10.0], dtype=f32),
    "f64_exp3": np.array([1e-100, 1.0]),
    "f64_exp_mixed": rng.standard_normal(7) * 10.0 ** rng.integers(-12, 12, 7),
    # non-finite values
    "f64_nonfinite": np.array([np.nan, np.inf, -np.inf, 1.5]),
    "f32_nonfinite_exp": np.array([np.nan, 1e-7, -np.inf], dtype=f32),
    "f32_all_nan": np.array([np.nan, np.nan], dtype=f32),
    "f32_inf_only": np.array([np.inf, 0.0], dtype=f32),
    # line wrapping (str and repr wrap at different places)
    "f32_long": (rng.standard_normal(40) * 100).astype(f32),
    "f64_long": rng.standard_normal(23),
    "f32_wide_2d": (rng.standard_normal((3, 17)) * 1000).astype(f32),
    "f32_arange_11": np.arange(11, dtype=f32) / 7,
    "f32_arange_9": np.arange(9, dtype=f32) / 7,
    "f32_arange_10": np.arange(10, dtype=f32) / 7,
    # summarisation (> 1000 elements)
    "f32_summary_1d": np.linspace(-1, 1, 1001, dtype=f32),
    "f32_summary_2d": rng.standard_normal((33, 32)).astype(f32),
    "f32_summary_3d": rng.uniform(0, 1, (12, 9, 10)).astype(f32),
    "f64_summary_short_axis": rng.uniform(0, 1, (2, 501)),
    "i32_summary": np.arange(1040, dtype=i32).reshape(40, 26) * 37 - 9000,
    "i64_summary_1d": np.arange(1001, dtype=i64) - 500,
    "bool_summary": rng.uniform(0, 1, (2, 3, 200)) > 0.5,
    # integers and bools
    "i32_mixed": np.array([-5, 100, 3], dtype=i32),
    "i64_2x3": np.array([[1, -20, 300], [4, 5, 6]], dtype=i64),
    "i32_4d": np.arange(16, dtype=i32).reshape(2, 2, 2, 2) - 8,
    "i64_long": rng.integers(-10**9, 10**9, 30, dtype=i64),
    "bool_2x3": np.array([[True, False, True], [False, False, True]]),
    # 0-d arrays: str() prints the scalar, repr() the array
    "f32_scalar": np.array(27.5, dtype=f32),
    "f32_scalar_third": np.array(1 / 3, dtype=f32),
    "f64_scalar_third": np.array(1 / 3, dtype=f64),
    "f32_scalar_tiny": np.array(1e-5, dtype=f32),
    "f64_scalar_big": np.array(1e16),
    "f64_scalar_nan": np.array(np.nan),
    "i32_scalar": np.array(-7, dtype=i32),
    "i64_scalar": np.array(12, dtype=i64),
    "bool_scalar": np.array(True),
    # empty arrays
    "f32_empty": np.zeros((0,), dtype=f32),
    "f64_empty": np.zeros((0,), dtype=f64),
    "f64_empty_2x0": np.zeros((2, 0)),
    "i64_empty_0x3": np.zeros((0, 3), dtype=i64),
    "bool_empty": np.zeros((0,), dtype=bool),
}

# More corners: round-trip digits that differ from the 8-digit rounding, values at the
# positional/scientific switch, negative-only data, wide integers in repr.
cases.update({
    "f64_point_three": np.array([0.1 + 0.2, 12345678.123456789, -0.5]),
    "f32_at_1e8": np.array([1e8, 1.0], dtype=f32),
    "f32_below_1e8": np.array([99999992.0, 1.0], dtype=f32),
    "f64_ratio_edge": np.array([0.001, 1.0]),
    "f64_negative_exp": -np.array([2.5e-9, 7.0, 1e-6]),
    "f64_half_ties": np.array([0.001953125, 2.5, 0.125]),
    "i64_wide_repr": (rng.integers(-10**15, 10**15, 12, dtype=i64)),
    "i32_summary_edges": np.arange(1001, dtype=i32) * 7,
})
# Random arrays of assorted shapes, scales and dtypes.
for k in range(24):
    ndim = int(rng.integers(1, 4))
    shape = tuple(int(d) for d in rng.integers(1, 8, ndim))
    scale = 10.0 ** int(rng.integers(-6, 9))
    dtype = (f32, f64, i32, i64)[k % 4]
    values = rng.standard_normal(shape) * scale
    cases[f"random_{k:02d}"] = values.astype(dtype) if dtype in (f32, f64) else np.round(values).astype(dtype)

for name, a in cases.items():
    np.save(os.path.join(out, name + ".npy"), a)
    for kind, text in (("str", str(a)), ("repr", repr(a))):
        with open(os.path.join(out, f"{name}.{kind}.txt"), "w") as f:
            f.write(text)
print(f"wrote {len(cases)} cases to {out}")
