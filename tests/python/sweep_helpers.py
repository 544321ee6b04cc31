"""Running fraudsim sweep and merge from the tests, and comparing merged files."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import h5py
import numpy as np

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"


def write_sweep(folder: Path, design: str, *, seed: int = 17, replicates: int = 2, scale: int = 20000,
                name: str = "sweep.yaml") -> Path:
    """A sweep of the reference scenario at a small scale; `design` is the YAML of its design: section."""
    path = Path(folder) / name
    path.write_text(f"base_scenario: {REFERENCE}\nseed: {seed}\nreplicates: {replicates}\n"
                    f"set:\n  scale: {scale}\ndesign:\n{design}")
    return path


# 2 x 2 grid, 2 replicates: 8 runs.
GRID = """\
  type: grid
  factors:
    interventions.exit_controls_2021.block_probability:
      values: [0.3, 0.9]
    interventions.exit_controls_2021.start:
      values: [2020-07-01, 2021-07-01]
"""


def fraudsim(*args, launcher: list[str] | None = None, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*(launcher or []), BINARY, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, **kwargs)


def sweep(sweep_file: Path, outdir: Path, *args, **kwargs) -> subprocess.CompletedProcess:
    result = fraudsim("sweep", sweep_file, "-o", outdir, *args, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def merge(outdir: Path, output: Path) -> Path:
    result = fraudsim("merge", outdir, "-o", output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def contents(path: Path) -> dict[str, object]:
    """Every dataset and attribute of a file, by name."""
    found: dict[str, object] = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            for key, value in obj.attrs.items():
                found[f"{name}@{key}"] = value
            if isinstance(obj, h5py.Dataset):
                found[name] = obj[()]
        f.visititems(visit)
        for key, value in f.attrs.items():
            found[f"@{key}"] = value
    return found


# /meta attributes that say how and when a file was written, not what it holds.
PROVENANCE = {"meta@command_line", "meta@overrides", "meta@created_utc", "meta@host"}


def assert_identical(a: Path, b: Path) -> None:
    """Every dataset and attribute equal, bit for bit, but the provenance of the writing."""
    left, right = contents(a), contents(b)
    assert PROVENANCE <= left.keys() and PROVENANCE <= right.keys()
    for name in PROVENANCE:
        del left[name], right[name]
    assert left.keys() == right.keys()
    for name in left:
        x, y = np.asarray(left[name]), np.asarray(right[name])
        assert x.dtype == y.dtype and x.shape == y.shape, name
        if x.dtype == object:  # variable-length strings
            assert list(x.ravel()) == list(y.ravel()), name
        else:
            assert x.tobytes() == y.tobytes(), name
