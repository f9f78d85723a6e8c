"""The student's quiz record, kept in a small local JSON file.

Where: ``$POSTSOVIET_PROGRESS`` if set (the notebook build and the tests point it at a
temporary file), else ``~/.postsoviet/progress.json``, which survives on JupyterHub.
Writes go to a temporary file that then replaces the old one, so a crash mid-write never
leaves half a file. A file that cannot be read is moved aside with a warning and a fresh
record started: losing a practice record must never stop a student from answering.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_VAR = "POSTSOVIET_PROGRESS"
FORMAT_VERSION = 1


class ProgressWarning(UserWarning):
    """The progress file had to be set aside or could not be saved."""


def progress_path() -> Path:
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".postsoviet" / "progress.json"


def _valid(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("questions"), dict):
        return False
    return all(
        isinstance(record, dict)
        and isinstance(record.get("attempts"), int)
        and isinstance(record.get("correct"), bool)
        for record in data["questions"].values()
    )


def _set_aside(path: Path, reason: str) -> None:
    aside = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        path.replace(aside)
        where = f"it was moved to {aside.name}"
    except OSError:
        where = "it could not be moved, so it will be overwritten"
    warnings.warn(
        f"Your quiz progress file {path.name} could not be read ({reason}); {where}, "
        "and a new record was started. Your answers still work.",
        ProgressWarning,
        stacklevel=3,
    )


def load() -> dict[str, Any]:
    """The record as a dict; a missing file is an empty record, a corrupt one is set aside."""
    path = progress_path()
    empty: dict[str, Any] = {"version": FORMAT_VERSION, "questions": {}}
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return empty
    except OSError as error:
        warnings.warn(
            f"Your quiz progress file could not be opened ({error.strerror or error}); "
            "starting from an empty record. Your answers still work.",
            ProgressWarning,
            stacklevel=2,
        )
        return empty
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:  # also covers UnicodeDecodeError
        _set_aside(path, "it is not valid JSON")
        return empty
    if not _valid(data):
        _set_aside(path, "it is not a progress record")
        return empty
    return data


def save(data: dict[str, Any]) -> None:
    """Write atomically: a temporary file in the same folder, then ``os.replace``."""
    path = progress_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".progress-", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except OSError as error:
        warnings.warn(
            f"Your quiz progress could not be saved ({error.strerror or error}); "
            "your answer was still checked.",
            ProgressWarning,
            stacklevel=3,
        )


def attempts_before(question_id: str) -> int:
    """How many wrong attempts the student has made at this question so far."""
    record = load()["questions"].get(question_id)
    if not record or record["correct"]:
        return 0
    return record["attempts"]


def record(question_id: str, correct: bool) -> None:
    data = load()
    entry = data["questions"].setdefault(question_id, {"attempts": 0, "correct": False})
    entry["attempts"] += 1
    entry["correct"] = entry["correct"] or correct
    save(data)


@dataclass(frozen=True)
class LessonProgress:
    lesson: str
    total: int
    correct: int
    tried: int
    attempts: int


@dataclass(frozen=True)
class ProgressSummary:
    """A readable summary: ``print(progress())`` or just leave it last in a cell."""

    lessons: tuple[LessonProgress, ...]
    path: Path

    def __str__(self) -> str:
        lines = ["Your quiz progress", ""]
        for lesson in self.lessons:
            lines.append(
                f"  {lesson.lesson:<24} {lesson.correct} of {lesson.total} correct"
                f"  ({lesson.tried} tried, {lesson.attempts} "
                f"attempt{'' if lesson.attempts == 1 else 's'})"
            )
        lines += ["", "Kept on this computer only; postsoviet.quiz.progress_path() shows where."]
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def summary(lessons: dict[str, list[str]]) -> ProgressSummary:
    questions = load()["questions"]
    rows = []
    for lesson, ids in lessons.items():
        records = [questions[i] for i in ids if i in questions]
        rows.append(
            LessonProgress(
                lesson=lesson,
                total=len(ids),
                correct=sum(r["correct"] for r in records),
                tried=len(records),
                attempts=sum(r["attempts"] for r in records),
            )
        )
    return ProgressSummary(tuple(rows), progress_path())
