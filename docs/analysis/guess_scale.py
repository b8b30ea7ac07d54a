#!/usr/bin/env python3
"""What W^T's per-example normalisation changes, layer by layer (docs/STUDY.md, "One tangent pass or one per layer").

Normalising each example's guess to norm sqrt(n_i) does two things at once: it sets the size of every hidden layer's
guess against the others' and against the output layer's N(0, I) (all guesses share one tangent pass, so each layer's
term in d_b = sum_i delta_i,b . s_i,b is noise in every other layer's update), and it weighs the examples of a batch
equally. This script takes them apart on a checkpoint's weights, on fresh batches of Fashion-MNIST, with guesses drawn as
the trainer draws W^T's (s_i,b = D_i,b W_{i+1}^T eps_i,b; output layer N(0, I), never rescaled):

  study     the guesses as drawn (W^T's default, unnormalised);
  layer     each hidden layer's guesses times one factor per batch, so their rms norm is sqrt(n_i): sizes balanced,
            examples weighed as drawn;
  example   each example's guess rescaled to the layer's rms norm as drawn: examples weighed equally, sizes as drawn;
  both      each example's guess to norm sqrt(n_i) (`estimator: { normalise: true }`);
  alone     the guesses as drawn, but each layer's update from its own term of d_b only (as if one tangent pass per
            layer): no other layer's noise.

For each it prints per layer the mean cosine of one guess's update with the batch's true gradient (weights and bias,
as the trainer's per-layer cosine), and each layer's share of E_b[d_b^2] (whose term fills the directional
derivative). Also the weights' Frobenius norms and the rms norm of each layer's drawn guess and true delta. Not part of
the product: an independent re-implementation on momentum_split.py's checkpoint reader and forward pass.

  python3 docs/analysis/guess_scale.py CHECKPOINT [--batches N] [--draws K] [--seed S]
Needs numpy and Debian's dataset-fashion-mnist (with Debian's reference BLAS a run is ~20x slower: install
libopenblas0-pthread, and OPENBLAS_NUM_THREADS=1 to keep it to one core). Prints one JSON line per variant.

  python3 docs/analysis/guess_scale.py CHECKPOINT --train EPOCHS --variant V [--seed S]
trains the checkpoint's cell on from there with the variant's guesses (not 'alone') and its stored AdamW (batch 512,
117 full batches an epoch in a fresh order), in float32 as the trainer; one JSON line per epoch: train accuracy and
loss on the whole training set, and the per-layer cosine of the guess's update on every 10th step.
"""
import argparse, json, os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from momentum_split import BOUNDS, SIZES, checkpoint, data, deltas, evaluate, forward, guesses, layers   # noqa: E402

VARIANTS = ('study', 'layer', 'example', 'both', 'alone')


def rms(s):
    return float(np.sqrt((s * s).sum(1).mean()))


def shaped(variant, s):
    """The hidden layers' guesses of one draw, rescaled as the variant says; the output layer's as drawn."""
    out = list(s)
    for i in range(len(s) - 1):
        n = s[i].shape[1]
        norms = np.maximum(np.linalg.norm(s[i], axis=1, keepdims=True), 1e-12)
        if variant == 'layer':
            out[i] = s[i] * (np.sqrt(n) / max(rms(s[i]), 1e-12))
        elif variant == 'example':
            out[i] = s[i] / norms * rms(s[i])
        elif variant == 'both':
            out[i] = s[i] / norms * np.sqrt(n)
    return out


def cos(a, b):
    return float(a.ravel() @ b.ravel() / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-300))


def measure(net, x, y, rng, draws):
    """Per variant: [draws, layers] cosines and [draws, layers] shares of E_b[d_b^2]; and the rms sizes."""
    inputs, pre = forward(net, x)
    ds = deltas(net, pre, y)
    n = len(net)
    true = [np.concatenate([(ds[i].T @ inputs[i]).ravel(), ds[i].sum(0)]) for i in range(n)]
    cosines = {v: np.zeros((draws, n)) for v in VARIANTS}
    shares = {v: np.zeros((draws, n)) for v in VARIANTS}
    guess_rms = np.zeros((draws, n))
    for k in range(draws):
        raw = guesses('WTranspose', net, inputs, pre, rng)
        guess_rms[k] = [rms(s) for s in raw]
        for v in VARIANTS:
            s = shaped(v, raw)
            terms = [(ds[i] * s[i]).sum(1) for i in range(n)]
            d = sum(terms)
            power = np.array([(t * t).mean() for t in terms])
            shares[v][k] = power / power.sum()
            for i in range(n):
                di = terms[i] if v == 'alone' else d
                update = np.concatenate([((di[:, None] * s[i]).T @ inputs[i]).ravel(), (di[:, None] * s[i]).sum(0)])
                cosines[v][k, i] = cos(update, true[i])
    return cosines, shares, guess_rms, [rms(d) for d in ds]


def train(theta, m, v, step_no, opt, variant, epochs, x, y, rng):
    """AdamW (decoupled decay, bias-corrected) on the variant's guesses, one line per epoch."""
    lr, wd, b1, b2, eps = (np.float32(opt[k]) for k in ('LearningRate', 'WeightDecay', 'Beta1', 'Beta2', 'Epsilon'))
    x = x.astype(np.float32)
    for epoch in range(1, epochs + 1):
        order, cosines = rng.permutation(len(y)), []
        for k in range(len(y) // 512):
            batch = order[k * 512:(k + 1) * 512]
            net = layers(theta)
            inputs, pre = forward(net, x[batch])
            ds = deltas(net, pre, y[batch])
            # momentum_split.guesses' draws, in float32 as the trainer's (its float64 draws would be another stream)
            raw = [(rng.standard_normal((512, SIZES[i + 1][0]), np.float32) @ net[i + 1][0]) * (pre[i] > 0)
                   for i in range(len(net) - 1)] + [rng.standard_normal((512, SIZES[-1][0]), np.float32)]
            s = shaped(variant, raw)
            d = sum((ds[i] * s[i]).sum(1) for i in range(len(net)))
            guess = np.concatenate([np.concatenate([((d[:, None] * si).T @ inputs[i]).ravel(), (d[:, None] * si).sum(0)])
                                    for i, si in enumerate(s)])
            if k % 10 == 0:
                true = np.concatenate([np.concatenate([(ds[i].T @ inputs[i]).ravel(), ds[i].sum(0)]) for i in range(len(net))])
                cosines.append([cos(guess[a:b], true[a:b]) for a, b in zip(BOUNDS[:-1], BOUNDS[1:])])
            step_no += 1
            m = b1 * m + (1 - b1) * guess
            v = b2 * v + (1 - b2) * guess * guess
            denominator = np.sqrt(v / (1 - b2 ** step_no)) + eps
            theta = theta * (1 - lr * wd) - lr / (1 - b1 ** step_no) * m / denominator
        loss, accuracy = evaluate(theta, x, y)
        print(json.dumps(dict(variant=variant, epoch=epoch, train_accuracy=round(accuracy, 4), train_loss=round(loss, 4),
                              cosine=[round(float(c), 3) for c in np.mean(cosines, 0)])), flush=True)


def main():
    p = argparse.ArgumentParser(description="What W^T's per-example normalisation changes, layer by layer.")
    p.add_argument('checkpoint')
    p.add_argument('--batches', type=int, default=8)
    p.add_argument('--draws', type=int, default=16)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--train', type=int, default=0, metavar='EPOCHS')
    p.add_argument('--variant', choices=VARIANTS[:-1], default='study')
    args = p.parse_args()
    header, config, t = checkpoint(args.checkpoint)
    assert (config['Depth'], config['Width']) == (3, 128) and len(config['Cells']) == 1, 'a one-cell 3 x 128 checkpoint'
    x, y = data()
    rng = np.random.default_rng(args.seed)
    if args.train:
        opt = config['Cells'][0]['Optimizer']
        assert opt['Kind'] == 'AdamW', 'an AdamW cell'
        train(t['model'][0].copy(), t['optim.adamw.m'][0].copy(), t['optim.adamw.v'][0].copy(), header['OptimizerSteps'],
              opt, args.variant, args.train, x, y, rng)
        return
    net = layers(t['model'][0].astype(np.float64))
    got = [measure(net, x[b], y[b], rng, args.draws)
           for b in (rng.choice(len(y), 512, replace=False) for _ in range(args.batches))]
    common = dict(checkpoint=os.path.basename(args.checkpoint), method=config['Estimator']['Kind'],
                  normalised=config['Estimator'].get('Normalise'), init_scale=config.get('InitScale'),
                  seed=config['Cells'][0].get('Seed'), epoch=header['Epoch'])
    print(json.dumps(dict(common, weight_norm=[round(float(np.linalg.norm(W)), 3) for W, _ in net],
                          guess_rms=[round(float(np.mean([g[2][:, i].mean() for g in got])), 4) for i in range(len(net))],
                          delta_rms=[float(f'{np.mean([g[3][i] for g in got]):.3g}') for i in range(len(net))])))
    for v in VARIANTS:
        print(json.dumps(dict(common, variant=v,
                              cosine=[round(float(np.mean([g[0][v][:, i].mean() for g in got])), 3) for i in range(len(net))],
                              share=[round(float(np.mean([g[1][v][:, i].mean() for g in got])), 3) for i in range(len(net))])))


if __name__ == '__main__':
    main()
