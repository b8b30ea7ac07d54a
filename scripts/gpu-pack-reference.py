#!/usr/bin/env python3
"""What packing cells buys on a GPU, measured in PyTorch as a reference for the TorchSharp trainer.

GPU nodes lent to this project carry a PyTorch other than the libtorch 2.10 TorchSharp 0.107 needs (docs/GPU.md), so
the trainer itself may not load there. This script does the trainer's work for one pack the way src/Training does it
(weights [P, out, in], the batch shared by the pack's cells and entering layer 0 as a stride-0 view, baddbmm/bmm,
AdamW with a learning rate per cell), eagerly, one op at a time as TorchSharp does, and times training steps at
several pack sizes. It answers: at batch 128, how many more cell-epochs per second does a pack of P train than one
cell on this device, and where does that stop growing? It is a reference, not the product: TorchSharp adds its own
per-op overhead, which, like Python's, packing amortises.

  python3 scripts/gpu-pack-reference.py [--device cuda] [--packs 1,4,16,64,256] [--batch 128] [--out DIR]

Methods: backprop (autograd) and directional (one hand-written tangent pass, SPEC §3: d·ε with ε ~ N(0, I) over all
weights and biases). Data: Fashion-MNIST's shape (60 000 × 784, 10 classes), random values; the cost of a step does
not depend on them.
"""
import argparse
import json
import math
import os
import statistics
import time

import torch
import torch.nn.functional as F

TRAIN, FEATURES, CLASSES = 60_000, 784, 10


def parse():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--packs", default="1,4,16,64,256")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--depth", type=int, default=3, help="hidden layers")
    ap.add_argument("--steps", type=int, default=100, help="timed steps per repeat")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--methods", default="backprop,directional")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch's default)")
    ap.add_argument("--out", default=os.environ.get("OUT", "."))
    return ap.parse_args()


class Pack:
    """P cells' weights [P, out, in] and biases [P, out], with AdamW state and a learning rate per cell."""

    def __init__(self, pack, sizes, device, seed=0):
        gen = torch.Generator(device=device).manual_seed(seed)
        self.params = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            bound = 1 / math.sqrt(n_in)
            self.params.append((torch.rand(pack, n_out, n_in, device=device, generator=gen) * 2 - 1) * bound)
            self.params.append((torch.rand(pack, n_out, device=device, generator=gen) * 2 - 1) * bound)
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        # LRs 1e-2 .. 1e-5 across the pack, as a sweep's LR axis would put them.
        self.lr = torch.logspace(-2, -5, pack, device=device)
        self.step_count = 0

    def adamw(self, grads, beta1=0.9, beta2=0.999, eps=1e-8, decay=0.01):
        self.step_count += 1
        c1, c2 = 1 - beta1 ** self.step_count, 1 - beta2 ** self.step_count
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            lr = self.lr.view(-1, *([1] * (p.dim() - 1)))
            m.mul_(beta1).add_(g, alpha=1 - beta1)
            v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
            p.mul_(1 - lr * decay)
            p.sub_(lr / c1 * m / ((v / c2).sqrt_().add_(eps)))


def forward(pack, x):
    """Logits [P, B, C]; x [B, F] is shared by the pack (a stride-0 view, as PackLinear does)."""
    P = pack.params[0].shape[0]
    h = x.expand(P, *x.shape)
    layers = len(pack.params) // 2
    for i in range(layers):
        w, b = pack.params[2 * i], pack.params[2 * i + 1]
        h = torch.baddbmm(b.unsqueeze(1), h, w.transpose(1, 2))
        if i < layers - 1:
            h = F.relu(h)
    return h


def backprop_grads(pack, x, y):
    for p in pack.params:
        p.requires_grad_(True)
    logits = forward(pack, x)
    P, B = logits.shape[0], logits.shape[1]
    # The sum of the cells' mean losses: each cell's gradient is its own mean-loss gradient.
    loss = F.cross_entropy(logits.reshape(P * B, -1), y.repeat(P), reduction="sum") / B
    grads = torch.autograd.grad(loss, pack.params)
    for p in pack.params:
        p.requires_grad_(False)
    return grads


def directional_grads(pack, x, y, gen):
    """d·ε per cell: one tangent pass along ε over all weights and biases, no autograd graph."""
    eps = [torch.randn(p.shape, device=p.device, dtype=p.dtype, generator=gen) for p in pack.params]
    P = pack.params[0].shape[0]
    h = x.expand(P, *x.shape)
    dh = None
    layers = len(pack.params) // 2
    for i in range(layers):
        w, b = pack.params[2 * i], pack.params[2 * i + 1]
        ew, eb = eps[2 * i], eps[2 * i + 1]
        z = torch.baddbmm(b.unsqueeze(1), h, w.transpose(1, 2))
        dz = torch.baddbmm(eb.unsqueeze(1), h, ew.transpose(1, 2))
        if dh is not None:
            dz.baddbmm_(dh, w.transpose(1, 2))
        if i < layers - 1:
            mask = z > 0
            h, dh = z * mask, dz * mask
        else:
            h, dh = z, dz
    B = x.shape[0]
    cot = torch.softmax(h, dim=2)
    cot.scatter_add_(2, y.view(1, B, 1).expand(P, B, 1), torch.full((P, B, 1), -1.0, device=x.device, dtype=h.dtype))
    d = (cot * dh).sum(dim=(1, 2)) / B  # [P]: the batch loss's directional derivative along each cell's ε
    return [d.view(-1, *([1] * (e.dim() - 1))) * e for e in eps]


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def measure(method, pack_size, args, data):
    X, Y = data
    sizes = [FEATURES] + [args.hidden] * args.depth + [CLASSES]
    pack = Pack(pack_size, sizes, args.device)
    gen = torch.Generator(device=args.device).manual_seed(1)
    perm = torch.randperm(TRAIN, device=args.device, generator=gen)
    steps_per_epoch = math.ceil(TRAIN / args.batch)
    cursor = 0

    def step():
        nonlocal cursor
        idx = perm[cursor:cursor + args.batch]
        cursor = (cursor + args.batch) % (TRAIN - args.batch)
        x, y = X[idx], Y[idx]
        grads = backprop_grads(pack, x, y) if method == "backprop" else directional_grads(pack, x, y, gen)
        pack.adamw(grads)

    for _ in range(20):
        step()
    sync(args.device)
    seconds = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for _ in range(args.steps):
            step()
        sync(args.device)
        seconds.append(time.perf_counter() - t0)
    finite = all(torch.isfinite(p).all().item() for p in pack.params)
    step_s = statistics.median(seconds) / args.steps
    return {
        "method": method, "pack": pack_size, "batch": args.batch, "step_ms": step_s * 1e3,
        "cell_epochs_per_s": pack_size / (step_s * steps_per_epoch),
        "step_ms_all": [s / args.steps * 1e3 for s in seconds], "finite": finite,
    }


def main():
    args = parse()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    X = torch.randn(TRAIN, FEATURES, device=args.device)
    Y = torch.randint(0, CLASSES, (TRAIN,), device=args.device)
    where = torch.cuda.get_device_name(0) if args.device.startswith("cuda") else f"CPU, {torch.get_num_threads()} thread(s)"
    print(f"torch {torch.__version__} on {where}; batch {args.batch}; median of {args.repeats} × {args.steps} steps", flush=True)
    rows = []
    for method in args.methods.split(","):
        base = None
        for p in (int(s) for s in args.packs.split(",")):
            r = measure(method, p, args, (X, Y))
            base = base or r["cell_epochs_per_s"]
            r["vs_pack_1"] = r["cell_epochs_per_s"] / base
            rows.append(r)
            print(f"{method:12s} pack {p:4d}: {r['step_ms']:7.3f} ms/step  {r['cell_epochs_per_s']:9.2f} cell-epochs/s"
                  f"  {r['vs_pack_1']:6.2f}× pack 1{'' if r['finite'] else '  (non-finite weights!)'}", flush=True)
    os.makedirs(args.out, exist_ok=True)
    tag = "gpu" if args.device.startswith("cuda") else "cpu"
    with open(os.path.join(args.out, f"pack-reference-{tag}-b{args.batch}.json"), "w") as f:
        json.dump({"torch": torch.__version__, "device": where, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
