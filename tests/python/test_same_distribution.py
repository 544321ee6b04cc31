"""scripts/same_distribution.py tells seed noise from a change of the model.

Replicates of the reference scenario at 1:2000, 12 seeds a file. The same
file twice has nothing to test; the same model drawn with other numbers
(other seeds, labelled as the first file's) must pass; the model with a
parameter changed (card gangs approaching their sellers a tenth as often,
so groups run short of cards) must fail.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"
SCRIPT = ROOT / "scripts" / "same_distribution.py"


def replicates(out: Path, seed: int, *overrides: str) -> Path:
    command = [BINARY, "run", str(REFERENCE), "--set", "scale=2000", "--replicates", "12", "--seed", str(seed),
               "-o", str(out)]
    for o in overrides:
        command += ["--set", o]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out


def compare(a: Path, b: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(a), str(b)], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return replicates(tmp_path_factory.mktemp("same") / "base.h5", 5)


def test_the_same_file_twice_has_nothing_to_test(base):
    result = compare(base, base)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 annual totals differ" in result.stdout


def test_other_draws_of_the_same_model_are_the_same_in_distribution(base, tmp_path):
    # What a faster exact sampler does to a file: the same model, other
    # numbers. Other seeds, labelled as the first file's seeds so that the
    # script pairs them (independent pairs: a weaker test, still valid).
    other = replicates(tmp_path / "other.h5", 6)
    with h5py.File(base, "r") as f:
        seeds = np.asarray(f["design/seed"])
    with h5py.File(other, "r+") as f:
        f["design/seed"][...] = seeds
    result = compare(base, other)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "same in distribution" in result.stdout


def test_a_changed_measure_is_found(base, tmp_path):
    changed = replicates(tmp_path / "changed.h5", 5, "cards.approaches_per_missing_card_per_day=2")
    result = compare(base, changed)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "DIFFERENT" in result.stdout
