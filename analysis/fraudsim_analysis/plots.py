"""Figures of a run. Built on matplotlib.figure.Figure rather than pyplot, so
they render with the Agg canvas whether or not there is a display, and leave
no global pyplot state behind."""
from __future__ import annotations

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .io import FraudsimFileError, Run


def _mark_interventions(ax: Axes, interventions: pd.DataFrame) -> None:
    """A numbered vertical line at each start; names go in the legend, so
    interventions starting in the same month cannot overwrite each other."""
    if interventions.empty or "start" not in interventions:
        return
    starts = interventions.dropna(subset=["start"]).sort_values("start", kind="stable")
    palette = matplotlib.colormaps["tab10"].colors
    x0, x1 = ax.get_xlim()
    last_x_at_level: dict[int, float] = {}
    for number, row in enumerate(starts.itertuples(index=False), start=1):
        enabled = bool(getattr(row, "enabled", 1))
        x = (mdates.date2num(row.start) - x0) / (x1 - x0)
        notes = ([] if enabled else ["disabled"]) + ([] if 0 <= x <= 1 else ["outside the plotted period"])
        label = f"{number}  {getattr(row, 'name', '')}, from {row.start:%d %b %Y}"
        if notes:
            label += f" ({', '.join(notes)})"
        color = palette[(number - 1) % len(palette)]
        ax.axvline(row.start, color=color, lw=1.6, ls="--" if enabled else ":", label=label, zorder=1)
        if not 0 <= x <= 1:
            continue
        # Stagger the number tags downwards when lines are closer than ~4% of the width.
        level = next(k for k in range(len(starts)) if x - last_x_at_level.get(k, -1.0) > 0.04)
        last_x_at_level[level] = x
        ax.annotate(str(number), xy=(row.start, 1), xycoords=("data", "axes fraction"),
                    xytext=(0, -4 - 16 * level), textcoords="offset points", ha="center", va="top",
                    fontsize=9, fontweight="bold", color=color,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=color, lw=0.8))


def plot_registered_cases(run: Run, ax: Axes | None = None) -> Figure:
    """Monthly registered cases, in thousands, with intervention starts marked."""
    if "registered_cases" not in run.monthly:
        raise FraudsimFileError(run.path, "no monthly series 'registered_cases'")
    cases = run.monthly["registered_cases"] / 1000.0
    if ax is None:
        fig = Figure(figsize=(10, 6), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure

    ax.plot(cases.index, cases.to_numpy(), color="black", lw=2, marker="o", ms=3.5, zorder=3)
    top = float(cases.max()) if len(cases) else 0.0
    ax.set_ylim(0, top * 1.2 if top > 0 else 1.0)  # headroom for the number tags
    if len(cases.index):
        ax.set_xlim(cases.index[0] - pd.Timedelta(days=15), cases.index[-1] + pd.Timedelta(days=15))
    _mark_interventions(ax, run.interventions)

    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel("Registered cases (thousands per month)")
    ax.set_title("Registered fraud cases per month", fontsize=13, loc="left")
    ax.set_title(run.path.name, fontsize=9, color="0.4", loc="right")
    ax.grid(True, alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    if handles:  # below the axes: long names would otherwise squeeze the plot sideways
        legend = ax.legend(loc="upper left", bbox_to_anchor=(0, -0.08), ncol=2 if len(handles) > 2 else 1,
                           frameon=False, title="Interventions", fontsize=9, title_fontsize=9)
        if hasattr(legend, "set_alignment"):  # matplotlib >= 3.6
            legend.set_alignment("left")
    return fig
