"""A small real training program for ExperimentCluster's command sweeps: a one-hidden-layer ReLU network on iris.

Standard library only. Run it alone (python3 train.py --lr 0.1) or as the trial of a sweep (sweep.yaml). It follows
the trial protocol (../trial-protocol.md) through excl_trial: hyperparameters from the sweep, one JSON report per
epoch, a checkpoint every epoch, and a resume from the last checkpoint that continues the same trajectory.

Hyperparameters: learning_rate (also --lr, which wins when given), batch_size (16), hidden (16 units).
Epochs: EXCL_MAX_EPOCHS, or 20. EXAMPLE_EPOCH_SECONDS (optional): seconds to pause before each epoch, to slow a sweep
down enough to watch it, or to kill a silo while its runs train; the numbers do not change.
"""

import argparse
import math
import os
import random
import sys
import time

import excl_trial

HERE = os.path.dirname(os.path.abspath(__file__))
VALIDATION_EVERY = 5  # every 5th row of iris.csv is validation: a fixed split, 10 rows of each class


def load_iris(path):
    """(features, labels) of the csv: four numbers then the class id 0..2 per row, after one header row."""
    features, labels = [], []
    with open(path, "r", encoding="utf-8") as f:
        next(f)
        for line in f:
            if line.strip():
                *x, y = line.strip().split(",")
                features.append([float(v) for v in x])
                labels.append(int(y))
    return features, labels


def split_and_scale(features, labels):
    """Fixed train/validation split; features scaled by the training rows' mean and standard deviation."""
    train = [i for i in range(len(labels)) if i % VALIDATION_EVERY != VALIDATION_EVERY - 1]
    val = [i for i in range(len(labels)) if i % VALIDATION_EVERY == VALIDATION_EVERY - 1]
    columns = len(features[0])
    mean = [sum(features[i][c] for i in train) / len(train) for c in range(columns)]
    std = [math.sqrt(sum((features[i][c] - mean[c]) ** 2 for i in train) / len(train)) for c in range(columns)]

    def scaled(rows):
        return [[(features[i][c] - mean[c]) / std[c] for c in range(columns)] for i in rows], [labels[i] for i in rows]

    return scaled(train), scaled(val)


def new_model(inputs, hidden, classes, seed):
    """Weights drawn from the seed (Glorot uniform), biases zero; a plain JSON object, so it is the checkpoint."""
    rng = random.Random(seed)

    def layer(fan_in, fan_out):
        bound = math.sqrt(6.0 / (fan_in + fan_out))
        return [[rng.uniform(-bound, bound) for _ in range(fan_in)] for _ in range(fan_out)]

    return {"w1": layer(inputs, hidden), "b1": [0.0] * hidden, "w2": layer(hidden, classes), "b2": [0.0] * classes}


def forward(model, x):
    """Hidden activations and class log-probabilities of one row."""
    h = [max(0.0, b + sum(w * v for w, v in zip(row, x))) for row, b in zip(model["w1"], model["b1"])]
    z = [b + sum(w * v for w, v in zip(row, h)) for row, b in zip(model["w2"], model["b2"])]
    top = max(z)
    log_total = top + math.log(sum(math.exp(v - top) for v in z))
    return h, [v - log_total for v in z]


def sgd_step(model, xs, ys, lr):
    """One mini-batch step of cross-entropy SGD; returns the batch's mean loss before the step."""
    w1, b1, w2, b2 = model["w1"], model["b1"], model["w2"], model["b2"]
    g_w1 = [[0.0] * len(w1[0]) for _ in w1]
    g_b1 = [0.0] * len(b1)
    g_w2 = [[0.0] * len(w2[0]) for _ in w2]
    g_b2 = [0.0] * len(b2)
    loss = 0.0
    for x, y in zip(xs, ys):
        h, log_p = forward(model, x)
        loss -= log_p[y]
        dz = [math.exp(lp) - (1.0 if k == y else 0.0) for k, lp in enumerate(log_p)]
        for k, d in enumerate(dz):
            g_b2[k] += d
            row = g_w2[k]
            for j, hj in enumerate(h):
                row[j] += d * hj
        for j, hj in enumerate(h):
            dh = sum(dz[k] * w2[k][j] for k in range(len(dz))) * (1.0 if hj > 0.0 else 0.0)
            g_b1[j] += dh
            row = g_w1[j]
            for i, xi in enumerate(x):
                row[i] += dh * xi
    scale = lr / len(xs)
    for weights, grads in ((w1, g_w1), (w2, g_w2)):
        for row, g_row in zip(weights, grads):
            for i, g in enumerate(g_row):
                row[i] -= scale * g
    for biases, grads in ((b1, g_b1), (b2, g_b2)):
        for i, g in enumerate(grads):
            biases[i] -= scale * g
    return loss / len(xs)


def evaluate(model, xs, ys):
    """(mean cross-entropy, accuracy) on the rows."""
    loss, correct = 0.0, 0
    for x, y in zip(xs, ys):
        _, log_p = forward(model, x)
        loss -= log_p[y]
        correct += max(range(len(log_p)), key=log_p.__getitem__) == y
    return loss / len(xs), correct / len(xs)


def train_epoch(model, train, epoch, seed, lr, batch_size):
    """One pass over the training rows in an order drawn from (seed, epoch), so a resumed run repeats it exactly."""
    xs, ys = train
    order = list(range(len(ys)))
    random.Random(seed * 1_000_003 + epoch).shuffle(order)
    losses = []
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        losses.append(sgd_step(model, [xs[i] for i in batch], [ys[i] for i in batch], lr))
    return sum(losses) / len(losses)


def epoch_pause():
    """EXAMPLE_EPOCH_SECONDS as a number of seconds (0 when unset); anything else is an error that names it."""
    text = os.environ.get("EXAMPLE_EPOCH_SECONDS", "").strip()
    if not text:
        return 0.0
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or seconds < 0:
        sys.exit("EXAMPLE_EPOCH_SECONDS is %r; it must be a number of seconds, 0 or more" % text)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr", type=float, help="learning rate (default: the hyperparameter learning_rate, else 0.1)")
    args = parser.parse_args()

    trial = excl_trial.init(defaults={"learning_rate": 0.1, "batch_size": 16, "hidden": 16}, max_epochs=20)
    lr = args.lr if args.lr is not None else float(trial.param("learning_rate"))
    batch_size = int(trial.param("batch_size"))
    pause = epoch_pause()
    train, val = split_and_scale(*load_iris(os.path.join(HERE, "iris.csv")))

    epoch, model = trial.restore()
    if model is None:
        model = new_model(inputs=4, hidden=int(trial.param("hidden")), classes=3, seed=trial.seed)
    print("iris: %d train / %d validation rows, lr %r, batch %d, seed %d, from epoch %d to %d"
          % (len(train[1]), len(val[1]), lr, batch_size, trial.seed, epoch, trial.max_epochs), file=sys.stderr)

    for epoch in range(epoch + 1, trial.max_epochs + 1):
        time.sleep(pause)
        try:
            train_loss = train_epoch(model, train, epoch, trial.seed, lr, batch_size)
            val_loss, val_accuracy = evaluate(model, *val)
        except (OverflowError, ValueError, ZeroDivisionError):
            # A learning rate far too high drives the weights out of range: that is a result (diverged), not a crash.
            train_loss = val_loss = val_accuracy = float("nan")
        trial.report(epoch, checkpoint=model, train_loss=train_loss, val_loss=val_loss,
                     val_accuracy=val_accuracy, lr=lr)


if __name__ == "__main__":
    main()
