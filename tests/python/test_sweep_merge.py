"""The merged file: its layout for each kind of design, and merge refusing
missing runs and run files of another sweep, naming them."""
from __future__ import annotations

import shutil

import h5py
import numpy as np
import pytest

from sweep_helpers import GRID, fraudsim, merge, sweep, write_sweep


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    folder = tmp_path_factory.mktemp("grid")
    sweep_file = write_sweep(folder, GRID)
    sweep(sweep_file, folder / "out")
    return folder, merge(folder / "out", folder / "merged.h5")


def test_grid_layout(grid):
    _, merged = grid
    with h5py.File(merged, "r") as f:
        meta = f["meta"].attrs
        assert meta["design"] == "grid" and meta["n_runs"] == 8 and meta["n_points"] == 4
        assert meta["replicates"] == 2 and meta["seed"] == 17 and len(meta["sweep_id"]) == 16
        assert isinstance(meta["sweep"], str) and "base_scenario: |" in meta["sweep"]
        assert isinstance(meta["git_commit"], str) and isinstance(meta["version"], str)
        design = f["design"]
        assert list(design.attrs["factors"]) == ["interventions.exit_controls_2021.block_probability",
                                                 "interventions.exit_controls_2021.start"]
        assert list(design["run"][()]) == list(range(8))
        assert list(design["point"][()]) == [0, 0, 1, 1, 2, 2, 3, 3]
        assert list(design["replicate"][()]) == [0, 1] * 4
        probability = design["interventions.exit_controls_2021.block_probability"]
        assert probability.dtype == np.float64
        assert list(probability[()]) == [0.3, 0.3, 0.3, 0.3, 0.9, 0.9, 0.9, 0.9]  # first factor slowest
        start = design["interventions.exit_controls_2021.start"].asstr()[()]
        assert list(start[:4]) == ["2020-07-01", "2020-07-01", "2021-07-01", "2021-07-01"]
        assert len(set(design["seed"][()])) == 8
        months = f["monthly/month"].asstr()[()]
        assert months[0] == "2019-01" and months[-1] == "2024-12"
        for name, dataset in f["monthly"].items():
            if name == "month":
                continue
            assert dataset.shape == (8, len(months)), name
            assert dataset.attrs["units"] and dataset.attrs["description"], name
        assert f["monthly/registered_cases"].dtype == np.int64


def test_merged_rows_are_the_run_files(grid):
    folder, merged = grid
    with h5py.File(merged, "r") as f, h5py.File(folder / "out" / "runs" / "run-000005.h5", "r") as run:
        for name in run["monthly"]:
            if name != "month":
                assert np.array_equal(f["monthly"][name][5], run["monthly"][name][()]), name
        assert f["design/seed"][5] == run["meta"].attrs["seed"]


def test_saltelli_and_variants_columns(tmp_path):
    saltelli = write_sweep(tmp_path, """\
  type: saltelli
  samples: 2
  factors:
    interventions.exit_controls_2021.block_probability: {range: [0.3, 0.9]}
    interventions.exit_controls_2021.start: {range: [2020-06-01, 2021-06-01]}
""", replicates=1, name="saltelli.yaml")
    sweep(saltelli, tmp_path / "s")
    with h5py.File(merge(tmp_path / "s", tmp_path / "s.h5"), "r") as f:
        design = f["design"]
        assert list(design["saltelli_block"].asstr()[()]) == ["A", "AB", "AB", "B"] * 2
        assert list(design["saltelli_factor"][()]) == [-1, 0, 1, -1] * 2
        assert list(design["saltelli_sample"][()]) == [0, 0, 0, 0, 1, 1, 1, 1]
        p = design["interventions.exit_controls_2021.block_probability"][()]
        start = design["interventions.exit_controls_2021.start"].asstr()[()]
        # AB_0 takes factor 0 from B, AB_1 factor 1; the rest from A.
        assert p[1] == p[3] and p[2] == p[0] and start[1] == start[0] and start[2] == start[3]
        assert f["monthly/registered_cases"].shape[0] == 8

    variants = write_sweep(tmp_path, """\
  type: variants
  variants:
    baseline:
    no_exit: {interventions.exit_controls_2021.enabled: false}
""", replicates=1, name="variants.yaml")
    sweep(variants, tmp_path / "v")
    with h5py.File(merge(tmp_path / "v", tmp_path / "v.h5"), "r") as f:
        assert list(f["design/variant"].asstr()[()]) == ["baseline", "no_exit"]
        assert len(f["design"].attrs["factors"]) == 0


def test_merge_refuses_missing_and_foreign_runs_naming_them(grid, tmp_path):
    folder, _ = grid
    outdir = tmp_path / "out"
    shutil.copytree(folder / "out", outdir)
    (outdir / "runs" / "run-000006.h5").unlink()
    other = write_sweep(tmp_path, GRID, seed=18, name="other.yaml")
    sweep(other, tmp_path / "other", "--shard", "2/8")
    (tmp_path / "other" / "runs" / "run-000002.h5").replace(outdir / "runs" / "run-000002.h5")
    shutil.copy(outdir / "runs" / "run-000001.h5", outdir / "runs" / "run-000042.h5")

    output = tmp_path / "merged.h5"
    result = fraudsim("merge", outdir, "-o", output)
    assert result.returncode == 2, result.stdout + result.stderr
    message = result.stderr
    assert "1 of 8 runs missing: run-000006.h5" in message, message
    assert "run-000002.h5 (a run of another sweep" in message, message
    assert "run-000042.h5" in message, message
    assert not output.exists() and not list(tmp_path.glob(".merged.h5*"))


def test_merge_refuses_a_folder_that_is_not_a_sweep(tmp_path):
    result = fraudsim("merge", tmp_path, "-o", tmp_path / "x.h5")
    assert result.returncode == 2 and "no sweep.yaml" in result.stderr, result.stderr
