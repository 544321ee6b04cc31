"""Attribution over a posterior: the sweep it writes, the intervals, and what a user gets wrong.

A tiny posterior (three samples of two parameters of the reference) is
written here; three interventions of the reference are attributed over its
draws at 1:2000, three seeds per draw.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest
import yaml

from fraudsim_analysis.attribution import (choose_draws, load_posterior, measures, mixture_interval,
                                           resolved_scenario)

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"
PARAMETERS = {"recording": "victims.recording_probability",
              "exit_start": "interventions.exit_controls_2021.start"}  # a date: days since 1970-01-01 in the file
SAMPLES = np.array([[0.35, (dt.date(2021, 5, 1) - dt.date(1970, 1, 1)).days],
                    [0.45, (dt.date(2021, 7, 15) - dt.date(1970, 1, 1)).days],
                    [0.55, (dt.date(2021, 9, 30) - dt.date(1970, 1, 1)).days]])
WEIGHTS = np.array([0.5, 0.3, 0.2])
# The fast interception of 2021 matters in the reference (about +20 % of cases when off, docs/model.md)
# well beyond the noise of 3 seeds at 1:2000; persuasion starts on a fixed date, the exit controls on a fitted one.
CHOSEN = ["interception_fast_mechanism_2021", "persuade_to_return_2021", "exit_controls_2021"]
DRAWS, REPLICATES, SEED = 3, 3, 7


def _posterior(path: Path, names=PARAMETERS) -> Path:
    with h5py.File(path, "w") as f:
        f["parameters"] = np.array(list(names), dtype=h5py.string_dtype())
        f["paths"] = np.array(list(names.values()), dtype=h5py.string_dtype())
        f["posterior/samples"] = SAMPLES[:, :len(names)]
        f["posterior/weights"] = WEIGHTS
    return path


def _command(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "analysis"),
                                                                      os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "fraudsim_analysis", "attribute", *map(str, args),
                           "--binary", BINARY], capture_output=True, text=True, check=False, env=env)


@pytest.fixture(scope="module")
def attributed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("attribution")
    posterior = _posterior(folder / "history.h5")
    out = folder / "out"
    result = _command(REFERENCE, posterior, "-o", out, "--draws", DRAWS, "--replicates", REPLICATES,
                      "--scale", 2000, "--seed", SEED, "--threads", 2, "--interventions", ",".join(CHOSEN))
    assert result.returncode == 0, result.stderr[-3000:]
    return posterior, out, result


def test_the_sweep_runs_every_draw_with_and_without_each_intervention_on_shared_seeds(attributed):
    posterior, out, _ = attributed
    chosen, counts = choose_draws(load_posterior(posterior), DRAWS, SEED)
    assert counts.sum() == DRAWS
    with h5py.File(out / "runs.h5", "r") as f:
        variants = [v.decode() for v in f["design/variant"][()]]
        seeds, replicates = f["design/seed"][()], f["design/replicate"][()]
        sweep = yaml.safe_load(f["meta"].attrs["sweep"])
    expected = {f"d{d:03d}_{what}" for d in range(len(chosen)) for what in
                ["baseline"] + [f"without_{name}" for name in CHOSEN]}
    assert set(variants) == expected
    assert len(variants) == len(expected) * REPLICATES
    for r in range(REPLICATES):  # common random numbers: one seed per replicate
        assert len(set(seeds[replicates == r])) == 1
    assert len(set(seeds)) == REPLICATES
    for point in sweep["points"]:
        d = int(point["variant"][1:4])
        sample = SAMPLES[chosen[d]]
        overrides = point["overrides"]
        assert overrides[PARAMETERS["recording"]] == pytest.approx(sample[0])
        start = overrides[PARAMETERS["exit_start"]]  # back to a date, not days
        assert start == dt.date(1970, 1, 1) + dt.timedelta(days=int(sample[1]))
        switched_off = [k for k, v in overrides.items() if k.endswith(".enabled") and v is False]
        if point["variant"].endswith("_baseline"):
            assert switched_off == []
        else:
            assert switched_off == [f"interventions.{point['variant'].split('_without_')[1]}.enabled"]


def test_intervals_hold_their_means_and_a_measure_that_matters_lowers_cases(attributed):
    _, out, result = attributed
    table = pd.read_csv(out / "attribution.csv")
    assert set(table["intervention"]) == set(CHOSEN)
    assert set(table["outcome"]) == {"registered_cases", "losses_yuan", "victims"}
    assert (table["low"] <= table["mean"]).all() and (table["mean"] <= table["high"]).all()
    assert (table["high"] > table["low"]).all(), "no interval: the seed noise or the draws' spread is lost"
    assert np.isfinite(table["seed_sd"]).all() and (table["seed_sd"] > 0).all()
    verdicts = table["verdict"].where(~((table["low"] <= 0) & (table["high"] >= 0)), "spans zero")
    assert (verdicts == table["verdict"]).all(), "an interval that spans zero must be reported as such"
    interception = table[table["intervention"] == "interception_fast_mechanism_2021"].set_index("outcome")
    for outcome in ("registered_cases", "victims"):
        assert interception.loc[outcome, "low"] > 0, (f"fast interception off: {outcome} interval "
                                                      f"{interception.loc[outcome].to_dict()}")
    # the exit controls' window starts at the draw's own start month
    assert table.loc[table["intervention"] == "exit_controls_2021", "window_from"].iloc[0].startswith("2021-0")
    assert "| persuade_to_return_2021 | 2021-01 |" in (out / "attribution.md").read_text()  # a fixed start
    assert "interception_fast_mechanism_2021" in result.stdout


def test_the_mixture_interval_is_a_t_interval_for_one_draw_and_quantiles_without_noise():
    from scipy.stats import t

    low, high = mixture_interval(np.array([0.3]), np.array([1.0]), seed_sd=0.1, replicates=4, dof=3)
    half = t.ppf(0.95, 3) * 0.1 / 2
    assert (low, high) == pytest.approx((0.3 - half, 0.3 + half))
    means = np.linspace(0, 1, 101)
    low, high = mixture_interval(means, np.ones(101), seed_sd=0.0, replicates=2, dof=101)
    assert (low, high) == pytest.approx((0.05, 0.95), abs=0.006)
    # noise widens the draws' spread
    wide = mixture_interval(means, np.ones(101), seed_sd=0.3, replicates=2, dof=101)
    assert wide[0] < low and wide[1] > high


def test_every_measure_of_the_reference_is_attributed_but_not_the_hosts_events():
    resolved = resolved_scenario(BINARY, REFERENCE)
    written = yaml.safe_load(REFERENCE.read_text())["interventions"]
    expected = [name for name, s in written.items() if s.get("enabled", True) is not False
                and s["type"] != "enforcement_change"]
    assert [m.name for m in measures(resolved)] == expected
    assert len(measures(resolved, host_events=True)) == len(expected) + sum(
        s["type"] == "enforcement_change" for s in written.values())


@pytest.mark.parametrize("case", ["unknown parameter", "missing file", "unknown intervention", "out of bounds"])
def test_bad_input_gives_one_line_and_exit_code_2(tmp_path, case):
    posterior = _posterior(tmp_path / "history.h5")
    extra = []
    if case == "unknown parameter":
        posterior = _posterior(tmp_path / "bad.h5", {"recording": "victims.recording_chance"})
    elif case == "missing file":
        posterior = tmp_path / "nothing.h5"
    elif case == "out of bounds":  # a recording probability of 3.5
        with h5py.File(posterior, "r+") as f:
            f["posterior/samples"][:, 0] += 3
    else:
        extra = ["--interventions", "push_warnings_2021,no_such_measure"]
    result = _command(REFERENCE, posterior, "-o", tmp_path / "out", "--draws", 2, *extra)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    word = {"unknown parameter": "victims.recording_chance", "missing file": "nothing.h5",
            "unknown intervention": "no_such_measure", "out of bounds": "victims.recording_probability"}[case]
    assert word in lines[0]
    assert not (tmp_path / "out" / "runs").exists(), "nothing must run on bad input"


def test_a_fit_of_fraudsim_calibrate_is_read_with_its_dates(tmp_path):
    path = tmp_path / "fit.h5"
    text = h5py.string_dtype()
    with h5py.File(path, "w") as f:
        f.create_group("meta").attrs["version"] = "0"
        p = f.create_group("posterior")
        p["parameter"] = np.array(list(PARAMETERS), dtype=text)
        p["path"] = np.array(list(PARAMETERS.values()), dtype=text)
        p["units"] = np.array(["", "days since 1970-01-01"], dtype=text)
        p["samples"], p["weights"], p["distances"] = SAMPLES, WEIGHTS * 2, np.zeros(3)
    posterior = load_posterior(path)
    assert posterior.paths == list(PARAMETERS.values()) and posterior.dates == [False, True]
    assert posterior.weights == pytest.approx(WEIGHTS)
