"""fraudsim in process: run scenarios from Python and Jupyter (docs/python.md).

    import fraudsim
    r = fraudsim.run("scenarios/china_2019_2024.yaml", seed=1, set={"scale": 1000})
    r.monthly["registered_cases"]          # pandas, one row per month
    r.save("run.h5")                       # the file `fraudsim run` writes, bit for bit
    reps = fraudsim.run_many("scenarios/china_2019_2024.yaml", seeds=range(1, 11), set={"scale": 1000})
    reps.bands("registered_cases")         # median and 5-95 % over the seeds
"""
from ._core import InputError, OutputError, __version__, git_commit
from .runs import Replicates, Run, run, run_many

__all__ = ["InputError", "OutputError", "Replicates", "Run", "run", "run_many", "__version__", "git_commit"]
