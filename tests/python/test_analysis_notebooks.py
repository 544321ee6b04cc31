"""The notebooks of docs/notebooks run from top to bottom with Debian's `jupyter nbconvert --execute`, without
an error, and draw their figures."""
import json
import os
import shutil
import subprocess

import pytest

from conftest import require
from test_analysis_fixtures import BINARY, ROOT

NOTEBOOKS = ROOT / "docs" / "notebooks"


def nbconvert_available() -> bool:
    """`jupyter nbconvert` and a kernel named python3 (Debian's runs /usr/bin/python3)."""
    if shutil.which("jupyter") is None:
        return False
    result = subprocess.run(["jupyter", "nbconvert", "--version"], capture_output=True, text=True, check=False)
    try:
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError:
        return False
    return result.returncode == 0 and "python3" in KernelSpecManager().find_kernel_specs()


@pytest.mark.parametrize("name", ["counterfactual_study", "calibration"])
def test_notebook_runs(name, tmp_path):
    require(nbconvert_available(), "jupyter nbconvert with a python3 kernel (Debian packages jupyter-nbconvert, "
                                   "python3-ipykernel)")
    assert BINARY.is_file(), f"no fraudsim binary at {BINARY} (set FRAUDSIM_BINARY)"
    env = dict(os.environ, FRAUDSIM_BINARY=str(BINARY), PYTHONPATH=str(ROOT / "analysis"))
    env.pop("DISPLAY", None)
    result = subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(tmp_path),
                             "--ExecutePreprocessor.timeout=300", str(NOTEBOOKS / f"{name}.ipynb")],
                            capture_output=True, text=True, env=env, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    cells = json.loads((tmp_path / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code)
    outputs = [o for c in code for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= (1 if name == "counterfactual_study" else 2)
