#!/usr/bin/env python3
"""Writes the four IDX files of a Fashion-MNIST-shaped set (60 000 + 10 000 images of 28 × 28, 10 classes) with random
pixels and labels, for timing the trainer on a node that has no copy of the data (a GPU node that reaches no network).
A step's cost does not depend on the values; accuracies on these files mean nothing.

  python3 scripts/random-idx.py DIR [--train 60000] [--test 10000]
"""
import argparse
import os
import struct

import numpy as np


def write(path, magic, dims, data):
    with open(path, "wb") as f:
        f.write(struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims))
        f.write(data.astype(np.uint8).tobytes())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--train", type=int, default=60_000)
    ap.add_argument("--test", type=int, default=10_000)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", args.train), ("t10k", args.test)):
        write(os.path.join(args.dir, f"{prefix}-images-idx3-ubyte"), 0x803, (n, 28, 28), rng.integers(0, 256, (n, 28, 28)))
        write(os.path.join(args.dir, f"{prefix}-labels-idx1-ubyte"), 0x801, (n,), rng.integers(0, 10, n))


if __name__ == "__main__":
    main()
