"""The class roster: who the course's students are in the LMS.

Submissions name students as the instructor collected them (``alice/04-energy.ipynb``);
an LMS knows them by its own ids. A roster is a CSV file with one row per student and a
``student`` column holding the course's name for them, plus whatever ids the LMS needs
(see :data:`KNOWN_COLUMNS`). Column names are matched without regard to case, spaces
or hyphens, so ``SIS User ID`` and ``sis_user_id`` are the same column.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

__all__ = ["KNOWN_COLUMNS", "RosterError", "read_roster"]

#: Columns the exports use: Canvas's (``name``, ``canvas_id``, ``sis_user_id``,
#: ``sis_login_id``, ``section``) and Moodle's user identifiers (``email``,
#: ``idnumber``, ``username``, ``first_name``, ``last_name``). Others are kept.
KNOWN_COLUMNS = (
    "student",
    "name",
    "canvas_id",
    "sis_user_id",
    "sis_login_id",
    "section",
    "email",
    "idnumber",
    "username",
    "first_name",
    "last_name",
)


class RosterError(ValueError):
    """The roster cannot be used; the message names the file and the row."""


def _key(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def read_roster(path: Path) -> dict[str, dict[str, str]]:
    """The roster as ``{student: {column: value}}``; raises :class:`RosterError`.

    Every row needs a ``student``; a student listed twice is an error, since the export
    could not know which ids to use.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError(f"The roster {path} could not be read: {error}.") from error
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header or "student" not in [_key(h) for h in header]:
        raise RosterError(
            f"The roster {path} needs a header row with a 'student' column "
            "(the name used in the submissions), then the LMS ids."
        )
    columns = [_key(h) for h in header]
    roster: dict[str, dict[str, str]] = {}
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            raise RosterError(
                f"Row {number} of the roster {path} has {len(values)} fields where the "
                f"header has {len(columns)}."
            )
        entry = {c: v.strip() for c, v in zip(columns, values, strict=True)}
        student = entry["student"]
        if not student:
            raise RosterError(f"Row {number} of the roster {path} has no student name.")
        if student in roster:
            raise RosterError(f"Row {number} of the roster {path} lists {student} a second time.")
        roster[student] = entry
    return roster
