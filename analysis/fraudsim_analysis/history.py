"""History matching with Gaussian-process emulators, then a posterior from the emulators.

A fit by simulation alone needs tens of thousands of runs at a scale where a
month's counts are not noise. History matching (Craig, Goldstein, Seheult and
Smith 1997; Vernon, Goldstein and Bower 2010, *Bayesian Analysis* 5: 619-669;
as used for JUNE by Aylett-Bullock et al. 2021, *R. Soc. Open Sci.* 8:
210506) needs a few hundred: in each wave the model is run at a design of
points, an emulator (a Gaussian process) is fitted to each target's
statistic, and every part of the parameter space where some target is
implausible is ruled out:

    I_j(x) = |z_j - E[f_j(x)]| / sqrt(Var[f_j(x)] + tol_j^2)

(z_j the reported figure, f_j the model's expected statistic, E and Var the
emulator's prediction, tol_j the target's tolerance: the observation error
and the model's discrepancy together, one standard deviation). A point is
*not ruled out yet* (NROY) while max_j I_j(x) <= `cutoff` (3: Pukelsheim's
three-sigma rule) under the emulators of every wave so far, or, with `rank`
r > 1, while fewer than r targets of each wave are above it (the r-th
largest I_j at or below the cutoff: Vernon, Goldstein and Bower 2010 judge
many outputs by the second or third largest, since with 37 targets even
exact emulators put one above 3 at a tenth of the true points); the next wave's
design is drawn from that space, where the emulators are refitted and
sharpen. A bound (`bound: lower` or `upper`) is implausible only on its
wrong side. A target that no point of the space can meet (no emulated point
of the space has it at or below the cutoff), or that the others leave no
room for (`prune`), is a structural miss of the model, not of its
parameters: it is named and left out of the later waves, as it would
otherwise rule out the whole space.

After the last wave the posterior is sampled with the emulators in place
of the simulator: the likelihood of a point is the product over targets of
a normal density of the reported figure (one-sided for bounds) with the
variance of the implausibility, the prior is the calibration file's, and the
draws come from adaptive random-walk Metropolis chains (`posterior`), with
an effective sample size from their autocorrelation.

Levels are emulated on the log scale (they span orders of magnitude over
the prior), with the tolerance as a relative one; changes and counts of
months on their own scale.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import optimize
from scipy.linalg import cho_factor, cho_solve
from scipy.stats import norm

from .compare import load_targets, target_value
from .io import Sweep, open_sweep

_EPOCH = dt.date(1970, 1, 1)


class HistoryMatchError(ValueError):
    """A calibration file or a wave that cannot be used; the message is one line."""


# --- the problem: priors and targets, from a calibration file -----------------------------------------------

@dataclass(frozen=True)
class Parameter:
    """A free parameter: its scenario key, and a prior that maps the unit interval onto its range."""
    name: str
    path: str
    prior: str  # "uniform" or "log_uniform"
    low: float
    high: float
    date: bool = False
    also: tuple[str, ...] = ()  # further key paths given the same value (the calibration file's `also:`)

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path, *self.also)

    def value(self, u):
        u = np.asarray(u, dtype=float)
        if self.prior == "log_uniform":
            return np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        return self.low + u * (self.high - self.low)

    def text(self, value: float) -> str:
        """The value as the scenario reads it: a date for a date, else a number to 6 significant digits."""
        if self.date:
            return (_EPOCH + dt.timedelta(days=round(float(value)))).isoformat()
        return f"{float(value):.6g}"


def _number(text, where: str) -> tuple[float, bool]:
    """A prior bound: a number, or a date (as days since 1970-01-01, and True)."""
    if isinstance(text, dt.date):
        return float((text - _EPOCH).days), True
    try:
        return float(text), False
    except (TypeError, ValueError):
        pass
    try:
        return float((dt.date.fromisoformat(str(text)) - _EPOCH).days), True
    except ValueError:
        raise HistoryMatchError(f"{where}: {text!r} is neither a number nor a date (YYYY-MM-DD)") from None


@dataclass
class Problem:
    """What a calibration file asks: the base scenario, the targets, the free parameters and fixed values."""
    calibration: Path
    scenario: Path
    targets: pd.DataFrame
    parameters: list[Parameter]
    fixed: dict[str, str] = field(default_factory=dict)
    seed: int = 1

    def values(self, unit: np.ndarray) -> pd.DataFrame:
        """Parameter values [point, parameter] of points in the unit cube."""
        unit = np.atleast_2d(unit)
        return pd.DataFrame({p.name: p.value(unit[:, i]) for i, p in enumerate(self.parameters)})


def load_problem(path: str | os.PathLike) -> Problem:
    """Reads a calibration file (the format of `fraudsim calibrate`, docs/calibration.md)."""
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise HistoryMatchError(f"{path}: cannot read: {e.strerror or e}") from None
    if not isinstance(document, dict) or not isinstance(document.get("parameters"), dict):
        raise HistoryMatchError(f"{path}: expected a calibration file with 'parameters:'")
    for key in ("scenario", "targets"):
        if key not in document:
            raise HistoryMatchError(f"{path}: missing '{key}:'")
    parameters = []
    for name, spec in document["parameters"].items():
        where = f"{path}: parameters.{name}"
        if not isinstance(spec, dict) or "path" not in spec:
            raise HistoryMatchError(f"{where}: expected {{path: ..., low: ..., high: ...}}")
        low, low_date = _number(spec.get("low"), f"{where}.low")
        high, high_date = _number(spec.get("high"), f"{where}.high")
        prior = spec.get("prior", "uniform")
        if prior not in ("uniform", "log_uniform"):
            raise HistoryMatchError(f"{where}.prior: {prior!r} is not uniform or log_uniform")
        if not high > low or (prior == "log_uniform" and low <= 0):
            raise HistoryMatchError(f"{where}: the range {spec.get('low')}..{spec.get('high')} is empty"
                                    + (" or not positive (log_uniform)" if prior == "log_uniform" else ""))
        also = spec.get("also") or []
        if not isinstance(also, list) or not all(isinstance(a, str) and a for a in also):
            raise HistoryMatchError(f"{where}.also: expected a list of scenario key paths, got {also!r}")
        parameters.append(Parameter(str(name), str(spec["path"]), prior, low, high, low_date or high_date,
                                    tuple(also)))
    fixed = {str(v["path"]): str(v["value"]) for v in (document.get("fixed") or {}).values()}
    return Problem(path, (path.parent / document["scenario"]).resolve(),
                   load_targets(path.parent / document["targets"]), parameters, fixed, int(document.get("seed", 1)))


# --- running the model at a design, through a sweep ------------------------------------------------------------

def write_sweep(problem: Problem, unit: np.ndarray, path: Path, replicates: int, seed: int,
                overrides: dict[str, str]) -> Path:
    """A sweep file whose variants are the design's points (p0000, p0001, ...), every run at `overrides`."""
    values = problem.values(unit)
    native = yaml.safe_load  # "0.25" -> 0.25, "2021-05-01" -> a date: the sweep's schema checks types
    variants = {f"p{i:04d}": {path: native(p.text(values.iloc[i][p.name])) for p in problem.parameters
                              for path in p.paths}
                for i in range(len(values))}
    fixed = {path: native(text) for path, text in {**problem.fixed, **overrides}.items()}
    document = {"base_scenario": str(problem.scenario), "seed": int(seed), "replicates": int(replicates),
                "set": fixed, "design": {"type": "variants", "variants": variants}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# A wave of history matching (fraudsim_analysis.history): one variant per design point.\n"
                    + yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def simulate(sweep_file: Path, folder: Path, binary: str, threads: int | None, launcher: list[str]) -> Path:
    """Runs a sweep (resuming what is there) and merges it; returns the merged file."""
    command = launcher + [binary, "sweep", str(sweep_file), "-o", str(folder), "--resume"]
    if threads:
        command += ["--threads", str(threads)]
    merged = folder.with_suffix(".h5")
    for step in (command, [binary, "merge", str(folder), "-o", str(merged)]):
        result = subprocess.run(step, stdout=subprocess.DEVNULL, stderr=None, check=False)
        if result.returncode != 0:
            raise HistoryMatchError(f"{' '.join(step)}: exit code {result.returncode}")
    return merged


def run_statistics(sweep: Sweep, targets: pd.DataFrame) -> np.ndarray:
    """Each target's statistic in each run of a sweep, [run, target]; NaN where a run does not give it
    and for shares (a sweep keeps no breakdowns)."""
    values = np.full((len(sweep.design), len(targets)), np.nan)
    for j, t in enumerate(targets.itertuples(index=False)):
        if t.kind == "share":
            continue
        frame = sweep.frame(t.series)
        values[:, j] = [target_value(frame[run], t.kind, t.period_from, t.period_to, t.compared_from, t.compared_to)
                        for run in frame.columns]
    return values


def statistics(sweep: Sweep, targets: pd.DataFrame, points: int) -> tuple[np.ndarray, np.ndarray]:
    """Each target's statistic per design point, mean over replicates, and its variance over replicates
    divided by their number (NaN with one replicate): two arrays [point, target]."""
    point = sweep.design["point"].to_numpy()
    values = run_statistics(sweep, targets)
    mean = np.full((points, len(targets)), np.nan)
    noise = np.full((points, len(targets)), np.nan)
    for j in range(len(targets)):
        for i in range(points):
            v = values[point == i, j]
            v = v[np.isfinite(v)]
            if len(v):
                mean[i, j] = v.mean()
                noise[i, j] = v.var(ddof=1) / len(v) if len(v) > 1 else np.nan
    return mean, noise


def month(text, option: str = "--until") -> pd.Period:
    """A month given as YYYY-MM; anything else is an error naming the option."""
    if not re.fullmatch(r"\d{4}-\d{2}", str(text).strip()):
        raise HistoryMatchError(f"{option}: {text!r} is not a month (expected YYYY-MM)")
    try:
        return pd.Period(str(text).strip(), freq="M")
    except ValueError:
        raise HistoryMatchError(f"{option}: {text!r} is not a month (expected YYYY-MM)") from None


def ends_by(targets: pd.DataFrame, until: pd.Period | None) -> np.ndarray:
    """True for each target whose period, and the period it is compared with, end by `until` (every
    target when `until` is None): the targets a fit until that month may use."""
    if until is None:
        return np.ones(len(targets), dtype=bool)
    last = [max(a, b) for a, b in zip(targets["period_to"], targets["compared_to"])]
    return np.array([m <= until for m in last], dtype=bool)


# --- the emulator ----------------------------------------------------------------------------------------------

class Emulator:
    """A Gaussian process with a linear mean for one statistic of the model over the unit cube.

    Squared-exponential kernel with one length per input (automatic relevance determination) and a
    nugget for the seed noise; hyperparameters by maximum marginal likelihood (L-BFGS-B, a few starts).
    `predict` gives the mean and variance of the model's expected statistic (the nugget left out).
    """

    def __init__(self, seed: int = 0):
        self.seed = seed

    def fit(self, x: np.ndarray, y: np.ndarray) -> "Emulator":
        ok = np.isfinite(y)
        x, y = np.asarray(x, float)[ok], np.asarray(y, float)[ok]
        if len(y) < x.shape[1] + 3:
            raise HistoryMatchError(f"an emulator needs at least {x.shape[1] + 3} points with a value, got {len(y)}")
        self.x = x
        self._squares = (x[:, None, :] - x[None, :, :]) ** 2  # [n, n, inputs], for the likelihood's gradient
        self.centre, self.spread = y.mean(), y.std() or 1.0
        z = (y - self.centre) / self.spread
        self.basis = lambda u: np.column_stack([np.ones(len(u)), u])
        h = self.basis(x)
        self.beta, *_ = np.linalg.lstsq(h, z, rcond=None)
        r = z - h @ self.beta
        k = x.shape[1]
        rng = np.random.default_rng(self.seed)
        bounds = [(-4.0, 3.0)] + [(math.log(0.05), math.log(20.0))] * k + [(-9.0, 1.0)]
        best = None
        for start in range(3):
            theta0 = np.concatenate([[math.log(max(r.var(), 1e-3))], np.full(k, math.log(0.5 + rng.random())),
                                     [math.log(0.1)]]) if start else np.concatenate([[0.0], np.zeros(k), [-2.0]])
            found = optimize.minimize(self._nll, theta0, args=(r,), method="L-BFGS-B", jac=True, bounds=bounds)
            if best is None or found.fun < best.fun:
                best = found
        self.theta = best.x
        self._factor(r)
        return self

    def _kernel(self, a, b, theta):
        """The squared-exponential kernel between rows of a and b, through |a|^2 + |b|^2 - 2 a.b of the
        inputs scaled by their lengths (no [n, m, inputs] array: prediction runs on many points)."""
        lengths = np.exp(theta[1:-1])
        sa, sb = a / lengths, b / lengths
        squared = (sa ** 2).sum(1)[:, None] + (sb ** 2).sum(1)[None, :] - 2 * sa @ sb.T
        return np.exp(theta[0]) * np.exp(-0.5 * np.maximum(squared, 0))

    def _nll(self, theta, r):
        """Negative log marginal likelihood and its gradient (Rasmussen and Williams 2006, 5.4.1)."""
        lengths = np.exp(theta[1:-1])
        squares = self._squares
        correlation = np.exp(-0.5 * (squares / lengths ** 2).sum(axis=2))
        signal, nugget = np.exp(theta[0]), np.exp(theta[-1]) + 1e-8
        kernel = signal * correlation + nugget * np.eye(len(r))
        try:
            factor = cho_factor(kernel, lower=True)
        except np.linalg.LinAlgError:
            return 1e10, np.zeros_like(theta)
        alpha = cho_solve(factor, r)
        value = 0.5 * r @ alpha + np.log(np.diag(factor[0])).sum()
        inner = cho_solve(factor, np.eye(len(r))) - np.outer(alpha, alpha)
        weighted = inner * signal * correlation
        gradient = np.empty_like(theta)
        gradient[0] = 0.5 * weighted.sum()
        gradient[1:-1] = 0.5 * np.einsum("ij,ijk->k", weighted, squares) / lengths ** 2
        gradient[-1] = 0.5 * np.trace(inner) * (nugget - 1e-8)
        return value, gradient

    def _factor(self, r):
        kernel = self._kernel(self.x, self.x, self.theta) + (np.exp(self.theta[-1]) + 1e-8) * np.eye(len(r))
        self._chol = cho_factor(kernel, lower=True)
        self._alpha = cho_solve(self._chol, r)
        self._inverse = cho_solve(self._chol, np.eye(len(r)))

    @property
    def nugget_variance(self) -> float:
        """The seed noise of one point's statistic, as a variance on the emulated (transformed) scale."""
        return float(np.exp(self.theta[-1]) * self.spread ** 2)

    @property
    def nugget_sd(self) -> float:
        """The seed noise of one point's statistic the fit estimated, in the statistic's units."""
        return float(np.sqrt(np.exp(self.theta[-1])) * self.spread)

    def predict(self, x: np.ndarray, batch: int = 20000) -> tuple[np.ndarray, np.ndarray]:
        x = np.atleast_2d(np.asarray(x, float))
        mean, var = np.empty(len(x)), np.empty(len(x))
        for s in range(0, len(x), batch):
            u = x[s:s + batch]
            cross = self._kernel(u, self.x, self.theta)
            mean[s:s + batch] = self.basis(u) @ self.beta + cross @ self._alpha
            var[s:s + batch] = np.exp(self.theta[0]) - ((cross @ self._inverse) * cross).sum(axis=1)
        return self.centre + self.spread * mean, np.maximum(var, 1e-12) * self.spread ** 2

    @property
    def signal_variance(self) -> float:
        """The largest variance a prediction can have, in the statistic's units squared."""
        return float(np.exp(self.theta[0]) * self.spread ** 2)

    def predict_mean(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(x, float))
        return self.centre + self.spread * (self.basis(x) @ self.beta + self._kernel(x, self.x, self.theta) @ self._alpha)

    def leave_one_out(self) -> np.ndarray:
        """Standardised leave-one-out errors of the training points (Rasmussen and Williams 2006, 5.4.2);
        about 95 % within +-2 for an emulator that is right about its own uncertainty."""
        inverse = cho_solve(self._chol, np.eye(len(self.x)))
        r = self._alpha / np.diag(inverse)
        return r / np.sqrt(1.0 / np.diag(inverse))


# --- implausibility ----------------------------------------------------------------------------------------------

def _scales(targets: pd.DataFrame, observed: np.ndarray) -> np.ndarray:
    """True per target where it is emulated on the log scale: levels whose every simulated value is > 0."""
    positive = np.all((observed > 0) | ~np.isfinite(observed), axis=0) & (np.isfinite(observed).sum(axis=0) > 0)
    return (targets["kind"].to_numpy() == "level") & positive & (targets["reported"].to_numpy() > 0)


def transform(values: np.ndarray, logs: np.ndarray) -> np.ndarray:
    out = np.array(values, dtype=float, copy=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[..., logs] = np.log(out[..., logs])
    return out


def reported_on_scale(targets: pd.DataFrame, logs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The reported figures and tolerances on the emulated scales (log: the relative tolerance)."""
    reported = targets["reported"].to_numpy(dtype=float)
    tolerance = targets["tolerance"].to_numpy(dtype=float)
    z, tol = reported.copy(), tolerance.copy()
    z[logs] = np.log(reported[logs])
    tol[logs] = np.log1p(tolerance[logs] / reported[logs])
    return z, tol


def implausibility(mean: np.ndarray, var: np.ndarray, z: np.ndarray, tol: np.ndarray,
                   bounds: np.ndarray) -> np.ndarray:
    """I [point, target]; a lower bound counts only below it, an upper bound only above it."""
    gap = z - mean
    gap = np.where(bounds == "lower", np.maximum(gap, 0), np.where(bounds == "upper", np.minimum(gap, 0), gap))
    return np.abs(gap) / np.sqrt(var + tol ** 2)


@dataclass
class Wave:
    """The emulators of one wave, and which targets they judge."""
    number: int
    scale: int
    replicates: int
    unit: np.ndarray            # design [point, parameter]
    observed: np.ndarray        # statistics [point, target], mean over replicates
    emulators: dict[int, Emulator]
    logs: np.ndarray
    used: list[int]             # targets this wave rules out by
    # Variance of the reported figures' own seed noise, per target on the emulated scale: zero for reported
    # figures of the world; for a synthetic truth, the noise of its mean over a few runs of the model.
    observed_var: np.ndarray | None = None

    def noise(self, j: int) -> float:
        return 0.0 if self.observed_var is None else float(self.observed_var[j])

    def implausibility(self, x: np.ndarray, targets: pd.DataFrame) -> np.ndarray:
        z, tol = reported_on_scale(targets, self.logs)
        bounds = targets["bound"].to_numpy()
        out = np.zeros((len(np.atleast_2d(x)), len(targets)))
        for j in self.used:
            m, v = self.emulators[j].predict(x)
            out[:, j] = implausibility(m, v + self.noise(j), z[j], tol[j], bounds[j])
        return out

    def predict(self, x: np.ndarray, j: int) -> tuple[np.ndarray, np.ndarray]:
        return self.emulators[j].predict(x)


def non_implausible(waves: list[Wave], x: np.ndarray, targets: pd.DataFrame, cutoff: float,
                    rank: int = 1) -> np.ndarray:
    """True where fewer than `rank` targets of each wave have an implausibility above `cutoff` (rank 1: no
    target of any wave).

    Target by target on the points still standing, each first judged by its emulator's mean with the
    largest variance it can have (the kernel's signal variance): a target above the cutoff even then is
    counted without the costly variance."""
    keep = np.ones(len(x), dtype=bool)
    for wave in waves:
        z, tol = reported_on_scale(targets, wave.logs)
        bounds = targets["bound"].to_numpy()
        over = np.zeros(len(x), dtype=int)
        for j in wave.used:
            alive = np.flatnonzero(keep)
            if not len(alive):
                return keep
            emulator = wave.emulators[j]
            mean = emulator.predict_mean(x[alive])
            widest = implausibility(mean, emulator.signal_variance + wave.noise(j), z[j], tol[j], bounds[j]) <= cutoff
            over[alive[~widest]] += 1
            alive = alive[widest]
            if len(alive):
                m, v = emulator.predict(x[alive])
                over[alive[implausibility(m, v + wave.noise(j), z[j], tol[j], bounds[j]) > cutoff]] += 1
            keep[over >= rank] = False
    return keep


def _ruling_out(waves: list[Wave], targets: pd.DataFrame, cutoff: float, most: int = 5) -> str:
    """Which targets rule out the last wave's own design points, the most first: the targets the model
    cannot meet together (a user's next step is to leave one out or to question the model)."""
    wave = waves[-1]
    share = wave.implausibility(wave.unit, targets)[:, wave.used] > cutoff
    order = np.argsort(-share.mean(axis=0), kind="stable")[:most]
    named = ", ".join(f"{targets['id'][wave.used[i]]} ({share[:, i].mean():.0%})" for i in order)
    return f"the targets that rule out most of wave {wave.number}'s {len(wave.unit)} design points: {named}"


def sample_nroy(waves: list[Wave], targets: pd.DataFrame, k: int, n: int, cutoff: float, rng: np.random.Generator,
                tries: int = 20, batch: int = 50000, rank: int = 1) -> tuple[np.ndarray, float]:
    """n points of the space not ruled out, and the share of the prior it holds (from the uniform draws).

    Uniform draws from the prior first; where they find too few, further draws from Gaussians around
    the points found (their spread, halved), kept if non-implausible and inside the cube."""
    found, drawn, kept = [], 0, 0
    for attempt in range(tries):
        x = rng.random((batch, k))
        ok = non_implausible(waves, x, targets, cutoff, rank)
        drawn, kept = drawn + batch, kept + int(ok.sum())
        found.append(x[ok])
        if kept >= 5 * n or (attempt >= 3 and kept >= 20):
            break  # enough, or rare enough that growing from the points found is faster
    points = np.concatenate(found)
    share = kept / drawn
    if len(points) == 0:
        raise HistoryMatchError(f"no point of {drawn:,} drawn from the prior is non-implausible: every part of "
                                f"the space is ruled out (cutoff {cutoff}); {_ruling_out(waves, targets, cutoff)}")
    for _ in range(tries):
        if len(points) >= n:
            break
        spread = np.maximum(points.std(axis=0), 0.02) / 2
        x = points[rng.integers(0, len(points), batch)] + rng.normal(0, 1, (batch, k)) * spread
        x = x[np.all((x >= 0) & (x < 1), axis=1)]
        points = np.concatenate([points, x[non_implausible(waves, x, targets, cutoff, rank)]])
    if len(points) < n:
        _progress(f"only {len(points)} non-implausible points found for {n} wanted: some are used twice")
        points = points[rng.integers(0, len(points), n)]
    return points[rng.permutation(len(points))[:n]], share


# --- the posterior -----------------------------------------------------------------------------------------------

def log_likelihood(wave: Wave, x: np.ndarray, targets: pd.DataFrame) -> np.ndarray:
    """Sum over the wave's targets of the log density of the reported figure given the emulated statistic
    (normal with the implausibility's variance; for a bound, the log probability of its side)."""
    z, tol = reported_on_scale(targets, wave.logs)
    bounds = targets["bound"].to_numpy()
    total = np.zeros(len(x))
    for j in wave.used:
        m, v = wave.predict(x, j)
        sd = np.sqrt(v + wave.noise(j) + tol[j] ** 2)
        if bounds[j] == "lower":
            total += norm.logcdf((m - z[j]) / sd)
        elif bounds[j] == "upper":
            total += norm.logcdf((z[j] - m) / sd)
        else:
            total += norm.logpdf(z[j], m, sd)
    return total


def _log_posterior(waves: list[Wave], x: np.ndarray, targets: pd.DataFrame, cutoff: float,
                   rank: int = 1) -> np.ndarray:
    """The emulated log likelihood of the last wave; -inf outside the cube or where an earlier wave rules out."""
    out = np.full(len(x), -np.inf)
    inside = np.all((x >= 0) & (x < 1), axis=1)
    if inside.any():
        ok = np.flatnonzero(inside)
        ok = ok[non_implausible(waves[:-1], x[ok], targets, cutoff, rank)]
        if len(ok):
            out[ok] = log_likelihood(waves[-1], x[ok], targets)
    return out


def effective_sample_size(chains: np.ndarray) -> float:
    """The smallest over parameters of (draws) / (integrated autocorrelation time), chains [chain, step,
    parameter]; the autocorrelation averaged over chains and summed until it first turns negative (Geyer 1992's
    initial positive sequence, in its simplest form)."""
    c, n, k = chains.shape
    smallest = float(c * n)
    for i in range(k):
        x = chains[:, :, i] - chains[:, :, i].mean()
        variance = (x ** 2).mean()
        if variance <= 0:
            return 0.0
        spectrum = np.fft.rfft(x, n=2 * n, axis=1)
        acf = np.fft.irfft(spectrum * np.conj(spectrum), axis=1)[:, :n].mean(axis=0) / (n * variance)
        tau = 1.0
        for lag in range(1, n):
            if acf[lag] < 0:
                break
            tau += 2 * acf[lag]
        smallest = min(smallest, c * n / tau)
    return smallest


def posterior(waves: list[Wave], targets: pd.DataFrame, anchors: np.ndarray, draws: int, rng: np.random.Generator,
              cutoff: float, chains: int = 40, rank: int = 1) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """Draws of the emulated posterior (equal weights), their effective sample size, and their log likelihood.

    Random-walk Metropolis in the unit cube of the priors (uniform there, so the prior cancels), `chains`
    chains run together from the non-implausible anchors of largest likelihood; the proposal's covariance
    is the chains' own, scaled by 2.38^2 / parameters (Haario, Saksman and Tamminen 2001; Gelman, Roberts
    and Gilks 1996), adapted during the first half (burn-in, discarded); `draws` is the number kept."""
    k = anchors.shape[1]
    start = np.argsort(_log_posterior(waves, anchors, targets, cutoff, rank))[::-1][:chains]
    x = anchors[start].copy()
    chains = len(x)
    current = _log_posterior(waves, x, targets, cutoff, rank)
    steps = max(200, 2 * int(math.ceil(draws / chains)))
    cov = np.cov(anchors, rowvar=False) * 0.1 + 1e-8 * np.eye(k)
    kept, kept_log = [], []
    for step in range(steps):
        if step < steps // 2 and step % 50 == 49:
            history = np.concatenate(kept[-50:] if kept else [x[None]])
            recent = history.reshape(-1, k)
            cov = np.cov(recent, rowvar=False) * 2.38 ** 2 / k + 1e-8 * np.eye(k)
        proposal = x + rng.normal(0, 1, (chains, k)) @ np.linalg.cholesky(cov).T
        candidate = _log_posterior(waves, proposal, targets, cutoff, rank)
        accept = np.log(rng.random(chains)) < candidate - current
        x[accept], current[accept] = proposal[accept], candidate[accept]
        kept.append(x[None].copy())
        kept_log.append(current.copy())
        if step == steps // 2 - 1:
            kept, kept_log = [], []
    sample = np.concatenate(kept)  # [step, chain, parameter]
    ess = effective_sample_size(sample.transpose(1, 0, 2))
    flat = sample.reshape(-1, k)
    return flat, np.full(len(flat), 1.0 / len(flat)), ess, np.concatenate(kept_log)


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, q) -> np.ndarray:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    cumulative /= cumulative[-1]
    return np.interp(q, cumulative - weights[order] / 2, values[order])


# --- the driver ----------------------------------------------------------------------------------------------------

def prune(wave: Wave, probe: np.ndarray, targets: pd.DataFrame, cutoff: float, least: int = 10,
          keep: frozenset[str] = frozenset(), rank: int = 1) -> list[int]:
    """Targets the model cannot meet together, dropped from `wave.used` one at a time until at least
    `least` points of `probe` (draws from the space not yet ruled out) are non-implausible.

    First every target no probe point can meet on its own; then, while the targets left rule out every
    point, the one whose removal frees the most points (ties: the larger median implausibility), taken
    from the targets not in `keep` while there are any."""
    i = wave.implausibility(probe, targets)
    dropped = [j for j in wave.used if i[:, j].min() > cutoff]
    used = [j for j in wave.used if j not in dropped]
    def standing(columns):  # probe points with fewer than `rank` of these targets above the cutoff
        return int(((i[:, columns] > cutoff).sum(axis=1) < rank).sum()) if columns else len(probe)

    while used and standing(used) < least:
        def freed(j):
            return (standing([u for u in used if u != j]), float(np.median(i[:, j])))
        candidates = [j for j in used if targets["id"][j] not in keep] or used
        worst = max(candidates, key=freed)
        used.remove(worst)
        dropped.append(worst)
    wave.used = used
    return dropped


@dataclass
class Plan:
    """How many points each wave runs, at which scale and with how many replicates."""
    points: list[int]
    scales: list[int]
    replicates: list[int]
    cutoff: float = 3.0
    rank: int = 1      # a point is ruled out when this many targets of a wave are above the cutoff
    draws: int = 20000
    keep: frozenset[str] = frozenset()  # targets left out only when the others cannot make room
    # The reported figures are a synthetic truth's: means over this many runs at the waves' scale, whose
    # seed noise (the emulators' nugget) the implausibility and the likelihood then count (coverage).
    observed_replicates: int | None = None


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fit_wave(number: int, scale: int, replicates: int, unit: np.ndarray, observed: np.ndarray,
              targets: pd.DataFrame, active: list[int], seed: int) -> Wave:
    logs = _scales(targets, observed)
    values = transform(observed, logs)
    emulators = {}
    _progress(f"wave {number}: fitting an emulator to each of {len(active)} targets")
    for j in active:
        ok = np.isfinite(values[:, j])
        if ok.sum() < unit.shape[1] + 3 or np.ptp(values[ok, j]) == 0:
            continue
        emulators[j] = Emulator(seed + j).fit(unit, values[:, j])
    return Wave(number, scale, replicates, unit, observed, emulators, logs, sorted(emulators))


def history_match(calibration: str | os.PathLike, out: str | os.PathLike, plan: Plan, binary: str = "fraudsim",
                  threads: int | None = None, launcher: list[str] | None = None, seed: int | None = None,
                  until: str | pd.Period | None = None):
    """Runs the waves of `plan`, then samples the emulated posterior; writes OUT/waves/*, OUT/history.h5
    and OUT/best.yaml (the scenario's overrides at the posterior's most likely draw). Returns the result.
    With `until` (YYYY-MM) only the targets whose periods end by that month are fitted."""
    problem = load_problem(calibration)
    until = None if until is None else month(until)
    targets = _fitted_targets(problem, until)
    unknown = sorted(set(plan.keep) - set(targets["id"]))
    if unknown:
        raise HistoryMatchError(f"--keep: no target {', '.join(unknown)} in {problem.calibration} "
                                f"(shares are not judged{', nor targets after --until' if until else ''})")
    out = Path(out)
    rng = np.random.default_rng(problem.seed if seed is None else seed)
    k = len(problem.parameters)
    waves: list[Wave] = []
    active = list(range(len(targets)))
    missed: list[str] = []
    shares = []
    for number, (n, scale, replicates) in enumerate(zip(plan.points, plan.scales, plan.replicates), start=1):
        if waves:
            unit, share = sample_nroy(waves, targets, k, n, plan.cutoff, rng, rank=plan.rank)
        else:
            unit, share = (np.arange(n)[:, None] + rng.random((n, k))) / n, 1.0  # a Latin hypercube
            for i in range(k):
                unit[:, i] = unit[rng.permutation(n), i]
        shares.append(share)
        _progress(f"wave {number}: {n} points x {replicates} replicates at 1:{scale} "
                  f"(space not ruled out so far: {share:.3g} of the prior)")
        folder = out / "waves" / f"wave_{number}"
        sweep_file = write_sweep(problem, unit, folder / "sweep.yaml", replicates, problem.seed + number,
                                 {"scale": str(scale)})
        merged = simulate(sweep_file, folder / "runs", binary, threads, launcher or [])
        observed, _ = statistics(open_sweep(merged), targets, n)
        wave = _fit_wave(number, scale, replicates, unit, observed, targets, active, problem.seed + 100 * number)
        if plan.observed_replicates:
            wave.observed_var = np.array([wave.emulators[j].nugget_variance * replicates / plan.observed_replicates
                                          if j in wave.emulators else 0.0 for j in range(len(targets))])
        probe = (sample_nroy(waves, targets, k, 20000, plan.cutoff, rng, rank=plan.rank)[0] if waves
                 else rng.random((20000, k)))
        for j in prune(wave, probe, targets, plan.cutoff, keep=plan.keep, rank=plan.rank):
            missed.append(targets["id"][j])
            _progress(f"wave {number}: {targets['id'][j]} cannot be met together with the other targets "
                      f"anywhere in the space not ruled out: left out")
        active = wave.used
        waves.append(wave)
    anchors, share = sample_nroy(waves, targets, k, 2000, plan.cutoff, rng, rank=plan.rank)
    shares.append(share)
    x, w, ess, log_l = posterior(waves, targets, anchors, plan.draws, rng, plan.cutoff, rank=plan.rank)
    _progress(f"posterior: {len(x):,} draws (Metropolis), effective sample size {ess:,.0f}")
    result = HistoryMatch(problem, targets, waves, missed, shares, x, w, ess, log_l, "" if until is None else str(until),
                          plan.rank)
    result.write(out)
    return result


def _fitted_targets(problem: Problem, until: pd.Period | None) -> pd.DataFrame:
    """The targets a fit judges: not the shares (sweeps keep no breakdowns), nor, with `until`, those
    whose period ends after it (they are left for an out-of-sample check: `predict`)."""
    targets = problem.targets[problem.targets["kind"] != "share"].reset_index(drop=True)
    if until is None:
        return targets
    kept = ends_by(targets, until)
    later = targets["id"][~kept]
    _progress(f"fitting the {kept.sum()} targets whose periods end by {until}; not fitted (later): "
              f"{', '.join(later) or 'none'}")
    if not kept.any():
        raise HistoryMatchError(f"--until {until}: no target of {problem.calibration} ends by then")
    return targets[kept].reset_index(drop=True)


@dataclass
class HistoryMatch:
    problem: Problem
    targets: pd.DataFrame
    waves: list[Wave]
    missed: list[str]
    nroy_shares: list[float]
    draws: np.ndarray
    weights: np.ndarray
    ess: float
    log_likelihood: np.ndarray  # of each draw, under the last wave's emulators
    until: str = ""  # YYYY-MM: only targets ending by then were fitted; empty: every target
    rank: int = 1    # a point was ruled out when this many targets of a wave were above the cutoff

    def parameter_table(self) -> pd.DataFrame:
        """Per parameter: prior range, posterior median and 90 % interval, and the interval's width as a share of
        the prior's (on the unit scale of the prior)."""
        rows = []
        values = self.problem.values(self.draws)
        for i, p in enumerate(self.problem.parameters):
            lo, med, hi = weighted_quantiles(values[p.name].to_numpy(), self.weights, [0.05, 0.5, 0.95])
            ulo, uhi = weighted_quantiles(self.draws[:, i], self.weights, [0.05, 0.95])
            rows.append({"parameter": p.name, "path": p.path, "prior": f"{p.prior} {p.text(p.low)}..{p.text(p.high)}",
                         "median": p.text(med), "p05": p.text(lo), "p95": p.text(hi),
                         "width_over_prior": (uhi - ulo) / 0.9})
        return pd.DataFrame(rows)

    def best(self) -> np.ndarray:
        """The posterior draw of largest emulated likelihood: the point estimate."""
        return self.draws[np.argmax(self.log_likelihood)]

    def write(self, out: Path) -> None:
        import h5py
        out.mkdir(parents=True, exist_ok=True)
        best = self.problem.values(self.best()).iloc[0]
        overrides = {path: p.text(best[p.name]) for p in self.problem.parameters for path in p.paths}
        (out / "best.yaml").write_text("# The point estimate of the history match (the posterior draw of largest "
                                       "emulated likelihood): scenario key paths and values.\n"
                                       + yaml.safe_dump(overrides, sort_keys=False), encoding="utf-8")
        (out / "best.args").write_text("".join(f"--set {k}={v}\n" for k, v in overrides.items()), encoding="utf-8")
        self.parameter_table().to_csv(out / "parameters.csv", index=False)
        temporary = out / "history.h5.part"
        with h5py.File(temporary, "w") as f:
            f.attrs["calibration"] = str(self.problem.calibration.name)
            f.attrs["effective_sample_size"] = self.ess
            f.attrs["structural_misses"] = ",".join(self.missed)
            f.attrs["implausibility_rank"] = self.rank
            if self.until:
                f.attrs["until"] = self.until
            f["nroy_share"] = np.array(self.nroy_shares)
            f["parameters"] = np.array([p.name for p in self.problem.parameters], dtype=h5py.string_dtype())
            f["paths"] = np.array([p.path for p in self.problem.parameters], dtype=h5py.string_dtype())
            f["also"] = np.array([",".join(p.also) for p in self.problem.parameters], dtype=h5py.string_dtype())
            f["units"] = np.array(["days since 1970-01-01" if p.date else "" for p in self.problem.parameters],
                                  dtype=h5py.string_dtype())
            f["best"] = self.problem.values(self.best()).iloc[0].to_numpy()
            f["posterior/unit_samples"] = self.draws[self.weights > 0]
            f["posterior/samples"] = self.problem.values(self.draws[self.weights > 0]).to_numpy()
            f["posterior/weights"] = self.weights[self.weights > 0]
            f["posterior/log_likelihood"] = self.log_likelihood[self.weights > 0]
            f["targets/id"] = self.targets["id"].to_numpy().astype(h5py.string_dtype())
            for wave in self.waves:
                g = f.create_group(f"waves/{wave.number}")
                g.attrs.update(scale=wave.scale, replicates=wave.replicates)
                g["design"] = wave.unit
                g["observed"] = wave.observed
                g["used"] = np.array(wave.used, dtype=int)
                g["nugget_sd"] = np.array([wave.emulators[j].nugget_sd if j in wave.emulators else np.nan
                                           for j in range(len(self.targets))])
        os.replace(temporary, out / "history.h5")
