"""Targets files and the comparison of a real run with them, checked against a
hand computation with pandas."""
import textwrap

import numpy as np
import pandas as pd
import pytest

from fraudsim_analysis import open_run
from fraudsim_analysis.compare import TargetsError, compare_run, load_targets, target_value

pytest_plugins = ["test_analysis_fixtures"]  # the shared files (fixtures)

TARGETS = """\
targets:
  - id: nine_months_of_decline_from_june_2021
    series: registered_cases
    kind: months_below_year_before
    period: {from: 2021-06, to: 2022-02}
    reported: 9
    tolerance: 1
    source: "MPS, 14 Apr 2022"
  - id: yoy_decline_since_aug_2023
    series: registered_cases
    kind: year_on_year_change
    period: {from: 2021-06, to: 2021-12}
    compared_with: {from: 2020-05, to: 2020-11}
    reported: -0.286
    tolerance: 0.05
    source: "Global Times, 15 Jan 2024"
  - id: yoy_2021_default_comparison
    series: victims
    kind: year_on_year_change
    period: {from: 2021-01, to: 2021-12}
    reported: -0.5
  - id: cases_solved_2021
    series: cases_solved
    kind: level
    period: {from: 2021-01, to: 2021-12}
    reported: 394000
    tolerance: 25%
    source: "MPS, 14 Apr 2022"
  - id: calls_blocked_2021
    series: calls_blocked
    kind: level
    period: {from: 2021-01, to: 2021-12}
    reported: 1.95e9
  - id: beyond_the_run
    series: registered_cases
    kind: level
    period: {from: 2024-06, to: 2025-03}
    reported: 1000
    tolerance: 500
"""


@pytest.fixture
def targets(tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text(TARGETS)
    return path


def test_load_targets(targets):
    t = load_targets(targets).set_index("id")
    assert len(t) == 6
    assert t.loc["cases_solved_2021", "tolerance"] == pytest.approx(0.25 * 394000)  # "25%" of the reported figure
    assert np.isnan(t.loc["calls_blocked_2021", "tolerance"])
    assert t.loc["yoy_decline_since_aug_2023", "compared_from"] == pd.Period("2020-05", "M")
    assert t.loc["yoy_2021_default_comparison", "compared_to"] == pd.Period("2020-12", "M")  # a year earlier
    assert t.loc["calls_blocked_2021", "reported"] == 1.95e9


def test_compare_run_equals_a_hand_computation(real_run, targets):
    run = open_run(real_run)
    m = run.monthly
    cases = m["registered_cases"]
    months_below = int((cases < cases.shift(12)).loc["2021-06":"2022-02"].sum())
    # The target's own months, compared with months it names (a coarse run has few cases after 2021).
    yoy_2023 = cases.loc["2021-06":"2021-12"].sum() / cases.loc["2020-05":"2020-11"].sum() - 1
    yoy_victims = m["victims"].loc["2021"].sum() / m["victims"].loc["2020"].sum() - 1
    solved = m["cases_solved"].loc["2021"].sum()

    table = compare_run(run, targets).set_index("id")
    assert list(table.columns) == ["series", "kind", "period", "reported", "simulated", "simulated_p05",
                                   "simulated_p95", "tolerance", "within_tolerance", "source"]
    assert table.loc["nine_months_of_decline_from_june_2021", "simulated"] == months_below
    assert table.loc["yoy_decline_since_aug_2023", "simulated"] == pytest.approx(yoy_2023, rel=1e-12)
    assert table.loc["yoy_2021_default_comparison", "simulated"] == pytest.approx(yoy_victims, rel=1e-12)
    assert table.loc["cases_solved_2021", "simulated"] == solved
    assert table.loc["calls_blocked_2021", "simulated"] == m["calls_blocked"].loc["2021"].sum()
    assert table.loc["nine_months_of_decline_from_june_2021", "within_tolerance"] == (abs(months_below - 9) <= 1)
    assert table.loc["cases_solved_2021", "within_tolerance"] == (abs(solved - 394000) <= 98500)
    assert pd.isna(table.loc["calls_blocked_2021", "within_tolerance"])  # no tolerance: not judged
    assert np.isnan(table.loc["beyond_the_run", "simulated"])  # the run ends in 2024-12
    assert pd.isna(table.loc["beyond_the_run", "within_tolerance"])
    assert table.loc["yoy_decline_since_aug_2023", "period"] == "2021-06 to 2021-12"


def test_target_value_on_a_plain_series():
    months = pd.date_range("2020-01-01", periods=24, freq="MS")
    series = pd.Series(np.r_[np.full(12, 10), np.full(6, 5), np.full(6, 20)], index=months)
    assert target_value(series, "level", "2021-01", "2021-03") == 15
    assert target_value(series, "months_below_year_before", "2021-01", "2021-12") == 6
    assert target_value(series, "year_on_year_change", "2021-01", "2021-12") == pytest.approx(150 / 120 - 1)
    assert np.isnan(target_value(series, "months_below_year_before", "2020-06", "2021-01"))
    # the run from the first month: six below, then the run ends; a run to the end counts every month
    assert target_value(series, "run_below_year_before", "2021-01", "2021-12") == 6
    assert target_value(series, "run_below_year_before", "2021-02", "2021-05") == 4
    assert target_value(series, "run_below_year_before", "2021-07", "2021-12") == 0


def test_a_share_is_the_part_of_a_breakdown(real_run, tmp_path):
    run = open_run(real_run)
    targets = tmp_path / "shares.yaml"
    targets.write_text("""targets:
  - {id: young, series: registered_cases, kind: share, by: age_band, items: [age_18_29, age_30_44],
     period: {from: 2020-01, to: 2021-12}, reported: 0.5, tolerance: 0.1}
  - {id: investment, series: losses_yuan, kind: share, by: category, items: [fake_investment],
     period: {from: 2019-01, to: 2019-12}, reported: 0.5, tolerance: 0.1}
""")
    table = compare_run(run, targets).set_index("id")
    ages = run.breakdown("age_band", "registered_cases").loc["2020-01":"2021-12"]
    assert table.loc["young", "simulated"] == pytest.approx(
        ages[["age_18_29", "age_30_44"]].to_numpy().sum() / run.monthly["registered_cases"].loc["2020-01":"2021-12"].sum())
    money = run.breakdown("category", "losses_yuan").loc["2019"]
    assert table.loc["investment", "simulated"] == pytest.approx(money["fake_investment"].sum() / money.to_numpy().sum())
    assert 0 < table.loc["young", "simulated"] < 1 and 0 < table.loc["investment", "simulated"] < 1
    targets.write_text(targets.read_text().replace("age_30_44", "age_30_40"))
    with pytest.raises(TargetsError, match="has no age_band age_30_40"):
        compare_run(run, targets)


def test_a_bound_is_met_on_its_side(tmp_path):
    targets = tmp_path / "bounds.yaml"
    targets.write_text("""targets:
  - {id: at_least, series: s, kind: level, period: {from: 2021-01, to: 2021-01}, reported: 100, tolerance: 1, bound: lower}
  - {id: at_most, series: s, kind: level, period: {from: 2021-01, to: 2021-01}, reported: 100, tolerance: 1, bound: upper}
""")
    from fraudsim_analysis.compare import _within
    at_least, at_most = load_targets(targets).itertuples(index=False)
    assert _within(500.0, at_least) and not _within(50.0, at_least)
    assert _within(50.0, at_most) and not _within(500.0, at_most)


@pytest.mark.parametrize("entry, words", [
    ("{id: a, series: s, kind: trend, period: {from: 2021-01, to: 2021-12}, reported: 1}", "kind 'trend' is not one of"),
    ("{id: a, series: s, kind: level, reported: 1}", "target a: missing period"),
    ("{id: a, series: s, kind: level, period: {from: 2021-13, to: 2021-12}, reported: 1}", "is not a month"),
    ("{id: a, series: s, kind: level, period: {from: 2021-05, to: 2021-01}, reported: 1}", "before 'from'"),
    ("{id: a, series: s, kind: level, period: {from: 2021-01, to: 2021-12}, reported: 1, tolerence: 2}",
     "unknown key tolerence"),
    ("{id: a, series: s, kind: level, period: {from: 2021-01, to: 2021-12}, reported: many}", "is not a number"),
    ("{id: a, series: s, kind: level, period: {from: 2021-01, to: 2021-12}, reported: 1, tolerance: lots}",
     "neither a number nor a percentage"),
    ("{id: a, series: s, kind: level, period: {from: 2021-01, to: 2021-12}, reported: 1,"
     " compared_with: {from: 2020-01, to: 2020-12}}", "compared_with only applies"),
    ("{id: a, series: registered_cases, kind: level, by: age_band, period: {from: 2021-01, to: 2021-12}, reported: 1}",
     "by and items only apply to kind share"),
    ("{id: a, series: losses_yuan, kind: share, by: age_band, items: [x], period: {from: 2021-01, to: 2021-12},"
     " reported: 1}", "has no breakdown by age_band"),
    ("{id: a, series: registered_cases, kind: share, by: category, period: {from: 2021-01, to: 2021-12},"
     " reported: 1}", "a share needs items"),
])
def test_bad_targets_files(tmp_path, entry, words):
    path = tmp_path / "bad.yaml"
    path.write_text(f"targets:\n  - {entry}\n")
    with pytest.raises(TargetsError) as info:
        load_targets(path)
    message = str(info.value)
    assert str(path) in message and words in message and "\n" not in message


@pytest.mark.parametrize("text, words", [
    ("targets: [\n", "not valid YAML"),
    ("- just a list\n", "expected a list under 'targets:'"),
])
def test_targets_files_that_are_not_targets(tmp_path, text, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(TargetsError, match=words):
        load_targets(path)


def test_duplicate_ids_and_unknown_series(tmp_path, real_run):
    entry = "{id: a, series: nonsense, kind: level, period: {from: 2021-01, to: 2021-12}, reported: 1}"
    path = tmp_path / "targets.yaml"
    path.write_text(f"targets:\n  - {entry}\n  - {entry}\n")
    with pytest.raises(TargetsError, match="id used twice"):
        load_targets(path)
    path.write_text(textwrap.dedent(f"targets:\n  - {entry}\n"))
    with pytest.raises(TargetsError, match="has no monthly series 'nonsense'"):
        compare_run(open_run(real_run), path)
