"""Coverage (simulation-based calibration): the arithmetic on posteriors whose answer is known, and the
command on a one-parameter problem of the reference at a coarse scale.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from fraudsim_analysis.coverage import (central_interval, clopper_pearson, draw_truths, posterior_quantile,
                                        rank_uniformity, sbc_rank, summarise)

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"


def _normal_model(truths: int, spread: float, seed: int = 7) -> pd.DataFrame:
    """theta ~ N(0, 1), y ~ N(theta, 1): the posterior is N(y/2, 1/2). Each posterior is an importance
    sample from the prior weighted by the likelihood (as the history match's is weighted), with its
    deviations from the mean multiplied by `spread` (1: exact; below 1: too confident)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(truths):
        theta = rng.normal()
        y = theta + rng.normal()
        draws = rng.normal(size=4000)
        weights = np.exp(-0.5 * (y - draws) ** 2)
        mean = np.sum(weights * draws) / weights.sum()
        draws = mean + spread * (draws - mean)
        lo90, hi90 = central_interval(draws, weights, 0.9)
        lo50, hi50 = central_interval(draws, weights, 0.5)
        rows.append({"truth": i, "parameter": "theta", "in_90": lo90 <= theta <= hi90, "in_50": lo50 <= theta <= hi50,
                     "quantile": posterior_quantile(draws, weights, theta), "rank": sbc_rank(draws, weights, theta, rng),
                     "width_90_unit": hi90 - lo90})
    return pd.DataFrame(rows)


def test_exact_posteriors_cover_as_they_say_and_give_uniform_ranks():
    summary = summarise(_normal_model(1000, spread=1.0)).iloc[0]
    # 1,000 truths: the share covered has a standard error of 0.9 percentage points (0.5: 1.6)
    assert 0.87 <= summary["coverage_90"] <= 0.93, summary
    assert 0.45 <= summary["coverage_50"] <= 0.55, summary
    assert summary["coverage_90_low"] <= 0.9 <= summary["coverage_90_high"], summary
    assert summary["rank_uniformity_p"] > 0.001, summary
    assert summary["mean_width_90_over_prior"] == pytest.approx(2 * 1.645 * np.sqrt(0.5), rel=0.05)


def test_a_posterior_too_narrow_is_caught():
    # half the right width: a 90 % interval is then a 59 % one, and ranks pile up at both ends
    table = _normal_model(400, spread=0.5)
    summary = summarise(table).iloc[0]
    assert summary["coverage_90"] < 0.7, summary
    assert summary["coverage_90_high"] < 0.8, summary
    assert summary["rank_uniformity_p"] < 1e-6, summary
    ends = np.mean((table["rank"] < 10) | (table["rank"] > 89))
    assert ends > 0.35, ends  # 0.2 when uniform


def test_clopper_pearson_is_the_exact_binomial_interval():
    for hits, n in ((7, 10), (45, 50), (1, 8)):
        exact = binomtest(hits, n).proportion_ci(0.9, "exact")
        assert clopper_pearson(hits, n, 0.9) == pytest.approx((exact.low, exact.high))
    assert clopper_pearson(0, 10)[0] == 0.0 and clopper_pearson(10, 10)[1] == 1.0
    assert rank_uniformity(np.arange(100)) == pytest.approx(1.0)


def test_truths_are_keyed_by_their_number():
    ten = draw_truths(3, 10, seed=4)
    assert np.array_equal(draw_truths(3, 4, seed=4), ten[:4])  # more truths do not change the first ones
    assert not np.array_equal(draw_truths(3, 4, seed=5), ten[:4])
    assert ten.min() >= 0 and ten.max() < 1


# One parameter of the reference, well identified: the share of reports recorded sets registered cases
# in proportion. At 1:4000 a year holds about 160 registered agents (seed noise near 8 %), so the
# tolerance is 15 % and the truth's figures are a mean over two seeds.
SCALE = 4000
TRUTHS = 10


@pytest.fixture(scope="module")
def covered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coverage")
    (folder / "targets.yaml").write_text("targets:\n" + "".join(
        f"  - {{id: registered_{year}, series: registered_cases, kind: level, period: {{from: {year}-01, to: "
        f"{year}-12}}, reported: 600000, tolerance: 15%}}\n" for year in (2019, 2020)))
    (folder / "calibration.yaml").write_text(
        f"scenario: {REFERENCE}\ntargets: targets.yaml\nseed: 3\nparameters:\n"
        "  recording: {path: victims.recording_probability, low: \"0.1\", high: \"0.6\"}\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "analysis"),
                                                                      os.environ.get("PYTHONPATH")])))
    out = folder / "out"
    result = subprocess.run([sys.executable, "-m", "fraudsim_analysis", "coverage", str(folder / "calibration.yaml"),
                             "-o", str(out), "--truths", str(TRUTHS), "--scale", str(SCALE), "--truth-replicates", "2",
                             "--points", "10", "--draws", "5000", "--threads", "2", "--binary", BINARY],
                            capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result


def test_coverage_of_a_well_identified_parameter(covered):
    out, result = covered
    table = pd.read_csv(out / "coverage.csv")
    assert len(table) == TRUTHS and set(table["parameter"]) == {"recording"}
    assert table["rank"].between(0, 99).all()
    # the truths are the prior's: spread over 0.1..0.6
    assert table["value"].between(0.1, 0.6).all() and table["value"].std() > 0.08
    # At a coverage of 90 %, 7 or more of 10 truths fall inside with probability 0.987; a fit whose intervals
    # missed the truth half the time would pass with probability 0.17.
    inside = int(table["in_90"].sum())
    assert inside >= 7, table[["value", "p05", "p95", "quantile"]].to_string()
    # and the intervals say something: on average under half the prior
    assert table["width_90_unit"].mean() < 0.5, table["width_90_unit"].mean()
    summary = pd.read_csv(out / "summary.csv")
    assert summary.loc[0, "coverage_90"] == pytest.approx(inside / TRUTHS)
    assert (out / "ranks.png").stat().st_size > 5000
    assert "recording" in result.stdout
