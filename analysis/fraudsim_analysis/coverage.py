"""Coverage of the history match: simulation-based calibration (Talts, Betancourt, Simpson, Vehtari and
Gelman 2018, arXiv:1804.06788).

A fit is calibrated when its posterior intervals hold the truth as often as they say. Draw a truth from
the prior, make the figures the model gives at it, fit them, and see where the truth falls in the
posterior; over many truths, a 90 % interval must hold it about 90 % of the time, and the truth's rank
among posterior draws must be uniform. A posterior too narrow (an emulator too sure of itself, a
tolerance smaller than the noise) puts ranks at the ends of the histogram; one too wide piles them in
the middle.

For each truth (drawn by a generator keyed by the seed and the truth's number, so the same command
draws the same truths):
  1. every truth is run with the real program, `replicates` seeds each, at the given scale, in one
     sweep; each target's statistic is the mean over the seeds;
  2. the reported figure is that statistic with an observation error drawn as the history match's
     likelihood assumes (normal with the target's tolerance as its standard deviation; on the log scale,
     log(1 + tolerance/figure), for a positive level), since simulation-based calibration needs data
     drawn from the model the fit assumes; `observation_error=False` leaves it out, and the intervals
     then cover more than they say wherever the tolerance exceeds the seed noise;
  3. a targets file with those figures (tolerances as written, so a percentage stays one) and a copy of
     the calibration file that points at it are fitted with `history.history_match`, told that the
     figures are means over `replicates` runs (`Plan.observed_replicates`): the likelihood then counts
     the truth's own seed noise, which the data of the world do not carry but a synthetic truth does;
  4. the truth's place in the weighted posterior is recorded: inside the central 50 % and 90 %
     intervals or not, its weighted quantile, and its rank among `rank_draws` draws resampled by
     weight (0..rank_draws: uniform when the fit is calibrated).
"""
from __future__ import annotations

import copy
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from .history import (HistoryMatchError, Plan, history_match, load_problem, simulate, statistics, weighted_quantiles,
                      write_sweep)
from .io import open_sweep

RANK_DRAWS = 99  # ranks 0..99: 100 values, ten bins of ten


# --- the arithmetic of coverage, on any weighted posterior ---------------------------------------------------

def central_interval(samples: np.ndarray, weights: np.ndarray, level: float) -> tuple[float, float]:
    """The central `level` interval of a weighted sample (e.g. 0.9: its 5 % and 95 % quantiles)."""
    # history.weighted_quantiles expects weights that sum to 1, as the history match's do
    low, high = weighted_quantiles(samples, weights / weights.sum(), [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def posterior_quantile(samples: np.ndarray, weights: np.ndarray, truth: float) -> float:
    """The posterior probability below the truth: uniform over truths drawn from the prior when calibrated."""
    return float(weights[samples < truth].sum() / weights.sum())


def sbc_rank(samples: np.ndarray, weights: np.ndarray, truth: float, rng: np.random.Generator,
             draws: int = RANK_DRAWS) -> int:
    """Talts et al.'s rank statistic: how many of `draws` posterior draws (resampled by weight) lie below
    the truth, 0..draws; uniform over truths drawn from the prior when the posterior is right."""
    picked = samples[rng.choice(len(samples), size=draws, p=weights / weights.sum())]
    return int((picked < truth).sum())


def clopper_pearson(hits: int, n: int, confidence: float = 0.9) -> tuple[float, float]:
    """Exact binomial interval of a share `hits`/`n` (Clopper and Pearson 1934)."""
    alpha = 1 - confidence
    low = stats.beta.ppf(alpha / 2, hits, n - hits + 1) if hits > 0 else 0.0
    high = stats.beta.ppf(1 - alpha / 2, hits + 1, n - hits) if hits < n else 1.0
    return float(low), float(high)


def rank_uniformity(ranks: np.ndarray, bins: int = 10, draws: int = RANK_DRAWS) -> float:
    """p-value of a chi-square test that the ranks are uniform over `bins` equal bins of 0..draws."""
    counts = np.histogram(ranks, bins=bins, range=(-0.5, draws + 0.5))[0]
    return float(stats.chisquare(counts).pvalue)


def summarise(table: pd.DataFrame, confidence: float = 0.9) -> pd.DataFrame:
    """Per parameter: the share of truths inside the 90 % and 50 % intervals with their Clopper-Pearson
    intervals, how many truths fell below and above the 90 % interval, and the ranks' uniformity."""
    rows = []
    for name, group in table.groupby("parameter", sort=False):
        n = len(group)
        row = {"parameter": name, "truths": n}
        for level in (90, 50):
            hits = int(group[f"in_{level}"].sum())
            low, high = clopper_pearson(hits, n, confidence)
            row.update({f"coverage_{level}": hits / n, f"coverage_{level}_low": low, f"coverage_{level}_high": high})
        # where the misses fall: the truth below the interval (the posterior too high), or above it
        row["truth_below_90"] = int((group["quantile"] < 0.05).sum())
        row["truth_above_90"] = int((group["quantile"] > 0.95).sum())
        row["rank_uniformity_p"] = rank_uniformity(group["rank"].to_numpy())
        row["mean_width_90_over_prior"] = float(group["width_90_unit"].mean())
        rows.append(row)
    return pd.DataFrame(rows)


# --- the truths and their figures ------------------------------------------------------------------------------

def draw_truths(k: int, n: int, seed: int) -> np.ndarray:
    """n points of the unit cube (the priors' quantile scale), truth i drawn by a generator keyed by (seed, i)."""
    return np.array([np.random.default_rng([seed, i]).random(k) for i in range(n)]).reshape(n, k)


def _observation_error(values: np.ndarray, targets: pd.DataFrame, percentages: set[str],
                       rng: np.random.Generator) -> np.ndarray:
    """The figures with an error drawn as history.log_likelihood assumes (a level on the log scale with
    log(1 + tolerance / figure), anything else with the tolerance); bounds are left exact."""
    out = values.copy()
    for j, t in enumerate(targets.itertuples(index=False)):
        if t.bound or not np.isfinite(values[j]) or not np.isfinite(t.tolerance):
            continue
        if t.kind == "level" and values[j] > 0:
            # a percentage is the same share of the truth's figure as of the placeholder's
            relative = t.tolerance / abs(t.reported) if t.id in percentages else t.tolerance / values[j]
            out[j] = values[j] * np.exp(np.log1p(relative) * rng.normal())
        else:
            out[j] = values[j] + t.tolerance * rng.normal()
    return out


def _percentages(document: dict) -> set[str]:
    """Ids of the targets whose tolerance is written as a percentage of the figure."""
    return {str(e["id"]) for e in document["targets"] if str(e.get("tolerance", "")).strip().endswith("%")}


def synthetic_targets(document: dict, targets: pd.DataFrame, figures: np.ndarray) -> dict:
    """The targets file with each target's reported figure replaced by the truth's; shares (which the history
    match does not fit) and targets the truth has no figure for are left out."""
    figure = dict(zip(targets["id"], figures))
    entries = []
    for entry in document["targets"]:
        if entry["id"] in figure and np.isfinite(figure[entry["id"]]):
            entry = dict(entry, reported=float(figure[entry["id"]]))
            entry.pop("note", None)
            entries.append(entry)
    return {"targets": entries}


@dataclass
class CoverageRun:
    """What a coverage command asks: how many truths, how their figures are made, and the fit's plan."""
    truths: int
    scale: int
    truth_replicates: int
    plan: Plan
    seed: int = 1
    observation_error: bool = True


def _read_yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise HistoryMatchError(f"{path}: cannot read: {e}") from None


def truth_figures(calibration: Path, unit: np.ndarray, folder: Path, run: CoverageRun, binary: str,
                  threads: int | None) -> tuple[pd.DataFrame, np.ndarray]:
    """The targets the history match fits, and each truth's statistics [truth, target] from the real program."""
    problem = load_problem(calibration)
    targets = problem.targets[problem.targets["kind"] != "share"].reset_index(drop=True)
    merged = folder / "runs.h5"
    if not merged.exists():  # else resumed: the truths are the same for the same command
        sweep_file = write_sweep(problem, unit, folder / "sweep.yaml", run.truth_replicates,
                                 problem.seed + 1000 + run.seed, {"scale": str(run.scale)})
        merged = simulate(sweep_file, folder / "runs", binary, threads, [])
    figures, _ = statistics(open_sweep(merged), targets, len(unit))
    shutil.rmtree(folder / "runs", ignore_errors=True)
    return targets, figures


def _fit_truth(calibration: Path, document: dict, targets_document: dict, folder: Path, seed: int, plan: Plan,
               binary: str, threads: int | None) -> tuple[np.ndarray, np.ndarray, float, str]:
    """The history match of one truth's figures (resumed from its history.h5 when present): unit-scale
    draws, weights, effective sample size and the targets left out."""
    import h5py

    result = folder / "match" / "history.h5"
    if not result.exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "targets.yaml").write_text("# Figures of a synthetic truth (fraudsim_analysis.coverage)\n"
                                             + yaml.safe_dump(targets_document, sort_keys=False), encoding="utf-8")
        own = dict(copy.deepcopy(document), scenario=str((calibration.parent / document["scenario"]).resolve()),
                   targets="targets.yaml", seed=seed)
        own.pop("method", None)
        (folder / "calibration.yaml").write_text(yaml.safe_dump(own, sort_keys=False), encoding="utf-8")
        history_match(folder / "calibration.yaml", folder / "match", plan, binary=binary, threads=threads)
        shutil.rmtree(folder / "match" / "waves", ignore_errors=True)  # the runs: about 2 MB each
    with h5py.File(result, "r") as f:
        return (f["posterior/unit_samples"][()], f["posterior/weights"][()], float(f.attrs["effective_sample_size"]),
                str(f.attrs["structural_misses"]))


def coverage(calibration: str | os.PathLike, out: str | os.PathLike, run: CoverageRun, binary: str = "fraudsim",
             threads: int | None = None, progress=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulation-based calibration of the history match of `calibration`; writes OUT/coverage.csv (one row per
    truth and parameter), OUT/summary.csv and OUT/ranks.png, and returns the two tables."""
    calibration, out = Path(calibration), Path(out)
    problem = load_problem(calibration)
    document = _read_yaml(calibration)
    targets_document = _read_yaml(calibration.parent / document["targets"])
    k = len(problem.parameters)
    unit = draw_truths(k, run.truths, run.seed)
    targets, figures = truth_figures(calibration, unit, out / "truths", run, binary, threads)
    percentages = _percentages(targets_document)
    # The truths' figures are means over a few runs: the fits count that seed noise as the model they assume.
    plan = replace(run.plan, observed_replicates=run.truth_replicates)
    rows = []
    for i in range(run.truths):
        rng = np.random.default_rng([run.seed, i, 1])
        observed = _observation_error(figures[i], targets, percentages, rng) if run.observation_error else figures[i]
        folder = out / "truths" / f"truth_{i:03d}"
        draws, weights, ess, missed = _fit_truth(calibration, document, synthetic_targets(targets_document, targets, observed),
                                                 folder, problem.seed + 100 * (i + 1), plan, binary, threads)
        truth_values = problem.values(unit[i]).iloc[0]
        for p, param in enumerate(problem.parameters):
            samples, truth = draws[:, p], unit[i, p]
            lo90, hi90 = central_interval(samples, weights, 0.9)
            lo50, hi50 = central_interval(samples, weights, 0.5)
            rows.append({"truth": i, "parameter": param.name, "value": float(truth_values[param.name]),
                         "unit_value": truth, "median": float(param.value(weighted_quantiles(samples, weights / weights.sum(), 0.5))),
                         "p05": float(param.value(lo90)), "p95": float(param.value(hi90)),
                         "in_50": bool(lo50 <= truth <= hi50), "in_90": bool(lo90 <= truth <= hi90),
                         "width_90_unit": hi90 - lo90, "quantile": posterior_quantile(samples, weights, truth),
                         "rank": sbc_rank(samples, weights, truth, rng), "ess": ess, "left_out": missed})
        if progress:
            progress(f"truth {i + 1}/{run.truths}: "
                     + ", ".join(f"{r['parameter']} {'in' if r['in_90'] else 'OUT'}" for r in rows[-k:]))
    table = pd.DataFrame(rows)
    summary = summarise(table)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "coverage.csv", index=False)
    summary.to_csv(out / "summary.csv", index=False)
    plot_ranks(table, out / "ranks.png")
    return table, summary


def plot_ranks(table: pd.DataFrame, path: Path, bins: int = 10, draws: int = RANK_DRAWS) -> Path:
    """One rank histogram per parameter, with the band that 99 % of bins fall in under uniform ranks."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(table["parameter"]))
    columns = min(5, len(names))  # five to a row: twenty parameters stay readable
    rows = -(-len(names) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.6 * columns, 3.2 * rows), squeeze=False, sharey=True)
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    for ax, name in zip(axes.flat, names):
        ranks = table.loc[table["parameter"] == name, "rank"].to_numpy()
        n = len(ranks)
        low, high = stats.binom.ppf([0.005, 0.995], n, 1 / bins)
        ax.axhspan(low, high, color="0.85", label="99 % band, uniform")
        ax.axhline(n / bins, color="0.5", lw=0.8)
        ax.hist(ranks, bins=bins, range=(-0.5, draws + 0.5), color="C0", edgecolor="white")
        ax.set_title(name)
        ax.set_xlabel(f"rank of the truth among {draws} draws")
    for row in axes:
        row[0].set_ylabel(f"truths (of {n})")
    axes[0][0].legend(loc="upper left", fontsize=7, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
