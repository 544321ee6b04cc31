"""The posterior predictive distribution (`predict`) and the fit until a month (`history-match --until`).

Tiny posteriors are written here in the layout of history.py's history.h5: one
point of the share of reports recorded (away from the reference's 0.659), or two.
The reference runs at 1:4000 with one thread; the direct runs that check the
sweep go through `fraudsim run` and `compare_run`, not through the code under test.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest
import yaml

from fraudsim_analysis.compare import compare_run, load_targets
from fraudsim_analysis.history import HistoryMatch, HistoryMatchError, _fitted_targets, ends_by, load_problem, month
from fraudsim_analysis.io import open_run
from fraudsim_analysis.predict import PredictError, choose_window, fit_record

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"
CALIBRATION = ROOT / "scenarios" / "calibration" / "china_2019_2024.yaml"
TARGETS = ROOT / "scenarios" / "calibration" / "targets.yaml"
RECORDING = "victims.recording_probability"
SCALE, REPLICATES = 4000, 4


def _posterior(path: Path, values: list[float], until: str | None = None, samples: bool = True,
               misses: str = "") -> Path:
    with h5py.File(path, "w") as f:
        f["parameters"] = np.array(["recording"], dtype=h5py.string_dtype())
        f["paths"] = np.array([RECORDING], dtype=h5py.string_dtype())
        if samples:
            f["posterior/samples"] = np.array(values)[:, None]
            f["posterior/weights"] = np.full(len(values), 1 / len(values))
        if until:
            f.attrs["until"] = until
        f.attrs["structural_misses"] = misses
    return path


def _command(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "analysis"),
                                                                      os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "fraudsim_analysis", *map(str, args), "--binary", BINARY],
                          capture_output=True, text=True, check=False, env=env)


def _predict(posterior: Path, out: Path, *extra) -> Path:
    result = _command("predict", REFERENCE, posterior, "-o", out, "--scale", SCALE, "--threads", 1, *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "predict: the targets, months and years over" in result.stderr  # progress lines
    return out


@pytest.fixture(scope="module")
def one_point(tmp_path_factory):
    folder = tmp_path_factory.mktemp("predict_one")
    posterior = _posterior(folder / "history.h5", [0.25])
    return _predict(posterior, folder / "out", "--draws", 10, "--replicates", REPLICATES, "--until", "2022-12")


@pytest.fixture(scope="module")
def two_points(tmp_path_factory):
    folder = tmp_path_factory.mktemp("predict_two")
    posterior = _posterior(folder / "history.h5", [0.15, 0.5], until="2021-12", misses="solved_2019,arrested_2019")
    return _predict(posterior, folder / "out", "--draws", 10, "--replicates", 2)


def _ends(entry: dict) -> str:
    """The last month a target of the YAML file needs, as text (YYYY-MM sorts as time)."""
    return max(str(entry["period"]["to"]), str(entry.get("compared_with", {}).get("to", "")))


# --- the fit until a month: no simulation ------------------------------------------------------------------------

def test_until_keeps_the_targets_whose_periods_and_comparisons_end_by_it(tmp_path):
    (tmp_path / "targets.yaml").write_text(yaml.safe_dump({"targets": [
        {"id": "level_2022", "series": "registered_cases", "kind": "level", "period": {"from": "2022-01", "to": "2022-12"},
         "reported": 1, "tolerance": 1},
        {"id": "level_jan_2023", "series": "registered_cases", "kind": "level",
         "period": {"from": "2023-01", "to": "2023-01"}, "reported": 1, "tolerance": 1},
        {"id": "change_2022", "series": "registered_cases", "kind": "year_on_year_change",
         "period": {"from": "2022-01", "to": "2022-11"}, "reported": 0, "tolerance": 1},
        {"id": "compared_with_later", "series": "registered_cases", "kind": "year_on_year_change",
         "period": {"from": "2022-01", "to": "2022-06"}, "compared_with": {"from": "2023-01", "to": "2023-06"},
         "reported": 0, "tolerance": 1},
        {"id": "share_2022", "series": "losses_yuan", "kind": "share", "by": "category", "items": ["fake_investment"],
         "period": {"from": "2022-01", "to": "2022-12"}, "reported": 0.3, "tolerance": 0.1}]}))
    targets = load_targets(tmp_path / "targets.yaml")
    assert ends_by(targets, month("2022-12")).tolist() == [True, False, True, False, True]
    assert ends_by(targets, None).all()
    (tmp_path / "calibration.yaml").write_text(yaml.safe_dump({
        "scenario": str(REFERENCE), "targets": "targets.yaml",
        "parameters": {"recording": {"path": RECORDING, "low": "0.1", "high": "0.6"}}}))
    problem = load_problem(tmp_path / "calibration.yaml")
    assert list(_fitted_targets(problem, None)["id"]) == ["level_2022", "level_jan_2023", "change_2022",
                                                          "compared_with_later"]  # shares are never fitted
    assert list(_fitted_targets(problem, month("2022-12"))["id"]) == ["level_2022", "change_2022"]
    with pytest.raises(HistoryMatchError, match="no target .* ends by then"):
        _fitted_targets(problem, month("2021-12"))
    for text in ("2022-13", "2022", "Dec 2022"):
        with pytest.raises(HistoryMatchError, match=r"--until: .* is not a month \(expected YYYY-MM\)"):
            month(text)


def test_until_is_recorded_in_history_h5_and_read_back(tmp_path):
    problem = load_problem(CALIBRATION)
    k = len(problem.parameters)
    for until, expected in (("2022-12", pd.Period("2022-12", "M")), ("", None)):
        result = HistoryMatch(problem, problem.targets, [], ["solved_2019"], [1.0], np.full((3, k), 0.5),
                              np.full(3, 1 / 3), 3.0, np.zeros(3), until)
        result.write(tmp_path / (until or "all"))
        assert fit_record(tmp_path / (until or "all") / "history.h5") == (expected, {"solved_2019"})


def test_history_match_refuses_a_bad_until_before_running_anything(tmp_path):
    result = _command("history-match", CALIBRATION, "-o", tmp_path / "hm", "--until", "2022-13")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --until: '2022-13' is not a month (expected YYYY-MM)"
    assert not (tmp_path / "hm").exists()


def test_the_window_follows_the_fitted_period_unless_given():
    months = pd.period_range("2019-01", "2024-12", freq="M")
    targets = load_targets(TARGETS)  # the last month any of them needs: 2023-12
    window = choose_window(months, targets, None, None, None)
    assert (str(window.fitted_end), str(window.start), str(window.end)) == ("2023-12", "2024-01", "2024-12")
    window = choose_window(months, targets, month("2022-12"), None, "2023-12")
    assert (str(window.fitted_end), str(window.start), str(window.end)) == ("2022-12", "2023-01", "2023-12")
    window = choose_window(months, targets, month("2026-01"), None, None)  # fitted to the end: the whole run
    assert (str(window.fitted_end), str(window.start), str(window.end)) == ("2024-12", "2019-01", "2024-12")
    with pytest.raises(PredictError, match="before the run"):
        choose_window(months, targets, month("2018-06"), None, None)
    with pytest.raises(PredictError, match=r"--to 2025-01: outside the run, which covers 2019-01 to 2024-12"):
        choose_window(months, targets, None, "2024-01", "2025-01")


# --- the predictive distribution ----------------------------------------------------------------------------------

def test_the_predictive_median_is_the_median_of_direct_runs_at_the_point_with_the_same_seeds(one_point, tmp_path):
    with h5py.File(one_point / "runs.h5", "r") as f:
        seeds = f["design/seed"][()]
    assert len(seeds) == REPLICATES and len(set(seeds)) == REPLICATES  # one distinct draw, a seed per run
    comparisons, monthly = [], []
    for i, seed in enumerate(seeds):
        out = tmp_path / f"direct_{i}.h5"
        subprocess.run([BINARY, "run", REFERENCE, "--seed", str(seed), "--set", f"scale={SCALE}",
                        "--set", f"{RECORDING}=0.25", "--threads", "1", "-o", out], check=True,
                       stdout=subprocess.DEVNULL)
        run = open_run(out)
        comparisons.append(compare_run(run, TARGETS).set_index("id")["simulated"])
        monthly.append(run.monthly["registered_cases"])
    direct = pd.concat(comparisons, axis=1).median(axis=1)
    table = pd.read_csv(one_point / "targets.csv").set_index("id")
    for target in ("registered_2019", "cases_solved_2021", "registered_change_2022", "yoy_decline_since_aug_2023",
                   "handed_over_sep_nov_2023"):
        assert table.loc[target, "median"] == pytest.approx(direct[target], rel=1e-12), target
    # at the scenario's own share recorded (0.659) the 2019 level would be near 782,000: the draw was applied
    assert table.loc["registered_2019", "median"] < 0.6 * table.loc["registered_2019", "reported"]
    months = pd.read_csv(one_point / "monthly.csv")
    assert months["month"].iloc[0] == "2023-01" and months["month"].iloc[-1] == "2024-12"  # after --until
    expected = pd.concat(monthly, axis=1).median(axis=1)
    for _, row in months.iterrows():
        assert row["median"] == pytest.approx(expected[pd.Timestamp(row["month"])], rel=1e-12), row["month"]
        assert row["p05"] <= row["median"] <= row["p95"]
    years = pd.read_csv(one_point / "yearly.csv").set_index(["series", "year"])
    assert years.loc[("registered_cases", 2019), "median"] == pytest.approx(direct["registered_2019"], rel=1e-12)
    assert set(years.index.get_level_values("year")) == set(range(2019, 2025))
    assert set(years.index.get_level_values("series")) == {"registered_cases", "losses_yuan", "handed_over"}


def test_two_posterior_points_give_a_wider_interval_than_one(one_point, two_points):
    one = pd.read_csv(one_point / "targets.csv").set_index("id")
    two = pd.read_csv(two_points / "targets.csv").set_index("id")
    width = lambda t, target: t.loc[target, "p95"] - t.loc[target, "p05"]  # noqa: E731
    # A year of registered cases (a month of 2021 holds a handful of agents at 1:4000: its width is noise).
    for target in ("registered_2019",):
        assert width(two, target) > 2 * width(one, target), (target, width(one, target), width(two, target))
    with h5py.File(two_points / "runs.h5", "r") as f:
        variants = {v.decode() for v in f["design/variant"][()]}
    assert variants == {"d000", "d001"}


def test_the_point_is_the_draw_whose_direct_runs_fit_the_fit_s_targets_best(two_points, tmp_path):
    """points.csv's scores recomputed from direct `fraudsim run`s with the sweep's seeds and `compare_run`:
    the sum over the targets in sample and not structural misses of ((median - reported) / tolerance)^2,
    nothing for a bound met; point.yaml holds the values of the draw with the smaller score."""
    with h5py.File(two_points / "runs.h5", "r") as f:
        variants = [v.decode() for v in f["design/variant"][()]]
        seeds = f["design/seed"][()]
    points = pd.read_csv(two_points / "points.csv").set_index("draw")
    targets = load_targets(TARGETS)
    used = ends_by(targets, pd.Period("2021-12", "M")) & ~targets["id"].isin({"solved_2019", "arrested_2019"})
    reported, tolerance = targets["reported"].to_numpy(float), targets["tolerance"].to_numpy(float)
    bound = targets["bound"].fillna("").to_numpy()
    scores = {}
    values = {draw: (0.15, 0.5)[int(points.loc[draw, "sample"])] for draw in ("d000", "d001")}
    for draw, value in values.items():
        runs = []
        for i in (k for k, v in enumerate(variants) if v == draw):
            out = tmp_path / f"{draw}_{i}.h5"
            subprocess.run([BINARY, "run", REFERENCE, "--seed", str(seeds[i]), "--set", f"scale={SCALE}",
                            "--set", f"{RECORDING}={value}", "--threads", "1", "-o", out], check=True,
                           stdout=subprocess.DEVNULL)
            runs.append(compare_run(open_run(out), targets)["simulated"].to_numpy(float))
        z = (np.nanmedian(runs, axis=0) - reported) / tolerance
        z[((bound == "lower") & (z > 0)) | ((bound == "upper") & (z < 0))] = 0
        scores[draw] = float(np.sum(z[used & np.isfinite(z)] ** 2))
        assert points.loc[draw, "score"] == pytest.approx(scores[draw], rel=1e-9), draw
    best = min(scores, key=scores.get)
    assert points.index[0] == best and scores["d000"] != scores["d001"]
    point = yaml.safe_load((two_points / "point.yaml").read_text())
    assert float(point[RECORDING]) == pytest.approx(values[best])
    assert f"draw {best}" in (two_points / "point.yaml").read_text()
    # --confirm 1: the better draw again with 3 seeds of its own; the point's score over all its 5 runs
    confirmed = _command("predict", REFERENCE, two_points.parent / "history.h5", "-o", two_points, "--scale", SCALE,
                         "--threads", 1, "--draws", 10, "--replicates", 2, "--confirm", 1, "--confirm-replicates", 3)
    assert confirmed.returncode == 0, confirmed.stderr[-3000:]
    with h5py.File(two_points / "confirm" / "runs.h5", "r") as f:
        again = [v.decode() for v in f["design/variant"][()]], f["design/seed"][()]
    assert again[0] == [best] * 3 and not set(again[1]) & set(seeds)
    table = pd.read_csv(two_points / "points.csv").set_index("draw")
    assert table.index[0] == best and table.loc[best, "confirmed"] and table.loc[best, "runs"] == 5
    runs = []
    for i, seed in enumerate([s for v, s in zip(variants, seeds) if v == best] + list(again[1])):
        out = tmp_path / f"confirm_{i}.h5"
        subprocess.run([BINARY, "run", REFERENCE, "--seed", str(seed), "--set", f"scale={SCALE}",
                        "--set", f"{RECORDING}={values[best]}", "--threads", "1", "-o", out], check=True,
                       stdout=subprocess.DEVNULL)
        runs.append(compare_run(open_run(out), targets)["simulated"].to_numpy(float))
    z = (np.nanmedian(runs, axis=0) - reported) / tolerance
    z[((bound == "lower") & (z > 0)) | ((bound == "upper") & (z < 0))] = 0
    assert table.loc[best, "score"] == pytest.approx(float(np.sum(z[used & np.isfinite(z)] ** 2)), rel=1e-9)
    # --point-targets: the same runs (the sweep resumes), scored on one target
    again = _command("predict", REFERENCE, two_points.parent / "history.h5", "-o", two_points, "--scale", SCALE,
                     "--threads", 1, "--draws", 10, "--replicates", 2, "--point-targets", "registered_2019")
    assert again.returncode == 0, again.stderr[-3000:]
    one = pd.read_csv(two_points / "points.csv").set_index("draw")
    assert (one["targets_scored"] == 1).all()
    j = int(np.flatnonzero(targets["id"] == "registered_2019")[0])
    for draw in ("d000", "d001"):
        z = (one.loc[draw, "registered_2019"] - reported[j]) / tolerance[j]
        assert one.loc[draw, "score"] == pytest.approx(z ** 2, rel=1e-12), draw


@pytest.mark.parametrize("case", ["one_point", "two_points"])
def test_targets_after_the_fitted_month_are_out_of_sample(case, request):
    out = request.getfixturevalue(case)
    until = "2022-12" if case == "one_point" else "2021-12"  # the option, or history.h5's attribute
    ends = {t["id"]: _ends(t) for t in yaml.safe_load(TARGETS.read_text())["targets"]}
    table = pd.read_csv(out / "targets.csv").set_index("id")
    assert set(table.index) == set(ends)
    for target, end in ends.items():
        assert table.loc[target, "sample"] == ("out of sample" if end > until else "in sample"), target
    assert (table["sample"] == "out of sample").any() and (table["sample"] == "in sample").any()
    lines = (out / "predict.md").read_text().splitlines()
    assert any(line.startswith("| yoy_decline_since_aug_2023 |") and line.endswith("| out of sample |")
               for line in lines)
    misses = {"solved_2019", "arrested_2019"} if case == "two_points" else set()
    assert set(table.index[table["structural_miss"]]) == misses
    assert sum("in sample, left out as a structural miss |" in line for line in lines) == len(misses)
    assert pd.read_csv(out / "monthly.csv")["month"].iloc[0] == str(pd.Period(until, "M") + 1)
    assert (out / "forecast.png").stat().st_size > 10_000


@pytest.mark.parametrize("case", ["no samples", "window before the run", "window reversed", "bad until",
                                  "unknown point target"])
def test_bad_input_gives_one_line_and_exit_code_2(tmp_path, case):
    posterior = _posterior(tmp_path / "history.h5", [0.45], samples=case != "no samples")
    extra = {"window before the run": ["--from", "2018-01"], "window reversed": ["--from", "2024-06", "--to", "2024-01"],
             "bad until": ["--until", "2022/12"], "unknown point target": ["--point-targets", "registered_2019,no_such"]
             }.get(case, [])
    result = _command("predict", REFERENCE, posterior, "-o", tmp_path / "out", "--scale", SCALE, *extra)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    expected = {"no samples": "/posterior/samples", "window before the run": "--from 2018-01: outside the run, "
                "which covers 2019-01 to 2024-12", "window reversed": "--to 2024-01 is before --from 2024-06",
                "bad until": "--until: '2022/12' is not a month",
                "unknown point target": "--point-targets: no target no_such in the targets file"}[case]
    assert expected in lines[0]
    assert not (tmp_path / "out" / "runs").exists()  # nothing ran
