"""Effects of variants against a baseline, with intervals, from paired replicates.

Replicate r of a variant is paired with replicate r of the baseline. With
`common_random_numbers: true` in the sweep file the two share a seed, so
their difference is the variant's effect on that replicate, not noise
(docs/clusters.md, "Runs, replicates and seeds"); without it the pairs are
independent and the interval carries the noise of both runs.

The interval is a Student t-interval of the mean paired difference (few
replicates are the rule, too few for percentiles of the differences). The
relative effect is that difference and its interval divided by the
baseline's mean, so that both say the same about zero; the uncertainty of
the baseline's mean itself is left out of the relative interval.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .io import Run, Sweep, is_stock

try:
    import yaml
except ImportError:  # pragma: no cover - fraudsim_analysis says what is missing before this is reached
    yaml = None

EFFECT_COLUMNS = ["variant", "window_from", "window_to", "window_source", "pairs", "paired_by", "baseline_mean",
                  "variant_mean", "effect", "effect_low", "effect_high", "relative", "relative_low", "relative_high",
                  "verdict"]


@dataclass
class _Arm:
    """The replicates of one variant: values [replicate, month], their seeds, and the interventions'
    (start, enabled) by name as the variant resolved them."""
    values: np.ndarray
    seeds: np.ndarray
    interventions: dict[str, tuple[pd.Timestamp | None, bool]]


def effects(source, series: str = "registered_cases", start=None, end=None, baseline: str | None = None,
            confidence: float = 0.9) -> pd.DataFrame:
    """Each variant's effect on `series` against the baseline, one row per variant.

    `source`: a variants Sweep, or a mapping of label -> list of Runs (replicates
    in the same order in every list). Over the window [start, end] (months,
    inclusive) a flow is summed and a stock read at the window's last month. The
    window defaults, per variant, to the first start among the interventions it
    changes (read from the resolved scenario) to the end of the run; without one,
    to the whole run (`window_source` says which). `verdict` is 'increase' or
    'decrease' when the interval excludes zero, else 'interval spans zero'.
    """
    months, arms, units, stock = _arms(source, series)
    if baseline is None:
        baseline = next((k for k in arms if k.lower() in ("baseline", "reference")), next(iter(arms)))
    elif baseline not in arms:
        raise ValueError(f"baseline {baseline!r} is not one of {', '.join(arms)}")
    rows = []
    for label, arm in arms.items():
        if label == baseline:
            continue
        window_from, source_text = _window_start(arm, arms[baseline], months, start)
        window_to = pd.Timestamp(end).to_period("M").to_timestamp() if end is not None else months[-1]
        chosen = (months >= window_from) & (months <= window_to)
        if not chosen.any():
            raise ValueError(f"the window {window_from:%Y-%m} to {window_to:%Y-%m} lies outside the run's months "
                             f"({months[0]:%Y-%m} to {months[-1]:%Y-%m})")
        rows.append({"variant": label, "window_from": window_from, "window_to": window_to,
                     "window_source": source_text,
                     **_paired(_reduce(arms[baseline], chosen, stock), _reduce(arm, chosen, stock),
                               arms[baseline].seeds, arm.seeds, confidence)})
    table = pd.DataFrame(rows, columns=EFFECT_COLUMNS)
    table.attrs.update(series=series, units=units, kind="stock" if stock else "flow", baseline=baseline,
                       confidence=confidence,
                       interval=f"{confidence:.0%} Student t-interval of the mean paired difference over replicates")
    return table


def with_percentages(table: pd.DataFrame) -> pd.DataFrame:
    """The table for reading: relative effects as '+12.3 %' text."""
    shown = table.copy()
    for column in ("relative", "relative_low", "relative_high"):
        shown[column] = [f"{100 * v:+.1f} %" if pd.notna(v) else "" for v in shown[column]]
    return shown


def effect_text(row: pd.Series | Mapping, relative: bool = True) -> str:
    """'+32 % [+25 %, +39 %] from Jan 2021', or '... (interval spans zero)'; one pair: no interval."""
    if relative and np.isfinite(row["relative"]):
        value, low, high = (100 * row[k] for k in ("relative", "relative_low", "relative_high"))
        text = f"{value:+.0f} %" + (f" [{low:+.0f} %, {high:+.0f} %]" if np.isfinite(low) else "")
    else:
        value, low, high = row["effect"], row["effect_low"], row["effect_high"]
        text = f"{value:+,.4g}" + (f" [{low:+,.4g}, {high:+,.4g}]" if np.isfinite(low) else "")
    text += f" from {row['window_from']:%b %Y}"
    if row["verdict"] == "interval spans zero":
        text += " (interval spans zero)"
    elif row["pairs"] < 2:
        text += " (one replicate: no interval)"
    return text


# --- the arms -------------------------------------------------------------------------

def _arms(source, series: str) -> tuple[pd.DatetimeIndex, dict[str, _Arm], str, bool]:
    if isinstance(source, Sweep):
        return _sweep_arms(source, series)
    if isinstance(source, Mapping) and source:
        return _run_arms(source, series)
    raise TypeError("expected a variants Sweep or a mapping of label -> list of Runs")


def _sweep_arms(sweep: Sweep, series: str) -> tuple[pd.DatetimeIndex, dict[str, _Arm], str, bool]:
    if "variant" not in sweep.design:
        raise ValueError(f"{sweep.path}: effects need a sweep of variants (design type 'variants'), "
                         f"not {sweep.design_type!r}")
    values, design = sweep.array(series), sweep.design
    resolved = _resolved_sweep(sweep)
    arms = {}
    for label in dict.fromkeys(design["variant"].astype(str)):
        rows = design[design["variant"].astype(str) == label].sort_values("replicate")
        arms[label] = _Arm(values[rows["run"].to_numpy()], rows["seed"].to_numpy(),
                           _variant_interventions(resolved, label))
    return sweep.months, arms, sweep.units.get(series, ""), is_stock(series, sweep.kinds)


def _run_arms(runs_by_label: Mapping, series: str) -> tuple[pd.DatetimeIndex, dict[str, _Arm], str, bool]:
    arms, months, units, stock = {}, None, "", False
    for label, runs in runs_by_label.items():
        runs = [runs] if isinstance(runs, Run) or getattr(runs, "kind", None) == "run" else list(runs)
        frame = pd.concat([r.monthly[series] for r in runs], axis=1)
        if months is not None and not frame.index.equals(months):
            raise ValueError(f"the runs of {label!r} cover other months than the first label's")
        months = frame.index
        table = runs[0].interventions
        interventions = {str(r.name): (None if pd.isna(r.start) else pd.Timestamp(r.start), bool(r.enabled))
                         for r in table.itertuples()} if not table.empty else {}
        arms[str(label)] = _Arm(frame.to_numpy().T, np.array([r.meta.get("seed", -1) for r in runs]), interventions)
        units = runs[0].monthly.attrs["units"].get(series, "")
        stock = is_stock(series, runs[0].monthly.attrs.get("kinds", {}))
    return months, arms, units, stock


def _resolved_sweep(sweep: Sweep) -> dict:
    """The resolved sweep (/meta/sweep: base scenario and each point's overrides), {} if not recorded."""
    if yaml is None:
        return {}
    try:
        resolved = yaml.safe_load(str(sweep.meta.get("sweep", "")))
        base = yaml.safe_load(resolved.get("base_scenario", "")) if isinstance(resolved, dict) else None
    except yaml.YAMLError:
        return {}
    if not isinstance(base, dict):
        return {}
    return {"base": base, "points": resolved.get("points") or []}


def _variant_interventions(resolved: dict, variant: str) -> dict[str, tuple[pd.Timestamp | None, bool]]:
    """Each intervention's start and enabled flag in the variant's scenario (base plus its overrides)."""
    if not resolved:
        return {}
    overrides = next((p.get("overrides") or {} for p in resolved["points"] if str(p.get("variant")) == variant), {})
    result = {}
    for name, settings in (resolved["base"].get("interventions") or {}).items():
        settings = dict(settings or {})
        for path, value in overrides.items():
            parts = str(path).split(".")
            if len(parts) == 3 and parts[0] == "interventions" and parts[1] == name:
                settings[parts[2]] = yaml.safe_load(str(value))
        start = settings.get("start")
        enabled = settings.get("enabled", True)
        result[str(name)] = (None if start in (None, "") else pd.Timestamp(str(start)),
                             enabled if isinstance(enabled, bool) else str(enabled).lower() == "true")
    return result


def _window_start(arm: _Arm, base: _Arm, months: pd.DatetimeIndex, start) -> tuple[pd.Timestamp, str]:
    """The window's first month: `start` if given, else the first start among the interventions that
    differ between the variant and the baseline (as the earlier of the two starts)."""
    if start is not None:
        return pd.Timestamp(start).to_period("M").to_timestamp(), "given"
    changed = [name for name in set(arm.interventions) | set(base.interventions)
               if arm.interventions.get(name) != base.interventions.get(name)]
    starts = [s for name in changed for s, _ in (arm.interventions.get(name, (None, True)),
                                                  base.interventions.get(name, (None, True))) if s is not None]
    if not starts:
        return months[0], "whole run (no changed intervention found)"
    first = max(min(starts).to_period("M").to_timestamp(), months[0])
    return first, "start of " + ", ".join(sorted(changed))


def _reduce(arm: _Arm, chosen: np.ndarray, stock: bool) -> np.ndarray:
    """One number per replicate: the window's sum (a flow) or its last month (a stock)."""
    window = arm.values[:, chosen].astype(float)
    return window[:, -1] if stock else window.sum(axis=1)


def _paired(base: np.ndarray, variant: np.ndarray, base_seeds: np.ndarray, variant_seeds: np.ndarray,
            confidence: float) -> dict:
    pairs = min(len(base), len(variant))
    base, variant = base[:pairs], variant[:pairs]
    same_seed = np.array_equal(np.asarray(base_seeds)[:pairs], np.asarray(variant_seeds)[:pairs])
    effect, effect_low, effect_high = _t_interval(variant - base, confidence)
    scale = base.mean() if pairs and base.mean() != 0 else np.nan
    relative, relative_low, relative_high = (x / scale for x in (effect, effect_low, effect_high))
    if pairs < 2:
        verdict = "one replicate: no interval"
    elif effect_low > 0:
        verdict = "increase"
    elif effect_high < 0:
        verdict = "decrease"
    else:
        verdict = "interval spans zero"
    return {"pairs": pairs, "paired_by": "seed" if same_seed else "replicate (seeds differ)",
            "baseline_mean": base.mean(), "variant_mean": variant.mean(), "effect": effect,
            "effect_low": effect_low, "effect_high": effect_high, "relative": relative,
            "relative_low": relative_low, "relative_high": relative_high, "verdict": verdict}


def _t_interval(values: np.ndarray, confidence: float) -> tuple[float, float, float]:
    """Mean and two-sided t-interval; no interval (NaN) with fewer than two values."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0 or not np.isfinite(values).all():
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, np.nan, np.nan
    from scipy.stats import t  # only here: the rest of the package runs without scipy

    half = float(t.ppf(0.5 + confidence / 2, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values)))
    return mean, mean - half, mean + half
