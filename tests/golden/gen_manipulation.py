#!/usr/bin/python3
"""Golden values for tests/test_ops_manipulation.cpp, computed with numpy alone.
Each case writes its inputs (<case>_x.npy, ...) and numpy's result (<case>.npy).
Run: /usr/bin/python3 tests/golden/gen_manipulation.py"""
import os

import numpy as np

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "manipulation")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240611)


def save(name, a):
    np.save(os.path.join(out, name + ".npy"), np.ascontiguousarray(a))


def floats(*shape):
    return rng.uniform(-2, 2, size=shape).astype(np.float32)


def ints(*shape):
    return rng.integers(-50, 50, size=shape).astype(np.int32)


def bools(*shape):
    return rng.random(shape) < 0.5


f234 = floats(2, 3, 4)
i34 = ints(3, 4)
b23 = bools(2, 3)
f56 = floats(5, 6)
save("f234", f234)
save("i34", i34)
save("b23", b23)
save("f56", f56)

# Axis permutations.
save("transpose_f234", np.transpose(f234))
save("transpose_f234_102", np.transpose(f234, (1, 0, 2)))
save("transpose_f234_201", np.transpose(f234, (2, 0, 1)))
save("transpose_i34", np.transpose(i34))
save("transpose_b23", np.transpose(b23))
save("moveaxis_f234_0_m1", np.moveaxis(f234, 0, -1))
save("swapaxes_f234_0_2", np.swapaxes(f234, 0, 2))

# Joining and splitting.
c_a = floats(2, 3)
c_b = floats(2, 1)
c_i = ints(1, 3)
save("concat_a", c_a)
save("concat_b", c_b)
save("concat_i", c_i)
save("concat_ab_axis1", np.concatenate([c_a, c_b], axis=1))
# Keras promotes int32 + float32 to float32 (numpy would give float64).
save("concat_ia_axis0", np.concatenate([c_i, c_a], axis=0).astype(np.float32))
save("concat_bool_axis0", np.concatenate([b23, b23[:1]], axis=0))
s0, s1, s2 = floats(2, 3), floats(2, 3), floats(2, 3)
save("stack_0", s0)
save("stack_1", s1)
save("stack_2", s2)
save("stack_axis1", np.stack([s0, s1, s2], axis=1))
save("stack_axism1", np.stack([s0, s1, s2], axis=-1))
sp = floats(6, 5)
save("split_x", sp)
for k, piece in enumerate(np.split(sp, 3, axis=0)):
    save(f"split_3_axis0_{k}", piece)
for k, piece in enumerate(np.split(sp, [1, 3], axis=1)):
    save(f"split_idx13_axis1_{k}", piece)

# Slicing.
save("slice_f234", f234[0:2, 1:3, 1:4])
save("strided_f56_a", f56[1:4, 0:6:3])
save("strided_f56_b", f56[4:-100:-2, -1:0:-2])
save("strided_f56_c", f56[-1:-7:-1])
save("strided_f56_d", f56[10:2:-3, -20:20:4])
save("flip_f234_all", np.flip(f234))
save("flip_f234_02", np.flip(f234, axis=(0, 2)))
save("flip_i34_1", np.flip(i34, axis=1))

# Indexing.
t_x = floats(5, 3)
save("take_x", t_x)
t_i0 = np.array([[0, -1], [2, 2]], dtype=np.int32)
t_i1 = np.array([2, 0, -3, 2], dtype=np.int64)
t_flat = np.array([7, -1, 0, 14], dtype=np.int32)
save("take_i0", t_i0)
save("take_i1", t_i1)
save("take_flat", t_flat)
save("take_axis0", np.take(t_x, t_i0, axis=0))
save("take_axis1", np.take(t_x, t_i1, axis=1))
save("take_none", np.take(t_x, t_flat))
save("take_i34_axis1", np.take(i34, t_i1, axis=1))
ta_x = floats(3, 4)
ta_i = np.array([[0, 3], [-1, 1], [2, 2]], dtype=np.int64)
save("tal_x", ta_x)
save("tal_i", ta_i)
save("tal_axis1", np.take_along_axis(ta_x, ta_i, axis=1))
ta_i0 = np.array([[2, 0, 1, -3]], dtype=np.int32)
save("tal_i0", ta_i0)
save("tal_axis0", np.take_along_axis(ta_x, ta_i0, axis=0))
ta_xb = floats(1, 4)
save("tal_xb", ta_xb)
save("tal_broadcast", np.take_along_axis(ta_xb, ta_i, axis=1))  # x's axis 0 broadcasts to 3
oh_x = np.array([[1, 0, 3], [3, -1, 2]], dtype=np.int32)
save("onehot_x", oh_x)
eye = np.eye(4, dtype=np.float32)
oh = np.where((oh_x >= 0)[..., None], eye[np.clip(oh_x, 0, 3)], 0).astype(np.float32)
save("onehot_last", oh)
save("onehot_axis0", np.moveaxis(oh, -1, 0))

# Padding, tiling, repeating, broadcasting.
p_x = floats(3, 4)
save("pad_x", p_x)
save("pad_constant", np.pad(p_x, ((1, 2), (0, 1)), mode="constant", constant_values=1.5))
save("pad_reflect", np.pad(p_x, ((2, 3), (1, 1)), mode="reflect"))
save("pad_reflect_wide", np.pad(p_x, ((5, 7), (0, 6)), mode="reflect"))
save("pad_symmetric", np.pad(p_x, ((4, 0), (2, 5)), mode="symmetric"))
save("pad_edge", np.pad(p_x, ((1, 2), (3, 0)), mode="edge"))
# Wrap widths stay within the axis: numpy before 1.25 wrapped wider pads differently.
save("pad_wrap", np.pad(p_x, ((3, 1), (0, 4)), mode="wrap"))
save("pad_i34", np.pad(i34, ((0, 1), (2, 0))))
save("tile_f23_212", np.tile(c_a, (2, 1, 2)))
save("tile_f23_3", np.tile(c_a, (3,)))
save("tile_b23_21", np.tile(b23, (2, 1)))
save("repeat_f23_2_axis1", np.repeat(c_a, 2, axis=1))
save("repeat_f23_3_none", np.repeat(c_a, 3))
save("repeat_i34_2_axis0", np.repeat(i34, 2, axis=0))
bc = floats(3, 1)
save("bcast_x", bc)
save("bcast_234", np.broadcast_to(bc, (2, 3, 4)))

# Triangles.
tr_x = floats(2, 4, 5)
save("tri_x", tr_x)
save("tril_0", np.tril(tr_x))
save("tril_1", np.tril(tr_x, 1))
save("triu_m2", np.triu(tr_x, -2))
save("triu_0", np.triu(tr_x))
save("triu_i34_1", np.triu(i34, 1))
