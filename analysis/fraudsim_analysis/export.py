"""Runs and sweeps as xarray Datasets, and series and transactions as CSV.

xarray (Debian's python3-xarray) is imported only by `to_xarray`.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .io import FraudsimFileError, Run, Sweep

_META_TYPES = (str, int, float, np.integer, np.floating)


def to_xarray(data: Run | Sweep, frequency: str = "monthly"):
    """An xarray.Dataset with one variable per series, each carrying `units`, `kind` and `description`.

    A run: variables over `month` (or `date` with frequency='daily'). A sweep:
    variables over (run, month), with the design's columns (point, replicate,
    seed, variant, every factor) as coordinates along `run`, so that
    `ds.groupby("variant")` or `ds.where(ds.replicate == 0)` work directly;
    `ds.to_array("series")` gives one run x month x series array. Short /meta
    attributes become the Dataset's attributes."""
    import xarray as xr

    if isinstance(data, Sweep):
        if frequency != "monthly":
            raise ValueError("a merged sweep holds monthly series only")
        variables = {name: (("run", "month"), data.array(name),
                            {"units": data.units[name], "kind": data.kinds.get(name, "flow"),
                             "description": data.descriptions.get(name, "")}) for name in data.series}
        coords = {"run": data.design["run"].to_numpy(), "month": data.months}
        for column in data.design.columns.drop("run"):
            coords[column] = ("run", data.design[column].to_numpy())
        return xr.Dataset(variables, coords=coords, attrs=_short_meta(data.meta))
    if isinstance(data, Run):
        frame = {"monthly": data.monthly, "daily": data.daily}.get(frequency)
        if frame is None:
            raise ValueError(f"frequency must be 'monthly' or 'daily', not {frequency!r}")
        axis = frame.index.name
        variables = {name: ((axis,), frame[name].to_numpy(),
                            {"units": frame.attrs["units"].get(name, ""), "kind": frame.attrs["kinds"].get(name, ""),
                             "description": frame.attrs["descriptions"].get(name, "")}) for name in frame.columns}
        return xr.Dataset(variables, coords={axis: frame.index}, attrs=_short_meta(data.meta))
    raise TypeError(f"to_xarray takes a Run or a Sweep, not {type(data).__name__}")


def _short_meta(meta: dict) -> dict:
    """The attributes that read as one value (the resolved scenario and sweep texts stay in the file)."""
    return {k: v for k, v in meta.items()
            if isinstance(v, _META_TYPES) and not (isinstance(v, str) and ("\n" in v or len(v) > 200))}


def series_frame(data: Run | Sweep, frequency: str = "monthly") -> pd.DataFrame:
    """The series as one table: a run's months (or days) by series; a sweep's runs and months
    (one row per run and month) with the run's design columns first."""
    if isinstance(data, Sweep):
        if frequency != "monthly":
            raise ValueError("a merged sweep holds monthly series only")
        runs, n = data.design["run"].to_numpy(), len(data.months)
        table = pd.DataFrame({"run": np.repeat(runs, n), "month": np.tile(data.months.strftime("%Y-%m"), len(runs))})
        for name in data.series:
            table[name] = data.array(name).ravel()
        return data.design.merge(table, on="run", how="right")
    frame = {"monthly": data.monthly, "daily": data.daily}.get(frequency)
    if frame is None:
        raise ValueError(f"frequency must be 'monthly' or 'daily', not {frequency!r}")
    table = frame.copy()
    table.index = frame.index.strftime("%Y-%m" if frequency == "monthly" else "%Y-%m-%d").rename(frame.index.name)
    return table.reset_index()


def series_csv(data: Run | Sweep, path: str | os.PathLike, frequency: str = "monthly") -> Path:
    """Writes `series_frame(data, frequency)` as CSV (flows per period, stocks on the period's last day;
    units as in docs/output.md and the file's `units` attributes)."""
    path = Path(path)
    series_frame(data, frequency).to_csv(path, index=False)
    return path


def transactions_csv(run: Run, path: str | os.PathLike) -> Path:
    """Writes the transaction graph (/transactions: one row per transfer, an edge from_account ->
    to_account) as CSV; a run written without `fraudsim run --transactions` has none."""
    if not isinstance(run, Run):
        raise ValueError(f"{getattr(run, 'path', run)}: transactions are in run files, not {run.kind} files")
    table = run.transactions
    if table is None:
        raise FraudsimFileError(run.path, "no /transactions group: write the run with fraudsim run --transactions")
    table = table.copy()
    if pd.api.types.is_datetime64_any_dtype(table.get("day")):
        table["day"] = table["day"].dt.strftime("%Y-%m-%d")
    path = Path(path)
    table.to_csv(path, index=False)
    return path
