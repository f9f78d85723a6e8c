"""``python -m postsoviet collect HOMES --exercise 04-energy --out submissions/``.

On a JupyterHub each student's work is in their home folder, where nbgitpuller cloned the
student copy: ``HOME/REPO/exercises/04-energy.ipynb``. This command copies that file for
every home under HOMES into ``OUT/STUDENT/04-energy.ipynb``, the layout
``python -m postsoviet grade`` reads, and writes ``OUT/collection.csv`` beside the copies:
one row per student and exercise with the status, the file's modification time (UTC) for
a deadline check, whether it was late (with ``--deadline``), its size and SHA-256.

Statuses: ``collected``; ``not-started`` (every cell's source is the blank exercise's, so
it is not a submission and is not copied); ``missing`` (no such file); ``refused`` (a
symbolic link anywhere on the way, not a regular file, or larger than ``--max-mb``);
``unreadable`` (permissions or I/O). The grader passes over ``collection.csv``, so the
record never becomes a grading row.

The homes are never modified: files are opened read-only, without following symbolic
links (a link could point into another student's home or at ``/etc``), and read through
the open descriptor, so a file swapped for a link between the check and the read is not
followed either. Reading can update a file's access time; nothing else changes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
import sys
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["COLUMNS", "RECORD", "Collected", "collect", "main"]

RECORD = "collection.csv"
NAME = re.compile(r"^\d{2}-[a-z0-9][a-z0-9-]*$")
SAFE = re.compile(r"[^A-Za-z0-9._@+-]+")


@dataclass(frozen=True)
class Collected:
    """One row of ``collection.csv``."""

    student: str
    exercise: str
    status: str
    modified_utc: str = ""
    late: str = ""  # "yes", "no", or "" without a deadline
    size_bytes: str = ""
    sha256: str = ""
    source: str = ""
    note: str = ""


COLUMNS = [f.name for f in fields(Collected)]


class Refused(Exception):
    """A file that is not taken, with the sentence that says why."""

    def __init__(self, status: str, note: str) -> None:
        super().__init__(note)
        self.status = status
        self.note = note


def student_name(home: str) -> str:
    """A folder name for ``home`` that is safe in OUT and still recognisable."""
    cleaned = SAFE.sub("_", home).strip("._-") or "student"  # no "-rf" folder names
    return cleaned[:80]


def _open_no_links(path: Path, base: Path) -> int:
    """A read-only descriptor for ``path``, refusing a link at ``base`` or anywhere below it."""
    current = base
    for part in path.relative_to(base).parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise Refused("refused", f"{current.relative_to(base.parent)} is a symbolic link")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        return os.open(path, flags)
    except FileNotFoundError as error:
        raise Refused("missing", "no such file") from error
    except PermissionError as error:
        raise Refused("unreadable", "permission denied") from error
    except OSError as error:
        if path.is_symlink():
            raise Refused("refused", f"{path.name} is a symbolic link") from error
        raise Refused("unreadable", error.strerror or str(error)) from error


def _read(path: Path, base: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    descriptor = _open_no_links(path, base)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("refused", "not a regular file")
        if info.st_size > max_bytes:
            raise Refused(
                "refused", f"{info.st_size / 2**20:.1f} MB, over the {max_bytes / 2**20:g} MB limit"
            )
        chunks, total = [], 0
        while total <= max_bytes:
            try:
                chunk = os.read(descriptor, 1 << 20)
            except OSError as error:
                raise Refused("unreadable", error.strerror or str(error)) from error
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise Refused("refused", f"grew past the {max_bytes / 2**20:g} MB limit while read")
        return b"".join(chunks), info
    finally:
        os.close(descriptor)


def _sources(raw: bytes) -> list[tuple[str, str]] | None:
    """Each cell's type and source, the part a student changes; None if not a notebook."""
    try:
        cells = json.loads(raw.decode("utf-8"))["cells"]
        return [
            (c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
            for c in cells
        ]
    except (ValueError, KeyError, TypeError):
        return None


def _find(home: Path, exercise: str) -> list[Path]:
    """Where the exercise may be: ``HOME/exercises/`` or ``HOME/REPO/exercises/``."""
    name = Path("exercises") / f"{exercise}.ipynb"
    found = [home / name] if os.path.lexists(home / name) else []
    try:
        children = sorted(os.scandir(home), key=lambda e: e.name)
    except OSError:
        return found
    for child in children:
        if os.path.lexists(Path(child.path) / name) and not child.name.startswith("."):
            found.append(Path(child.path) / name)
    return found


def _collect_one(
    home: Path,
    exercise: str,
    blank: list[tuple[str, str]] | None,
    out: Path,
    *,
    deadline: datetime | None,
    max_bytes: int,
) -> Collected:
    student = student_name(home.name)
    row = {"student": student, "exercise": exercise}
    if home.is_symlink() or not home.is_dir():
        return Collected(
            **row, status="refused", note="the home is a symbolic link or not a folder"
        )
    candidates = _find(home, exercise)
    if not candidates:
        return Collected(**row, status="missing", note=f"no exercises/{exercise}.ipynb in the home")
    results: list[tuple[bytes, os.stat_result, Path]] = []
    refusals: list[Refused] = []
    for path in candidates:
        try:
            raw, info = _read(path, home, max_bytes)
        except Refused as refusal:
            refusals.append(refusal)
            continue
        results.append((raw, info, path))
    if not results:
        worst = refusals[0]
        return Collected(**row, status=worst.status, source=str(candidates[0]), note=worst.note)
    raw, info, path = max(results, key=lambda r: r[1].st_mtime)
    modified = datetime.fromtimestamp(info.st_mtime, tz=timezone.utc)
    notes = []
    if len(candidates) > 1:
        notes.append(f"{len(candidates)} copies found; took the most recently modified")
    details = {
        "modified_utc": modified.isoformat(timespec="seconds"),
        "late": "" if deadline is None else ("yes" if modified > deadline else "no"),
        "size_bytes": str(len(raw)),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "source": str(path),
    }
    sources = _sources(raw)
    if sources is None:
        notes.append("not a readable notebook; copied for the grader to report")
    elif blank is not None and sources == blank:
        notes.append("every cell is as handed out")
        return Collected(**row, status="not-started", **details, note="; ".join(notes))
    target = out / student / f"{exercise}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    temporary.write_bytes(raw)
    os.utime(temporary, (info.st_mtime, info.st_mtime))
    temporary.replace(target)
    return Collected(**row, status="collected", **details, note="; ".join(notes))


def _write_record(out: Path, rows: list[Collected], exercise: str) -> Path:
    """Merge this exercise's rows into ``OUT/collection.csv`` (other exercises stay)."""
    path = out / RECORD
    kept: list[dict[str, str]] = []
    if path.is_file():
        with path.open(newline="", encoding="utf-8") as handle:
            kept = [r for r in csv.DictReader(handle) if r.get("exercise") != exercise]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(kept + [asdict(r) for r in rows])
    temporary = path.with_name(f"{RECORD}.part")
    temporary.write_text(buffer.getvalue(), encoding="utf-8")
    temporary.replace(path)
    return path


def collect(
    homes: Path,
    exercise: str,
    out: Path,
    *,
    blank: Path | None,
    deadline: datetime | None = None,
    max_mb: float = 20,
) -> list[Collected]:
    """Collect ``exercise`` from every home folder in ``homes`` into ``out``."""
    blank_sources = None
    if blank is not None:
        blank_sources = _sources(blank.read_bytes())
        if blank_sources is None:
            raise ValueError(f"{blank} is not a notebook, so blank copies cannot be recognised")
    out.mkdir(parents=True, exist_ok=True)
    rows: list[Collected] = []
    taken: dict[str, str] = {}
    for entry in sorted(os.scandir(homes), key=lambda e: e.name):
        if entry.name.startswith(".") or (not entry.is_dir() and not entry.is_symlink()):
            continue
        home = Path(entry.path)
        if home.resolve() == out.resolve() or out.resolve().is_relative_to(home.resolve()):
            continue
        row = _collect_one(
            home, exercise, blank_sources, out, deadline=deadline, max_bytes=int(max_mb * 2**20)
        )
        if row.student in taken and taken[row.student] != entry.name:
            row = Collected(
                row.student,
                exercise,
                "refused",
                note=f"home {entry.name!r} has the same safe name as {taken[row.student]!r}",
            )
        taken.setdefault(row.student, entry.name)
        rows.append(row)
    _write_record(out, rows, exercise)
    return rows


def main(
    homes: Path,
    exercise: str,
    out: Path,
    *,
    blank: Path | None,
    deadline: str | None,
    max_mb: float,
) -> int:
    """The command line's body: a summary line, or one sentence saying what is wrong."""
    if not NAME.match(exercise):
        print(f"error: {exercise!r} is not an exercise name like 04-energy.", file=sys.stderr)
        return 2
    if not homes.is_dir():
        print(f"error: {homes} is not a folder of home folders.", file=sys.stderr)
        return 2
    if blank is None:
        default = Path("exercises") / f"{exercise}.ipynb"
        blank = default if default.is_file() else None
    try:
        # One reading of a deadline for collect and grade: without a zone, local time.
        # (Imported here: the grader imports this module's record format.)
        from postsoviet.grading.deadline import parse_deadline

        when = None if deadline is None else parse_deadline(deadline)
        rows = collect(homes, exercise, out, blank=blank, deadline=when, max_mb=max_mb)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no homes"
    late = sum(r.late == "yes" for r in rows)
    print(
        f"{exercise} from {len(rows)} homes: {summary}"
        + (f"; {late} after the deadline" if when else "")
        + f". Record: {out / RECORD}."
        + ("" if blank else " (No blank exercise found, so not-started was not checked.)")
    )
    for row in rows:
        if row.status in ("refused", "unreadable"):
            print(f"  {row.student}: {row.status}: {row.note}")
    return 0
