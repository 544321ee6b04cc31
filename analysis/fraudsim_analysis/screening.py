"""Morris elementary effects from a morris sweep design.

Each trajectory moves the factors one at a time by +delta or -delta (a
fraction of each factor's range); the elementary effect of the factor moved
at a step is the change in the output divided by that signed move, so it is
the output's change per full range of the factor (Morris 1991,
Technometrics 33, 161-174). Per factor: mu (the mean effect), mu* (the mean
absolute effect, Campolongo, Cariboni and Saltelli 2007, Environ. Model.
Softw. 22, 1509-1518) and sigma (their standard deviation: non-linearity or
interactions). Intervals on mu* are percentiles of a bootstrap over the
trajectories (fixed seed).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .io import FraudsimFileError, Sweep

MORRIS_COLUMNS = ["mu_star", "mu_star_low", "mu_star_high", "mu", "sigma"]


def _statistics(effects: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """mu*, mu, sigma per factor from effects [trajectory, factor]."""
    sigma = np.std(effects, axis=0, ddof=1) if effects.shape[0] > 1 else np.full(effects.shape[1], np.nan)
    return np.mean(np.abs(effects), axis=0), np.mean(effects, axis=0), sigma


def morris_indices(effects, factors: list[str] | None = None, n_boot: int = 1000, confidence: float = 0.95,
                   seed: int = 0) -> pd.DataFrame:
    """mu*, its bootstrap interval, mu and sigma per factor, from elementary effects [trajectory, factor].

    Rows sorted by mu*, largest first; `r` (trajectories) in `attrs`.
    """
    effects = np.asarray(effects, dtype=float)
    if effects.ndim != 2 or effects.shape[0] < 1:
        raise ValueError(f"expected elementary effects of shape [trajectories, factors], got {effects.shape}")
    if not np.all(np.isfinite(effects)):
        raise ValueError("elementary effects contain NaN or infinity")
    r, k = effects.shape
    factors = list(factors) if factors is not None else [f"x{i + 1}" for i in range(k)]
    mu_star, mu, sigma = _statistics(effects)
    rng = np.random.default_rng(seed)
    boot = np.array([np.mean(np.abs(effects[rng.integers(0, r, r)]), axis=0) for _ in range(n_boot)])
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(boot, [tail, 100 - tail], axis=0)
    result = pd.DataFrame({"mu_star": mu_star, "mu_star_low": low, "mu_star_high": high, "mu": mu, "sigma": sigma},
                          index=pd.Index(factors, name="factor"))
    result = result.sort_values("mu_star", ascending=False, kind="stable")
    result.attrs.update(r=r, confidence=confidence, n_boot=n_boot)
    return result


def elementary_effects(sweep: Sweep, values: pd.Series) -> np.ndarray:
    """Effects [trajectory, factor] from one value per run of a morris sweep (replicates averaged)."""
    design = sweep.design
    if "morris_trajectory" not in design:
        raise FraudsimFileError(sweep.path, "not a Morris design (no /design/morris_trajectory column)")
    keyed = pd.DataFrame({"point": design["point"].to_numpy(), "trajectory": design["morris_trajectory"].to_numpy(),
                          "factor": design["morris_factor"].to_numpy(), "step": design["morris_step"].to_numpy(),
                          "value": values.to_numpy(dtype=float)})
    points = keyed.groupby("point").agg(trajectory=("trajectory", "first"), factor=("factor", "first"),
                                        step=("step", "first"), value=("value", "mean")).sort_index()
    k = len(sweep.factors)
    trajectories = np.sort(points["trajectory"].unique())
    effects = np.full((len(trajectories), k), np.nan)
    for t, path in enumerate(trajectories):
        steps = points[points["trajectory"] == path]  # in point order: the trajectory's start, then its moves
        if len(steps) != k + 1 or steps["factor"].iloc[0] != -1 or \
                sorted(steps["factor"].iloc[1:]) != list(range(k)):
            raise FraudsimFileError(sweep.path, f"incomplete Morris design: trajectory {path} does not move each "
                                                f"of the {k} factors once")
        change = np.diff(steps["value"].to_numpy())
        effects[t, steps["factor"].iloc[1:].to_numpy()] = change / steps["step"].iloc[1:].to_numpy()
    return effects


def morris(sweep: Sweep | str, series: str = "registered_cases", period: tuple[str, str] | None = None,
           how: str | None = None, **options) -> pd.DataFrame:
    """Morris mu*, mu and sigma of one series summarised per run (see Sweep.summary) over a morris sweep
    (a Sweep or the path of a merged sweep file); `options` go to morris_indices."""
    if not isinstance(sweep, Sweep):
        from .io import open_sweep

        sweep = open_sweep(sweep)
    effects = elementary_effects(sweep, sweep.summary(series, period, how))
    result = morris_indices(effects, sweep.factors, **options)
    result.attrs.update(series=series, period=period, units=sweep.units.get(series, ""))
    return result
