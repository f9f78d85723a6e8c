"""Late submissions: ``grade --deadline 2026-10-12T23:59 [--late-penalty PCT]``.

Where a submission's time comes from, best first:

1. the record ``python -m postsoviet collect`` wrote beside the copies
   (``SUBMISSIONS/collection.csv``): the time the student's own file had in their home,
   read when it was collected, for a copy that is still the one collected (its SHA-256
   matches); copying the folder afterwards cannot change it;
2. the file's modification time, which an unzipped LMS download or ``cp -p`` keeps.

LMS download names carry no time: Canvas names a file
``login[_LATE]_USERID_FILEID_name`` and Moodle a folder ``Full Name_ID_assignsubmission_file_``
(their bulk-download code builds the names from those parts alone). Canvas's ``LATE``
is its own verdict against its due date, including any extension a student was given,
so it is reported beside the course's own check (and also without ``--deadline``), but
it cannot say how late, so it never changes the points.

A late submission's rows say so in their ``detail``, naming the source of the time; with
``--late-penalty PCT``, each started day after the deadline takes PCT per cent off that
exercise's points (automatic and marked alike, never below 0). The deadline, each
submission's time and its source, and the late submissions are kept in
``GRADES/late.json``, so the totals, feedback and export apply the same penalty after
marking.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from postsoviet.collect import RECORD as COLLECTION_RECORD
from postsoviet.grading.discover import canvas_marked_late

if TYPE_CHECKING:
    from postsoviet.grading import Row
    from postsoviet.grading.discover import Submission

__all__ = [
    "LATE_FILE",
    "DeadlineError",
    "Late",
    "SubmittedAt",
    "flag_late",
    "load_penalties",
    "parse_deadline",
    "read_collection",
    "split_late",
    "submission_times",
]

LATE_FILE = "late.json"
_NOTE = re.compile(r" \(late: (?P<note>[^()]*)\)$")


class DeadlineError(ValueError):
    """The deadline or penalty given on the command line, or the submissions folder's
    collection record, cannot be used."""


#: Where a submission's time came from, as ``late.json`` names it.
FROM_RECORD = "collect record"
FROM_MTIME = "mtime"
_SOURCE_WORDS = {
    FROM_RECORD: "the time collection.csv recorded",
    FROM_MTIME: "the file's modification time",
}


@dataclass(frozen=True)
class SubmittedAt:
    """When one submission was handed in, where that time came from, and Canvas's verdict."""

    student: str
    notebook: str
    submitted_at: str  # ISO, UTC, to the second
    source: str  # FROM_RECORD or FROM_MTIME
    canvas_late: bool  # the Canvas download's name says LATE

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.submitted_at)


@dataclass(frozen=True)
class Late:
    student: str
    notebook: str
    submitted_at: str
    days: int  # started days after the deadline (0: only Canvas says it is late)
    penalty: float  # share of the points taken off, 0..1
    source: str  # where submitted_at came from
    canvas_late: bool


def parse_deadline(text: str) -> datetime:
    """An ISO date and time; without a time zone, the grading machine's local time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise DeadlineError(
            f"The deadline '{text}' is not a date and time like 2026-10-12T23:59."
        ) from error
    return moment if moment.tzinfo else moment.astimezone()


def _late_by(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    minutes = rest // 60
    if hours >= 48:
        return f"{hours // 24} days {hours % 24} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


# --- where the times come from ---------------------------------------------------------


@dataclass(frozen=True)
class CollectedCopy:
    """What ``collection.csv`` says about one collected copy."""

    moment: datetime
    sha256: str


def _record_time(text: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise DeadlineError(
            f"{where}: modified_utc '{text}' is not a time like 2026-10-12T21:59:00+00:00; "
            "collect the exercise again or correct that row. Nothing was graded."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def read_collection(folder: Path) -> dict[Path, CollectedCopy]:
    """The collected copies in ``folder`` by path, from its ``collection.csv`` (if any).

    The whole file is checked before grading starts: a row that cannot be read stops the
    run with a :class:`DeadlineError` naming the file and row, before anything is written.
    """
    path = Path(folder) / COLLECTION_RECORD
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
        table = list(csv.reader(io.StringIO(text, newline="")))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DeadlineError(
            f"The collection record {path} could not be read ({error}). Nothing was graded."
        ) from None
    needed = ("student", "exercise", "status", "modified_utc")
    header = [h.strip() for h in table[0]] if table else []
    missing = [c for c in needed if c not in header]
    if missing:
        raise DeadlineError(
            f"The collection record {path} has no column {', '.join(missing)} in its header "
            f"row (python -m postsoviet collect writes {', '.join(needed)}, ...). "
            "Nothing was graded."
        )
    found: dict[Path, tuple[int, CollectedCopy]] = {}
    for number, values in enumerate(table[1:], start=2):
        where = f"Row {number} of {path}"
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise DeadlineError(
                f"{where} has {len(values)} fields where the header has {len(header)}. "
                "Nothing was graded."
            )
        row = dict(zip(header, values, strict=True))
        if row["status"].strip() != "collected":
            continue  # not copied, so not in the folder to be graded
        student, exercise = row["student"].strip(), row["exercise"].strip()
        if not student or not exercise:
            raise DeadlineError(f"{where} names no student or no exercise. Nothing was graded.")
        copy = Path(folder) / student / f"{exercise}.ipynb"
        if copy in found:
            raise DeadlineError(
                f"{where} records {student}'s {exercise} again (first on row "
                f"{found[copy][0]}). Nothing was graded."
            )
        moment = _record_time(row["modified_utc"], where)
        found[copy] = (number, CollectedCopy(moment, row.get("sha256", "").strip().lower()))
    return {copy: item for copy, (_, item) in found.items()}


def _is_the_copy_collected(path: Path, collected: CollectedCopy) -> bool:
    """True unless the record's SHA-256 says the file was changed after collection."""
    if not collected.sha256:
        return True
    return hashlib.sha256(path.read_bytes()).hexdigest() == collected.sha256


def submission_times(
    submissions: list[Submission], record: dict[Path, CollectedCopy]
) -> list[SubmittedAt]:
    """Each handed-in submission's time and its source (see the module's docstring)."""
    out = []
    for submission in submissions:
        if submission.path is None:
            continue
        collected = record.get(submission.path)
        if collected is not None and _is_the_copy_collected(submission.path, collected):
            moment, source = collected.moment, FROM_RECORD
        else:
            moment = datetime.fromtimestamp(submission.path.stat().st_mtime, timezone.utc)
            source = FROM_MTIME
        stamp = moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()
        late = canvas_marked_late(submission.path.name)
        out.append(SubmittedAt(submission.student, submission.notebook, stamp, source, late))
    return out


# --- flagging -------------------------------------------------------------------------

CANVAS_SAYS_LATE = "Canvas marked this submission late"


def _late(time: SubmittedAt, deadline: datetime, penalty_pct: float) -> tuple[Late, str] | None:
    """The lateness of one submission and the note its rows get, or None if on time."""
    seconds = (time.moment - deadline).total_seconds()
    if seconds <= 0 and not time.canvas_late:
        return None
    days = math.ceil(seconds / 86400) if seconds > 0 else 0
    share = min(1.0, days * penalty_pct / 100)
    item = Late(
        time.student, time.notebook, time.submitted_at, days, share, time.source, time.canvas_late
    )
    words = _SOURCE_WORDS[time.source]
    if seconds > 0:
        note = f"handed in {_late_by(seconds)} after the deadline, going by {words}"
        if time.canvas_late:
            note += f"; {CANVAS_SAYS_LATE} too"
    else:
        note = (
            f"{CANVAS_SAYS_LATE}, though by {words} it was handed in before the deadline: "
            "nothing is taken off for it"
        )
    if share:
        note += f"; {100 * share:g}% off this exercise's points"
    return item, note


def _noted(rows: list[Row], notes: dict[tuple[str, str], str]) -> list[Row]:
    out = []
    for row in rows:
        note = notes.get((row.student, row.notebook))
        out.append(replace(row, detail=f"{row.detail} (late: {note})") if note else row)
    return out


def flag_late(
    rows: list[Row],
    submissions: list[Submission],
    grades: Path,
    deadline: datetime | None,
    penalty_pct: float = 0.0,
    record: dict[Path, CollectedCopy] | None = None,
) -> list[Row]:
    """The rows, with late submissions flagged; writes (or, without a deadline, removes)
    ``GRADES/late.json``.

    ``record`` is the submissions folder's :func:`read_collection`. Without a deadline
    only Canvas's own LATE markers are noted, and nothing is taken off.
    """
    from postsoviet.grading import _write_atomically

    if not 0 <= penalty_pct <= 100:
        raise DeadlineError(f"The late penalty must be from 0 to 100 per cent, not {penalty_pct}.")
    if deadline is None:
        (Path(grades) / LATE_FILE).unlink(missing_ok=True)
        marked = {
            (s.student, s.notebook): CANVAS_SAYS_LATE
            for s in submissions
            if s.path is not None and canvas_marked_late(s.path.name)
        }
        return _noted(rows, marked)
    times = submission_times(submissions, record or {})
    late: dict[tuple[str, str], tuple[Late, str]] = {}
    for time in times:
        found = _late(time, deadline, penalty_pct)
        if found:
            late[(time.student, time.notebook)] = found
    document = {
        "deadline": deadline.isoformat(),
        "penalty_per_day_pct": penalty_pct,
        "times": [asdict(t) for t in times],
        "late": [asdict(item) for item, _ in late.values()],
    }
    _write_atomically(Path(grades) / LATE_FILE, json.dumps(document, indent=1))
    return _noted(rows, {key: note for key, (_, note) in late.items()})


def load_penalties(grades: Path) -> dict[tuple[str, str], float]:
    """Share of the points taken off per (student, notebook); empty without a deadline."""
    path = Path(grades) / LATE_FILE
    if not path.exists():
        return {}
    record = json.loads(path.read_text(encoding="utf-8"))
    return {(i["student"], i["notebook"]): i["penalty"] for i in record["late"] if i["penalty"]}


def split_late(detail: str) -> tuple[str, str | None]:
    """A row's detail without its lateness note, and the note (None if on time).

    Feedback says it once per exercise, and the class report counts failure messages
    without it.
    """
    found = _NOTE.search(detail)
    if found is None:
        return detail, None
    return detail[: found.start()], found["note"]
