"""The example sweeps of scenarios/sweeps: they load, have the sizes their
comments promise, and the counterfactual sweep switches off every
intervention of the reference scenario, runs in CI in seconds, and, with
common random numbers, leaves each variant identical to the baseline until
its intervention starts."""
from __future__ import annotations

import subprocess
import sys

import h5py
import numpy as np
import pytest

from sweep_helpers import BINARY, ROOT, fraudsim, merge, sweep

SWEEPS = ROOT / "scenarios" / "sweeps"


@pytest.mark.parametrize("name, runs", [("exit_control_grid", 27), ("saltelli_small", 96),
                                        ("morris_reference", 8 * 274), ("sobol_reference", 64 * 10)])
def test_example_sweeps_load(name, runs):
    result = fraudsim("sweep", SWEEPS / f"{name}.yaml", "--list")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == runs


def test_the_morris_screening_varies_every_fitted_number_of_the_reference():
    """Each number the reference marks fitted is a factor of morris_reference.yaml, over a range that holds it."""
    import re

    factors = {}
    for line in (SWEEPS / "morris_reference.yaml").read_text().splitlines():
        found = re.match(r"\s+(\S+): \{range: \[([^,]+), ([^\]]+)\]\}", line)
        if found:
            factors[found.group(1)] = (float(found.group(2)), float(found.group(3)))
    fitted = re.findall(r"^\s+(\w+): ([0-9.e+-]+)\s+# fitted", (ROOT / "scenarios" / "china_2019_2024.yaml").read_text(),
                        re.MULTILINE)
    numbers = [(key, float(value)) for key, value in fitted if not re.fullmatch(r"\d{4}-\d\d-\d\d", value)]
    assert len(numbers) >= 10
    for key, value in numbers:
        ranges = [r for path, r in factors.items() if path.endswith("." + key) and r[0] <= value <= r[1]]
        assert ranges, f"the fitted {key} = {value} is not a factor of the screening"


def factors_script(sweep_file) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "sensitivity_factors.py"), str(sweep_file),
                           "--fraudsim", BINARY], capture_output=True, text=True, timeout=60)


def test_the_screening_agrees_with_the_reference():
    """scripts/sensitivity_factors.py finds every factor of the Morris and Sobol' files in the reference, in range."""
    for name in ("morris_reference", "sobol_reference"):
        result = factors_script(SWEEPS / f"{name}.yaml")
        assert result.returncode == 0, result.stderr


def test_the_factor_check_names_what_is_wrong_and_what_is_left_out(tmp_path):
    lines = (SWEEPS / "sobol_reference.yaml").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "factors:") + 1
    factor = lines[start].split(":")[0].strip()
    lines[start + 1:] = ["    victims.no_such_key: {range: [0.1, 0.2]}   # 0.1; x0.5-x2",
                         "    victims.report_probability: {range: [0.5, 0.9]}   # 0.3; x0.5-x2",
                         "    smuggling.smugglers: {range: [1000, 4000]}   # 3000; x0.5-x2"]
    broken = tmp_path / "sweep.yaml"
    broken.write_text("\n".join(line.replace("../china", str(ROOT / "scenarios" / "china")) for line in lines) + "\n")
    result = factors_script(broken)
    assert result.returncode == 1
    assert "victims.no_such_key: no numeric key" in result.stderr
    assert "victims.report_probability: the scenario's value 0.3 lies outside [0.5, 0.9]" in result.stderr
    assert "smuggling.smugglers: the comment should start with the scenario's value 2000" in result.stderr
    assert f"{factor}:" not in result.stderr
    unvaried = result.stdout.split("not varied")[1]
    assert "victims.repeat_victim_factor: {range: [0.75, 3]}" in unvaried        # assumed, x0.5-x2
    assert "origins.south_asia_africa.trafficked_share: {range: [0.4, 0.95]}" in unvaried   # the comment's range
    assert "channels.sms" not in unvaried and "channels.sms = 0.45: a share" in result.stdout


@pytest.fixture(scope="module")
def counterfactuals(tmp_path_factory):
    folder = tmp_path_factory.mktemp("counterfactuals")
    sweep(SWEEPS / "counterfactuals.yaml", folder / "out", timeout=120)
    return folder / "out", merge(folder / "out", folder / "merged.h5")


def test_counterfactuals_switch_off_every_intervention_of_the_reference(counterfactuals):
    outdir, merged = counterfactuals
    with h5py.File(outdir / "runs" / "run-000000.h5", "r") as run:
        names = run["interventions/name"].asstr()[()]
        interventions = set(names[run["interventions/enabled"][()] == 1])
    assert len(interventions) >= 8
    with h5py.File(merged, "r") as f:
        variants = list(f["design/variant"].asstr()[()])
        assert f["meta"].attrs["n_runs"] == 2 * (1 + len(interventions))
    assert variants[:2] == ["baseline", "baseline"]
    covered = [v.removeprefix("without_") for v in variants[2::2]]
    assert variants[2::2] == variants[3::2] and sorted(covered) == sorted(interventions)
    listing = fraudsim("sweep", SWEEPS / "counterfactuals.yaml", "--list").stdout.splitlines()
    assert len(listing) == len(variants)
    assert "--set interventions.exit_controls_2021.enabled=false" in "\n".join(listing)


def test_variants_equal_the_baseline_until_their_intervention_starts(counterfactuals):
    outdir, merged = counterfactuals
    with h5py.File(outdir / "runs" / "run-000000.h5", "r") as run:
        starts = dict(zip(run["interventions/name"].asstr()[()], run["interventions/start"].asstr()[()]))
    with h5py.File(merged, "r") as f:
        variants = f["design/variant"].asstr()[()]
        replicates = f["design/replicate"][()]
        months = f["monthly/month"].asstr()[()]
        cases = f["monthly/registered_cases"][()]
    for row, variant in enumerate(variants):
        if variant == "baseline":
            continue
        baseline = np.flatnonzero((variants == "baseline") & (replicates == replicates[row]))[0]
        before = months < starts[variant.removeprefix("without_")][:7]
        assert np.array_equal(cases[row, before], cases[baseline, before]), variant
    assert any(not np.array_equal(cases[row], cases[0]) for row in range(2, len(variants), 2)), "no variant acts"


def test_a_sweep_of_seeds_alone_needs_no_design(tmp_path):
    """Without `design`, a sweep is the base scenario (with `set:`) run with `replicates` seeds."""
    sweep_file = tmp_path / "seeds.yaml"
    sweep_file.write_text(f"base_scenario: {ROOT / 'scenarios' / 'china_2019_2024.yaml'}\nseed: 3\nreplicates: 3\n"
                          "set: {scale: 20000}\n")
    listing = fraudsim("sweep", sweep_file, "--list")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert len(lines) == 3 and all("--set scale=20000" in line for line in lines)
    assert len({line.split("--seed ")[1].split()[0] for line in lines}) == 3  # three different seeds
    result = fraudsim("sweep", sweep_file, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "3 runs (the base scenario x 3 replicates)" in result.stdout
    factors = tmp_path / "factors.yaml"
    factors.write_text(sweep_file.read_text() + "design:\n  type: replicates\n  factors:\n    scale: {values: [1, 2]}\n")
    refused = fraudsim("sweep", factors, "--list")
    assert refused.returncode == 2 and "takes no factors" in refused.stderr, refused.stderr
