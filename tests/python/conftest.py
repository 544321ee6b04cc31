"""Fixtures shared by the Python tests."""
from __future__ import annotations

import os
import shutil

import pytest

from slurm_cluster import SlurmCluster, missing_tools


def require(available: bool, what: str) -> None:
    """Skips a test whose tools are missing; in CI (CI set), fails it instead."""
    if available:
        return
    message = f"{what} is not available"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: install it, see scripts/common.sh)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def mpirun() -> list[str]:
    """The MPI launcher, allowed to run as root and to place more ranks than cores."""
    path = shutil.which("mpirun")
    require(path is not None, "mpirun (Debian package openmpi-bin)")
    return [path, "--allow-run-as-root", "--oversubscribe"]


@pytest.fixture(scope="session")
def slurm_cluster(tmp_path_factory):
    """A real single-node Slurm started for these tests, and stopped after them even if they fail."""
    missing = missing_tools()
    require(not missing, "Slurm (" + ", ".join(missing) + "; Debian packages slurm-wlm and munge)")
    require(os.geteuid() == 0, "root (slurmd must run as root to start jobs)")
    cluster = SlurmCluster(tmp_path_factory.mktemp("slurm"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
