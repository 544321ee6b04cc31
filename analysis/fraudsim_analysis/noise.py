"""Seed noise of calibration targets, and the scale a fit needs to see through it.

A fit compares each target's statistic with the reported figure within a
tolerance. If the statistic moves between seeds by as much as the tolerance,
the fit mistakes noise for signal. `target_noise` takes replicate runs (files
of `fraudsim run --replicates N`, one per scale) and gives, per target and
scale, the mean and standard deviation of the statistic over seeds, the
noise as a share of the tolerance, and the scale at which the noise of one
run would be a chosen share of the tolerance.

Counts at scale s are sums of about N/s agents' independent decisions, so the
seed noise of a level or a ratio of levels shrinks as sqrt(s): the scale
needed is s * (share * tolerance / sd)^2. Statistics that count months
(`months_below_year_before`, `run_below_year_before`) are integers and do
not scale that way; their row gives the measured noise only.
"""
from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd

from .compare import load_targets, target_value
from .io import Sweep, open_sweep

NOISE_COLUMNS = ["id", "series", "kind", "scale", "runs", "mean", "sd", "tolerance", "sd_over_tolerance",
                 "scale_needed"]
_COUNTED = ("months_below_year_before", "run_below_year_before")


def _values(sweep: Sweep, target) -> np.ndarray:
    frame = sweep.frame(target.series)
    return np.array([target_value(frame[run], target.kind, target.period_from, target.period_to,
                                  target.compared_from, target.compared_to) for run in frame.columns])


def scale_needed(scale: float, sd: float, tolerance: float, share: float) -> float:
    """The coarsest scale (people per agent) at which one run's seed noise is `share` of the tolerance,
    assuming the noise grows as sqrt(scale); NaN when either is not positive and finite."""
    if not (sd > 0 and tolerance > 0 and math.isfinite(sd) and math.isfinite(tolerance)):
        return math.nan
    return scale * (share * tolerance / sd) ** 2


def target_noise(replicates: list[Sweep | str | os.PathLike], targets: str | os.PathLike | pd.DataFrame,
                 share: float = 1 / 3) -> pd.DataFrame:
    """One row per target and replicates file: mean and sd over the file's runs (one per seed) of the
    target's statistic, sd / tolerance, and the scale at which sd would be `share` of the tolerance."""
    targets = targets if isinstance(targets, pd.DataFrame) else load_targets(targets)
    rows = []
    for source in replicates:
        sweep = source if isinstance(source, Sweep) else open_sweep(source)
        if sweep.design_type != "replicates":
            raise ValueError(f"{sweep.path}: expected replicates of one scenario (fraudsim run --replicates N), "
                             f"got a {sweep.design_type} sweep")
        scale = sweep.scale
        for t in targets.itertuples(index=False):
            if t.series not in sweep.series or t.kind == "share":  # sweeps keep no breakdowns
                continue
            values = _values(sweep, t)
            values = values[np.isfinite(values)]
            sd = float(values.std(ddof=1)) if len(values) > 1 else math.nan
            needed = math.nan if t.kind in _COUNTED or scale is None else scale_needed(scale, sd, t.tolerance, share)
            rows.append({"id": t.id, "series": t.series, "kind": t.kind, "scale": scale, "runs": len(values),
                         "mean": float(values.mean()) if len(values) else math.nan, "sd": sd,
                         "tolerance": t.tolerance, "sd_over_tolerance": sd / t.tolerance if t.tolerance else math.nan,
                         "scale_needed": needed})
    return pd.DataFrame(rows, columns=NOISE_COLUMNS)
