"""Crash safety: a sweep killed part-way and resumed with --resume gives the
same merged file as one run straight through; damaged run files are redone;
an output folder is never silently reused."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

from sweep_helpers import BINARY, assert_identical, fraudsim, merge, sweep, write_sweep

# 8 x 2 = 16 runs of a few tenths of a second each.
DESIGN = """\
  type: latin_hypercube
  points: 8
  factors:
    interventions.exit_controls_2021.block_probability: {range: [0.2, 0.95]}
    recruitment.acceptance_probability: {range: [0.005, 0.02]}
"""
RUNS = 16


def test_killed_sweep_resumes_to_the_same_result(tmp_path):
    sweep_file = write_sweep(tmp_path, DESIGN)
    sweep(sweep_file, tmp_path / "straight", "--threads", "2")
    expected = merge(tmp_path / "straight", tmp_path / "straight.h5")

    outdir = tmp_path / "killed"
    process = subprocess.Popen([BINARY, "sweep", str(sweep_file), "-o", str(outdir), "--threads", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    runs = outdir / "runs"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(runs.glob("run-*.h5")) if runs.exists() else []) < 3:
        assert process.poll() is None, process.stderr.read()
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    done = sorted(runs.glob("run-*.h5"))
    assert 3 <= len(done) < RUNS, "the kill came too late to test anything"

    # A damaged run, a run of another sweep in its place, and a killed writer's temporary file.
    damaged, replaced = done[0], done[1]
    damaged.write_bytes(damaged.read_bytes()[:1000])
    other = write_sweep(tmp_path, DESIGN, seed=99, name="other.yaml")
    sweep(other, tmp_path / "other", "--shard", f"{int(replaced.stem[4:])}/{RUNS}")
    (tmp_path / "other" / "runs" / replaced.name).replace(replaced)
    (runs / f".{done[-1].name}.tmp-12345-0").write_bytes(b"partial")

    refused = fraudsim("sweep", sweep_file, "-o", outdir)
    assert refused.returncode == 2
    assert "--resume" in refused.stderr and "already holds" in refused.stderr, refused.stderr

    resumed = sweep(sweep_file, outdir, "--resume", "--threads", "2")
    assert f"{len(done) - 2} done before" in resumed.stdout, resumed.stdout
    assert f"redoing run {int(damaged.stem[4:])}" in resumed.stdout, resumed.stdout
    assert f"redoing run {int(replaced.stem[4:])}" in resumed.stdout and "another sweep" in resumed.stdout
    assert not list(runs.glob(".*tmp*"))
    assert_identical(merge(outdir, tmp_path / "resumed.h5"), expected)

    again = sweep(sweep_file, outdir, "--resume")
    assert "0 to do" in again.stdout, again.stdout


def test_a_folder_of_another_sweep_is_refused(tmp_path):
    sweep(write_sweep(tmp_path, DESIGN, replicates=1), tmp_path / "out", "--shard", "0/8")
    result = fraudsim("sweep", write_sweep(tmp_path, DESIGN, replicates=1, seed=5, name="b.yaml"),
                      "-o", tmp_path / "out", "--resume")
    assert result.returncode == 2
    assert "holds a different sweep" in result.stderr and "seed: 5" in result.stderr, result.stderr


def blocked_sweep(tmp_path, launcher=None):
    """A sweep whose run 3 cannot be written (a folder is in its place): the
    sweep fails with exit code 1 and keeps the other runs; once the folder is
    gone, --resume finishes it with the same result as a clean sweep."""
    sweep_file = write_sweep(tmp_path, DESIGN, replicates=1)
    sweep(sweep_file, tmp_path / "clean")
    outdir = tmp_path / "out"
    (outdir / "runs" / "run-000003.h5" / "blocker").mkdir(parents=True)
    failed = fraudsim("sweep", sweep_file, "-o", outdir, "--resume", launcher=launcher)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "run-000003.h5" in failed.stderr and "Is a directory" in failed.stderr, failed.stderr
    assert len(list((outdir / "runs").glob("run-*.h5"))) >= 2  # the blocker and at least one finished run
    shutil.rmtree(outdir / "runs" / "run-000003.h5")
    sweep(sweep_file, outdir, "--resume", launcher=launcher)
    assert_identical(merge(outdir, tmp_path / "out.h5"), merge(tmp_path / "clean", tmp_path / "clean.h5"))


def test_a_failed_run_fails_the_sweep_and_resume_finishes_it(tmp_path):
    blocked_sweep(tmp_path)


def test_a_failed_run_on_an_mpi_rank(tmp_path, mpirun):
    blocked_sweep(tmp_path, [*mpirun, "-np", "3"])
