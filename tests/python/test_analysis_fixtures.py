"""Files for the analysis tests: real runs made by the fraudsim binary, and
hand-made files that follow docs/analysis.md exactly for the parts the
binary does not write yet (newer run groups, merged sweeps, calibrations).

Shared by the test_analysis_* modules (import the fixtures you use); it has
no tests of its own.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BINARY = Path(os.environ.get("FRAUDSIM_BINARY", ROOT / "build" / "fraudsim"))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"
SMALL = ["--set", "scale=10000"]  # a run in about a second
NO_EXIT_CONTROLS = ["--set", "interventions.exit_controls_2021.enabled=false"]
STR = h5py.string_dtype("utf-8")

_made: dict[tuple, Path] = {}


def run_binary(folder: Path, name: str, *args: str) -> Path:
    """Runs the reference scenario at a coarse scale; `args` go to `fraudsim run`."""
    key = (str(folder), name, args)
    if key not in _made:
        assert BINARY.is_file(), f"no fraudsim binary at {BINARY} (set FRAUDSIM_BINARY)"
        out = folder / f"{name}.h5"
        result = subprocess.run([str(BINARY), "run", str(REFERENCE), "-o", str(out), *SMALL, *args],
                                capture_output=True, text=True, check=False, timeout=300)
        assert result.returncode == 0, result.stderr
        _made[key] = out
    return _made[key]


def strings(group: h5py.Group, name: str, values) -> h5py.Dataset:
    return group.create_dataset(name, data=np.array(list(values), dtype=object), dtype=STR)


def table(group: h5py.Group, columns: dict) -> None:
    """A table group: one 1-D dataset per column; text as variable-length UTF-8."""
    for name, values in columns.items():
        values = np.asarray(values)
        if values.dtype.kind in "OUS":
            strings(group, name, values.astype(str))
        else:
            group.create_dataset(name, data=values)


def meta(f: h5py.File, **extra) -> None:
    m = f.create_group("meta")
    m.attrs.update({"version": "0.2.0", "git_commit": "abc1234", "build_type": "Release", **extra})


# --- newer run groups -------------------------------------------------------

JURISDICTIONS = ["northern_myanmar", "cambodia", "philippines", "laos"]
HOPS = ["mule_card", "second_tier_cards", "payment_channel", "underground_bank", "virtual_currency"]


def add_newer_groups(path: Path, transactions: bool = True) -> Path:
    """Adds /events, /compounds, /jurisdictions, /laundering and (optionally)
    /transactions to a run file: displacement from northern Myanmar after raids
    from October 2023, and money frozen along a five-hop chain."""
    rng = np.random.default_rng(1)
    with h5py.File(path, "a") as f:
        for group in ("events", "compounds", "jurisdictions", "laundering", "transactions"):
            if group in f:  # written by a newer binary: replaced by the hand-made ones
                del f[group]
        months = pd.to_datetime(f["monthly/month"].asstr()[()], format="%Y-%m")
        n_months = len(months)
        raid = np.searchsorted(months, pd.Timestamp("2023-10-01"))
        # Compound c sits in jurisdiction home[c]; compounds 0-2 (Myanmar) are raided and close,
        # compound 3 relocates to Laos, compounds 10-11 open in Cambodia after the raids.
        home = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 1, 1])
        n = len(home)
        where = np.tile(home[:, None], (1, n_months))
        where[:3, raid:] = -1
        where[3, raid:] = 3
        where[10:, : raid + 1] = -1
        growth = np.linspace(1.0, 1.6, n_months)
        workforce = np.rint(np.array([9000, 8000, 7000, 6000, 5000, 4000, 3000, 3000, 2000, 2000, 4000, 3000])[:, None]
                            * growth[None, :] * rng.uniform(0.95, 1.05, (n, n_months))).astype("<i8")
        workforce[where < 0] = 0
        workforce[1:3, raid:] = 0
        c = f.create_group("compounds")
        names = [f"compound_{i:02d}" for i in range(n)]
        strings(c, "name", names)
        strings(c, "group", [["ming", "bai", "wei", "liu", "prince"][i % 5] for i in range(n)])
        c.create_dataset("jurisdiction_at_start", data=np.where(np.arange(n) >= 10, -1, home).astype("<i8"))
        strings(c, "opened", ["2019-01-01"] * 10 + ["2023-11-01"] * 2)
        strings(c, "closed", ["2023-10-15"] * 3 + [""] * 9)
        c.create_dataset("workforce", data=workforce)
        c.create_dataset("jurisdiction", data=where.astype("<i8"))
        j = f.create_group("jurisdictions")
        strings(j, "name", JURISDICTIONS)
        j.create_dataset("workforce", data=np.array([np.where(where == k, workforce, 0).sum(axis=0)
                                                     for k in range(len(JURISDICTIONS))], dtype="<i8"))
        e = f.create_group("events")
        table(e, {"date": ["2023-10-15", "2023-10-15", "2023-10-20", "2023-11-01", "2023-11-01", "2021-03-01"],
                  "type": ["raid", "raid", "relocation", "opened", "opened", "raid"],
                  "compound": np.array([0, 1, 3, 10, 11, 2], dtype="<i8"),
                  "jurisdiction": np.array([0, 0, 3, 1, 1, 0], dtype="<i8"),
                  "group": ["ming", "bai", "liu", "ming", "bai", "wei"],
                  "count": np.array([1200, 900, 6000, 0, 0, 300], dtype="<i8")})
        lg = f.create_group("laundering")
        strings(lg, "hop", HOPS)
        entered = np.empty((len(HOPS), n_months))
        entered[0] = f["monthly/losses_yuan"][()]
        frozen_share = np.array([0.10, 0.06, 0.05, 0.02, 0.01])[:, None] * np.where(months >= "2021-01-01", 2.0, 1.0)
        commission_share = np.array([0.03, 0.02, 0.02, 0.05, 0.04])[:, None]
        frozen, commission, passed = np.empty_like(entered), np.empty_like(entered), np.empty_like(entered)
        for h in range(len(HOPS)):
            frozen[h] = np.rint(entered[h] * frozen_share[h])
            commission[h] = np.rint(entered[h] * commission_share[h])
            passed[h] = entered[h] - frozen[h] - commission[h]
            if h + 1 < len(HOPS):
                entered[h + 1] = passed[h]
        for name, values in (("entered_yuan", entered), ("frozen_yuan", frozen), ("passed_yuan", passed),
                             ("commission_yuan", commission)):
            lg.create_dataset(name, data=values.astype("<i8")).attrs["units"] = "yuan"
        lg.create_dataset("traced", data=np.rint(frozen / 1e6).astype("<i8")).attrs["units"] = "accounts"
        if transactions:
            k = 300
            table(f.create_group("transactions"), {
                "day": pd.to_datetime(rng.choice(pd.date_range("2019-01-01", "2024-12-31"), k)).strftime("%Y-%m-%d"),
                "from_account": rng.integers(0, 1000, k), "to_account": rng.integers(0, 1000, k),
                "amount_yuan": rng.integers(100, 100000, k), "hop": rng.integers(0, len(HOPS), k),
                "frozen": rng.integers(0, 2, k), "traced": rng.integers(0, 2, k), "payment": np.arange(k),
                "victim": rng.integers(0, 5000, k), "category": rng.choice(["fake_investment", "fake_online_loan"], k),
                "group": rng.choice(["ming", "bai"], k)})
    return path


def older_file(real_run: Path, folder: Path) -> Path:
    """A copy of a real run file without the groups older builds did not write."""
    copy = folder / "older.h5"
    shutil.copy(real_run, copy)
    with h5py.File(copy, "a") as f:
        for group in ("events", "compounds", "jurisdictions", "laundering", "transactions"):
            if group in f:
                del f[group]
    return copy


# --- sweeps -----------------------------------------------------------------

def write_sweep(path: Path, design: pd.DataFrame, factors: list[str], months: pd.DatetimeIndex,
                series: dict[str, np.ndarray], units: dict[str, str], design_type: str,
                descriptions: dict[str, str] | None = None, **meta_attrs) -> Path:
    with h5py.File(path, "w") as f:
        meta(f, **{"sweep": f"design: {design_type}\n", "design": design_type, "n_runs": np.int64(len(design)),
                   "scenario_name": "china_2019_2024", **meta_attrs})
        d = f.create_group("design")
        d.attrs["factors"] = factors
        table(d, {c: design[c].to_numpy() for c in design})
        m = f.create_group("monthly")
        strings(m, "month", months.strftime("%Y-%m"))
        for name, values in series.items():
            ds = m.create_dataset(name, data=values)
            ds.attrs["units"] = units[name]
            ds.attrs["description"] = (descriptions or {}).get(name, name.replace("_", " ") + " (total over the period)")
    return path


def merge_runs(path: Path, runs: list[tuple[dict, Path]], factors: list[str], design_type: str) -> Path:
    """A merged sweep from run files made by the binary: `runs` lists (design row, run file)."""
    design = pd.DataFrame([{"run": i, **row} for i, (row, _) in enumerate(runs)])
    with h5py.File(runs[0][1], "r") as f:
        months = pd.to_datetime(f["monthly/month"].asstr()[()], format="%Y-%m")
        names = [n for n in f["monthly"] if n != "month"]
        units = {n: f["monthly"][n].attrs["units"] for n in names}
        descriptions = {n: f["monthly"][n].attrs["description"] for n in names}
    series = {}
    for n in names:
        rows = []
        for _, run_file in runs:
            with h5py.File(run_file, "r") as f:
                rows.append(f["monthly"][n][()])
        series[n] = np.array(rows)
    return write_sweep(path, design, factors, months, series, units, design_type, descriptions)


def variants_sweep(folder: Path, replicates: int = 3) -> Path:
    """Two variants (reference, no exit controls) x `replicates` seeds, from real runs."""
    runs = []
    for point, (variant, args) in enumerate((("reference", ()), ("no_exit_controls", tuple(NO_EXIT_CONTROLS)))):
        for r in range(replicates):
            seed = 1000 + r
            out = run_binary(folder, f"{variant}_{seed}", "--seed", str(seed), *args)
            runs.append(({"point": point, "replicate": r, "seed": seed, "variant": variant}, out))
    return merge_runs(folder / "variants_sweep.h5", runs, [], "variants")


GRID_FACTORS = ["interventions.exit_controls_2021.block_probability", "victims.report_probability"]


def grid_sweep(path: Path, replicates: int = 2) -> Path:
    """A 5 x 4 grid of two factors; registered cases rise with reporting and fall with exit control."""
    rng = np.random.default_rng(2)
    months = pd.date_range("2019-01-01", periods=72, freq="MS")
    levels = [(b, p) for b in np.linspace(0, 0.8, 5) for p in np.linspace(0.15, 0.45, 4)]
    rows, cases = [], []
    for point, (block, report) in enumerate(levels):
        for r in range(replicates):
            rows.append({"run": len(rows), "point": point, "replicate": r, "seed": 100 + r,
                         GRID_FACTORS[0]: block, GRID_FACTORS[1]: report})
            after = np.where(months >= "2021-01-01", 1 - 0.8 * block, 1.0)
            cases.append(np.rint(4e5 * report * after * rng.uniform(0.9, 1.1, len(months))).astype("<i8"))
    cases = np.array(cases)
    return write_sweep(path, pd.DataFrame(rows), GRID_FACTORS, months,
                       {"registered_cases": cases, "losses_yuan": cases * 80000,
                        "workers_abroad": np.cumsum(cases // 10, axis=1)},
                       {"registered_cases": "cases", "losses_yuan": "yuan", "workers_abroad": "people"}, "grid",
                       {"workers_abroad": "residents working in compounds abroad (on the period's last day)"})


ISHIGAMI_FACTORS = ["x1", "x2", "x3"]


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def saltelli_matrices(n: int, d: int, seed: int = 12345) -> tuple[np.ndarray, np.ndarray]:
    """A and B from one scrambled Sobol' sequence of dimension 2d, on [-pi, pi]."""
    from scipy.stats import qmc

    base = qmc.Sobol(d=2 * d, scramble=True, seed=seed).random(n)
    base = qmc.scale(base, [-np.pi] * 2 * d, [np.pi] * 2 * d)
    return base[:, :d], base[:, d:]


def saltelli_sweep(path: Path, n: int = 256) -> Path:
    """A Saltelli design of the Ishigami function; one 'month' holds f, shifted to stay positive."""
    d = len(ISHIGAMI_FACTORS)
    A, B = saltelli_matrices(n, d)
    blocks = [("A", -1, A), ("B", -1, B)] + [("AB", i, np.where(np.arange(d) == i, B, A)) for i in range(d)]
    rows, values = [], []
    for block, factor, X in blocks:
        for j in range(n):
            rows.append({"run": len(rows), "point": len(rows), "replicate": 0, "seed": 7 + len(rows),
                         "saltelli_block": block, "saltelli_factor": factor, "saltelli_sample": j,
                         **dict(zip(ISHIGAMI_FACTORS, X[j]))})
        values.append(ishigami(X))
    y = np.concatenate(values)[:, None] + 20.0
    months = pd.date_range("2019-01-01", periods=1, freq="MS")
    return write_sweep(path, pd.DataFrame(rows), ISHIGAMI_FACTORS, months, {"registered_cases": y},
                       {"registered_cases": "cases"}, "saltelli")


# --- calibrations -------------------------------------------------------------

CALIBRATION_PARAMETERS = ["acceptance", "report", "exit_start"]
CALIBRATION_PATHS = ["recruitment.acceptance_probability", "victims.report_probability",
                     "interventions.exit_controls_2021.start"]
DAYS_2021 = (pd.Timestamp("2021-01-01") - pd.Timestamp("1970-01-01")).days


def calibration_file(path: Path, months: int = 72, n: int = 400, predictive: bool = True) -> Path:
    """As `fraudsim calibrate` writes it (sim/app/calibrate_command.cpp); a date parameter is stored
    as days since 1970-01-01."""
    rng = np.random.default_rng(3)
    samples = np.column_stack([rng.lognormal(np.log(0.01), 0.3, n), rng.beta(6, 14, n),
                               DAYS_2021 + rng.uniform(0, 330, n)])
    weights = rng.uniform(0.5, 1.5, n)
    with h5py.File(path, "w") as f:
        meta(f, kind="calibration", seed=np.int64(2024), replicates=np.int64(2), simulations=np.int64(5000),
             calibration="targets: targets.yaml\n", scenario="name: china_2019_2024\nscale: 2000\n")
        p = f.create_group("posterior")
        strings(p, "parameter", CALIBRATION_PARAMETERS)
        strings(p, "path", CALIBRATION_PATHS)
        strings(p, "units", ["", "", "days since 1970-01-01"])
        p.create_dataset("samples", data=samples)
        p.create_dataset("unit_samples", data=rng.uniform(size=samples.shape))
        p.create_dataset("weights", data=weights)
        p.create_dataset("distances", data=rng.uniform(0, 0.2, n))
        table(f.create_group("targets"), {
            "id": ["nine_months_of_decline_from_june_2021", "yoy_decline_since_aug_2023", "cases_solved_2021",
                   "calls_blocked_2021", "suspects_arrested_2021"],
            "series": ["registered_cases", "registered_cases", "cases_solved", "calls_blocked", "suspects_arrested"],
            "kind": ["months_below_year_before", "year_on_year_change", "level", "level", "level"],
            "period_from": ["2021-06", "2023-08", "2021-01", "2021-01", "2021-01"],
            "period_to": ["2022-02", "2023-12", "2021-12", "2021-12", "2021-12"],
            "reported": [9.0, -0.286, 394000.0, 1.95e9, 634000.0],
            "tolerance": [1.0, 0.05, 98500.0, 4.875e8, 158500.0],
            "simulated_median": [8.0, -0.31, 301000.0, 1.7e9, 690000.0],
            "simulated_p05": [6.0, -0.45, 250000.0, 1.5e9, 600000.0],
            "simulated_p95": [9.0, -0.18, 360000.0, 2.1e9, 780000.0],
            "best": [8.0, -0.3, 310000.0, 1.8e9, 700000.0],
            "in_fit": np.array([1, 1, 1, 0, 1], dtype="<i8"),
            "source": ["MPS, 14 Apr 2022", "Global Times, 15 Jan 2024", "MPS, 14 Apr 2022",
                       "MPS, 14 Apr 2022", "MPS, 14 Apr 2022"]})
        table(f.create_group("trace"), {
            "generation": np.arange(5), "tolerance": np.array([1.0, 0.6, 0.4, 0.3, 0.25]),
            "ess": np.array([400.0, 350, 330, 310, 300]), "acceptance_rate": np.array([0.5, 0.3, 0.2, 0.12, 0.08]),
            "simulations": np.array([800, 1300, 2000, 3300, 5000])})
        table(f.create_group("best"), {"parameter": CALIBRATION_PARAMETERS, "value": ["0.011", "0.31", "2021-03-01"],
                                       "number": np.array([0.011, 0.31, DAYS_2021 + 59.0])})
        if predictive:
            index = pd.date_range("2019-01-01", periods=months, freq="MS")
            monthly = f.create_group("monthly")
            strings(monthly, "month", index.strftime("%Y-%m"))
            level = np.where(index < "2021-01-01", 1.2e5, 3e4)
            best = monthly.create_dataset("registered_cases", data=level * 1.05)
            best.attrs.update(units="cases", description="registered cases per month at the point estimate")
            f.create_group("predictive").create_dataset(
                "registered_cases", data=level[None, :] * rng.lognormal(0, 0.15, (n, months)))
    return path


# --- sweeps and calibrations made by the binary, when it has the commands ---------

def binary_has(command: str) -> bool:
    """Whether `fraudsim --help` lists the subcommand (an unknown one with --help still exits 0)."""
    result = subprocess.run([str(BINARY), "--help"], capture_output=True, text=True, check=False)
    return re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE) is not None


def sweep_and_merge(folder: Path, name: str, design: str, *sweep_args: str) -> Path:
    """`fraudsim sweep` + `fraudsim merge` of the reference at 1:20000 with common random numbers; `design`:
    the sweep file's lines from `replicates:` on (the seed, base scenario and scale are set here)."""
    if not binary_has("sweep"):
        pytest.skip("this fraudsim binary has no sweep command")
    spec = folder / f"{name}.yaml"
    spec.write_text(f"base_scenario: {REFERENCE}\nseed: 3\ncommon_random_numbers: true\nset:\n  scale: 20000\n{design}")
    out = folder / f"{name}.h5"
    for args in (["sweep", str(spec), "-o", str(folder / name), *sweep_args],
                 ["merge", str(folder / name), "-o", str(out)]):
        result = subprocess.run([str(BINARY), *args], capture_output=True, text=True, check=False, timeout=600)
        assert result.returncode == 0, result.stderr
    return out


def binary_sweep(folder: Path) -> Path:
    """Two variants x two replicates, coarse."""
    return sweep_and_merge(folder, "binary_sweep", """replicates: 2
design:
  type: variants
  variants:
    baseline: {}
    no_exit_controls: {interventions.exit_controls_2021.enabled: false}
""")


def binary_calibration(folder: Path) -> Path:
    """`fraudsim calibrate` at its smallest: one free parameter, a few particles, coarse."""
    if not binary_has("calibrate"):
        pytest.skip("this fraudsim binary has no calibrate command")
    spec = folder / "binary_calibration.yaml"
    spec.write_text(f"""scenario: {REFERENCE}
targets: {ROOT / "scenarios" / "calibration" / "targets.yaml"}
replicates: 1
seed: 5
fixed:
  scale: {{path: scale, value: "20000"}}
parameters:
  exit_start: {{path: interventions.exit_controls_2021.start, low: "2021-01-01", high: "2021-12-01"}}
method:
  particles: 8
  generations: 3
  quantile: 0.5
  max_simulations_per_generation: 40
  optimizer_evaluations: 3
""")
    out = folder / "binary_calibration.h5"
    result = subprocess.run([str(BINARY), "calibrate", str(spec), "-o", str(out)], capture_output=True, text=True,
                            check=False, timeout=900)
    assert result.returncode == 0, result.stderr
    return out


# --- fixtures -----------------------------------------------------------------

@pytest.fixture(scope="session")
def files(tmp_path_factory):
    # One folder for the session, whichever module asks first (each module imports these fixtures).
    folder = tmp_path_factory.getbasetemp() / "analysis_files"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def real_run(files) -> Path:
    """The reference scenario, made by the binary."""
    return run_binary(files, "reference")


@pytest.fixture(scope="session")
def real_run_no_exit(files) -> Path:
    return run_binary(files, "no_exit_controls", *NO_EXIT_CONTROLS)


@pytest.fixture(scope="session")
def extended_run(files, real_run) -> Path:
    """A real run with the newer groups added by hand."""
    out = files / "extended.h5"
    if not out.exists():
        shutil.copy(real_run, out)
        add_newer_groups(out)
    return out


@pytest.fixture(scope="session")
def sweep_variants(files) -> Path:
    out = files / "variants_sweep.h5"
    return out if out.exists() else variants_sweep(files)


@pytest.fixture(scope="session")
def sweep_grid(files) -> Path:
    out = files / "grid_sweep.h5"
    return out if out.exists() else grid_sweep(out)


@pytest.fixture(scope="session")
def sweep_saltelli(files) -> Path:
    out = files / "saltelli_sweep.h5"
    return out if out.exists() else saltelli_sweep(out)


@pytest.fixture(scope="session")
def calibration(files) -> Path:
    out = files / "calibration.h5"
    return out if out.exists() else calibration_file(out)


@pytest.fixture(scope="session")
def real_sweep(files) -> Path:
    out = files / "binary_sweep.h5"
    return out if out.exists() else binary_sweep(files)


@pytest.fixture(scope="session")
def real_calibration(files) -> Path:
    out = files / "binary_calibration.h5"
    return out if out.exists() else binary_calibration(files)
