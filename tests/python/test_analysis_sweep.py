"""Merged sweep files (layout: docs/analysis.md): a variants sweep merged from
runs the binary makes in the test, and hand-made grid and Saltelli designs."""
import shutil

import h5py
import numpy as np
import pandas as pd
import pytest

from fraudsim_analysis import FraudsimFileError, Sweep, open_file, open_run, open_sweep
from test_analysis_fixtures import GRID_FACTORS

pytest_plugins = ["test_analysis_fixtures"]  # the shared files (fixtures)


def test_open_file_detects_a_sweep(sweep_variants, sweep_grid):
    for path in (sweep_variants, sweep_grid):
        assert isinstance(open_file(path), Sweep)
    with pytest.raises(FraudsimFileError, match="a sweep file, not a run file"):
        open_run(sweep_grid)


def test_variants_sweep_holds_the_runs(sweep_variants, files):
    sweep = open_sweep(sweep_variants)
    assert sweep.design_type == "variants" and sweep.factors == []
    assert list(sweep.design.columns[:5]) == ["run", "point", "replicate", "seed", "variant"]
    assert sweep.design["variant"].tolist() == ["reference"] * 3 + ["no_exit_controls"] * 3
    assert list(sweep.months) == list(pd.date_range("2019-01-01", "2024-12-01", freq="MS"))
    cases = sweep.array("registered_cases")
    assert cases.shape == (6, 72) and cases.dtype == np.int64
    run = open_run(files / "no_exit_controls_1001.h5")  # run 4: variant no_exit_controls, seed 1001
    np.testing.assert_array_equal(cases[4], run.monthly["registered_cases"].to_numpy())
    assert sweep.units["losses_yuan"] == "yuan"


def test_long_table_is_joined_to_the_design(sweep_variants):
    sweep = open_sweep(sweep_variants)
    long = sweep.long("registered_cases")
    assert len(long) == 6 * 72
    assert list(long.columns[:4]) == ["run", "month", "series", "value"] and "variant" in long
    row = long[(long["run"] == 4) & (long["month"] == "2021-06-01")].iloc[0]
    assert row["value"] == sweep.array("registered_cases")[4, 29] and row["variant"] == "no_exit_controls"
    everything = sweep.long()
    assert len(everything) == 6 * 72 * len(sweep.series)
    assert set(everything["series"]) == set(sweep.series)


def test_grid_design_and_summaries(sweep_grid):
    sweep = open_sweep(sweep_grid)
    assert sweep.factors == GRID_FACTORS and sweep.design_type == "grid"
    assert set(GRID_FACTORS) <= set(sweep.design.columns)
    frame = sweep.frame("registered_cases")
    assert frame.shape == (72, len(sweep.design))
    totals = sweep.summary("registered_cases")  # a flow: summed
    np.testing.assert_array_equal(totals.to_numpy(), sweep.array("registered_cases").sum(axis=1))
    in_2021 = sweep.summary("registered_cases", ("2021-01", "2021-12"))
    np.testing.assert_array_equal(in_2021.to_numpy(), sweep.array("registered_cases")[:, 24:36].sum(axis=1))
    end = sweep.summary("workers_abroad", ("2019-01", "2020-12"))  # a stock: its last value
    np.testing.assert_array_equal(end.to_numpy(), sweep.array("workers_abroad")[:, 23])
    with pytest.raises(ValueError, match="outside"):
        sweep.summary("registered_cases", ("2030-01", "2030-12"))
    with pytest.raises(KeyError, match="no monthly series 'nonsense'"):
        sweep.array("nonsense")


def test_saltelli_design_columns(sweep_saltelli):
    sweep = open_sweep(sweep_saltelli)
    assert sweep.design_type == "saltelli"
    d = sweep.design
    assert set(d["saltelli_block"]) == {"A", "B", "AB"}
    assert (d.loc[d["saltelli_block"] != "AB", "saltelli_factor"] == -1).all()
    assert sorted(d.loc[d["saltelli_block"] == "AB", "saltelli_factor"].unique()) == [0, 1, 2]


@pytest.mark.parametrize("damage, words", [
    ("renumbered", "/design/run must number the runs"),
    ("short_series", "expected (40, 72) [run, month]"),
])
def test_malformed_sweeps(sweep_grid, tmp_path, damage, words):
    copy = tmp_path / f"{damage}.h5"
    shutil.copy(sweep_grid, copy)
    with h5py.File(copy, "a") as f:
        if damage == "renumbered":
            f["design/run"][0] = 7
        else:
            del f["monthly/registered_cases"]
            f["monthly/registered_cases"] = np.zeros((40, 10), dtype="<i8")
    with pytest.raises(FraudsimFileError) as info:
        open_sweep(copy).array("registered_cases")
    assert str(copy) in str(info.value) and words in str(info.value) and "\n" not in str(info.value)


def test_a_sweep_merged_by_the_binary(real_sweep, tmp_path):
    sweep = open_file(real_sweep)
    assert isinstance(sweep, Sweep) and sweep.design_type == "variants" and sweep.factors == []
    assert sweep.design["variant"].tolist() == ["baseline", "baseline", "no_exit_controls", "no_exit_controls"]
    assert list(sweep.design["replicate"]) == [0, 1, 0, 1]
    assert sweep.array("registered_cases").shape == (4, 72)
    assert sweep.summary("workers_abroad").equals(sweep.frame("workers_abroad").iloc[-1].rename("workers_abroad"))
    long = sweep.long("registered_cases")
    assert len(long) == 4 * 72 and set(long["variant"]) == {"baseline", "no_exit_controls"}
    # Common random numbers: the variants are identical until the exit controls start.
    cases = sweep.array("registered_cases")
    np.testing.assert_array_equal(cases[0, :24], cases[2, :24])
