"""fraudsim_analysis on small synthetic files with the layout the C++ writer produces."""
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

from fraudsim_analysis import FraudsimFileError, open_run
from fraudsim_analysis.plots import plot_registered_cases

ANALYSIS_DIR = Path(__file__).resolve().parents[2] / "analysis"
STR = h5py.string_dtype("utf-8")


def _strings(group, name, values):
    return group.create_dataset(name, data=np.array(values, dtype=object), dtype=STR)


def _series(group, name, values, units):
    ds = group.create_dataset(name, data=values)
    ds.attrs["units"] = units
    ds.attrs["description"] = f"{name} ({units})"


def make_run(path, months=24, interventions=True):
    days = pd.date_range("2023-01-01", periods=60, freq="D")
    month_index = pd.date_range("2023-01-01", periods=months, freq="MS")
    with h5py.File(path, "w") as f:
        meta = f.create_group("meta")
        meta.attrs["version"] = "0.1.0"
        meta.attrs["scenario"] = "name: baseline\nscale: 0.1\n"
        meta.attrs["seed"] = np.int64(42)
        daily = f.create_group("daily")
        _strings(daily, "date", days.strftime("%Y-%m-%d").tolist())
        _series(daily, "calls", np.arange(len(days), dtype="<i8") * 100, "calls/day")
        _series(daily, "losses", np.linspace(0, 1e6, len(days)), "EUR/day")
        monthly = f.create_group("monthly")
        _strings(monthly, "month", month_index.strftime("%Y-%m").tolist())
        cases = 40_000 + 10_000 * np.sin(np.arange(months) / 3)
        _series(monthly, "registered_cases", cases.astype("<i8"), "cases/month")
        if interventions:
            g = f.create_group("interventions")
            g.attrs["description"] = "interventions of the scenario"
            _strings(g, "name", ["SIM registration", "Call blocking", "Bank cooling-off", "Awareness campaign"])
            _strings(g, "type", ["registration", "blocking", "banking", "awareness"])
            _strings(g, "start", ["2023-04-01", "2023-09-01", "2023-09-15", "2023-10-01"])
            _strings(g, "end", ["", "2024-06-30", "", ""])
            g.create_dataset("enabled", data=np.array([1, 1, 1, 0], dtype="<i8"))
    return path


@pytest.fixture
def run_file(tmp_path):
    return make_run(tmp_path / "run.h5")


def test_open_run_reads_layout(run_file):
    run = open_run(run_file)
    assert run.meta["version"] == "0.1.0" and run.meta["seed"] == 42
    assert run.scenario.startswith("name: baseline")

    assert run.daily.shape == (60, 2)
    assert isinstance(run.daily.index, pd.DatetimeIndex)
    assert run.daily.index[0] == pd.Timestamp("2023-01-01")
    assert run.daily["calls"].iloc[3] == 300
    assert run.daily.attrs["units"] == {"calls": "calls/day", "losses": "EUR/day"}
    assert run.daily.attrs["descriptions"]["losses"] == "losses (EUR/day)"

    assert run.monthly.shape == (24, 1)
    assert isinstance(run.monthly.index, pd.DatetimeIndex)
    assert list(run.monthly.index[:2]) == [pd.Timestamp("2023-01-01"), pd.Timestamp("2023-02-01")]
    assert run.monthly.attrs["units"]["registered_cases"] == "cases/month"

    iv = run.interventions
    assert list(iv.columns) == ["name", "type", "start", "end", "enabled"]
    assert iv["name"].tolist()[0] == "SIM registration"
    assert iv["start"].iloc[1] == pd.Timestamp("2023-09-01")
    assert pd.isna(iv["end"].iloc[0]) and iv["end"].iloc[1] == pd.Timestamp("2024-06-30")
    assert iv["enabled"].tolist() == [1, 1, 1, 0]


def test_series_kind_from_its_attribute_or_in_older_files_its_description(tmp_path):
    path = make_run(tmp_path / "run.h5")
    with h5py.File(path, "a") as f:
        _series(f["monthly"], "open_cases", np.arange(24, dtype="<i8"), "cases")
        f["monthly/open_cases"].attrs["kind"] = "stock"
        _series(f["monthly"], "detained", np.arange(24, dtype="<i8"), "people")
        f["monthly/detained"].attrs["description"] = "people detained (on the period's last day)"
    run = open_run(path)
    assert run.monthly.attrs["kinds"] == {"registered_cases": "flow", "open_cases": "stock", "detained": "stock"}
    annual = run.annual()
    assert annual.loc[2023, "open_cases"] == 11 and annual.loc[2024, "detained"] == 23
    assert annual.loc[2023, "registered_cases"] == run.monthly["registered_cases"].iloc[:12].sum()


def test_open_run_without_interventions(tmp_path):
    run = open_run(make_run(tmp_path / "plain.h5", interventions=False))
    assert run.interventions.empty
    assert "name" in run.interventions.columns


def _assert_png(path):
    data = Path(path).read_bytes()
    assert len(data) > 1000
    assert data.startswith(b"\x89PNG\r\n\x1a\n")


def test_plot_registered_cases(run_file, tmp_path):
    fig = plot_registered_cases(open_run(run_file))
    out = tmp_path / "cases.png"
    fig.savefig(out)
    _assert_png(out)
    ax = fig.axes[0]
    assert "thousand" in ax.get_ylabel()
    assert max(ax.lines[0].get_ydata()) < 100  # plotted in thousands
    names = [t.get_text() for t in fig.axes[1].get_yticklabels()]  # the interventions' windows, by start
    assert len(names) == 4 and "SIM registration" in names[0] and names[3].endswith("(switched off)")


def test_plot_into_given_axes(run_file):
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert plot_registered_cases(open_run(run_file), ax=ax) is fig


def _bad_files(tmp_path, run_file):
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = np.arange(3)
    text = tmp_path / "notes.h5"
    text.write_text("this is not HDF5\n")
    truncated = tmp_path / "truncated.h5"
    data = run_file.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    no_month = tmp_path / "no_month.h5"
    with h5py.File(no_month, "w") as f:
        f.create_group("meta").attrs["version"] = "0.1.0"
    return {"foreign": foreign, "text": text, "truncated": truncated, "no_month": no_month,
            "missing": tmp_path / "missing.h5"}


@pytest.mark.parametrize("kind, words", [
    ("foreign", "not fraudsim output"),
    ("text", "not an HDF5 file"),
    ("truncated", "truncated"),
    ("no_month", "/monthly/month"),
    ("missing", "no such file"),
])
def test_bad_files_raise_fraudsim_file_error(tmp_path, run_file, kind, words):
    path = _bad_files(tmp_path, run_file)[kind]
    with pytest.raises(FraudsimFileError) as info:
        open_run(path)
    message = str(info.value)
    assert str(path) in message and words in message
    assert "\n" not in message


def _cli(*args):
    env = dict(os.environ, PYTHONPATH=str(ANALYSIS_DIR))
    env.pop("DISPLAY", None)  # as on a cluster node
    env.pop("MPLBACKEND", None)
    return subprocess.run([sys.executable, "-m", "fraudsim_analysis", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_plot_cases(run_file, tmp_path):
    out = tmp_path / "out.png"
    result = _cli("plot-cases", run_file, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    _assert_png(out)


@pytest.mark.parametrize("kind", ["text", "truncated", "foreign"])
def test_cli_bad_file_exits_2_with_one_line(tmp_path, run_file, kind):
    path = _bad_files(tmp_path, run_file)[kind]
    result = _cli("plot-cases", path, "-o", tmp_path / "out.png")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(path) in lines[0]
    assert not (tmp_path / "out.png").exists()
