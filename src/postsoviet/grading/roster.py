"""A class roster: which student an LMS id, login or download folder belongs to.

LMS downloads name files and folders after the LMS's own ids (Canvas:
``smithada_4567_890123_04-energy.ipynb``; Moodle: ``Ada Smith_123456_assignsubmission_file_``).
A roster CSV maps those to the names the gradebook should carry. It has a ``student``
column (the name to report) and any of ``id`` (the LMS user id), ``login`` (Canvas's
name part, such as ``smithada``) and ``folder`` (a whole folder or file-name prefix as
the download has it); every other column is ignored, so an LMS's own export with a
``student`` column added works as it is.

Kept in one small module so that grading and exporting marks read rosters the same way.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["KEY_COLUMNS", "Roster", "RosterError", "read_roster"]

KEY_COLUMNS = ("id", "login", "folder")


class RosterError(ValueError):
    """The roster cannot be used; the message is one sentence for the instructor."""


@dataclass(frozen=True)
class Roster:
    """Identifier (any of the key columns, compared case-insensitively) -> student name."""

    names: dict[str, str] = field(default_factory=dict)

    def lookup(self, *keys: str | None) -> str | None:
        """The student for the first of ``keys`` the roster knows, else None."""
        for key in keys:
            if key and key.strip().casefold() in self.names:
                return self.names[key.strip().casefold()]
        return None


def read_roster(path: Path) -> Roster:
    """Read ``path``; raises :class:`RosterError` with one sentence if it cannot be used."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        reason = error.strerror or error
        raise RosterError(f"the roster {path} cannot be read ({reason}).") from error
    except UnicodeDecodeError as error:
        raise RosterError(
            f"the roster {path} is not UTF-8 text; save it as CSV (UTF-8)."
        ) from error
    try:
        rows = list(csv.DictReader(text.splitlines()))
    except csv.Error as error:
        raise RosterError(f"the roster {path} is not a readable CSV file ({error}).") from error
    header = {(name or "").strip().casefold() for name in (rows[0].keys() if rows else [])}
    if "student" not in header or not header & set(KEY_COLUMNS):
        raise RosterError(
            f"the roster {path} needs a 'student' column and at least one of "
            f"{', '.join(KEY_COLUMNS)} (found: {', '.join(sorted(header)) or 'no columns'})."
        )
    names: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        cells = {(k or "").strip().casefold(): (v or "").strip() for k, v in row.items()}
        student = cells.get("student", "")
        if not student:
            continue
        for column in KEY_COLUMNS:
            key = cells.get(column, "").casefold()
            if not key:
                continue
            if names.get(key, student) != student:
                raise RosterError(
                    f"line {number} of the roster {path} gives {column} {cells[column]!r} to "
                    f"{student!r}, but an earlier line gives it to {names[key]!r}."
                )
            names[key] = student
    return Roster(names)
