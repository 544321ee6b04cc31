"""effects(): each variant against the baseline, paired over replicates, with a 90 % interval, over a window
that starts with the intervention the variant changes."""
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from fraudsim_analysis import effects, open_sweep
from fraudsim_analysis.paired import effect_text
from test_analysis_fixtures import write_sweep
from test_analysis_report import cli

pytest_plugins = ["test_analysis_fixtures"]  # the shared files (fixtures)

MONTHS = pd.date_range("2019-01-01", periods=48, freq="MS")
RESOLVED = """\
format: fraudsim resolved sweep, version 1
design: variants
points:
  - {point: 0, variant: baseline, overrides: {}}
  - {point: 1, variant: no_measure, overrides: {interventions.measure.enabled: "false"}}
  - {point: 2, variant: no_other, overrides: {interventions.other.enabled: "false"}}
base_scenario: |
  name: toy
  interventions:
    measure: {type: exit_control, start: 2021-03-15, ramp_days: 30}
    other: {type: interception, start: 2020-07-01}
"""


def toy_sweep(path, replicates=8, effect=0.3):
    """Cases per replicate share a noise path across variants (common random numbers): no_measure has
    `effect` more cases from March 2021 on; no_other differs from the baseline only by its own noise."""
    rng = np.random.default_rng(7)
    after = MONTHS >= "2021-03-01"
    rows, cases = [], []
    shared = [rng.lognormal(0, 0.3) * rng.uniform(0.8, 1.2, len(MONTHS)) for _ in range(replicates)]
    for point, variant in enumerate(["baseline", "no_measure", "no_other"]):
        for r in range(replicates):
            base = 1000 * shared[r]
            values = {"baseline": base, "no_measure": base * np.where(after, 1 + effect, 1.0),
                      "no_other": base * rng.uniform(0.95, 1.05, len(MONTHS))}[variant]
            rows.append({"run": len(rows), "point": point, "replicate": r, "seed": 50 + r, "variant": variant})
            cases.append(np.rint(values).astype("<i8"))
    cases = np.array(cases)
    return write_sweep(path, pd.DataFrame(rows), [], MONTHS,
                       {"registered_cases": cases, "open_cases": np.cumsum(cases, axis=1)},
                       {"registered_cases": "cases", "open_cases": "cases"}, "variants",
                       {"open_cases": "cases open (on the period's last day)"}, sweep=RESOLVED,
                       common_random_numbers=1)


def test_a_clear_effect_is_found_from_the_measures_start(tmp_path):
    table = effects(open_sweep(toy_sweep(tmp_path / "toy.h5")), "registered_cases").set_index("variant")
    row = table.loc["no_measure"]
    assert row["window_from"] == pd.Timestamp("2021-03-01") and row["window_to"] == MONTHS[-1]
    assert row["pairs"] == 8 and row["paired_by"] == "seed"
    assert row["relative"] == pytest.approx(0.3, abs=0.005)  # only rounding differs
    assert 0.15 < row["relative_low"] < 0.3 < row["relative_high"] < 0.45
    assert row["effect_low"] > 0 and row["verdict"] == "increase"
    other = table.loc["no_other"]
    assert other["window_from"] == pd.Timestamp("2020-07-01")
    assert other["effect_low"] < 0 < other["effect_high"] and other["verdict"] == "interval spans zero"
    assert "(interval spans zero)" in effect_text(other)


def test_the_window_dilutes_an_effect_and_can_be_given(tmp_path):
    sweep = open_sweep(toy_sweep(tmp_path / "toy.h5"))
    whole = effects(sweep, start="2019-01", end="2024-12").set_index("variant").loc["no_measure"]
    default = effects(sweep).set_index("variant").loc["no_measure"]
    assert whole["window_source"] == "given" and whole["window_from"] == MONTHS[0]
    assert whole["relative"] < 0.8 * default["relative"]  # 22 of 48 months have the effect


def test_paired_differences_are_narrower_than_unpaired(tmp_path):
    sweep = open_sweep(toy_sweep(tmp_path / "toy.h5"))
    row = effects(sweep).set_index("variant").loc["no_measure"]
    cases = sweep.array("registered_cases")[:, MONTHS >= "2021-03-01"].sum(axis=1).astype(float)
    base, variant = cases[:8], cases[8:16]
    unpaired_sd = np.sqrt(base.var(ddof=1) / 8 + variant.var(ddof=1) / 8)
    assert row["effect"] == pytest.approx((variant - base).mean())
    assert (row["effect_high"] - row["effect_low"]) < 0.5 * 2 * 1.75 * unpaired_sd


def test_a_stock_is_compared_at_the_windows_end(tmp_path):
    sweep = open_sweep(toy_sweep(tmp_path / "toy.h5"))
    table = effects(sweep, "open_cases", end="2022-06")
    row = table.set_index("variant").loc["no_measure"]
    assert table.attrs["kind"] == "stock" and row["window_to"] == pd.Timestamp("2022-06-01")
    at_end = sweep.frame("open_cases").loc["2022-06-01"].to_numpy()
    assert row["effect"] == pytest.approx((at_end[8:16] - at_end[:8]).mean())


def test_one_replicate_has_no_interval(tmp_path):
    row = effects(open_sweep(toy_sweep(tmp_path / "one.h5", replicates=1))).iloc[0]
    assert row["pairs"] == 1 and np.isnan(row["effect_low"]) and row["verdict"] == "one replicate: no interval"
    assert "no interval" in effect_text(row)


def test_real_sweep_window_starts_with_the_intervention(real_sweep):
    sweep = open_sweep(real_sweep)
    row = effects(sweep, "registered_cases").set_index("variant").loc["no_exit_controls"]
    start = pd.Timestamp(sweep.meta["sweep"].split("exit_controls_2021:")[1].split("start: ")[1][:10])
    assert row["window_from"] == start.to_period("M").to_timestamp()
    assert row["paired_by"] == "seed" and row["pairs"] == 2
    cases = sweep.frame("registered_cases").loc[row["window_from"]:].sum()
    design = sweep.design.set_index("run")
    by_seed = lambda v: cases[design["variant"] == v].set_axis(design.loc[design["variant"] == v, "seed"])
    assert row["effect"] == pytest.approx((by_seed("no_exit_controls") - by_seed("baseline")).mean())


def test_command_line(tmp_path):
    path = toy_sweep(tmp_path / "toy.h5")
    result = cli("effects", str(path), "--series", "registered_cases", "--csv", str(tmp_path / "e.csv"))
    assert result.returncode == 0, result.stderr
    assert "t-interval" in result.stdout and "interval spans zero" in result.stdout
    assert list(pd.read_csv(tmp_path / "e.csv")["variant"]) == ["no_measure", "no_other"]
    result = cli("effects", str(path), "--series", "no_such_series")
    assert result.returncode == 2 and "no monthly series 'no_such_series'" in result.stderr
    result = cli("effects", str(path), "--from", "2030-01")
    assert result.returncode == 2 and "outside the run's months" in result.stderr
