"""The model beside the reported figures.

A targets file (format: docs/analysis.md) lists reported figures, each a
statistic of one monthly series over a period. `compare_run` computes the same
statistic from a run; `compare_posterior` reads what a calibration stored.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import yaml  # python3-yaml: a requirement of this module

from .io import Calibration, Run

KINDS = ("level", "year_on_year_change", "months_below_year_before", "run_below_year_before", "share")
BREAKDOWNS = {"category": ("victimisations", "losses_yuan", "registered_cases"),
              "age_band": ("victimisations", "registered_cases")}
BOUNDS = ("lower", "upper")
_KEYS = {"id", "series", "kind", "period", "reported", "tolerance", "source", "compared_with", "note", "bound", "by",
         "items"}
COMPARISON_COLUMNS = ["id", "series", "kind", "period", "reported", "simulated", "simulated_p05", "simulated_p95",
                      "tolerance", "within_tolerance", "source"]


class TargetsError(ValueError):
    """A targets file that cannot be used; the message is one line naming the file and the target."""


def _month(value, where: str) -> pd.Period:
    try:
        return pd.Period(str(value), freq="M")
    except (ValueError, TypeError):
        raise TargetsError(f"{where}: {value!r} is not a month (YYYY-MM)") from None


def _span(value, where: str) -> tuple[pd.Period, pd.Period]:
    if not isinstance(value, dict) or set(value) != {"from", "to"}:
        raise TargetsError(f"{where}: expected {{from: YYYY-MM, to: YYYY-MM}}, got {value!r}")
    start, end = _month(value["from"], where), _month(value["to"], where)
    if end < start:
        raise TargetsError(f"{where}: 'to' ({end}) is before 'from' ({start})")
    return start, end


def _tolerance(value, reported: float, where: str) -> float:
    """A number (absolute, in the target's units) or 'N%' (of the reported figure)."""
    if value is None:
        return np.nan
    try:
        if isinstance(value, str) and value.strip().endswith("%"):
            return abs(reported) * float(value.strip()[:-1]) / 100
        tolerance = float(value)
    except ValueError:
        raise TargetsError(f"{where}: tolerance {value!r} is neither a number nor a percentage like '10%'") from None
    if tolerance < 0:
        raise TargetsError(f"{where}: tolerance {value!r} is negative")
    return tolerance


def load_targets(path: str | os.PathLike) -> pd.DataFrame:
    """Reads and checks a targets file: one row per target, periods as monthly pandas Periods."""
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise TargetsError(f"{path}: cannot read: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise TargetsError(f"{path}:{line} not valid YAML: {getattr(e, 'problem', None) or e}") from None
    if not isinstance(document, dict) or not isinstance(document.get("targets"), list):
        raise TargetsError(f"{path}: expected a list under 'targets:'")
    rows, seen = [], set()
    for number, entry in enumerate(document["targets"], start=1):
        where = f"{path}: target {entry.get('id', f'#{number}') if isinstance(entry, dict) else f'#{number}'}"
        if not isinstance(entry, dict):
            raise TargetsError(f"{where}: expected a mapping")
        missing = {"id", "series", "kind", "period", "reported"} - set(entry)
        if missing:
            raise TargetsError(f"{where}: missing {', '.join(sorted(missing))}")
        unknown = set(entry) - _KEYS
        if unknown:
            raise TargetsError(f"{where}: unknown key {', '.join(sorted(unknown))} (known: {', '.join(sorted(_KEYS))})")
        if entry["kind"] not in KINDS:
            raise TargetsError(f"{where}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}")
        if entry.get("bound") not in (None,) + BOUNDS:
            raise TargetsError(f"{where}: bound {entry['bound']!r} is not one of {', '.join(BOUNDS)}")
        if entry["id"] in seen:
            raise TargetsError(f"{where}: id used twice")
        seen.add(entry["id"])
        try:
            reported = float(entry["reported"])
        except (TypeError, ValueError):
            raise TargetsError(f"{where}: reported {entry['reported']!r} is not a number") from None
        by, items = _share(entry, where)
        start, end = _span(entry["period"], f"{where}: period")
        before = (start - 12, end - 12)
        if "compared_with" in entry:
            if entry["kind"] != "year_on_year_change":
                raise TargetsError(f"{where}: compared_with only applies to kind year_on_year_change")
            before = _span(entry["compared_with"], f"{where}: compared_with")
        rows.append({"id": str(entry["id"]), "series": str(entry["series"]), "kind": entry["kind"],
                     "period_from": start, "period_to": end, "compared_from": before[0], "compared_to": before[1],
                     "reported": reported, "tolerance": _tolerance(entry.get("tolerance"), reported, where),
                     "bound": str(entry.get("bound", "")), "source": str(entry.get("source", "")),
                     "by": by, "items": items})
    return pd.DataFrame(rows, columns=["id", "series", "kind", "period_from", "period_to", "compared_from",
                                       "compared_to", "reported", "tolerance", "bound", "source", "by", "items"])


def _share(entry: dict, where: str) -> tuple[str, tuple[str, ...]]:
    """A share's breakdown and items, checked; ("", ()) for other kinds, which may not have them."""
    if entry["kind"] != "share":
        if "by" in entry or "items" in entry:
            raise TargetsError(f"{where}: by and items only apply to kind share")
        return "", ()
    by, items = entry.get("by"), entry.get("items")
    if by not in BREAKDOWNS:
        raise TargetsError(f"{where}: a share needs by: one of {', '.join(BREAKDOWNS)}")
    if entry["series"] not in BREAKDOWNS[by]:
        raise TargetsError(f"{where}: series {entry['series']!r} has no breakdown by {by} "
                           f"(one of {', '.join(BREAKDOWNS[by])})")
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise TargetsError(f"{where}: a share needs items: a list of {by} names")
    return by, tuple(items)


def _window(monthly: pd.Series, start: pd.Period, end: pd.Period) -> pd.Series:
    """The months start..end; NaN where the run does not cover them."""
    return monthly.reindex(pd.period_range(start, end, freq="M"))


def target_value(monthly: pd.Series, kind: str, start, end, compared_from=None, compared_to=None,
                 part: pd.Series | None = None) -> float:
    """A target's statistic of one monthly series (DatetimeIndex or monthly PeriodIndex); NaN when the
    series does not cover every month it needs. A share's `part` is the monthly sum of its items."""
    if isinstance(monthly.index, pd.DatetimeIndex):
        monthly = monthly.set_axis(monthly.index.to_period("M"))
    if kind == "share":
        if part is None:
            raise ValueError("a share needs the part of the series its items make")
        if isinstance(part.index, pd.DatetimeIndex):
            part = part.set_axis(part.index.to_period("M"))
        whole = _window(monthly, pd.Period(start, "M"), pd.Period(end, "M"))
        some = _window(part, pd.Period(start, "M"), pd.Period(end, "M"))
        return np.nan if whole.isna().any() or some.isna().any() or whole.sum() == 0 else float(some.sum() / whole.sum())
    start, end = pd.Period(start, "M"), pd.Period(end, "M")
    now = _window(monthly, start, end)
    if now.isna().any():
        return np.nan
    if kind == "level":
        return float(now.sum())
    if kind == "year_on_year_change":
        before = _window(monthly, pd.Period(compared_from or start - 12, "M"), pd.Period(compared_to or end - 12, "M"))
        return np.nan if before.isna().any() or before.sum() == 0 else float(now.sum() / before.sum() - 1)
    if kind == "months_below_year_before":
        before = _window(monthly, start - 12, end - 12)
        return np.nan if before.isna().any() else float((now.to_numpy() < before.to_numpy()).sum())
    if kind == "run_below_year_before":
        # consecutive months from the first, so a run longer than reported scores more
        before = _window(monthly, start - 12, end - 12)
        if before.isna().any():
            return np.nan
        below = now.to_numpy() < before.to_numpy()
        return float(len(below) if below.all() else below.argmin())
    raise ValueError(f"unknown target kind {kind!r}")


def _period_text(start, end) -> str:
    return str(start) if start == end else f"{start} to {end}"


def _within(simulated: float, target) -> bool:
    """Within tolerance of the reported figure; a bound is met by any value on its side."""
    bound = getattr(target, "bound", "")
    if (bound == "lower" and simulated >= target.reported) or (bound == "upper" and simulated <= target.reported):
        return True
    return abs(simulated - target.reported) <= target.tolerance


def compare_run(run: Run, targets: str | os.PathLike | pd.DataFrame) -> pd.DataFrame:
    """One row per target: the reported figure beside the run's value of the same statistic."""
    targets = targets if isinstance(targets, pd.DataFrame) else load_targets(targets)
    rows = []
    for t in targets.itertuples(index=False):
        if t.series not in run.monthly:
            raise TargetsError(f"target {t.id}: {run.path} has no monthly series {t.series!r}")
        part = None
        if t.kind == "share":
            breakdown = run.breakdown(t.by, t.series)
            unknown = sorted(set(t.items) - set(breakdown.columns))
            if unknown:
                raise TargetsError(f"target {t.id}: {run.path} has no {t.by} {', '.join(unknown)} "
                                   f"(it has {', '.join(breakdown.columns)})")
            part = breakdown[list(t.items)].sum(axis=1)
        simulated = target_value(run.monthly[t.series], t.kind, t.period_from, t.period_to,
                                 t.compared_from, t.compared_to, part)
        within = pd.NA if np.isnan(t.tolerance) or np.isnan(simulated) else _within(simulated, t)
        rows.append({"id": t.id, "series": t.series, "kind": t.kind, "period": _period_text(t.period_from, t.period_to),
                     "reported": t.reported, "simulated": simulated, "simulated_p05": np.nan, "simulated_p95": np.nan,
                     "tolerance": t.tolerance, "within_tolerance": within, "source": t.source})
    result = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    result["within_tolerance"] = result["within_tolerance"].astype("boolean")
    return result


def compare_posterior(calibration: Calibration) -> pd.DataFrame:
    """The calibration's /targets table in the layout of `compare_run`: `simulated` is the posterior
    predictive median, and `within_tolerance` says whether the reported figure lies in the 5-95 % interval."""
    t = calibration.targets
    result = pd.DataFrame({
        "id": t["id"], "series": t["series"], "kind": t["kind"],
        "period": [_period_text(a, b) for a, b in zip(t["period_from"], t["period_to"])],
        "reported": t["reported"].astype(float), "simulated": t["simulated_median"].astype(float),
        "simulated_p05": t["simulated_p05"].astype(float), "simulated_p95": t["simulated_p95"].astype(float),
        "tolerance": t["tolerance"].astype(float) if "tolerance" in t else np.nan, "source": t["source"]})
    result["within_tolerance"] = ((result["simulated_p05"] <= result["reported"])
                                  & (result["reported"] <= result["simulated_p95"])).astype("boolean")
    result["in_fit"] = t["in_fit"].astype(bool).to_numpy()
    return result[COMPARISON_COLUMNS + ["in_fit"]]
