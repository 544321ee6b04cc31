"""History matching with emulators: the emulator, the implausibility, and recovery of known values.

The emulator and implausibility are checked on functions whose answer is
known; the whole method (waves of the real program, then the emulated
posterior) by recovering two parameters of the reference from figures the
model itself produced at known values.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from fraudsim_analysis.history import Emulator, implausibility

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"


def test_emulator_predicts_a_smooth_function_and_knows_its_error():
    rng = np.random.default_rng(3)

    def f(x):
        return np.sin(3 * x[:, 0]) + 2 * x[:, 1] ** 2  # the third input does nothing

    x = rng.random((60, 3))
    emulator = Emulator(seed=1).fit(x, f(x) + rng.normal(0, 0.05, 60))
    held_out = rng.random((400, 3))
    mean, var = emulator.predict(held_out)
    error = mean - f(held_out)
    assert np.sqrt(np.mean(error ** 2)) < 0.1, "the emulator misses a smooth function of two inputs"
    # its stated uncertainty (plus the noise it estimated) covers the error about as often as it says
    z = error / np.sqrt(var + emulator.nugget_sd ** 2)
    assert 0.85 <= np.mean(np.abs(z) <= 2) <= 1.0
    # automatic relevance: the input that does nothing gets a longer length than those that do
    lengths = np.exp(emulator.theta[1:-1])
    assert lengths[2] > 2 * max(lengths[0], lengths[1]), lengths
    loo = emulator.leave_one_out()
    assert 0.8 <= np.mean(np.abs(loo) <= 2) <= 1.0


def test_implausibility_is_one_sided_for_bounds():
    mean, var = np.array([5.0, 15.0]), np.array([0.0, 0.0])
    both = implausibility(mean, var, 10.0, 1.0, "")
    assert both.tolist() == [5.0, 5.0]
    assert implausibility(mean, var, 10.0, 1.0, "lower").tolist() == [5.0, 0.0]  # above a lower bound: fine
    assert implausibility(mean, var, 10.0, 1.0, "upper").tolist() == [0.0, 5.0]
    # the emulator's own uncertainty makes a point less implausible
    assert implausibility(mean, np.array([3.0, 3.0]), 10.0, 1.0, "")[0] == pytest.approx(5 / 2)


# Two parameters of the reference and the figures that drive them (as in
# test_calibration.py's recovery test): a truth where police capacity binds.
TRUTH = {"police_capacity": ("police.investigation_capacity_cases_per_day", 600.0, 300.0, 3000.0, "cases_solved"),
         "recording": ("victims.recording_probability", 0.5, 0.1, 0.6, "registered_cases")}
SCALE = 2000


@pytest.fixture(scope="module")
def matched(tmp_path_factory):
    folder = tmp_path_factory.mktemp("history")
    sets = [a for path, value, *_ in TRUTH.values() for a in ("--set", f"{path}={value}")]
    levels: dict[str, list[float]] = {}
    for seed in (99, 100):
        out = folder / f"truth_{seed}.h5"
        result = subprocess.run([BINARY, "run", str(REFERENCE), "-o", str(out), "--set", f"scale={SCALE}",
                                 "--seed", str(seed), *sets], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        with h5py.File(out, "r") as f:
            months = list(f["monthly/month"].asstr()[()])
            for name, (*_, series) in TRUTH.items():
                for year in ("2021", "2022"):
                    picked = [k for k, m in enumerate(months) if m.startswith(year)]
                    levels.setdefault(f"{name}_{year}", []).append(float(f["monthly/" + series][()][picked].sum()))
    lines = ["targets:"]
    for key, values in levels.items():
        name, year = key.rsplit("_", 1)
        lines.append(f"  - {{id: {key}, series: {TRUTH[name][4]}, kind: level, period: {{from: {year}-01, "
                     f"to: {year}-12}}, reported: {float(np.mean(values))!r}, tolerance: 10%}}")
    (folder / "targets.yaml").write_text("\n".join(lines) + "\n")
    parameters = "\n".join(f"  {name}: {{path: {path}, low: \"{low}\", high: \"{high}\"}}"
                           for name, (path, _v, low, high, _s) in TRUTH.items())
    (folder / "calibration.yaml").write_text(f"scenario: {REFERENCE}\ntargets: targets.yaml\nseed: 5\n"
                                             f"parameters:\n{parameters}\n")
    out = folder / "match"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "analysis"),
                                                                      os.environ.get("PYTHONPATH")])))
    result = subprocess.run([sys.executable, "-m", "fraudsim_analysis", "history-match", str(folder / "calibration.yaml"),
                             "-o", str(out), "--points", "24,24", "--scales", str(SCALE), "--replicates", "1",
                             "--threads", "2", "--binary", BINARY, "--draws", "20000"],
                            capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result


def test_history_match_recovers_known_values(matched):
    out, result = matched
    with h5py.File(out / "history.h5", "r") as f:
        names = list(f["parameters"].asstr()[()])
        samples, weights = f["posterior/samples"][()], f["posterior/weights"][()]
        ess = float(f.attrs["effective_sample_size"])
        assert f.attrs["structural_misses"] == "", result.stderr
    assert ess >= 200, f"effective sample size {ess:.0f}"
    for i, name in enumerate(names):
        path, truth, low, high, _ = TRUTH[name]
        order = np.argsort(samples[:, i])
        cumulative = np.cumsum(weights[order]) / weights.sum()
        p01, p99 = np.interp([0.01, 0.99], cumulative, samples[order, i])
        p05, p95 = np.interp([0.05, 0.95], cumulative, samples[order, i])
        assert p01 <= truth <= p99, f"{name}: truth {truth} outside the 98 % interval {p01:.3g}..{p99:.3g}"
        assert p95 - p05 < 0.5 * (high - low), f"{name}: 90 % interval {p05:.3g}..{p95:.3g} hardly narrower than the prior"


def test_history_match_writes_the_point_estimate_as_overrides(matched):
    out, _ = matched
    import yaml

    best = yaml.safe_load((out / "best.yaml").read_text())
    assert set(best) == {path for path, *_ in TRUTH.values()}
    result = subprocess.run([BINARY, "check", str(REFERENCE)] + [a for k, v in best.items() for a in ("--set", f"{k}={v}")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_the_point_estimate_goes_into_a_scenario_file(matched, tmp_path):
    out, _ = matched
    import yaml

    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "apply_fit.py"), str(out / "history.h5"), str(scenario)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    best = yaml.safe_load((out / "best.yaml").read_text())
    written = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    for path, value in best.items():
        node = written
        for part in path.split("."):
            node = node[part]
        assert float(node) == pytest.approx(float(value), rel=5e-3), path  # three significant figures
    assert "fitted (history match); posterior median" in scenario.read_text(encoding="utf-8")
    check = subprocess.run([BINARY, "check", str(scenario)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr


def test_apply_fit_writes_a_given_point_with_the_fit_s_intervals(matched, tmp_path):
    """`--point` (predict's point.yaml): its values go into the scenario, the comments keep the fit's
    posterior median and interval."""
    import yaml

    out, _ = matched
    point = {path: (low + high) / 2 for path, _, low, high, _ in TRUTH.values()}  # away from the fit's own point
    (tmp_path / "point.yaml").write_text(yaml.safe_dump(point), encoding="utf-8")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "apply_fit.py"), str(out / "history.h5"),
                             str(scenario), "--point", str(tmp_path / "point.yaml")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    written = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    best = yaml.safe_load((out / "best.yaml").read_text())
    for path, value in point.items():
        node = written
        for part in path.split("."):
            node = node[part]
        assert float(node) == pytest.approx(value, rel=5e-3), path
        assert abs(float(node) - float(best[path])) > 0.01 * value, path  # not the emulator's point
    assert "fitted (history match; the posterior draw whose runs fit best); posterior median" in scenario.read_text()


def test_a_parameter_also_sets_further_key_paths(tmp_path):
    """One start date for measures launched together (`also:`): every path gets the value, in the waves'
    sweeps and in the overrides written for the point estimate."""
    import yaml

    from fraudsim_analysis.history import load_problem, write_sweep
    from fraudsim_analysis.io import expand_also

    targets = ROOT / "scenarios" / "calibration" / "targets.yaml"
    (tmp_path / "calibration.yaml").write_text(
        f"scenario: {REFERENCE}\ntargets: {targets}\nparameters:\n"
        "  start: {path: interventions.push_warnings_2021.start, low: \"2021-01-01\", high: \"2021-06-30\",\n"
        "          also: [interventions.awareness_campaign_2021.start, interventions.fund_interception_2021.start]}\n")
    problem = load_problem(tmp_path / "calibration.yaml")
    sweep = yaml.safe_load(write_sweep(problem, np.array([[0.0], [1.0]]), tmp_path / "sweep.yaml", 1, 1, {})
                           .read_text())
    for variant, date in (("p0000", "2021-01-01"), ("p0001", "2021-06-30")):
        values = sweep["design"]["variants"][variant]
        assert len(values) == 3 and {str(v) for v in values.values()} == {date}, values
        result = subprocess.run([BINARY, "check", str(REFERENCE)] + [a for k, v in values.items()
                                                                     for a in ("--set", f"{k}={v}")],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        resolved = yaml.safe_load(result.stdout)["interventions"]
        assert str(resolved["fund_interception_2021"]["start"]) == date
    names, paths, samples = expand_also(["start", "x"], ["a.start", "x"], np.array([[1.0, 2.0], [3.0, 4.0]]),
                                        {"start": ["b.start"]})
    assert paths == ["a.start", "x", "b.start"] and names[2] == "start@b.start"
    np.testing.assert_array_equal(samples[:, 2], samples[:, 0])
    (tmp_path / "bad.yaml").write_text((tmp_path / "calibration.yaml").read_text().replace("also: [", "also: [1, "))
    with pytest.raises(ValueError, match="also"):
        load_problem(tmp_path / "bad.yaml")


def test_targets_that_cannot_be_met_together_are_named():
    """Two targets of one statistic that want opposite ends of the space: every point is ruled out, and the
    message names both, with the share of the last wave's points each rules out."""
    from fraudsim_analysis.history import HistoryMatchError, Wave, sample_nroy
    import pandas as pd

    rng = np.random.default_rng(3)
    unit = rng.random((30, 1))
    values = unit[:, 0] + rng.normal(0, 0.01, 30)
    emulator = Emulator(0).fit(unit, values)
    targets = pd.DataFrame({"id": ["low_end", "high_end"], "kind": ["year_on_year_change"] * 2,
                            "reported": [0.0, 1.0], "tolerance": [0.02, 0.02], "bound": [None, None]})
    wave = Wave(1, 1000, 1, unit, np.column_stack([values, values]), {0: emulator, 1: emulator},
                np.array([False, False]), [0, 1])
    with pytest.raises(HistoryMatchError, match=r"low_end \(\d+%\).*high_end \(\d+%\)|high_end \(\d+%\).*low_end \(\d+%\)"):
        sample_nroy([wave], targets, 1, 10, 3.0, rng, tries=2, batch=2000)


def test_a_higher_rank_rules_a_point_out_only_when_that_many_targets_miss():
    """Three targets of one statistic x, reported at 0.2, 0.2 and 0.8: a point near 0.2 misses one target
    (ruled out by the largest implausibility, kept by the second largest); a point near 0.8 misses two
    (ruled out by both rules); `prune` counts the same way."""
    from fraudsim_analysis.history import Wave, non_implausible, prune
    import pandas as pd

    rng = np.random.default_rng(5)
    unit = rng.random((40, 1))
    values = unit[:, 0] + rng.normal(0, 0.005, 40)
    emulator = Emulator(0).fit(unit, values)
    targets = pd.DataFrame({"id": ["a", "b", "c"], "kind": ["year_on_year_change"] * 3,
                            "reported": [0.2, 0.2, 0.8], "tolerance": [0.03] * 3, "bound": [None] * 3})

    def wave():
        return Wave(1, 1000, 1, unit, np.column_stack([values] * 3), {0: emulator, 1: emulator, 2: emulator},
                    np.array([False] * 3), [0, 1, 2])

    x = np.array([[0.2], [0.8], [0.5]])
    assert non_implausible([wave()], x, targets, 3.0).tolist() == [False, False, False]
    assert non_implausible([wave()], x, targets, 3.0, rank=2).tolist() == [True, False, False]
    assert non_implausible([wave()], x, targets, 3.0, rank=3).tolist() == [True, True, False]
    # no point meets all three: rank 1 must leave one out (c, which frees the points near 0.2); rank 2 need not
    probe = rng.random((2000, 1))
    first = wave()
    assert [targets["id"][j] for j in prune(first, probe, targets, 3.0)] == ["c"] and first.used == [0, 1]
    second = wave()
    assert prune(second, probe, targets, 3.0, rank=2) == [] and second.used == [0, 1, 2]
