#!/usr/bin/env python3
"""Summary of bench/interleaved.sh.

  interleaved_summary.py LOGS             every metric: median before, median after,
                                          after/before, per-round ratios, each side's min..max
  interleaved_summary.py --bench-tsv J    one Google Benchmark JSON as metric lines
"""
import glob
import json
import os
import statistics
import sys
from collections import defaultdict


def bench_lines(path):
    """'bench: NAME<TAB>real time<TAB>unit' for each benchmark (median of its repetitions)."""
    with open(path) as f:
        data = json.load(f)
    times = defaultdict(list)
    units = {}
    for b in data["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration":
            continue
        name = b.get("run_name", b["name"]).split("/min_time:")[0]
        times[name].append(b["real_time"])
        units[name] = b["time_unit"]
    for name in times:
        print(f"bench: {name}\t{statistics.median(times[name]):.6g}\t{units[name]}")


def read_side(logs, side):
    """{metric: {round: value}} and {metric: unit} for one side."""
    values = defaultdict(dict)
    units = {}
    for path in glob.glob(os.path.join(logs, f"round*_{side}_metrics.tsv")):
        round_no = int(os.path.basename(path)[5:].split("_")[0])
        with open(path) as f:
            for line in f:
                name, value, unit = line.rstrip("\n").split("\t")
                values[name][round_no] = float(value)
                units[name] = unit
    return values, units


# Conveyor's time over the same work by FFmpeg or OpenCV, measured in the same
# round on the same side: both feel the machine's load alike, so the ratio
# moves less than either time when the machine is shared.
RELATIVE = [
    ("conveyor / ffmpeg, to null", "run: conveyor sobel magnitude -> null",
     "run: ffmpeg sobel -> null"),
    ("conveyor / ffmpeg, to a file", "run: conveyor sobel magnitude -> mp4v",
     "run: ffmpeg sobel -> mpeg4 file"),
    ("bank6 f32 t2 ours / opencv_parallel", "bench: bank6/1280x720/f32/t2/ours",
     "bench: bank6/1280x720/f32/t2/opencv_parallel"),
    ("bank6 u8 t2 ours / opencv_parallel", "bench: bank6/1280x720/u8/t2/ours",
     "bench: bank6/1280x720/u8/t2/opencv_parallel"),
    ("bank6 f32 t1 ours / opencv", "bench: bank6/1280x720/f32/t1/ours",
     "bench: bank6/1280x720/f32/t1/opencv"),
    ("sobel_magnitude u8 t2 ours / opencv_halves", "bench: sobel_magnitude/1280x720/u8/t2/ours",
     "bench: sobel_magnitude/1280x720/u8/t2/opencv_halves"),
]


def add_relative(values, units):
    for label, ours, theirs in RELATIVE:
        if ours in values and theirs in values:
            name = "rel: " + label
            values[name] = {r: values[ours][r] / values[theirs][r]
                            for r in values[ours] if r in values[theirs]}
            units[name] = "x"


def spread(values):
    return f"{min(values):.4g}..{max(values):.4g}"


def summary(logs):
    before, units = read_side(logs, "before")
    after, after_units = read_side(logs, "after")
    add_relative(before, units)
    add_relative(after, after_units)
    rounds = len(glob.glob(os.path.join(logs, "round*_before_metrics.tsv")))
    print(f"{rounds} rounds. Times (lower is better): median of each side, ratio of the medians "
          "after/before,\nthe range of the per-round ratios, and each side's spread (min..max).")
    width = max((len(n) for n in before), default=10)
    print(f"{'metric':<{width}}  {'before':>9}  {'after':>9}  {'ratio':>6}  {'round ratios':>13}  "
          f"{'spread before':>19}  {'spread after':>19}  unit")
    widest = 0.0
    order = {"run": 0, "bench": 1, "rel": 2, "load": 3}
    for name in sorted(before, key=lambda n: (order.get(n.split(":")[0], 4), n)):
        b, a = before[name], after.get(name, {})
        common = sorted(set(b) & set(a))
        if not common:
            continue
        mb, ma = statistics.median(b.values()), statistics.median(a.values())
        ratios = [a[r] / b[r] for r in common if b[r] > 0]
        if not name.startswith("load:"):
            widest = max(widest, max(ratios) - min(ratios))
        print(f"{name:<{width}}  {mb:>9.4g}  {ma:>9.4g}  {ma / mb:>6.3f}  "
              f"{min(ratios):>6.3f}..{max(ratios):<5.3f}  {spread(b.values()):>19}  "
              f"{spread(a.values()):>19}  {units[name]}")
    print(f"widest range of per-round ratios: {widest:.3f}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--bench-tsv":
        bench_lines(sys.argv[2])
    elif len(sys.argv) == 2:
        summary(sys.argv[1])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
