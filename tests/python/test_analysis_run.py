"""Run files: read back from files the fraudsim binary writes in the test, and
the newer groups (/events, /compounds, ...) added to such a file by hand."""
import shutil

import h5py
import numpy as np
import pandas as pd
import pytest

from fraudsim_analysis import FraudsimFileError, Run, open_file, open_run
from test_analysis_fixtures import older_file

pytest_plugins = ["test_analysis_fixtures"]  # the shared files (fixtures)


def test_open_file_detects_a_run(real_run):
    run = open_file(real_run)
    assert isinstance(run, Run) and run.kind == "run"


def test_series_shapes_dates_and_units(real_run):
    run = open_run(real_run)
    with h5py.File(real_run, "r") as f:
        names = sorted(n for n in f["monthly"] if n != "month")
        units = {n: f["monthly"][n].attrs["units"] for n in names}
        cases = f["monthly/registered_cases"][()]
    assert sorted(run.monthly.columns) == names and sorted(run.daily.columns) == names
    assert run.daily.shape == (2192, len(names)) and run.monthly.shape == (72, len(names))
    assert isinstance(run.daily.index, pd.DatetimeIndex) and isinstance(run.monthly.index, pd.DatetimeIndex)
    assert run.daily.index[0] == pd.Timestamp("2019-01-01") and run.daily.index[-1] == pd.Timestamp("2024-12-31")
    assert (run.daily.index[1:] - run.daily.index[:-1] == pd.Timedelta(days=1)).all()
    assert list(run.monthly.index) == list(pd.date_range("2019-01-01", "2024-12-01", freq="MS"))
    assert run.monthly.attrs["units"] == units
    assert run.monthly.attrs["units"]["losses_yuan"] == "yuan" and run.daily.attrs["units"]["victims"] == "people"
    assert run.monthly.attrs["descriptions"]["workers_abroad"].endswith("(on the period's last day)")
    assert run.monthly.attrs["kinds"]["workers_abroad"] == "stock" and run.monthly.attrs["kinds"]["victims"] == "flow"
    assert run.monthly.attrs["kinds"]["card_price_yuan"] == "stock"
    np.testing.assert_array_equal(run.monthly["registered_cases"].to_numpy(), cases)
    assert run.monthly["registered_cases"].dtype == np.int64


def test_meta_scenario_and_interventions(real_run):
    run = open_run(real_run)
    assert run.meta["scale"] == 10000 and isinstance(run.meta["seed"], int)
    assert run.meta["scenario_name"] == "china_2019_2024"
    assert run.scenario_dict["name"] == "china_2019_2024" and run.scenario_dict["scale"] == 10000
    assert "exit_controls_2021" in run.scenario_dict["interventions"]
    iv = run.interventions.set_index("name")
    # The /interventions table agrees with the resolved scenario stored in /meta.
    stored_start = run.scenario_dict["interventions"]["exit_controls_2021"]["start"]
    assert iv.loc["exit_controls_2021", "start"] == pd.Timestamp(str(stored_start))
    assert pd.api.types.is_datetime64_any_dtype(iv["start"]) and pd.api.types.is_datetime64_any_dtype(iv["end"])
    with h5py.File(real_run, "r") as f:
        open_ended = f["interventions/end"].asstr()[()] == ""
    np.testing.assert_array_equal(iv["end"].isna().to_numpy(), open_ended)  # "" (no end) is NaT


def test_annual_sums_flows_and_keeps_year_end_stocks(real_run):
    run = open_run(real_run)
    annual = run.annual()
    assert list(annual.index) == list(range(2019, 2025))
    daily = run.daily
    np.testing.assert_array_equal(annual["registered_cases"], daily["registered_cases"].groupby(daily.index.year).sum())
    np.testing.assert_array_equal(annual["workers_abroad"], daily["workers_abroad"].groupby(daily.index.year).last())
    np.testing.assert_array_equal(annual["open_cases"], daily["open_cases"].groupby(daily.index.year).last())


def test_groups_a_file_does_not_have_are_empty(real_run, tmp_path):
    run = open_run(older_file(real_run, tmp_path))
    assert run.events.empty and list(run.events.columns) == ["date", "type", "compound", "jurisdiction", "group",
                                                             "count"]
    assert run.compounds.empty and run.laundering.empty and run.compound_info.empty
    assert run.jurisdiction_workforce.shape == (72, 0)
    assert run.transactions is None


def test_newer_groups_as_the_binary_writes_them(real_run):
    with h5py.File(real_run, "r") as f:
        if "compounds" not in f or "laundering" not in f:
            pytest.skip("this binary does not write /compounds and /laundering yet")
        workforce, where = f["compounds/workforce"][()], f["compounds/jurisdiction"][()]
        names = f["compounds/name"].asstr()[()]
        hops = f["laundering/hop"].asstr()[()]
        n_events = len(f["events/date"]) if "events" in f else 0
    run = open_run(real_run)
    assert len(run.compound_info) == len(names) and workforce.shape == (len(names), 72)
    assert len(run.compounds) == (where >= 0).sum()
    assert run.compounds["workforce"].sum() == workforce[where >= 0].sum()
    assert run.jurisdiction_workforce.shape[0] == 72
    assert list(run.laundering["hop"].cat.categories) == list(hops) and len(run.laundering) == len(hops) * 72
    assert len(run.events) == n_events
    if n_events:
        assert run.events["date"].between(run.daily.index[0], run.daily.index[-1]).all()


def test_newer_groups(extended_run):
    run = open_run(extended_run)
    events = run.events
    assert list(events.columns) == ["date", "type", "compound", "jurisdiction", "group", "count"]
    assert events["date"].iloc[0] == pd.Timestamp("2023-10-15")
    assert events["compound"].iloc[0] == "compound_00" and events["jurisdiction"].iloc[2] == "laos"

    info = run.compound_info
    assert len(info) == 12 and info["closed"].iloc[0] == pd.Timestamp("2023-10-15") and pd.isna(info["closed"].iloc[5])
    assert info["jurisdiction_at_start"].iloc[4] == "cambodia" and info["jurisdiction_at_start"].iloc[10] is None

    compounds = run.compounds
    assert list(compounds.columns) == ["month", "compound", "jurisdiction", "group", "workforce"]
    with h5py.File(extended_run, "r") as f:
        where, workforce = f["compounds/jurisdiction"][()], f["compounds/workforce"][()]
        by_jurisdiction = f["jurisdictions/workforce"][()]
    assert len(compounds) == (where >= 0).sum()  # one row per open compound and month
    assert compounds["workforce"].sum() == workforce[where >= 0].sum()
    relocated = compounds[compounds["compound"] == "compound_03"].set_index("month")["jurisdiction"]
    assert relocated["2023-09-01"] == "northern_myanmar" and relocated["2023-10-01"] == "laos"

    jw = run.jurisdiction_workforce
    assert jw.shape == (72, 4) and list(jw.columns) == ["northern_myanmar", "cambodia", "philippines", "laos"]
    assert isinstance(jw.index, pd.DatetimeIndex)
    np.testing.assert_array_equal(jw.to_numpy(), by_jurisdiction.T)
    summed = compounds.pivot_table(index="month", columns="jurisdiction", values="workforce", aggfunc="sum")
    np.testing.assert_array_equal(summed.reindex(columns=jw.columns, fill_value=0).fillna(0).to_numpy(),
                                  jw.to_numpy())

    laundering = run.laundering
    assert laundering.shape == (5 * 72, 7)
    assert list(laundering["hop"].cat.categories) == ["mule_card", "second_tier_cards", "payment_channel",
                                                      "underground_bank", "virtual_currency"]
    first = laundering[laundering["hop"] == "mule_card"]
    np.testing.assert_array_equal(first["entered_yuan"], run.monthly["losses_yuan"])
    parts = laundering[["frozen_yuan", "passed_yuan", "commission_yuan"]].sum(axis=1)
    np.testing.assert_array_equal(parts, laundering["entered_yuan"])

    tx = run.transactions
    assert len(tx) == 300 and list(tx.columns[:4]) == ["day", "from_account", "to_account", "amount_yuan"]
    assert pd.api.types.is_datetime64_any_dtype(tx["day"])


def test_jurisdiction_workforce_falls_back_on_the_compounds(extended_run, tmp_path):
    copy = tmp_path / "no_jurisdiction_table.h5"
    shutil.copy(extended_run, copy)
    with h5py.File(copy, "a") as f:
        expected = f["jurisdictions/workforce"][()]
        del f["jurisdictions/workforce"]
    jw = open_run(copy).jurisdiction_workforce
    np.testing.assert_array_equal(jw[["northern_myanmar", "cambodia", "philippines", "laos"]].to_numpy(), expected.T)


def test_newer_groups_with_wrong_shapes_are_reported(extended_run, tmp_path):
    copy = tmp_path / "bad_compounds.h5"
    shutil.copy(extended_run, copy)
    with h5py.File(copy, "a") as f:
        del f["compounds/workforce"]
        f["compounds/workforce"] = np.zeros((12, 10), dtype="<i8")
    run = open_run(copy)  # the core of the file is fine
    with pytest.raises(FraudsimFileError, match=r"bad_compounds\.h5: .*\[compound, month\]"):
        run.compounds
