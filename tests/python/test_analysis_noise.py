"""Seed noise of the calibration targets (fraudsim_analysis.noise), from real replicate runs of the
reference at two scales: the noise of levels and changes shrinks as the square root of the scale, and
the scale the table proposes is where that law puts the noise at the asked share of the tolerance."""
from __future__ import annotations

import math
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from fraudsim_analysis.noise import scale_needed, target_noise

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"
TARGETS = ROOT / "scenarios" / "calibration" / "targets.yaml"
SCALES = (8000, 2000)


def replicates(folder: Path, scale: int, n: int = 10) -> Path:
    out = folder / f"replicates_{scale}.h5"
    result = subprocess.run([BINARY, "run", str(REFERENCE), "--set", f"scale={scale}", "--replicates", str(n),
                             "-o", str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("noise")
    return [replicates(folder, scale) for scale in SCALES]


def test_noise_shrinks_as_the_square_root_of_the_scale(files):
    table = target_noise(files, TARGETS)
    assert set(table["scale"]) == set(SCALES)
    # Every run has a value of every level; a change is undefined (and left out) in a run whose earlier
    # period has no case, which happens at 1:8000 (a few agents a month after 2021).
    assert (table.loc[table["kind"] == "level", "runs"] == 10).all() and (table["runs"] >= 8).all(), table
    levels = table[(table["kind"] == "level") & (table["sd"] > 0)].pivot(index="id", columns="scale", values="sd")
    levels = levels.dropna()
    assert len(levels) >= 10
    # sqrt(8000 / 2000) = 2; the sd of 10 seeds is itself uncertain by about a quarter, so take the median.
    ratio = float(np.median(levels[8000] / levels[2000]))
    assert 1.4 < ratio < 2.9, ratio


def test_the_scale_needed_follows_the_square_root_law(files):
    table = target_noise(files[:1], TARGETS, share=0.5)
    row = table[(table["kind"] == "level") & (table["sd"] > 0)].iloc[0]
    needed = row["scale_needed"]
    assert needed == pytest.approx(8000 * (0.5 * row["tolerance"] / row["sd"]) ** 2)
    # At that scale the law gives half the tolerance.
    assert row["sd"] * math.sqrt(needed / 8000) == pytest.approx(0.5 * row["tolerance"])
    counted = table[table["kind"].isin(["months_below_year_before", "run_below_year_before"])]
    assert len(counted) and counted["scale_needed"].isna().all()
    assert math.isnan(scale_needed(1000, 0.0, 1.0, 0.3)) and math.isnan(scale_needed(1000, 1.0, math.nan, 0.3))


def test_the_command_prints_the_table_and_refuses_other_sweeps(files, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "analysis"))
    csv = tmp_path / "noise.csv"
    result = subprocess.run(["/usr/bin/python3", "-m", "fraudsim_analysis", "noise", *map(str, files), "--targets",
                             str(TARGETS), "--csv", str(csv)], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert "registered_2019" in result.stdout and "scale_needed" in result.stdout
    assert csv.read_text().count("registered_2019") == 2
    grid = tmp_path / "grid.yaml"
    grid.write_text(f"base_scenario: {REFERENCE}\nseed: 3\nreplicates: 1\nset: {{scale: 20000}}\n"
                    "design:\n  type: grid\n  factors:\n    victims.engagement_factor:\n      values: [1.0, 1.2]\n")
    for command in (["sweep", str(grid), "-o", str(tmp_path / "grid")], ["merge", str(tmp_path / "grid"), "-o", str(tmp_path / "grid.h5")]):
        made = subprocess.run([BINARY, *command], capture_output=True, text=True, check=False)
        assert made.returncode == 0, made.stderr
    sweep = tmp_path / "grid.h5"
    refused = subprocess.run(["/usr/bin/python3", "-m", "fraudsim_analysis", "noise", str(sweep), "--targets",
                              str(TARGETS)], capture_output=True, text=True, env=env, check=False)
    assert refused.returncode != 0 and "expected replicates" in refused.stderr
