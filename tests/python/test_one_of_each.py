"""A new origin of workers, victim market, host jurisdiction and laundering route together are a change of
the scenario file only: the reference with one of each added (no code, no rebuild) runs, every output that
lists them names the new one beside the old ones, the new ones take part (workers, victims, compounds, money),
and the run is the same on one thread as on two."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import yaml

from fraudsim_analysis import open_run

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"


def with_one_of_each(folder: Path) -> Path:
    document = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    document["markets"]["south_asia"] = {
        "population": 1_800_000_000, "initial_effort_weight": 0.5, "deception_probability": 0.0002,
        "defence_share": 0.1, "report_probability": 0.1, "loss_median": 800, "loss_log_sd": 1.0, "yuan_per_unit": 7.0}
    document["origins"]["latin_america"] = {
        "initial_workforce": 3000, "recruits_per_vacancy_per_day": 0.0003, "trafficked_share": 0.6,
        "escape_per_year": 0.2, "release_per_year": 0.2, "return_per_year": 0.2, "markets": ["west", "south_asia"]}
    document["jurisdictions"]["west_africa"] = {
        "compounds": 0, "capacity_per_compound": 800, "capacity_growth_per_year": 0.2, "initial_workforce": 0,
        "groups": 0, "max_compounds": 40, "protection": 0.1, "enforcement": 0, "operating_cost": 0,
        "available_from": "2020-01-01"}
    document["laundering"]["routes"]["cash_courier"] = {
        "entry_hop": "underground_bank", "freeze_probability": 0.01, "trace_probability": 0.01,
        "commission_share": 0.25, "delay_days": 3, "completion_probability": 0.8}
    path = folder / "one_of_each.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one_of_each")
    scenario = with_one_of_each(folder)
    outputs = {}
    for threads in (1, 2):
        out = folder / f"threads_{threads}.h5"
        result = subprocess.run([BINARY, "run", str(scenario), "--seed", "3", "--set", "scale=2000", "--threads",
                                 str(threads), "-o", str(out)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        outputs[threads] = out
    return outputs


def test_each_new_entry_is_named_and_takes_part(runs):
    r = open_run(runs[2])
    origins = r.workforce_by_origin
    assert set(origins["origin"]) == {"home", "southeast_asia", "south_asia_africa", "latin_america"}
    assert origins.query("origin == 'latin_america'")["workforce"].sum() > 0
    markets = r.markets
    assert set(markets["market"]) == {"east_southeast_asia", "west", "south_asia"}
    assert markets.query("market == 'south_asia'")["victims"].sum() > 0
    assert "west_africa" in r.jurisdiction_workforce.columns
    with h5py.File(runs[2], "r") as f:
        names = list(f["jurisdictions/name"].asstr()[()])
        compounds = f["jurisdictions/compounds"][()][names.index("west_africa")]
        routes = list(f["laundering_routes/route"].asstr()[()])
    assert compounds[:12].sum() == 0 and compounds.max() > 0  # none before it is available (2020), some after
    assert routes == ["bank_cards", "payment_platform", "stablecoin", "cash_courier"]
    money = r.laundering_routes
    assert money[money["route"] == "cash_courier"]["paid_in_yuan"].sum() > 0


def test_the_same_on_one_thread_as_on_two(runs):
    with h5py.File(runs[1], "r") as one, h5py.File(runs[2], "r") as two:
        for name in ("monthly/foreign_losses_yuan", "monthly/workers_abroad", "markets/victims",
                     "workforce_by_origin/workforce", "laundering_routes/paid_in_yuan", "jurisdictions/compounds",
                     "monthly/registered_cases"):
            np.testing.assert_array_equal(one[name][()], two[name][()], err_msg=name)
