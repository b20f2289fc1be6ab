#!/usr/bin/python3
"""Turn lossbench_bench's JSON (--benchmark_format=json) into PNGs.

    lossbench_bench --benchmark_out=results.json --benchmark_out_format=json
    bench/plot.py results.json --out plots/ [--label "H100 SXM, 2026-11-24"]

Writes, per family of benchmarks (e.g. fused/bce/f32/forward_grad/mean/batched):
  throughput.png  bytes/s against n, one line per family, with the roofline
                  (the copy bandwidth the same run measured) as a dashed line;
  fused_vs_unfused.png  speed-up of each fused family over its unfused twin,
                  when the run has both (GPU runs only).
Needs matplotlib: Debian's python3-matplotlib, hence /usr/bin/python3.
"""
import argparse
import collections
import json
import pathlib
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

SIZE_SUFFIX = re.compile(r"^(?P<family>.*)/(?P<n>\d+)(/[a-z_]+)*$")


def load(path):
    with open(path) as f:
        data = json.load(f)
    context = data.get("context", {})
    families = collections.defaultdict(list)
    for b in data.get("benchmarks", []):
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        match = SIZE_SUFFIX.match(b["run_name"] if "run_name" in b else b["name"])
        if not match or "bytes_per_second" not in b:
            continue
        families[match.group("family")].append((int(match.group("n")), float(b["bytes_per_second"]),
                                                float(b["real_time"])))
    for points in families.values():
        points.sort()
    return context, families


def peak_lines(context):
    lines = []
    for key, label in (("device_copy_bandwidth_GB_per_s", "GPU copy bandwidth"),
                       ("cpu_copy_bandwidth_GB_per_s", "CPU copy bandwidth")):
        if key in context:
            lines.append((float(context[key]) * 1e9, label))
    return lines


def plot_throughput(families, context, out, label):
    fig, ax = plt.subplots(figsize=(9, 5.5))
    for family, points in sorted(families.items()):
        ax.plot([p[0] for p in points], [p[1] / 1e9 for p in points], marker="o", label=family)
    for value, name in peak_lines(context):
        ax.axhline(value / 1e9, linestyle="--", color="grey")
        ax.annotate(f"{name} {value / 1e9:.0f} GB/s", (0.01, value / 1e9), xycoords=("axes fraction", "data"),
                    va="bottom", fontsize=8, color="grey")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")  # the roofline and a slow reference on one readable scale
    ax.set_xlabel("n (elements)")
    ax.set_ylabel("GB/s (bytes the variant must move / time)")
    ax.set_title(f"lossbench throughput against the roofline\n{label}", fontsize=10)
    ax.legend(fontsize=7)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "throughput.png", dpi=120)
    plt.close(fig)


def plot_speedup(families, out, label):
    pairs = [(f, "unfused/" + f[len("fused/"):]) for f in families if f.startswith("fused/")]
    pairs = [(f, u) for f, u in pairs if u in families]
    if not pairs:
        return False
    fig, ax = plt.subplots(figsize=(9, 5.5))
    for fused, unfused in sorted(pairs):
        unfused_time = {n: t for n, _, t in families[unfused]}
        points = [(n, unfused_time[n] / t) for n, _, t in families[fused] if n in unfused_time]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=fused[len("fused/"):])
    ax.axhline(1.0, color="grey", linestyle="--")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("n (elements)")
    ax.set_ylabel("speed-up of fused over unfused")
    ax.set_title(f"fused vs unfused\n{label}", fontsize=10)
    ax.legend(fontsize=7)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "fused_vs_unfused.png", dpi=120)
    plt.close(fig)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="Google Benchmark JSON written by lossbench_bench")
    parser.add_argument("--out", default="plots", help="directory for the PNGs (created)")
    parser.add_argument("--label", default=None, help="what the run was (GPU model, date); default from the JSON")
    args = parser.parse_args()
    try:
        context, families = load(args.results)
    except (OSError, ValueError, KeyError) as error:
        print(f"plot.py: cannot read {args.results}: {error}", file=sys.stderr)
        return 2
    if not families:
        print(f"plot.py: {args.results} has no benchmark with a bytes_per_second counter", file=sys.stderr)
        return 2
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    label = args.label or f"{context.get('host_name', 'unknown host')}, {context.get('date', '')}"
    plot_throughput(families, context, out, label)
    wrote_speedup = plot_speedup(families, out, label)
    print(f"wrote {out / 'throughput.png'}" + (f" and {out / 'fused_vs_unfused.png'}" if wrote_speedup else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
