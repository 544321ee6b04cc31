"""Workers of several origins, victims in several markets, displacement (docs/model.md, Origins and Markets).

The reference at one agent per 2,000 people, eight seeds, with every
intervention on and with every intervention switched off (common seeds):

- displacement: with China's measures off, the compounds' losses abroad over
  2022-2024 would be lower than with them on, seed by seed on average beyond
  seed noise (the mean of the paired differences at least three standard
  errors above zero). With the measures on, home-country workers leave the
  compounds, workers of other origins take their places, and effort moves to
  markets whose returns have not fallen. In the reference fitted by match D
  this is within seed noise: the test is a strict expected failure;
- the workforce of every origin in August 2023 (median over the seeds) is
  within a factor of 1.5 of the 220,000 the UN human rights office counted in
  Myanmar and Cambodia, and it does not fall by more than a third from 2020 to
  2023 (annual means of the monthly stock, and the December stocks), while
  the home country's workers abroad fall more than the whole workforce (their
  share of it falls: the displacement);
- a scenario that adds an origin and a market by its file alone runs, and
  both show up in the output.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import yaml

from fraudsim_analysis import open_run

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"
SEEDS = [1, 2, 3, 4, 5, 6, 7, 8]
SCALE = 2000
SERIES = ["workers_abroad", "chinese_workers_abroad", "foreign_losses_yuan", "foreign_victims"]


def all_interventions_off() -> list[str]:
    document = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    return [f"interventions.{name}.enabled=false" for name in document["interventions"]]


def run(folder: Path, name: str, scenario: Path, seed: int, overrides: list[str]) -> Path:
    out = folder / f"{name}_{seed}.h5"
    command = [BINARY, "run", str(scenario), "--seed", str(seed), "--set", f"scale={SCALE}", "-o", str(out)]
    for override in overrides:
        command += ["--set", override]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out


def monthly(folder: Path, name: str, seed: int, overrides: list[str]):
    out = run(folder, name, REFERENCE, seed, overrides)
    series = open_run(out).monthly[SERIES]
    out.unlink()
    return series


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("origins")
    off = all_interventions_off()
    return {seed: (monthly(folder, "on", seed, []), monthly(folder, "off", seed, off)) for seed in SEEDS}


# Within seed noise in the reference fitted by match D (docs/model.md, 7.16):
# over 2022-2024 the measures' displacement of effort abroad adds +6 bn yuan
# (standard error 11 bn) to foreign losses of about 240 bn, seeds 1-8; the
# foreign markets' heavy-tailed losses vary by some 30 bn between seeds.
# Strict: the test fails as soon as the effect is beyond noise again.
@pytest.mark.xfail(strict=True, reason="within seed noise in the reference (docs/model.md, 7.16)")
def test_foreign_losses_are_lower_without_the_home_countrys_measures(runs):
    on = np.array([runs[s][0]["foreign_losses_yuan"]["2022":"2024"].sum() for s in SEEDS])
    off = np.array([runs[s][1]["foreign_losses_yuan"]["2022":"2024"].sum() for s in SEEDS])
    difference = on - off
    standard_error = difference.std(ddof=1) / np.sqrt(len(difference))
    assert difference.mean() > 3 * standard_error, (
        f"foreign losses 2022-2024 (bn yuan) with measures {np.round(on / 1e9)}, without {np.round(off / 1e9)}")


def test_workforce_of_every_origin_in_2023(runs):
    workers = [runs[s][0]["workers_abroad"] for s in SEEDS]
    august = np.median([w["2023-08"].iloc[0] for w in workers])
    assert 220_000 / 1.5 <= august <= 220_000 * 1.5, f"workers abroad in August 2023: {august:,.0f}"
    mean_ratio = np.median([w["2023"].mean() / w["2020"].mean() for w in workers])
    december_ratio = np.median([w["2023-12"].iloc[0] / w["2020-12"].iloc[0] for w in workers])
    assert mean_ratio >= 2 / 3 and december_ratio >= 2 / 3, f"2023 over 2020: means {mean_ratio:.2f}, December {december_ratio:.2f}"
    home = [runs[s][0]["chinese_workers_abroad"] for s in SEEDS]
    home_ratio = np.median([h["2023"].mean() / h["2020"].mean() for h in home])
    assert home_ratio < 1 and home_ratio < mean_ratio, (
        f"2023 over 2020, annual means: home-country workers {home_ratio:.2f}, all workers {mean_ratio:.2f}")


def test_an_origin_and_a_market_added_by_the_scenario_file_alone(tmp_path):
    document = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    document["markets"]["middle_east"] = {
        "population": 400_000_000, "initial_effort_weight": 0.5, "deception_probability": 0.0002,
        "defence_share": 0.1, "report_probability": 0.1, "loss_median": 5000, "loss_log_sd": 1.2, "yuan_per_unit": 7.0}
    document["origins"]["latin_america"] = {
        "initial_workforce": 3000, "recruits_per_vacancy_per_day": 0.0002, "trafficked_share": 0.6,
        "escape_per_year": 0.2, "release_per_year": 0.2, "return_per_year": 0.2, "markets": ["west", "middle_east"]}
    scenario = tmp_path / "more_origins_and_markets.yaml"
    scenario.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    result = run(tmp_path, "more", scenario, 1, [])
    r = open_run(result)
    latin = r.workforce_by_origin.query("origin == 'latin_america'")
    assert latin["workforce"].sum() > 0 and set(r.workforce_by_origin["origin"]) == {
        "home", "southeast_asia", "south_asia_africa", "latin_america"}
    markets = r.markets
    assert set(markets["market"]) == {"east_southeast_asia", "west", "middle_east"}
    middle_east = markets.query("market == 'middle_east'")
    assert middle_east["victims"].sum() > 0 and middle_east["losses_yuan"].sum() > 0
    # The groups agree with the series.
    total = markets.groupby("month")["losses_yuan"].sum().to_numpy()
    np.testing.assert_array_equal(total, r.monthly["foreign_losses_yuan"].to_numpy())
    by_origin = r.workforce_by_origin.groupby("month")["workforce"].sum().to_numpy()
    np.testing.assert_array_equal(by_origin, r.monthly["workers_abroad"].to_numpy())
