"""Reading, comparing and plotting fraudsim HDF5 output (docs/analysis.md)."""
from __future__ import annotations

import importlib.util
import sys

__version__ = "0.2.0"
__all__ = ["Calibration", "FraudsimFileError", "Run", "Sweep", "effects", "morris", "open_calibration", "open_file",
           "open_run", "open_sweep", "series_csv", "to_xarray", "transactions_csv"]
_HOMES = {"effects": "paired", "morris": "screening", "series_csv": "export", "to_xarray": "export", "transactions_csv": "export"}

# What the package reads and draws with, by module name and Debian package.
_NEEDED = {"h5py": "python3-h5py", "numpy": "python3-numpy", "pandas": "python3-pandas",
           "matplotlib": "python3-matplotlib", "yaml": "python3-yaml"}


def missing_packages() -> list[str]:
    """The Debian packages of the modules this interpreter cannot import."""
    return [package for module, package in _NEEDED.items() if importlib.util.find_spec(module) is None]


def missing_message() -> str:
    other = "" if sys.executable == "/usr/bin/python3" else ", or use /usr/bin/python3 (Debian's, which sees them)"
    return (f"{sys.executable} cannot import what fraudsim_analysis needs: install "
            f"{' '.join(missing_packages())} (Debian){other}")


def __getattr__(name: str):
    # The package's names are loaded on first use, so that `python -m fraudsim_analysis`
    # can say in one line what is missing instead of failing on an import.
    if name in __all__:
        if missing_packages():
            raise ImportError(missing_message())
        import importlib

        return getattr(importlib.import_module(f".{_HOMES.get(name, 'io')}", __name__), name)
    raise AttributeError(f"module 'fraudsim_analysis' has no attribute {name!r}")
