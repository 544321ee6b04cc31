"""What each intervention of a scenario did, over a posterior: paired differences over common random
numbers and over posterior draws, with 90 % intervals.

For D draws of the posterior (chosen by weight with a seeded generator, so the
same command gives the same draws) one variants sweep is written: per draw d,
`dNNN_baseline` (the scenario at the draw's parameter values) and
`dNNN_without_<name>` (the same with that intervention switched off), R
replicates each, with `common_random_numbers: true`. Replicate r of every
variant then runs on the same seed, and as the model's random streams are
keyed by decision, a variant differs from its draw's baseline by the
intervention's effect, not by noise (docs/clusters.md, "Runs, replicates and
seeds").

For an intervention, an outcome (a monthly flow) and a pair (d, r) the effect
of switching it off is the difference of the outcome summed from the
intervention's start month (the draw's, if the posterior moves it) to the end
of the run, `without - baseline`; the relative effect divides it by the draw's
mean baseline over its replicates. Positive: the intervention lowered the
outcome.

The interval. What is uncertain about an effect is the posterior (which
parameter values are right) and, for each draw, the expected effect at its
values, which R seeds estimate with noise. Given the runs, the expected
effect at draw d is about a Student t around the mean of its R pairs, m_d,
with scale s / sqrt(R) (s the standard deviation of a pair's effect about its
draw's mean, pooled over the draws: the seed noise hardly depends on the
parameters, and with R = 2 a draw's own estimate would have one degree of
freedom; D (R - 1) degrees of freedom pooled). The effect over the posterior
is then the mixture of these t's over the draws, each weighted by how often
it was drawn; the interval is that mixture's 5 % and 95 % quantiles, so it
carries the posterior's spread (between the m_d) and the seed noise (within
each). It errs wide rather than narrow: the spread of the m_d holds the seed
noise once more. A bootstrap over draws then replicates was not chosen: with
R = 2 it resamples from two values per draw, and it gives the uncertainty of
the mean over the posterior (which shrinks with D), not the posterior's
spread. With R = 1 the seed noise cannot be measured and the interval is the
draws' weighted 5 % and 95 % quantiles alone (`seed_sd` is then empty). The
draws share their seeds (the sweep has one seed list), so the seed noise of the
m_d is partly common to them and the spread of the m_d alone would leave it
out; the t term puts it back.

Interventions of `type: enforcement_change` are left out unless asked for:
they are the host countries' events (a ban on online gambling, an armed
offensive), not measures whose effect the question is about, and they are the
backdrop the other measures act in.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .history import Parameter, simulate
from .io import expand_also, is_date_unit, open_calibration, open_sweep, split_also, weighted_quantile

OUTCOMES = ("registered_cases", "losses_yuan", "victims")
HOST_EVENTS = "enforcement_change"


class AttributionError(ValueError):
    """A posterior, scenario or option that cannot be used; the message is one line."""


# --- the posterior and its draws -----------------------------------------------------------------------------

@dataclass
class Posterior:
    """Weighted posterior samples [sample, parameter] in the parameters' own units, and their scenario paths."""
    path: Path
    names: list[str]
    paths: list[str]
    samples: np.ndarray
    weights: np.ndarray
    dates: list[bool]  # True where the file marks the parameter as a date (days since 1970-01-01)


def load_posterior(path: str | os.PathLike) -> Posterior:
    """A history match's OUT/history.h5 or a `fraudsim calibrate` file (FIT.h5)."""
    import h5py

    path = Path(path)
    if not path.is_file():
        raise AttributionError(f"{path}: no such file (expected a posterior: history.h5 of history-match, or the "
                               f"file of fraudsim calibrate)")
    try:
        with h5py.File(path, "r") as f:
            if "paths" in f and "posterior/samples" in f:
                names = [str(x) for x in f["parameters"].asstr()[()]]
                paths = [str(x) for x in f["paths"].asstr()[()]]
                samples = np.asarray(f["posterior/samples"][()], float)
                weights = np.asarray(f["posterior/weights"][()], float)
                if "also" in f:
                    also = split_also(dict(zip(names, f["also"].asstr()[()])))
                    names, paths, samples = expand_also(names, paths, samples, also)
                dates = [False] * len(names)
            elif "posterior/parameter" in f:
                names, paths, samples, weights, dates = None, None, None, None, None
            else:
                raise AttributionError(f"{path}: neither a history match (/paths, /posterior/samples) nor a "
                                       f"calibration (/posterior/parameter)")
    except OSError as e:
        raise AttributionError(f"{path}: not a readable HDF5 file ({e})") from None
    if names is None:
        fit = open_calibration(path)
        missing = [p for p in fit.parameters if p not in fit.paths]
        if missing:
            raise AttributionError(f"{path}: /posterior/path does not give the scenario key of {', '.join(missing)}")
        names, samples, weights = list(fit.parameters), fit.samples, fit.weights
        dates = [is_date_unit(str(fit.units.get(p, ""))) for p in names]
        names, paths, samples = expand_also(names, [fit.paths[p] for p in names], samples, fit.also)
        dates += [dates[fit.parameters.index(n.split("@")[0])] for n in names[len(dates):]]
    if samples.ndim != 2 or samples.shape != (len(weights), len(names)) or len(paths) != len(names):
        raise AttributionError(f"{path}: /posterior/samples must be [{len(weights)}, {len(names)}] "
                               f"[sample, parameter], is {list(samples.shape)}")
    if not len(weights) or np.any(weights < 0) or not weights.sum() > 0:
        raise AttributionError(f"{path}: /posterior/weights must be non-negative with a positive sum")
    return Posterior(path, names, paths, samples, weights / weights.sum(), dates)


def choose_draws(posterior: Posterior, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`draws` samples chosen by weight (with replacement, seeded): the distinct ones in the order first
    drawn, and how often each was drawn (its weight in the mixture)."""
    if draws < 1:
        raise AttributionError(f"--draws must be at least 1, got {draws}")
    chosen = np.random.default_rng(seed).choice(len(posterior.weights), size=draws, p=posterior.weights)
    distinct, first, counts = np.unique(chosen, return_index=True, return_counts=True)
    order = np.argsort(first)
    return distinct[order], counts[order]


def posterior_draws(posterior: Posterior, draws: int, seed: int, binary: str, scenario: Path,
                    resolved: dict) -> tuple[np.ndarray, np.ndarray, list[dict[str, str]]]:
    """`choose_draws`, and each distinct draw's values as scenario overrides, every one checked by the
    program before anything runs (a value out of the scenario's bounds is one line naming the sample)."""
    all_overrides = draw_overrides(posterior, resolved, scenario)
    chosen, counts = choose_draws(posterior, draws, seed)
    overrides = [all_overrides[i] for i in chosen]
    for d, values in enumerate(overrides):
        try:
            resolved_scenario(binary, scenario, values)
        except AttributionError as e:
            raise AttributionError(f"{posterior.path}: posterior sample {chosen[d]}: {e}") from None
    return chosen, counts, overrides


# --- the scenario: keys, dates, interventions -------------------------------------------------------------------

def resolved_scenario(binary: str, scenario: Path, overrides: dict[str, str] | None = None) -> dict:
    """The scenario fully resolved by `fraudsim check` (with `overrides` as --set), as a dict; an error
    of the program (a key it does not have, a value out of bounds) as one line."""
    command = [binary, "check", str(scenario)]
    for key, value in (overrides or {}).items():
        command += ["--set", f"{key}={value}"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as e:
        raise AttributionError(f"cannot start {binary}: {e.strerror or e}") from None
    if result.returncode != 0:
        message = next((line for line in result.stderr.splitlines() if line.strip()), f"exit code {result.returncode}")
        raise AttributionError(message.removeprefix("error: "))
    return yaml.safe_load(result.stdout)


def _lookup(tree: dict, path: str):
    node = tree
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node


def draw_overrides(posterior: Posterior, resolved: dict, scenario: Path) -> list[dict[str, str]]:
    """Per sample, its values as scenario overrides (text); a parameter whose key the scenario does not
    have is an error. A date is one where the file says so or where the scenario holds a date."""
    texts = []
    for i, (name, path) in enumerate(zip(posterior.names, posterior.paths)):
        try:
            current = _lookup(resolved, path)
        except KeyError:
            raise AttributionError(f"{posterior.path}: posterior parameter {name!r} has the key path {path!r}, "
                                   f"which {scenario} does not have") from None
        # the prior's range does not matter here: Parameter.text only writes a value as the scenario reads it
        parameter = Parameter(name, path, "uniform", 0.0, 1.0, posterior.dates[i] or isinstance(current, dt.date))
        texts.append([parameter.text(v) for v in posterior.samples[:, i]])
    return [{path: texts[i][s] for i, path in enumerate(posterior.paths)} for s in range(len(posterior.weights))]


@dataclass(frozen=True)
class Measure:
    name: str
    type: str
    start: dt.date | None


def measures(resolved: dict, host_events: bool = False, only: list[str] | None = None) -> list[Measure]:
    """The interventions switched on in the resolved scenario, in its order (enforcement_change only
    with `host_events`); with `only`, just those (each must be one of the scenario's)."""
    interventions = resolved.get("interventions") or {}
    unknown = [name for name in only or [] if name not in interventions]
    if unknown:
        raise AttributionError(f"--interventions: {', '.join(unknown)} is not an intervention of the scenario "
                               f"(it has: {', '.join(interventions)})")
    found = []
    for name, settings in interventions.items():
        settings = settings or {}
        if only is not None and name not in only:
            continue
        if settings.get("enabled", True) is False or (settings.get("type") == HOST_EVENTS and not host_events):
            continue
        start = settings.get("start")
        found.append(Measure(str(name), str(settings.get("type")), start if isinstance(start, dt.date) else None))
    if not found:
        raise AttributionError("no intervention switched on to attribute in the scenario")
    return found


# --- the sweep ---------------------------------------------------------------------------------------------------

def draw_label(d: int) -> str:
    return f"d{d:03d}"


def write_sweep(scenario: Path, overrides: list[dict[str, str]], switched: list[Measure], path: Path,
                replicates: int, scale: int, seed: int) -> Path:
    """One variants sweep: per draw a baseline and one variant per intervention switched off."""
    variants = {}
    for d, values in enumerate(overrides):
        variants[f"{draw_label(d)}_baseline"] = dict(values)
        for m in switched:
            variants[f"{draw_label(d)}_without_{m.name}"] = {**values, f"interventions.{m.name}.enabled": "false"}
    return write_variants(scenario, variants, path, replicates, scale, seed, common_random_numbers=True,
                          comment="Attribution over a posterior (fraudsim_analysis.attribution): per draw, the "
                                  "baseline and\neach intervention switched off; replicate r of every variant "
                                  "shares its seed.")


def write_variants(scenario: Path, variants: dict[str, dict[str, str]], path: Path, replicates: int, scale: int,
                   seed: int, common_random_numbers: bool, comment: str) -> Path:
    """A variants sweep of the scenario at `scale`: each variant's overrides (text, as for --set)."""
    native = yaml.safe_load  # "0.25" -> 0.25, "2021-05-01" -> a date: the sweep's schema checks types
    document = {"base_scenario": str(Path(scenario).resolve()), "seed": int(seed), "replicates": int(replicates),
                "common_random_numbers": common_random_numbers, "set": {"scale": int(scale)},
                "design": {"type": "variants", "variants": {
                    name: {key: native(text) for key, text in values.items()} for name, values in variants.items()}}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"# {line}\n" for line in comment.splitlines())
                    + yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


# --- the effects ---------------------------------------------------------------------------------------------------

def paired_effects(sweep, switched: list[Measure], overrides: list[dict[str, str]],
                   outcomes=OUTCOMES) -> pd.DataFrame:
    """One row per (intervention, outcome, draw, replicate): the outcome over the intervention's window at
    the draw's baseline and without the intervention, their difference and the relative difference."""
    design = sweep.design
    label = design["variant"].astype(str).to_numpy()
    last = sweep.months[-1]
    rows = []
    for outcome in outcomes:
        values = sweep.array(outcome).astype(float)
        for d, values_at_draw in enumerate(overrides):
            base_runs = _runs(design, label, f"{draw_label(d)}_baseline")
            for m in switched:
                start = values_at_draw.get(f"interventions.{m.name}.start", m.start)
                first = max(pd.Timestamp(str(start)).to_period("M").to_timestamp() if start else sweep.months[0],
                            sweep.months[0])
                window = (sweep.months >= first) & (sweep.months <= last)
                base = values[base_runs][:, window].sum(axis=1)
                off = values[_runs(design, label, f"{draw_label(d)}_without_{m.name}")][:, window].sum(axis=1)
                scale = base.mean() if base.mean() != 0 else np.nan
                for r, (b, o) in enumerate(zip(base, off)):
                    rows.append({"intervention": m.name, "outcome": outcome, "draw": d, "replicate": r,
                                 "window_from": first, "baseline": b, "without": o, "difference": o - b,
                                 "relative": (o - b) / scale})
    return pd.DataFrame(rows)


def _runs(design: pd.DataFrame, label: np.ndarray, variant: str) -> np.ndarray:
    rows = design[label == variant].sort_values("replicate")
    if rows.empty:
        raise AttributionError(f"the sweep has no variant {variant!r}")
    return rows["run"].to_numpy()


def mixture_interval(means: np.ndarray, weights: np.ndarray, seed_sd: float, replicates: int, dof: int,
                     confidence: float = 0.9) -> tuple[float, float]:
    """Quantiles of the weighted mixture of t(dof) around each draw's mean with scale seed_sd / sqrt(R)
    (without seed noise, the draws' weighted quantiles)."""
    tails = [(1 - confidence) / 2, (1 + confidence) / 2]
    if not np.isfinite(seed_sd) or seed_sd == 0 or dof < 1:
        low, high = weighted_quantile(means, weights, np.array(tails))
        return float(low), float(high)
    from scipy.optimize import brentq
    from scipy.stats import t

    scale = seed_sd / np.sqrt(replicates)
    weights = weights / weights.sum()

    def cdf(x):
        return float(np.sum(weights * t.cdf((x - means) / scale, dof)))

    reach = t.ppf(1 - (1 - confidence) / 2 / 10, dof) * scale * 10
    lo, hi = means.min() - reach, means.max() + reach
    return tuple(brentq(lambda x, q=q: cdf(x) - q, lo, hi, xtol=1e-12 * max(1.0, abs(hi))) for q in tails)


def summarise(pairs: pd.DataFrame, counts: np.ndarray, confidence: float = 0.9) -> pd.DataFrame:
    """Per intervention and outcome: mean effect over the draws (weighted by how often each was drawn), its
    interval, the spread between draws and the seed noise, and a verdict from the relative interval."""
    rows = []
    for (name, outcome), group in pairs.groupby(["intervention", "outcome"], sort=False):
        relative = _over_draws(group, "relative", counts, confidence)
        difference = _over_draws(group, "difference", counts, confidence)
        rows.append({"intervention": name, "outcome": outcome, "window_from": _window_text(group["window_from"]),
                     "draws": group["draw"].nunique(),
                     "replicates": int(group.groupby("draw")["replicate"].count().min()),
                     **relative, **{f"difference_{k}": difference[k] for k in ("mean", "low", "high")},
                     "verdict": "lowers it" if relative["low"] > 0 else "raises it" if relative["high"] < 0
                     else "spans zero"})
    table = pd.DataFrame(rows)
    table.attrs["confidence"] = confidence
    return table


def _over_draws(group: pd.DataFrame, column: str, counts: np.ndarray, confidence: float) -> dict:
    """Mean, interval, spread of the draws' means and pooled seed noise of one column of the pairs."""
    table = group.pivot(index="draw", columns="replicate", values=column).sort_index()
    values = table.to_numpy(dtype=float)
    weights = counts[table.index.to_numpy()].astype(float)
    means = values.mean(axis=1)
    draws, replicates = values.shape
    dof = draws * (replicates - 1)
    seed_sd = float(np.sqrt(((values - means[:, None]) ** 2).sum() / dof)) if dof else np.nan
    low, high = mixture_interval(means, weights, seed_sd, replicates, dof, confidence)
    return {"mean": float(np.average(means, weights=weights)), "low": low, "high": high,
            "between_draws_sd": float(np.sqrt(np.cov(means, aweights=weights))) if draws > 1 else np.nan,
            "seed_sd": seed_sd}


def _window_text(starts: pd.Series) -> str:
    first, last = starts.min(), starts.max()
    return f"{first:%Y-%m}" if first == last else f"{first:%Y-%m} to {last:%Y-%m}"


def markdown(table: pd.DataFrame, outcomes=OUTCOMES) -> str:
    """The table for docs: one row per intervention, per outcome the relative change when it is switched off
    and its interval, '(low to high, spans zero)' where the interval holds zero."""
    header = "| intervention | window from | " + " | ".join(o.replace("_", " ") for o in outcomes) + " |"
    lines = [header, "|" + "---|" * (2 + len(outcomes))]
    for name, group in table.groupby("intervention", sort=False):
        cells = []
        for outcome in outcomes:
            row = group[group["outcome"] == outcome].iloc[0]
            spans = ", spans zero" if row["verdict"] == "spans zero" else ""
            cells.append(f"{100 * row['mean']:+.1f} % ({100 * row['low']:+.1f} to {100 * row['high']:+.1f}{spans})")
        lines.append(f"| {name} | {group['window_from'].iloc[0]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --- the driver ------------------------------------------------------------------------------------------------------

@dataclass
class Attribution:
    sweep_file: Path
    merged: Path
    posterior: Posterior
    chosen: np.ndarray
    counts: np.ndarray
    pairs: pd.DataFrame
    table: pd.DataFrame


def attribute(scenario: str | os.PathLike, posterior_file: str | os.PathLike, out: str | os.PathLike, draws: int,
              replicates: int, scale: int, seed: int = 1, binary: str = "fraudsim", threads: int | None = None,
              launcher: list[str] | None = None, host_events: bool = False, only: list[str] | None = None,
              confidence: float = 0.9) -> Attribution:
    """Writes OUT/sweep.yaml, runs it into OUT/runs (and OUT/runs.h5), then OUT/pairs.csv (every pair),
    OUT/attribution.csv and OUT/attribution.md (the table)."""
    scenario, out = Path(scenario), Path(out)
    if replicates < 1 or scale < 1:
        raise AttributionError(f"--replicates and --scale must be at least 1, got {replicates} and {scale}")
    if not scenario.is_file():
        raise AttributionError(f"{scenario}: no such scenario file")
    posterior = load_posterior(posterior_file)
    resolved = resolved_scenario(binary, scenario)
    chosen, counts, overrides = posterior_draws(posterior, draws, seed, binary, scenario, resolved)
    switched = measures(resolved, host_events or bool(only), only)
    sweep_file = write_sweep(scenario, overrides, switched, out / "sweep.yaml", replicates, scale, seed)
    merged = simulate(sweep_file, out / "runs", binary, threads, launcher or [])
    pairs = paired_effects(open_sweep(merged), switched, overrides)
    table = summarise(pairs, counts, confidence)
    pairs.to_csv(out / "pairs.csv", index=False)
    table.to_csv(out / "attribution.csv", index=False)
    (out / "attribution.md").write_text(markdown(table), encoding="utf-8")
    return Attribution(sweep_file, merged, posterior, chosen, counts, pairs, table)
