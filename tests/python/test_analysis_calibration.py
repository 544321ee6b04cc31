"""Calibration files (layout: docs/analysis.md), made by hand."""
import shutil

import h5py
import numpy as np
import pytest

from fraudsim_analysis import Calibration, FraudsimFileError, open_calibration, open_file
from fraudsim_analysis.compare import compare_posterior
from fraudsim_analysis.io import weighted_quantile
from test_analysis_fixtures import CALIBRATION_PARAMETERS, CALIBRATION_PATHS, DAYS_2021, calibration_file

pytest_plugins = ["test_analysis_fixtures"]  # the shared files (fixtures)


def test_posterior_targets_trace(calibration):
    cal = open_file(calibration)
    assert isinstance(cal, Calibration)
    posterior = cal.posterior
    assert list(posterior.columns) == CALIBRATION_PARAMETERS + ["weight", "distance"]
    assert len(posterior) == 400 and posterior["weight"].sum() == pytest.approx(1.0)
    with h5py.File(calibration, "r") as f:
        raw = f["posterior/weights"][()]
        np.testing.assert_array_equal(posterior[CALIBRATION_PARAMETERS].to_numpy(), f["posterior/samples"][()])
    np.testing.assert_allclose(posterior["weight"], raw / raw.sum())
    assert 0 < cal.ess <= 400
    assert list(cal.targets.columns) == ["id", "series", "kind", "period_from", "period_to", "reported", "tolerance",
                                         "simulated_median", "simulated_p05", "simulated_p95", "best", "in_fit",
                                         "source"]
    assert cal.targets["in_fit"].dtype == bool and cal.targets["period_from"].iloc[0] == "2021-06"
    assert list(cal.trace.columns) == ["generation", "tolerance", "ess", "acceptance_rate", "simulations"]
    assert cal.predictive["registered_cases"].shape == (400, 72)
    assert cal.predictive_frame().shape == (72, 400)
    assert cal.paths == dict(zip(CALIBRATION_PARAMETERS, CALIBRATION_PATHS))
    assert cal.units["exit_start"] == "days since 1970-01-01"
    assert cal.best.set_index("parameter").loc["exit_start", "value"] == "2021-03-01"
    assert cal.monthly["registered_cases"].iloc[0] == pytest.approx(1.26e5)
    assert cal.meta["kind"] == "calibration"


def test_weighted_quantiles():
    rng = np.random.default_rng(0)
    values = rng.normal(size=501)
    # Equal weights: the ordinary sample quantiles (Hazen's rule).
    np.testing.assert_allclose(weighted_quantile(values, np.ones(501), [0.05, 0.5, 0.95]),
                               np.quantile(values, [0.05, 0.5, 0.95], method="hazen"))
    # Weight moves the quantiles towards the heavy values; zero weight removes a value.
    small = np.array([1.0, 2.0, 3.0, 100.0])
    np.testing.assert_array_equal(weighted_quantile(small, [1, 1, 8, 0], [0.6, 0.9]), [3.0, 3.0])
    assert 2.0 < weighted_quantile(small, [1, 1, 8, 0], [0.5])[0] < 3.0
    np.testing.assert_allclose(weighted_quantile(small, [1, 1, 1, 0], [0.05, 0.5, 0.99]),
                               weighted_quantile(small[:3], [1, 1, 1], [0.05, 0.5, 0.99]))
    assert weighted_quantile(small, [1, 1, 1, 0], [0.99])[0] == 3.0


def test_weighted_quantiles_of_the_posterior(calibration):
    cal = open_calibration(calibration)
    q = cal.weighted_quantiles([0.05, 0.5, 0.95])
    assert list(q.index) == [0.05, 0.5, 0.95] and list(q.columns) == CALIBRATION_PARAMETERS
    assert (q.diff().iloc[1:] > 0).all().all()
    assert DAYS_2021 < q.loc[0.05, "exit_start"] < q.loc[0.95, "exit_start"] < DAYS_2021 + 330
    name = CALIBRATION_PARAMETERS[1]
    assert q.loc[0.5, name] == pytest.approx(weighted_quantile(cal.posterior[name], cal.weights, [0.5])[0])


def test_compare_posterior(calibration):
    table = compare_posterior(open_calibration(calibration))
    assert list(table.columns[:8]) == ["id", "series", "kind", "period", "reported", "simulated", "simulated_p05",
                                       "simulated_p95"]
    row = table.set_index("id").loc["cases_solved_2021"]
    assert row["simulated"] == 301000 and row["period"] == "2021-01 to 2021-12"
    assert not row["within_tolerance"]  # 394,000 lies above the 95 % point, 360,000
    assert table.set_index("id").loc["yoy_decline_since_aug_2023", "within_tolerance"]


def test_calibration_without_predictive(tmp_path):
    cal = open_calibration(calibration_file(tmp_path / "bare.h5", predictive=False))
    assert cal.months is None and cal.predictive == {}
    with pytest.raises(KeyError):
        cal.predictive_frame()


@pytest.mark.parametrize("damage, words", [
    ("samples", "/posterior/samples must be [400, 3]"),
    ("weights", "non-negative"),
])
def test_malformed_calibrations(calibration, tmp_path, damage, words):
    copy = tmp_path / f"{damage}.h5"
    shutil.copy(calibration, copy)
    with h5py.File(copy, "a") as f:
        del f[f"posterior/{damage}"]
        f[f"posterior/{damage}"] = np.zeros((400, 2)) if damage == "samples" else -np.ones(400)
    with pytest.raises(FraudsimFileError) as info:
        open_file(copy)
    assert str(copy) in str(info.value) and words in str(info.value)


def test_a_calibration_made_by_the_binary(real_calibration):
    cal = open_file(real_calibration)
    assert isinstance(cal, Calibration) and cal.parameters == ["exit_start"]
    assert cal.paths["exit_start"] == "interventions.exit_controls_2021.start"
    assert cal.posterior["weight"].sum() == pytest.approx(1.0) and len(cal.posterior) == 8
    start = cal.weighted_quantiles([0.5]).loc[0.5, "exit_start"]
    assert DAYS_2021 <= start <= DAYS_2021 + 334  # a date in 2021, as days since 1970-01-01
    table = compare_posterior(cal)
    assert "nine_months_of_decline_from_june_2021" in set(table["id"])
    assert (table["simulated_p05"] <= table["simulated_p95"]).all()
    assert cal.predictive_frame().shape == (72, 8)
