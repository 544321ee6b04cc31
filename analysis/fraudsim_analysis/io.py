"""Loading a fraudsim run file (layout: docs/output.md) into pandas."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pandas as pd

# Columns of the /interventions table in reading order; any others follow.
_INTERVENTION_COLUMNS = ["name", "type", "start", "end", "enabled"]


class FraudsimFileError(Exception):
    """A file that is not readable fraudsim output; the message is one line naming the file."""

    def __init__(self, path: str | os.PathLike, what: str):
        self.path = str(path)
        self.what = " ".join(str(what).split())  # h5py messages may span lines
        super().__init__(f"{self.path}: {self.what}")


@dataclass
class Run:
    path: Path
    meta: dict[str, Any]
    daily: pd.DataFrame
    monthly: pd.DataFrame
    interventions: pd.DataFrame = field(repr=False)

    @property
    def scenario(self) -> str:
        """The scenario text the run was made from ("" if not recorded)."""
        return str(self.meta.get("scenario", ""))


def _plain(value: Any) -> Any:
    # h5py gives numpy scalars and, for some writers, bytes; callers want str/int/float.
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, np.generic):
        return value.item()
    return value


def _column(ds: h5py.Dataset) -> np.ndarray:
    if ds.ndim != 1:
        raise ValueError(f"{ds.name} is not 1-D (shape {ds.shape})")
    if h5py.check_string_dtype(ds.dtype) is not None:
        return ds.asstr()[()].astype(object)
    return ds[()]


def _series_frame(group: h5py.Group | None, axis: str, index: pd.DatetimeIndex) -> pd.DataFrame:
    data, units, descriptions = {}, {}, {}
    for name, obj in group.items() if group is not None else ():
        if name == axis or not isinstance(obj, h5py.Dataset):
            continue
        values = _column(obj)
        if len(values) != len(index):
            raise ValueError(f"{obj.name} has {len(values)} values for {len(index)} entries of {group.name}/{axis}")
        data[name] = values
        units[name] = _plain(obj.attrs.get("units", ""))
        descriptions[name] = _plain(obj.attrs.get("description", ""))
    df = pd.DataFrame(data, index=index)
    df.attrs["units"] = units
    df.attrs["descriptions"] = descriptions
    return df


def _dates(ds: h5py.Dataset, fmt: str, name: str) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(_column(ds), format=fmt), name=name)


def _table(group: h5py.Group, first: list[str]) -> pd.DataFrame:
    columns = {name: _column(obj) for name, obj in group.items() if isinstance(obj, h5py.Dataset)}
    order = [c for c in first if c in columns] + sorted(c for c in columns if c not in first)
    return pd.DataFrame({c: columns[c] for c in order})


def _interventions(f: h5py.File) -> pd.DataFrame:
    if "interventions" not in f:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _INTERVENTION_COLUMNS})
    df = _table(f["interventions"], _INTERVENTION_COLUMNS)
    # Dates are stored as text; "" (open-ended) becomes NaT.
    for c in ("start", "end"):
        if c in df:
            df[c] = pd.to_datetime(df[c].where(df[c] != ""), format="%Y-%m-%d")
    return df


def open_run(path: str | os.PathLike) -> Run:
    """Reads a whole run file; raises FraudsimFileError if it is not readable fraudsim output."""
    path = Path(path)
    if not path.is_file():
        raise FraudsimFileError(path, "no such file" if not path.exists() else "not a regular file")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        text = str(e)
        if "signature not found" in text:
            raise FraudsimFileError(path, "not an HDF5 file") from None
        if "truncated" in text:
            raise FraudsimFileError(path, "damaged HDF5 file (truncated)") from None
        raise FraudsimFileError(path, f"cannot open HDF5 file: {text}") from None
    with f:
        try:
            if "meta" not in f or "version" not in f["meta"].attrs:
                raise FraudsimFileError(path, "not fraudsim output (no /meta group with a 'version' attribute)")
            if "monthly/month" not in f:
                raise FraudsimFileError(path, "not fraudsim output (no /monthly/month dataset)")
            meta = {k: _plain(v) for k, v in f["meta"].attrs.items()}
            monthly = _series_frame(f["monthly"], "month", _dates(f["monthly/month"], "%Y-%m", "month"))
            if "daily/date" in f:
                daily = _series_frame(f["daily"], "date", _dates(f["daily/date"], "%Y-%m-%d", "date"))
            else:
                daily = _series_frame(None, "date", pd.DatetimeIndex([], name="date"))
            interventions = _interventions(f)
        except (OSError, KeyError, ValueError, TypeError, RuntimeError) as e:
            raise FraudsimFileError(path, f"damaged or malformed fraudsim file: {e}") from None
    return Run(path=path, meta=meta, daily=daily, monthly=monthly, interventions=interventions)
