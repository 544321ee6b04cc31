"""Checks a sensitivity sweep file against the scenario it varies, and lists
what the scenario marks assumed or fitted that the sweep leaves alone.

    python3 scripts/sensitivity_factors.py scenarios/sweeps/morris_reference.yaml
    python3 scripts/sensitivity_factors.py SWEEP.yaml --fraudsim build/fraudsim

Checks, each an error (exit 1): every factor is a numeric key of the base
scenario; its range is increasing, within the key's bounds (`fraudsim
schema`) and holds the scenario's value; the value its comment names is the
scenario's; a fitted value's range holds the posterior 90 % interval its
comment gives, or is exactly it.

Then lists every numeric value whose comments (on its line, or above it in
its section) say "assumption" or "fitted" and that the sweep does not vary:
first those a rule of the screening leaves out (docs/sensitivity.md, Method),
with the rule, then the rest, each as a factor line with the range the rules
would give, to be added or named in a rule. The rules are the ones in the
head of scenarios/sweeps/morris_reference.yaml; a value marked only in a
comment block that covers its section may be a false alarm.
"""
from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# Values the screening leaves out on purpose, and why (the rules of the head
# of morris_reference.yaml). First match wins.
LEFT_OUT = [
    (r"\.effort_share$|^channels\.", "a share that adds up to one with others"),
    (r"^groups\.(leaders|financiers)_per_group$|^jurisdictions\.[^.]+\.groups$|^cards\.payments_per_bank_card$"
     r"|^laundering\.(hops|routes)\.[^.]+\.delay_days$", "a count of a few"),
    (r"^jurisdictions\.[^.]+\.(compounds|max_compounds)$", "the compounds and room of a jurisdiction, bound to each other"),
    (r"_per_seller_(min|max)$", "the two ends of a range, bound to each other"),
    (r"^population$|population_share$|^regions\.|home_salary|network_break_per_arrest|sentence_(min|max)_months$"
     r"|^markets\.[^.]+\.(population|yuan_per_unit)$", "a published source"),
    (r"^(seed|scale)$", "not a value of the model"),
    (r"\.ramp_days$", "ramp_days of an intervention (not marked)"),
]

FITTED = re.compile(r"(?:(\S+): )?fitted \([^)]*\); posterior median (\S+), 90 %: (\S+) to ([^\s;,]+)")
RANGE = re.compile(r"range ([0-9.,e-]+) ?(?:-|to) ?([0-9.,e-]+)")


@dataclass
class Value:
    path: str
    value: float
    line: int          # 0-based
    comments: str      # every comment that governs it, joined
    own: str           # the comment on its own line: the only place a range surely belongs to it
    fitted: tuple[float, float] | None = None   # posterior 90 % interval


def number(text: str) -> float:
    return float(text.replace(",", ""))


def comment_of(line: str) -> str:
    return line.split("#", 1)[1].strip() if "#" in line else ""


def scenario_values(path: Path) -> dict[str, Value]:
    """Every numeric leaf of the scenario with the comments that govern it."""
    lines = path.read_text().splitlines()
    values: dict[str, Value] = {}

    def block(first: int, last: int) -> str:
        """Comment lines between two lines (exclusive of the last)."""
        return " ".join(comment_of(lines[i]) for i in range(first, last) if lines[i].lstrip().startswith("#"))

    def walk(node, prefix: str, inherited: str, start: int) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                above = block(start, key.start_mark.line)
                walk(child, f"{prefix}{key.value}.", f"{inherited} {above}", key.start_mark.line)
        elif isinstance(node, yaml.ScalarNode):
            try:
                value = float(node.value)
            except ValueError:
                return
            line = node.start_mark.line
            own = comment_of(lines[line])
            values[prefix[:-1]] = Value(prefix[:-1], value, line, f"{inherited} {own}", own)

    root = yaml.compose(path.read_text())
    for key, child in root.value:
        top = key.start_mark.line
        first = top
        while first > 0 and lines[first - 1].lstrip().startswith("#"):
            first -= 1
        walk(child, f"{key.value}.", block(first, top) + " " + comment_of(lines[top]), top)
    attach_fitted(values, lines)
    return values


def attach_fitted(values: dict[str, Value], lines: list[str]) -> None:
    """A fitted comment is on the value's line, or on the line above a flow mapping naming the key."""
    by_line: dict[int, list[Value]] = {}
    for value in values.values():
        by_line.setdefault(value.line, []).append(value)
    for index, text in enumerate(lines):
        found = FITTED.search(comment_of(text))
        if not found:
            continue
        names, target = found.group(1), index
        if text.lstrip().startswith("#"):
            target = next(i for i in range(index + 1, len(lines)) if not lines[i].lstrip().startswith("#"))
        for value in by_line.get(target, []):
            if names is None or value.path.endswith("." + names):
                value.fitted = (number(found.group(3)), number(found.group(4)))


def schema_bounds(fraudsim: str) -> tuple[dict[str, tuple[str, str]], dict[tuple[str, str], tuple[str, str]]]:
    """(kind, allowed) by key pattern, and by (intervention type, key)."""
    text = subprocess.run([fraudsim, "schema"], capture_output=True, text=True, check=True).stdout
    general, by_type, kind = {}, {}, None
    for line in text.splitlines():
        heading = re.match(r"### Intervention type `(\w+)`", line)
        if heading:
            kind = heading.group(1)
            continue
        row = re.match(r"\| `([^`]+)` \| (\w[\w ]*?) \|[^|]*\| ([^|]*) \|", line)
        if row:
            entry = (row.group(2), row.group(3).strip())
            if kind is None:
                general[row.group(1)] = entry
            else:
                by_type[(kind, row.group(1))] = entry
    return general, by_type


def bounds_of(path: str, scenario: dict, general: dict, by_type: dict) -> tuple[float, float]:
    """The key's allowed interval, (-inf, inf) where the schema gives none."""
    parts = path.split(".")
    allowed = ""
    if parts[0] == "interventions" and len(parts) > 2:
        kind = scenario["interventions"][parts[1]]["type"]
        allowed = by_type.get((kind, ".".join(parts[2:])), general.get("interventions.<name>." + ".".join(parts[2:]),
                                                                       ("", "")))[1]
    else:
        for pattern, (_, text) in general.items():
            if re.fullmatch(re.escape(pattern).replace(re.escape("<name>"), r"[^.]+"), path):
                allowed = text
                break
    interval = re.fullmatch(r"[\[(]([-0-9.e]+), ([-0-9.e]+)[\])]", allowed)
    if interval:
        return float(interval.group(1)), float(interval.group(2))
    lower = re.fullmatch(r">= ([-0-9.e]+)", allowed)
    return (float(lower.group(1)) if lower else -math.inf), math.inf


def proposed_range(value: Value, bounds: tuple[float, float]) -> tuple[float, float, str]:
    """The range the rules give a value the sweep does not vary yet."""
    if value.fitted:
        low, high = value.fitted
        return min(low, value.value), max(high, value.value), "fitted: posterior 90 % interval"
    found = RANGE.search(value.own)
    if found:
        return number(found.group(1)), number(found.group(2).rstrip(",.")), "range of the scenario's comment"
    low, high = max(value.value / 2, bounds[0]), min(value.value * 2, bounds[1])
    hint = "; the comments above may give a range" if re.search(r"range|\[", value.comments) else ""
    return low, high, "x0.5-x2" + (", clipped" if high < value.value * 2 else "") + hint


def sweep_factors(path: Path) -> list[tuple[str, float, float, str, int]]:
    """(key, low, high, comment, line number) of each factor of the sweep file."""
    factors = []
    for number_, line in enumerate(path.read_text().splitlines(), 1):
        found = re.match(r"\s+(\S+): \{range: \[([^,]+), ([^\]]+)\]\}\s*(?:#\s*(.*))?$", line)
        if found:
            factors.append((found.group(1), float(found.group(2)), float(found.group(3)), found.group(4) or "", number_))
    return factors


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=5e-3, abs_tol=1e-12)


def check(sweep: Path, values: dict[str, Value], scenario: dict, general: dict, by_type: dict) -> list[str]:
    errors = []
    for key, low, high, comment, line in sweep_factors(sweep):
        where = f"{sweep}:{line}: {key}"
        if key not in values:
            errors.append(f"{where}: no numeric key of that name in the scenario")
            continue
        value, (lower, upper) = values[key], bounds_of(key, scenario, general, by_type)
        if not low < high:
            errors.append(f"{where}: range [{low:g}, {high:g}] is not increasing")
        if not (low <= value.value <= high):
            errors.append(f"{where}: the scenario's value {value.value:g} lies outside [{low:g}, {high:g}]")
        if low < lower or high > upper:
            errors.append(f"{where}: range [{low:g}, {high:g}] leaves the key's bounds [{lower:g}, {upper:g}]")
        named = re.match(r"([-0-9.e+]+);", comment)
        if not named or not close(float(named.group(1)), value.value):
            errors.append(f"{where}: the comment should start with the scenario's value {value.value:g}")
        if value.fitted and not (low <= value.fitted[0] + 1e-12 and value.fitted[1] <= high + 1e-12):
            errors.append(f"{where}: fitted, but [{low:g}, {high:g}] does not hold its 90 % interval "
                          f"{value.fitted[0]:g} to {value.fitted[1]:g}")
    return errors


def unvaried(sweep: Path, values: dict[str, Value], scenario: dict, general: dict, by_type: dict) -> list[str]:
    varied = {key for key, *_ in sweep_factors(sweep)}
    left_out, missing = [], []
    for path, value in values.items():
        marked = value.fitted or re.search(r"assumption|fitted", value.comments, re.IGNORECASE)
        if path in varied or not marked:
            continue
        rule = next((why for pattern, why in LEFT_OUT if re.search(pattern, path)), None)
        if rule is None and value.value == 0:
            rule = "zero"
        if rule:
            left_out.append(f"  {path} = {value.value:g}: {rule}")
            continue
        low, high, how = proposed_range(value, bounds_of(path, scenario, general, by_type))
        missing.append(f"    {path}: {{range: [{low:.3g}, {high:.3g}]}}   # {value.value:g}; {how}")
    return ([f"Left out by a rule ({len(left_out)}):"] + left_out
            + [f"Marked assumed or fitted and not varied ({len(missing)}; add them, or name the rule that "
               "leaves them out):"] + missing)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sweep", type=Path, nargs="?", default=ROOT / "scenarios/sweeps/morris_reference.yaml")
    parser.add_argument("--fraudsim", default=os.environ.get("FRAUDSIM_BINARY", str(ROOT / "build/fraudsim")))
    args = parser.parse_args()
    base = args.sweep.parent / yaml.safe_load(args.sweep.read_text())["base_scenario"]
    values = scenario_values(base)
    scenario = yaml.safe_load(base.read_text())
    general, by_type = schema_bounds(args.fraudsim)
    errors = check(args.sweep, values, scenario, general, by_type)
    print(f"{len(sweep_factors(args.sweep))} factors in {args.sweep}, against {base}")
    print("\n".join(unvaried(args.sweep, values, scenario, general, by_type)))
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
