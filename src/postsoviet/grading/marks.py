"""Marks for written answers and overrides, and the totals they make.

``GRADES/marks.csv`` (:data:`MARK_COLUMNS`) holds one row per marked answer: a written
answer the grader left as ``manual``, or an automatic task whose points the instructor
changes (an *override*, which must say why in its comment). The file is the single
record: the marking view writes it as you go, a marker may fill it by hand, and other
markers' files are merged into it (:func:`merge`), with disagreements reported.

Every file is checked whole before anything is written (:class:`MarkError` names the
file and row), and every write replaces the file atomically, under a lock, so two
markers saving at once cannot lose each other's marks.

``GRADES/totals.csv`` (:data:`TOTAL_COLUMNS`) is derived: per student and exercise, the
automatic points of the tasks nobody overrode, the marked points, their sum, the
maximum, and whether every written answer has a mark.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock

from postsoviet import checks
from postsoviet.grading import COLUMNS, Row, _write_atomically
from postsoviet.grading.answers import Key

__all__ = [
    "CONFLICTS_FILE",
    "MARKS_FILE",
    "MARK_COLUMNS",
    "TOTALS_FILE",
    "TOTAL_COLUMNS",
    "Conflict",
    "Mark",
    "MarkError",
    "Total",
    "merge",
    "now",
    "read_gradebook",
    "read_marks",
    "refresh",
    "save_mark",
    "totals",
]

MARKS_FILE = "marks.csv"
TOTALS_FILE = "totals.csv"
CONFLICTS_FILE = "conflicts.csv"
MARK_COLUMNS = ("student", "notebook", "task_id", "points", "comment", "marker", "marked_at")
TOTAL_COLUMNS = (
    "student",
    "notebook",
    "auto_points",
    "manual_points",
    "points",
    "max_points",
    "complete",
)
_REQUIRED = ("student", "notebook", "task_id", "points")


class MarkError(ValueError):
    """A mark or a file of marks that cannot be used; the message names the row."""


@dataclass(frozen=True)
class Mark:
    """One marker's points and comment for one answer."""

    student: str
    notebook: str
    task_id: str
    points: float
    comment: str = ""
    marker: str = ""
    marked_at: str = ""

    @property
    def key(self) -> Key:
        return (self.student, self.notebook, self.task_id)


@dataclass(frozen=True)
class Conflict:
    """Two markers gave the same answer different points."""

    key: Key
    marks: tuple[Mark, ...]
    sources: tuple[str, ...]

    def sentence(self) -> str:
        student, notebook, task = self.key
        given = "; ".join(
            f"{m.points:g} by {m.marker or 'an unnamed marker'} ({source})"
            for m, source in zip(self.marks, self.sources, strict=True)
        )
        return f"{student}'s {task} ({notebook}): {given}"


@dataclass(frozen=True)
class Total:
    student: str
    notebook: str
    auto_points: float
    manual_points: float
    max_points: float
    unmarked: int
    penalty: float = 0.0  # share taken off for lateness (see .deadline)

    @property
    def points(self) -> float:
        return round((self.auto_points + self.manual_points) * (1 - self.penalty), 2)

    @property
    def complete(self) -> bool:
        return self.unmarked == 0


def now() -> str:
    """The time stamp of a mark: UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --- reading ---------------------------------------------------------------------------


def _rows_of(path: Path, what: str, required: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a CSV file with their line numbers, or a MarkError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise MarkError(f"There is no {what} at {path}.") from error
    except (OSError, UnicodeDecodeError) as error:
        raise MarkError(f"The {what} {path} could not be read: {error}.") from error
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise MarkError(f"The {what} {path} is not a readable CSV file: {error}.") from error
    if not table:
        raise MarkError(f"The {what} {path} is empty: it needs a header row.")
    header = [h.strip() for h in table[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise MarkError(
            f"The {what} {path} has no column {', '.join(missing)} in its header row "
            f"(it needs {', '.join(required)})."
        )
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise MarkError(
                f"Row {number} of {path} has {len(values)} fields where the header has "
                f"{len(header)} (a comma in a comment needs quotes around the comment)."
            )
        rows.append((number, dict(zip(header, values, strict=True))))
    return rows


def read_gradebook(grades: Path) -> list[Row]:
    """The rows ``grade`` wrote to ``GRADES/gradebook.csv``."""
    path = Path(grades) / "gradebook.csv"
    out = []
    for number, row in _rows_of(path, "gradebook", COLUMNS):
        try:
            points, most = float(row["points"]), float(row["max_points"])
        except ValueError as error:
            raise MarkError(f"Row {number} of {path} has points that are not numbers.") from error
        out.append(
            Row(
                row["student"],
                row["notebook"],
                row["task_id"],
                points,
                most,
                row["status"],
                row["detail"],
            )
        )
    return out


def _index(rows: Iterable[Row]) -> dict[Key, Row]:
    return {(r.student, r.notebook, r.task_id): r for r in rows if r.task_id}


def check_mark(mark: Mark, gradebook: Mapping[Key, Row], where: str) -> None:
    """Raise :class:`MarkError` (starting with ``where``) unless ``mark`` fits the gradebook."""
    row = gradebook.get(mark.key)
    if row is None:
        students = {k[0] for k in gradebook}
        if mark.student not in students:
            raise MarkError(f"{where}: there is no student '{mark.student}' in the gradebook.")
        raise MarkError(
            f"{where}: {mark.student} has no task '{mark.task_id}' in '{mark.notebook}' "
            "in the gradebook."
        )
    if not math.isfinite(mark.points) or mark.points < 0:
        raise MarkError(f"{where}: points must be a number from 0 to {row.max_points:g}.")
    if mark.points > row.max_points:
        raise MarkError(
            f"{where}: {mark.points:g} points for {mark.student}'s {mark.task_id} is above "
            f"the task's {row.max_points:g} point{'' if row.max_points == 1 else 's'}."
        )
    task = checks.get_task(mark.task_id)
    if row.status != "manual" and task is not None and task.kind == "written":
        # Marked while awaiting marking, and the regraded answer is now blank or missing:
        # the mark would silently become an override of an answer nobody wrote.
        raise MarkError(
            f"{where}: {mark.student}'s {mark.task_id} is a written answer that is now "
            f"{row.status}, not awaiting marking, so its mark of {mark.points:g} no longer "
            "applies: delete the row (or regrade the answer that was marked)."
        )
    if row.status != "manual" and not mark.comment.strip():
        raise MarkError(
            f"{where}: {mark.task_id} of {mark.student} was marked automatically "
            f"({row.status}, {row.points:g} of {row.max_points:g} points); a mark that "
            "overrides it needs a comment saying why."
        )


def read_marks(path: Path, gradebook: Mapping[Key, Row]) -> dict[Key, Mark]:
    """Every mark in ``path``, each checked against the gradebook; a MarkError otherwise.

    A row with an empty points cell is an answer not yet marked, and is skipped. The
    notebook may be given with or without ``.ipynb``.
    """
    path = Path(path)
    marks: dict[Key, tuple[int, Mark]] = {}
    for number, row in _rows_of(path, "marks file", _REQUIRED):
        where = f"Row {number} of {path}"
        if not row["points"].strip():
            continue
        try:
            points = float(row["points"].replace(",", "."))
        except ValueError as error:
            raise MarkError(f"{where}: points '{row['points']}' is not a number.") from error
        notebook = row["notebook"].strip()
        if notebook and not notebook.endswith(".ipynb"):
            notebook += ".ipynb"
        mark = Mark(
            row["student"].strip(),
            notebook,
            row["task_id"].strip(),
            points,
            row.get("comment", "").strip(),
            row.get("marker", "").strip(),
            row.get("marked_at", "").strip(),
        )
        check_mark(mark, gradebook, where)
        if mark.key in marks:
            first = marks[mark.key][0]
            raise MarkError(
                f"{where} marks {mark.student}'s {mark.task_id} again (first on row {first})."
            )
        marks[mark.key] = (number, mark)
    return {key: mark for key, (_, mark) in marks.items()}


# --- writing ---------------------------------------------------------------------------


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _marks_text(marks: Mapping[Key, Mark]) -> str:
    return _csv(
        MARK_COLUMNS,
        (
            [m.student, m.notebook, m.task_id, f"{m.points:g}", m.comment, m.marker, m.marked_at]
            for _, m in sorted(marks.items())
        ),
    )


def _lock(grades: Path) -> FileLock:
    return FileLock(str(Path(grades) / f".{MARKS_FILE}.lock"), timeout=30)


def current_marks(grades: Path, gradebook: Mapping[Key, Row]) -> dict[Key, Mark]:
    """The marks in ``GRADES/marks.csv`` (none if there is no file yet)."""
    path = Path(grades) / MARKS_FILE
    return read_marks(path, gradebook) if path.exists() else {}


def save_mark(grades: Path, mark: Mark) -> dict[Key, Mark]:
    """Check ``mark``, put it in ``GRADES/marks.csv`` (replacing an earlier one), refresh.

    Returns every mark now in the file. Raises :class:`MarkError` and writes nothing if
    the mark does not fit the gradebook.
    """
    grades = Path(grades)
    with _lock(grades):
        rows = read_gradebook(grades)
        gradebook = _index(rows)
        check_mark(mark, gradebook, f"The mark for {mark.student}'s {mark.task_id}")
        marks = current_marks(grades, gradebook)
        marks[mark.key] = mark
        _write_atomically(grades / MARKS_FILE, _marks_text(marks))
        refresh(grades, report=False)  # under the lock: totals match the file just written
    return marks


#: How a merged mark joins the comments and the names of markers who agreed.
COMMENT_JOIN = " | "
MARKER_JOIN = " & "


def merge(grades: Path, files: Iterable[Path]) -> tuple[int, list[Conflict]]:
    """Merge other markers' files into ``GRADES/marks.csv``; return (added, conflicts).

    Every file is checked first; one bad row stops the merge with nothing written. Two
    marks of the same answer with the same points agree (their comments are kept
    together); different points are a conflict: the answer keeps the mark it had in
    ``marks.csv`` (or stays unmarked), and every conflict is listed in
    ``GRADES/conflicts.csv`` for the instructor to settle.
    """
    grades = Path(grades)
    with _lock(grades):
        gradebook = _index(read_gradebook(grades))
        marks = current_marks(grades, gradebook)
        incoming = [(str(f), read_marks(Path(f), gradebook)) for f in files]
        origin = {key: str(grades / MARKS_FILE) for key in marks}
        seen: dict[Key, list[tuple[Mark, str]]] = {k: [(m, origin[k])] for k, m in marks.items()}
        for source, file_marks in incoming:
            for key, mark in file_marks.items():
                seen.setdefault(key, []).append((mark, source))
        added = 0
        conflicts = []
        for key, versions in sorted(seen.items()):
            if len({m.points for m, _ in versions}) > 1:
                conflicts.append(
                    Conflict(key, tuple(m for m, _ in versions), tuple(s for _, s in versions))
                )
                continue
            first = versions[0][0]
            # A mark merged before holds its comments and markers joined: split them, so
            # merging the same file again adds nothing a student would read twice.
            comments: list[str] = []
            for mark, _ in versions:
                for part in mark.comment.split(COMMENT_JOIN):
                    if part and part not in comments:
                        comments.append(part)
            markers = sorted(
                {part for m, _ in versions for part in m.marker.split(MARKER_JOIN) if part}
            )
            combined = replace(
                first, comment=COMMENT_JOIN.join(comments), marker=MARKER_JOIN.join(markers)
            )
            if key not in marks:
                added += 1
            marks[key] = combined
        _write_atomically(grades / MARKS_FILE, _marks_text(marks))
        conflict_rows = [
            [*c.key, f"{m.points:g}", m.comment, m.marker, source]
            for c in conflicts
            for m, source in zip(c.marks, c.sources, strict=True)
        ]
        conflicts_path = grades / CONFLICTS_FILE
        if conflict_rows:
            header = ("student", "notebook", "task_id", "points", "comment", "marker", "file")
            _write_atomically(conflicts_path, _csv(header, conflict_rows))
        elif conflicts_path.exists():
            conflicts_path.unlink()
        refresh(grades)
    return added, conflicts


# --- totals ----------------------------------------------------------------------------


def totals(
    rows: Iterable[Row],
    marks: Mapping[Key, Mark],
    penalties: Mapping[tuple[str, str], float] | None = None,
) -> list[Total]:
    """Per student and exercise: automatic points, marked points, maximum, unmarked count.

    ``penalties`` (from :func:`postsoviet.grading.deadline.load_penalties`) is the share
    of an exercise's points a late submission loses.
    """
    penalties = penalties or {}
    sums: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        if not row.task_id:  # a file that is not one of the course's exercises
            continue
        entry = sums.setdefault((row.student, row.notebook), [0.0, 0.0, 0.0, 0])
        mark = marks.get((row.student, row.notebook, row.task_id))
        if mark is not None:
            entry[1] += mark.points
        elif row.status == "manual":
            entry[3] += 1
        else:
            entry[0] += row.points
        entry[2] += row.max_points
    return [
        Total(
            student,
            notebook,
            auto,
            manual,
            most,
            int(unmarked),
            penalties.get((student, notebook), 0.0),
        )
        for (student, notebook), (auto, manual, most, unmarked) in sorted(sums.items())
    ]


def _totals_text(items: Iterable[Total]) -> str:
    return _csv(
        TOTAL_COLUMNS,
        (
            [
                t.student,
                t.notebook,
                f"{t.auto_points:g}",
                f"{t.manual_points:g}",
                f"{t.points:g}",
                f"{t.max_points:g}",
                "true" if t.complete else "false",
            ]
            for t in items
        ),
    )


def refresh(grades: Path, *, report: bool = True) -> tuple[list[Row], dict[Key, Mark]]:
    """Rewrite what the marks change: totals, each student's feedback, the class report.

    Raises :class:`MarkError` if ``marks.csv`` no longer fits the gradebook (after a
    regrade, say); the totals and feedback are then left as they were.
    """
    from postsoviet.grading import answers
    from postsoviet.grading.deadline import load_penalties
    from postsoviet.grading.report import write_feedback

    grades = Path(grades)
    rows = read_gradebook(grades)
    marks = current_marks(grades, _index(rows))
    penalties = load_penalties(grades)
    _write_atomically(grades / TOTALS_FILE, _totals_text(totals(rows, marks, penalties)))
    write_feedback(rows, grades, answers=answers.load(grades), marks=marks, penalties=penalties)
    if report:
        from postsoviet.grading.class_report import write_report

        write_report(grades, rows, marks)
    return rows, marks
