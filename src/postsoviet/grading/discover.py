"""Finding the submissions in a folder, in either of the two accepted layouts.

- ``SUBMISSIONS/STUDENT/NN-slug.ipynb`` (one folder per student), or
- ``SUBMISSIONS/STUDENT__NN-slug.ipynb`` (flat, the student's name before ``__``).

Anything else is reported, never skipped: a file that cannot be placed becomes an
``error`` row naming the file (a hidden one, whose name starts with a dot, too), and an
exercise that a student did not hand in (but others did) becomes ``missing`` rows.
Only the clutter operating systems and Jupyter leave behind (``IGNORED``) is passed over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from postsoviet.collect import RECORD as COLLECTION_RECORD

NOTEBOOK_NAME = re.compile(r"^(\d{2})-[a-z0-9][a-z0-9-]*\.ipynb$")
# Also the record ``python -m postsoviet collect`` writes beside the copies it collects.
IGNORED = {".DS_Store", "Thumbs.db", ".ipynb_checkpoints", COLLECTION_RECORD}


@dataclass(frozen=True)
class Submission:
    """One student's file for one exercise notebook (``path`` is None when missing)."""

    student: str
    notebook: str
    path: Path | None


@dataclass(frozen=True)
class Unplaced:
    """A file the grader cannot attribute to a student and an exercise."""

    student: str
    name: str
    reason: str


def _place(student: str, filename: str) -> str | None:
    return filename if NOTEBOOK_NAME.match(filename) else None


HIDDEN = "a hidden file (its name starts with a dot): rename it to be graded"


def discover(folder: Path) -> tuple[list[Submission], list[Unplaced]]:
    """Every submission in ``folder`` plus every file that could not be placed."""
    found: dict[tuple[str, str], Path] = {}
    unplaced: list[Unplaced] = []

    def add(student: str, filename: str, path: Path) -> None:
        notebook = _place(student, filename)
        if notebook is None:
            reason = (
                "not a notebook named like an exercise (NN-slug.ipynb)"
                if filename.endswith(".ipynb")
                else "not a notebook (.ipynb)"
            )
            unplaced.append(Unplaced(student, filename, reason))
        elif (student, notebook) in found:
            unplaced.append(
                Unplaced(student, filename, f"a second copy of {notebook}; the first was graded")
            )
        else:
            found[(student, notebook)] = path

    for entry in sorted(folder.iterdir()):
        if entry.name in IGNORED:
            continue
        if entry.name.startswith("."):
            unplaced.append(Unplaced("?", entry.name, HIDDEN))
            continue
        if entry.is_dir():
            for item in sorted(entry.iterdir()):
                if item.name in IGNORED:
                    continue
                if item.name.startswith("."):
                    unplaced.append(Unplaced(entry.name, item.name, HIDDEN))
                elif item.is_dir():
                    unplaced.append(
                        Unplaced(entry.name, item.name + "/", "a folder inside a student's folder")
                    )
                else:
                    add(entry.name, item.name, item)
        elif "__" in entry.name:
            student, _, filename = entry.name.partition("__")
            add(student, filename, entry)
        else:
            unplaced.append(
                Unplaced(
                    "?",
                    entry.name,
                    "no student name: use STUDENT/NN-slug.ipynb or STUDENT__NN-slug.ipynb",
                )
            )

    students = sorted(
        {student for student, _ in found} | {u.student for u in unplaced if u.student != "?"}
    )
    notebooks = sorted({notebook for _, notebook in found})
    submissions = [
        Submission(student, notebook, found.get((student, notebook)))
        for student in students
        for notebook in notebooks
    ]
    return submissions, unplaced
