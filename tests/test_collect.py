"""Collecting an exercise from hub homes: copies, times, blanks, and hostile homes."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from postsoviet import collect
from postsoviet.grading.deadline import parse_deadline
from postsoviet.grading.discover import discover

ROOT = Path(__file__).resolve().parents[1]
BLANK = ROOT / "exercises" / "04-energy.ipynb"
EXERCISE = "04-energy"


def _home(homes: Path, name: str, repo: str = "course") -> Path:
    """A home with the student copy cloned into it, as nbgitpuller leaves it."""
    folder = homes / name / repo / "exercises"
    folder.mkdir(parents=True)
    shutil.copy(BLANK, folder / f"{EXERCISE}.ipynb")
    return folder / f"{EXERCISE}.ipynb"


def _work_on(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.source.startswith("subsidy_bn = ..."))
    cell.source = cell.source.replace("subsidy_bn = ...", "subsidy_bn = 1.5", 1)
    nbformat.write(notebook, path)


def _snapshot(folder: Path) -> dict[str, tuple[int, float, str]]:
    """Every path under ``folder`` with its mode, mtime and content hash (links as targets)."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if path.is_symlink():
            content = os.readlink(path)
        elif path.is_file() and os.access(path, os.R_OK):
            content = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            content = ""
        seen[str(path)] = (info.st_mode, info.st_mtime_ns, content)
    return seen


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / collect.RECORD).open(newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def test_work_is_copied_with_its_time_and_blanks_are_not_started(tmp_path: Path) -> None:
    homes, out = tmp_path / "home", tmp_path / "submissions"
    worked = _home(homes, "alice")
    _work_on(worked)
    os.utime(worked, (1_700_000_000, 1_700_000_000))
    _home(homes, "bob")  # opened, never changed
    blank_run = _home(homes, "chen", repo="belarus-course")
    notebook = nbformat.read(blank_run, as_version=4)
    notebook.cells[0].outputs = []
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, blank_run)  # run without answering: outputs change, sources do not
    (homes / "dana").mkdir()
    before = _snapshot(homes)

    rows = collect.collect(homes, EXERCISE, out, blank=BLANK, deadline=None)

    assert _snapshot(homes) == before
    status = {r.student: r.status for r in rows}
    assert status == {
        "alice": "collected",
        "bob": "not-started",
        "chen": "not-started",
        "dana": "missing",
    }
    copy = out / "alice" / f"{EXERCISE}.ipynb"
    assert copy.read_bytes() == worked.read_bytes()
    assert copy.stat().st_mtime == 1_700_000_000
    record = _rows(out)
    assert record["alice"]["modified_utc"] == "2023-11-14T22:13:20+00:00"
    assert record["alice"]["sha256"] == hashlib.sha256(worked.read_bytes()).hexdigest()
    assert not (out / "bob").exists()
    submissions, unplaced = discover(out)
    assert [(s.student, s.notebook) for s in submissions] == [("alice", f"{EXERCISE}.ipynb")]
    assert unplaced == []


def test_the_deadline_marks_late_work(tmp_path: Path) -> None:
    homes, out = tmp_path / "home", tmp_path / "out"
    for name, when in (("early", 1_700_000_000), ("late", 1_800_000_000)):
        path = _home(homes, name)
        _work_on(path)
        os.utime(path, (when, when))
    deadline = parse_deadline("2025-01-01T00:00+00:00")
    collect.collect(homes, EXERCISE, out, blank=BLANK, deadline=deadline)
    record = _rows(out)
    assert (record["early"]["late"], record["late"]["late"]) == ("no", "yes")


def test_an_unreadable_file_is_reported(tmp_path: Path, monkeypatch) -> None:
    """Permission denied, as a student's chmod 000 gives a non-root collector.

    CI runs as root, which reads every file, so the refusal is simulated at ``os.open``.
    """
    homes, out = tmp_path / "home", tmp_path / "out"
    path = _home(homes, "locked")
    _work_on(path)
    real_open = os.open

    def denied(file, flags, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    rows = collect.collect(homes, EXERCISE, out, blank=BLANK)
    assert rows[0].status == "unreadable" and "permission" in rows[0].note
    assert not (out / "locked").exists()


def test_hostile_homes_are_refused_and_left_as_they_were(tmp_path: Path) -> None:
    homes, out = tmp_path / "home", tmp_path / "out"
    secret = tmp_path / "other" / f"{EXERCISE}.ipynb"
    secret.parent.mkdir()
    shutil.copy(BLANK, secret)
    _work_on(secret)
    with secret.open("a", encoding="utf-8") as handle:
        handle.write("\n")  # differs from every other student's work
    # a link in place of the notebook, pointing at someone else's work
    link = _home(homes, "linker")
    link.unlink()
    link.symlink_to(secret)
    # the exercises folder is a link
    folder = homes / "dirlink" / "course"
    folder.mkdir(parents=True)
    (folder / "exercises").symlink_to(secret.parent)
    # the whole home is a link
    (homes / "homelink").symlink_to(secret.parent)
    # a huge file (sparse, so the test writes nothing large)
    huge = _home(homes, "huge")
    with huge.open("r+b") as handle:
        handle.truncate(200 * 2**20)
    # a FIFO that would block a naive reader forever
    fifo = _home(homes, "fifo")
    fifo.unlink()
    os.mkfifo(fifo)
    # a folder where the notebook should be
    folder_in_place = _home(homes, "folder")
    folder_in_place.unlink()
    folder_in_place.mkdir()
    # odd names: spaces, Cyrillic, a leading dash, shell characters, a newline
    odd = ["Сяргей Ц", "-rf", "a;b$(x)", "line\nbreak", "dots..", "x..y"]
    for name in odd:
        _work_on(_home(homes, name))
    # not a notebook at all
    garbage = _home(homes, "garbage")
    garbage.write_bytes(b"\x00\xff not json")
    before = _snapshot(homes)

    rows = {r.student: r for r in collect.collect(homes, EXERCISE, out, blank=BLANK)}

    assert _snapshot(homes) == before
    for name in ("linker", "dirlink", "homelink"):
        assert rows[name].status == "refused" and "symbolic link" in rows[name].note, rows[name]
    assert rows["huge"].status == "refused" and "limit" in rows["huge"].note
    assert rows["fifo"].status == "refused" and "regular file" in rows["fifo"].note
    assert rows["folder"].status == "refused"
    assert (
        rows["garbage"].status == "collected" and "not a readable notebook" in rows["garbage"].note
    )
    safe = {collect.student_name(name) for name in odd}
    assert len(safe) == len(odd)
    for name in safe:
        assert rows[name].status == "collected", rows[name]
        assert "/" not in name and "\n" not in name and not name.startswith((".", "-"))
        assert (out / name / f"{EXERCISE}.ipynb").is_file()
    copied = [p for p in out.rglob("*.ipynb")]
    assert all(p.resolve().is_relative_to(out.resolve()) for p in copied)
    assert not any(p.read_bytes() == secret.read_bytes() for p in copied)
    assert len(copied) == len(safe) + 1  # the odd names and the garbage file


def test_a_second_exercise_keeps_the_first_exercises_rows(tmp_path: Path) -> None:
    homes, out = tmp_path / "home", tmp_path / "out"
    _work_on(_home(homes, "alice"))
    collect.collect(homes, EXERCISE, out, blank=BLANK)
    collect.collect(homes, "05-elections", out, blank=ROOT / "exercises" / "05-elections.ipynb")
    with (out / collect.RECORD).open(newline="", encoding="utf-8") as handle:
        pairs = {(r["student"], r["exercise"], r["status"]) for r in csv.DictReader(handle)}
    assert pairs == {("alice", EXERCISE, "collected"), ("alice", "05-elections", "missing")}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--exercise", "../etc"], "not an exercise name"),
        (["--exercise", EXERCISE, "--deadline", "next friday"], "is not a date and time like"),
        (["--exercise", EXERCISE, "--blank", "README.md"], "is not a notebook"),
    ],
)
def test_bad_arguments_get_a_sentence(tmp_path: Path, args, message, capsys) -> None:
    from postsoviet.__main__ import main

    (tmp_path / "home").mkdir()
    argv = ["collect", str(tmp_path / "home"), "--out", str(tmp_path / "out")]
    argv += [a if a != "README.md" else str(ROOT / "README.md") for a in args]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_missing_homes_folder_gets_a_sentence(tmp_path: Path, capsys) -> None:
    from postsoviet.__main__ import main

    assert main(["collect", str(tmp_path / "nope"), "--exercise", EXERCISE, "--out", "x"]) == 2
    assert "is not a folder of home folders" in capsys.readouterr().err
