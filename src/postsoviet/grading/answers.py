"""Written answers and their model answers, kept beside the gradebook.

Marking happens after grading, perhaps on another machine and after the submissions
folder has moved, so ``grade`` stores each written answer still to be marked, with the
model answer and rubric from the solution notebook, in ``GRADES/written.json``. The
marking view and the regenerated feedback read it from there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from postsoviet.grading import Row
    from postsoviet.grading.discover import Submission

__all__ = ["WRITTEN_FILE", "Key", "WrittenAnswer", "collect", "load", "save"]

WRITTEN_FILE = "written.json"

#: One answer: (student, notebook, task_id).
Key = tuple[str, str, str]


@dataclass(frozen=True)
class WrittenAnswer:
    """A student's written answer and what the marker compares it with."""

    student: str
    notebook: str
    task_id: str
    answer: str
    model: str

    @property
    def key(self) -> Key:
        return (self.student, self.notebook, self.task_id)


def collect(
    rows: Iterable[Row], submissions: Iterable[Submission], solutions: Path
) -> dict[Key, WrittenAnswer]:
    """Every ``manual`` row's answer text and model answer, read once at grading time."""
    from postsoviet.grading import _written_answer
    from postsoviet.grading.report import rubric

    placed = {(s.student, s.notebook): s.path for s in submissions}
    models: dict[tuple[str, str], str] = {}
    found = {}
    for row in rows:
        if row.status != "manual":
            continue
        path = placed.get((row.student, row.notebook))
        answer = (_written_answer(path, row.task_id) if path else None) or ""
        if (row.notebook, row.task_id) not in models:
            model = rubric(solutions, row.notebook, row.task_id)
            models[(row.notebook, row.task_id)] = model or "(no model answer found)"
        item = WrittenAnswer(
            row.student, row.notebook, row.task_id, answer, models[(row.notebook, row.task_id)]
        )
        found[item.key] = item
    return found


def save(grades: Path, answers: dict[Key, WrittenAnswer]) -> None:
    from postsoviet.grading import _write_atomically

    items = [asdict(answers[key]) for key in sorted(answers)]
    _write_atomically(grades / WRITTEN_FILE, json.dumps(items, ensure_ascii=False, indent=1))


def load(grades: Path) -> dict[Key, WrittenAnswer]:
    """The stored answers; none if ``grade`` has not stored any (an older grading run)."""
    path = grades / WRITTEN_FILE
    if not path.exists():
        return {}
    items = [WrittenAnswer(**item) for item in json.loads(path.read_text(encoding="utf-8"))]
    return {item.key: item for item in items}
