#!/usr/bin/env python3
"""Ours vs OpenCV from a conveyor_bench JSON report (--benchmark_out).

Benchmark names are group/tN/variant, variant "ours" or "opencv*". Each OpenCV
variant is paired with ours at the same thread count, and OpenCV on one thread
also with ours on two (the "ours 2 threads vs filter2D" question). speedup =
OpenCV time / our time: above 1 means ours is faster. Times are medians over
the repetitions; the spread is the coefficient of variation (stddev / mean)
of the repetitions, or min..max when the report holds the single runs.

Several reports may be given: a later one replaces the earlier ones' results
for the benchmarks it holds (e.g. a filtered re-run of a part that was
disturbed by other load on the machine).

Usage: ratios.py report.json [rerun.json ...]
"""
import json
import sys
from collections import OrderedDict


def split_name(run_name):
    """'single/dense3/f32/t2/ours/min_time:0.300/real_time' -> ('single/dense3/f32', 2, 'ours')"""
    parts = [p for p in run_name.split("/") if ":" not in p and p != "real_time"]
    return "/".join(parts[:-2]), int(parts[-2].lstrip("t")), parts[-1]


def to_ms(value, unit):
    return value * {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def load(path, runs):
    with open(path) as f:
        report = json.load(f)
    fresh = set()
    for b in report["benchmarks"]:
        key = split_name(b.get("run_name", b["name"]))
        if key not in fresh:  # this report replaces what earlier ones said
            fresh.add(key)
            runs[key] = {"times": []}
        entry = runs[key]
        if b.get("run_type") == "aggregate":
            name = b["aggregate_name"]
            if name == "median":
                entry["median"] = to_ms(b["real_time"], b["time_unit"])
                entry["gflops"] = b.get("GFLOPs")
                entry["peak"] = b.get("peak")
            elif name == "cv":
                entry["cv"] = b["real_time"]  # a fraction
        else:
            entry["times"].append(to_ms(b["real_time"], b["time_unit"]))
    for entry in runs.values():  # reports with single runs only: take their median
        if "median" not in entry and entry["times"]:
            times = sorted(entry["times"])
            entry["median"] = times[len(times) // 2]
    return report.get("context", {})


def spread(entry):
    if len(entry["times"]) > 1:
        return "%.2f..%.2f" % (min(entry["times"]), max(entry["times"]))
    if "cv" in entry:
        return "cv %.1f%%" % (100 * entry["cv"])
    return "-"


def pairs(runs):
    groups = OrderedDict()
    for (group, threads, variant), entry in runs.items():
        groups.setdefault(group, {})[(threads, variant)] = entry
    for group, entries in groups.items():
        ours = {t: e for (t, v), e in entries.items() if v == "ours"}
        for (threads, variant), theirs in entries.items():
            if variant.startswith("ours"):  # ours_cached etc.: variants of ours, not OpenCV
                continue
            if threads in ours:
                yield group, threads, ours[threads], threads, variant, theirs
            if threads == 1 and 2 in ours:
                yield group, 2, ours[2], threads, variant, theirs


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    runs = OrderedDict()  # (group, threads, variant) -> facts, in first-seen order
    for path in sys.argv[1:]:
        context = load(path, runs)
        print("%s: load average at start %s" % (path, context.get("load_average_at_start", "?")))
    for key in ("conveyor_simd_target", "peak_gflops_per_core", "opencv_version", "num_cpus",
                "mhz_per_cpu"):
        if key in context:
            print("%s: %s" % (key, context[key]))
    header = ("comparison", "ours", "ms (spread)", "opencv variant", "ms (spread)", "speedup",
              "GFLOP/s", "peak")
    rows = []
    for group, ours_t, ours, cv_t, variant, theirs in pairs(runs):
        if "median" not in ours or "median" not in theirs:
            continue
        rows.append((group, "t%d" % ours_t,
                     "%.3f (%s)" % (ours["median"], spread(ours)),
                     "%s t%d" % (variant, cv_t),
                     "%.3f (%s)" % (theirs["median"], spread(theirs)),
                     "%.2fx" % (theirs["median"] / ours["median"]),
                     "%.1f" % ours["gflops"] if ours.get("gflops") else "-",
                     "%.1f%%" % (100 * ours["peak"]) if ours.get("peak") else "-"))
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print("\nspeedup = OpenCV median / ours median (>1: ours faster); GFLOP/s and peak are ours.")


if __name__ == "__main__":
    main()
