"""Reading and plotting fraudsim HDF5 output."""
from .io import FraudsimFileError, Run, open_run

__all__ = ["FraudsimFileError", "Run", "open_run"]
