#!/usr/bin/python3
"""Golden layout of keras-cpp's .weights.h5 files, read with h5py (Debian's python3-h5py).

Steps:
  1. KERAS_WRITE_LAYOUT_FILES=1 build-*/tests/test_weights_h5 --gtest_filter='WeightsH5Layout.*'
     writes tests/golden/weights_h5/*.weights.h5 (the layout tests fail until step 2 has run
     once; that is expected).
  2. /usr/bin/python3 tests/golden/gen_weights_h5_layout.py
     reads those files and a real Keras 3.12 file (the model.weights.h5 member of
     /work/shared/keras-files/keras3_mnist_mlp_3_12/mnist_model.keras, read in memory: its
     licence is unknown, so only its layout is recorded), checks the layout rules of
     Keras 3's saving_lib (formats.md section 3.2) on every file independently of the C++
     code, checks that keras-cpp's MNIST MLP file has exactly Keras's layout, writes
     tests/golden/weights_h5/layout.json and removes the .weights.h5 files (--keep keeps them).

layout.json: {"cpp": {file: LAYOUT}, "keras": {file: LAYOUT}}, LAYOUT = {"groups": {path:
{attr: {"type", "value"}}}, "datasets": {path: {"shape", "dtype"}}}; the C++ test walks its
own files the same way and compares.
"""
import glob
import io
import json
import os
import re
import sys
import zipfile

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "weights_h5")
KERAS_ZIP = "/work/shared/keras-files/keras3_mnist_mlp_3_12/mnist_model.keras"


def type_name(tid):
    if isinstance(tid, h5py.h5t.TypeStringID):
        return "vlen_string" if tid.is_variable_str() else "string"
    size = tid.get_size() * 8
    if isinstance(tid, h5py.h5t.TypeFloatID):
        return "float%d" % size
    if isinstance(tid, h5py.h5t.TypeIntegerID):
        return ("int%d" if tid.get_sign() == h5py.h5t.SGN_2 else "uint%d") % size
    return "other"


def attrs_of(obj):
    out = {}
    for k in obj.attrs:
        kind = type_name(obj.attrs.get_id(k).get_type())
        value = None
        if kind.endswith("string"):
            v = obj.attrs[k]
            value = v.decode("utf8") if isinstance(v, bytes) else str(v)
        out[k] = {"type": kind, "value": value}
    return out


def layout(f):
    out = {"groups": {"/": attrs_of(f)}, "datasets": {}}

    def visit(name, obj):
        path = "/" + name
        if isinstance(obj, h5py.Dataset):
            out["datasets"][path] = {"shape": list(obj.shape), "dtype": obj.dtype.name}
        else:
            out["groups"][path] = attrs_of(obj)

    f.visititems(visit)
    return out


def check_rules(name, lay, functional):
    """Keras 3's saving_lib layout rules (formats.md 3.2), checked on the h5py view."""
    groups, datasets = lay["groups"], lay["datasets"]
    for path, attrs in groups.items():
        base = path.rsplit("/", 1)[-1]
        if base == "vars":
            # Keras >= 3.6: a named saveable's vars group carries its name (h5py str).
            assert attrs.get("name", {}).get("type") == "vlen_string", (name, path, attrs)
            keys = sorted(int(d.rsplit("/", 1)[-1]) for d in datasets if d.rsplit("/", 1)[0] == path)
            assert keys == list(range(len(keys))), (name, path, keys)
        else:
            assert "name" not in attrs, (name, path)
        if base == "layers":
            # Container children: snake_case(class) then _1, _2, ... without gaps.
            kids = [g.rsplit("/", 1)[-1] for g in groups if g.rsplit("/", 1)[0] == path]
            seen = {}
            for kid in kids:
                m = re.fullmatch(r"([a-z0-9_]+?)(?:_(\d+))?", kid)
                assert m, (name, path, kid)
                seen.setdefault(m.group(1), []).append(int(m.group(2) or 0))
            for stem, nums in seen.items():
                # A stem like "dense_1" could also be its own class; accept any prefix split.
                if sorted(nums) != list(range(len(nums))) and not any(
                    k.startswith(stem + "_") for k in seen if k != stem
                ):
                    assert False, (name, path, stem, nums)
        # Every group below the root is vars, layers, optimizer or a container child.
    for d in datasets:
        assert d.rsplit("/", 2)[-2] == "vars", (name, d)
    assert "/vars" in groups, name  # the root model's own (empty) vars group
    if "/optimizer/vars" in groups:
        it = datasets["/optimizer/vars/0"]
        assert it["shape"] == [] and it["dtype"] in ("int64", "int32"), it
        lr = datasets["/optimizer/vars/1"]
        assert lr["shape"] == [] and lr["dtype"] == "float32", lr
    inputs = [g for g in groups if re.fullmatch(r"/layers/input_layer(_\d+)?", g)]
    assert bool(inputs) == functional, (name, inputs)


def main():
    keep = "--keep" in sys.argv
    golden = {"cpp": {}, "keras": {}}
    with zipfile.ZipFile(KERAS_ZIP) as z:
        member = z.read("model.weights.h5")
    with h5py.File(io.BytesIO(member), "r") as f:
        golden["keras"]["keras3_mnist_mlp_3_12/model.weights.h5"] = layout(f)
    check_rules("keras", golden["keras"]["keras3_mnist_mlp_3_12/model.weights.h5"], functional=False)

    files = sorted(glob.glob(os.path.join(OUT_DIR, "*.weights.h5")))
    if not files:
        sys.exit("no files in %s: run the C++ test with KERAS_WRITE_LAYOUT_FILES=1 first" % OUT_DIR)
    for path in files:
        with h5py.File(path, "r") as f:
            lay = layout(f)
        base = os.path.basename(path)
        check_rules(base, lay, functional=base.startswith("nested_functional"))
        golden["cpp"][base] = lay
    ours = golden["cpp"].get("keras3_mnist_mlp.weights.h5")
    assert ours == golden["keras"]["keras3_mnist_mlp_3_12/model.weights.h5"], "keras-cpp's layout differs from Keras 3.12's"

    nested = golden["cpp"].get("nested_functional.weights.h5")
    if nested:
        g = nested["groups"]
        # Functional keeps InputLayers; a nested Sequential does not; nested models recurse.
        for p in ["/layers/input_layer/vars", "/layers/dense/vars", "/layers/batch_normalization/vars",
                  "/layers/sequential/layers/dense/vars", "/layers/sequential/layers/dense_1/vars",
                  "/layers/functional/layers/input_layer/vars", "/layers/functional/layers/add/vars",
                  "/layers/dense_1/vars", "/optimizer/vars"]:
            assert p in g, p
        assert "/layers/sequential/layers/input_layer" not in g
        bn = nested["datasets"]
        assert [bn["/layers/batch_normalization/vars/%d" % i]["shape"] for i in range(4)] == [[16]] * 4

    with open(os.path.join(OUT_DIR, "layout.json"), "w") as out:
        json.dump(golden, out, indent=1, sort_keys=True)
        out.write("\n")
    if not keep:
        for path in files:
            os.remove(path)
    print("wrote", os.path.join(OUT_DIR, "layout.json"), "from", len(files), "files")


if __name__ == "__main__":
    main()
