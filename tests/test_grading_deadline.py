"""Where a submission's time comes from: the collection record, the file, Canvas's name.

Each source is tested on ``flag_late`` with gradebook rows made by hand (no kernel runs);
the collected folder is made by the real ``collect`` command from hub homes. A
collection record that cannot be read stops ``grade`` with one sentence before anything
is written.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from postsoviet import collect
from postsoviet.__main__ import main
from postsoviet.grading import Row
from postsoviet.grading.deadline import LATE_FILE, flag_late, read_collection
from postsoviet.grading.discover import discover

ROOT = Path(__file__).resolve().parents[1]
NB = "04-energy.ipynb"
DEADLINE = datetime(2026, 10, 12, 23, 59, tzinfo=timezone.utc)
ON_TIME = datetime(2026, 10, 12, 12, 0, tzinfo=timezone.utc).timestamp()
LATE = datetime(2026, 10, 13, 10, 0, tzinfo=timezone.utc).timestamp()  # 10 h 1 min late


def _exercise(path: Path, moment: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "exercises" / NB, path)
    os.utime(path, (moment, moment))
    return path


def _rows(students: list[str]) -> list[Row]:
    return [Row(s, NB, "ex-04-1", 0, 2, "not-answered", "not answered yet") for s in students]


def _flag(folder: Path, grades: Path, deadline: datetime | None = DEADLINE) -> dict[str, str]:
    """Each student's row detail after flagging the submissions found in ``folder``."""
    found, _ = discover(folder)
    students = sorted({s.student for s in found})
    rows = flag_late(_rows(students), found, grades, deadline, 10, read_collection(folder))
    return {row.student: row.detail for row in rows}


def _late_json(grades: Path) -> dict:
    return json.loads((grades / LATE_FILE).read_text(encoding="utf-8"))


def test_the_file_time_is_used_and_named(tmp_path: Path) -> None:
    folder = tmp_path / "submissions"
    _exercise(folder / "ana" / NB, ON_TIME)
    _exercise(folder / "ben" / NB, LATE)
    details = _flag(folder, tmp_path / "grades")
    assert details["ana"] == "not answered yet"
    assert details["ben"] == (
        "not answered yet (late: handed in 10 h 1 min after the deadline, going by the "
        "file's modification time; 10% off this exercise's points)"
    )
    record = _late_json(tmp_path / "grades")
    assert [(t["student"], t["source"]) for t in record["times"]] == [
        ("ana", "mtime"),
        ("ben", "mtime"),
    ]
    assert record["times"][1]["submitted_at"] == "2026-10-13T10:00:00+00:00"
    assert [(i["student"], i["days"], i["penalty"], i["source"]) for i in record["late"]] == [
        ("ben", 1, 0.1, "mtime")
    ]


def _collected_class(tmp_path: Path) -> Path:
    """ana and ben hand in on time in their hub homes; collect copies both."""
    homes, out = tmp_path / "home", tmp_path / "submissions"
    for student in ("ana", "ben"):
        home = _exercise(homes / student / "course" / "exercises" / NB, ON_TIME)
        home.write_text(
            home.read_text(encoding="utf-8").replace("subsidy_bn = ...", "subsidy_bn = 1")
        )
        os.utime(home, (ON_TIME, ON_TIME))
    collect.collect(homes, "04-energy", out, blank=ROOT / "exercises" / NB)
    return out


def test_the_collection_record_wins_over_the_copys_file_time(tmp_path: Path) -> None:
    folder = _collected_class(tmp_path)
    # The folder was copied without keeping times: both copies now look late.
    for student in ("ana", "ben"):
        os.utime(folder / student / NB, (LATE, LATE))
    # ben's copy was replaced after collection: the record no longer describes it.
    (folder / "ben" / NB).write_text(
        (folder / "ben" / NB)
        .read_text(encoding="utf-8")
        .replace("subsidy_bn = 1", "subsidy_bn = 2")
    )
    os.utime(folder / "ben" / NB, (LATE, LATE))
    details = _flag(folder, tmp_path / "grades")
    assert details["ana"] == "not answered yet"
    assert "going by the file's modification time" in details["ben"]
    times = {t["student"]: t for t in _late_json(tmp_path / "grades")["times"]}
    assert times["ana"]["source"] == "collect record"
    assert times["ana"]["submitted_at"] == "2026-10-12T12:00:00+00:00"
    assert times["ben"]["source"] == "mtime"


def test_a_late_time_from_the_record_is_named(tmp_path: Path) -> None:
    folder = _collected_class(tmp_path)
    record = (folder / collect.RECORD).read_text(encoding="utf-8")
    (folder / collect.RECORD).write_text(
        record.replace("2026-10-12T12:00:00+00:00", "2026-10-14T00:30:00+00:00", 1)
    )
    details = _flag(folder, tmp_path / "grades")
    assert details["ana"].endswith(
        "(late: handed in 24 h 31 min after the deadline, going by the time collection.csv "
        "recorded; 20% off this exercise's points)"
    )
    assert details["ben"] == "not answered yet"


CANVAS = "smithada_LATE_4567_890123_04-energy.ipynb"


def test_canvas_late_marker_is_reported_but_costs_nothing_by_itself(tmp_path: Path) -> None:
    folder = tmp_path / "download"
    _exercise(folder / CANVAS, ON_TIME)
    _exercise(folder / "jonesbo_LATE_5678_890200_04-energy.ipynb", LATE)
    _exercise(folder / "leevi_6789_890300_04-energy.ipynb", ON_TIME)
    details = _flag(folder, tmp_path / "grades")
    assert details["smithada"] == (
        "not answered yet (late: Canvas marked this submission late, though by the file's "
        "modification time it was handed in before the deadline: nothing is taken off for it)"
    )
    assert details["jonesbo"].endswith(
        "going by the file's modification time; Canvas marked this submission late too; "
        "10% off this exercise's points)"
    )
    assert details["leevi"] == "not answered yet"
    late = {i["student"]: i for i in _late_json(tmp_path / "grades")["late"]}
    assert (late["smithada"]["days"], late["smithada"]["penalty"]) == (0, 0)
    assert late["smithada"]["canvas_late"] and late["jonesbo"]["canvas_late"]


def test_without_a_deadline_only_canvas_says_late(tmp_path: Path) -> None:
    folder, grades = tmp_path / "download", tmp_path / "grades"
    _exercise(folder / CANVAS, LATE)
    _exercise(folder / "leevi_6789_890300_04-energy.ipynb", LATE)
    grades.mkdir()
    (grades / LATE_FILE).write_text("{}")  # from an earlier run with a deadline
    details = _flag(folder, grades, deadline=None)
    assert details == {
        "smithada": "not answered yet (late: Canvas marked this submission late)",
        "leevi": "not answered yet",
    }
    assert not (grades / LATE_FILE).exists()


HEADER = "student,exercise,status,modified_utc,late,size_bytes,sha256,source,note\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEADER + "ana,04-energy,collected,yesterday,,,,,\n",
            "Row 2 of {path}: modified_utc 'yesterday' is not a time like "
            "2026-10-12T21:59:00+00:00",
        ),
        (
            "student,exercise,status\nana,04-energy,collected\n",
            "The collection record {path} has no column modified_utc in its header row",
        ),
        (
            HEADER + "ana,04-energy,collected\n",
            "Row 2 of {path} has 3 fields where the header has 9",
        ),
        (
            HEADER + "ana,04-energy,collected,2026-10-12T12:00:00+00:00,,,,,\n"
            "ana,04-energy,collected,2026-10-12T13:00:00+00:00,,,,,\n",
            "Row 3 of {path} records ana's 04-energy again (first on row 2).",
        ),
        (
            HEADER + ",04-energy,collected,2026-10-12T12:00:00+00:00,,,,,\n",
            "Row 2 of {path} names no student",
        ),
        (b"student,exercise\xff\n", "The collection record {path} could not be read"),
    ],
)
def test_a_bad_collection_record_stops_grading_with_one_sentence(
    tmp_path: Path, capsys, text: str | bytes, message: str
) -> None:
    folder, out = tmp_path / "submissions", tmp_path / "grades"
    _exercise(folder / "ana" / NB, ON_TIME)
    record = folder / collect.RECORD
    if isinstance(text, bytes):
        record.write_bytes(text)
    else:
        record.write_text(text, encoding="utf-8")
    command = ["grade", str(folder), "--out", str(out), "--deadline", "2026-10-12T23:59+00:00"]
    assert main(command) == 2
    err = capsys.readouterr().err
    assert message.format(path=record) in err and "Nothing was graded." in err
    assert "Traceback" not in err
    assert not out.exists()


def test_grade_times_a_collected_folder_by_its_record(tmp_path: Path) -> None:
    folder, out = _collected_class(tmp_path), tmp_path / "grades"
    for student in ("ana", "ben"):
        os.utime(folder / student / NB, (LATE, LATE))  # copied on without keeping times
    command = ["grade", str(folder), "--out", str(out), "--quiet", "--jobs", "1"]
    assert main([*command, "--deadline", "2026-10-12T23:59+00:00"]) == 0
    assert "late:" not in (out / "gradebook.csv").read_text(encoding="utf-8")
    record = _late_json(out)
    assert {(t["student"], t["source"]) for t in record["times"]} == {
        ("ana", "collect record"),
        ("ben", "collect record"),
    }
    assert record["late"] == []
