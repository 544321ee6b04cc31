#!/usr/bin/env python3
"""Do two builds of fraudsim give the same results in distribution?

A change that draws its numbers differently (a faster but exact sampler)
changes every run's figures, seed by seed, but must not change their
distribution. Give it two files of replicates of the same scenario and
seeds, one written by each build (`fraudsim run SCENARIO --replicates N`):
for every monthly series and every year it tests the annual totals of the
two builds, seed by seed (a paired t-test: the seeds share their
population, so the pairs are correlated and the test is sharper than an
unpaired one), and prints the largest differences. The verdict allows for
the number of tests (Bonferroni at the 1 % level).

    python3 scripts/same_distribution.py before.h5 after.h5
"""
from __future__ import annotations

import argparse
import math
import sys

import h5py
import numpy as np
from scipy import stats


def annual_totals(path: str) -> tuple[dict[str, np.ndarray], list[int], np.ndarray]:
    """{series: runs x years}, the years, the seeds."""
    with h5py.File(path, "r") as f:
        seeds = np.asarray(f["design/seed"])
        months = [m.decode() if isinstance(m, bytes) else str(m) for m in np.asarray(f["monthly/month"])] \
            if "month" in f["monthly"] else None
        series = {}
        for name, data in f["monthly"].items():
            if not isinstance(data, h5py.Dataset) or data.ndim != 2 or data.dtype.kind not in "iuf":
                continue
            series[name] = np.asarray(data, dtype=float)
    if months is None:
        raise SystemExit(f"{path}: no monthly/month dataset to tell the years by")
    years = sorted({int(m[:4]) for m in months})
    year_of = np.array([int(m[:4]) for m in months])
    totals = {name: np.stack([x[:, year_of == y].sum(axis=1) for y in years], axis=1) for name, x in series.items()}
    return totals, years, seeds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--show", type=int, default=12, help="how many of the largest differences to print")
    args = parser.parse_args(argv)
    a, years, seeds_a = annual_totals(args.before)
    b, years_b, seeds_b = annual_totals(args.after)
    if years != years_b or not np.array_equal(seeds_a, seeds_b):
        print("the two files are not replicates of the same years and seeds", file=sys.stderr)
        return 2
    rows = []
    for name in sorted(set(a) & set(b)):
        for k, year in enumerate(years):
            d = b[name][:, k] - a[name][:, k]
            if np.all(d == 0):
                continue
            sd = d.std(ddof=1)
            if sd == 0:  # every seed moved by the same amount: a shift, not noise
                rows.append((math.inf, 0.0, name, year, a[name][:, k].mean(), b[name][:, k].mean()))
                continue
            t = d.mean() / (sd / math.sqrt(len(d)))
            p = 2 * stats.t.sf(abs(t), len(d) - 1)
            rows.append((abs(t), p, name, year, a[name][:, k].mean(), b[name][:, k].mean()))
    rows.sort(key=lambda r: -r[0])
    tests = len(rows)
    print(f"{len(seeds_a)} seeds, {len(set(a) & set(b))} series, {len(years)} years: {tests} annual totals differ")
    print(f"{'series':<34} {'year':>4} {'before (mean)':>15} {'after (mean)':>15} {'|t|':>6} {'p':>8}")
    for t, p, name, year, ma, mb in rows[:args.show]:
        print(f"{name:<34} {year:>4} {ma:>15.6g} {mb:>15.6g} {t:>6.2f} {p:>8.2g}")
    expected = sum(1 for r in rows if r[1] < 0.05)
    print(f"p < 0.05 in {expected} of {tests} tests ({0.05 * tests:.0f} expected by chance)")
    smallest = min((r[1] for r in rows), default=1.0)
    same = smallest * max(tests, 1) >= 0.01
    print("same in distribution (no difference beyond seed noise, Bonferroni 1 %)" if same
          else f"DIFFERENT: smallest p {smallest:.2g} over {tests} tests")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
