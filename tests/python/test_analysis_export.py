"""to_xarray() of runs and sweeps, and CSV of series and of the transaction graph."""
import numpy as np
import pandas as pd
import pytest

from fraudsim_analysis import FraudsimFileError, open_run, open_sweep, series_csv, transactions_csv
from test_analysis_fixtures import GRID_FACTORS
from test_analysis_report import cli

pytest_plugins = ["test_analysis_fixtures"]  # the shared files (fixtures)
xr = pytest.importorskip("xarray", reason="xarray is not installed (Debian package python3-xarray)")


def test_run_to_xarray_keeps_values_and_attributes(real_run):
    run = open_run(real_run)
    ds = run.to_xarray()
    assert set(ds.data_vars) == set(run.monthly.columns) and ds.sizes["month"] == len(run.monthly)
    np.testing.assert_array_equal(ds["registered_cases"].values, run.monthly["registered_cases"].to_numpy())
    assert ds["losses_yuan"].attrs["units"] == "yuan" and ds["workers_abroad"].attrs["kind"] == "stock"
    assert ds.attrs["seed"] == run.meta["seed"]
    assert run.to_xarray("daily").sizes["date"] == len(run.daily)


def test_sweep_to_xarray_has_the_design_as_coordinates(sweep_grid):
    sweep = open_sweep(sweep_grid)
    ds = sweep.to_xarray()
    assert ds["registered_cases"].dims == ("run", "month")
    np.testing.assert_array_equal(ds["registered_cases"].values, sweep.array("registered_cases"))
    for column in GRID_FACTORS + ["point", "replicate", "seed"]:
        np.testing.assert_array_equal(ds[column].values, sweep.design[column].to_numpy())
    cube = ds.to_array("series")
    assert cube.dims == ("series", "run", "month") and cube.sizes["series"] == len(sweep.series)
    # The design as coordinates makes a grid's mean over replicates one line.
    means = ds["registered_cases"].sum("month").groupby("point").mean()
    assert len(means) == sweep.design["point"].nunique()


def test_variants_sweep_groups_by_variant(sweep_variants):
    ds = open_sweep(sweep_variants).to_xarray()
    totals = ds["registered_cases"].sum("month").groupby("variant").mean()
    assert set(totals["variant"].values) == {"reference", "no_exit_controls"}


def test_series_csv_round_trips(real_run, sweep_grid, tmp_path):
    run = open_run(real_run)
    table = pd.read_csv(series_csv(run, tmp_path / "run.csv"))
    assert list(table.columns) == ["month"] + list(run.monthly.columns)
    assert table["month"].iloc[0] == f"{run.monthly.index[0]:%Y-%m}"
    np.testing.assert_array_equal(table["victims"], run.monthly["victims"].to_numpy())
    sweep = open_sweep(sweep_grid)
    table = pd.read_csv(series_csv(sweep, tmp_path / "sweep.csv"))
    assert len(table) == len(sweep.design) * len(sweep.months)
    assert list(table.columns[:3]) == ["run", "point", "replicate"] and GRID_FACTORS[0] in table
    np.testing.assert_array_equal(table.loc[table["run"] == 3, "registered_cases"], sweep.array("registered_cases")[3])


def test_transactions_csv(extended_run, real_run, tmp_path):
    edges = pd.read_csv(transactions_csv(open_run(extended_run), tmp_path / "tx.csv"))
    assert {"day", "from_account", "to_account", "amount_yuan"} <= set(edges.columns) and len(edges)
    assert pd.to_datetime(edges["day"], format="%Y-%m-%d").notna().all()
    with pytest.raises(FraudsimFileError, match="--transactions"):
        transactions_csv(open_run(real_run), tmp_path / "none.csv")


def test_command_line(real_run, sweep_variants, tmp_path):
    result = cli("csv", real_run, "-o", tmp_path / "daily.csv", "--daily")
    assert result.returncode == 0, result.stderr
    assert pd.read_csv(tmp_path / "daily.csv").columns[0] == "date"
    result = cli("csv", sweep_variants, "-o", tmp_path / "sweep.csv")
    assert result.returncode == 0 and "variant" in pd.read_csv(tmp_path / "sweep.csv")
    result = cli("transactions", real_run, "-o", tmp_path / "tx.csv")
    assert result.returncode == 2 and "fraudsim run --transactions" in result.stderr
    assert not (tmp_path / "tx.csv").exists()


def test_date_axes_say_what_they_are(real_run, real_sweep):
    import h5py

    with h5py.File(real_run, "r") as f:
        for axis, units in (("monthly/month", "month"), ("daily/date", "date")):
            assert f[axis].attrs["units"] == units and "YYYY-MM" in f[axis].attrs["description"]
    with h5py.File(real_sweep, "r") as f:
        assert f["monthly/month"].attrs["units"] == "month" and "[run, month]" in f["monthly/month"].attrs["description"]
