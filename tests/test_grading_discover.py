"""Submissions as LMS downloads and browsers name them, and the roster that names students."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from postsoviet.grading.discover import EXPECTED_NAMES, discover, exercise_copy
from postsoviet.grading.roster import RosterError, lookup_table, read_roster

ROOT = Path(__file__).resolve().parents[1]
KNOWN = frozenset(p.name for p in (ROOT / "solutions").glob("[0-9][0-9]-*.ipynb"))
NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def _files(folder: Path, *names: str) -> Path:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(NOTEBOOK, encoding="utf-8")
    return folder


def _roster(folder: Path, rows: list[dict[str, str]]) -> Path:
    path = folder / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _graded(submissions: list) -> dict[tuple[str, str], str | None]:
    return {(s.student, s.notebook): s.path and s.path.name for s in submissions}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("04-energy.ipynb", ("04-energy.ipynb", 0)),
        ("04-energy (1).ipynb", ("04-energy.ipynb", 1)),
        ("04-energy(2).ipynb", ("04-energy.ipynb", 2)),
        ("04-energy-1.ipynb", ("04-energy.ipynb", 1)),
        ("06-after-2020.ipynb", ("06-after-2020.ipynb", 0)),  # an exercise, not copy 2020
        ("06-after-2020-3.ipynb", ("06-after-2020.ipynb", 3)),
    ],
)
def test_copies_are_recognised(name: str, expected: tuple[str, int]) -> None:
    assert exercise_copy(name, KNOWN) == expected


def test_without_the_exercise_list_a_trailing_number_is_kept() -> None:
    assert exercise_copy("04-energy-1.ipynb") == ("04-energy-1.ipynb", 0)


def test_canvas_download_latest_copy_graded_and_roster_names(tmp_path: Path) -> None:
    folder = _files(
        tmp_path / "canvas",
        "smithada_4567_890123_04-energy.ipynb",
        "smithada_4567_890124_04-energy-1.ipynb",
        "jonesbo_late_5678_890200_04-energy.ipynb",
        "leevi_6789_890300_05-elections (1).ipynb",
    )
    roster = lookup_table(read_roster(
        _roster(tmp_path, [{"student": "Ada Smith", "id": "4567", "login": ""},
                           {"student": "Bo Jones", "id": "", "login": "jonesbo"}])
    ))
    found, unplaced = discover(folder, known=KNOWN, roster=roster)
    graded = _graded(found)
    assert graded[("Ada Smith", "04-energy.ipynb")] == "smithada_4567_890124_04-energy-1.ipynb"
    assert graded[("Bo Jones", "04-energy.ipynb")] == "jonesbo_late_5678_890200_04-energy.ipynb"
    assert graded[("leevi", "05-elections.ipynb")] == "leevi_6789_890300_05-elections (1).ipynb"
    assert graded[("leevi", "04-energy.ipynb")] is None  # not handed in: a missing row
    assert [(u.student, u.name) for u in unplaced] == [
        ("Ada Smith", "smithada_4567_890123_04-energy.ipynb")
    ]
    assert "the latest, smithada_4567_890124_04-energy-1.ipynb, was graded" in unplaced[0].reason


def test_moodle_folders_give_names_and_the_roster_wins(tmp_path: Path) -> None:
    folder = _files(
        tmp_path / "moodle",
        "Ada Smith_123456_assignsubmission_file_/04-energy.ipynb",
        "Bo Jones_123457_assignsubmission_file_/04-energy (1).ipynb",
    )
    rows = [{"student": "Bo Jones-Ng", "id": "123457"}]
    roster = lookup_table(read_roster(_roster(tmp_path, rows)))
    found, unplaced = discover(folder, known=KNOWN, roster=roster)
    assert set(_graded(found)) == {
        ("Ada Smith", "04-energy.ipynb"),
        ("Bo Jones-Ng", "04-energy.ipynb"),
    }
    assert unplaced == []


def test_browser_duplicate_in_a_student_folder_is_the_latest(tmp_path: Path) -> None:
    folder = _files(tmp_path / "class", "ada/04-energy.ipynb", "ada/04-energy (1).ipynb")
    found, unplaced = discover(folder, known=KNOWN)
    assert _graded(found) == {("ada", "04-energy.ipynb"): "04-energy (1).ipynb"}
    assert [u.name for u in unplaced] == ["04-energy.ipynb"]


def test_unplaceable_files_name_the_file_and_the_expected_patterns(tmp_path: Path) -> None:
    folder = _files(tmp_path / "class", "homework.ipynb", "ada/my notebook.ipynb")
    _, unplaced = discover(folder, known=KNOWN)
    by_name = {u.name: u for u in unplaced}
    assert by_name["homework.ipynb"].student == "?"
    for problem in by_name.values():
        assert EXPECTED_NAMES in problem.reason
    assert "Canvas" in EXPECTED_NAMES and "Moodle" in EXPECTED_NAMES


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "could not be read"),
        ("name,email\nAda,a@example.org\n", "with a 'student' column"),
        ("student,id\nAda,1\nBo,1\n", "to both 'Ada' and 'Bo'"),
        (b"student,id\n\xff\xfe,1\n", "could not be read"),
    ],
)
def test_a_bad_roster_gets_one_sentence(
    tmp_path: Path, content: str | bytes | None, words: str
) -> None:
    path = tmp_path / "roster.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(RosterError, match=words):
        lookup_table(read_roster(path), path)


def test_grade_command_uses_the_roster_on_a_real_canvas_file(tmp_path: Path) -> None:
    folder = tmp_path / "download"
    folder.mkdir()
    shutil.copy(ROOT / "exercises" / "01-the-article.ipynb",
                folder / "smithada_4567_890123_01-the-article-1.ipynb")
    shutil.copy(ROOT / "exercises" / "01-the-article.ipynb",  # a user id the roster lacks
                folder / "jonesbob_9999_890125_01-the-article.ipynb")
    shutil.copy(ROOT / "exercises" / "01-the-article.ipynb",  # Ada's first try
                folder / "smithada_4567_890122_01-the-article.ipynb")
    (folder / "notes.txt").write_text("not a notebook", encoding="utf-8")
    roster = _roster(tmp_path, [{"student": "Ada Smith", "id": "4567"}])
    done = subprocess.run(
        [sys.executable, "-m", "postsoviet", "grade", str(folder), "--out", str(tmp_path / "out"),
         "--roster", str(roster), "--solutions", str(ROOT / "solutions"), "--quiet", "--jobs", "1"],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with (tmp_path / "out" / "gradebook.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    ada = [r for r in rows if r["student"] == "Ada Smith" and r["task_id"]]
    assert {r["notebook"] for r in ada} == {"01-the-article.ipynb"}
    # Her feedback: a subtotal for the exercise, and the first try as a sentence.
    (ada_file,) = (tmp_path / "out" / "feedback").glob("Ada_Smith*.md")
    feedback = ada_file.read_text(encoding="utf-8")
    assert "Points for this exercise" in feedback
    assert "## Files not graded\n\n- smithada_4567_890122_01-the-article.ipynb: an earlier" in (
        feedback
    )
    assert "| - | " not in feedback  # no task-less row in a table
    # The stray notes.txt names nobody: a gradebook row for the instructor, no feedback.
    assert sorted(p.stem.split("-")[0] for p in (tmp_path / "out" / "feedback").glob("*.md")) == [
        "Ada_Smith", "jonesbob"
    ]
    assert {r["status"] for r in ada} <= {"not-answered"} and len(ada) == 5
    stray = [r for r in rows if r["notebook"] == "notes.txt"]
    assert stray and stray[0]["status"] == "error" and "Canvas" in stray[0]["detail"]
    # Said when grading, not first at export: the graded student the roster lacks.
    assert "1 graded student(s) are not in the roster" in done.stderr
    assert "refuse them: jonesbob." in done.stderr


def test_grade_command_reports_a_bad_roster_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "download"
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "postsoviet", "grade", str(folder), "--out", str(tmp_path / "out"),
         "--roster", str(tmp_path / "absent.csv")],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2
    assert "roster" in done.stderr and "Traceback" not in done.stderr


def test_grade_outside_the_course_folder_refuses_instead_of_losing_the_rubrics(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "download"
    folder.mkdir()
    shutil.copy(ROOT / "exercises" / "01-the-article.ipynb", folder / "ada__01-the-article.ipynb")
    done = subprocess.run(  # run from a folder with no solutions/ in it
        [sys.executable, "-m", "postsoviet", "grade", str(folder), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "run grade from the course repository's top folder" in done.stderr
    assert not (tmp_path / "out").exists()
