#!/usr/bin/python3
"""Plot the curves that `lossbench train --csv FILE` writes.

Training runs (one CSV per run; e.g. one with --loss mse, one with --loss bce,
one with --loss softmax-ce):

    lossbench train --loss bce --init saturated --epochs 10 --csv bce.csv
    lossbench train --loss mse --init saturated --epochs 10 --csv mse.csv
    bench/plot_training.py training bce.csv mse.csv --out training.png [--label NAME ...] [--title "..."] \
        [--accuracy-range LOW HIGH]

  draws the training loss per epoch, one panel per loss function (MSE's and
  cross-entropy's values are on different scales, so they do not share an
  axis), and the test accuracy of every run on one shared panel, where mse,
  bce and softmax-ce compare directly.

The single-neuron experiment:

    lossbench train --experiment neuron --csv neuron.csv
    bench/plot_training.py neuron neuron.csv --out neuron.png

  draws the neuron's output a and its cost C per epoch for mse and bce.

Needs matplotlib: Debian's python3-matplotlib, hence /usr/bin/python3.
"""
import argparse
import csv
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
from matplotlib.ticker import MaxNLocator  # noqa: E402

TRAINING_COLUMNS = ["epoch", "loss_function", "train_loss", "test_accuracy", "seconds", "samples_per_second"]
NEURON_COLUMNS = ["epoch", "loss_function", "output", "cost"]
COLOURS = {"mse": "tab:red", "bce": "tab:blue", "softmax-ce": "tab:green"}
# Runs of the same loss share its colour and differ by line style.
LINE_STYLES = ["-", "--", ":", "-."]
NAMES = {"mse": "MSE", "bce": "cross-entropy", "softmax-ce": "softmax cross-entropy"}


def read_rows(path, columns):
    """The rows of a CSV as dicts, after checking its header starts with `columns`
    (later versions of `lossbench train --csv` append columns: test_loss, host_copies)."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        if (reader.fieldnames or [])[:len(columns)] != columns:
            sys.exit(f"{path}: expected the columns {','.join(columns)} first, got {','.join(reader.fieldnames or [])}")
        rows = list(reader)
    if not rows:
        sys.exit(f"{path}: no rows")
    return rows


def plot_training(paths, labels, out, title, accuracy_range):
    if labels and len(labels) != len(paths):
        sys.exit(f"{len(labels)} --label for {len(paths)} CSVs: give one per CSV, or none")
    runs = []  # (label, loss function, line style, epochs, train losses, accuracies in %)
    runs_per_loss = {}
    for index, path in enumerate(paths):
        rows = read_rows(path, TRAINING_COLUMNS)
        losses = {r["loss_function"] for r in rows}
        if len(losses) != 1:
            sys.exit(f"{path}: one run per file, found loss functions {sorted(losses)}")
        loss = losses.pop()
        label = f"{NAMES.get(loss, loss)}, {labels[index] if labels else pathlib.Path(path).stem}"
        style = LINE_STYLES[runs_per_loss.get(loss, 0) % len(LINE_STYLES)]
        runs_per_loss[loss] = runs_per_loss.get(loss, 0) + 1
        runs.append((label, loss, style, [int(r["epoch"]) for r in rows], [float(r["train_loss"]) for r in rows],
                     [100 * float(r["test_accuracy"]) for r in rows]))
    loss_functions = sorted({run[1] for run in runs}, key=lambda l: list(COLOURS).index(l) if l in COLOURS else 99)
    fig, axes = plt.subplots(1, len(loss_functions) + 1, figsize=(5 * (len(loss_functions) + 1), 4), squeeze=False)
    axes = axes[0]
    for ax, loss in zip(axes, loss_functions):
        for label, run_loss, style, epochs, train_loss, _ in runs:
            if run_loss == loss:
                ax.plot(epochs, train_loss, marker="o", linestyle=style, color=COLOURS.get(loss), label=label)
        ax.set_title(f"training loss: {NAMES.get(loss, loss)}")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("mean loss per example (summed over outputs)")
        ax.grid(alpha=0.3)
        ax.legend()
    ax = axes[-1]
    for label, loss, style, epochs, _, accuracy in runs:
        ax.plot(epochs, accuracy, marker="o", linestyle=style, color=COLOURS.get(loss),
                label=f"{label}: {accuracy[-1]:.1f}% at epoch {epochs[-1]}")
    ax.set_title("test accuracy")
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("% of test examples classified right")
    ax.set_ylim(*accuracy_range)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    finish(fig, out, title)


def plot_neuron(path, out, title):
    rows = read_rows(path, NEURON_COLUMNS)
    curves = {}
    for r in rows:
        curve = curves.setdefault(r["loss_function"], ([], [], []))
        curve[0].append(int(r["epoch"]))
        curve[1].append(float(r["output"]))
        curve[2].append(float(r["cost"]))
    fig, (output_ax, cost_ax) = plt.subplots(1, 2, figsize=(10, 4))
    for loss, (epochs, output, cost) in curves.items():
        output_ax.plot(epochs, output, color=COLOURS.get(loss), label=NAMES.get(loss, loss))
        cost_ax.plot(epochs, cost, color=COLOURS.get(loss), label=NAMES.get(loss, loss))
    output_ax.set_title("output a = σ(wx + b)  (target y = 0)")
    output_ax.set_ylabel("a")
    output_ax.set_ylim(0, 1)
    cost_ax.set_title("cost C")
    cost_ax.set_yscale("log")
    cost_ax.set_ylabel("C (log scale)")
    for ax in (output_ax, cost_ax):
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend()
    finish(fig, out, title)


def finish(fig, out, title):
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    pathlib.Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    modes = parser.add_subparsers(dest="mode", required=True)
    training = modes.add_parser("training", help="training runs: loss and test accuracy per epoch")
    training.add_argument("csv", nargs="+", help="CSVs of `lossbench train --csv`, one run each")
    training.add_argument("--label", action="append", default=[],
                          help="name of a run in the legends, once per CSV in order (default: the file names)")
    training.add_argument("--accuracy-range", type=float, nargs=2, default=[0, 100], metavar=("LOW", "HIGH"),
                          help="the accuracy panel's y range in %% (default 0 100): zoom in when runs are close")
    neuron = modes.add_parser("neuron", help="the single-neuron experiment: output and cost per epoch")
    neuron.add_argument("csv", help="CSV of `lossbench train --experiment neuron --csv`")
    for mode in (training, neuron):
        mode.add_argument("--out", required=True, help="PNG to write")
        mode.add_argument("--title", default="", help="title above the panels")
    args = parser.parse_args()
    if args.mode == "training":
        plot_training(args.csv, args.label, args.out, args.title, args.accuracy_range)
    else:
        plot_neuron(args.csv, args.out, args.title)


if __name__ == "__main__":
    main()
