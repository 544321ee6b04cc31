"""The calibrated reference scenario reproduces the reported declines from its mechanisms alone.

Five seeds at one agent per 100 people (results in real units do not depend on
the scale, apart from noise); the median over the seeds is compared with the
reported figures (scenarios/calibration/targets.yaml): every month from June
2021 to February 2022 below the same month a year earlier, and registered cases
in August-December 2023 within 5 points of -28.6 % year on year. Nothing in the
scenario is shaped after these figures: they come out of the fitted parameters.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from fraudsim_analysis import open_run

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"
SEEDS = [1, 2, 3, 4, 5]


@pytest.fixture(scope="module")
def declines(tmp_path_factory):
    folder = tmp_path_factory.mktemp("declines")
    months_below, changes = [], []
    for seed in SEEDS:
        out = folder / f"seed_{seed}.h5"
        result = subprocess.run([BINARY, "run", str(REFERENCE), "--set", "scale=100", "--seed", str(seed),
                                 "-o", str(out)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        cases = open_run(out).monthly["registered_cases"]
        ratio = (cases / cases.shift(12))["2021-06":"2022-02"]
        months_below.append(int((ratio < 1).sum()))
        changes.append(cases["2023-08":"2023-12"].sum() / cases["2022-08":"2022-12"].sum() - 1)
        out.unlink()  # 5 runs at this scale: keep the disk free
    return np.array(months_below), np.array(changes)


def test_nine_months_below_the_year_before(declines):
    months_below, _changes = declines
    assert np.median(months_below) == 9, f"months below the year before, by seed: {months_below}"


def test_decline_since_august_2023(declines):
    _months_below, changes = declines
    assert abs(np.median(changes) - (-0.286)) <= 0.05, f"Aug-Dec 2023 year on year, by seed: {np.round(changes, 3)}"
