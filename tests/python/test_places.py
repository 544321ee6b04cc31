"""A new host of compounds is a change of scenario file only.

The reference scenario with one more jurisdiction (no compounds at the start,
available from a date) and one more dated change of enforcement, written as
text: the run reads it, groups open compounds there only from its date, the
output names it, and the results are the same on one thread and two.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from fraudsim_analysis import open_run

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"

NEW_HOST = ("  new_host:         {compounds: 0, capacity_per_compound: 1500, capacity_growth_per_year: 0.2, "
            "initial_workforce: 0, groups: 0, max_compounds: 30, protection: 0.3, enforcement: 0, "
            "operating_cost: 0.1, available_from: 2021-07-01}\n")
NEW_CHANGE = """  cambodia_crackdown_for_the_test:
    type: enforcement_change
    jurisdiction: cambodia
    start: 2021-01-01
    enforcement: 0.8
"""


def scenario_with_a_new_host(folder: Path) -> Path:
    lines = REFERENCE.read_text().splitlines(keepends=True)
    at = next(k for k, line in enumerate(lines) if line.startswith("groups:"))
    while not lines[at - 1].strip():  # after the last jurisdiction, before the blank line
        at -= 1
    text = "".join(lines[:at]) + NEW_HOST + "".join(lines[at:])
    path = folder / "new_host.yaml"
    path.write_text(text.rstrip("\n") + "\n" + NEW_CHANGE)
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("places")
    scenario = scenario_with_a_new_host(folder)
    outputs = []
    for seed in (1, 2, 3):
        out = folder / f"seed_{seed}.h5"
        result = subprocess.run([BINARY, "run", str(scenario), "--seed", str(seed), "--threads", "2", "-o", str(out)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        outputs.append(out)
    return scenario, outputs


def test_the_new_host_gets_compounds_only_from_its_date(runs):
    _scenario, outputs = runs
    for out in outputs:
        compounds = open_run(out).compounds  # one row per open compound and month
        months_there = compounds.loc[compounds["jurisdiction"] == "new_host", "month"]
        assert len(months_there) > 0, f"{out.name}: no compound ever opened at the new host"
        assert months_there.min() >= pd.Timestamp("2021-07-01"), f"{out.name}: open there in {months_there.min()}"
        last = compounds["month"].max()
        assert (months_there == last).sum() > 0, f"{out.name}: none left there at the end"


def test_the_same_on_one_thread_as_on_two(runs):
    _scenario, outputs = runs
    result = subprocess.run([BINARY, "verify", str(outputs[0]), "--threads", "1"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bit-identical" in result.stdout
