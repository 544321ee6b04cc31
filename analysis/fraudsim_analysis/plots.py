"""Figures of fraudsim output, one function each.

Built on matplotlib.figure.Figure rather than pyplot, so they render with the
Agg canvas whether or not there is a display and leave no global state. Every
function takes an optional `ax` to draw into (a multi-panel figure splits the
space of the axes it is given, or takes a list of axes) and returns the
Figure. Large numbers are scaled to thousands, millions or billions, named in
the axis label.
"""
from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Mapping

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .compare import KINDS
from .io import Calibration, FraudsimFileError, Run, Sweep, is_date_unit, is_stock, weighted_quantile

PALETTE = matplotlib.colormaps["tab10"].colors
# Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision
# deficiencies; yellow last, as it is faint on white.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")
_MAGNITUDES = ((1e9, "billions", "billion"), (1e6, "millions", "million"), (1e3, "thousands", "thousand"))


# --- helpers ----------------------------------------------------------------

def _magnitude(values) -> tuple[float, str]:
    """A divisor and its word for values of this size: 40,000 -> (1000, 'thousands'); below 10,000, none."""
    values = np.asarray(values, dtype=float)
    top = np.nanmax(np.abs(values)) if values.size and np.isfinite(values).any() else 0.0
    for divisor, word, _ in _MAGNITUDES:
        if top >= max(divisor, 1e4):
            return divisor, word
    return 1.0, ""


def _short(value: float) -> str:
    """1e4 -> '10k', 2.5e6 -> '2.5M', 1e9 -> '1bn'."""
    for divisor, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= divisor:
            return f"{value / divisor:g}{suffix}"
    return f"{value:g}"


def _human(value: float) -> str:
    """2.5e6 -> '2.5 million'."""
    for divisor, _, word in _MAGNITUDES:
        if abs(value) >= divisor:
            return f"{value / divisor:,.3g} {word}"
    return f"{value:,.3g}"


def _ticks(v, _=None) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 or float(v).is_integer() else f"{v:,.3g}"


def value_text(value) -> str:
    """A factor's value for a label: 0.35, not 0.35000000000000003; dates as 2021-07-01."""
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    if isinstance(value, (float, np.floating)):
        return f"{value:g}"
    return str(value)


def pretty(series: str) -> str:
    """'losses_yuan' -> 'Losses'; 'registered_cases' -> 'Registered cases'."""
    name = series[:-5] if series.endswith("_yuan") else series
    return name.replace("_", " ").capitalize().replace("Sms ", "SMS ")


def _label(text: str, units: str, word: str) -> str:
    """'Losses per month', 'yuan', 'billions' -> 'Losses per month (billions of yuan)'."""
    inner = " of ".join(x for x in (word, "yuan" if units == "yuan" else "") if x)
    return f"{text} ({inner})" if inner else text


def _figure(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _panels(ax, n: int, figsize, ratios=None, ncols: int = 1) -> tuple[Figure, list[Axes]]:
    """n axes: a new figure, the space of one given axes split up, or the given list."""
    nrows = math.ceil(n / ncols)
    if ax is not None and not isinstance(ax, Axes):
        axes = list(ax)
        if len(axes) != n:
            raise ValueError(f"this figure needs {n} axes, got {len(axes)}")
        return axes[0].figure, axes
    if isinstance(ax, Axes) and n == 1:
        return ax.figure, [ax]
    if ax is None:
        fig = Figure(figsize=figsize, layout="constrained")
        grid = fig.add_gridspec(nrows, ncols, height_ratios=ratios)
    else:
        fig, spec = ax.figure, ax.get_subplotspec()
        ax.remove()
        grid = spec.subgridspec(nrows, ncols, height_ratios=ratios)
    return fig, [fig.add_subplot(grid[i // ncols, i % ncols]) for i in range(n)]


def _date_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _tidy(ax: Axes, grid: str = "both") -> None:
    ax.grid(True, axis=grid, alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


def source_caption(data) -> str:
    """What a figure was drawn from, for its caption: scenario, seed, scale and runs."""
    meta = data.meta
    if isinstance(data, Run) or getattr(data, "kind", None) == "run":  # a file's run, or one made in memory
        scale = meta.get("scale")
        scale_text = f"scale {scale:,} (one agent per {scale:,} people)" if isinstance(scale, (int, float)) else ""
        return ", ".join(x for x in (f"scenario {meta.get('scenario_name', '?')}", f"seed {meta.get('seed', '?')}",
                                     scale_text, "one run", f"fraudsim {meta.get('version', '?')}") if x)
    if isinstance(data, Sweep):
        scale = data.scale
        crn = "common random numbers" if meta.get("common_random_numbers") else "a seed per run"
        return ", ".join(x for x in (f"sweep seed {meta.get('seed', '?')}",
                                     f"scale {scale:,} (one agent per {scale:,} people)" if scale else "",
                                     f"{meta.get('replicates', '?')} replicates per point ({crn})",
                                     f"{len(data.design):,} runs", f"fraudsim {meta.get('version', '?')}") if x)
    return (f"calibration seed {meta.get('seed', '?')}, {len(data.weights):,} posterior samples, "
            f"fraudsim {meta.get('version', '?')}")


def caption(fig: Figure, text: str) -> None:
    """A small caption under the figure, left-aligned (kept inside by the constrained layout)."""
    width = max(40, int(fig.get_figwidth() * 15))  # characters of 8.5 pt per inch, roughly
    fig.supxlabel(textwrap.fill(text, width), x=0.01, ha="left", fontsize=8.5, color="0.3")


def _period_words(months: pd.DatetimeIndex, period) -> str:
    start, end = (months[0], months[-1]) if period is None else (pd.Timestamp(period[0]), pd.Timestamp(period[1]))
    return f"{start:%b %Y} to {end:%b %Y}"


# --- a run --------------------------------------------------------------------

def _intervention_strip(ax: Axes, interventions: pd.DataFrame, xlim) -> None:
    """One row per intervention: hatched over its ramp, solid at full strength, to its end (or the run's);
    a dashed outline for one switched off. Rows cannot pile up as start lines would."""
    rows = interventions.dropna(subset=["start"]).sort_values("start", kind="stable").reset_index(drop=True)
    left, right = xlim
    for i, row in rows.iterrows():
        color = OKABE_ITO[i % len(OKABE_ITO)]
        start = max(mdates.date2num(row["start"]), left)
        stop = right if pd.isna(row.get("end")) else min(mdates.date2num(row["end"] + pd.Timedelta(days=1)), right)
        if not bool(row.get("enabled", True)):
            ax.barh(i, stop - start, left=start, height=0.6, fill=False, edgecolor="0.35", ls="--", lw=1)
            continue
        ramp = min(mdates.date2num(row["start"]) + float(row.get("ramp_days", 0) or 0), stop) - start
        if ramp > 0:
            ax.barh(i, ramp, left=start, height=0.6, color=color, alpha=0.35, hatch="////", edgecolor=color, lw=0)
        ax.barh(i, stop - start - max(ramp, 0), left=start + max(ramp, 0), height=0.6, color=color, lw=0)
    names = [str(r["name"]).replace("_", " ") + ("" if bool(r.get("enabled", True)) else " (switched off)")
             for _, r in rows.iterrows()]
    ax.set_yticks(range(len(rows)), names, fontsize=8.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(left, right)
    ax.grid(True, axis="x", alpha=0.3)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_title("Interventions: hatched while ramping up to full strength, solid at full strength, "
                 "dashed outline if switched off", fontsize=9, loc="left", color="0.25")


def plot_registered_cases(run: Run, ax=None) -> Figure:
    """Monthly registered cases, above a strip of the interventions' windows and ramps."""
    if "registered_cases" not in run.monthly:
        raise FraudsimFileError(run.path, "no monthly series 'registered_cases'")
    divisor, word = _magnitude(run.monthly["registered_cases"])
    cases = run.monthly["registered_cases"] / divisor
    n = int(run.interventions["start"].notna().sum()) if "start" in run.interventions else 0
    own = ax is None
    if n:
        fig, (ax, strip) = _panels(ax, 2, (10, 5 + 0.3 * n), ratios=[5, 0.3 * n + 0.6])
    else:
        fig, (ax,) = _panels(ax, 1, (10, 5))
    ax.plot(cases.index, cases.to_numpy(), color="black", lw=2, marker="o", ms=3.5, zorder=3)
    if len(cases.index):
        ax.set_xlim(cases.index[0] - pd.Timedelta(days=15), cases.index[-1] + pd.Timedelta(days=15))
    top = float(cases.max()) if len(cases) else 0.0
    ax.set_ylim(0, top * 1.05 if top > 0 else 1.0)
    _date_axis(ax)
    ax.yaxis.set_major_formatter(FuncFormatter(_ticks))
    ax.set_ylabel(_label("Registered cases per month", "cases", word))
    ax.set_title("Registered fraud cases per month", fontsize=13, loc="left")
    _tidy(ax)
    if n:
        _intervention_strip(strip, run.interventions, ax.get_xlim())
        _date_axis(strip)
        ax.tick_params(labelbottom=False)
    if own:
        caption(fig, source_caption(run))
    return fig


def _event_strip(ax: Axes, events: pd.DataFrame, colors: dict, xlim) -> None:
    """One row per kind of event; a marker per month and jurisdiction, its area the number of events."""
    kinds = sorted(events["type"].unique())
    month = events["date"].dt.to_period("M").dt.to_timestamp()
    counts = events.assign(month=month, where=events["jurisdiction"].fillna("")) \
        .groupby(["type", "where", "month"]).size().reset_index(name="n")
    order = {j: i for i, j in enumerate(colors)}
    lanes = max(len(colors), 1)
    offset = counts["where"].map(lambda j: ((order.get(j, lanes - 1) + 0.5) / lanes - 0.5) * 0.7)
    ax.scatter(counts["month"], counts["type"].map(kinds.index) + offset, s=10 + 14 * counts["n"],
               c=[colors.get(j, "0.6") for j in counts["where"]], edgecolor="black", lw=0.3, zorder=3)
    ax.set_yticks(range(len(kinds)), [k.replace("_", " ") for k in kinds], fontsize=8.5)
    ax.set_ylim(len(kinds) - 0.5, -0.5)
    ax.set_xlim(*xlim)
    ax.tick_params(labelbottom=False, length=0)
    ax.grid(True, axis="x", alpha=0.3)
    for y in np.arange(len(kinds) - 1) + 0.5:
        ax.axhline(y, color="0.85", lw=0.6)
    ax.spines[["top", "right", "left"]].set_visible(False)


def plot_workforce(run: Run, ax=None) -> Figure:
    """Workers in scam compounds by jurisdiction, stacked, so that displacement shows as one band
    shrinking while another grows; above it, the run's events (raids, relocations, arrests, ...) per
    month, in the colour of their jurisdiction."""
    workforce = run.jurisdiction_workforce
    if workforce.empty or workforce.shape[1] == 0:
        raise FraudsimFileError(run.path, "no compound workforce (/jurisdictions or /compounds): written by an "
                                          "older fraudsim")
    events = run.events.dropna(subset=["date"])
    own = ax is None
    if events.empty:
        fig, (ax,) = _panels(ax, 1, (11, 6))
    else:
        n_kinds = events["type"].nunique()
        fig, (strip, ax) = _panels(ax, 2, (11, 6 + 0.28 * n_kinds), ratios=[0.3 * n_kinds + 0.4, 5])
    divisor, word = _magnitude(workforce.sum(axis=1))
    colors = {j: PALETTE[i % len(PALETTE)] for i, j in enumerate(workforce.columns)}
    ax.stackplot(workforce.index, (workforce / divisor).to_numpy().T, colors=[colors[j] for j in workforce.columns],
                 labels=[str(j).replace("_", " ").title() for j in workforce.columns], alpha=0.85, lw=0.3,
                 edgecolor="white")
    top = float(workforce.sum(axis=1).max()) / divisor
    ax.set_ylim(0, top * 1.05 if top > 0 else 1)
    ax.set_xlim(workforce.index[0], workforce.index[-1])
    handles, labels = ax.get_legend_handles_labels()
    legend = ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False,
                       fontsize=9, title="Jurisdiction", title_fontsize=9)
    legend.set_alignment("left")
    _date_axis(ax)
    ax.yaxis.set_major_formatter(FuncFormatter(_ticks))
    ax.set_ylabel(_label("Workers in compounds at month end", "people", word))
    _tidy(ax, "y")
    title = "Compound workforce by jurisdiction"
    if events.empty:
        ax.set_title(title, fontsize=13, loc="left")
    else:
        _event_strip(strip, events, colors, ax.get_xlim())
        strip.set_title(f"{title}, and events\nevents per month: marker area grows with their number, colour "
                        f"is the jurisdiction", fontsize=11, loc="left")
    if own:
        caption(fig, source_caption(run))
    return fig


def plot_laundering(run: Run, ax: Axes | None = None) -> Figure:
    """Money through the laundering chain over the whole run: at each hop, what was
    frozen, taken as commission and passed on to the next hop."""
    laundering = run.laundering
    if laundering.empty:
        raise FraudsimFileError(run.path, "no /laundering group: written by an older fraudsim")
    totals = laundering.groupby("hop", observed=True, sort=True).sum(numeric_only=True)
    parts = [("frozen_yuan", "frozen", "#c0392b"), ("commission_yuan", "commission", "#e69f00"),
             ("passed_yuan", "passed on", "#4d7ea8")]
    entered = totals["entered_yuan"] if "entered_yuan" in totals else totals[[p for p, _, _ in parts]].sum(axis=1)
    divisor, word = 1e9, "billions"
    own = ax is None
    fig, ax = _figure(ax, (10, 6))
    x, bottom = np.arange(len(totals)), np.zeros(len(totals))
    for column, label, color in parts:
        values = totals[column].to_numpy() / divisor
        ax.bar(x, values, bottom=bottom, color=color, label=label, width=0.65, edgecolor="white", lw=0.5)
        bottom += values
    shares = totals["frozen_yuan"] / entered.where(entered > 0)
    for xi, height, share in zip(x, bottom, shares):
        if np.isfinite(share):
            ax.annotate(f"{share:.1%} frozen", (xi, height), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=9)
    names = [str(h).replace("_", " ") for h in totals.index]
    if "traced" in totals:
        unit = laundering.attrs.get("units", {}).get("traced", "")
        names = [f"{n}\n{int(t):,} {unit} traced".replace("  ", " ") for n, t in zip(names, totals["traced"])]
    ax.set_xticks(x, names, fontsize=9)
    ax.set_xlabel("Hop of the chain, from the victim's payment onwards")
    ax.set_ylim(0, bottom.max() * 1.12 if bottom.max() > 0 else 1)
    ax.yaxis.set_major_formatter(FuncFormatter(_ticks))
    ax.set_ylabel(_label("Money reaching the hop, whole run", "yuan", word))
    months = laundering["month"]
    ax.set_title(f"Money through the laundering chain, {months.min():%b %Y} to {months.max():%b %Y}",
                 fontsize=13, loc="left")
    _tidy(ax, "y")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper right", frameon=False)
    if own:
        caption(fig, source_caption(run))
    return fig


# --- comparisons with the reported figures ---------------------------------------

_TARGET_AXES = {"year_on_year_change": "change on the same months a year earlier (%)",
                "months_below_year_before": "months", "run_below_year_before": "months",
                "share": "share of the series (%)"}
_KIND_TITLES = {
    "level": "Total over the period",
    "year_on_year_change": "Change on the same months a year earlier",
    "months_below_year_before": "Months below the same month a year earlier",
    "run_below_year_before": "Consecutive months below the same month a year earlier",
    "share": "Share of a series by script or age band",
}


def _target_panels(comparison: pd.DataFrame, units: Mapping[str, str]) -> list[tuple[str, str, pd.DataFrame]]:
    """(kind, unit, rows) per panel: levels split by the units of their series, so that cases, calls
    and yuan never share an axis; changes and counts of months share theirs."""
    panels = []
    for kind in [k for k in KINDS if (comparison["kind"] == k).any()]:
        rows = comparison[comparison["kind"] == kind]
        if kind != "level":
            panels.append((kind, "%" if kind in ("year_on_year_change", "share") else "months",
                           rows.reset_index(drop=True)))
            continue
        unit = rows["series"].map(lambda name: units.get(name) or ("yuan" if name.endswith("_yuan") else "count"))
        for u in dict.fromkeys(unit):
            panels.append((kind, u, rows[unit == u].reset_index(drop=True)))
    return panels


def plot_targets(comparison: pd.DataFrame, ax=None, title: str | None = None,
                 units: Mapping[str, str] | None = None, note: str | None = None) -> Figure:
    """The reported figures beside the model's (a table from compare_run or compare_posterior):
    one panel per kind of target and, for levels, per unit (`units`: series -> units, as in the
    file; default from the name: '_yuan' is yuan, else a count); the 5-95 % interval is drawn
    when the table has one. `note`: a caption (what the model's figures were drawn from)."""
    if comparison.empty:
        raise ValueError("no targets to plot")
    panels = _target_panels(comparison, units or {})
    counts = [len(rows) for _, _, rows in panels]
    fig, axes = _panels(ax, len(panels), (10, 1.8 + 0.45 * sum(counts) + 1.1 * len(panels)),
                        ratios=[c + 1.7 for c in counts])
    status_colors = {True: "#009E73", False: "#D55E00", None: "0.45"}
    for ax, (kind, unit, rows) in zip(axes, panels):
        y = np.arange(len(rows))[::-1].astype(float)
        factor = 100.0 if kind in ("year_on_year_change", "share") else 1.0
        nan = pd.Series(np.nan, index=rows.index)
        reported, simulated = rows["reported"] * factor, rows["simulated"] * factor
        tolerance = rows.get("tolerance", nan) * factor
        p05, p95 = rows.get("simulated_p05", nan) * factor, rows.get("simulated_p95", nan) * factor
        low, high = reported - tolerance, reported + tolerance
        values = pd.concat([reported, simulated, p05, p95]).dropna()
        positive = values[values > 0]
        log = kind == "level" and len(positive) > 0 and positive.max() / positive.min() > 20
        if log:  # levels of different series span decades; zeros sit at the left edge
            left = positive.min() / 3
            reported, simulated, p05, p95, low, high = (v.clip(lower=left) for v in
                                                         (reported, simulated, p05, p95, low, high))
            ax.set_xscale("log")
            ax.set_xlim(left, positive.max() * 3)
        has_tol = tolerance.notna()
        ax.barh(y[has_tol], (high - low)[has_tol], left=low[has_tol], height=0.55, color="0.88", zorder=1)
        if p05.notna().any():
            ax.hlines(y, p05, p95, color="0.3", lw=2.2, zorder=2)
        within = [None if pd.isna(w) else bool(w) for w in rows.get("within_tolerance", [None] * len(rows))]
        ax.scatter(simulated, y, s=55, zorder=3, c=[status_colors[w] for w in within], edgecolor="black", lw=0.5,
                   clip_on=False)
        ax.scatter(reported, y, marker="|", s=400, lw=2.5, color="black", zorder=4)
        fitted = rows["in_fit"] if "in_fit" in rows else pd.Series(True, index=rows.index)
        ax.set_yticks(y, [f"{r.id}{'' if fit else ' (not fitted)'}\n{r.series.replace('_', ' ')}, {r.period}"
                          for r, fit in zip(rows.itertuples(), fitted)], fontsize=8.5)
        ax.set_ylim(y.min() - 0.7, y.max() + 0.7)
        if kind == "level":
            # Decades on a log axis: short labels (10k, 1M, 1bn) so that neighbours do not touch.
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _short(v)))
            # Model over reported, readable whatever the scale of the row.
            ax.annotate("model /\nreported", (1.0, 1.0), xycoords="axes fraction", xytext=(4, 0),
                        textcoords="offset points", va="bottom", fontsize=8, color="0.3")
            for yi, s, r in zip(y, rows["simulated"], rows["reported"]):
                if np.isfinite(s) and r:
                    ax.annotate(f"{s / r:.3g}", (1.0, yi), xycoords=("axes fraction", "data"), xytext=(4, 0),
                                textcoords="offset points", va="center", fontsize=8.5, color="0.3")
        elif kind == "year_on_year_change":
            ax.axvline(0, color="0.6", lw=0.8, zorder=0)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:+.0f} %" if v else "0"))
        elif kind == "share":
            ax.set_xlim(0, 100)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f} %"))
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlim(-0.5, max(12.0, np.nanmax(pd.concat([reported, simulated]).to_numpy())) + 0.5)
        ax.set_xlabel(_TARGET_AXES.get(kind, unit) if kind != "level" else
                      f"{unit} over the period" + (" (log scale)" if log else ""), fontsize=9)
        ax.set_title(_KIND_TITLES[kind] + (f": {unit}" if kind == "level" else ""), fontsize=11, loc="left")
        _tidy(ax, "x")
    interval = "simulated_p05" in comparison and comparison["simulated_p05"].notna().any()
    dot = {w: Line2D([], [], ls="", marker="o", mfc=c, mec="black") for w, c in status_colors.items()}
    legend = [(Line2D([], [], ls="", marker="|", ms=14, mew=2.5, color="black"), "reported")]
    if "tolerance" in comparison and comparison["tolerance"].notna().any():
        legend.append((Patch(color="0.88"), "reported \u00b1 tolerance"))
    if interval:
        legend += [(Line2D([], [], color="0.3", lw=2.2), "model: 5-95 % posterior predictive interval"),
                   (dot[True], "model (median): reported inside the interval"),
                   (dot[False], "model (median): reported outside the interval")]
    else:
        legend += [(dot[True], "model: within tolerance"), (dot[False], "model: outside tolerance")]
        if comparison.get("within_tolerance", pd.Series([pd.NA])).isna().any():
            legend.append((dot[None], "model: no tolerance given"))
    handles, labels = zip(*legend)
    axes[-1].legend(handles, labels, loc="upper left", bbox_to_anchor=(0, -0.3 if len(axes) else 0), ncol=2,
                    frameon=False, fontsize=9)
    if ax is None or isinstance(ax, Axes):  # not when drawing into someone else's list of axes
        fig.suptitle(title or "Model against the reported figures", fontsize=13, x=0.01, ha="left")
        if note:
            caption(fig, note)
    return fig


# --- sweeps and calibrations ---------------------------------------------------------

def _groups(source, series: str) -> tuple[pd.DatetimeIndex, dict[str, np.ndarray], str, bool]:
    """Months, label -> values [replicate, month], units and whether it is a stock, from a sweep or from runs."""
    if isinstance(source, Sweep):
        values, design = source.array(series), source.design
        if "variant" in design:
            keys = design["variant"].astype(str)
        else:
            columns = source.factors or ["point"]
            keys = design[columns].apply(lambda r: ", ".join(f"{c.split('.')[-1]}={value_text(v)}"
                                                             for c, v in r.items()), axis=1)
        groups = {k: values[(keys == k).to_numpy()] for k in dict.fromkeys(keys)}
        return source.months, groups, source.units.get(series, ""), is_stock(series, source.kinds)
    if not isinstance(source, Mapping) or not source:
        raise TypeError("expected a Sweep or a mapping of label -> Run (or list of Runs)")
    groups, months, units, stock = {}, None, "", False
    for label, runs in source.items():
        runs = [runs] if getattr(runs, "kind", None) == "run" else list(runs)  # a file's Run, or fraudsim.Run
        for run in runs:
            if series not in run.monthly:
                raise FraudsimFileError(run.path, f"no monthly series {series!r}")
        frame = pd.concat([r.monthly[series] for r in runs], axis=1)  # aligned on the months
        months = frame.index if months is None else months.union(frame.index)
        groups[str(label)] = frame
        units = runs[0].monthly.attrs["units"].get(series, "")
        stock = is_stock(series, runs[0].monthly.attrs.get("kinds", {}))
    return months, {k: v.reindex(months).to_numpy().T for k, v in groups.items()}, units, stock


def _quantiles(values: np.ndarray, q, weights: np.ndarray | None) -> np.ndarray:
    """Quantiles (fractions) over axis 0, weighted when weights are given."""
    if weights is None:
        return np.nanquantile(values, q, axis=0)
    return np.array([weighted_quantile(column, weights, np.atleast_1d(q)) for column in values.T]).T.squeeze()


def _bands(ax: Axes, months, groups: dict[str, np.ndarray], baseline: str | None, band, series: str,
           units: str, stock: bool, weights: np.ndarray | None = None, divisor: float | None = None,
           colors=None, notes: Mapping[str, str] | None = None) -> dict[str, str]:
    """Median line and band per group, the baseline in black on top; returns each group's label.
    Bands are light fills with an outline in their colour, so that where two overlap both edges
    stay visible instead of the fills blending into a third colour. `notes`: text after a label."""
    word = ""
    if divisor is None:
        divisor, word = _magnitude(np.concatenate([g.ravel() for g in groups.values()]))
    else:
        word = next((w for d, w, _ in _MAGNITUDES if d == divisor), "")
    colors = colors or itertools.cycle(OKABE_ITO)
    labels = {}
    for label, values in sorted(groups.items(), key=lambda kv: kv[0] == baseline):  # baseline drawn last
        values = values / divisor
        is_base = label == baseline
        color = "black" if is_base else next(colors)
        words = (["baseline"] if is_base else []) + ([f"{len(values)} runs"] if len(values) > 1 else [])
        text = label.replace("_", " ") + (f" ({', '.join(words)})" if words else "")
        if notes and label in notes:
            text += ": " + notes[label]
        if len(values) > 1:
            low, high = _quantiles(values, [band[0] / 100, band[1] / 100], weights)
            ax.fill_between(months, low, high, color=color, alpha=0.10 if is_base else 0.14, lw=0)
            for edge in (low, high):
                ax.plot(months, edge, color=color, lw=0.7, ls=":" if is_base else "--", alpha=0.9)
        width = matplotlib.rcParams["lines.linewidth"] * (1.7 if is_base else 1.2)  # follows rc_context
        ax.plot(months, _quantiles(values, 0.5, weights), color=color, lw=width, label=text, zorder=4 if is_base else 3)
        labels[label] = text
    ax.set_xlim(months[0], months[-1])
    ax.set_ylim(bottom=0)
    _date_axis(ax)
    ax.yaxis.set_major_formatter(FuncFormatter(_ticks))
    ax.set_ylabel(_label(pretty(series) + (" at the end of the month" if stock else " per month"), units, word))
    _tidy(ax)
    return labels


def _change(values: np.ndarray, baseline: np.ndarray, stock: bool) -> str:
    """How far a variant's median total (a stock: its final value) lies from the baseline's, for
    groups that are not paired replicates (points of a grid)."""
    def total(v):
        return np.nanmedian(v[:, -1] if stock else np.nansum(v, axis=1))
    base = total(baseline)
    if not base:
        return "baseline is 0"
    return f"{100 * (total(values) / base - 1):+.0f} % {'at the end' if stock else 'over the run'}"


def _effect_notes(source, series: str, groups: dict, baseline: str, stock: bool) -> tuple[dict, dict]:
    """Each variant's effect with its 90 % interval over its window (paired replicates), and the windows'
    first months; for sources that are not variants, the change of the medians over the run."""
    from .paired import effect_text, effects

    if isinstance(source, Mapping) or (isinstance(source, Sweep) and "variant" in source.design):
        table = effects(source, series, baseline=baseline).set_index("variant")
        return {k: effect_text(r) for k, r in table.iterrows()}, table["window_from"].to_dict()
    return {k: _change(v, groups[baseline], stock) for k, v in groups.items() if k != baseline}, {}


def _shade_window(ax: Axes, start, months, named: bool = True) -> None:
    ax.axvspan(start, months[-1], color="0.93", lw=0, zorder=0)
    if named:
        ax.annotate("effect window", (start, 0), xycoords=("data", "axes fraction"), xytext=(3, 3),
                    textcoords="offset points", va="bottom", fontsize=8, color="0.4")


def plot_counterfactuals(source, series: str = "registered_cases", baseline: str | None = None,
                         ax=None, band: tuple[float, float] = (5, 95), panels: bool | None = None) -> Figure:
    """A series under each variant: the median over replicates and the 5-95 % band.

    `source` is a variants Sweep (one curve per variant; any other sweep gives one
    per design point) or a mapping of label -> Run or list of Runs (replicates).
    `baseline` (default: the variant called 'baseline' or 'reference', else the
    first) is drawn in black. Every other label gives its effect against the
    baseline with a 90 % interval from paired replicates (see paired.effects),
    over the window shaded grey, from the start of the intervention it changes.
    With more than four variants besides the baseline (or `panels=True`) each
    gets its own small panel beside the baseline, ordered by effect, on a shared scale."""
    months, groups, units, stock = _groups(source, series)
    if baseline is None:
        baseline = next((k for k in groups if k.lower() in ("baseline", "reference")), next(iter(groups)))
    elif baseline not in groups:
        raise ValueError(f"baseline {baseline!r} is not one of {', '.join(groups)}")
    notes, windows = _effect_notes(source, series, groups, baseline, stock)
    replicates = max(len(g) for g in groups.values())
    what = f"median and {band[0]:g}-{band[1]:g} % range over replicates" if replicates > 1 else "one run each"
    others = [k for k in groups if k != baseline]
    own = ax is None
    if not (len(others) > 4 if panels is None else panels):
        fig, ax = _figure(ax, (10, 6))
        if len(set(windows.values())) == 1:
            _shade_window(ax, next(iter(windows.values())), months)
        _bands(ax, months, groups, baseline, band, series, units, stock, notes=notes)
        ax.set_title(f"{pretty(series)}: counterfactuals ({what})", fontsize=13, loc="left")
        legend = ax.legend(loc="best", frameon=False, fontsize="small", title_fontsize="small",
                           title="effect: mean [90 % interval] over the grey window" if windows else None)
        legend.set_alignment("left")
    else:
        fig = _variant_panels(ax, months, groups, baseline, others, band, series, units, stock, notes, windows)
        if own or isinstance(ax, Axes):
            fig.suptitle(f"{pretty(series)}: each variant (blue) against {baseline.replace('_', ' ')} (black)\n"
                         f"{what}; effect: mean [90 % interval], grey window", fontsize=11, x=0.01, ha="left")
    if own and isinstance(source, Sweep):
        caption(fig, source_caption(source))
    return fig


def _variant_panels(ax, months, groups, baseline, others, band, series, units, stock, notes, windows) -> Figure:
    def total(k):
        return np.nanmedian(groups[k][:, -1] if stock else np.nansum(groups[k], axis=1))
    others = sorted(others, key=total, reverse=True)
    ncols = min(4, math.ceil(math.sqrt(len(others))))
    nrows = math.ceil(len(others) / ncols)
    fig, axes = _panels(ax, len(others), (max(7.0, 3.6 * ncols), 2.7 * nrows + 1.4), ncols=ncols)
    divisor, _ = _magnitude(np.concatenate([g.ravel() for g in groups.values()]))
    top = max(np.nanmax(g) for g in groups.values()) / divisor * 1.05
    for i, (panel, other) in enumerate(zip(axes, others)):
        if other in windows:
            _shade_window(panel, windows[other], months, named=False)
        _bands(panel, months, {baseline: groups[baseline], other: groups[other]}, baseline, band, series, units,
               stock, divisor=divisor, colors=itertools.repeat(OKABE_ITO[0]))
        note = notes.get(other, "").replace(" (", "\n(")  # narrow panels: the verdict on a line of its own
        panel.set_title(f"{other.replace('_', ' ')}\n{note}", fontsize=8.5, loc="left")
        panel.set_ylim(0, top)
        if i % ncols:
            panel.set_ylabel("")
            panel.tick_params(labelleft=False)
        elif i // ncols != nrows // 2:
            panel.set_ylabel("")
        if i + ncols < len(others):
            panel.tick_params(labelbottom=False)
    return fig


def plot_response_surface(sweep: Sweep, series: str = "registered_cases", x: str | None = None,
                          y: str | None = None, period: tuple[str, str] | None = None, how: str | None = None,
                          ax: Axes | None = None) -> Figure:
    """A series summarised per run over `period` (see Sweep.summary), averaged over the replicates
    of each point, against two factors: a heat map for a grid, filled contours for scattered designs."""
    factors = sweep.factors
    x, y = x or (factors[0] if factors else None), y or (factors[1] if len(factors) > 1 else None)
    if x is None or y is None or x not in sweep.design or y not in sweep.design:
        raise FraudsimFileError(sweep.path, f"a response surface needs two factors of the design (have: {factors})")
    value = sweep.summary(series, period, how)
    mean = pd.DataFrame({x: sweep.design[x].to_numpy(), y: sweep.design[y].to_numpy(),
                         "value": value.to_numpy(dtype=float)}).groupby([x, y])["value"].mean()
    divisor, word = _magnitude(mean)
    table = (mean / divisor).unstack(x)  # rows y, columns x
    own = ax is None
    fig, ax = _figure(ax, (8, 6.5))
    if table.notna().all().all() and max(table.shape) <= 25:
        mesh = ax.pcolormesh(np.arange(table.shape[1] + 1) - 0.5, np.arange(table.shape[0] + 1) - 0.5,
                             table.to_numpy(), cmap="viridis", shading="flat")
        ax.set_xticks(range(table.shape[1]), [value_text(v) for v in table.columns])
        ax.set_yticks(range(table.shape[0]), [value_text(v) for v in table.index])
        middle = np.nanmean([np.nanmin(table.to_numpy()), np.nanmax(table.to_numpy())])
        if table.size <= 150:
            for (i, j), v in np.ndenumerate(table.to_numpy()):
                ax.text(j, i, _ticks(float(f"{v:.3g}")), ha="center", va="center", fontsize=9,
                        color="black" if v > middle else "white")
    else:
        points = mean.reset_index()
        for column, axis in ((x, ax.xaxis), (y, ax.yaxis)):  # dates as matplotlib date numbers
            if pd.api.types.is_datetime64_any_dtype(points[column]):
                points[column] = mdates.date2num(points[column])
                axis.set_major_locator(mdates.AutoDateLocator(maxticks=6))
                axis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        mesh = ax.tricontourf(points[x], points[y], points["value"] / divisor, levels=12, cmap="viridis")
        ax.scatter(points[x], points[y], s=6, color="white", edgecolor="black", lw=0.3)
    how = how or ("last" if is_stock(series, sweep.kinds) else "sum")
    end = sweep.months[-1] if period is None else pd.Timestamp(period[1])
    what = {"sum": f"total, {_period_words(sweep.months, period)}",
            "mean": f"monthly mean, {_period_words(sweep.months, period)}", "last": f"at the end of {end:%b %Y}"}[how]
    fig.colorbar(mesh, ax=ax, label=_label(pretty(series), sweep.units.get(series, ""), word),
                 format=FuncFormatter(_ticks))
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    runs = int(sweep.design.groupby([x, y]).size().max())
    replicates = int(sweep.design.groupby("point").size().max()) if "point" in sweep.design else runs
    averaged = (f"mean over {replicates} replicate{'s' if replicates > 1 else ''} per point" if runs == replicates
                else f"mean over the runs at each pair of values (up to {runs}); other factors vary")
    ax.set_title(f"{pretty(series)}, {what}\n{averaged}", fontsize=12, loc="left")
    if own:
        caption(fig, source_caption(sweep))
    return fig


def plot_sobol(indices: pd.DataFrame, ax: Axes | None = None, title: str | None = None) -> Figure:
    """First-order (S1) and total (ST) Sobol' indices per factor with their bootstrap intervals
    (a table from sobol_indices or sobol_from_sweep)."""
    fig, ax = _figure(ax, (9, 1.6 + 0.7 * len(indices)))
    y = np.arange(len(indices))[::-1]
    for offset, kind, label, color in ((0.18, "S1", "first order, S1", "#4d7ea8"),
                                       (-0.18, "ST", "total, ST", "#c0392b")):
        values = indices[kind].to_numpy()
        error = np.abs(np.array([values - indices[f"{kind}_low"], indices[f"{kind}_high"] - values]))
        ax.barh(y + offset, values, height=0.34, color=color, label=label, xerr=error,
                error_kw=dict(ecolor="black", lw=1, capsize=3))
    ax.set_yticks(y, list(indices.index), fontsize=9)
    ax.axvline(0, color="black", lw=0.8)
    low = min(0.0, float(indices[["S1_low", "ST_low"]].min().min()))
    ax.set_xlim(low - 0.05, max(1.0, float(indices[["S1_high", "ST_high"]].max().max())) + 0.05)
    ax.set_xlabel("Share of the output's variance")
    confidence = indices.attrs.get("confidence", 0.95)
    where = f" of {pretty(indices.attrs['series']).lower()}" if "series" in indices.attrs else ""
    n = f", N = {indices.attrs['n']:,}" if "n" in indices.attrs else ""
    ax.set_title(title or f"Sobol' sensitivity indices{where}\n"
                          f"bars: estimate; whiskers: {confidence:.0%} bootstrap interval{n}", fontsize=12, loc="left")
    ax.legend(loc="best", frameon=False)
    _tidy(ax, "x")
    return fig


def plot_posterior(calibration: Calibration, ax=None) -> Figure:
    """Weighted histogram of each parameter's posterior, with its median and 5-95 % interval."""
    parameters = calibration.parameters
    ncols = min(3, len(parameters))
    fig, axes = _panels(ax, len(parameters), (max(7.5, 4 * ncols), 3.2 * math.ceil(len(parameters) / ncols) + 1.0),
                        ncols=ncols)
    quantiles = calibration.weighted_quantiles([0.05, 0.5, 0.95])
    for ax, (i, name) in zip(axes, enumerate(parameters)):
        ax.hist(calibration.samples[:, i], bins=30, weights=calibration.weights, color="#4d7ea8", alpha=0.8)
        q05, q50, q95 = quantiles[name]
        ax.axvline(q50, color="black", lw=1.8)
        for q in (q05, q95):
            ax.axvline(q, color="black", lw=1, ls="--")
        key = calibration.paths.get(name, name)
        path, _, last = key.rpartition(".")
        title = last if name in (key, last) else f"{name}: {last}"
        ax.set_title(f"{title}\n{path}" if path else title, fontsize=9.5, loc="left")
        ax.set_yticks([])
        if is_date_unit(calibration.units.get(name, "")):  # days since 1970-01-01: matplotlib's own date numbers
            ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=5))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
            text = [f"{mdates.num2date(q):%d %b %Y}" for q in (q50, q05, q95)]
        else:
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.xaxis.set_major_formatter(FuncFormatter(_ticks))
            text = [f"{q:.3g}" for q in (q50, q05, q95)]
        ax.set_xlabel(f"median {text[0]}; 90 % interval {text[1]} to {text[2]}", fontsize=9)
        ax.spines[["top", "right", "left"]].set_visible(False)
    if ax is None or isinstance(ax, Axes):
        fig.suptitle(f"Posterior of the calibrated parameters ({len(calibration.weights):,} weighted samples, "
                     f"effective {calibration.ess:,.0f})\nsolid line: median; dashed: 5 % and 95 %",
                     fontsize=11, x=0.01, ha="left")
        caption(fig, source_caption(calibration))
    return fig


def plot_predictive(calibration: Calibration, series: str = "registered_cases", ax: Axes | None = None) -> Figure:
    """The posterior predictive of a monthly series: median and 5-95 % band over the samples."""
    frame = calibration.predictive_frame(series)
    own = ax is None
    fig, ax = _figure(ax, (10, 5.5))
    _bands(ax, frame.index, {"posterior predictive": frame.to_numpy().T}, None, (5, 95), series, "",
           is_stock(series, {} if calibration.monthly is None else calibration.monthly.attrs.get("kinds", {})),
           weights=calibration.weights)
    if calibration.monthly is not None and series in calibration.monthly:  # the point estimate
        divisor, _ = _magnitude(frame.to_numpy())
        best = calibration.monthly[series] / divisor
        ax.plot(best.index, best, color="black", lw=1.4, ls="--", label="point estimate (best fit)", zorder=5)
        ax.set_ylim(0, max(ax.get_ylim()[1], float(best.max()) * 1.05))
    _mark_reported_changes(ax, calibration.targets, series)
    ax.set_title(f"{pretty(series)}: posterior predictive, weighted median and 5-95 % band over "
                 f"{frame.shape[1]:,} samples", fontsize=12, loc="left")
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    if own:
        caption(fig, source_caption(calibration))
    return fig


def plot_forecast(sweep: Sweep, series: str, weights: np.ndarray, targets: pd.DataFrame | None,
                  fitted_end: pd.Timestamp, window: tuple[pd.Timestamp, pd.Timestamp], ax: Axes | None = None) -> Figure:
    """A posterior predictive sweep's monthly series (`predict`): weighted median and 5-95 % band over the
    runs, the reported single-month levels of the series, the end of the fitted period and the forecast window."""
    own = ax is None
    fig, ax = _figure(ax, (10, 5.5))
    values = sweep.array(series).astype(float)
    divisor, _ = _magnitude(values)
    ax.axvspan(window[0], window[1], color="0.88", alpha=0.6, lw=0, zorder=0,
               label=f"forecast window ({_period_words(sweep.months, window)})")
    _bands(ax, sweep.months, {"posterior predictive": values}, None, (5, 95), series, sweep.units.get(series, ""),
           is_stock(series, sweep.kinds), weights=weights, divisor=divisor)
    ax.axvline(fitted_end, color="0.25", lw=1.2, ls="--", label=f"end of the fitted period ({fitted_end:%Y-%m})")
    if targets is not None:
        single = targets[(targets["series"] == series) & (targets["kind"] == "level")
                         & (targets["period_from"] == targets["period_to"])]
        for k, (_, t) in enumerate(single.iterrows()):
            marker = {"lower": "^", "upper": "v"}.get(t["bound"], "o")
            error = None if t["bound"] or not np.isfinite(t["tolerance"]) else t["tolerance"] / divisor
            ax.errorbar(t["period_from"].to_timestamp(), t["reported"] / divisor, yerr=error, fmt=marker,
                        color=OKABE_ITO[1], ms=7, capsize=3, zorder=6,
                        label="reported (one month; bar: tolerance)" if k == 0 else None)
        if len(single):
            ax.set_ylim(top=max(ax.get_ylim()[1], float((single["reported"] / divisor).max()) * 1.1))
    draws = sweep.design["variant"].nunique()
    ax.set_title(f"{pretty(series)}: posterior predictive, weighted median and 5-95 % band over {len(values):,} "
                 f"runs ({draws:,} posterior draws)", fontsize=12, loc="left")
    ax.legend(loc="upper right", frameon=False, fontsize=9)
    if own:
        caption(fig, source_caption(sweep))
    return fig


def _mark_reported_changes(ax: Axes, targets: pd.DataFrame, series: str) -> None:
    """Shades the period of each reported change of the series (a year-on-year
    change, or a count of months below the year before) and writes the reported
    figure beside the fit's median and 90 % interval (out-of-sample ones say so)."""
    if targets is None or targets.empty:
        return
    kinds = {"year_on_year_change", "months_below_year_before", "run_below_year_before"}
    chosen = targets[(targets["series"] == series) & targets["kind"].isin(kinds)]
    top = ax.get_ylim()[1]
    rows = min(len(chosen), 3)  # notes in up to three staggered rows, so neighbours do not overlap
    ax.set_ylim(top=top * (1.0 + 0.18 * max(rows, 1)))  # room for the notes above the curves
    for k, (_, target) in enumerate(chosen.iterrows()):
        start = pd.Timestamp(str(target["period_from"]) + "-01")
        end = pd.Timestamp(str(target["period_to"]) + "-01") + pd.offsets.MonthEnd(0)
        color = PALETTE[(3 + k) % len(PALETTE)]
        ax.axvspan(start, end, color=color, alpha=0.12, lw=0, zorder=1)
        if target["kind"] == "year_on_year_change":
            ax.axvspan(start - pd.DateOffset(years=1), end - pd.DateOffset(years=1), color=color, alpha=0.05, lw=0,
                       zorder=1)
            text = (f"reported {target['reported']:+.1%} y/y\nfit {target['simulated_median']:+.1%} "
                    f"[{target['simulated_p05']:+.1%}, {target['simulated_p95']:+.1%}]")
        elif target["kind"] == "run_below_year_before":
            text = (f"reported: {target['reported']:.0f} months in a row\nbelow the year before; fit "
                    f"{target['simulated_median']:.0f} [{target['simulated_p05']:.0f}, {target['simulated_p95']:.0f}]")
        else:
            text = (f"reported: {target['reported']:.0f} months below\nthe year before; fit "
                    f"{target['simulated_median']:.0f} [{target['simulated_p05']:.0f}, {target['simulated_p95']:.0f}]")
        if "in_fit" in target and not bool(target["in_fit"]):
            text += "\n(out of sample)"
        ax.text(start + (end - start) / 2, top * (1.0 + 0.18 * (rows - k % rows)) - top * 0.02, text, ha="center",
                va="top", fontsize=8, color="black",
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=color, lw=0.8), zorder=6)
