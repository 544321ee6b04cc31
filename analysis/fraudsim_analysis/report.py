"""A self-contained HTML report of a run, sweep or calibration file: every
figure that applies, embedded as a PNG data URI, with tables of the numbers.
The page names no other file, so it can be mailed or archived on its own."""
from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path
from typing import Iterator, Union

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import plots
from .compare import compare_posterior, compare_run, load_targets
from .io import Calibration, Run, Sweep, is_date_unit, is_stock, open_file
from .paired import effects, with_percentages
from .sobol import sobol_from_sweep

# The source tree's targets file, used for runs when no other is named.
DEFAULT_TARGETS = Path(__file__).resolve().parents[2] / "scenarios" / "calibration" / "targets.yaml"
MAIN_SERIES = ["registered_cases", "victims", "losses_yuan", "cases_solved", "suspects_arrested", "recruits",
               "workers_abroad"]
_FIRST_META = ["scenario_name", "version", "git_commit", "seed", "scale", "start_date", "end_date"]
Item = Union[tuple[str, str, str, Figure], tuple[str, str, pd.DataFrame, str]]  # figure: file, caption, Figure

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; } td { text-align: right; }
th { background: #f3f3f3; text-align: left; } td.text { text-align: left; }
figure { margin: 1em 0 2em; } img { max-width: 100%; border: 1px solid #eee; }
figcaption, p.note { color: #555; font-size: 0.9em; } pre { background: #f7f7f7; padding: 1em; overflow-x: auto; }
summary { cursor: pointer; font-weight: 600; }
"""


def format_number(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if not isinstance(value, (str, list)) and pd.isna(value):  # NaN, NaT, NA: no value
        return ""
    if isinstance(value, (int, np.integer)):
        return f"{value:,}"
    if isinstance(value, (float, np.floating)):
        if abs(value) >= 1000 or float(value).is_integer():
            return f"{value:,.0f}"
        return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.3g}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _table_html(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in [df.index.name or ""] + list(df.columns))
    rows = []
    name_of_index = str if df.index.name == "year" else format_number  # 2019, not 2,019
    for index, row in df.iterrows():
        cells = [f'<th>{html.escape(name_of_index(index))}</th>']
        for value in row:
            text = format_number(value)
            numeric = isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))
            cells.append(f'<td{"" if numeric else " class=text"}>{html.escape(text)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _series_label(name: str, units: str, billions: bool) -> str:
    unit = "billion yuan" if billions else units
    return f"{plots.pretty(name)} ({unit})" if unit else plots.pretty(name)


def _readable(table: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """Columns are series: money in billions of yuan, labels with their units."""
    table = table.copy()
    labels = {}
    for c in table.columns:
        billions = units.get(c) == "yuan" and np.nanmax(np.abs(table[c].to_numpy(dtype=float))) >= 1e9
        if billions:
            table[c] = (table[c] / 1e9).round(2)
        labels[c] = _series_label(c, units.get(c, ""), billions)
    return table.rename(columns=labels)


# --- what goes into each kind of report ------------------------------------------------

def _run_items(run: Run, targets: Path | None) -> Iterator[Item]:
    if "registered_cases" in run.monthly:
        yield "figure", "registered_cases.png", "Registered cases per month; below, each intervention from its " \
                                                "start to its end, hatched while it ramps up.", \
            plots.plot_registered_cases(run)
    annual = run.annual()
    annual = annual[[c for c in MAIN_SERIES if c in annual] + [c for c in annual if c not in MAIN_SERIES]]
    table = _readable(annual, run.monthly.attrs["units"]).T
    table.index.name, table.columns.name = "series", None
    yield "table", "Annual figures", table, "Flows summed over the year; stocks (workers abroad, open cases) " \
                                            "at the year's end. Every count is a multiple of the scale."
    if targets is not None:
        wanted = load_targets(targets)
        usable = wanted[wanted["series"].isin(run.monthly.columns)]
        note = f"From {targets.name}. Year-on-year changes are fractions (-0.286 is -28.6 %)."
        if len(usable) < len(wanted):  # e.g. a file written before the series existed
            skipped = wanted.loc[~wanted.index.isin(usable.index)]
            note += " Not compared, the run has no such series: " + ", ".join(
                f"{t.id} ({t.series})" for t in skipped.itertuples()) + "."
        if not usable.empty:
            comparison = compare_run(run, usable)
            yield "figure", "targets.png", "The run beside the reported figures of the targets file (table " \
                                           "below); one panel per kind of figure and unit.", \
                plots.plot_targets(comparison, title=f"Model against the reported figures ({targets.name})",
                                   units=run.monthly.attrs["units"], note=plots.source_caption(run))
            yield "table", "Targets", comparison.drop(columns=["simulated_p05", "simulated_p95"]).set_index("id"), note
    if not run.jurisdiction_workforce.empty and run.jurisdiction_workforce.shape[1]:
        yield "figure", "workforce.png", "Workers in scam compounds by jurisdiction at the end of each month: " \
                                         "displacement shows as one band shrinking while another grows.", \
            plots.plot_workforce(run)
    if not run.events.empty:
        events = run.events.assign(year=run.events["date"].dt.year)
        yield "table", "Events per year", events.pivot_table(index="year", columns="type", values="date",
                                                             aggfunc="count", fill_value=0), \
            "Number of events of each type (the /events table)."
    if not run.laundering.empty:
        yield "figure", "laundering.png", "Money through the laundering chain, summed over the run: at each " \
                                          "hop, what was frozen, kept as commission and passed on.", \
            plots.plot_laundering(run)
    if not run.interventions.empty:
        table = run.interventions.set_index("name")
        if "enabled" in table:
            table["enabled"] = table["enabled"].astype(bool)  # yes/no, not 1/0
        yield "table", "Interventions", table, ""


def _point_labels(sweep: Sweep) -> pd.Series:
    design = sweep.design
    if "variant" in design:
        return design["variant"].astype(str)
    columns = sweep.factors or ["point"]
    text = design[columns].applymap(plots.value_text)
    return text.agg(", ".join, axis=1)


def _sweep_items(sweep: Sweep) -> Iterator[Item]:
    main = [s for s in MAIN_SERIES if s in sweep.units] or sweep.series[:5]
    n_points = sweep.design["point"].nunique() if "point" in sweep.design else len(sweep.design)
    if sweep.design_type == "saltelli":
        for series in main[:3]:
            indices = sobol_from_sweep(sweep, series)
            per_run = "value at the end" if is_stock(series, sweep.kinds) else "total over the run"
            yield "figure", f"sobol_{series}.png", f"Sobol' indices of {plots.pretty(series).lower()} ({per_run}).", \
                plots.plot_sobol(indices)
            yield "table", f"Sobol' indices of {plots.pretty(series).lower()}", indices, \
                f"Per run: {per_run}; {indices.attrs['confidence']:.0%} bootstrap intervals, N = {indices.attrs['n']:,}."
        return
    if sweep.design_type == "variants" or n_points <= 8:
        for series in main[:3]:
            yield "figure", f"counterfactuals_{series}.png", f"{plots.pretty(series)} under each variant.", \
                plots.plot_counterfactuals(sweep, series)
    if sweep.design_type == "variants":
        yield from _effect_tables(sweep, main[:3])
    if len(sweep.factors) >= 2:
        for series in main[:2]:
            yield "figure", f"surface_{series}.png", f"{plots.pretty(series)} against the first two factors.", \
                plots.plot_response_surface(sweep, series)
    totals = pd.DataFrame({s: sweep.summary(s) for s in main})
    totals["point"] = _point_labels(sweep).to_numpy()
    medians = totals.groupby("point", sort=False).median()
    medians.insert(0, "runs", totals.groupby("point", sort=False).size())
    medians.index.name = "variant" if "variant" in sweep.design else ", ".join(sweep.factors) or "point"
    note = "Median over the replicates of each point: flows summed over the whole run, stocks at its end."
    if len(medians) > 200:
        medians, note = medians.head(200), note + f" First 200 of {len(medians)} points."
    title = f"Per {'variant' if 'variant' in sweep.design else 'point'}: medians over replicates"
    yield "table", title, _readable(medians, sweep.units | {"runs": ""}), note


def _effect_tables(sweep: Sweep, series: list[str]) -> Iterator[Item]:
    for name in series:
        table = effects(sweep, name)
        shown = with_percentages(table).set_index("variant").drop(columns=["baseline_mean", "variant_mean"])
        yield "table", f"Effects on {plots.pretty(name).lower()} ({table.attrs['units']})", shown, \
            (f"Each variant against {table.attrs['baseline']}: mean of the paired differences over replicates "
             f"({'value at the window end' if table.attrs['kind'] == 'stock' else 'sum over the window'}), "
             f"absolute and relative, with the {table.attrs['interval']}. The window starts with the intervention "
             f"the variant changes.")


def _calibration_items(calibration: Calibration) -> Iterator[Item]:
    comparison = compare_posterior(calibration)
    if not comparison.empty:
        yield "figure", "targets.png", "The posterior predictive beside the reported figures (table below).", \
            plots.plot_targets(comparison, units={} if calibration.monthly is None else
                               calibration.monthly.attrs.get("units", {}), note=plots.source_caption(calibration))
    yield "figure", "posterior.png", "Posterior distribution of each calibrated parameter.", \
        plots.plot_posterior(calibration)
    if "registered_cases" in calibration.predictive:
        yield "figure", "predictive_registered_cases.png", "Registered cases per month under the posterior.", \
            plots.plot_predictive(calibration)
    q = calibration.weighted_quantiles([0.05, 0.5, 0.95]).T
    q.columns = ["5 %", "median", "95 %"]
    q.insert(0, "weighted mean", np.average(calibration.samples, axis=0, weights=calibration.weights))
    q = q.astype(object)
    for name in q.index:  # dates are stored as days since 1970-01-01
        if is_date_unit(calibration.units.get(name, "")):
            q.loc[name] = [pd.Timestamp("1970-01-01") + pd.Timedelta(days=float(v)) for v in q.loc[name]]
    if calibration.paths:
        q.insert(0, "scenario key", [calibration.paths.get(name, "") for name in q.index])
    q.index.name = "parameter"
    yield "table", "Posterior", q, f"{len(calibration.weights):,} weighted samples; effective sample size " \
                                   f"{calibration.ess:,.0f}."
    if not comparison.empty:
        yield "table", "Targets", comparison.drop(columns=["tolerance"]).set_index("id"), \
            "simulated: posterior predictive median; within_tolerance: the reported figure lies in the 5-95 % interval."
    if calibration.best is not None and not calibration.best.empty:
        yield "table", "Point estimate", calibration.best.set_index("parameter"), \
            "The best fit (its scenario is in the metadata below)."
    if not calibration.trace.empty:
        yield "table", "Trace", calibration.trace.set_index(calibration.trace.columns[0]), ""


# --- the page ---------------------------------------------------------------------------

def _meta_html(meta: dict) -> tuple[str, list[str]]:
    long = {k: v for k, v in meta.items() if isinstance(v, str) and ("\n" in v or len(v) > 120)}
    short = {k: v for k, v in meta.items() if k not in long}
    order = [k for k in _FIRST_META if k in short] + sorted(k for k in short if k not in _FIRST_META)
    table = pd.DataFrame({"value": [", ".join(map(str, short[k])) if isinstance(short[k], list) else str(short[k])
                                    for k in order]}, index=pd.Index(order, name="attribute"))
    blocks = [f"<details><summary>{html.escape('Resolved scenario' if k == 'scenario' else k)}</summary>"
              f"<pre>{html.escape(v)}</pre></details>" for k, v in sorted(long.items(), key=lambda kv: kv[0] != "scenario")]
    return _table_html(table), blocks


def report_title(data) -> str:
    """What the file is, and what was switched off in it."""
    name = data.meta.get("scenario_name") or Path(data.path).stem
    if isinstance(data, Run) and "enabled" in data.interventions:
        off = data.interventions.loc[~data.interventions["enabled"].astype(bool), "name"].tolist()
        return f"fraudsim run: {name}" + (f", without {', '.join(map(str, off))} (switched off)" if off else
                                          ", every intervention as in the scenario")
    if isinstance(data, Sweep) and "variant" in data.design:
        variants = list(dict.fromkeys(data.design["variant"].astype(str)))
        others = variants[1:]
        if others and all(v.startswith("without_") for v in others):
            return (f"fraudsim sweep: {variants[0]} and {len(others)} variant{'s' if len(others) > 1 else ''}, "
                    f"each with one intervention switched off")
        shown = ", ".join(variants[:5]) + (f" and {len(variants) - 5} more" if len(variants) > 5 else "")
        return f"fraudsim sweep of {len(variants)} variants: {shown}"
    return f"fraudsim {data.kind}: {name}"


def _figure_html(name: str, caption: str, fig: Figure, dpi: int) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'<figure id="{html.escape(name)}"><img src="data:image/png;base64,{data}" alt="{html.escape(caption)}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def write_report(path: str | os.PathLike, output: str | os.PathLike, targets: str | os.PathLike | None = None,
                 dpi: int = 110) -> Path:
    """Writes the report as one HTML file, its figures embedded; returns its path. `output` is the
    file (ending .html) or a folder (then output/index.html). `targets` (runs only): a targets file;
    default the source tree's, if there is one."""
    data = open_file(path)
    index = Path(output) if str(output).endswith(".html") else Path(output) / "index.html"
    index.parent.mkdir(parents=True, exist_ok=True)
    if data.kind == "run":
        targets = Path(targets) if targets else DEFAULT_TARGETS if DEFAULT_TARGETS.is_file() else None
        if targets is not None:
            load_targets(targets)  # a bad targets file fails before anything is drawn
        items = _run_items(data, targets)
    elif targets:
        raise ValueError(f"--targets applies to run files; {path} is a {data.kind} file")
    else:
        items = _sweep_items(data) if data.kind == "sweep" else _calibration_items(data)
    title = report_title(data)
    body = [f"<h1>{html.escape(title)}</h1>",
            f'<p class="note">{html.escape(Path(path).name)}: {html.escape(plots.source_caption(data))}</p>']
    for item in items:
        if item[0] == "figure":
            _, file_name, caption, fig = item
            body.append(_figure_html(Path(file_name).stem, caption, fig, dpi))
        else:
            _, heading, table, note = item
            body.append(f"<h2>{html.escape(heading)}</h2>" + (f'<p class="note">{html.escape(note)}</p>' if note else "")
                        + _table_html(table))
    meta_table, blocks = _meta_html(data.meta)
    body += ["<h2>Metadata</h2>", meta_table, *blocks]
    page = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")
    index.write_text(page, encoding="utf-8")
    return index
