"""A sweep gives bit-identical merged results however it is run: on threads,
over MPI ranks, as a Slurm job array, or under Slurm with MPI; and each run
can be reproduced alone by fraudsim run."""
from __future__ import annotations

import shlex

import h5py
import numpy as np
import pytest

from sweep_helpers import BINARY, GRID, ROOT, assert_identical, fraudsim, merge, sweep, write_sweep

SLURM_SCRIPTS = ROOT / "scripts" / "slurm"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The 8-run grid sweep on 2 threads, merged: what every other way must reproduce."""
    folder = tmp_path_factory.mktemp("reference")
    sweep_file = write_sweep(folder, GRID)
    sweep(sweep_file, folder / "out", "--threads", "2")
    return sweep_file, merge(folder / "out", folder / "merged.h5")


def test_threads_one_at_a_time_and_single_thread(reference, tmp_path):
    sweep_file, expected = reference
    sweep(sweep_file, tmp_path / "a", "--threads", "1")
    assert_identical(merge(tmp_path / "a", tmp_path / "a.h5"), expected)
    sweep(sweep_file, tmp_path / "b", "--threads", "2", "--one-run-at-a-time")
    assert_identical(merge(tmp_path / "b", tmp_path / "b.h5"), expected)


def test_shards_together_give_the_whole_sweep(reference, tmp_path):
    sweep_file, expected = reference
    for shard in ("2/3", "0/3", "1/3"):  # any order, into one folder
        sweep(sweep_file, tmp_path / "out", "--shard", shard, "--threads", "1")
    assert_identical(merge(tmp_path / "out", tmp_path / "merged.h5"), expected)


def test_mpi_two_ranks(reference, tmp_path, mpirun):
    sweep_file, expected = reference
    result = fraudsim("sweep", sweep_file, "-o", tmp_path / "out", launcher=[*mpirun, "-np", "2"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "on 2 MPI ranks" in result.stdout
    assert_identical(merge(tmp_path / "out", tmp_path / "merged.h5"), expected)


def test_mpi_one_rank_runs_everything(reference, tmp_path, mpirun):
    sweep_file, expected = reference
    result = fraudsim("sweep", sweep_file, "-o", tmp_path / "out", launcher=[*mpirun, "-np", "1"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert_identical(merge(tmp_path / "out", tmp_path / "merged.h5"), expected)


def test_mpi_bad_input_is_reported_once_with_exit_code_2(tmp_path, mpirun):
    bad = write_sweep(tmp_path, "  type: grid\n  factors:\n    nonexistent.key: {values: [1]}\n")
    result = fraudsim("sweep", bad, "-o", tmp_path / "out", launcher=[*mpirun, "-np", "3"])
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("nonexistent.key") == 1, result.stderr


def test_slurm_job_array_then_merge_job(reference, tmp_path, slurm_cluster):
    sweep_file, expected = reference
    logs = tmp_path / "logs"
    logs.mkdir()
    array = slurm_cluster.command(
        "sbatch", "--parsable", "--wait", "--array=0-3", f"--output={logs}/array-%A_%a.out", f"--chdir={tmp_path}",
        str(SLURM_SCRIPTS / "sweep_array.sbatch"), str(sweep_file), str(tmp_path / "out"), check=False,
        env={"FRAUDSIM": BINARY})
    job_logs = "\n".join(p.read_text() for p in sorted(logs.glob("*.out")))
    assert array.returncode == 0, array.stderr + job_logs + slurm_cluster.logs()
    assert job_logs.count("shard ") == 4 and "shard 3/4: 2 runs" in job_logs, job_logs
    job_id = array.stdout.strip().split(";")[0]
    merged = tmp_path / "merged.h5"
    merge_job = slurm_cluster.command(
        "sbatch", "--wait", f"--dependency=afterok:{job_id}", f"--output={logs}/merge-%j.out",
        str(SLURM_SCRIPTS / "merge.sbatch"), str(tmp_path / "out"), str(merged), check=False, env={"FRAUDSIM": BINARY})
    assert merge_job.returncode == 0, merge_job.stderr + "\n".join(p.read_text() for p in logs.glob("merge-*"))
    assert_identical(merged, expected)


def test_slurm_mpi_job(reference, tmp_path, slurm_cluster, mpirun):
    sweep_file, expected = reference
    job = slurm_cluster.command(
        "sbatch", "--wait", "--ntasks=2", f"--output={tmp_path}/mpi-%j.out",
        str(SLURM_SCRIPTS / "sweep_mpi.sbatch"), str(sweep_file), str(tmp_path / "out"), check=False,
        env={"FRAUDSIM": BINARY})
    log = "\n".join(p.read_text() for p in tmp_path.glob("mpi-*.out"))
    assert job.returncode == 0, job.stderr + log + slurm_cluster.logs()
    assert "on 2 MPI ranks" in log, log
    assert_identical(merge(tmp_path / "out", tmp_path / "merged.h5"), expected)


def test_a_run_is_reproduced_by_the_fraudsim_run_command_listed_for_it(reference, tmp_path):
    sweep_file, _ = reference
    listing = fraudsim("sweep", sweep_file, "--list")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert len(lines) == 8
    command = shlex.split(lines[5].split("  # ")[0])
    assert command[0] == str(BINARY) and command[1] == "run"  # the path it was called by: the line runs as printed
    single = tmp_path / "single.h5"
    result = fraudsim(*command[1:], "-o", single)
    assert result.returncode == 0, result.stderr
    run_file = tmp_path / "out" / "runs" / "run-000005.h5"
    sweep(sweep_file, tmp_path / "out", "--shard", "5/8")
    with h5py.File(single, "r") as a, h5py.File(run_file, "r") as b:
        assert a["meta"].attrs["seed"] == b["meta"].attrs["seed"]
        assert b["meta"].attrs["sweep_run"] == 5
        assert a["meta"].attrs["scenario"] == b["meta"].attrs["scenario"]
        for group in ("monthly", "daily"):
            for name in a[group]:
                assert np.array_equal(a[group][name][()], b[group][name][()]), f"{group}/{name}"
