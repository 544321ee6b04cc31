"""SIGINT and SIGTERM during a sweep or a merge: the sweep stops at once with
128 + signal, keeps every run finished so far and nothing half-written, and
--resume finishes it with the same merged file as a sweep run straight
through; an interrupted merge leaves nothing under its output name."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

from sweep_helpers import BINARY, assert_identical, merge, sweep, write_sweep

# 16 x 2 = 32 runs of a few tenths of a second each.
DESIGN = """\
  type: latin_hypercube
  points: 16
  factors:
    interventions.exit_controls_2021.block_probability: {range: [0.2, 0.95]}
    recruitment.acceptance_probability: {range: [0.005, 0.02]}
"""
RUNS = 32


def ignore_sigint():
    # As a job started in the background by a script inherits it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.fixture(scope="module")
def straight(tmp_path_factory):
    """The sweep file and the runs and merged file of the sweep run straight through."""
    folder = tmp_path_factory.mktemp("straight")
    sweep_file = write_sweep(folder, DESIGN)
    sweep(sweep_file, folder / "out", "--threads", "2")
    return sweep_file, folder / "out", merge(folder / "out", folder / "out.h5")


def start_and_wait_for_runs(command: list[str], runs: Path, wanted: int = 3) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               preexec_fn=ignore_sigint)
    deadline = time.monotonic() + 300
    while len(list(runs.glob("run-*.h5")) if runs.exists() else []) < wanted:
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "no run finished in time"
        time.sleep(0.01)
    return process


def monthly(path: Path) -> dict[str, np.ndarray]:
    with h5py.File(path, "r") as f:
        return {name: f["monthly"][name][()] for name in f["monthly"]}


def check_stopped_folder(outdir: Path, reference: Path) -> int:
    """Only sweep.yaml and finished runs, each identical to the run of the straight sweep; returns their number."""
    assert sorted(p.name for p in outdir.iterdir()) == ["runs", "sweep.yaml"]
    runs = outdir / "runs"
    leftovers = [p.name for p in runs.iterdir() if not p.name.startswith("run-")]
    assert not leftovers, f"temporary files left behind: {leftovers}"
    done = sorted(runs.glob("run-*.h5"))
    assert 3 <= len(done) < RUNS, "the signal came too late to test anything"
    for path in done:
        ours, theirs = monthly(path), monthly(reference / "runs" / path.name)
        assert ours.keys() == theirs.keys()
        for name in ours:
            same = (list(ours[name]) == list(theirs[name]) if ours[name].dtype == object
                    else ours[name].tobytes() == theirs[name].tobytes())
            assert same, f"{path.name}: /monthly/{name}"
    return len(done)


def resume_and_compare(sweep_file: Path, outdir: Path, kept: int, expected: Path, tmp_path: Path, launcher=None):
    resumed = sweep(sweep_file, outdir, "--resume", "--threads", "2", launcher=launcher)
    assert f"{kept} done before" in resumed.stdout, resumed.stdout
    assert "redoing" not in resumed.stdout, resumed.stdout
    assert_identical(merge(outdir, tmp_path / "resumed.h5"), expected)


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_a_sweep_and_resume_finishes_it(straight, tmp_path, signal_number):
    sweep_file, reference, expected = straight
    outdir = tmp_path / "stopped"
    process = start_and_wait_for_runs([BINARY, "sweep", str(sweep_file), "-o", str(outdir), "--threads", "2"],
                                      outdir / "runs")
    sent = time.monotonic()
    process.send_signal(signal_number)
    _stdout, stderr = process.communicate(timeout=60)
    stopping = time.monotonic() - sent
    assert process.returncode == 128 + signal_number, stderr
    stderr = "".join(line for line in stderr.splitlines(keepends=True) if not line.startswith("progress: "))
    assert stderr == (f"stopped by signal {signal_number}; the runs finished so far are kept in {outdir}: "
                      "run the sweep again with --resume to do the rest\n")
    # The runs under way are abandoned, not finished: well under a run's time.
    assert stopping < 5, f"took {stopping:.1f} s to stop"
    kept = check_stopped_folder(outdir, reference)
    resume_and_compare(sweep_file, outdir, kept, expected, tmp_path)


def test_a_signal_stops_one_run_at_a_time(straight, tmp_path):
    sweep_file, reference, expected = straight
    outdir = tmp_path / "stopped"
    process = start_and_wait_for_runs([BINARY, "sweep", str(sweep_file), "-o", str(outdir), "--threads", "2",
                                       "--one-run-at-a-time"], outdir / "runs")
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    kept = check_stopped_folder(outdir, reference)
    resume_and_compare(sweep_file, outdir, kept, expected, tmp_path)


def rank_pids(launcher_pid: int) -> list[int]:
    """The fraudsim processes mpirun started."""
    ranks = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == launcher_pid and (stat.parent / "exe").resolve() == Path(BINARY).resolve():
                ranks.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):  # a process that ended meanwhile
            continue
    return ranks


@pytest.mark.parametrize("target", ["mpirun", "ranks"])
def test_a_signal_stops_an_mpi_sweep(straight, tmp_path, mpirun, target):
    """Signalled, mpirun sends SIGTERM to every rank a second later (and
    SIGKILL a second after that); srun and scancel signal the ranks
    themselves. Either way each rank abandons its run, rank 0 says what was
    kept, and --resume finishes the sweep."""
    sweep_file, reference, expected = straight
    outdir = tmp_path / "stopped"
    process = start_and_wait_for_runs([*mpirun, "-np", "3", BINARY, "sweep", str(sweep_file), "-o", str(outdir)],
                                      outdir / "runs")
    if target == "mpirun":
        process.send_signal(signal.SIGINT)
    else:
        ranks = rank_pids(process.pid)
        assert len(ranks) == 3, ranks
        for pid in ranks:
            os.kill(pid, signal.SIGTERM)
    _stdout, stderr = process.communicate(timeout=60)
    # mpirun exits with 1 when it is itself signalled; with the code of the
    # first rank to fail otherwise.
    assert process.returncode == (1 if target == "mpirun" else 143), stderr
    assert stderr.count("stopped by signal 15; the runs finished so far are kept") == 1, stderr
    kept = check_stopped_folder(outdir, reference)
    resume_and_compare(sweep_file, outdir, kept, expected, tmp_path, launcher=[*mpirun, "-np", "3"])


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_a_merge_and_leaves_nothing(tmp_path, signal_number):
    """A merge of 300 runs (copies of one run, each marked as its own run),
    frozen while it writes its temporary file, then signalled."""
    many = write_sweep(tmp_path, DESIGN.replace("points: 16", "points: 2"), replicates=150, name="many.yaml")
    outdir = tmp_path / "many"
    sweep(many, outdir, "--shard", "0/300")
    first = outdir / "runs" / "run-000000.h5"
    for index in range(1, 300):
        copy = first.with_name(f"run-{index:06d}.h5")
        shutil.copyfile(first, copy)
        with h5py.File(copy, "r+") as f:
            f["meta"].attrs["sweep_run"] = index
    output = tmp_path / "merged.h5"
    process = subprocess.Popen([BINARY, "merge", str(outdir), "-o", str(output)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, preexec_fn=ignore_sigint)
    while not list(tmp_path.glob(".merged.h5.tmp-*")):
        assert process.poll() is None, "the merge ended before it could be stopped: " + process.stderr.read()
        time.sleep(0.001)
    process.send_signal(signal.SIGSTOP)
    process.send_signal(signal_number)
    process.send_signal(signal.SIGCONT)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signal_number, stderr
    assert stderr == f"stopped by signal {signal_number}; nothing written to {output}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many", "many.yaml"], "a file was left behind"
    shutil.rmtree(outdir)  # 500 MB
