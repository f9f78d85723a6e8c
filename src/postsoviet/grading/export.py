"""Final results for the LMS: ``python -m postsoviet export GRADES --format F --out FILE``.

One row per student, one column per exercise (automatic + marked + overridden points,
from :func:`postsoviet.grading.marks.totals`), in the layout each LMS documents for its
grade import:

- ``canvas``: Canvas's Gradebook import CSV: ``Student``, ``ID``, ``SIS User ID``,
  ``SIS Login ID``, ``Section``, then one column per assignment. Canvas matches students
  by ID, SIS User ID or SIS Login ID, so the roster must give one of them.
- ``moodle``: Moodle's "Import grades from CSV": one column that identifies the user
  (``Email address``, ``ID number`` or ``Username``; every one the roster fills for all
  students is written, and the instructor maps one of them), then one column per grade
  item.
- ``csv``: ``student``, one column per exercise, ``total``: for a spreadsheet.

Late penalties given to ``grade --late-penalty`` are applied. Nothing is written unless
the whole file can be: every student must be on the roster, and every written answer
marked (or ``--allow-incomplete`` given, when unmarked answers count as 0 and the
command says how many there are).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from postsoviet.grading import _write_atomically
from postsoviet.grading.deadline import load_penalties
from postsoviet.grading.marks import Total, refresh, totals
from postsoviet.grading.roster import read_roster

__all__ = ["FORMATS", "ExportError", "Exported", "export"]

FORMATS = ("canvas", "moodle", "csv")
_CANVAS_IDS = ("canvas_id", "sis_user_id", "sis_login_id")
_MOODLE_IDS = (("email", "Email address"), ("idnumber", "ID number"), ("username", "Username"))


class ExportError(ValueError):
    """The export cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class Exported:
    students: int
    exercises: int
    unmarked: int
    not_in_class: list[str]


def _table(totals_: list[Total]) -> tuple[list[str], list[str], dict[str, dict[str, float]]]:
    students = sorted({t.student for t in totals_})
    notebooks = sorted({t.notebook for t in totals_})
    points: dict[str, dict[str, float]] = {s: {} for s in students}
    for t in totals_:
        points[t.student][t.notebook] = t.points
    return students, notebooks, points


def _columns(notebooks: list[str]) -> list[str]:
    return [n.removesuffix(".ipynb") for n in notebooks]


def _canvas(
    students: list[str],
    notebooks: list[str],
    points: Mapping[str, Mapping[str, float]],
    roster: Mapping[str, Mapping[str, str]],
) -> list[list[str]]:
    rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *_columns(notebooks)]]
    for student in students:
        entry = roster[student]
        if not any(entry.get(c) for c in _CANVAS_IDS):
            raise ExportError(
                f"The roster row of {student} has no Canvas id: Canvas matches students by "
                "canvas_id (its 'ID'), sis_user_id or sis_login_id; fill one of them."
            )
        rows.append(
            [
                entry.get("name") or student,
                *[entry.get(c, "") for c in _CANVAS_IDS],
                entry.get("section", ""),
                *[f"{points[student].get(n, 0):g}" for n in notebooks],
            ]
        )
    return rows


def _moodle(
    students: list[str],
    notebooks: list[str],
    points: Mapping[str, Mapping[str, float]],
    roster: Mapping[str, Mapping[str, str]],
) -> list[list[str]]:
    ids = [(key, title) for key, title in _MOODLE_IDS if all(roster[s].get(key) for s in students)]
    if not ids:
        raise ExportError(
            "Moodle identifies each student by email, idnumber or username, but no one of "
            "these columns is filled for every student in the roster."
        )
    rows = [[title for _, title in ids] + _columns(notebooks)]
    for student in students:
        rows.append(
            [roster[student][key] for key, _ in ids]
            + [f"{points[student].get(n, 0):g}" for n in notebooks]
        )
    return rows


def _plain(
    students: list[str], notebooks: list[str], points: Mapping[str, Mapping[str, float]]
) -> list[list[str]]:
    rows = [["student", *_columns(notebooks), "total"]]
    for student in students:
        values = [points[student].get(n, 0) for n in notebooks]
        rows.append([student, *[f"{v:g}" for v in values], f"{sum(values):g}"])
    return rows


def export(
    grades: Path,
    fmt: str,
    out: Path,
    *,
    roster: Path | None = None,
    allow_incomplete: bool = False,
) -> Exported:
    """Write the class's totals for an LMS; raise :class:`ExportError` (or MarkError)."""
    if fmt not in FORMATS:
        raise ExportError(f"There is no export format '{fmt}': use one of {', '.join(FORMATS)}.")
    if fmt != "csv" and roster is None:
        raise ExportError(
            f"{fmt.capitalize()} needs each student's LMS id: give --roster roster.csv "
            "(a 'student' column with the names used here, and the LMS's ids)."
        )
    rows, marks = refresh(grades)
    sums = totals(rows, marks, load_penalties(grades))
    if not sums:
        raise ExportError(f"The gradebook in {grades} has no exercise results to export.")
    unmarked = [t for t in sums if t.unmarked]
    count = sum(t.unmarked for t in unmarked)
    if count and not allow_incomplete:
        who = ", ".join(f"{t.student} ({t.notebook})" for t in unmarked[:5])
        more = "" if len(unmarked) <= 5 else f" and {len(unmarked) - 5} more"
        raise ExportError(
            f"{count} written answer{'s are' if count != 1 else ' is'} not marked yet: "
            f"{who}{more}. Mark them with `python -m postsoviet mark {grades}`, or export "
            "anyway with --allow-incomplete (unmarked answers then count 0)."
        )
    students, notebooks, points = _table(sums)
    roster_map = read_roster(roster) if roster is not None else {}
    if roster is not None:
        missing = [s for s in students if s not in roster_map]
        if missing:
            raise ExportError(
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} in the gradebook "
                f"but not in the roster {roster}: add a row for "
                f"{'this student' if len(missing) == 1 else 'each'} (nothing was written)."
            )
    if fmt == "canvas":
        table = _canvas(students, notebooks, points, roster_map)
    elif fmt == "moodle":
        table = _moodle(students, notebooks, points, roster_map)
    else:
        table = _plain(students, notebooks, points)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    _write_atomically(Path(out), buffer.getvalue())
    not_in_class = sorted(set(roster_map) - set(students))
    return Exported(len(students), len(notebooks), count, not_in_class)
