#!/usr/bin/python3
"""Golden layout of keras-cpp's whole-model files (.keras and legacy .h5), read with zipfile,
json and h5py (Debian's python3-h5py), and checked against Keras's rules and a real file.

Steps:
  1. KERAS_WRITE_LAYOUT_FILES=1 build/tests/test_saving --gtest_filter='SavingLayout.*'
     writes tests/golden/saving/keras3_mnist_mlp.keras and nested_functional.h5 (the layout
     tests fail until step 2 has run once; that is expected).
  2. /usr/bin/python3 tests/golden/gen_saving_layout.py
     - .keras: checks the archive as Keras 3's saving_lib writes it (formats.md section 3.1:
       metadata.json, config.json, model.weights.h5, in this order, stored uncompressed),
       and that the same MNIST MLP saved by Keras 3.12 itself
       (/work/shared/keras-files/keras3_mnist_mlp_3_12/mnist_model.keras, read in memory;
       its licence is unknown, so nothing of it is copied) has the same config.json, up to
       the spellings Keras accepts either way (dtype as a string or a DTypePolicy dict,
       float32 rounding of the learning rate), and the same model.weights.h5 layout;
     - .h5: checks the legacy layout rules of formats.md section 1 (root attributes, the
       model_weights group with layer_names and per-layer weight_names naming datasets
       that exist, optimizer_weights, Keras 3's legacy model_config and training_config);
     writes tests/golden/saving/layout.json and removes the model files (--keep keeps them).

layout.json: {"cpp": {"keras3_mnist_mlp.keras": {"members", "keras_version", "config",
"weights"}, "nested_functional.h5": LAYOUT}}, LAYOUT as in gen_weights_h5_layout.py; the C++
test rebuilds the same from its own files and compares.
"""
import io
import json
import os
import re
import sys
import zipfile

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_weights_h5_layout as wl  # noqa: E402  (layout() and Keras 3's tree rules)

OUT_DIR = os.path.join(HERE, "saving")
KERAS_ZIP = "/work/shared/keras-files/keras3_mnist_mlp_3_12/mnist_model.keras"
MEMBERS = ["metadata.json", "config.json", "model.weights.h5"]


def normalize(value):
    """What Keras reads the same either way: DTypePolicy dicts and plain dtype names,
    shared_object_id bookkeeping, and floats that are float32 values printed as doubles."""
    if isinstance(value, dict):
        if value.get("class_name") == "DTypePolicy":
            return value["config"]["name"]
        return {k: normalize(v) for k, v in value.items() if k != "shared_object_id"}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, float):
        return float("%.7g" % value)
    return value


def read_archive(path):
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        members = {i.filename: z.read(i.filename) for i in infos}
    return [i.filename for i in infos], [i.compress_type for i in infos], members


def check_archive(ours_path):
    names, methods, members = read_archive(ours_path)
    assert names == MEMBERS, names
    assert all(m == zipfile.ZIP_STORED for m in methods), methods
    metadata = json.loads(members["metadata.json"])
    assert set(metadata) == {"keras_version", "date_saved"}, metadata
    assert re.fullmatch(r"\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d", metadata["date_saved"]), metadata
    config = json.loads(members["config.json"])
    with h5py.File(io.BytesIO(members["model.weights.h5"]), "r") as f:
        weights = wl.layout(f)
    wl.check_rules("ours .keras", weights, functional=False)

    k_names, k_methods, k_members = read_archive(KERAS_ZIP)
    assert names == k_names and methods == k_methods, (k_names, k_methods)
    keras_config = json.loads(k_members["config.json"])
    ours_n, keras_n = normalize(config), normalize(keras_config)
    if ours_n != keras_n:
        print(json.dumps(ours_n, indent=1, sort_keys=True), file=sys.stderr)
        print(json.dumps(keras_n, indent=1, sort_keys=True), file=sys.stderr)
        raise AssertionError("config.json differs from Keras 3.12's")
    with h5py.File(io.BytesIO(k_members["model.weights.h5"]), "r") as f:
        assert wl.layout(f) == weights, "model.weights.h5 layout differs from Keras 3.12's"
    return {"members": names, "keras_version": metadata["keras_version"], "config": config, "weights": weights}


def layout(f):
    """wl.layout with arrays of strings as lists (Keras's layer_names, weight_names)."""
    lay = wl.layout(f)
    for path, attrs in lay["groups"].items():
        for key, attr in attrs.items():
            value = f[path].attrs[key]
            if attr["type"] == "string" and getattr(value, "ndim", 0) == 1:
                attr["value"] = [v.decode("utf8") for v in value]
    return lay


def check_legacy(path):
    with h5py.File(path, "r") as f:
        lay = layout(f)
        root = lay["groups"]["/"]
        for key in ("keras_version", "backend"):
            assert root[key]["type"] == "vlen_string", (key, root[key])
        for key in ("model_config", "training_config"):
            assert root[key]["type"] == "string", (key, root[key])
        model_config = json.loads(f.attrs["model_config"])
        training_config = json.loads(f.attrs["training_config"])
        # Keras 3's legacy writer: layer entries without module/registered_name, Keras 3
        # node dicts; the optimizer under optimizer_config, not optimizer.
        assert set(model_config) == {"class_name", "config"}, model_config.keys()
        for layer in model_config["config"]["layers"]:
            assert set(layer) == {"class_name", "config", "name", "inbound_nodes"}, layer.keys()
            for node in layer["inbound_nodes"]:
                assert set(node) == {"args", "kwargs"}, node
        assert "optimizer" not in training_config
        assert set(training_config["optimizer_config"]) == {"class_name", "config"}
        mw = f["model_weights"]
        names = [n.decode() for n in mw.attrs["layer_names"]]
        assert names == [l["name"] for l in model_config["config"]["layers"]], names
        assert mw.attrs["layer_names"].dtype.kind == "S"
        for key in ("backend", "keras_version"):
            assert isinstance(mw.attrs[key], (bytes, __import__("numpy").bytes_)), key
        for name in names:
            wn = mw[name].attrs["weight_names"]
            for w in wn:
                assert isinstance(mw[name][w.decode()], h5py.Dataset), (name, w)
        # A nested model is one group: its trainable weights, then the non-trainable ones.
        block = [w.decode() for w in mw["block"].attrs["weight_names"]]
        assert block[-2:] == ["block/inner_bn/moving_mean", "block/inner_bn/moving_variance"], block
        ow = f["optimizer_weights"]
        opt = [w.decode() for w in ow.attrs["weight_names"]]
        assert opt[0].endswith("iteration") and opt[1].endswith("learning_rate"), opt
        assert ow[opt[0]].shape == () and ow[opt[1]].shape == (), opt
    return lay


def main():
    keep = "--keep" in sys.argv
    archive = os.path.join(OUT_DIR, "keras3_mnist_mlp.keras")
    legacy = os.path.join(OUT_DIR, "nested_functional.h5")
    golden = {"cpp": {"keras3_mnist_mlp.keras": check_archive(archive),
                      "nested_functional.h5": check_legacy(legacy)}}
    with open(os.path.join(OUT_DIR, "layout.json"), "w") as f:
        json.dump(golden, f, indent=1, sort_keys=True)
        f.write("\n")
    if not keep:
        os.remove(archive)
        os.remove(legacy)
    print("wrote", os.path.join(OUT_DIR, "layout.json"))


if __name__ == "__main__":
    main()
