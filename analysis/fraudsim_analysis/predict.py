"""The posterior predictive distribution of a scenario: the out-of-sample check of a fit and the forecast.

D draws of a posterior (chosen by weight with a seeded generator, as
`attribution` chooses them: a sample chosen twice is run once and counts
twice) are each run with R seeds of their own at one scale, as one variants
sweep (`dNNN`, one variant per distinct draw). Unlike attribution's, the
sweep gives every run its own seed (`common_random_numbers: false`): a
predictive interval has to hold the seed noise of each draw, and draws that
shared their seeds would share their noise, which would then move the whole
distribution instead of widening it.

Every statistic (a target's, a month's value, a year's total) is computed
per run, and its predictive median and 90 % interval are the weighted 5 %,
50 % and 95 % quantiles over the runs, a run weighing as often as its draw
was chosen, divided by R.

The runs also choose a *point*: the draw whose runs fit best, by the sum
over the fit's targets (in sample, not structural misses) of ((median of
the draw's runs - reported) / tolerance)^2, a bound adding nothing on its
side (or over the targets of `--point-targets`, such as those a history
match was told to keep). A draw's median over a few seeds carries their
noise, and the best of many noisy scores is optimistic: `--confirm K`
runs the K best draws again with `--confirm-replicates` seeds of their
own (`OUT/confirm`) and chooses the point among them on all their runs.
`point.yaml` holds its values (scenario key paths), `points.csv` every
draw's score and medians; `scripts/apply_fit.py --point` writes them into
a scenario. The emulator's largest likelihood (`best.yaml` of a
history match) is an emulated guess; this point is chosen on simulations,
with seeds of its own, so a check on other seeds is a fair one.

A target is *out of sample* when its period, or the period it is compared
with, ends after the month the posterior was fitted to (`--until`, by
default the attribute `until` of a history match's history.h5): the same
rule that chose the targets of that fit (`history.ends_by`).
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .attribution import (Posterior, draw_label, load_posterior, posterior_draws, resolved_scenario,
                          write_variants)
from .compare import _period_text, load_targets
from .history import _progress, ends_by, month, run_statistics, simulate
from .io import Sweep, is_stock, open_sweep, weighted_quantile

YEARLY_SERIES = ("registered_cases", "losses_yuan", "handed_over")
QUANTILES = np.array([0.05, 0.5, 0.95])


class PredictError(ValueError):
    """A posterior, scenario, window or option that cannot be used; the message is one line."""


@dataclass
class Window:
    """The months of the monthly table and of the forecast's shading, and where the fitted period ends."""
    start: pd.Period
    end: pd.Period
    fitted_end: pd.Period


# --- what the posterior was fitted to, and the window --------------------------------------------------------

def fit_record(posterior_file: str | os.PathLike) -> tuple[pd.Period | None, set[str]]:
    """What a history match's history.h5 says of its fit: the month it was fitted until (attribute `until`;
    None when it fitted every target) and the targets it left out as structural misses."""
    import h5py

    def text(value) -> str:
        return value.decode() if isinstance(value, bytes) else str(value)

    with h5py.File(posterior_file, "r") as f:
        until, misses = text(f.attrs.get("until", "")), text(f.attrs.get("structural_misses", ""))
    return (month(until, f"{posterior_file}: attribute until") if until else None,
            set(filter(None, misses.split(","))))


def default_targets(scenario: Path) -> Path:
    """The targets file beside the scenario: SCENARIO_FOLDER/calibration/targets.yaml."""
    path = scenario.resolve().parent / "calibration" / "targets.yaml"
    if not path.is_file():
        raise PredictError(f"no targets file at {path}: name one with --targets")
    return path


def run_months(resolved: dict) -> pd.PeriodIndex:
    """The months a scenario runs, from its resolved start and end dates."""
    return pd.period_range(pd.Period(str(resolved["start_date"]), "M"), pd.Period(str(resolved["end_date"]), "M"),
                           freq="M")


def choose_window(months: pd.PeriodIndex, targets: pd.DataFrame, until: pd.Period | None,
                  start: str | None, end: str | None) -> Window:
    """The fitted period ends at `until`, or without it at the last month a target covers (or is compared
    with); the window runs by default from the month after it to the end of the run (the whole run if the
    fitted period reaches the end)."""
    if until is not None and until < months[0]:
        raise PredictError(f"the fit's month {until} (--until, or the posterior's attribute until) is before the "
                           f"run, which covers {months[0]} to {months[-1]}")
    if until is None:
        until = max((max(a, b) for a, b in zip(targets["period_to"], targets["compared_to"])), default=months[-1])
    fitted_end = min(until, months[-1])
    after = fitted_end + 1 if fitted_end < months[-1] else months[0]
    window = Window(month(start, "--from") if start else after, month(end, "--to") if end else months[-1], fitted_end)
    for option, m in (("--from", window.start), ("--to", window.end)):
        if not months[0] <= m <= months[-1]:
            raise PredictError(f"{option} {m}: outside the run, which covers {months[0]} to {months[-1]}")
    if window.end < window.start:
        raise PredictError(f"--to {window.end} is before --from {window.start}")
    return window


# --- the sweep ---------------------------------------------------------------------------------------------------

def draw_of(sweep: Sweep) -> np.ndarray:
    """Each run's draw number (its variant is `draw_label` of it)."""
    return sweep.design["variant"].astype(str).str[1:].astype(int).to_numpy()


def run_weights(sweep: Sweep, counts: np.ndarray) -> np.ndarray:
    """Each run's weight: how often its draw was chosen, shared among the draw's replicates."""
    draw = draw_of(sweep)
    replicates = np.bincount(draw, minlength=len(counts))
    return counts[draw] / replicates[draw]


def quantiles(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weighted 5 %, 50 % and 95 % quantiles over the runs with a value (NaN if none has)."""
    ok = np.isfinite(values)
    return weighted_quantile(values[ok], weights[ok], QUANTILES) if ok.any() else np.full(3, np.nan)


# --- the tables ----------------------------------------------------------------------------------------------------

def target_table(values: np.ndarray, targets: pd.DataFrame, weights: np.ndarray, until: pd.Period | None,
                 misses: set[str] = frozenset()) -> pd.DataFrame:
    """Per target: the reported figure, the predictive median and 90 % interval, whether the figure lies
    inside, whether the target's period was in the fit, and whether the fit left it out as a structural miss;
    `values` are the runs' statistics (`history.run_statistics`)."""
    in_fit = ends_by(targets, until)
    rows = []
    for j, t in enumerate(targets.itertuples(index=False)):
        p05, median, p95 = quantiles(values[:, j], weights)
        rows.append({"id": t.id, "series": t.series, "kind": t.kind, "period": _period_text(t.period_from, t.period_to),
                     "reported": t.reported, "bound": t.bound, "tolerance": t.tolerance, "median": median,
                     "p05": p05, "p95": p95, "inside": _inside(t.reported, t.bound, p05, p95),
                     "sample": "in sample" if in_fit[j] else "out of sample", "structural_miss": t.id in misses,
                     "runs": int(np.isfinite(values[:, j]).sum())})
    table = pd.DataFrame(rows)
    table["inside"] = table["inside"].astype("boolean")
    return table


def point_table(rounds: list[tuple[np.ndarray, np.ndarray]], targets: pd.DataFrame, until: pd.Period | None,
                misses: set[str], chosen: np.ndarray, scored: list[str] | None = None) -> pd.DataFrame:
    """Per distinct draw: its posterior sample, its runs (over all `rounds`, each the draw number and the
    statistics of every run of a sweep), whether a later round ran it again (`confirmed`), its score over
    the fit's targets (in sample, not structural misses; see the module's text), or over `scored` if given,
    and each target's median over the draw's runs. Sorted best first, the confirmed draws before the others
    when a confirmation ran."""
    draw = np.concatenate([d for d, _ in rounds])
    values = np.vstack([v for _, v in rounds])
    again = {int(d) for later, _ in rounds[1:] for d in later}
    if scored:
        used = targets["id"].isin(scored).to_numpy()
    else:
        used = ends_by(targets, until) & ~targets["id"].isin(misses).to_numpy()
    reported, tolerance = targets["reported"].to_numpy(float), targets["tolerance"].to_numpy(float)
    bound = targets["bound"].fillna("").to_numpy()
    rows = []
    for d in np.unique(draw):
        with warnings.catch_warnings():  # a share has no value in a sweep: its median is NaN, said so in the file
            warnings.simplefilter("ignore", RuntimeWarning)
            median = np.nanmedian(values[draw == d], axis=0)
        z = (median - reported) / tolerance
        z[((bound == "lower") & (z > 0)) | ((bound == "upper") & (z < 0))] = 0.0
        score = float(np.sum(z[used & np.isfinite(z)] ** 2))
        rows.append({"draw": draw_label(int(d)), "sample": int(chosen[d]), "runs": int((draw == d).sum()),
                     "confirmed": int(d) in again, "score": score,
                     "targets_scored": int((used & np.isfinite(z)).sum()),
                     **{t: m for t, m in zip(targets["id"], median)}})
    table = pd.DataFrame(rows)
    if again:
        return table.sort_values(["confirmed", "score", "draw"], ascending=[False, True, True]).reset_index(drop=True)
    return table.sort_values(["score", "draw"]).reset_index(drop=True)


def _inside(reported: float, bound: str, p05: float, p95: float):
    """Whether the reported figure lies in the 90 % interval; for a bound, whether the interval reaches its
    side (an upper bound: p05 at or below it; a lower bound: p95 at or above it). NA without a value."""
    if np.isnan(p05):
        return pd.NA
    if bound == "upper":
        return bool(p05 <= reported)
    if bound == "lower":
        return bool(p95 >= reported)
    return bool(p05 <= reported <= p95)


def monthly_table(sweep: Sweep, series: str, weights: np.ndarray, window: Window) -> pd.DataFrame:
    """Per month of the window: the predictive median, 5 % and 95 % of the series."""
    frame = sweep.frame(series)
    rows = []
    for when, values in zip(frame.index.to_period("M"), frame.to_numpy()):
        if window.start <= when <= window.end:
            p05, median, p95 = quantiles(values, weights)
            rows.append({"month": str(when), "series": series, "units": sweep.units.get(series, ""),
                         "median": median, "p05": p05, "p95": p95})
    return pd.DataFrame(rows)


def yearly_table(sweep: Sweep, weights: np.ndarray, series=YEARLY_SERIES) -> pd.DataFrame:
    """Per calendar year of the run and series: the predictive median, 5 % and 95 % of the year's total (a
    stock: its value at the year's last month); `months` says how many months of the year the run covers."""
    years = sweep.months.year
    rows = []
    for name in series:
        values = sweep.array(name).astype(float)
        for year in np.unique(years):
            inside = years == year
            total = values[:, inside][:, -1] if is_stock(name, sweep.kinds) else values[:, inside].sum(axis=1)
            p05, median, p95 = quantiles(total, weights)
            rows.append({"year": int(year), "series": name, "units": sweep.units.get(name, ""),
                         "months": int(inside.sum()), "median": median, "p05": p05, "p95": p95})
    return pd.DataFrame(rows)


def _figure_text(value: float) -> str:
    if not np.isfinite(value):
        return ""
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.1f} bn"
    if abs(value) >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.3g}"


def markdown(table: pd.DataFrame, yearly: pd.DataFrame) -> str:
    """The targets against the predictive distribution, then the years, as markdown tables for docs."""
    lines = ["| target | period | reported | predictive median (90 % interval) | inside | fit |", "|---|---|---|---|---|---|"]
    for _, row in table.iterrows():
        bound = {"lower": "at least ", "upper": "at most "}.get(row["bound"], "")
        interval = (f"{_figure_text(row['median'])} ({_figure_text(row['p05'])} to {_figure_text(row['p95'])})"
                    if pd.notna(row["median"]) else "no value (a sweep keeps no breakdowns)" if row["kind"] == "share"
                    else "no value")
        inside = "" if pd.isna(row["inside"]) else "yes" if row["inside"] else "no"
        fit = row["sample"] + (", left out as a structural miss" if row["structural_miss"] else "")
        lines.append(f"| {row['id']} | {row['period']} | {bound}{_figure_text(row['reported'])} | {interval} | "
                     f"{inside} | {fit} |")
    lines += ["", "| year | " + " | ".join(s.replace("_", " ") for s in yearly["series"].unique()) + " |",
              "|---|" + "---|" * yearly["series"].nunique()]
    for year, group in yearly.groupby("year", sort=True):
        cells = [f"{_figure_text(r['median'])} ({_figure_text(r['p05'])} to {_figure_text(r['p95'])})"
                 for _, r in group.iterrows()]
        months = group["months"].iloc[0]
        lines.append(f"| {year}{'' if months == 12 else f' ({months} months)'} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --- the driver ------------------------------------------------------------------------------------------------------

@dataclass
class Prediction:
    sweep_file: Path
    merged: Path
    posterior: Posterior
    chosen: np.ndarray
    counts: np.ndarray
    until: pd.Period | None
    window: Window
    targets: pd.DataFrame
    monthly: pd.DataFrame
    yearly: pd.DataFrame
    points: pd.DataFrame
    point: dict[str, str]


@dataclass(frozen=True)
class Options:
    """What `predict` runs and summarises (the command's options)."""
    draws: int = 40
    replicates: int = 1
    scale: int = 100
    seed: int = 1
    targets: str | os.PathLike | None = None
    until: str | None = None
    series: str = "registered_cases"
    start: str | None = None
    end: str | None = None
    point_targets: str | None = None  # comma-separated ids that score the point (default: the fit's targets)
    confirm: int = 0                  # the best draws run again before the point is chosen among them
    confirm_replicates: int = 10


def predict(scenario: str | os.PathLike, posterior_file: str | os.PathLike, out: str | os.PathLike,
            options: Options = Options(), binary: str = "fraudsim", threads: int | None = None,
            launcher: list[str] | None = None) -> Prediction:
    """Writes OUT/sweep.yaml, runs it into OUT/runs (and OUT/runs.h5), then OUT/targets.csv, OUT/monthly.csv,
    OUT/yearly.csv, OUT/predict.md and OUT/forecast.png."""
    scenario, out = Path(scenario), Path(out)
    if options.confirm < 0 or options.confirm_replicates < 1:
        raise PredictError(f"--confirm must be at least 0 and --confirm-replicates at least 1, got "
                           f"{options.confirm} and {options.confirm_replicates}")
    if options.draws < 1 or options.replicates < 1 or options.scale < 1:
        raise PredictError(f"--draws, --replicates and --scale must be at least 1, got {options.draws}, "
                           f"{options.replicates} and {options.scale}")
    if not scenario.is_file():
        raise PredictError(f"{scenario}: no such scenario file")
    targets = load_targets(options.targets or default_targets(scenario))
    scored = [t for t in (options.point_targets or "").split(",") if t]
    unknown = sorted(set(scored) - set(targets["id"]))
    if unknown:
        raise PredictError(f"--point-targets: no target {', '.join(unknown)} in the targets file")
    posterior = load_posterior(posterior_file)
    recorded_until, misses = fit_record(posterior.path)
    until = month(options.until) if options.until else recorded_until
    resolved = resolved_scenario(binary, scenario)
    window = choose_window(run_months(resolved), targets, until, options.start, options.end)
    chosen, counts, overrides = posterior_draws(posterior, options.draws, options.seed, binary, scenario, resolved)
    runs = len(chosen) * options.replicates
    _progress(f"predict: {len(chosen)} distinct posterior draws of {options.draws} x {options.replicates} seeds at "
              f"1:{options.scale}: {runs} runs; fitted until {window.fitted_end}"
              + ("" if until else " (the last month of the targets)"))
    sweep_file = write_variants(scenario, {draw_label(d): values for d, values in enumerate(overrides)},
                                out / "sweep.yaml", options.replicates, options.scale, options.seed,
                                common_random_numbers=False,
                                comment="The posterior predictive distribution (fraudsim_analysis.predict): one "
                                        "variant per distinct\nposterior draw, every run with its own seed.")
    merged = simulate(sweep_file, out / "runs", binary, threads, launcher or [])
    sweep = open_sweep(merged)
    if options.series not in sweep.units:
        raise PredictError(f"--series {options.series}: no such monthly series (have: {', '.join(sweep.series)})")
    _progress(f"predict: the targets, months and years over {len(sweep.design)} runs")
    weights = run_weights(sweep, counts)
    values = run_statistics(sweep, targets)
    rounds = [(draw_of(sweep), values)]
    if options.confirm:
        first = point_table(rounds, targets, until, misses, chosen, scored)
        top = [int(label[1:]) for label in first["draw"].head(options.confirm)]
        _progress(f"predict: the {len(top)} best draws again, {options.confirm_replicates} seeds each")
        confirm_file = write_variants(scenario, {draw_label(d): overrides[d] for d in top},
                                      out / "confirm" / "sweep.yaml", options.confirm_replicates, options.scale,
                                      options.seed + 1, common_random_numbers=False,
                                      comment="The best draws of the posterior predictive run again with seeds of "
                                              "their own\n(fraudsim_analysis.predict --confirm).")
        again = open_sweep(simulate(confirm_file, out / "confirm" / "runs", binary, threads, launcher or []))
        rounds.append((draw_of(again), run_statistics(again, targets)))
    points = point_table(rounds, targets, until, misses, chosen, scored)
    best = int(points["draw"].iloc[0][1:])
    prediction = Prediction(sweep_file, merged, posterior, chosen, counts, until, window,
                            target_table(values, targets, weights, until, misses),
                            monthly_table(sweep, options.series, weights, window), yearly_table(sweep, weights),
                            points, dict(overrides[best]))
    _write(prediction, sweep, targets, weights, options.series, out)
    return prediction


def _write(prediction: Prediction, sweep: Sweep, targets: pd.DataFrame, weights: np.ndarray, series: str,
           out: Path) -> None:
    from .plots import plot_forecast

    prediction.targets.to_csv(out / "targets.csv", index=False)
    prediction.monthly.to_csv(out / "monthly.csv", index=False)
    prediction.yearly.to_csv(out / "yearly.csv", index=False)
    prediction.points.to_csv(out / "points.csv", index=False)
    best = prediction.points.iloc[0]
    header = (f"# The point of {prediction.posterior.path.name}'s posterior whose runs fit best "
              f"(fraudsim_analysis.predict):\n# draw {best['draw']} (posterior sample {best['sample']}), "
              f"score {best['score']:.3g} over {best['targets_scored']} targets, {best['runs']} runs; "
              f"{len(prediction.points)} draws compared (points.csv).\n")
    (out / "point.yaml").write_text(header + yaml.safe_dump(prediction.point, sort_keys=False), encoding="utf-8")
    (out / "predict.md").write_text(markdown(prediction.targets, prediction.yearly), encoding="utf-8")
    window = prediction.window
    figure = plot_forecast(sweep, series, weights, targets, window.fitted_end.to_timestamp(how="end"),
                           (window.start.to_timestamp(), window.end.to_timestamp(how="end")))
    figure.savefig(out / "forecast.png", dpi=130)

