#!/usr/bin/env python3
"""The test accuracy of a `gradguess weights` file, computed with NumPy alone: a check that the weights mean outside
gradguess what they meant inside it, and an example of reading both formats.

  usage: scripts/evaluate-weights.py FILE.safetensors|FILE.npz [--data-dir DIR] [--split test|train]

It reads the file's metadata (the data set, the input normalisation, the architecture), loads the split of the data set
it names (MNIST and Fashion-MNIST IDX files, raw or gzipped; CIFAR-10's binary batches), normalises the pixels as the
metadata says, runs the ReLU MLP and prints one JSON line: examples, correct, accuracy. The synthetic set exists only
inside gradguess, so its files are refused here.

With PyTorch and the safetensors package instead:

  import json, torch
  from safetensors import safe_open
  from safetensors.torch import load_file
  with safe_open(FILE, "pt") as f: meta = f.metadata()
  model = eval(meta["architecture"])          # torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), ...)
  model.load_state_dict(load_file(FILE))
  mean, std = json.loads(meta["inputMean"]), json.loads(meta["inputStd"])
"""
import argparse
import gzip
import json
import os
import re
import struct
import sys

import numpy as np

DEFAULT_DIRS = {"fashion-mnist": "/usr/share/datasets/fashion-mnist"}


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    meta = header.pop("__metadata__", {})
    arrays = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            sys.exit(f"{path}: {name} is {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        arrays[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
    return arrays, meta


def read_npz(path):
    with np.load(path, allow_pickle=False) as z:
        arrays = {name: z[name] for name in z.files if name != "metadata"}
        meta = json.loads(str(z["metadata"]))
    return arrays, meta


def open_maybe_gz(directory, name):
    for candidate, opener in ((name + ".gz", gzip.open), (name, open)):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return opener(path, "rb")
    sys.exit(f"no {name}(.gz) in {directory}: give --data-dir")


def read_idx(directory, split):
    prefix = "train" if split == "train" else "t10k"
    with open_maybe_gz(directory, f"{prefix}-images-idx3-ubyte") as f:
        _, count, rows, cols = struct.unpack(">IIII", f.read(16))
        pixels = np.frombuffer(f.read(), dtype=np.uint8).reshape(count, rows * cols)
    with open_maybe_gz(directory, f"{prefix}-labels-idx1-ubyte") as f:
        _, count = struct.unpack(">II", f.read(8))
        labels = np.frombuffer(f.read(), dtype=np.uint8)
    return pixels, labels


def read_cifar10(directory, split):
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] if split == "train" else ["test_batch.bin"]
    records = []
    for name in names:
        path = os.path.join(directory, name)
        if not os.path.exists(path):
            path = os.path.join(directory, "cifar-10-batches-bin", name)
        records.append(np.fromfile(path, dtype=np.uint8).reshape(-1, 3073))
    records = np.concatenate(records)
    return records[:, 1:], records[:, 0]   # pixels channel by channel (R, G, B planes), as the metadata's input says


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--data-dir")
    parser.add_argument("--split", choices=["test", "train"], default="test")
    args = parser.parse_args()

    arrays, meta = read_npz(args.file) if args.file.endswith(".npz") else read_safetensors(args.file)
    data = meta["data"]
    if data == "synthetic":
        sys.exit(f"{args.file} was trained on the synthetic set, which exists only inside gradguess")
    directory = args.data_dir or DEFAULT_DIRS.get(data) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gradguess", data)
    pixels, labels = read_cifar10(directory, args.split) if data == "cifar10" else read_idx(directory, args.split)

    mean = np.asarray(json.loads(meta["inputMean"]), dtype=np.float32)
    std = np.asarray(json.loads(meta["inputStd"]), dtype=np.float32)
    channels = len(mean)
    x = pixels.astype(np.float32).reshape(len(pixels), channels, -1) / np.float32(255)
    x = ((x - mean[None, :, None]) / std[None, :, None]).reshape(len(pixels), -1)

    layers = sorted({int(m.group(1)) for m in (re.fullmatch(r"(\d+)\.weight", k) for k in arrays) if m})
    for i, index in enumerate(layers):
        x = x @ arrays[f"{index}.weight"].T + arrays[f"{index}.bias"]
        if i < len(layers) - 1:
            x = np.maximum(x, 0)
    correct = int((x.argmax(axis=1) == labels).sum())
    print(json.dumps({"examples": len(labels), "correct": correct, "accuracy": correct / len(labels)}))


if __name__ == "__main__":
    main()
