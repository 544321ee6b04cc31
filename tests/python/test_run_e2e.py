"""End to end: the fraudsim binary writes a real HDF5 file, read back with h5py."""
from __future__ import annotations

import datetime
import os
import re
import socket
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

from fraudsim_analysis.io import open_run

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
REFERENCE = ROOT / "scenarios" / "china_2019_2024.yaml"
# Small enough for a test, large enough that every mechanism acts.
SMALL = ["--set", "scale=10000"]

REQUIRED_MONTHLY = [
    "registered_cases", "victims", "losses_yuan", "cases_solved", "suspects_arrested", "calls_blocked",
    "sms_blocked", "domains_blocked", "people_dissuaded", "recruits", "exits_blocked", "workers_abroad",
    "persuaded_to_return",
]


def run(scenario: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BINARY, "run", str(scenario), "-o", str(out), *SMALL, *args],
                          capture_output=True, text=True, check=False)


def datasets(path: Path) -> dict[str, np.ndarray]:
    """Every dataset outside /perf, by name: the part of a file that is the result."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and not name.startswith("perf"):
                found[name] = obj[()]
        f.visititems(visit)
        found["meta.scenario"] = f["meta"].attrs["scenario"]
    return found


@pytest.fixture(scope="module")
def reference_runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    outputs = {}
    for threads in (1, 2):
        out = folder / f"threads{threads}.h5"
        result = run(REFERENCE, out, "--threads", str(threads), "--seed", "7")
        assert result.returncode == 0, result.stderr
        outputs[threads] = out
    return outputs


def test_layout_meta_and_units(reference_runs):
    with h5py.File(reference_runs[1], "r") as f:
        meta = f["meta"].attrs
        for key in ["version", "git_commit", "build_type", "seed", "threads", "scale", "start_date", "end_date",
                    "scenario"]:
            assert key in meta, key
        assert isinstance(meta["scenario"], str)  # variable-length UTF-8, not bytes
        assert meta["seed"] == 7
        assert meta["scale"] == 10000
        assert meta["start_date"] == "2019-01-01" and meta["end_date"] == "2024-12-31"
        assert "seed: 7" in meta["scenario"] and "scale: 10000" in meta["scenario"]

        months = f["monthly/month"].asstr()[()]
        days = f["daily/date"].asstr()[()]
        assert len(months) == 72 and months[0] == "2019-01" and months[-1] == "2024-12"
        assert len(days) == 2192 and days[0] == "2019-01-01" and days[-1] == "2024-12-31"
        for group, axis, length in (("monthly", "month", 72), ("daily", "date", 2192)):
            for name, dataset in f[group].items():
                if name == axis:
                    continue
                assert dataset.ndim == 1 and dataset.shape == (length,), name
                assert np.issubdtype(dataset.dtype, np.number), name
                assert dataset.attrs["units"] and dataset.attrs["description"], name
        for name in REQUIRED_MONTHLY:
            assert name in f["monthly"], name
        # Counts are in real people: multiples of the scale.
        assert np.all(f["monthly/victims"][()] % 10000 == 0)
        assert f["monthly/victims"][()].sum() > 0
        # Timings: the set-up is part of the whole, and every phase is there.
        perf = f["perf"].attrs
        assert 0 < perf["setup"] < perf["wall"]
        assert sum(v for k, v in perf.items() if k.startswith("phase_")) < perf["wall"]
        assert "phase_scam_contacts" in perf and "phase_payments" in perf


def test_monthly_series_add_up_the_daily_ones(reference_runs):
    data = open_run(reference_runs[1])
    daily_by_month = data.daily.groupby(data.daily.index.to_period("M")).sum()
    for name in ["registered_cases", "victims", "losses_yuan", "recruits", "calls_blocked"]:
        np.testing.assert_array_equal(daily_by_month[name].to_numpy(), data.monthly[name].to_numpy())
    # A stock is the value on the month's last day.
    last_days = data.daily.groupby(data.daily.index.to_period("M")).last()
    np.testing.assert_array_equal(last_days["workers_abroad"].to_numpy(), data.monthly["workers_abroad"].to_numpy())
    assert isinstance(data.monthly.index, pd.DatetimeIndex)
    assert data.monthly.attrs["units"]["losses_yuan"] == "yuan"


def test_threads_do_not_change_any_dataset(reference_runs):
    one, two = datasets(reference_runs[1]), datasets(reference_runs[2])
    assert one.keys() == two.keys()
    for name in one:
        if name == "meta.scenario":
            assert one[name] == two[name]
        else:
            np.testing.assert_array_equal(one[name], two[name], err_msg=name)


def test_the_stored_scenario_reproduces_the_run(reference_runs, tmp_path):
    """The resolved scenario in /meta is complete: running it again gives the same datasets."""
    with h5py.File(reference_runs[1], "r") as f:
        stored = f["meta"].attrs["scenario"]
    scenario = tmp_path / "stored.yaml"
    scenario.write_text(stored)
    again = tmp_path / "again.h5"
    result = subprocess.run([BINARY, "run", str(scenario), "-o", str(again), "--threads", "2"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    first, second = datasets(reference_runs[1]), datasets(again)
    for name in first:
        np.testing.assert_array_equal(first[name], second[name], err_msg=name)


def test_interventions_table_lists_every_intervention(reference_runs):
    data = open_run(reference_runs[1])
    table = data.interventions
    assert "exit_controls_2021" in set(table["name"])
    assert set(table["type"]) >= {"exit_control", "interception", "early_warning", "awareness_campaign",
                                  "persuade_to_return"}
    assert table["enabled"].astype(int).eq(1).all()


def test_summary_and_progress(tmp_path):
    out = tmp_path / "run.h5"
    result = run(REFERENCE, out)
    assert result.returncode == 0, result.stderr
    assert "Annual totals" in result.stdout and "2024" in result.stdout
    assert str(out) in result.stdout
    # Not a terminal (a pipe, a Slurm log): plain lines, one at the start, one every few seconds, one at the end.
    lines = result.stderr.splitlines()
    assert "\r" not in result.stderr and len(lines) >= 2, result.stderr
    assert all(re.fullmatch(r"progress: \d{4}-\d\d-\d\d +\d+%  [\d.]+ s elapsed, [\d.]+ s left", line)
               for line in lines), result.stderr
    assert lines[-1].startswith("progress: 2024-12-31  100%")


def test_meta_records_the_command_line_overrides_time_and_host(tmp_path):
    out = tmp_path / "run.h5"
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    result = run(REFERENCE, out, "--set", "interventions.exit_controls_2021.enabled=false", "--seed", "3")
    assert result.returncode == 0, result.stderr
    after = datetime.datetime.now(datetime.timezone.utc)
    with h5py.File(out, "r") as f:
        meta = f["meta"].attrs
        assert meta["overrides"] == "scale=10000\ninterventions.exit_controls_2021.enabled=false"
        assert meta["command_line"] == (f"{BINARY} run {REFERENCE} -o {out} --set scale=10000 "
                                        "--set interventions.exit_controls_2021.enabled=false --seed 3")
        created = datetime.datetime.strptime(meta["created_utc"], "%Y-%m-%dT%H:%M:%SZ")
        assert before <= created.replace(tzinfo=datetime.timezone.utc) <= after
        assert meta["host"] == socket.gethostname()


def test_verify_ignores_when_where_and_how_a_file_was_written(reference_runs, tmp_path):
    """The provenance attributes describe the writing, not the result: verify compares results."""
    copy = tmp_path / "elsewhere.h5"
    copy.write_bytes(reference_runs[1].read_bytes())
    with h5py.File(copy, "r+") as f:
        for key, value in (("created_utc", "2000-01-01T00:00:00Z"), ("host", "another-host"),
                           ("command_line", "fraudsim run elsewhere.yaml"), ("overrides", "")):
            f["meta"].attrs[key] = value
    result = subprocess.run([BINARY, "verify", str(copy), "--threads", "2"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bit-identical" in result.stdout


def test_run_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "run.h5"
    out.write_text("an earlier result")
    refused = run(REFERENCE, out)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == (f"error: -o: cannot write '{out}': the file exists; add --force to overwrite it, "
                              "or name another file\n")
    assert out.read_text() == "an earlier result"
    forced = run(REFERENCE, out, "--force")
    assert forced.returncode == 0, forced.stderr
    with h5py.File(out, "r") as f:
        assert f["meta"].attrs["scale"] == 10000


def run_seed(base: int, n: int) -> int:
    """The seed of replicate n (sim/sweep/seeds.hpp): SplitMix64 output n, top 53 bits."""
    mask = (1 << 64) - 1
    z = (base + (n + 1) * 0x9E3779B97F4A7C15) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return (z ^ (z >> 31)) >> 11


def test_replicates_without_a_design(tmp_path):
    """run --replicates N: N seeds from the base seed in one file, the same as a sweep of seeds alone."""
    out = tmp_path / "replicates.h5"
    no_exit = ["--set", "interventions.exit_controls_2021.enabled=false"]
    result = run(REFERENCE, out, "--replicates", "3", "--seed", "11", *no_exit)
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}: 3 replicates of seed 11" in result.stdout
    assert result.stderr.splitlines()[-1].startswith("progress: 3/3 runs  100%"), result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["replicates.h5"]  # the runs' folder is gone
    with h5py.File(out, "r") as f:
        assert f["meta"].attrs["design"] == "replicates" and f["meta"].attrs["replicates"] == 3
        assert f["meta"].attrs["command_line"].endswith("--replicates 3 --seed 11 " + " ".join(no_exit))
        assert f["meta"].attrs["overrides"] == "scale=10000\n" + no_exit[1]
        seeds = list(f["design/seed"][()])
        assert seeds == [run_seed(11, n) for n in range(3)]
        assert list(f["design/replicate"][()]) == [0, 1, 2]
        cases = f["monthly/registered_cases"][()]
    assert cases.shape == (3, 72)
    assert not np.array_equal(cases[0], cases[1])  # different seeds, different runs

    # Replicate 1 is the single run of its seed.
    single = tmp_path / "single.h5"
    assert run(REFERENCE, single, "--seed", str(seeds[1]), *no_exit).returncode == 0
    with h5py.File(single, "r") as f:
        np.testing.assert_array_equal(f["monthly/registered_cases"][()], cases[1])
    single.unlink()

    # The same as the sweep file of seeds alone (no design) with the same seed and set:.
    sweep_file = tmp_path / "seeds.yaml"
    sweep_file.write_text(f"base_scenario: {REFERENCE}\nseed: 11\nreplicates: 3\n"
                          "set:\n  scale: 10000\n  interventions.exit_controls_2021.enabled: false\n")
    for args in (["sweep", sweep_file, "-o", tmp_path / "seeds"], ["merge", tmp_path / "seeds", "-o", tmp_path / "m.h5"]):
        done = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    with h5py.File(out, "r") as ours, h5py.File(tmp_path / "m.h5", "r") as theirs:
        names = []
        ours.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
        assert "monthly/victims" in names and "design/seed" in names
        for name in names:
            np.testing.assert_array_equal(ours[name][()], theirs[name][()], err_msg=name)


def test_schema_needs_no_file_and_lists_each_types_keys_under_it():
    alone = subprocess.run([BINARY, "schema"], capture_output=True, text=True, check=False)
    assert alone.returncode == 0, alone.stderr
    with_file = subprocess.run([BINARY, "schema", str(REFERENCE)], capture_output=True, text=True, check=False)
    assert with_file.stdout == alone.stdout
    shared, by_type = alone.stdout.split("\n### Intervention type")[0], alone.stdout
    assert "`interventions.<name>.start`" in shared and "`interventions.<name>.type`" in shared
    assert "`regions.<name>.population_share`" in shared
    # A type's own keys appear under that type only, not under every intervention.
    rows = [line for line in shared.splitlines() if "`interventions.<name>." in line]
    assert len(rows) == 7, rows  # type, start, end, ramp_days, fade_from, fade_half_life_days, enabled
    assert not any("block_probability" in row for row in rows)
    interception = by_type.split("### Intervention type `interception`")[1].split("### Intervention type")[0]
    assert "`call_block_probability`" in interception and "`start`" not in interception
    exit_control = by_type.split("### Intervention type `exit_control`")[1].split("### Intervention type")[0]
    assert "`call_block_probability`" not in exit_control and "`block_probability`" in exit_control


@pytest.mark.parametrize("command", ["run", "check", "schema", "sweep", "merge", "calibrate", "verify"])
def test_help_examples_name_keys_the_reference_scenario_has(command):
    text = subprocess.run([BINARY, command, "--help"], capture_output=True, text=True, check=False).stdout
    interventions = set(yaml_keys(REFERENCE.read_text(), "interventions"))
    named = set(re.findall(r"interventions\.(\w+)\.", text))
    assert named <= interventions, named - interventions
    for path in re.findall(r"scenarios/[\w/]+\.yaml", text):
        assert (ROOT / path).is_file(), path


def test_check_prints_resolved_scenario_with_overrides():
    result = subprocess.run([BINARY, "check", str(REFERENCE), "--set", "interventions.exit_controls_2021.enabled=false",
                             "--set", "scale=500"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "scale: 500" in result.stdout
    block = result.stdout.split("exit_controls_2021:")[1].split("persuade_to_return_2021:")[0]
    assert "enabled: false" in block


def test_scenario_docs_are_up_to_date():
    """docs/scenario.md carries the schema as the code declares it (scripts/update_docs.sh)."""
    result = subprocess.run([BINARY, "schema"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    docs = (ROOT / "docs" / "scenario.md").read_text()
    assert result.stdout in docs, "docs/scenario.md is out of date: run scripts/update_docs.sh"


def test_breakdowns_by_category_and_age_band_add_up(reference_runs):
    """Each month's categories and age bands add up to the monthly series; the frames carry the scenario's names."""
    run = open_run(reference_runs[1])
    scenario = run.scenario_dict
    for by, names, series in (("category", scenario["fraud_categories"], ["victimisations", "losses_yuan",
                                                                          "registered_cases"]),
                              ("age_band", scenario["age_bands"], ["victimisations", "registered_cases"])):
        for name in series:
            frame = run.breakdown(by, name)
            assert list(frame.columns) == list(names) and frame.index.equals(run.monthly.index)
            np.testing.assert_array_equal(frame.sum(axis=1).to_numpy(), run.monthly[name].to_numpy())
            assert (frame.sum() > 0).sum() >= 2, (by, name)  # more than one item has cases
    with pytest.raises(Exception, match="has no /age_bands/losses_yuan"):
        run.breakdown("age_band", "losses_yuan")


def test_chain_tables(tmp_path):
    """Compounds, jurisdictions, laundering by hop, events and the labelled transaction table."""
    out = tmp_path / "chain.h5"
    result = run(REFERENCE, out, "--transactions")
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:
        months = len(f["monthly/month"])
        n = len(f["compounds/name"])
        assert f["compounds/workforce"].shape == (n, months)
        assert f["compounds/jurisdiction"].shape == (n, months)
        names = list(f["jurisdictions/name"].asstr()[()])
        assert f["jurisdictions/workforce"].shape == (len(names), months)
        # The compounds add up to the jurisdictions, month by month.
        where = f["compounds/jurisdiction"][()]
        people = f["compounds/workforce"][()]
        for j in range(len(names)):
            np.testing.assert_array_equal(np.where(where == j, people, 0).sum(axis=0), f["jurisdictions/workforce"][j])
        assert list(f["laundering/hop"].asstr()[()]) == [
            "first_level_card", "second_level_card", "payment_channel", "underground_bank", "virtual_currency"]
        frozen_by_hop = f["laundering/frozen_yuan"][()]
        assert frozen_by_hop.shape == (5, months)
        np.testing.assert_array_equal(frozen_by_hop.sum(axis=0), f["monthly/payments_stopped_yuan"][()])
        # Victims' money enters at the entry hop of its route: the hops' pay-ins, and the routes', add up to the losses.
        np.testing.assert_array_equal(f["laundering/paid_in_yuan"][()].sum(axis=0), f["monthly/losses_yuan"][()])
        np.testing.assert_array_equal(f["laundering_routes/paid_in_yuan"][()].sum(axis=0), f["monthly/losses_yuan"][()])
        np.testing.assert_array_equal(f["laundering_routes/frozen_yuan"][()].sum(axis=0),
                                      f["monthly/payments_stopped_yuan"][()])
        types = set(f["events/type"].asstr()[()])
        assert {"raid", "handover", "leader_arrest"} <= types

        t = f["transactions"]
        source = t["source"].asstr()[()]
        amount = t["amount_yuan"][()]
        frozen = t["frozen"][()].astype(bool)
        scale = f["meta"].attrs["scale"]
        # What victims paid, times the scale, is the losses series.
        assert amount[source == "victim"].sum() * scale == f["monthly/losses_yuan"][()].sum()
        # Frozen records have no destination; the others do.
        assert (t["to_account"][()][frozen] == -1).all()
        assert (t["to_account"][()][~frozen] >= 0).all()
        assert set(t["category"].asstr()[()]) <= set(
            yaml_keys(f["meta"].attrs["scenario"], "fraud_categories"))
        assert set(t["route"].asstr()[()]) == set(f["laundering_routes/route"].asstr()[()])


def yaml_keys(text: str, section: str) -> list[str]:
    """The entry names of one top-level named section of a resolved scenario (no YAML library needed)."""
    keys, inside = [], False
    for line in text.splitlines():
        if line.startswith(section + ":"):
            inside = True
            continue
        if inside:
            if line and not line.startswith(" "):
                break
            if line.startswith("  ") and not line.startswith("    ") and line.strip().endswith(":"):
                keys.append(line.strip()[:-1])
    return keys


def test_series_not_scaled_are_whole_entities(reference_runs):
    """Compounds, raids and leaders are simulated one for one; people are scaled."""
    with h5py.File(reference_runs[1], "r") as f:
        assert f["monthly/compounds_open"][0] < 1000
        assert f["monthly/leaders_arrested"][()].sum() < 200
        assert np.all(f["monthly/handed_over"][()] % 10000 == 0)
