#!/usr/bin/env python3
"""Where an AdamW step's alignment comes from, layer by layer (docs/STUDY.md, "Why downstream's output-layer step
points nowhere").

Continues a checkpoint's cell (a 3 x 128 MLP on Fashion-MNIST, AdamW, batch 512) for N more steps in numpy, guessing
as the trainer does (one tangent pass: d_b = sum_i delta_i,b . s_i,b; update sum_b d_b s_i,b x_i,b^T), and splits each
step's cosine with the batch's true gradient g_t into
  cur: the current guess's part, 0.1 * ghat_t / den,
  mom: the momentum's part, 0.9 * m_{t-1} / den, itself split into what the past true gradients put in m (signal) and
       what the guesses' noise ghat - g put in it (noise);
and, for the output layer, the loss's Gauss-Newton curvature along the step.
The parts sum to the step's cosine (weight decay aside: its part is reported in none). Not part of the product: an
independent re-implementation, checked against the trainer's recorded per-layer cosines (the doc gives both).

  python3 docs/analysis/momentum_split.py CHECKPOINT STEPS [SEED] [CELL_LR] [--input-scale C] [--output-lr K]
Two interventions on the output layer, for the curvature's part in it:
  --input-scale C  first multiplies the output layer's input by C without changing the function the net computes: the
                   last hidden layer's weights and bias times C (a ReLU layer's output scales with them), the output
                   layer's weights divided by it, and AdamW's moments to match (m and v of a parameter multiplied by c
                   scale by 1/c and 1/c^2), so that the first step is the unscaled run's own. AdamW is not invariant to
                   this: from there the hidden layer's steps are larger or smaller against its weights.
  --output-lr K    the output layer's learning rate (its step and its weight decay) times K, the rest as trained: its
                   steps move the logits K times as far, as a K times larger input would; the hidden layers keep
                   their rate.
Needs numpy and Debian's dataset-fashion-mnist. Prints one JSON line per layer (input layer first); the output
layer's also has its input's rms (the root of the mean squared norm over the batch), first 50 and last 100 steps;
every line the net's loss and accuracy on the whole training set after the last step.
"""
import argparse, gzip, json, struct
import numpy as np

SIZES = [(128, 784), (128, 128), (128, 128), (10, 128)]          # (out, in) per linear layer
DATA = '/usr/share/datasets/fashion-mnist/'


def data():
    images = gzip.open(DATA + 'train-images-idx3-ubyte.gz').read()
    labels = gzip.open(DATA + 'train-labels-idx1-ubyte.gz').read()
    x = np.frombuffer(images[16:], np.uint8).reshape(-1, 784).astype(np.float64)
    return (x / 255 - 0.2860) / 0.3530, np.frombuffer(labels[8:], np.uint8).astype(np.int64)


def checkpoint(path):
    """The header (JSON after 'magic, version, length') and the named tensors that follow it."""
    raw = open(path, 'rb').read()
    length = struct.unpack('<i', raw[8:12])[0]
    header = json.loads(raw[12:12 + length])
    offset, tensors = 12 + length, {}
    for t in header['Tensors']:
        n, size = int(np.prod(t['Shape'])), 4 if t['Dtype'] == 'f32' else 8
        tensors[t['Name']] = np.frombuffer(raw[offset:offset + n * size], np.float32 if size == 4 else np.int64).reshape(t['Shape'])
        offset += n * size
    return header, json.loads(header['Configuration']), tensors


BOUNDS = np.cumsum([0] + [o * i + o for o, i in SIZES])


def layers(flat):
    return [(flat[a:a + o * i].reshape(o, i), flat[a + o * i:b]) for (o, i), a, b in zip(SIZES, BOUNDS[:-1], BOUNDS[1:])]


def forward(net, x):
    inputs, pre, h = [x], [], x
    for l, (W, b) in enumerate(net):
        z = h @ W.T + b
        pre.append(z)
        h = z if l == len(net) - 1 else np.maximum(z, 0)
        inputs.append(h)
    return inputs, pre


def softmax(logits):
    z = np.exp(logits - logits.max(1, keepdims=True))
    return z / z.sum(1, keepdims=True)


def deltas(net, pre, y):
    """Per example dL/ds_i of the batch's mean loss (the trainer's logit gradient is divided by B too)."""
    d = softmax(pre[-1])
    d[np.arange(len(y)), y] -= 1
    d /= len(y)
    out = [None] * len(net)
    for l in reversed(range(len(net))):
        out[l] = d
        if l > 0:
            d = (d @ net[l][0]) * (pre[l - 1] > 0)
    return out


def normalise(s):
    return s * (np.sqrt(s.shape[1]) / np.maximum(np.linalg.norm(s, axis=1, keepdims=True), 1e-12))


def guesses(method, net, inputs, pre, rng):
    """SPEC section 3's activation guesses; the output layer's is N(0, I) for every method."""
    n, batch = len(net), len(pre[0])
    s = [None] * n
    for i in range(n - 1):
        mask = pre[i] > 0
        if method == 'ActivationPerturbation':
            s[i] = rng.standard_normal((batch, SIZES[i][0]))
        elif method == 'WTranspose':
            s[i] = (rng.standard_normal((batch, SIZES[i + 1][0])) @ net[i + 1][0]) * mask
        elif method == 'Downstream':
            e = rng.standard_normal((batch, SIZES[i + 1][0]))
            if i + 1 < n - 1:
                e = e * (pre[i + 1] > 0)
            s[i] = normalise((e @ net[i + 1][0]) * mask)
        elif method == 'ActivationMixing':
            s[i] = normalise((rng.standard_normal((batch, batch)) @ inputs[i + 1]) * mask)
        else:
            raise SystemExit(f'method {method}: not simulated here')
    s[-1] = rng.standard_normal((batch, SIZES[-1][0]))
    return s


def per_layer(rows, inputs):
    """[B, n_i] signals -> the flat update (W then b per layer)."""
    return np.concatenate([np.concatenate([(r.T @ inputs[l]).ravel(), r.sum(0)]) for l, r in enumerate(rows)])


def curvature(u, inputs, pre):
    """The output layer's Gauss-Newton curvature along u (its W and b), per unit |u|^2: mean_b J_b u^T (diag p - p p^T) J_b u."""
    o, i = SIZES[-1]
    ju = inputs[-2] @ u[:o * i].reshape(o, i).T + u[o * i:]
    p = softmax(pre[-1])
    return float(((ju * ju * p).sum(1) - (ju * p).sum(1) ** 2).mean() / (u @ u))


def evaluate(theta, x, y, chunk=10000):
    """Mean cross-entropy and accuracy of the net on (x, y)."""
    net, total, right = layers(theta), 0.0, 0
    for a in range(0, len(y), chunk):
        z = forward(net, x[a:a + chunk])[1][-1]
        z = z - z.max(1, keepdims=True)
        total += float((np.log(np.exp(z).sum(1)) - z[np.arange(len(z)), y[a:a + chunk]]).sum())
        right += int((z.argmax(1) == y[a:a + chunk]).sum())
    return total / len(y), right / len(y)


def rescale(theta, m, v, x, y, c):
    """The output layer's input times c, the function kept (checked on a batch): see --input-scale above."""
    before = evaluate(theta, x, y)[0]
    hidden, output = BOUNDS[-3], BOUNDS[-2]                  # the last hidden layer's W and b; the output layer's W
    o, i = SIZES[-1]
    for a, b, k in ((hidden, output, c), (output, output + o * i, 1 / c)):
        theta[a:b] *= k
        m[a:b] /= k
        v[a:b] /= k * k
    assert abs(evaluate(theta, x, y)[0] - before) < 1e-9 * max(1, abs(before)), 'the rescaled net computes another function'


def cos(a, b):
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def arguments():
    p = argparse.ArgumentParser(description='Where an AdamW step\'s alignment comes from, layer by layer.')
    p.add_argument('checkpoint')
    p.add_argument('steps', type=int)
    p.add_argument('seed', type=int, nargs='?', default=0)
    p.add_argument('lr', type=float, nargs='?', default=1e-3, help="the checkpoint's cell of this learning rate")
    p.add_argument('--input-scale', type=float, default=1.0)
    p.add_argument('--output-lr', type=float, default=1.0)
    return p.parse_args()


def main():
    args = arguments()
    path, steps, lr_wanted = args.checkpoint, args.steps, args.lr
    rng = np.random.default_rng(args.seed)
    header, config, t = checkpoint(path)
    method = config['Estimator']['Kind']
    cell = next(k for k, c in enumerate(config['Cells']) if c['Optimizer']['LearningRate'] == lr_wanted)
    opt = config['Cells'][cell]['Optimizer']
    assert opt['Kind'] == 'AdamW' and config['BatchSize'] == 512 and (config['Depth'], config['Width']) == (3, 128)
    lr, wd, b1, b2, eps = opt['LearningRate'], opt['WeightDecay'], opt['Beta1'], opt['Beta2'], opt['Epsilon']
    theta = t['model'][cell].astype(np.float64).copy()
    m, v = (t['optim.adamw.' + k][cell].astype(np.float64).copy() for k in 'mv')
    x, y = data()
    if args.input_scale != 1:
        rescale(theta, m, v, x[:512], y[:512], args.input_scale)
    rate = np.full_like(theta, lr)
    rate[BOUNDS[-2]:] *= args.output_lr
    m_signal, m_noise, m_before = np.zeros_like(m), np.zeros_like(m), m.copy()
    order, at, records = rng.permutation(len(y)), 0, []
    for k in range(steps):
        if at + 512 > len(y):
            order, at = rng.permutation(len(y)), 0
        batch = order[at:at + 512]
        at += 512
        net = layers(theta)
        inputs, pre = forward(net, x[batch])
        ds = deltas(net, pre, y[batch])
        g = per_layer(ds, inputs)
        if method == 'Backprop':
            guess = g
        else:
            s = guesses(method, net, inputs, pre, rng)
            d = sum((ds[i] * s[i]).sum(1) for i in range(len(net)))
            guess = per_layer([d[:, None] * si for si in s], inputs)
        step_no = header['OptimizerSteps'] + k + 1
        v = b2 * v + (1 - b2) * guess ** 2
        den = (np.sqrt(v / (1 - b2 ** step_no)) + eps) * (1 - b1 ** step_no)
        row = []
        for a, b in zip(BOUNDS[:-1], BOUNDS[1:]):
            step = (b1 * m[a:b] + (1 - b1) * guess[a:b]) / den[a:b] + wd * theta[a:b]
            scale = np.linalg.norm(step) * np.linalg.norm(g[a:b])
            part = lambda vec, w: float(w * vec[a:b] / den[a:b] @ g[a:b] / scale)
            row.append((cos(guess[a:b], g[a:b]), cos(step, g[a:b]), part(m, b1), part(guess, 1 - b1),
                        part(m_signal, b1), part(m_noise, b1), part(m_before, b1),
                        curvature(step, inputs, pre) if b == BOUNDS[-1] else float('nan'),
                        float(np.sqrt((inputs[-2] ** 2).sum(1).mean())) if b == BOUNDS[-1] else float('nan')))
        records.append(row)
        m = b1 * m + (1 - b1) * guess
        m_signal = b1 * m_signal + (1 - b1) * g
        m_noise = b1 * m_noise + (1 - b1) * (guess - g)
        m_before = b1 * m_before
        theta = theta * (1 - rate * wd) - rate * m / den
    r = np.array(records)
    end_loss, end_accuracy = evaluate(theta, x, y)
    settled = r[50:]          # after 50 steps the checkpoint's m has decayed to 0.5 %: mom = signal + noise
    for l in range(len(SIZES)):
        output = l == len(SIZES) - 1
        print(json.dumps(dict(checkpoint=path, method=method, epoch=header['Epoch'], steps=steps, seed=args.seed, layer=l,
                              input_scale=args.input_scale, output_lr=args.output_lr,
                              guess=round(r[:, l, 0].mean(), 3), step=round(r[:, l, 1].mean(), 3),
                              momentum=round(r[:, l, 2].mean(), 3), current=round(r[:, l, 3].mean(), 3),
                              momentum_signal=round(settled[:, l, 4].mean(), 3), momentum_noise=round(settled[:, l, 5].mean(), 3),
                              momentum_before=round(settled[:, l, 6].mean(), 4),
                              curvature=round(r[:, l, 7].mean(), 2) if output else None,
                              input_rms_first=round(r[:50, l, 8].mean(), 1) if output else None,
                              input_rms_last=round(r[-100:, l, 8].mean(), 1) if output else None,
                              train_loss=round(end_loss, 4), train_accuracy=round(end_accuracy, 4))), flush=True)


if __name__ == '__main__':
    main()
