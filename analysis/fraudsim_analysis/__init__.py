"""Reading, comparing and plotting fraudsim HDF5 output (docs/analysis.md)."""
from .io import Calibration, FraudsimFileError, Run, Sweep, open_calibration, open_file, open_run, open_sweep

__version__ = "0.2.0"
__all__ = ["Calibration", "FraudsimFileError", "Run", "Sweep", "open_calibration", "open_file", "open_run",
           "open_sweep"]
