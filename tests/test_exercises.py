"""Exercises generated from solutions: stubs, no answers or rubrics, in sync.

How they score is tested on the graded notebooks themselves: the sample pair in
tests/test_grading.py (alice hands in the solution, bob the blank exercise) and every
real exercise in tests/test_agreement.py (the model and blank students).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from postsoviet import exercises, notebooks

ROOT = Path(__file__).resolve().parents[1]
PAIR_FOLDERS = [
    (ROOT / "tests" / "samples" / "solutions", ROOT / "tests" / "samples" / "exercises"),
    (ROOT / "solutions", ROOT / "exercises"),
]
PAIRS = [pair for source, dest in PAIR_FOLDERS for pair in exercises.pairs(source, dest)]
SAMPLE = ROOT / "tests" / "samples" / "solutions" / "90-sample-elections.ipynb"


def _check_lines(path: Path) -> list[str]:
    """The stored output line of every check cell (the nbgrader grade cells)."""
    lines = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            lines.append("".join(o.get("text", "") for o in cell.outputs).strip())
    return lines


def test_there_are_sample_pairs() -> None:
    assert len([p for p in PAIRS if "samples" in str(p[0])]) == 2


@pytest.mark.parametrize(("solution", "exercise"), PAIRS, ids=lambda p: p.name)
def test_solutions_pass_every_check_and_exercises_are_not_answered(solution, exercise) -> None:
    passed = _check_lines(solution)
    blank = _check_lines(exercise)
    assert passed and len(passed) == len(blank)
    assert all(line.startswith("✓ ") for line in passed), passed
    assert all(line.startswith("· ") and "not answered yet" in line for line in blank), blank


@pytest.mark.parametrize(("solution", "exercise"), PAIRS, ids=lambda p: p.name)
def test_no_solution_rubric_or_instructor_note_reaches_students(solution, exercise) -> None:
    text = exercise.read_text(encoding="utf-8")
    for secret in ("BEGIN SOLUTION", "END SOLUTION", "Rubric", "MARK SCHEME", "instructor-only"):
        assert secret not in text
    for line in _solution_lines(solution):
        assert line not in text, f"solution line leaked: {line!r}"


def _solution_lines(path: Path) -> list[str]:
    """Substantial lines inside BEGIN/END SOLUTION regions of a solution notebook."""
    lines, inside = [], False
    for cell in nbformat.read(path, as_version=4).cells:
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line or "END SOLUTION" in line:
                inside = "BEGIN" in line
            elif inside and len(line.strip()) > 12:
                lines.append(line.strip())
    return lines


def test_the_leak_scan_sees_solution_lines() -> None:
    assert any("final_2020 = elections.query" in line for line in _solution_lines(SAMPLE))


def test_student_version_keeps_nbgrader_metadata_and_stubs() -> None:
    solution = nbformat.read(SAMPLE, as_version=4)
    student = exercises.student_version(solution)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in student.cells if "nbgrader" in c.metadata]
    assert "ex-90-1" in ids and "ex-90-4" in ids
    written = next(
        c for c in student.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "ex-90-4"
    )
    assert written.source == exercises.TEXT_STUB
    answer = next(c for c in student.cells if c.source.startswith("lukashenko_2020"))
    assert answer.source == "lukashenko_2020 = ...\n# YOUR CODE HERE"
    assert not any("instructor-only" in c.metadata.get("tags", []) for c in student.cells)
    assert len(student.cells) == len(solution.cells) - 1


def test_check_mode_finds_stale_and_missing_exercises(tmp_path: Path, capsys) -> None:
    source, dest = tmp_path / "solutions", tmp_path / "exercises"
    source.mkdir()
    shutil.copy(SAMPLE, source / SAMPLE.name)
    assert exercises.main(source, dest, check=True) == 1  # missing
    assert exercises.main(source, dest) == 0
    before = (dest / SAMPLE.name).read_bytes()
    assert exercises.main(source, dest) == 0
    assert (dest / SAMPLE.name).read_bytes() == before  # regenerating changes nothing
    assert exercises.main(source, dest, check=True) == 0
    edited = json.loads(before)
    edited["cells"][0]["source"] = "# Edited by hand\n"
    (dest / SAMPLE.name).write_text(json.dumps(edited))
    assert exercises.main(source, dest, check=True) == 1
    assert "STALE" in capsys.readouterr().out


def test_a_broken_solution_region_is_reported(tmp_path: Path, capsys) -> None:
    source = tmp_path / "solutions"
    source.mkdir()
    broken = SAMPLE.read_text(encoding="utf-8").replace("### END SOLUTION", "", 1)
    (source / SAMPLE.name).write_text(broken, encoding="utf-8")
    assert exercises.main(source, tmp_path / "exercises") == 1
    assert "no end solution statement" in capsys.readouterr().err


def test_missing_source_folder(tmp_path: Path, capsys) -> None:
    assert exercises.main(tmp_path / "nope", tmp_path / "out") == 2
    assert "not a folder" in capsys.readouterr().err


def test_built_exercises_are_clean() -> None:
    for _, exercise in PAIRS:
        assert notebooks.hygiene_problems(exercise) == []
