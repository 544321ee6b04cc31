"""The bad-input corpus (tests/bad_input/, format in its README.md): each case
runs the real fraudsim in a copy of the corpus and must give its exit code,
exactly its message on stderr and nothing else, nothing on stdout, and leave
no file behind.

    /usr/bin/python3 tests/python/test_bad_input.py [CASE ...]

prints what each case gives today, to write or check its expected message."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BINARY = os.environ.get("FRAUDSIM_BINARY", "build/fraudsim")
ROOT = Path(os.environ.get("FRAUDSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
CORPUS = ROOT / "tests" / "bad_input"


@dataclass
class Case:
    path: Path  # the case file, in the corpus
    command: list[str] = field(default_factory=list)
    exit: int = 2
    message: list[str] = field(default_factory=list)
    edit: str = ""  # the corpus file this case's input is an edit of
    replacements: list[tuple[str, str]] = field(default_factory=list)
    name: str = ""  # the input's file name, if not the case's own

    @property
    def id(self) -> str:
        return self.path.relative_to(CORPUS).with_suffix("").as_posix()


def unescape(text: str) -> str:
    return text.replace("\\n", "\n")


def read_case(path: Path) -> Case:
    case = Case(path)
    for line in path.read_text().splitlines():
        if not line.startswith("# ") or ":" not in line:
            continue
        key, _, value = line[2:].partition(": ")
        if key == "command":
            case.command = shlex.split(value)
        elif key == "exit":
            case.exit = int(value)
        elif key == "message":
            case.message.append(value)
        elif key == "edit":
            case.edit = value
        elif key == "replace":
            case.replacements.append((unescape(value), ""))
        elif key == "with":
            assert case.replacements and case.replacements[-1][1] == "", f"{path}: 'with' without 'replace'"
            case.replacements[-1] = (case.replacements[-1][0], unescape(value))
        elif key == "as":
            case.name = value
    return case


def all_cases() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix in (".yaml", ".case") and "# command: " in path.read_text():
            cases.append(read_case(path))
    return cases


CASES = all_cases()


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def run_case(case: Case, work: Path) -> subprocess.CompletedProcess:
    """Copies the corpus to `work`, writes the case's input there and runs its command from the case's folder."""
    corpus = work / "bad_input"
    shutil.copytree(CORPUS, corpus)
    folder = corpus / case.path.parent.relative_to(CORPUS)
    if case.edit:
        text = (corpus / case.edit).read_text()
        for old, new in case.replacements:
            assert text.count(old) == 1, f"{case.id}: '{old}' is not in {case.edit} exactly once"
            text = text.replace(old, new)
    else:
        text = case.path.read_text()
    if case.edit or case.name:
        (folder / (case.name or case.path.name)).write_text(text)
    return subprocess.run([BINARY, *case.command], cwd=folder, capture_output=True, text=True, timeout=120)


def test_the_corpus_covers_every_loader():
    by_folder = {}
    for case in CASES:
        by_folder[case.path.parent.name] = by_folder.get(case.path.parent.name, 0) + 1
    assert set(by_folder) == {"scenario", "command_line", "sweep", "calibration", "targets"}, by_folder
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case, tmp_path):
    assert case.command and case.message, f"{case.path}: needs '# command:' and '# message:' lines"
    result = run_case(case, tmp_path)
    assert result.returncode == case.exit, result.stderr
    assert result.stderr == "".join(line + "\n" for line in case.message)
    assert result.stdout == ""
    the_input = (case.path.parent.relative_to(CORPUS) / (case.name or case.path.name)).as_posix()
    left = files_under(tmp_path / "bad_input") - files_under(CORPUS) - {the_input}
    assert not left, f"left behind: {sorted(left)}"


if __name__ == "__main__":
    import tempfile

    wanted = sys.argv[1:]
    for case in CASES:
        if wanted and not any(w in case.id for w in wanted):
            continue
        with tempfile.TemporaryDirectory() as work:
            result = run_case(case, Path(work))
        same = result.returncode == case.exit and result.stderr == "".join(m + "\n" for m in case.message)
        print(f"{'ok  ' if same else 'DIFF'} {case.id}: exit {result.returncode}")
        for line in result.stderr.splitlines():
            print(f"# message: {line}")
        if result.stdout:
            print("stdout:", result.stdout[:500])
