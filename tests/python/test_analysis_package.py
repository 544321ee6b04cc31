"""The package installs with pip (offline, from a copy of analysis/) and its console script runs."""
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ANALYSIS_DIR = Path(__file__).resolve().parents[2] / "analysis"


def test_pip_installs_the_package_and_the_console_script(tmp_path):
    missing = [m for m in ("pip", "setuptools", "wheel") if importlib.util.find_spec(m) is None]
    if missing:  # find_spec, not import: setuptools must not be imported into the test process
        pytest.skip(f"needs {', '.join(missing)} (python3-pip, python3-setuptools, python3-wheel)")
    source = tmp_path / "analysis"
    shutil.copytree(ANALYSIS_DIR, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    site = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index",
           "--disable-pip-version-check", "--target", str(site), str(source)]
    result = subprocess.run(pip, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (site / "fraudsim_analysis" / "plots.py").is_file()
    script = site / "bin" / "fraudsim-analysis"
    assert script.is_file()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    result = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "report" in result.stdout and "compare" in result.stdout


def test_a_python_without_h5py_gets_one_line_not_a_traceback(tmp_path):
    """-S leaves out the site packages (h5py, numpy, ...) but keeps PYTHONPATH."""
    env = dict(os.environ, PYTHONPATH=str(ANALYSIS_DIR))
    result = subprocess.run([sys.executable, "-S", "-m", "fraudsim_analysis", "report", str(tmp_path / "x.h5"),
                             "-o", str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and "python3-h5py" in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()
