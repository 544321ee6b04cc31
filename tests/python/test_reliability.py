"""Reliability: verify re-runs a file; signals and a file-size limit leave nothing behind."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import h5py
import pytest

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("verify") / "run.h5"
    result = subprocess.run([BINARY, "run", str(REFERENCE), "-o", str(out), "--set", "scale=20000"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out


def verify(path):
    return subprocess.run([BINARY, "verify", str(path)], capture_output=True, text=True, check=False)


def test_verify_passes_an_untouched_file(run_file):
    result = verify(run_file)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bit-identical" in result.stdout


def test_verify_names_a_changed_series(run_file, tmp_path):
    changed = tmp_path / "changed.h5"
    shutil.copy(run_file, changed)
    with h5py.File(changed, "r+") as f:
        f["monthly/victims"][5] += 1
    result = verify(changed)
    assert result.returncode == 1
    differing = [line.split()[0] for line in result.stdout.splitlines() if "DIFFERS" in line]
    assert differing == ["/monthly/victims"]


def test_verify_reruns_rather_than_checks_a_checksum(run_file, tmp_path):
    changed = tmp_path / "seed.h5"
    shutil.copy(run_file, changed)
    with h5py.File(changed, "r+") as f:
        f["meta"].attrs["seed"] = 12345
    result = verify(changed)
    assert result.returncode == 1
    assert "/monthly/registered_cases" in result.stdout and "DIFFERS" in result.stdout


def test_verify_rejects_a_foreign_file(tmp_path):
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = [1, 2, 3]
    result = verify(foreign)
    assert result.returncode == 2
    assert str(foreign) in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_a_run_and_leaves_nothing(tmp_path, signal_number):
    out = tmp_path / "stopped.h5"
    # SIGINT ignored, as a job started in the background by a script inherits it.
    process = subprocess.Popen([BINARY, "run", str(REFERENCE), "-o", str(out), "--set", "scale=20"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    time.sleep(1.5)
    assert process.poll() is None, "the run ended before the signal could be sent"
    process.send_signal(signal_number)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signal_number, stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir()], "a temporary file was left behind"


def test_a_file_size_limit_gives_one_clear_message(tmp_path):
    out = tmp_path / "big.h5"

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    result = subprocess.run([BINARY, "run", str(REFERENCE), "-o", str(out), "--set", "scale=20000"],
                            capture_output=True, text=True, check=False, preexec_fn=limit)
    assert result.returncode == 1, result.stderr
    assert str(out) in result.stderr and "too large" in result.stderr.lower()
    assert not [p for p in tmp_path.iterdir()], "a file was left behind"
