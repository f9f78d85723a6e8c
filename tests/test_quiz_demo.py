"""Demonstration cells in lessons show feedback without touching the student's progress."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import nbformat

from postsoviet import quiz

ROOT = Path(__file__).resolve().parents[1]
QID = "start-here-0"


def test_record_false_prints_the_same_feedback_and_writes_nothing(progress_file: Path) -> None:
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        quiz.answer(QID, "c", record=False)
    assert shown.getvalue().startswith("✗ Not quite")
    assert not progress_file.exists()
    recorded = io.StringIO()
    with contextlib.redirect_stdout(recorded):
        quiz.answer(QID, "c")
    assert recorded.getvalue() == shown.getvalue()
    assert progress_file.exists()  # the default still records: the check above can fail


def _demo_cells() -> list[tuple[str, str, str]]:
    """(lesson, setup cell, cell) for every lesson code cell that calls answer()."""
    found = []
    for path in sorted((ROOT / "course").glob("*.ipynb")):
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        for cell in cells[1:]:
            if "answer(" in cell.source:
                found.append((path.name, cells[0].source, cell.source))
    return found


def test_running_every_lesson_demo_leaves_the_progress_file_untouched(
    progress_file: Path,
) -> None:
    demos = _demo_cells()
    assert demos, "00-start-here demonstrates answer() in a code cell"
    for lesson, setup, cell in demos:
        namespace: dict[str, object] = {}
        with contextlib.redirect_stdout(io.StringIO()) as shown:
            exec(compile(setup, f"{lesson} setup", "exec"), namespace)
            exec(compile(cell, f"{lesson} demo", "exec"), namespace)
        assert shown.getvalue(), lesson
        assert not progress_file.exists(), f"{lesson}: a demo cell wrote to the progress file"
