"""Writes a calibration's point estimate into a scenario file, value by value.

    /usr/bin/python3 scripts/apply_fit.py FIT.h5 scenarios/china_2019_2024.yaml
    /usr/bin/python3 scripts/apply_fit.py OUT/history.h5 scenarios/china_2019_2024.yaml   # a history match
    /usr/bin/python3 scripts/apply_fit.py OUT/history.h5 scenarios/china_2019_2024.yaml --point PRED/point.yaml

With --point, the values are those of `predict`'s point (the posterior draw
whose simulated runs fit best) instead of the fit's own point estimate; the
intervals are the fit's either way.

Each fitted key of the scenario gets the point estimate (three significant
figures; dates as dates) and a comment "fitted (point estimate); posterior
median M, 90 %: A to B". A key inside a flow mapping ({a: 1, b: 2}) keeps its
line and gets the comment on the line above. Every other line is left as it is.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))
from fraudsim_analysis.io import open_calibration, split_also  # noqa: E402


def text(value: float, units: str) -> str:
    if units.startswith("days since"):
        return (dt.date(1970, 1, 1) + dt.timedelta(days=round(value))).isoformat()
    return f"{value:.3g}"


def find(lines: list[str], path: str) -> tuple[int, str | None]:
    """The line of a dotted key path (by indentation), and the flow-mapping key if the last part is one."""
    parts, start, indent = path.split("."), 0, -1
    for depth, part in enumerate(parts):
        for k in range(start, len(lines)):
            stripped = lines[k].lstrip()
            level = len(lines[k]) - len(stripped)
            if stripped.startswith("#") or not stripped:
                continue
            if level <= indent:
                break
            if stripped.startswith(part + ":"):
                rest = stripped[len(part) + 1:].strip()
                if depth == len(parts) - 2 and rest.startswith("{") and re.search(rf"\b{parts[-1]}:", rest):
                    return k, parts[-1]
                start, indent = k + 1, level
                if depth == len(parts) - 1:
                    return k, None
                break
        else:
            break
    raise KeyError(f"{path}: not found in the scenario")


def history_fit(path: str):
    """A history match's OUT/history.h5 (fraudsim_analysis.history) as (names, paths, units, best, quantiles);
    paths: per parameter its key path and those it also sets (`also:`)."""
    import h5py
    import numpy as np
    import pandas as pd

    from fraudsim_analysis.history import weighted_quantiles

    with h5py.File(path, "r") as f:
        names = list(f["parameters"].asstr()[()])
        also = split_also(dict(zip(names, f["also"].asstr()[()]))) if "also" in f else {}
        paths = {n: [p, *also.get(n, [])] for n, p in zip(names, f["paths"].asstr()[()])}
        units = dict(zip(names, f["units"].asstr()[()]))
        best = dict(zip(names, f["best"][()]))
        samples, weights = f["posterior/samples"][()], f["posterior/weights"][()]
    q = [0.05, 0.5, 0.95]
    quantiles = pd.DataFrame({n: weighted_quantiles(samples[:, i], weights, q) for i, n in enumerate(names)}, index=q)
    return names, paths, units, {n: float(np.asarray(v)) for n, v in best.items()}, quantiles


def calibration_fit(path: str):
    """A fraudsim calibrate file (ABC-SMC) as (names, paths, units, best, quantiles)."""
    fit = open_calibration(path)
    best = {n: float(fit.best.loc[fit.best["parameter"] == n, "number"].iloc[0]) for n in fit.parameters}
    paths = {n: [fit.paths[n], *fit.also.get(n, [])] for n in fit.parameters}
    return fit.parameters, paths, fit.units, best, fit.weighted_quantiles([0.05, 0.5, 0.95])


def point_values(point_path: str, names: list[str], paths: dict[str, list[str]], units: dict[str, str]) -> dict:
    """A predict point.yaml (scenario key path: value) as a number per parameter, in the fit's units."""
    import yaml

    point = yaml.safe_load(Path(point_path).read_text(encoding="utf-8"))
    values = {}
    for name in names:
        if paths[name][0] not in point:
            raise KeyError(f"{point_path}: no value for {paths[name][0]} (parameter {name})")
        value = point[paths[name][0]]
        if units.get(name, "").startswith("days since"):
            value = (dt.date.fromisoformat(str(value)) - dt.date(1970, 1, 1)).days
        values[name] = float(value)
    return values


def main(fit_path: str, scenario_path: str, point_path: str | None = None) -> None:
    import h5py

    with h5py.File(fit_path, "r") as f:
        is_history = "nroy_share" in f
    names, paths, units, best, quantiles = (history_fit if is_history else calibration_fit)(fit_path)
    method = "history match" if is_history else "point estimate"
    if point_path:
        best = point_values(point_path, names, paths, units)
        method += "; the posterior draw whose runs fit best"
    lines = Path(scenario_path).read_text(encoding="utf-8").splitlines()
    for name, path in ((n, p) for n in names for p in paths[n]):
        unit = units.get(name, "")
        value = best[name]
        low, median, high = (text(quantiles.loc[q, name], unit) for q in (0.05, 0.5, 0.95))
        note = f"fitted ({method}); posterior median {median}, 90 %: {low} to {high}"
        k, inner = find(lines, path)
        if inner is None:
            head, _, _comment = lines[k].partition(" #")
            key, _, _old = head.partition(":")
            lines[k] = f"{key}: {text(value, unit)}   # {note}"
        else:
            lines[k] = re.sub(rf"(\b{inner}:\s*)[^,}}]+", rf"\g<1>{text(value, unit)}", lines[k], count=1)
            indent = lines[k][:len(lines[k]) - len(lines[k].lstrip())]
            comment = f"{indent}# {path.split('.', 2)[-1]}: {note}"
            if k > 0 and lines[k - 1].strip().startswith(f"# {path.split('.', 2)[-1]}: fitted"):
                lines[k - 1] = comment
            else:
                lines.insert(k, comment)
    Path(scenario_path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote the point estimate of {len(names)} parameters into {scenario_path}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    point = None
    if "--point" in arguments:
        k = arguments.index("--point")
        if k + 1 >= len(arguments):
            sys.exit(__doc__)
        point = arguments[k + 1]
        del arguments[k:k + 2]
    if len(arguments) != 2:
        sys.exit(__doc__)
    main(arguments[0], arguments[1], point)
