"""Runs in memory: a run's series as pandas, shaped as fraudsim_analysis reads them from its file.

The engine runs in this process with the GIL released; Ctrl-C ends a run at the end of its
simulated day with KeyboardInterrupt.
"""
from __future__ import annotations

import datetime
import operator
import os
import threading
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Union

import numpy as np
import pandas as pd

from . import _core

Overrides = Union[Mapping[str, Any], Iterable[str], None]

# Columns of /interventions in the order fraudsim_analysis.open_run gives them, the others after.
INTERVENTION_COLUMNS = ["name", "type", "start", "end", "enabled"]


def run(scenario: str | os.PathLike, seed: int | None = None, threads: int = 0, set: Overrides = None,
        transactions: bool = False) -> Run:
    """Runs a scenario file as `fraudsim run SCENARIO --seed SEED --set KEY=VALUE ...` does, in memory.

    `seed`: the run seed (None: the scenario's); `threads`: worker threads (0: all cores; results do not
    depend on it); `set`: overrides, {"scale": 1000, "interventions.exit_2021.enabled": False} or
    ["scale=1000", ...]; `transactions`: keep every laundering transfer (/transactions). Bad input raises
    InputError with the command line's message (file, line, key, value, what was expected).
    """
    output = _core.run(os.fspath(scenario), _overrides(set), _seed(seed), _threads(threads), bool(transactions),
                       _in_main_thread())
    return Run(output)


def run_many(scenario: str | os.PathLike, seeds: Iterable[int], threads: int = 0, set: Overrides = None,
             transactions: bool = False) -> Replicates:
    """The scenario once per seed, several runs at once (as a sweep runs replicates): the runs and their bands."""
    seeds = [_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("run_many needs at least one seed")
    outputs = _core.run_seeds(os.fspath(scenario), _overrides(set), seeds, _threads(threads), bool(transactions),
                              _in_main_thread())
    return Replicates([Run(o) for o in outputs])


class Run:
    """One run in memory: `meta`, `monthly`, `daily`, `interventions` as `fraudsim_analysis.open_run` reads
    them from the run's file; `save(path)` writes that file. fraudsim_analysis's compare_run,
    plot_registered_cases and plot_counterfactuals take it where they take a run."""

    kind = "run"

    def __init__(self, output: _core.RunOutput):
        self._output = output
        self.meta: dict[str, Any] = dict(output.meta)
        # What plots name the run by until it is saved (then: the file).
        self.path = Path(f"{self.meta['scenario_name']} seed {self.meta['seed']} (in memory)")

    def __repr__(self) -> str:
        return (f"<fraudsim.Run {self.meta['scenario_name']} seed={self.meta['seed']} scale={self.meta['scale']} "
                f"{self.meta['start_date']}..{self.meta['end_date']}>")

    @cached_property
    def monthly(self) -> pd.DataFrame:
        """Monthly series in real units, one row per month (index `month`); attrs units, descriptions, kinds."""
        months = pd.to_datetime(pd.Series(self._output.monthly_months, dtype=object), format="%Y-%m")
        return _series_frame(self._output.monthly, pd.DatetimeIndex(months, name="month"))

    @cached_property
    def daily(self) -> pd.DataFrame:
        """Daily series in real units, one row per simulated day (index `date`)."""
        dates = pd.to_datetime(pd.Series(self._output.daily_dates, dtype=object), format="%Y-%m-%d")
        return _series_frame(self._output.daily, pd.DatetimeIndex(dates, name="date"))

    @cached_property
    def tables(self) -> dict[str, dict[str, Any]]:
        """The tables of the run file by group (interventions, compounds, jurisdictions, laundering, events,
        transactions): column name -> numpy array ([row, month] for 2-D columns) or list of text."""
        return {t["group"]: {c["name"]: c["values"] for c in t["columns"]} for t in self._output.tables}

    @cached_property
    def interventions(self) -> pd.DataFrame:
        """The scenario's interventions: name, type, start, end (NaT: to the end of the run), enabled, ramp_days."""
        table = next(t for t in self._output.tables if t["group"] == "interventions")
        columns = {c["name"]: c for c in table["columns"]}
        order = [c for c in INTERVENTION_COLUMNS if c in columns] + sorted(c for c in columns if c not in
                                                                           INTERVENTION_COLUMNS)
        df = pd.DataFrame({c: _column_values(columns[c]["values"]) for c in order})
        df.attrs["units"] = {c: columns[c]["units"] for c in order}
        for c in ("start", "end", "fade_from"):  # "" (open-ended, no fade) becomes NaT
            if c in df:
                df[c] = pd.to_datetime(df[c].mask(df[c] == ""), format="%Y-%m-%d")
        return df

    def breakdown(self, by: str, series: str) -> pd.DataFrame:
        """A series by fraud category (`by="category"`) or by the victim's age band (`by="age_band"`), month x
        item, as `fraudsim_analysis` reads it from /fraud_categories or /age_bands of the run's file."""
        group = {"category": "fraud_categories", "age_band": "age_bands"}.get(by)
        if group is None:
            raise ValueError(f"by must be 'category' or 'age_band', not {by!r}")
        table = self.tables.get(group, {})
        if series not in table:
            raise KeyError(f"{self.path} has no /{group}/{series}")
        values = np.asarray(table[series]).reshape(len(table["name"]), -1)
        return pd.DataFrame(values.T, index=self.monthly.index, columns=pd.Index(list(table["name"]), name=by))

    @property
    def scenario(self) -> str:
        """The resolved scenario as YAML text."""
        return str(self.meta.get("scenario", ""))

    def annual(self) -> pd.DataFrame:
        """One row per year: flows summed, stocks at the end of the year."""
        kinds = self.monthly.attrs["kinds"]
        stocks = [c for c in self.monthly if kinds.get(c) == "stock"]
        yearly = self.monthly.drop(columns=stocks).resample("YS").sum()
        yearly = yearly.join(self.monthly[stocks].resample("YS").last())[list(self.monthly.columns)]
        yearly.index = pd.Index(yearly.index.year, name="year")
        yearly.attrs = dict(self.monthly.attrs)
        return yearly

    def to_xarray(self, frequency: str = "monthly"):
        """The monthly (or daily) series as an xarray Dataset over `month` (`date`), each variable with its
        units, description and kind, the run's /meta as the Dataset's attributes."""
        frame = _frequency(self, frequency)
        return _dataset(frame, frame.index.name, attrs=self.meta)

    def save(self, path: str | os.PathLike) -> Path:
        """Writes the run file `fraudsim run -o PATH` writes (docs/output.md), complete or not at all."""
        self._output.save(os.fspath(path))
        self.path = Path(path)
        return self.path


class Replicates:
    """Runs of one scenario that differ only in their seed: a list of Run, with bands over the seeds."""

    def __init__(self, runs: list[Run]):
        self.runs = list(runs)

    def __len__(self) -> int:
        return len(self.runs)

    def __iter__(self) -> Iterator[Run]:
        return iter(self.runs)

    def __getitem__(self, index: int) -> Run:
        return self.runs[index]

    def __repr__(self) -> str:
        return f"<fraudsim.Replicates {len(self)} runs, seeds {self.seeds}>"

    @property
    def seeds(self) -> list[int]:
        return [int(r.meta["seed"]) for r in self.runs]

    def frame(self, series: str, frequency: str = "monthly") -> pd.DataFrame:
        """One series, periods x seeds."""
        return pd.concat([_frequency(r, frequency)[series] for r in self.runs], axis=1,
                         keys=pd.Index(self.seeds, name="seed"))

    def bands(self, series: str | None = None, low: float = 5, high: float = 95,
              frequency: str = "monthly") -> pd.DataFrame:
        """Per period: the median and the `low`-`high` % band over the seeds (linear interpolation between
        replicates, as numpy.quantile); columns p05, median, p95. Without `series`, every series, the
        columns a (series, statistic) MultiIndex."""
        if series is None:
            names = list(_frequency(self.runs[0], frequency).columns)
            return pd.concat({name: self.bands(name, low, high, frequency) for name in names}, axis=1)
        values = self.frame(series, frequency)
        labels = [f"p{low:02g}", "median", f"p{high:02g}"]
        quantiles = np.quantile(values.to_numpy(dtype=float), [low / 100, 0.5, high / 100], axis=1)
        return pd.DataFrame(quantiles.T, index=values.index, columns=pd.Index(labels, name="statistic"))

    def to_xarray(self, frequency: str = "monthly"):
        """Every series as an xarray Dataset over (seed, month); the first run's /meta without its seed as
        attributes."""
        import xarray as xr

        first = _frequency(self.runs[0], frequency)
        datasets = [_dataset(_frequency(r, frequency), first.index.name) for r in self.runs]
        attrs = {k: v for k, v in self.runs[0].meta.items() if k != "seed"}
        return xr.concat(datasets, dim=pd.Index(self.seeds, name="seed")).assign_attrs(attrs)


# --- helpers ------------------------------------------------------------------

def _overrides(values: Overrides) -> list[str]:
    """`set=` as the command line's --set arguments, KEY.PATH=VALUE."""
    if values is None:
        return []
    if isinstance(values, Mapping):
        return [f"{key}={_text(value)}" for key, value in values.items()]
    if isinstance(values, str):
        raise TypeError("set= takes a dict {KEY.PATH: VALUE} or a list of 'KEY.PATH=VALUE', not one string")
    return [str(v) for v in values]


def _text(value: Any) -> str:
    """A value as it would be written after --set KEY=."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (float, np.floating)):
        return repr(float(value))  # the shortest text that reads back as the same double
    return str(value)


def _seed(seed: int | None) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool):
        raise TypeError("seed must be a whole number, not a bool")
    return operator.index(seed)


def _threads(threads: int) -> int:
    threads = operator.index(threads)
    if threads < 0:
        raise ValueError(f"threads = {threads}: expected 0 (all cores) or a positive number")
    return threads


def _in_main_thread() -> bool:
    """Only the main thread receives Ctrl-C, so only its runs take it over while they run."""
    return threading.current_thread() is threading.main_thread()


def _column_values(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=object) if isinstance(values, list) else values


def _series_frame(series: list[dict], index: pd.DatetimeIndex) -> pd.DataFrame:
    # In the order h5py lists the datasets of a group: by name.
    series = sorted(series, key=lambda s: s["name"].encode())
    df = pd.DataFrame({s["name"]: s["values"] for s in series}, index=index)
    df.attrs["units"] = {s["name"]: s["units"] for s in series}
    df.attrs["descriptions"] = {s["name"]: s["description"] for s in series}
    df.attrs["kinds"] = {s["name"]: s["kind"] for s in series}
    return df


def _frequency(run_: Run, frequency: str) -> pd.DataFrame:
    if frequency not in ("monthly", "daily"):
        raise ValueError(f"frequency = {frequency!r}: expected 'monthly' or 'daily'")
    return run_.monthly if frequency == "monthly" else run_.daily


def _dataset(frame: pd.DataFrame, dim: str, attrs: Mapping[str, Any] | None = None):
    import xarray as xr

    variables = {name: xr.DataArray(frame[name].to_numpy(), dims=[dim],
                                    attrs={"units": frame.attrs["units"][name],
                                           "description": frame.attrs["descriptions"][name],
                                           "kind": frame.attrs["kinds"][name]})
                 for name in frame.columns}
    return xr.Dataset(variables, coords={dim: frame.index.to_numpy()}, attrs=dict(attrs or {}))
