"""Finding the submissions in a folder, in the layouts instructors and LMSs produce.

- ``SUBMISSIONS/STUDENT/NN-slug.ipynb`` (one folder per student), or
- ``SUBMISSIONS/STUDENT__NN-slug.ipynb`` (flat, the student's name before ``__``);
- Canvas's download: ``login_USERID_FILEID_NN-slug.ipynb`` (``login_LATE_...`` when Canvas
  counts it late, which :func:`canvas_marked_late` reads for :mod:`.deadline`; a
  resubmission of the same file becomes ``NN-slug-1.ipynb``);
- Moodle's download: one folder per student, ``Full Name_ID_assignsubmission_file_``;
- a browser's duplicate of a downloaded file: ``NN-slug (1).ipynb``.

Where several copies of one exercise come from one student, the latest (the highest copy
number) is graded and the others are reported. A ``--roster`` CSV
(:mod:`.roster`) turns LMS ids, logins or folder names into the students' names.

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
from postsoviet.grading.roster import Lookup

NOTEBOOK_NAME = re.compile(r"^(\d{2})-[a-z0-9][a-z0-9-]*\.ipynb$")
# Also the record ``python -m postsoviet collect`` writes beside the copies it collects.
IGNORED = {".DS_Store", "Thumbs.db", ".ipynb_checkpoints", COLLECTION_RECORD}


#: The student of a file that names nobody: its gradebook row is for the instructor only.
NOBODY = "?"


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


# --- names given by LMS downloads and browsers (kept apart from the core layouts) -----

CANVAS_FILE = re.compile(
    r"^(?P<login>[a-z0-9-]+?)(?P<late>_late)?_(?P<user>\d+)_(?P<submission>\d+)_(?P<file>.+)$",
    re.I,
)
MOODLE_FOLDER = re.compile(
    r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_[a-z]+_?$", re.I
)
BROWSER_COPY = re.compile(r"^(?P<stem>.+?) ?\((?P<copy>\d+)\)(?P<ext>\.ipynb)$")
CANVAS_COPY = re.compile(r"^(?P<stem>.+?)-(?P<copy>\d+)(?P<ext>\.ipynb)$")
EXPECTED_NAMES = (
    "STUDENT/NN-slug.ipynb, STUDENT__NN-slug.ipynb, Canvas's "
    "login_USERID_SUBMISSIONID_NN-slug.ipynb or Moodle's Full Name_ID_assignsubmission_file_/"
)


def exercise_copy(filename: str, known: frozenset[str] | None = None) -> tuple[str, int]:
    """The exercise file a (possibly renamed) copy stands for, and its copy number.

    ``04-energy (1).ipynb`` (a browser's) is copy 1 of ``04-energy.ipynb``. Canvas's
    ``04-energy-1.ipynb`` is too, but only when ``known`` (the course's exercise file
    names) says so: ``06-after-2020.ipynb`` is an exercise, not copy 2020 of another.
    """
    browser = BROWSER_COPY.match(filename)
    if browser:
        return browser["stem"] + browser["ext"], int(browser["copy"])
    canvas = CANVAS_COPY.match(filename)
    if canvas and known and filename not in known and canvas["stem"] + canvas["ext"] in known:
        return canvas["stem"] + canvas["ext"], int(canvas["copy"])
    return filename, 0


def lms_file(name: str, roster: Lookup | None) -> tuple[str, str] | None:
    """(student, file name) for a Canvas download's file, or None if it is not one."""
    match = CANVAS_FILE.match(name)
    if match is None or not match["file"].lower().endswith(".ipynb"):
        return None
    found = roster.lookup(match["user"], match["login"], name) if roster else None
    return found or match["login"], match["file"]


def canvas_marked_late(name: str) -> bool:
    """Whether a Canvas download's file name carries Canvas's ``LATE`` marker."""
    match = CANVAS_FILE.match(name)
    return bool(match and match["late"] and match["file"].lower().endswith(".ipynb"))


def lms_folder(name: str, roster: Lookup | None) -> str:
    """The student a folder stands for: Moodle's name and id, the roster, or the name itself."""
    match = MOODLE_FOLDER.match(name)
    keys = [match["id"], match["name"], name] if match else [name]
    found = roster.lookup(*keys) if roster else None
    return found or (match["name"].strip() if match else name)


def discover(
    folder: Path, *, known: frozenset[str] | None = None, roster: Lookup | None = None
) -> tuple[list[Submission], list[Unplaced]]:
    """Every submission in ``folder`` plus every file that could not be placed.

    ``known``: the course's exercise file names (to recognise Canvas's renamed copies);
    ``roster``: LMS ids, logins and folder names to students' names.
    """
    found: dict[tuple[str, str], tuple[int, str, Path]] = {}
    unplaced: list[Unplaced] = []

    def add(student: str, filename: str, path: Path, shown: str = "") -> None:
        original, (filename, copy) = shown or filename, exercise_copy(filename, known)
        notebook = _place(student, filename)
        if notebook is None:
            reason = (
                f"not a notebook named like an exercise (expected {EXPECTED_NAMES})"
                if filename.endswith(".ipynb")
                else "not a notebook (.ipynb)"
            )
            unplaced.append(Unplaced(student, original, reason))
            return
        earlier = found.get((student, notebook))
        if earlier is None:
            found[(student, notebook)] = (copy, original, path)
            return
        if copy == earlier[0]:
            unplaced.append(
                Unplaced(student, original, f"a second copy of {notebook}; the first was graded")
            )
            return
        older, newer = sorted([earlier, (copy, original, path)], key=lambda c: c[0])
        found[(student, notebook)] = newer
        unplaced.append(
            Unplaced(
                student,
                older[1],
                f"an earlier copy of {notebook}; the latest, {newer[1]}, was graded",
            )
        )

    for entry in sorted(folder.iterdir()):
        if entry.name in IGNORED:
            continue
        if entry.name.startswith("."):
            unplaced.append(Unplaced(NOBODY, entry.name, HIDDEN))
            continue
        if entry.is_dir():
            student = lms_folder(entry.name, roster)
            for item in sorted(entry.iterdir()):
                if item.name in IGNORED:
                    continue
                if item.name.startswith("."):
                    unplaced.append(Unplaced(student, item.name, HIDDEN))
                elif item.is_dir():
                    unplaced.append(
                        Unplaced(student, item.name + "/", "a folder inside a student's folder")
                    )
                else:
                    add(student, item.name, item)
        elif "__" in entry.name:
            student, _, filename = entry.name.partition("__")
            add(roster.lookup(student) or student if roster else student, filename, entry)
        elif lms := lms_file(entry.name, roster):
            add(*lms, entry, entry.name)
        else:
            reason = f"no student name: expected {EXPECTED_NAMES}"
            unplaced.append(Unplaced(NOBODY, entry.name, reason))

    students = sorted(
        {student for student, _ in found} | {u.student for u in unplaced if u.student != NOBODY}
    )
    notebooks = sorted({notebook for _, notebook in found})
    paths = {key: path for key, (_, _, path) in found.items()}
    submissions = [
        Submission(student, notebook, paths.get((student, notebook)))
        for student in students
        for notebook in notebooks
    ]
    return submissions, unplaced
