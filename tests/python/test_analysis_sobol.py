"""Sobol' indices on the Ishigami function (a = 7, b = 0.1), whose indices are known."""
import shutil

import h5py
import numpy as np
import pytest

from fraudsim_analysis import FraudsimFileError, open_sweep
from fraudsim_analysis.sobol import saltelli_blocks, sobol_from_sweep, sobol_indices
from test_analysis_fixtures import ISHIGAMI_FACTORS, ishigami, saltelli_matrices

pytest_plugins = ["test_analysis_fixtures"]  # the shared files (fixtures)

# Analytic values: V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8,
# V13 = b^2 pi^8 (1/18 - 1/50); S_i = V_i / V, ST1 = (V1 + V13) / V, ST3 = V13 / V.
S1 = np.array([0.3139, 0.4424, 0.0])
ST = np.array([0.5576, 0.4424, 0.2437])


def _ishigami_blocks(n):
    A, B = saltelli_matrices(n, 3)
    f_AB = np.array([ishigami(np.where(np.arange(3) == i, B, A)) for i in range(3)])
    return ishigami(A), ishigami(B), f_AB


def test_analytic_values():
    a, b = 7.0, 0.1
    v1, v2, v13 = (1 + b * np.pi ** 4 / 5) ** 2 / 2, a ** 2 / 8, b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    np.testing.assert_allclose([v1 / v, v2 / v, 0], S1, atol=1e-4)
    np.testing.assert_allclose([(v1 + v13) / v, v2 / v, v13 / v], ST, atol=1e-4)


def test_ishigami_indices():
    indices = sobol_indices(*_ishigami_blocks(4096), factors=ISHIGAMI_FACTORS, n_boot=500)
    assert list(indices.index) == ISHIGAMI_FACTORS
    assert list(indices.columns) == ["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]
    np.testing.assert_allclose(indices["S1"], S1, atol=0.03)
    np.testing.assert_allclose(indices["ST"], ST, atol=0.03)
    # The 95 % intervals hold the true values and are narrow at this N.
    assert ((indices["S1_low"] <= S1) & (S1 <= indices["S1_high"])).all()
    assert ((indices["ST_low"] <= ST) & (ST <= indices["ST_high"])).all()
    assert ((indices["S1_high"] - indices["S1_low"]) < 0.1).all()
    assert indices.attrs["n"] == 4096


def test_indices_do_not_depend_on_a_shift_and_are_reproducible():
    f_A, f_B, f_AB = _ishigami_blocks(1024)
    plain = sobol_indices(f_A, f_B, f_AB, n_boot=200, seed=3)
    shifted = sobol_indices(f_A + 1e6, f_B + 1e6, f_AB + 1e6, n_boot=200, seed=3)
    np.testing.assert_allclose(plain.to_numpy(), shifted.to_numpy(), atol=1e-6)
    np.testing.assert_array_equal(plain.to_numpy(), sobol_indices(f_A, f_B, f_AB, n_boot=200, seed=3).to_numpy())


def test_shapes_are_checked():
    with pytest.raises(ValueError, match="shapes do not fit"):
        sobol_indices(np.ones(5), np.ones(5), np.ones((2, 4)))


def test_from_a_saltelli_sweep(sweep_saltelli):
    sweep = open_sweep(sweep_saltelli)
    f_A, f_B, f_AB = saltelli_blocks(sweep, sweep.summary("registered_cases"))
    A, B = saltelli_matrices(256, 3)
    np.testing.assert_allclose(f_A, ishigami(A) + 20)
    np.testing.assert_allclose(f_AB[1], ishigami(np.where(np.arange(3) == 1, B, A)) + 20)
    indices = sobol_from_sweep(sweep, "registered_cases", n_boot=300)
    direct = sobol_indices(ishigami(A), ishigami(B), f_AB - 20, factors=ISHIGAMI_FACTORS, n_boot=300)
    np.testing.assert_allclose(indices.to_numpy(), direct.to_numpy(), atol=1e-9)
    np.testing.assert_allclose(indices["ST"], ST, atol=0.1)  # N = 256: looser


def test_incomplete_saltelli_sweep(sweep_saltelli, tmp_path):
    copy = tmp_path / "incomplete.h5"
    shutil.copy(sweep_saltelli, copy)
    with h5py.File(copy, "a") as f:
        blocks = f["design/saltelli_factor"][()]
        blocks[blocks == 2] = 1  # no AB_3 block left
        f["design/saltelli_factor"][...] = blocks
    with pytest.raises(FraudsimFileError, match="incomplete Saltelli design"):
        sobol_from_sweep(open_sweep(copy))
