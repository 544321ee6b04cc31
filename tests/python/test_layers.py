"""The walls between the layers of sim/ (cmake/check_layers.cmake, run at
every build): the tree as it is passes, and an include across a wall, or a
third-party header outside its home, fails with the file and the rule."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
CHECK = ROOT / "cmake" / "check_layers.cmake"


def check(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["cmake", f"-DSOURCE_DIR={tree}", "-P", str(CHECK)], capture_output=True, text=True)


def test_the_tree_keeps_its_walls():
    result = check(ROOT)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("file, include, rule", [
    ("model/world.hpp", '#include "interventions/intervention.hpp"', "sim/model/ may not use sim/interventions/"),
    ("model/world.hpp", '#include "output/run_output.hpp"', "sim/model/ may not use sim/output/"),
    ("interventions/families.hpp", '#include "scenario/scenario.hpp"', "sim/interventions/ may not use sim/scenario/"),
    ("output/run_output.hpp", '#include "model/series.hpp"', "sim/output/ may not use sim/model/"),
    ("model/world.hpp", "#include <tbb/parallel_for.h>", "<tbb/...> belongs in sim/engine/ only"),
    ("sweep/design.hpp", "#include <hdf5.h>", "<hdf5...> belongs in sim/output/ only"),
])
def test_an_include_across_a_wall_fails(tmp_path, file, include, rule):
    shutil.copytree(ROOT / "sim", tmp_path / "sim")
    path = tmp_path / "sim" / file
    path.write_text(include + "\n" + path.read_text())
    result = check(tmp_path)
    assert result.returncode != 0
    assert f"sim/{file}: {include}" in result.stderr and rule in result.stderr, result.stderr
