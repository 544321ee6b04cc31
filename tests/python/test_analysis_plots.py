"""Every plot function draws a non-empty PNG, into its own figure or given axes."""
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from fraudsim_analysis import FraudsimFileError, open_file, open_run
from fraudsim_analysis import plots
from fraudsim_analysis.compare import compare_posterior, compare_run
from fraudsim_analysis.sobol import sobol_from_sweep
from test_analysis_fixtures import older_file

pytest_plugins = ["test_analysis_fixtures"]  # the shared files (fixtures)

TARGETS = """\
targets:
  - {id: months_below, series: registered_cases, kind: months_below_year_before,
     period: {from: 2021-06, to: 2022-02}, reported: 9, tolerance: 1}
  - {id: yoy_2023, series: registered_cases, kind: year_on_year_change, period: {from: 2023-08, to: 2023-12},
     reported: -0.286, tolerance: 0.05}
  - {id: solved_2021, series: cases_solved, kind: level, period: {from: 2021-01, to: 2021-12}, reported: 394000,
     tolerance: 20%}
  - {id: calls_2021, series: calls_blocked, kind: level, period: {from: 2021-01, to: 2021-12}, reported: 1.95e9}
"""


def assert_png(fig: Figure, path: Path) -> None:
    assert isinstance(fig, Figure)
    fig.savefig(path, dpi=60)
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000


@pytest.fixture(scope="module")
def figures(files, real_run, real_run_no_exit, extended_run, sweep_variants, sweep_grid, sweep_saltelli,
            calibration, tmp_path_factory):
    targets = tmp_path_factory.mktemp("targets") / "targets.yaml"
    targets.write_text(TARGETS)
    run, extended = open_run(real_run), open_run(extended_run)
    return {
        "registered_cases": lambda ax=None: plots.plot_registered_cases(run, ax=ax),
        "targets_run": lambda ax=None: plots.plot_targets(compare_run(run, targets), ax=ax,
                                                          units=run.monthly.attrs["units"]),
        "targets_posterior": lambda ax=None: plots.plot_targets(compare_posterior(open_file(calibration)), ax=ax),
        "counterfactuals_sweep": lambda ax=None: plots.plot_counterfactuals(open_file(sweep_variants), ax=ax),
        "counterfactuals_runs": lambda ax=None: plots.plot_counterfactuals(
            {"reference": run, "no exit controls": open_run(real_run_no_exit)}, "workers_abroad", ax=ax),
        "workforce": lambda ax=None: plots.plot_workforce(extended, ax=ax),
        "laundering": lambda ax=None: plots.plot_laundering(extended, ax=ax),
        "response_surface_grid": lambda ax=None: plots.plot_response_surface(open_file(sweep_grid), ax=ax),
        "response_surface_scattered": lambda ax=None: plots.plot_response_surface(
            open_file(sweep_saltelli), x="x1", y="x2", ax=ax),
        "sobol": lambda ax=None: plots.plot_sobol(sobol_from_sweep(open_file(sweep_saltelli), n_boot=100), ax=ax),
        "posterior": lambda ax=None: plots.plot_posterior(open_file(calibration), ax=ax),
        "predictive": lambda ax=None: plots.plot_predictive(open_file(calibration), ax=ax),
    }


NAMES = ["registered_cases", "targets_run", "targets_posterior", "counterfactuals_sweep", "counterfactuals_runs",
         "workforce", "laundering", "response_surface_grid", "response_surface_scattered", "sobol", "posterior",
         "predictive"]


@pytest.mark.parametrize("name", NAMES)
def test_plot_makes_a_png(figures, name, tmp_path):
    assert_png(figures[name](), tmp_path / f"{name}.png")


@pytest.mark.parametrize("name", NAMES)
def test_plot_into_given_axes(figures, name, tmp_path):
    fig = Figure(figsize=(16, 7), layout="constrained")
    left, right = fig.subplots(1, 2)
    assert figures[name](ax=right) is fig
    assert left in fig.axes  # the other panel is left alone
    assert_png(fig, tmp_path / f"{name}_in_axes.png")


def test_axis_labels_name_the_magnitude(figures):
    def ylabels(name):
        return " ".join(ax.get_ylabel() for ax in figures[name]().axes)

    assert "thousands" in ylabels("registered_cases") and "thousands" in ylabels("workforce")
    assert "billions of yuan" in ylabels("laundering")
    for name in ("registered_cases", "counterfactuals_sweep", "workforce", "laundering", "predictive"):
        fig = figures[name]()
        fig.canvas.draw()
        for ax in fig.axes:
            assert not ax.yaxis.get_offset_text().get_text(), name  # no "1e6" above the axis


def test_counterfactual_legend_gives_each_effect_with_its_interval(figures):
    labels = figures["counterfactuals_sweep"]().axes[0].get_legend_handles_labels()[1]
    assert any("reference (baseline, 3 runs)" in label for label in labels)
    # This hand-made sweep records no resolved scenario, so the window is the whole run.
    assert any(re.fullmatch(r"no exit controls \(3 runs\): [+-]\d+ % \[[+-]\d+ %, [+-]\d+ %\] from Jan 2019"
                            r"( \(interval spans zero\))?", label) for label in labels), labels


def test_targets_plot_has_one_panel_per_kind_and_unit(figures):
    fig = figures["targets_run"]()
    axes = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in axes] == [
        "Total over the period: cases", "Total over the period: calls", "Change on the same months a year earlier",
        "Months below the same month a year earlier"]
    assert all(ax.get_xlabel() for ax in axes)  # units on every axis


def test_figures_say_what_they_were_drawn_from(figures, real_run):
    seed = str(open_run(real_run).meta["seed"])
    for name in ("registered_cases", "counterfactuals_sweep", "workforce", "posterior", "predictive"):
        fig = figures[name]()
        words = fig.get_supxlabel() if hasattr(fig, "get_supxlabel") else fig._supxlabel.get_text()
        assert "seed" in words, name
        texts = [t.get_text() for ax in fig.axes for t in (ax.title, ax._left_title, ax._right_title)]
        assert not any(t.endswith(".h5") for t in texts), name  # no file-name stamp
    assert f"seed {seed}" in figures["registered_cases"]()._supxlabel.get_text()


def test_intervention_windows_are_drawn_from_start_to_end(figures, real_run):
    run = open_run(real_run)
    strip = figures["registered_cases"]().axes[1]
    names = [t.get_text() for t in strip.get_yticklabels()]
    assert len(names) == run.interventions["start"].notna().sum()
    ramped = run.interventions[run.interventions.get("ramp_days", 0) > 0]
    bars = strip.patches
    assert len(bars) == len(names) + len(ramped)  # a hatched ramp before each ramped one's solid bar
    assert any(bar.get_hatch() == "////" for bar in bars)


def test_plots_of_missing_groups_say_so(real_run, tmp_path):
    run = open_run(older_file(real_run, tmp_path))
    with pytest.raises(FraudsimFileError, match="no /laundering group"):
        plots.plot_laundering(run)
    with pytest.raises(FraudsimFileError, match="no compound workforce"):
        plots.plot_workforce(run)


def test_fit_plot_marks_the_reported_changes(calibration):
    fig = plots.plot_predictive(open_file(calibration))
    notes = [t.get_text() for t in fig.axes[0].texts]
    # One note per reported change of registered cases, with the fit's median and interval.
    assert any("reported -28.6% y/y" in n and "fit -31.0% [-45.0%, -18.0%]" in n for n in notes), notes
    assert any("9 months below" in n and "fit 8 [6, 9]" in n for n in notes), notes
    assert len(notes) == 2, "the annual levels and other series are not marked on this plot"
    plt.close(fig)
