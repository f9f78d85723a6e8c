"""The student's quiz record, kept in a small local JSON file.

Where: ``$POSTSOVIET_PROGRESS`` if set (the notebook build and the tests point it at a
temporary file), else ``~/.postsoviet/progress.json``, which survives on JupyterHub.

Why it is built this way:

* **Several kernels write at once** (a lesson and an exercise open side by side). Every
  read-change-write happens under a lock (the ``filelock`` package: ``flock`` on Linux and
  macOS, ``msvcrt`` on Windows, released by the operating system if a kernel dies), and the
  change is re-applied to the file as it is *now*, so no writer overwrites another's answers.
* **A crash mid-write never leaves half a file**: the new text goes to a temporary file
  named ``.progress.json.tmp-*`` that then replaces the old one. Only the lock holder writes
  temporaries, so any such file found while holding the lock was left by a killed writer
  and is removed.
* **Losing a practice record must never stop a student from answering.** A file that
  cannot be read in full is copied aside (``progress.json.unreadable-<time>``) with one
  warning, and every record that can still be read is kept. A symlink is followed and its
  target updated. Where nothing can be saved (a folder or a device in the way, no write
  permission), answers are kept in memory for the session, with one warning, and written
  as soon as saving works again.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

__all__ = [
    "ENV_VAR",
    "LessonProgress",
    "ProgressSummary",
    "ProgressWarning",
    "attempts_before",
    "load",
    "progress_path",
    "record",
    "summary",
]

ENV_VAR = "POSTSOVIET_PROGRESS"
FORMAT_VERSION = 1
LOCK_TIMEOUT = 10.0  # seconds; a writer holds the lock for milliseconds
# A record as this module writes it, found even in a damaged or deeply nested file.
_RECORD = re.compile(
    r'"((?:[^"\\]|\\.){1,200})"\s*:\s*\{\s*"attempts"\s*:\s*(\d{1,9})\s*,'
    r'\s*"correct"\s*:\s*(true|false)\s*\}'
)

Records = dict[str, dict[str, Any]]


class ProgressWarning(UserWarning):
    """The progress file had to be set aside or could not be saved."""


def progress_path() -> Path:
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".postsoviet" / "progress.json"


# Answers not yet saved, per resolved file: {question id: {"attempts": n, "correct": b}}.
_pending: dict[Path, Records] = {}
# Warnings already given, so a lasting problem is reported once, not on every answer.
_warned: set[tuple[Path, str]] = set()


def _warn_once(path: Path, kind: str, message: str) -> None:
    if (path, kind) in _warned:
        return
    _warned.add((path, kind))
    warnings.warn(message, ProgressWarning, stacklevel=4)


def _good(record: object) -> bool:
    return (
        isinstance(record, dict)
        and type(record.get("attempts")) is int
        and record["attempts"] >= 0
        and isinstance(record.get("correct"), bool)
    )


def _salvage(raw: bytes) -> Records:
    """The well-formed records in a file that does not parse as a whole."""
    try:
        text = raw.decode(json.detect_encoding(raw), errors="replace")
    except LookupError:
        text = raw.decode("utf-8", errors="replace")
    found: Records = {}
    for match in _RECORD.finditer(text):
        try:
            question_id = json.loads(f'"{match.group(1)}"')
        except ValueError:
            continue
        found[question_id] = {"attempts": int(match.group(2)), "correct": match.group(3) == "true"}
    return found


def _parse(raw: bytes) -> tuple[Records, str]:
    """The records in ``raw`` and, if any part could not be read, why (else ``""``).

    ``json.loads`` on bytes reads UTF-8 with or without a byte-order mark, UTF-16 and
    UTF-32, so a file re-saved by an editor in another encoding is still read.
    """
    if not raw.strip():
        return {}, ""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # ValueError covers UnicodeDecodeError
        return _salvage(raw), "it is not valid JSON"
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, dict):
        return _salvage(raw), "it is not a progress record"
    good = {k: {"attempts": r["attempts"], "correct": r["correct"]}
            for k, r in questions.items() if _good(r)}
    bad = len(questions) - len(good)
    if bad:
        return good, f"{bad} of its {len(questions)} records are damaged"
    return good, ""


def _set_aside(target: Path, raw: bytes, reason: str, kept: int) -> None:
    """Keep a copy of the file as it was, then say so once."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.name}.unreadable-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = target.with_name(f"{target.name}.unreadable-{stamp}-{number}")
    try:
        aside.write_bytes(raw)
        where = f"a copy was kept as {aside.name}"
    except OSError:
        where = "no copy could be kept"
    records = f"{kept} record{'' if kept == 1 else 's'}"
    warnings.warn(
        f"Your quiz progress file {target.name} could not be read in full ({reason}); "
        f"{where}, and the {records} that could be read were kept. Your answers still work.",
        ProgressWarning,
        stacklevel=4,
    )


def _merge(records: Records, changes: Records) -> Records:
    merged = {k: dict(v) for k, v in records.items()}
    for question_id, change in changes.items():
        entry = merged.setdefault(question_id, {"attempts": 0, "correct": False})
        entry["attempts"] += change["attempts"]
        entry["correct"] = entry["correct"] or change["correct"]
    return merged


def _temporaries(target: Path) -> list[Path]:
    """Temporary files of this progress file, and those of the older ``.progress-*`` naming."""
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    legacy = re.compile(r"\.progress-[A-Za-z0-9_]{8}")
    return [
        target.parent / name
        for name in names
        if name.startswith(f".{target.name}.tmp-") or legacy.fullmatch(name)
    ]


def _write(target: Path, records: Records) -> None:
    """Write atomically; the caller holds the lock. Removes temporaries killed writers left."""
    for stale in _temporaries(target):
        stale.unlink(missing_ok=True)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}-{time.monotonic_ns()}")
    text = json.dumps({"version": FORMAT_VERSION, "questions": records}, indent=1, sort_keys=True)
    try:
        with open(temporary, "x", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _unusable(target: Path) -> str:
    """Why ``target`` cannot hold the record (a folder, a device...), or ``""``."""
    try:
        mode = os.stat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return ""  # nothing there yet (or a file in the way of its folder: saving says so)
    except OSError as error:
        return f"it cannot be opened ({error.strerror or error})"
    if stat.S_ISDIR(mode):
        return "a folder of that name is in the way"
    if not stat.S_ISREG(mode):
        return "it is a device or pipe, not an ordinary file"
    return ""


def _update(changes: Records) -> Records:
    """Apply ``changes`` (and any unsaved ones) to the file under the lock; return the record."""
    path = progress_path()
    target = Path(os.path.realpath(path))  # follow a symlink: update its target
    pending = _pending.setdefault(target, {})
    pending.update(_merge(pending, changes))
    problem = _unusable(target)
    if problem:
        _warn_once(
            target, problem,
            f"Your quiz progress cannot be kept in {path.name} ({problem}); your answers are "
            "kept for this session only. Your answers still work.",
        )
        return dict(pending)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(target.with_name(f".{target.name}.lock"), timeout=LOCK_TIMEOUT):
            try:
                raw = target.read_bytes()
            except FileNotFoundError:
                raw = b""
            records, reason = _parse(raw)
            if reason:
                _set_aside(target, raw, reason, len(records))
            merged = _merge(records, pending)
            if pending or reason:
                _write(target, merged)
            pending.clear()
            _warned.discard((target, "save"))
            return merged
    except (OSError, Timeout) as error:
        why = "another program kept it locked" if isinstance(error, Timeout) else (
            error.strerror or str(error))
        _warn_once(
            target, "save",
            f"Your quiz progress could not be saved ({why}); your answers are kept for this "
            "session and saved when that works again. Your answer was still checked.",
        )
        try:  # still show what the file holds, read without the lock
            saved = _parse(target.read_bytes())[0]
        except OSError:
            saved = {}
        return _merge(saved, pending)


def load() -> Records:
    """Every question's record, ``{id: {"attempts": n, "correct": bool}}``, unsaved included."""
    return _update({})


def attempts_before(question_id: str) -> int:
    """How many wrong attempts the student has made at this question so far."""
    entry = load().get(question_id)
    if not entry or entry["correct"]:
        return 0
    return entry["attempts"]


def record(question_id: str, correct: bool) -> None:
    """Count one attempt, merged into whatever other kernels have written meanwhile."""
    _update({question_id: {"attempts": 1, "correct": correct}})


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
    questions = load()
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
