"""Sobol' sensitivity indices from a Saltelli design.

The design evaluates the model on two independent sample matrices A and B
(N rows each) and on AB_i, A with column i taken from B, for each factor i.
First-order indices use the estimator of Saltelli et al. (2010, Comput. Phys.
Commun. 181, 259-270, table 2 (b)), with the outputs centred on their mean,
total indices that of Jansen (1999, table 2 (f) there); confidence intervals
are percentiles of a bootstrap over the N sample rows (fixed seed).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .io import FraudsimFileError, Sweep

INDEX_COLUMNS = ["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]


def _estimate(f_A: np.ndarray, f_B: np.ndarray, f_AB: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    both = np.concatenate([f_A, f_B])
    variance = np.var(both, ddof=1)
    # E[f_B (f_AB - f_A)] = E[(f_B - c)(f_AB - f_A)] for any constant c; centring makes the estimate
    # shift-invariant, which matters for outputs like case counts that are far from zero.
    first = np.mean((f_B - both.mean()) * (f_AB - f_A), axis=1) / variance
    total = 0.5 * np.mean((f_A - f_AB) ** 2, axis=1) / variance
    return first, total


def sobol_indices(f_A, f_B, f_AB, factors: list[str] | None = None, n_boot: int = 1000,
                  confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """S1 and ST per factor with bootstrap percentile intervals.

    f_A, f_B: model outputs on A and B, shape [N]; f_AB: on AB_i, shape [k, N]
    (row i for factor i). Returns one row per factor: S1, S1_low, S1_high, ST,
    ST_low, ST_high, and `n` (N) in `attrs`.
    """
    f_A, f_B, f_AB = (np.asarray(x, dtype=float) for x in (f_A, f_B, f_AB))
    if f_AB.ndim != 2 or f_A.shape != f_B.shape or f_AB.shape[1] != f_A.shape[0]:
        raise ValueError(f"shapes do not fit: f_A {f_A.shape}, f_B {f_B.shape}, f_AB {f_AB.shape} (expected [N], [N], [k, N])")
    if not np.all(np.isfinite(np.concatenate([f_A, f_B, f_AB.ravel()]))):
        raise ValueError("model outputs contain NaN or infinity")
    k, n = f_AB.shape
    factors = list(factors) if factors is not None else [f"x{i + 1}" for i in range(k)]
    first, total = _estimate(f_A, f_B, f_AB)
    rng = np.random.default_rng(seed)
    boot = np.empty((n_boot, 2, k))
    for b in range(n_boot):
        rows = rng.integers(0, n, n)
        boot[b] = _estimate(f_A[rows], f_B[rows], f_AB[:, rows])
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(boot, [tail, 100 - tail], axis=0)
    result = pd.DataFrame({"S1": first, "S1_low": low[0], "S1_high": high[0],
                           "ST": total, "ST_low": low[1], "ST_high": high[1]},
                          index=pd.Index(factors, name="factor"))
    result.attrs.update(n=n, confidence=confidence, n_boot=n_boot)
    return result


def saltelli_blocks(sweep: Sweep, values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """f_A, f_B, f_AB from one value per run of a Saltelli sweep (replicates averaged)."""
    design = sweep.design
    if "saltelli_block" not in design:
        raise FraudsimFileError(sweep.path, "not a Saltelli design (no /design/saltelli_block column)")
    keyed = pd.DataFrame({"block": design["saltelli_block"].to_numpy(), "factor": design["saltelli_factor"].to_numpy(),
                          "sample": design["saltelli_sample"].to_numpy(), "value": values.to_numpy(dtype=float)})
    mean = keyed.groupby(["block", "factor", "sample"])["value"].mean()
    samples = np.sort(keyed["sample"].unique())
    k = len(sweep.factors)
    try:
        f_A = mean.loc[("A", -1)].reindex(samples).to_numpy()
        f_B = mean.loc[("B", -1)].reindex(samples).to_numpy()
        f_AB = np.array([mean.loc[("AB", i)].reindex(samples).to_numpy() for i in range(k)])
    except KeyError as e:
        raise FraudsimFileError(sweep.path, f"incomplete Saltelli design: no block {e}") from None
    if np.isnan(f_A).any() or np.isnan(f_B).any() or np.isnan(f_AB).any():
        raise FraudsimFileError(sweep.path, "incomplete Saltelli design: a sample lacks its A, B or AB_i run")
    return f_A, f_B, f_AB


def sobol_from_sweep(sweep: Sweep, series: str = "registered_cases", period: tuple[str, str] | None = None,
                     how: str | None = None, **options) -> pd.DataFrame:
    """Sobol' indices of one series summarised per run (see Sweep.summary) over a Saltelli sweep."""
    f_A, f_B, f_AB = saltelli_blocks(sweep, sweep.summary(series, period, how))
    result = sobol_indices(f_A, f_B, f_AB, sweep.factors, **options)
    result.attrs.update(series=series, period=period)
    return result
