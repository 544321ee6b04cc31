"""Morris elementary effects: on a function whose effects are known, and on a small morris sweep of the binary."""
import h5py
import numpy as np
import pandas as pd
import pytest

from fraudsim_analysis import FraudsimFileError, morris, open_sweep
from fraudsim_analysis.__main__ import main
from fraudsim_analysis.screening import elementary_effects, morris_indices
from test_analysis_fixtures import sweep_and_merge, write_sweep

pytest_plugins = ["test_analysis_fixtures"]  # the shared files (fixtures)

FACTORS = ["x1", "x2", "x3", "x4"]


def _function(x: np.ndarray) -> np.ndarray:
    # x1, x2 linear (effects 5 and -3 per full range), x3 inert, x4 only through its product with x1.
    return 5 * x[:, 0] - 3 * x[:, 1] + 4 * x[:, 0] * x[:, 3] + 100


def _trajectories(r: int, k: int, levels: int = 4, seed: int = 1):
    """One-at-a-time trajectories as a morris design makes them: rows of (trajectory, factor, step, x)."""
    rng = np.random.default_rng(seed)
    jump = levels // 2
    delta = levels / (2 * (levels - 1))
    rows = []
    for t in range(r):
        level = rng.integers(0, levels, k)
        rows.append((t, -1, 0.0, level / (levels - 1)))
        for f in rng.permutation(k):
            up = level[f] + jump < levels
            level = level.copy()
            level[f] += jump if up else -jump
            rows.append((t, int(f), delta if up else -delta, level / (levels - 1)))
    return rows


def _synthetic_sweep(path, r=20, replicates=2):
    design, values = [], []
    for point, (t, f, step, x) in enumerate(_trajectories(r, len(FACTORS))):
        for rep in range(replicates):
            design.append({"run": len(design), "point": point, "replicate": rep, "seed": 5 + len(design),
                           "morris_trajectory": t, "morris_factor": f, "morris_step": step,
                           **dict(zip(FACTORS, x))})
            values.append(_function(x[None, :])[0] + (0.5 if rep else -0.5))  # replicates average out
    months = pd.date_range("2019-01-01", periods=1, freq="MS")
    return write_sweep(path, pd.DataFrame(design), FACTORS, months, {"registered_cases": np.array(values)[:, None]},
                       {"registered_cases": "cases"}, "morris")


def test_known_effects(tmp_path):
    sweep = open_sweep(_synthetic_sweep(tmp_path / "morris.h5"))
    assert sweep.design_type == "morris"
    effects = elementary_effects(sweep, sweep.summary("registered_cases"))
    assert effects.shape == (20, 4)
    assert ((effects[:, 0] >= 5 - 1e-9) & (effects[:, 0] <= 9 + 1e-9)).all()  # 5 + 4 x4
    np.testing.assert_allclose(effects[:, 1], -3)
    np.testing.assert_allclose(effects[:, 2], 0, atol=1e-12)
    table = morris(sweep, "registered_cases", n_boot=300)
    assert list(table.columns) == ["mu_star", "mu_star_low", "mu_star_high", "mu", "sigma"]
    assert table.index[0] == "x1" and table.index[-1] == "x3"  # sorted by mu*
    assert table.loc["x2", "mu"] == pytest.approx(-3)
    assert table.loc["x2", "mu_star"] == pytest.approx(3)
    assert table.loc["x2", "sigma"] == pytest.approx(0, abs=1e-9)
    # x1's effect is 5 + 4 x4, between 5 and 9; x4's is 4 x1, between 0 and 4: both vary (sigma > 0).
    assert 5 <= table.loc["x1", "mu_star"] <= 9
    assert table.loc["x4", "sigma"] > 0.5 and table.loc["x1", "sigma"] > 0.5
    assert ((table["mu_star_low"] <= table["mu_star"]) & (table["mu_star"] <= table["mu_star_high"])).all()
    assert table.attrs["r"] == 20


def test_bootstrap_interval_narrows_with_trajectories():
    rng = np.random.default_rng(4)
    few = morris_indices(rng.normal(1, 1, (10, 2)), n_boot=400)
    many = morris_indices(rng.normal(1, 1, (400, 2)), n_boot=400)
    width = lambda t: (t["mu_star_high"] - t["mu_star_low"]).to_numpy()
    assert (width(many) < width(few) / 3).all()
    np.testing.assert_array_equal(morris_indices(np.ones((3, 2)), n_boot=10).to_numpy()[:, :3], 1.0)


def test_incomplete_design(tmp_path):
    path = _synthetic_sweep(tmp_path / "incomplete.h5", r=3, replicates=1)
    with h5py.File(path, "a") as f:
        moved = f["design/morris_factor"][()]
        moved[moved == 3] = 2  # factor x4 is never moved
        f["design/morris_factor"][...] = moved
    with pytest.raises(FraudsimFileError, match="incomplete Morris design"):
        morris(open_sweep(path))


def test_not_a_morris_sweep(sweep_saltelli):
    with pytest.raises(FraudsimFileError, match="not a Morris design"):
        morris(open_sweep(sweep_saltelli))


def test_a_morris_sweep_of_the_binary(tmp_path, capsys):
    """The binary's morris design, merged and screened: registered cases grow with the recording
    probability on every trajectory (common random numbers keep seed noise out of the steps)."""
    path = sweep_and_merge(tmp_path, "morris", """replicates: 1
design:
  type: morris
  trajectories: 3
  levels: 4
  factors:
    victims.recording_probability: {range: [0.1, 0.5]}
    awareness.public_half_life_days: {range: [200, 500]}
""", "--threads", "1")
    sweep = open_sweep(path)
    assert sweep.design_type == "morris"
    assert len(sweep.design) == 3 * 3
    effects = elementary_effects(sweep, sweep.summary("registered_cases"))
    assert (effects[:, 0] > 0).all()
    assert main(["morris", str(path), "--from", "2021-01", "--to", "2021-12", "--boot", "100",
                 "--csv", str(tmp_path / "mu.csv")]) == 0
    out = capsys.readouterr().out
    assert "victims.recording_probability" in out and "2021-01..2021-12" in out
    assert list(pd.read_csv(tmp_path / "mu.csv", index_col=0).index)[0] == "victims.recording_probability"
