"""The class roster: who the course's students are in the LMS.

Submissions name students as the instructor collected them (``alice/04-energy.ipynb``);
an LMS knows them by its own ids. A roster is a CSV file with one row per student and a
``student`` column holding the course's name for them, plus whatever ids the LMS needs
(see :data:`KNOWN_COLUMNS`). Column names are matched without regard to case, spaces
or hyphens, so ``SIS User ID`` and ``sis_user_id`` are the same column.

One module for both uses: exporting marks reads the LMS ids of each student, and grading
an LMS download (:func:`lookup_table`) finds the student an id or folder name stands for.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ID_COLUMNS", "KNOWN_COLUMNS", "Lookup", "RosterError", "lookup_table", "read_roster"]

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


#: Columns whose values can name a student in an LMS download: the ids in Canvas's file
#: names (``smithada_4567_...``: ``canvas_id`` or ``id`` 4567, ``login`` smithada) and in
#: Moodle's folder names (``Ada Smith_123456_assignsubmission_file_``: ``id`` or
#: ``idnumber``), the LMS's user names, or a whole ``folder`` name as the download has it.
ID_COLUMNS = ("id", "login", "folder", "canvas_id", "sis_login_id", "idnumber", "username")


@dataclass(frozen=True)
class Lookup:
    """Identifier (compared case-insensitively) -> the course's name for the student."""

    names: dict[str, str] = field(default_factory=dict)

    def lookup(self, *keys: str | None) -> str | None:
        """The student for the first of ``keys`` the roster knows, else None."""
        for key in keys:
            if key and key.strip().casefold() in self.names:
                return self.names[key.strip().casefold()]
        return None


def lookup_table(roster: dict[str, dict[str, str]], path: Path | str = "roster") -> Lookup:
    """Who each id of :data:`ID_COLUMNS` belongs to; one id for two students is an error."""
    names: dict[str, str] = {}
    for student, entry in roster.items():
        for column in ID_COLUMNS:
            key = entry.get(column, "").casefold()
            if not key:
                continue
            if names.get(key, student) != student:
                raise RosterError(
                    f"The roster {path} gives {column} {entry[column]!r} to both "
                    f"{names[key]!r} and {student!r}."
                )
            names[key] = student
    return Lookup(names)
