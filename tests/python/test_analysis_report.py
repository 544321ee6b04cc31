"""The report command on every kind of file, and the command line's errors."""
import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest


pytest_plugins = ["test_analysis_fixtures"]  # the shared files (fixtures)

ANALYSIS_DIR = Path(__file__).resolve().parents[2] / "analysis"
TARGETS = """\
targets:
  - {id: solved_2021, series: cases_solved, kind: level, period: {from: 2021-01, to: 2021-12}, reported: 394000,
     tolerance: 20%, source: "MPS, 14 Apr 2022"}
  - {id: yoy_2023, series: registered_cases, kind: year_on_year_change, period: {from: 2023-08, to: 2023-12},
     reported: -0.286}
  - {id: later_series, series: a_series_of_a_later_version, kind: level, period: {from: 2021-01, to: 2021-12},
     reported: 1}
"""


def cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ANALYSIS_DIR))
    env.pop("DISPLAY", None)  # as on a cluster node
    env.pop("MPLBACKEND", None)
    return subprocess.run([sys.executable, "-m", "fraudsim_analysis", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=300, cwd=cwd)


def report(path, out, *args):
    """Writes the report into the folder `out`; returns the page and its figures' names (as NAME.png)."""
    result = cli("report", path, "-o", out, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out / "index.html")
    assert [p.name for p in out.iterdir()] == ["index.html"]  # nothing beside it
    page = (out / "index.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure id="([^"]+)"><img src="data:image/png;base64,([^"]+)"', page)
    assert len(figures) == page.count("<img ") and figures
    for name, data in figures:
        png = base64.b64decode(data, validate=True)
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000, name
    assert not re.search(r'<(script|link)\b|https?://|src="(?!data:)', page)  # self-contained
    return page, {f"{name}.png" for name, _ in figures}


def test_report_of_a_run(real_run, tmp_path):
    targets = tmp_path / "targets.yaml"
    targets.write_text(TARGETS)
    with h5py.File(real_run, "r") as f:
        meta = {k: f["meta"].attrs[k] for k in ("version", "git_commit", "seed", "scenario_name")}
    page, written = report(real_run, tmp_path / "out", "--targets", targets)
    assert {"registered_cases.png", "targets.png"} <= written
    for value in meta.values():
        assert str(value) in page
    assert "<h2>Annual figures</h2>" in page and "<th>2024</th>" in page
    assert "Registered cases (cases)" in page and "Losses (billion yuan)" in page
    assert "solved_2021" in page and "<h2>Interventions</h2>" in page
    assert "Not compared, the run has no such series: later_series (a_series_of_a_later_version)" in page
    assert "<details><summary>Resolved scenario</summary><pre>name: china_2019_2024" in page


def test_report_of_a_run_with_the_newer_groups(extended_run, tmp_path):
    page, written = report(extended_run, tmp_path / "out")
    assert {"registered_cases.png", "workforce.png", "laundering.png"} <= written
    assert "<h2>Events per year</h2>" in page


def test_report_of_sweeps(sweep_variants, sweep_grid, sweep_saltelli, tmp_path):
    page, written = report(sweep_variants, tmp_path / "variants")
    assert "counterfactuals_registered_cases.png" in written
    assert "<h2>Per variant: medians over replicates</h2>" in page and "<th>no_exit_controls</th>" in page
    page, written = report(sweep_grid, tmp_path / "grid")
    assert "surface_registered_cases.png" in written and "<th>0.2, 0.35</th>" in page
    page, written = report(sweep_saltelli, tmp_path / "saltelli")
    assert written == {"sobol_registered_cases.png"} and "<h2>Sobol&#x27; indices of registered cases</h2>" in page


def test_report_of_a_calibration(calibration, tmp_path):
    page, written = report(calibration, tmp_path / "out")
    assert written == {"targets.png", "posterior.png", "predictive_registered_cases.png"}
    assert "<h2>Posterior</h2>" in page and "<h2>Targets</h2>" in page and "<h2>Trace</h2>" in page
    assert "victims.report_probability" in page and "<h2>Point estimate</h2>" in page
    assert re.search(r"<th>exit_start</th><td class=text>interventions\.exit_controls_2021\.start</td>"
                     r"<td class=text>2021-\d\d-\d\d</td>", page)  # a date parameter shown as dates


def test_reports_of_files_made_by_the_binary(real_sweep, real_calibration, tmp_path):
    page, written = report(real_sweep, tmp_path / "sweep")
    assert "counterfactuals_registered_cases.png" in written and "<th>no_exit_controls</th>" in page
    page, written = report(real_calibration, tmp_path / "calibration")
    assert {"targets.png", "posterior.png", "predictive_registered_cases.png"} <= written


def test_compare_command(real_run, calibration, tmp_path):
    targets = tmp_path / "targets.yaml"
    targets.write_text(TARGETS)
    targets.write_text(TARGETS.split("  - {id: later_series")[0])
    result = cli("compare", real_run, "--targets", targets, "--csv", tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    assert "solved_2021" in result.stdout and (tmp_path / "out.csv").read_text().startswith("id,series,kind")
    result = cli("compare", calibration)
    assert result.returncode == 0 and "cases_solved_2021" in result.stdout


def test_plot_fit_command(calibration, tmp_path):
    """fraudsim calibrate calls this to draw FIT.png beside FIT.h5."""
    out = tmp_path / "fit.png"
    result = cli("plot-fit", calibration, "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"\x89PNG") and out.stat().st_size > 5000


def _bad_inputs(tmp_path, real_run):
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = np.arange(3)
    text = tmp_path / "notes.h5"
    text.write_text("this is not HDF5\n")
    empty = tmp_path / "empty.h5"
    empty.write_bytes(b"")
    data = real_run.read_bytes()
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(data[: len(data) // 2])
    # Overwrite the middle of the file: the superblock is intact, the datasets are not.
    scribbled = tmp_path / "scribbled.h5"
    scribbled.write_bytes(data[:4096] + bytes(len(data) - 8192) + data[-4096:])
    bad_targets = tmp_path / "bad_targets.yaml"
    bad_targets.write_text("targets:\n  - {id: a, series: s, kind: trend}\n")
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    return {
        "missing": (["report", tmp_path / "missing.h5", "-o", tmp_path / "out"], "no such file"),
        "foreign": (["report", foreign, "-o", tmp_path / "out"], "not fraudsim output"),
        "text": (["report", text, "-o", tmp_path / "out"], "not an HDF5 file"),
        "empty": (["report", empty, "-o", tmp_path / "out"], "not an HDF5 file"),
        "truncated": (["report", truncated, "-o", tmp_path / "out"], "truncated"),
        "scribbled": (["report", scribbled, "-o", tmp_path / "out"], str(scribbled)),
        "targets": (["report", real_run, "-o", tmp_path / "out", "--targets", bad_targets], "missing period"),
        "output_is_a_file": (["report", real_run, "-o", a_file], "is not a folder"),
        "no_output": (["report", real_run], "the following arguments are required: -o/--output"),
        "unknown_command": (["draw", real_run], "invalid choice"),
        "compare_without_targets": (["compare", real_run], "needs --targets"),
        "plot_cases_of_a_calibration": (["plot-cases", real_run.with_name("calibration.h5")], "not a run file"),
        "plot_fit_of_a_run": (["plot-fit", real_run, "-o", tmp_path / "fit.png"], "not a calibration file"),
    }


CASES = ["missing", "foreign", "text", "empty", "truncated", "scribbled", "targets", "output_is_a_file", "no_output",
         "unknown_command", "compare_without_targets", "plot_cases_of_a_calibration", "plot_fit_of_a_run"]


@pytest.mark.parametrize("case", CASES)
def test_command_line_errors_are_one_line(tmp_path, real_run, calibration, case):
    args, words = _bad_inputs(tmp_path, real_run)[case]
    result = cli(*args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], result.stderr
    assert not (tmp_path / "out" / "index.html").exists()


@pytest.mark.parametrize("case", ["foreign", "text", "empty", "truncated", "scribbled"])
def test_damaged_and_foreign_files_raise_fraudsim_file_error(tmp_path, real_run, case):
    from fraudsim_analysis import FraudsimFileError, open_file

    path = _bad_inputs(tmp_path, real_run)[case][0][1]
    with pytest.raises(FraudsimFileError) as info:
        data = open_file(path)
        data.monthly.sum()  # pragma: no cover - reached only if the damage went unnoticed
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_report_says_what_was_switched_off(real_run_no_exit, tmp_path):
    page, _ = report(real_run_no_exit, tmp_path / "out")
    assert "<h1>fraudsim run: china_2019_2024, without exit_controls_2021 (switched off)</h1>" in page
    assert re.search(r"<th>exit_controls_2021</th>(<td[^>]*>[^<]*</td>)*<td class=text>no</td>", page)
    assert "<th>2019</th>" in page and "2,019" not in page


def test_report_to_a_named_html_file(sweep_variants, tmp_path):
    result = cli("report", sweep_variants, "-o", tmp_path / "sub" / "variants.html")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["variants.html"]
    page = (tmp_path / "sub" / "variants.html").read_text(encoding="utf-8")
    assert "<h2>Effects on registered cases (cases)</h2>" in page and "t-interval" in page
