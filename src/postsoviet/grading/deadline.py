"""Late submissions: ``grade --deadline 2026-10-12T23:59 [--late-penalty PCT]``.

A submission's time is its file's modification time (what an LMS download or a copy with
``cp -p`` keeps). A late submission's rows say so in their ``detail``; with
``--late-penalty PCT``, each started day after the deadline takes PCT per cent off that
exercise's points (automatic and marked alike, never below 0). The deadline and the
late submissions are kept in ``GRADES/late.json``, so the totals, feedback and export
apply the same penalty after marking.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from postsoviet.grading import Row
    from postsoviet.grading.discover import Submission

__all__ = ["LATE_FILE", "Late", "flag_late", "load_penalties", "parse_deadline", "split_late"]

LATE_FILE = "late.json"
_NOTE = re.compile(r" \(late: (?P<note>[^()]*)\)$")


class DeadlineError(ValueError):
    """The deadline or penalty given on the command line cannot be used."""


@dataclass(frozen=True)
class Late:
    student: str
    notebook: str
    submitted_at: str
    days: int  # started days after the deadline
    penalty: float  # share of the points taken off, 0..1


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


def flag_late(
    rows: list[Row],
    submissions: list[Submission],
    grades: Path,
    deadline: datetime,
    penalty_pct: float = 0.0,
) -> list[Row]:
    """The rows, with late submissions flagged; writes ``GRADES/late.json``."""
    from postsoviet.grading import _write_atomically

    if not 0 <= penalty_pct <= 100:
        raise DeadlineError(f"The late penalty must be from 0 to 100 per cent, not {penalty_pct}.")
    late: dict[tuple[str, str], tuple[Late, str]] = {}
    for submission in submissions:
        if submission.path is None:
            continue
        moment = datetime.fromtimestamp(submission.path.stat().st_mtime, timezone.utc)
        seconds = (moment - deadline).total_seconds()
        if seconds <= 0:
            continue
        days = math.ceil(seconds / 86400)
        share = min(1.0, days * penalty_pct / 100)
        item = Late(
            submission.student,
            submission.notebook,
            moment.replace(microsecond=0).isoformat(),
            days,
            share,
        )
        note = f"handed in {_late_by(seconds)} after the deadline"
        if share:
            note += f"; {100 * share:g}% off this exercise's points"
        late[(submission.student, submission.notebook)] = (item, note)
    record = {
        "deadline": deadline.isoformat(),
        "penalty_per_day_pct": penalty_pct,
        "late": [item.__dict__ for item, _ in late.values()],
    }
    _write_atomically(Path(grades) / LATE_FILE, json.dumps(record, indent=1))
    out = []
    for row in rows:
        found = late.get((row.student, row.notebook))
        out.append(replace(row, detail=f"{row.detail} (late: {found[1]})") if found else row)
    return out


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
