"""Reading fraudsim HDF5 files into pandas.

Three kinds of file: a run (docs/output.md), a merged sweep and a calibration
(docs/analysis.md). `open_file` tells them apart by their groups; every
failure to read one is a `FraudsimFileError` whose message is one line naming
the file.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator, Union

import h5py
import numpy as np
import pandas as pd

try:  # only for Run.scenario_dict; compare.py needs it unconditionally
    import yaml
except ImportError:  # pragma: no cover
    yaml = None

INTERVENTION_COLUMNS = ["name", "type", "start", "end", "enabled"]
EVENT_COLUMNS = ["date", "type", "compound", "jurisdiction", "group", "count"]
COMPOUND_COLUMNS = ["month", "compound", "jurisdiction", "group", "workforce"]
ORIGIN_COLUMNS = ["month", "origin", "jurisdiction", "workforce"]
MARKET_COLUMNS = ["month", "market", "victims", "losses_yuan", "reported_cases", "effort_share"]
LAUNDERING_COLUMNS = ["month", "hop", "entered_yuan", "frozen_yuan", "passed_yuan", "commission_yuan", "traced",
                      "paid_in_yuan"]
ROUTE_COLUMNS = ["month", "route", "payments", "paid_in_yuan", "frozen_yuan", "commission_yuan", "laundered_yuan"]
TRANSACTION_COLUMNS = ["day", "from_account", "to_account", "amount_yuan", "hop", "route", "frozen", "traced", "payment",
                       "victim", "category", "group"]
TARGET_COLUMNS = ["id", "series", "kind", "period_from", "period_to", "reported", "tolerance", "simulated_median",
                  "simulated_p05", "simulated_p95", "best", "in_fit", "source"]
TRACE_COLUMNS = ["generation", "tolerance", "ess", "acceptance_rate", "simulations"]
DESIGN_COLUMNS = ["run", "point", "replicate", "seed", "variant", "saltelli_block", "saltelli_factor",
                  "saltelli_sample", "morris_trajectory", "morris_factor", "morris_step"]


class FraudsimFileError(Exception):
    """A file that is not readable fraudsim output; the message is one line naming the file."""

    def __init__(self, path: str | os.PathLike, what: str):
        self.path = str(path)
        self.what = " ".join(str(what).split())  # h5py messages may span lines
        super().__init__(f"{self.path}: {self.what}")


def is_stock(series: str, kinds: dict[str, str]) -> bool:
    """True for a series whose monthly value is its state at the end of the month, not a sum of events;
    `kinds` maps series to their kind as read from the file (`DataFrame.attrs["kinds"]`, `Sweep.kinds`)."""
    return kinds.get(series) == "stock"


# --- low-level reading ------------------------------------------------------

@contextmanager
def _hdf5(path: Path) -> Iterator[h5py.File]:
    """The open file; any h5py, shape or type failure inside becomes a FraudsimFileError."""
    if not path.exists():
        raise FraudsimFileError(path, "no such file")
    if not path.is_file():
        raise FraudsimFileError(path, "not a regular file")
    if not os.access(path, os.R_OK):
        raise FraudsimFileError(path, "permission denied")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        text = str(e)
        if "signature not found" in text:
            what = "not an HDF5 file" + (" (empty)" if path.stat().st_size == 0 else "")
        elif "truncated" in text:
            what = "damaged HDF5 file (truncated)"
        else:
            what = f"cannot open HDF5 file: {text}"
        raise FraudsimFileError(path, what) from None
    try:
        with f:
            yield f
    except (OSError, KeyError, ValueError, TypeError, RuntimeError, IndexError) as e:
        raise FraudsimFileError(path, f"damaged or malformed fraudsim file: {e}") from None


def _plain(value: Any) -> Any:
    # h5py gives numpy scalars, arrays of names and, for some writers, bytes.
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    return value


def _attrs(obj: h5py.HLObject) -> dict[str, Any]:
    return {k: _plain(v) for k, v in obj.attrs.items()}


def _column(ds: h5py.Dataset, ndim: int = 1) -> np.ndarray:
    if ds.ndim != ndim:
        raise ValueError(f"{ds.name} is not {ndim}-D (shape {ds.shape})")
    if h5py.check_string_dtype(ds.dtype) is not None:
        return ds.asstr()[()].astype(object)
    return ds[()]


def _table(group: h5py.Group, first: list[str], skip_2d: bool = False) -> pd.DataFrame:
    """A group of equal-length 1-D datasets, one per column: `first` in that order, then the rest."""
    columns = {name: _column(obj) for name, obj in group.items()
               if isinstance(obj, h5py.Dataset) and not (skip_2d and obj.ndim == 2)}
    if len({len(v) for v in columns.values()}) > 1:
        raise ValueError(f"the columns of {group.name} differ in length")
    order = [c for c in first if c in columns] + sorted(c for c in columns if c not in first)
    df = pd.DataFrame({c: columns[c] for c in order})
    df.attrs["units"] = {c: _plain(group[c].attrs.get("units", "")) for c in order}
    return df


def _by_month(f: h5py.File, name: str, key: str, first: list[str]) -> pd.DataFrame:
    """A [key, month] group (laundering by hop, by route) as a long table."""
    if name not in f:
        return _empty(first)
    g, months = f[name], _month_index(f)
    keys = list(_column(g[key]))
    data = {"month": np.tile(months, len(keys)),
            key: pd.Categorical(np.repeat(keys, len(months)), categories=keys, ordered=True)}
    measures = [n for n, d in g.items() if isinstance(d, h5py.Dataset) and d.ndim == 2]
    for column in [c for c in first if c in measures] + sorted(set(measures) - set(first)):
        values = _column(g[column], 2)
        if values.shape != (len(keys), len(months)):
            raise ValueError(f"{g[column].name} must be {(len(keys), len(months))} [{key}, month]")
        data[column] = values.ravel()
    df = pd.DataFrame(data)
    df.attrs["units"] = {n: _plain(g[n].attrs.get("units", "")) for n in measures}
    return df


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _dates(values: pd.Series) -> pd.Series:
    """Dates stored as text, YYYY-MM-DD or YYYY-MM; "" (no date) becomes NaT."""
    if not pd.api.types.is_object_dtype(values):
        return values
    return pd.to_datetime(values.mask(values == ""))


def _month_index(f: h5py.File) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(_column(f["monthly/month"]), format="%Y-%m"), name="month")


def _names(values: pd.Series | np.ndarray, f: h5py.File, names: str) -> Any:
    """Integer references into a name list (-1: none) as the names themselves; text passes through."""
    values = np.asarray(values)
    if names not in f or not np.issubdtype(values.dtype, np.integer):
        return values
    table = np.append(_column(f[names]), None)  # index -1 picks the None
    if values.size and (values.max() >= len(table) - 1 or values.min() < -1):
        raise ValueError(f"an index into {names} is out of range")
    return table[values]


def _kind(ds: h5py.Dataset) -> str:
    """'flow' or 'stock', from the series' attribute `kind`. Files written before the attribute existed
    say it only in the description: "(on the period's last day)" for a stock (a sweep appends "; one
    row per run")."""
    kind = _plain(ds.attrs.get("kind", ""))
    if kind in ("flow", "stock"):
        return kind
    return "stock" if "last day)" in _plain(ds.attrs.get("description", "")) else "flow"


def _series_frame(group: h5py.Group | None, axis: str, index: pd.DatetimeIndex) -> pd.DataFrame:
    data, units, descriptions, kinds = {}, {}, {}, {}
    for name, obj in group.items() if group is not None else ():
        if name == axis or not isinstance(obj, h5py.Dataset):
            continue
        values = _column(obj)
        if len(values) != len(index):
            raise ValueError(f"{obj.name} has {len(values)} values for {len(index)} entries of {group.name}/{axis}")
        data[name] = values
        units[name] = _plain(obj.attrs.get("units", ""))
        descriptions[name] = _plain(obj.attrs.get("description", ""))
        kinds[name] = _kind(obj)
    df = pd.DataFrame(data, index=index)
    df.attrs["units"] = units
    df.attrs["descriptions"] = descriptions
    df.attrs["kinds"] = kinds
    return df


# --- runs -----------------------------------------------------------------

@dataclass
class Run:
    """One run. The optional groups of newer files are read on first use; a
    file without them gives an empty table (None for `transactions`)."""
    path: Path
    meta: dict[str, Any]
    daily: pd.DataFrame
    monthly: pd.DataFrame
    interventions: pd.DataFrame = field(repr=False)

    kind = "run"

    @property
    def scenario(self) -> str:
        """The resolved scenario as YAML text ("" if not recorded)."""
        return str(self.meta.get("scenario", ""))

    def annual(self) -> pd.DataFrame:
        """Annual figures, one row per year: flows summed, stocks at the end of the year."""
        stocks = [c for c in self.monthly if is_stock(c, self.monthly.attrs.get("kinds", {}))]
        yearly = self.monthly.drop(columns=stocks).resample("YS").sum()
        yearly = yearly.join(self.monthly[stocks].resample("YS").last())[list(self.monthly.columns)]
        yearly.index = pd.Index(yearly.index.year, name="year")
        yearly.attrs = dict(self.monthly.attrs)
        return yearly

    def to_xarray(self, frequency: str = "monthly"):
        """The series as an xarray.Dataset over `month` (or `date`); see export.to_xarray."""
        from .export import to_xarray

        return to_xarray(self, frequency)

    @cached_property
    def scenario_dict(self) -> dict | None:
        """The resolved scenario parsed (None without python3-yaml or without a scenario)."""
        return yaml.safe_load(self.scenario) if yaml is not None and self.scenario else None

    def _read(self, reader):
        with _hdf5(self.path) as f:
            return reader(f)

    @cached_property
    def events(self) -> pd.DataFrame:
        """/events: one row per dated event (raid, relocation, ...), `date` as datetimes."""
        def read(f):
            if "events" not in f:
                return _empty(EVENT_COLUMNS)
            df = _table(f["events"], EVENT_COLUMNS)
            df["date"] = _dates(df["date"])
            df["compound"] = _names(df["compound"], f, "compounds/name")
            df["jurisdiction"] = _names(df["jurisdiction"], f, "jurisdictions/name")
            for c in ("compound", "jurisdiction", "group"):  # "" (none) becomes missing
                if c in df and pd.api.types.is_object_dtype(df[c]):
                    df[c] = df[c].mask(df[c] == "")
            return df
        return self._read(read)

    @cached_property
    def compound_info(self) -> pd.DataFrame:
        """/compounds, the 1-D part: name, group, jurisdiction_at_start, opened, closed (one row per compound)."""
        def read(f):
            if "compounds" not in f:
                return _empty(["name", "group", "jurisdiction_at_start", "opened", "closed"])
            g = f["compounds"]
            df = _table(g, ["name", "group", "jurisdiction_at_start", "opened", "closed"], skip_2d=True)
            for c in ("opened", "closed"):
                if c in df:
                    df[c] = _dates(df[c])
            if "jurisdiction_at_start" in df:
                df["jurisdiction_at_start"] = _names(df["jurisdiction_at_start"], f, "jurisdictions/name")
            return df
        return self._read(read)

    @cached_property
    def compounds(self) -> pd.DataFrame:
        """Compound workforce, long: one row per open compound and month
        (month, compound, jurisdiction, group, workforce)."""
        def read(f):
            if "compounds" not in f:
                return _empty(COMPOUND_COLUMNS)
            g, months = f["compounds"], _month_index(f)
            names = _column(g["name"])
            workforce, where = _column(g["workforce"], 2), _column(g["jurisdiction"], 2)
            shape = (len(names), len(months))
            if workforce.shape != shape or where.shape != shape:
                raise ValueError(f"/compounds/workforce and /compounds/jurisdiction must be {shape} [compound, month]")
            groups = _column(g["group"]) if "group" in g else np.full(len(names), None)
            df = pd.DataFrame({
                "month": np.tile(months, len(names)),
                "compound": np.repeat(names, len(months)),
                "jurisdiction": _names(where.ravel(), f, "jurisdictions/name"),
                "group": np.repeat(groups, len(months)),
                "workforce": workforce.ravel(),
            })
            return df[where.ravel() >= 0].reset_index(drop=True)
        return self._read(read)

    @cached_property
    def jurisdiction_workforce(self) -> pd.DataFrame:
        """Workers in compounds, month x jurisdiction (from /jurisdictions, else summed over /compounds)."""
        def read(f):
            if "jurisdictions/workforce" in f:
                months, names = _month_index(f), _column(f["jurisdictions/name"])
                workforce = _column(f["jurisdictions/workforce"], 2)
                if workforce.shape != (len(names), len(months)):
                    raise ValueError(f"/jurisdictions/workforce must be {(len(names), len(months))} [jurisdiction, month]")
                return pd.DataFrame(workforce.T, index=months, columns=pd.Index(names, name="jurisdiction"))
            return None
        df = self._read(read)
        if df is None and self.compounds.empty:
            df = pd.DataFrame(index=self.monthly.index, columns=pd.Index([], name="jurisdiction"))
        elif df is None:
            df = self.compounds.pivot_table(index="month", columns="jurisdiction", values="workforce",
                                            aggfunc="sum", fill_value=0, sort=False)
            df = df.reindex(self.monthly.index, fill_value=0)
        return df

    def breakdown(self, by: str, series: str) -> pd.DataFrame:
        """A series by fraud category (`by="category"`) or by the victim's age band (`by="age_band"`), month x
        item, from /fraud_categories or /age_bands: victimisations, losses_yuan (categories only),
        registered_cases. Each month's items add up to the monthly series of the same name."""
        group = {"category": "fraud_categories", "age_band": "age_bands"}.get(by)
        if group is None:
            raise ValueError(f"by must be 'category' or 'age_band', not {by!r}")

        def read(f):
            if f"{group}/{series}" not in f:
                raise FraudsimFileError(self.path, f"has no /{group}/{series}")
            months, names = _month_index(f), _column(f[f"{group}/name"])
            values = _column(f[f"{group}/{series}"], 2)
            if values.shape != (len(names), len(months)):
                raise ValueError(f"/{group}/{series} must be {(len(names), len(months))} [{by}, month]")
            return pd.DataFrame(values.T, index=months, columns=pd.Index(names, name=by))
        return self._read(read)

    @cached_property
    def workforce_by_origin(self) -> pd.DataFrame:
        """/workforce_by_origin, long: one row per origin, jurisdiction and month
        (month, origin, jurisdiction, workforce); origin "home" is the home
        country's residents. Empty for files written before it existed."""
        def read(f):
            if "workforce_by_origin" not in f:
                return _empty(ORIGIN_COLUMNS)
            g, months = f["workforce_by_origin"], _month_index(f)
            origin, where = _column(g["origin"]), _column(g["jurisdiction"])
            workforce = _column(g["workforce"], 2)
            if workforce.shape != (len(origin), len(months)):
                raise ValueError(f"/workforce_by_origin/workforce must be {(len(origin), len(months))} [row, month]")
            return pd.DataFrame({"month": np.tile(months, len(origin)), "origin": np.repeat(origin, len(months)),
                                 "jurisdiction": np.repeat(where, len(months)), "workforce": workforce.ravel()})
        return self._read(read)

    @cached_property
    def markets(self) -> pd.DataFrame:
        """/markets, long: one row per foreign victim market and month (month,
        market, victims, losses_yuan, reported_cases, effort_share). Empty if the
        scenario has no foreign markets."""
        def read(f):
            if "markets" not in f:
                return _empty(MARKET_COLUMNS)
            g, months = f["markets"], _month_index(f)
            names = _column(g["name"])
            data = {"month": np.tile(months, len(names)), "market": np.repeat(names, len(months))}
            for name in MARKET_COLUMNS[2:]:
                values = _column(g[name], 2)
                if values.shape != (len(names), len(months)):
                    raise ValueError(f"/markets/{name} must be {(len(names), len(months))} [market, month]")
                data[name] = values.ravel()
            return pd.DataFrame(data)
        return self._read(read)

    @cached_property
    def laundering(self) -> pd.DataFrame:
        """Money through the laundering chain, long: one row per hop and month;
        `hop` is an ordered categorical in chain order."""
        return self._read(lambda f: _by_month(f, "laundering", "hop", LAUNDERING_COLUMNS))

    @cached_property
    def laundering_routes(self) -> pd.DataFrame:
        """Victims' money by laundering route, long: one row per route and month;
        `route` is an ordered categorical in the scenario's order (files
        written before routes existed give an empty table)."""
        return self._read(lambda f: _by_month(f, "laundering_routes", "route", ROUTE_COLUMNS))

    @cached_property
    def transactions(self) -> pd.DataFrame | None:
        """/transactions (optional, large): one row per transfer; `day` as datetimes."""
        def read(f):
            if "transactions" not in f:
                return None
            df = _table(f["transactions"], TRANSACTION_COLUMNS)
            if "day" in df and pd.api.types.is_integer_dtype(df["day"]):  # days since start_date
                df["day"] = pd.Timestamp(self.meta["start_date"]) + pd.to_timedelta(df["day"], unit="D")
            elif "day" in df:
                df["day"] = _dates(df["day"])
            return df
        return self._read(read)


def _read_run(f: h5py.File, path: Path) -> Run:
    monthly = _series_frame(f["monthly"], "month", _month_index(f))
    if "daily/date" in f:
        dates = pd.DatetimeIndex(pd.to_datetime(_column(f["daily/date"]), format="%Y-%m-%d"), name="date")
        daily = _series_frame(f["daily"], "date", dates)
    else:
        daily = _series_frame(None, "date", pd.DatetimeIndex([], name="date"))
    if "interventions" in f:
        interventions = _table(f["interventions"], INTERVENTION_COLUMNS)
        for c in ("start", "end", "fade_from"):  # "" (open-ended, no fade) becomes NaT
            if c in interventions:
                interventions[c] = pd.to_datetime(interventions[c].mask(interventions[c] == ""), format="%Y-%m-%d")
    else:
        interventions = _empty(INTERVENTION_COLUMNS)
    return Run(path=path, meta=_attrs(f["meta"]), daily=daily, monthly=monthly, interventions=interventions)


# --- sweeps ---------------------------------------------------------------

@dataclass
class Sweep:
    """A merged sweep: the design (one row per run) and [run, month] arrays per series."""
    path: Path
    meta: dict[str, Any]
    design: pd.DataFrame
    months: pd.DatetimeIndex
    units: dict[str, str]
    descriptions: dict[str, str]
    kinds: dict[str, str] = field(default_factory=dict)  # series -> "flow" or "stock"
    _arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    kind = "sweep"

    @property
    def factors(self) -> list[str]:
        return list(self.design.attrs["factors"])

    @property
    def series(self) -> list[str]:
        return list(self.units)

    @property
    def design_type(self) -> str:
        """'saltelli', 'morris' or 'variants' from the design's columns, else the /meta attribute `design`."""
        if "saltelli_block" in self.design:
            return "saltelli"
        if "morris_trajectory" in self.design:
            return "morris"
        if "variant" in self.design:
            return "variants"
        return str(self.meta.get("design", "points"))

    def array(self, series: str) -> np.ndarray:
        """Monthly values of one series, [run, month]."""
        if series not in self.units:
            raise KeyError(f"{self.path}: no monthly series {series!r} (have: {', '.join(self.series)})")
        if series not in self._arrays:
            with _hdf5(self.path) as f:
                values = _column(f["monthly"][series], 2)
                if values.shape != (len(self.design), len(self.months)):
                    raise ValueError(f"/monthly/{series} has shape {values.shape}, expected "
                                     f"{(len(self.design), len(self.months))} [run, month]")
                self._arrays[series] = values
        return self._arrays[series]

    def to_xarray(self):
        """The series as an xarray.Dataset over (run, month), the design as coordinates; see export.to_xarray."""
        from .export import to_xarray

        return to_xarray(self)

    @property
    def scale(self) -> int | None:
        """The scale of the sweep's runs, from the resolved sweep in /meta (None if not recorded)."""
        import yaml

        try:
            resolved = yaml.safe_load(str(self.meta.get("sweep", ""))) or {}
            scale = (resolved.get("set") or {}).get("scale") or \
                (yaml.safe_load(resolved.get("base_scenario", "")) or {}).get("scale")
            return int(float(scale)) if scale else None
        except (yaml.YAMLError, AttributeError, TypeError, ValueError):
            return None

    def frame(self, series: str) -> pd.DataFrame:
        """One series as a DataFrame, months x runs."""
        return pd.DataFrame(self.array(series).T, index=self.months, columns=pd.Index(self.design["run"], name="run"))

    def long(self, series: str | list[str] | None = None) -> pd.DataFrame:
        """Tidy table: run, month, series, value, then the run's design columns."""
        names = self.series if series is None else [series] if isinstance(series, str) else list(series)
        runs, n_months = self.design["run"].to_numpy(), len(self.months)
        parts = [pd.DataFrame({"run": np.repeat(runs, n_months), "month": np.tile(self.months, len(runs)),
                               "series": name, "value": self.array(name).ravel()}) for name in names]
        long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["run", "month", "series", "value"])
        return long.merge(self.design, on="run", how="left")

    def summary(self, series: str, period: tuple[str, str] | None = None, how: str | None = None) -> pd.Series:
        """One number per run: the series over `period` (from, to as YYYY-MM, inclusive; default the
        whole run) summed for a flow, or its last value for a stock (`how`: 'sum', 'mean', 'last')."""
        how = how or ("last" if is_stock(series, self.kinds) else "sum")
        frame = self.frame(series)
        if period is not None:
            frame = frame.loc[period[0]:period[1]]
            if frame.empty:
                raise ValueError(f"period {period[0]}..{period[1]} lies outside the sweep's months")
        values = {"sum": frame.sum, "mean": frame.mean, "last": lambda: frame.iloc[-1]}[how]()
        return values.rename(series)


def _read_sweep(f: h5py.File, path: Path) -> Sweep:
    design = _table(f["design"], DESIGN_COLUMNS)
    if "run" not in design:
        raise ValueError("/design has no 'run' column")
    if not np.array_equal(design["run"].to_numpy(), np.arange(len(design))):
        raise ValueError("/design/run must number the runs 0, 1, 2, ... in row order")
    known = set(DESIGN_COLUMNS)
    factors = _plain(f["design"].attrs["factors"]) if "factors" in f["design"].attrs else \
        [c for c in design if c not in known]
    factors = [factors] if isinstance(factors, str) else list(factors)
    for c in factors:  # date factors are stored as text
        if c in design and pd.api.types.is_object_dtype(design[c]) and \
                design[c].astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
            design[c] = pd.to_datetime(design[c], format="%Y-%m-%d")
    order = [c for c in DESIGN_COLUMNS if c in design] + [c for c in factors if c in design]
    design = design[order + [c for c in design if c not in order]]
    design.attrs["factors"] = factors
    months = _month_index(f)
    monthly = {n: d for n, d in f["monthly"].items() if n != "month" and isinstance(d, h5py.Dataset)}
    units = {n: _plain(d.attrs.get("units", "")) for n, d in monthly.items()}
    descriptions = {n: _plain(d.attrs.get("description", "")) for n, d in monthly.items()}
    return Sweep(path=path, meta=_attrs(f["meta"]), design=design, months=months, units=units,
                 descriptions=descriptions, kinds={n: _kind(d) for n, d in monthly.items()})


# --- calibrations -----------------------------------------------------------

@dataclass
class Calibration:
    """The result of a calibration: weighted posterior samples, targets, trace."""
    path: Path
    meta: dict[str, Any]
    parameters: list[str]
    samples: np.ndarray  # [sample, parameter]
    weights: np.ndarray  # normalised to sum to 1
    distances: np.ndarray
    targets: pd.DataFrame
    trace: pd.DataFrame
    months: pd.DatetimeIndex | None = None
    predictive: dict[str, np.ndarray] = field(default_factory=dict, repr=False)  # series -> [sample, month]
    units: dict[str, str] = field(default_factory=dict)   # parameter -> units ("days since 1970-01-01": a date)
    paths: dict[str, str] = field(default_factory=dict)   # parameter -> scenario key path
    also: dict[str, list[str]] = field(default_factory=dict)  # parameter -> further key paths given its value
    best: pd.DataFrame | None = None                      # /best: the point estimate, if written
    monthly: pd.DataFrame | None = None                   # /monthly series at the point estimate, if written

    kind = "calibration"

    @property
    def posterior(self) -> pd.DataFrame:
        """One row per sample: a column per parameter, then `weight` and `distance`."""
        df = pd.DataFrame(self.samples, columns=self.parameters)
        df["weight"], df["distance"] = self.weights, self.distances
        return df

    @property
    def ess(self) -> float:
        """Effective sample size of the weights, 1 / sum(w^2)."""
        return float(1.0 / np.sum(self.weights ** 2))

    def weighted_quantiles(self, q: float | list[float]) -> pd.DataFrame:
        """Weighted quantiles of each parameter: rows q, columns parameters."""
        qs = np.atleast_1d(np.asarray(q, dtype=float))
        return pd.DataFrame({p: weighted_quantile(self.samples[:, i], self.weights, qs)
                             for i, p in enumerate(self.parameters)}, index=pd.Index(qs, name="q"))

    def predictive_frame(self, series: str = "registered_cases") -> pd.DataFrame:
        """Posterior predictive monthly values, months x samples."""
        if series not in self.predictive or self.months is None:
            raise KeyError(f"{self.path}: no posterior predictive {series!r}")
        return pd.DataFrame(self.predictive[series].T, index=self.months)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Quantiles of weighted values, interpolating the mid-point cumulative weights
    (the ordinary sample quantiles, Hazen's rule, when the weights are equal)."""
    values, weights = np.asarray(values, float), np.asarray(weights, float)
    values, weights = values[weights > 0], weights[weights > 0]  # a zero weight must not stretch the range
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cumulative = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cumulative, v)


def _read_calibration(f: h5py.File, path: Path) -> Calibration:
    p = f["posterior"]
    parameters = [str(x) for x in _column(p["parameter"])]
    samples = _column(p["samples"], 2).astype(float)
    weights, distances = _column(p["weights"]).astype(float), _column(p["distances"]).astype(float)
    n = len(weights)
    if samples.shape != (n, len(parameters)) or len(distances) != n:
        raise ValueError(f"/posterior/samples must be [{n}, {len(parameters)}] and /posterior/distances [{n}]")
    if n == 0 or np.any(weights < 0) or weights.sum() <= 0:
        raise ValueError("/posterior/weights must be non-negative with a positive sum")
    targets = _table(f["targets"], TARGET_COLUMNS) if "targets" in f else _empty(TARGET_COLUMNS)
    if "in_fit" in targets:
        targets["in_fit"] = targets["in_fit"].astype(bool)
    trace = _table(f["trace"], TRACE_COLUMNS) if "trace" in f else _empty(TRACE_COLUMNS)
    months = _month_index(f) if "monthly/month" in f else None
    predictive = {}
    if "predictive" in f and months is not None:
        for name, d in f["predictive"].items():
            values = _column(d, 2)
            if values.shape != (n, len(months)):
                raise ValueError(f"/predictive/{name} must be [{n}, {len(months)}] [sample, month]")
            predictive[name] = values
    extra = {name: dict(zip(parameters, _column(p[name]))) for name in ("units", "path", "also") if name in p}
    return Calibration(path=path, meta=_attrs(f["meta"]), parameters=parameters, samples=samples,
                       weights=weights / weights.sum(), distances=distances, targets=targets, trace=trace,
                       months=months, predictive=predictive, units=extra.get("units", {}),
                       paths=extra.get("path", {}), also=split_also(extra.get("also", {})), best=_table(f["best"], ["parameter"]) if "best" in f else None,
                       monthly=_series_frame(f["monthly"], "month", months) if months is not None else None)


def split_also(joined: dict[str, str]) -> dict[str, list[str]]:
    """A parameter's further key paths (the calibration file's `also:`), stored comma-separated."""
    return {name: [p for p in str(text).split(",") if p] for name, text in joined.items()}


def expand_also(names: list[str], paths: list[str], samples: np.ndarray,
                also: dict[str, list[str]]) -> tuple[list[str], list[str], np.ndarray]:
    """Parameters whose value a calibration also gives to further key paths (`also:`), as one column per
    key path: the further ones named "NAME@PATH", with the same samples."""
    names, paths, columns = list(names), list(paths), [samples[:, i] for i in range(samples.shape[1])]
    for i, name in enumerate(list(names)):
        for other in also.get(name, []):
            names.append(f"{name}@{other}")
            paths.append(other)
            columns.append(samples[:, i])
    return names, paths, np.column_stack(columns) if columns else samples


def is_date_unit(units: str) -> bool:
    """Parameters that are dates are stored as days since 1970-01-01."""
    return str(units).startswith("days since 1970-01-01")


# --- opening ----------------------------------------------------------------

FraudsimFile = Union[Run, Sweep, Calibration]
_READERS = {"run": _read_run, "sweep": _read_sweep, "calibration": _read_calibration}


def file_kind(f: h5py.File, path: Path) -> str:
    """'run', 'sweep' or 'calibration', from /meta and the groups present."""
    if "meta" not in f or not isinstance(f["meta"], h5py.Group) or "version" not in f["meta"].attrs:
        raise FraudsimFileError(path, "not fraudsim output (no /meta group with a 'version' attribute)")
    if "posterior" in f:
        return "calibration"
    if "design" in f:
        return "sweep"
    if "monthly/month" in f:
        return "run"
    raise FraudsimFileError(path, "not fraudsim output (no /monthly/month dataset, /design or /posterior group)")


def open_file(path: str | os.PathLike) -> FraudsimFile:
    """Reads a run, sweep or calibration file, whichever it is."""
    path = Path(path)
    with _hdf5(path) as f:
        return _READERS[file_kind(f, path)](f, path)


def _open(path: str | os.PathLike, kind: str):
    data = open_file(path)
    if data.kind != kind:
        raise FraudsimFileError(path, f"a {data.kind} file, not a {kind} file")
    return data


def open_run(path: str | os.PathLike) -> Run:
    """Reads a run file; raises FraudsimFileError for anything else."""
    return _open(path, "run")


def open_sweep(path: str | os.PathLike) -> Sweep:
    return _open(path, "sweep")


def open_calibration(path: str | os.PathLike) -> Calibration:
    return _open(path, "calibration")
