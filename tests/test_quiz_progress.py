"""The local progress record: counting attempts, atomic writes, corrupt files set aside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postsoviet import quiz
from postsoviet.quiz import tracking

QID = "start-here-1"


def test_attempts_and_correct_are_recorded(progress_file: Path, capsys) -> None:
    quiz.answer(QID, "a")
    quiz.answer(QID, None)  # unreadable: not an attempt
    quiz.answer(QID, "b")
    record = json.loads(progress_file.read_text())["questions"][QID]
    assert record == {"attempts": 2, "correct": True}
    assert capsys.readouterr().out.count("✓") == 1


def test_summary_counts_per_lesson(progress_file: Path) -> None:
    quiz.answer(QID, "b")
    quiz.answer("start-here-2", "1")
    text = str(quiz.progress())
    total = len(quiz.question_ids("start-here"))
    assert f"00-start-here            1 of {total} correct  (2 tried, 2 attempts)" in text
    assert str(progress_file.parent) not in text  # no machine paths in stored outputs


def test_wrong_attempts_lead_to_the_stuck_note(progress_file: Path, capsys) -> None:
    outputs = []
    for _ in range(3):
        quiz.answer(QID, "a")
        outputs.append(capsys.readouterr().out)
    assert ["Still stuck?" in out for out in outputs] == [False, False, True]


@pytest.mark.parametrize(
    "content", ["{not json", "[]", '{"questions": []}', '{"questions": {"x": {"attempts": "1"}}}',
                b"\xff\xfe\x00"],
)
def test_a_corrupt_file_is_set_aside_with_a_warning(progress_file: Path, content, capsys) -> None:
    if isinstance(content, bytes):
        progress_file.write_bytes(content)
    else:
        progress_file.write_text(content)
    with pytest.warns(quiz.ProgressWarning, match="could not be read"):
        quiz.answer(QID, "b")
    assert "✓ Correct." in capsys.readouterr().out
    kept = list(progress_file.parent.glob("progress.json.unreadable-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == (content if isinstance(content, bytes) else content.encode())
    assert json.loads(progress_file.read_text())["questions"][QID]["correct"] is True


def test_writes_are_atomic_and_leave_no_temporary_files(progress_file: Path) -> None:
    for response in ("a", "b", "c"):
        quiz.answer(QID, response)
    assert [p.name for p in progress_file.parent.iterdir()] == ["progress.json"]


def test_an_unwritable_location_warns_but_still_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("POSTSOVIET_PROGRESS", str(blocker / "progress.json"))
    with pytest.warns(quiz.ProgressWarning, match="could not be saved"):
        quiz.answer(QID, "b")
    assert "✓ Correct." in capsys.readouterr().out


def test_location_follows_the_environment_variable(progress_file: Path) -> None:
    assert quiz.progress_path() == progress_file
    assert tracking.progress_path() == progress_file


def test_a_folder_where_the_file_should_be_warns_but_still_checks(
    progress_file: Path, capsys
) -> None:
    progress_file.mkdir()
    with pytest.warns(quiz.ProgressWarning):
        quiz.answer(QID, "b")
    assert "✓ Correct." in capsys.readouterr().out
    assert progress_file.is_dir()  # nothing was deleted
