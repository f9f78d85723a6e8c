"""From the gradebook to the LMS: marking, merging, totals, feedback, export, report.

One small class made from the real exercises 04 and 05 (tests/gradingclass.py) is
graded once with the real ``grade`` command; each test works on its own copy of the
result. Expected totals and export files are computed by hand in this file.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from gradingclass import ANA_04, BEN_04, NB04, NB05, make_class

from postsoviet.__main__ import main
from postsoviet.grading import Row
from postsoviet.grading.marking_view import MarkingApp, MarkingSession
from postsoviet.grading.marks import Mark, MarkError, check_mark, read_gradebook

ON_TIME = datetime(2026, 10, 12, 12, 0, tzinfo=timezone.utc)
LATE = datetime(2026, 10, 13, 10, 0, tzinfo=timezone.utc)
KIM_ANA = "Clear on both directions of leverage."
KIM_BEN = "Names the transit, not what Moscow could do in return."


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("class")
    submissions = make_class(base / "submissions")
    for path in submissions.rglob("*.ipynb"):  # all on time but ben's 04: 10 h 1 min late
        on_time = path != submissions / "ben" / NB04
        moment = ON_TIME if on_time else LATE
        os.utime(path, (moment.timestamp(), moment.timestamp()))
    out = base / "grades"
    command = ["grade", str(submissions), "--out", str(out), "--quiet", "--jobs", "2"]
    assert main([*command, "--deadline", "2026-10-12T23:59+00:00", "--late-penalty", "10"]) == 0
    return out


@pytest.fixture
def grades(graded: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "grades"
    shutil.copytree(graded, copy)
    return copy


def _table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes (the lock file aside: it exists only while marks are written)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(".lock")
    }


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


LEE = """student,notebook,task_id,points,comment,marker,marked_at
ana,05-elections.ipynb,ex-05-5,2,Good on who chooses to answer.,lee,2026-10-14T09:00:00Z
cem,05-elections,ex-05-5,2.5,"Names the bias, no remedy.",lee,2026-10-14T09:05:00Z
cem,04-energy.ipynb,ex-04-3,1,"1999 accepted: the question's wording allowed it.",lee,
ana,04-energy.ipynb,ex-04-5,2,Misses the EU side.,lee,2026-10-14T09:10:00Z
"""

ROSTER = """student,name,canvas_id,sis_user_id,sis_login_id,section,email,idnumber
ana,"Petrova, Ana",101,S101,apetrova,Seminar A,ana@uni.example,S101
ben,"Novak, Ben",102,S102,bnovak,Seminar A,ben@uni.example,S102
cem,"Yilmaz, Cem",103,S103,cyilmaz,Seminar B,cem@uni.example,S103
dan,"Dan, Dan",104,S104,ddan,Seminar B,dan@uni.example,S104
"""


def _mark_with_session(grades: Path) -> MarkingSession:
    """kim marks ana's and ben's ex-04-5 through the marking view's own functions."""
    session = MarkingSession(grades, marker="kim")
    assert session.progress() == "0 of 4 marked"
    # Sorted task by task: ex-04-5 of ana, then ben, then ex-05-5 of ana, cem.
    assert [(r.student, r.task_id) for r in session.items] == [
        ("ana", "ex-04-5"),
        ("ben", "ex-04-5"),
        ("ana", "ex-05-5"),
        ("cem", "ex-05-5"),
    ]
    assert session.answer().answer == ANA_04
    assert "BEGIN SOLUTION" not in session.answer().model and session.answer().model
    session.mark(3, KIM_ANA)
    session.next()
    assert session.answer().answer == BEN_04
    session.mark(1.5, KIM_BEN)
    assert session.progress() == "2 of 4 marked"
    return session


def test_grading_stores_answers_and_totals_before_marking(grades: Path) -> None:
    totals = {(r["student"], r["notebook"]): r for r in _table(grades / "totals.csv")}
    assert list(_table(grades / "totals.csv")[0]) == [
        "student",
        "notebook",
        "auto_points",
        "manual_points",
        "points",
        "max_points",
        "complete",
    ]
    auto = {key: float(row["auto_points"]) for key, row in totals.items()}
    assert auto == {
        ("ana", NB04): 7,
        ("ana", NB05): 6,
        ("ben", NB04): 1,
        ("ben", NB05): 0,
        ("cem", NB04): 6,
        ("cem", NB05): 4,
    }
    assert totals[("ana", NB04)]["complete"] == "false"
    assert totals[("ben", NB05)]["complete"] == "true"  # not handed in: nothing to mark
    assert "to be marked" in (grades / "feedback" / "ana.md").read_text(encoding="utf-8")


def test_merging_the_same_file_again_repeats_no_comment_or_marker(
    grades: Path, tmp_path: Path
) -> None:
    _mark_with_session(grades)
    agreeing = _write(
        tmp_path / "lee.csv",
        "student,notebook,task_id,points,comment,marker,marked_at\n"
        "ana,04-energy.ipynb,ex-04-5,3,Agree.,lee,2026-10-14T09:10:00Z\n",
    )
    for _ in range(3):  # the guide: correct a file and merge it again
        assert main(["mark", str(grades), "--merge", str(agreeing)]) == 0
    marks = {(m["student"], m["task_id"]): m for m in _table(grades / "marks.csv")}
    ana = marks[("ana", "ex-04-5")]
    assert (ana["comment"], ana["marker"]) == (f"{KIM_ANA} | Agree.", "kim & lee")


def test_mark_merge_export_end_to_end(grades: Path, tmp_path: Path, capsys) -> None:
    _mark_with_session(grades)
    marks = _table(grades / "marks.csv")
    assert [(m["student"], m["task_id"], m["points"], m["marker"]) for m in marks] == [
        ("ana", "ex-04-5", "3", "kim"),
        ("ben", "ex-04-5", "1.5", "kim"),
    ]
    assert all(m["marked_at"].endswith("Z") for m in marks)

    # Before every answer is marked, the export refuses and says how many are missing.
    out = tmp_path / "canvas.csv"
    roster = _write(tmp_path / "roster.csv", ROSTER)
    code = main(["export", str(grades), "--format", "canvas", "--roster", str(roster),
                 "--out", str(out)])  # fmt: skip
    assert code == 2 and not out.exists()
    assert "2 written answers are not marked yet" in capsys.readouterr().err

    # lee marked the rest, and ana's ex-04-5 too, differently: one conflict.
    lee = _write(tmp_path / "lee.csv", LEE)
    assert main(["mark", str(grades), "--merge", str(lee)]) == 1
    err = capsys.readouterr().err
    assert "1 answer(s) were marked differently" in err
    assert "ana's ex-04-5 (04-energy.ipynb): 3 by kim" in err and "2 by lee" in err
    conflicts = _table(grades / "conflicts.csv")
    assert {(c["marker"], c["points"]) for c in conflicts} == {("kim", "3"), ("lee", "2")}
    marks = {(m["student"], m["task_id"]): m for m in _table(grades / "marks.csv")}
    assert marks[("ana", "ex-04-5")]["points"] == "3"  # kept, not overwritten
    assert len(marks) == 5

    expected_totals = {  # automatic + marked + overridden, by hand
        ("ana", NB04): ("7", "3", "10"),
        ("ana", NB05): ("6", "2", "8"),
        ("ben", NB04): ("1", "1.5", "2.25"),  # 10% off: one day late
        ("ben", NB05): ("0", "0", "0"),
        ("cem", NB04): ("6", "1", "7"),  # ex-04-3 overridden: 1 point, not automatic 0
        ("cem", NB05): ("4", "2.5", "6.5"),
    }
    totals = {(r["student"], r["notebook"]): r for r in _table(grades / "totals.csv")}
    assert {
        k: (r["auto_points"], r["manual_points"], r["points"]) for k, r in totals.items()
    } == expected_totals
    assert {r["complete"] for r in totals.values()} == {"true"}

    assert main(["export", str(grades), "--format", "canvas", "--roster", str(roster),
                 "--out", str(out)]) == 0  # fmt: skip
    assert "dan" in capsys.readouterr().err  # on the roster, no submissions: said so
    assert out.read_text(encoding="utf-8") == (
        "Student,ID,SIS User ID,SIS Login ID,Section,04-energy,05-elections\n"
        '"Petrova, Ana",101,S101,apetrova,Seminar A,10,8\n'
        '"Novak, Ben",102,S102,bnovak,Seminar A,2.25,0\n'
        '"Yilmaz, Cem",103,S103,cyilmaz,Seminar B,7,6.5\n'
    )
    moodle = tmp_path / "moodle.csv"  # the format in any case, as an instructor types it
    assert main(["export", str(grades), "--format", "Moodle", "--roster", str(roster),
                 "--out", str(moodle)]) == 0  # fmt: skip
    assert moodle.read_text(encoding="utf-8") == (
        "Email address,ID number,04-energy,05-elections\n"
        "ana@uni.example,S101,10,8\n"
        "ben@uni.example,S102,2.25,0\n"
        "cem@uni.example,S103,7,6.5\n"
    )
    plain = tmp_path / "plain.csv"
    assert main(["export", str(grades), "--format", "csv", "--out", str(plain)]) == 0
    assert plain.read_text(encoding="utf-8") == (
        "student,04-energy,05-elections,total\nana,10,8,18\nben,2.25,0,2.25\ncem,7,6.5,13.5\n"
    )

    # Feedback: the marks, the comments, wording for marked work; instructor files titled.
    ana = (grades / "feedback" / "ana.md").read_text(encoding="utf-8")
    assert "Your mark: 18 of 20 points." in ana
    assert f"| ex-04-5 | ✎ marked | 3/3 | {KIM_ANA} (kim) |" in ana
    assert "to be marked" not in ana
    cem = (grades / "feedback" / "cem.md").read_text(encoding="utf-8")
    assert "| ex-04-3 | ✎ changed by your instructor | 1/1 | 1999 accepted" in cem
    teacher = (grades / "instructor" / "ben.md").read_text(encoding="utf-8")
    assert teacher.startswith("# Instructor file: ben (not for students)")
    assert f"> {BEN_04}" in teacher and "Model answer and rubric" in teacher

    # The class report, hardest task first: ex-05-2 (ana and cem left the stub, ben
    # handed in no 05), then ex-05-4 (ana 2 of 2 points, ben missing, cem blank).
    report = (grades / "report.md").read_text(encoding="utf-8")
    tasks = [line for line in report.splitlines() if line.startswith("| ex-")]
    assert tasks[0].startswith("| ex-05-2 | 05-elections.ipynb | 0 of 3 (0%) | 0 of 1 | 0 |")
    assert "2 × replace the ... with your answer" in tasks[0]
    assert "1 × not handed in" in tasks[0]
    assert tasks[1].startswith("| ex-05-4 | 05-elections.ipynb | 1 of 3 (33%) | 0.67 of 2 |")
    page = (grades / "report.html").read_text(encoding="utf-8")
    assert page.count('alt="Chart: ') == 3 and page.count("<figcaption>Figure: ") == 3
    assert (grades / "report-files" / "tasks.png").stat().st_size > 0


def test_marking_app_saves_and_moves_on(grades: Path) -> None:
    app = MarkingApp(MarkingSession(grades, marker="kim"))
    assert "0 of 4 marked" in app.progress_label.value
    assert "ana" in app.heading.value and "Transit runs both ways" in app.answer_box.value
    app.points.value = 5
    app.save_button.click()
    assert "✗ Not saved." in app.status.value and "above the task" in app.status.value
    assert not (grades / "marks.csv").exists()
    app.points.value = 2
    app.comment.value = "Good."
    app.save_button.click()
    assert "✓ Saved 2 of 3 points for ana's ex-04-5. 1 of 4 marked." in app.status.value
    assert "ben" in app.heading.value  # moved on to the next answer
    app.previous_button.click()
    assert app.points.value == 2 and app.comment.value == "Good."
    app.points.value = 3  # a saved mark changed: the status says what it replaced
    app.save_button.click()
    assert "for ana's ex-04-5 (it had 2 by kim). 1 of 4 marked." in app.status.value
    app.previous_button.click()
    plain = app._repr_mimebundle_()["text/plain"]
    assert "1 of 4 marked" in plain and "VBox" not in plain


ACCEPTED = "1999 accepted: the question's wording allowed it."


def test_an_override_through_the_session_changes_totals_and_feedback(grades: Path) -> None:
    session = MarkingSession(grades, marker="kim")
    assert session.overrides() == []
    mark = session.override(" cem ", "ex-04-3", 1, ACCEPTED)
    assert (mark.student, mark.notebook, mark.points, mark.marker) == ("cem", NB04, 1, "kim")
    assert [m.key for m in session.overrides()] == [("cem", NB04, "ex-04-3")]
    saved = _table(grades / "marks.csv")
    assert [(m["student"], m["task_id"], m["points"], m["comment"]) for m in saved] == [
        ("cem", "ex-04-3", "1", ACCEPTED)
    ]
    totals = {(r["student"], r["notebook"]): r for r in _table(grades / "totals.csv")}
    assert (totals[("cem", NB04)]["auto_points"], totals[("cem", NB04)]["manual_points"]) == (
        "6",
        "1",
    )
    feedback = (grades / "feedback" / "cem.md").read_text(encoding="utf-8")
    assert "changed by your instructor" in feedback and ACCEPTED in feedback
    assert session.progress() == "0 of 4 marked"  # overrides are not written answers


@pytest.mark.parametrize(
    ("student", "task", "points", "comment", "message"),
    [
        ("cem", "ex-04-3", 1, "  ", "a mark that overrides it needs a comment saying why"),
        ("cem", "ex-04-3", 2, ACCEPTED, "2 points for cem's ex-04-3 is above the task's 1 point."),
        ("cem", "ex-04-3", -1, ACCEPTED, "points must be a number from 0 to 1"),
        ("cem", "ex-04-9", 1, ACCEPTED, "cem has no task 'ex-04-9' in the gradebook."),
        ("zed", "ex-04-3", 1, ACCEPTED, "There is no student 'zed' in the gradebook."),
        ("ana", "ex-04-5", 1, ACCEPTED, "ex-04-5 is ana's written answer: mark it above"),
        ("cem", "", 1, ACCEPTED, "Type the student's name and the task id"),
    ],
)
def test_bad_overrides_are_refused_and_nothing_is_written(
    grades: Path, student: str, task: str, points: float, comment: str, message: str
) -> None:
    before = _snapshot(grades)
    session = MarkingSession(grades, marker="kim")
    with pytest.raises(MarkError, match=re.escape(message)):
        session.override(student, task, points, comment)
    assert _snapshot(grades) == before and session.overrides() == []


def test_the_override_form_in_the_marking_view(grades: Path) -> None:
    app = MarkingApp(MarkingSession(grades, marker="kim"))
    assert app.override_form.children == ()  # hidden until asked for
    app.override_button.click()
    assert app.override_save in app.override_form.children
    assert app.override_student.value == "ana"  # the student on screen
    assert "0 overrides so far." in app.override_status.value
    app.override_student.value, app.override_task.value = "cem", "ex-04-3"
    app.override_points.value = 1
    app.override_save.click()
    assert "✗ Not saved." in app.override_status.value
    assert "needs a comment saying why" in app.override_status.value
    assert not (grades / "marks.csv").exists()
    app.override_comment.value = ACCEPTED
    app.override_save.click()
    assert (
        "✓ Saved: 1 of 1 points for cem's ex-04-3, instead of the grader's 0 (failed). "
        "1 override so far." in app.override_status.value
    )
    assert (app.override_task.value, app.override_comment.value) == ("", "")
    assert [m["task_id"] for m in _table(grades / "marks.csv")] == ["ex-04-3"]
    assert "0 of 4 marked" in app.progress_label.value  # the written answers are untouched
    app.override_button.click()
    assert app.override_form.children == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "student,notebook,task_id,points,comment\nana,04-energy.ipynb,ex-04-5,4,\n",
            "Row 2 of {path}: 4 points for ana's ex-04-5 is above the task's 3 points.",
        ),
        (
            "student,notebook,task_id,points\nana,04-energy.ipynb,ex-04-5,1\nzed,04-energy,ex-04-5,1\n",
            "Row 3 of {path}: there is no student 'zed' in the gradebook.",
        ),
        (
            "student,notebook,task_id,points\nben,05-elections,ex-05-9,1\n",
            "Row 2 of {path}: ben has no task 'ex-05-9' in '05-elections.ipynb' in the gradebook.",
        ),
        (
            "student,notebook,task_id,points,comment\nana,04-energy,ex-04-5,2,a, b\n",
            "Row 2 of {path} has 6 fields where the header has 5",
        ),
        (
            "student,notebook,points\nana,04-energy,2\n",
            "has no column task_id in its header row",
        ),
        (
            "student,notebook,task_id,points\nana,04-energy,ex-04-5,two\n",
            "Row 2 of {path}: points 'two' is not a number.",
        ),
        (
            "student,notebook,task_id,points,comment\ncem,04-energy,ex-04-3,1,\n",
            "Row 2 of {path}: ex-04-3 of cem was marked automatically (failed, 0 of 1 points); "
            "a mark that overrides it needs a comment saying why.",
        ),
        (
            "student,notebook,task_id,points\nana,04-energy,ex-04-5,1\nana,04-energy,ex-04-5,2\n",
            "Row 3 of {path} marks ana's ex-04-5 again (first on row 2).",
        ),
    ],
)
def test_bad_marks_file_is_refused_whole(
    grades: Path, tmp_path: Path, capsys, text: str, message: str
) -> None:
    _mark_with_session(grades)
    before = _snapshot(grades)
    bad = _write(tmp_path / "bad.csv", text)
    assert main(["mark", str(grades), "--merge", str(bad)]) == 2
    err = capsys.readouterr().err
    assert message.format(path=bad) in err and "Traceback" not in err
    assert "Nothing was changed." in err
    assert _snapshot(grades) == before


def test_session_refuses_marks_out_of_range(grades: Path) -> None:
    session = MarkingSession(grades, marker="kim")
    for points, words in ((3.5, "above the task's 3 points"), (-1, "from 0 to 3")):
        with pytest.raises(MarkError, match=words):
            session.mark(points, "")
    assert not (grades / "marks.csv").exists()


def test_export_refuses_a_roster_missing_a_student(grades: Path, tmp_path: Path, capsys) -> None:
    lee = _write(tmp_path / "all.csv", LEE.replace(",2,Misses", ",3,Misses"))
    assert main(["mark", str(grades), "--merge", str(lee)]) == 0
    _write(
        tmp_path / "ben.csv",
        "student,notebook,task_id,points\nben,04-energy,ex-04-5,1\n",
    )
    assert main(["mark", str(grades), "--merge", str(tmp_path / "ben.csv")]) == 0
    roster = _write(tmp_path / "roster.csv", "\n".join(ROSTER.splitlines()[:2]) + "\n")
    out = tmp_path / "canvas.csv"
    assert main(["export", str(grades), "--format", "canvas", "--roster", str(roster),
                 "--out", str(out)]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert f"ben, cem are in the gradebook but not in the roster {roster}" in err
    assert not out.exists()
    assert main(["export", str(grades), "--format", "canvas", "--out", str(out)]) == 2
    assert "needs each student's LMS id: give --roster" in capsys.readouterr().err
    broken = _write(tmp_path / "broken.csv", "name,canvas_id\nAna,101\n")
    assert main(["export", str(grades), "--format", "moodle", "--roster", str(broken),
                 "--out", str(out)]) == 2  # fmt: skip
    assert "needs a header row with a 'student' column" in capsys.readouterr().err
    assert not out.exists()


def test_allow_incomplete_exports_and_says_how_many(grades: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "plain.csv"
    assert main(["export", str(grades), "--format", "csv", "--out", str(out),
                 "--allow-incomplete"]) == 0  # fmt: skip
    assert "4 unmarked written answers counted 0" in capsys.readouterr().err
    assert "ana,7,6,13" in out.read_text(encoding="utf-8")


def test_marks_that_no_longer_fit_the_gradebook_are_reported(grades: Path, capsys) -> None:
    _mark_with_session(grades)
    rows = read_gradebook(grades)
    assert any(r.status == "manual" for r in rows)
    # A marks file that no longer fits (an answer the regrade no longer has).
    marks = grades / "marks.csv"
    marks.write_text(
        marks.read_text(encoding="utf-8") + "ana,04-energy.ipynb,ex-04-9,1,,kim,\n",
        encoding="utf-8",
    )
    assert main(["mark", str(grades), "--no-lab"]) == 2
    assert "ana has no task 'ex-04-9'" in capsys.readouterr().err


def test_late_submissions_are_flagged_and_lose_the_penalty(grades: Path) -> None:
    rows = read_gradebook(grades)
    late = (
        "(late: handed in 10 h 1 min after the deadline, going by the file's modification "
        "time; 10% off this exercise's points)"
    )
    ben = [r for r in rows if r.student == "ben" and r.notebook == NB04]
    assert ben and all(r.detail.endswith(late) for r in ben)
    assert not any("late:" in r.detail for r in rows if r.student != "ben")
    totals = {(r["student"], r["notebook"]): r for r in _table(grades / "totals.csv")}
    assert totals[("ben", NB04)]["points"] == "0.9"  # 1 automatic point, 10% off
    assert totals[("ana", NB04)]["points"] == "7"
    feedback = (grades / "feedback" / "ben.md").read_text(encoding="utf-8")
    note = (
        "Late: handed in 10 h 1 min after the deadline, going by the file's modification "
        "time; 10% off this exercise's points."
    )
    assert feedback.count(note) == 1 and "(late:" not in feedback  # once, above the table
    report = (grades / "report.md").read_text(encoding="utf-8")
    assert "late:" not in report  # failure messages are counted without the note


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--deadline", "next Friday"], "The deadline 'next Friday' is not a date and time"),
        (["--late-penalty", "10"], "--late-penalty needs a --deadline."),
        (["--deadline", "2026-10-12", "--late-penalty", "150"], "from 0 to 100"),
    ],
)
def test_bad_deadline_options_are_refused(tmp_path: Path, capsys, flags, message) -> None:
    (tmp_path / "submissions").mkdir()
    out = tmp_path / "grades"
    assert main(["grade", str(tmp_path / "submissions"), "--out", str(out), *flags]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_markers_saving_at_once_keep_every_mark(grades: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from postsoviet.grading.marks import Mark, save_mark

    answers = [("ana", NB04, "ex-04-5"), ("ben", NB04, "ex-04-5"), ("ana", NB05, "ex-05-5"),
               ("cem", NB05, "ex-05-5")]  # fmt: skip
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda key: save_mark(grades, Mark(*key, 1, "", "kim", "")), answers))
    saved = {(m["student"], m["notebook"], m["task_id"]) for m in _table(grades / "marks.csv")}
    assert saved == set(answers)
    assert {r["complete"] for r in _table(grades / "totals.csv")} == {"true"}


@pytest.mark.parametrize("status", ["not-answered", "missing"])
def test_a_written_mark_on_an_answer_now_blank_or_missing_is_refused(status: str) -> None:
    """After a regrade the marked answer is blank, or a form names an answer never handed in."""
    row = Row("eva", NB05, "ex-05-5", 0, 3, status, "")
    mark = Mark("eva", NB05, "ex-05-5", 1, "Good on who answers.", "kim", "")
    with pytest.raises(MarkError, match=f"now {status}, not awaiting marking.*no longer applies"):
        check_mark(mark, {mark.key: row}, "Row 2 of marks.csv")


def test_the_override_form_refuses_a_written_answer_never_handed_in(grades: Path) -> None:
    session = MarkingSession(grades, marker="kim")
    with pytest.raises(MarkError):
        session.override("ben", "ex-05-5", 3, "accept")  # ben handed in no 05
    assert not (grades / "marks.csv").exists()


def test_refreshing_without_marker_keeps_the_marker_named_before(grades: Path, monkeypatch) -> None:
    monkeypatch.delenv("USER", raising=False)
    assert main(["mark", str(grades), "--no-lab", "--marker", "Kim Tran"]) == 0
    assert main(["mark", str(grades), "--no-lab"]) == 0  # a refresh, as the guide says
    source = (grades / "marking.ipynb").read_text(encoding="utf-8")
    assert "marker='Kim Tran'" in source


def test_before_marking_the_report_puts_tasks_still_being_marked_last(grades: Path) -> None:
    report = (grades / "report.md").read_text(encoding="utf-8")
    tasks = [line.split(" | ")[0].removeprefix("| ") for line in report.splitlines()
             if line.startswith("| ex-")]  # fmt: skip
    written = {"ex-04-5", "ex-05-5"}  # unmarked so far: at the end, not "hardest"
    assert set(tasks[-2:]) == written and not written & set(tasks[:-2])
    assert "their tasks come last" in report
