"""Builds fraudsim._core, the compiled part of the Python module, with the project's CMake.

Called by `pip install --no-build-isolation .` (pyproject.toml holds the rest). The CMake build
folder is build-python/ beside build/, so that a compiler cache primed by the ordinary build
serves this one too.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "build-python"
# An existing CMake build folder of the same Python (the tests' build/) is built in as it is configured.
EXISTING = os.environ.get("FRAUDSIM_CMAKE_BUILD_DIR")


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build = Path(EXISTING) if EXISTING else BUILD
        if not EXISTING:
            configure = ["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                         f"-DPython_EXECUTABLE={sys.executable}", "-DFRAUDSIM_PYTHON_MODULE=ON",
                         "-DFRAUDSIM_BUILD_TESTS=OFF", "-DFRAUDSIM_BUILD_BENCH=OFF"]
            if shutil.which("ccache"):
                configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
            subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "fraudsim_python", "-j", str(os.cpu_count() or 1)],
                       check=True)
        built = next((build / "python" / "fraudsim").glob("_core*.so"))
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(ext_modules=[Extension("fraudsim._core", sources=[])], cmdclass={"build_ext": CMakeBuild},
      # setuptools' own build folder, kept out of build/ (CMake's)
      options={"build": {"build_base": str(BUILD / "setuptools")}})
