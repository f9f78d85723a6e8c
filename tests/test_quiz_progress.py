"""The local progress record: counting attempts, atomic locked writes, faults that lose nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pytest

from postsoviet import quiz
from postsoviet.quiz import tracking

from quizkit import source_questions

QID = "start-here-1"
_SOURCE = next(q for q in source_questions() if q["id"] == QID)
RIGHT = _SOURCE["answer"]
WRONG, WRONG_TOO = [c for c in _SOURCE["choices"] if c != RIGHT][:2]


def test_attempts_and_correct_are_recorded(progress_file: Path, capsys) -> None:
    quiz.answer(QID, WRONG)
    quiz.answer(QID, None)  # unreadable: not an attempt
    quiz.answer(QID, RIGHT)
    record = json.loads(progress_file.read_text())["questions"][QID]
    assert record == {"attempts": 2, "correct": True}
    assert capsys.readouterr().out.count("✓") == 1


def test_summary_counts_per_lesson(progress_file: Path) -> None:
    quiz.answer(QID, RIGHT)
    quiz.answer("start-here-2", "1")
    text = str(quiz.progress())
    total = len(quiz.question_ids("start-here"))
    assert f"00-start-here            1 of {total} correct  (2 tried, 2 attempts)" in text
    assert str(progress_file.parent) not in text  # no machine paths in stored outputs


def test_wrong_attempts_lead_to_the_stuck_note(progress_file: Path, capsys) -> None:
    outputs = []
    for _ in range(3):
        quiz.answer(QID, WRONG)
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
        quiz.answer(QID, RIGHT)
    assert "✓ Correct." in capsys.readouterr().out
    kept = list(progress_file.parent.glob("progress.json.unreadable-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == (content if isinstance(content, bytes) else content.encode())
    assert json.loads(progress_file.read_text())["questions"][QID]["correct"] is True


def test_writes_are_atomic_and_leave_no_temporary_files(progress_file: Path) -> None:
    for response in (WRONG, RIGHT, WRONG_TOO):
        quiz.answer(QID, response)
    # The lock file stays (removing it would race with a waiting writer); nothing else does.
    names = sorted(p.name for p in progress_file.parent.iterdir())
    assert names == [".progress.json.lock", "progress.json"]


def test_an_unwritable_location_warns_but_still_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("POSTSOVIET_PROGRESS", str(blocker / "progress.json"))
    with pytest.warns(quiz.ProgressWarning, match="could not be saved"):
        quiz.answer(QID, RIGHT)
    assert "✓ Correct." in capsys.readouterr().out


def test_location_follows_the_environment_variable(progress_file: Path) -> None:
    assert quiz.progress_path() == progress_file
    assert tracking.progress_path() == progress_file


def test_a_folder_where_the_file_should_be_warns_but_still_checks(
    progress_file: Path, capsys
) -> None:
    progress_file.mkdir()
    with pytest.warns(quiz.ProgressWarning):
        quiz.answer(QID, RIGHT)
    assert "✓ Correct." in capsys.readouterr().out
    assert progress_file.is_dir()  # nothing was deleted


def _progress_warnings(action, times: int = 3) -> list[str]:
    """Run ``action`` several times and return the progress warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(times):
            action()
    return [str(w.message) for w in caught if issubclass(w.category, quiz.ProgressWarning)]


def _records(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["questions"]


GOOD = {"start-here-0": {"attempts": 2, "correct": True},
        "flags-3": {"attempts": 1, "correct": False}}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-32"])
def test_a_file_in_another_encoding_is_read_without_a_warning(
    progress_file: Path, encoding: str
) -> None:
    progress_file.write_bytes(json.dumps({"version": 1, "questions": GOOD}).encode(encoding))
    assert _progress_warnings(lambda: quiz.answer(QID, RIGHT), 1) == []
    assert _records(progress_file) == {**GOOD, QID: {"attempts": 1, "correct": True}}
    assert not list(progress_file.parent.glob("*.unreadable-*"))


_GOOD_TEXT = json.dumps({"version": 1, "questions": GOOD}, indent=1, sort_keys=True)


@pytest.mark.parametrize(
    ("damaged", "kept"),
    [
        pytest.param(_GOOD_TEXT[:-25], ["flags-3"], id="truncated"),
        pytest.param(_GOOD_TEXT[:-1] + ', "deep": ' + "[" * 100_000 + "]" * 100_000 + "}",
                     list(GOOD), id="deeply-nested"),
        pytest.param(
            _GOOD_TEXT.replace('"questions": {', '"questions": {"x": {"attempts": "1"},', 1),
            list(GOOD), id="one-bad-record",
        ),
    ],
)
def test_damage_keeps_every_good_record_with_one_warning(
    progress_file: Path, damaged: str, kept: list[str], capsys
) -> None:
    progress_file.write_text(damaged, encoding="utf-8")
    messages = _progress_warnings(lambda: quiz.answer(QID, RIGHT))
    assert len(messages) == 1 and "could not be read" in messages[0], messages
    records = _records(progress_file)
    assert {k: records.get(k) for k in kept} == {k: GOOD[k] for k in kept}
    assert records[QID]["attempts"] == 3
    (aside,) = progress_file.parent.glob("progress.json.unreadable-*")
    assert aside.read_text(encoding="utf-8") == damaged  # the original, as it was
    assert capsys.readouterr().out.count("✓ Correct.") == 3


def test_a_nested_file_does_not_stop_answers_or_progress(progress_file: Path, capsys) -> None:
    progress_file.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.warns(quiz.ProgressWarning):
        text = str(quiz.progress())
    assert "Your quiz progress" in text
    quiz.answer(QID, RIGHT)
    assert "✓ Correct." in capsys.readouterr().out
    assert _records(progress_file)[QID]["correct"] is True


def test_a_symlink_is_followed_and_its_target_updated(tmp_path: Path, monkeypatch) -> None:
    real = tmp_path / "elsewhere" / "real-progress.json"
    real.parent.mkdir()
    real.write_text(json.dumps({"version": 1, "questions": GOOD}))
    link = tmp_path / "home" / "progress.json"
    link.parent.mkdir()
    link.symlink_to(real)
    monkeypatch.setenv("POSTSOVIET_PROGRESS", str(link))
    quiz.answer(QID, RIGHT)
    assert link.is_symlink() and link.resolve() == real
    assert _records(real) == {**GOOD, QID: {"attempts": 1, "correct": True}}
    assert sorted(p.name for p in link.parent.iterdir()) == ["progress.json"]


def _session_only(progress_file: Path, capsys) -> None:
    """Answers still count for the session, with one warning however many are given."""
    answers = iter([WRONG, RIGHT, WRONG_TOO])
    messages = _progress_warnings(lambda: quiz.answer(QID, next(answers)))
    assert len(messages) == 1 and "this session" in messages[0], messages
    assert capsys.readouterr().out.count("✓ Correct.") == 1
    total = len(quiz.question_ids("start-here"))
    assert f"1 of {total} correct  (1 tried, 3 attempts)" in str(quiz.progress())


def test_a_folder_in_the_way_keeps_answers_for_the_session(progress_file: Path, capsys) -> None:
    progress_file.mkdir()
    (progress_file / "keep-me").write_text("x")
    _session_only(progress_file, capsys)
    assert (progress_file / "keep-me").read_text() == "x"  # nothing was deleted


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_device_or_pipe_keeps_answers_for_the_session(
    tmp_path: Path, progress_file: Path, kind: str, capsys
) -> None:
    if kind == "device":
        progress_file.symlink_to(os.devnull)
    else:
        os.mkfifo(progress_file)  # reading it would block forever: it must not be opened
    _session_only(progress_file, capsys)
    assert progress_file.is_symlink() or progress_file.is_fifo()


def test_answers_kept_in_memory_are_saved_once_saving_works(progress_file: Path) -> None:
    progress_file.mkdir()
    with pytest.warns(quiz.ProgressWarning):
        quiz.answer(QID, WRONG)
    progress_file.rmdir()
    quiz.answer(QID, RIGHT)
    assert _records(progress_file)[QID] == {"attempts": 2, "correct": True}


def test_a_stale_temporary_file_is_removed_by_the_next_write(progress_file: Path) -> None:
    stale = progress_file.with_name(".progress.json.tmp-99999-1")
    stale.write_text('{"half": ')
    legacy = progress_file.with_name(".progress-ab12cd_9")  # the older temporary naming
    legacy.write_text("{")
    quiz.answer(QID, RIGHT)
    assert not stale.exists() and not legacy.exists()


WRITER = textwrap.dedent(
    """
    import sys
    from postsoviet.quiz import tracking
    count = int(sys.argv[1])
    for i in range(count if count else 10**9):
        tracking.record(f"q-{i % 7}", i % 5 == 0)
        if i == 0:
            print("writing", flush=True)
    """
)


def _writer(path: Path, count: int) -> subprocess.Popen:
    env = {**os.environ, "POSTSOVIET_PROGRESS": str(path)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(count)], env=env, stdout=subprocess.PIPE, text=True
    )


def test_four_processes_answering_at_once_lose_nothing(progress_file: Path) -> None:
    writers = [_writer(progress_file, 150) for _ in range(4)]
    assert [w.communicate(timeout=300)[0] for w in writers] == ["writing\n"] * 4
    assert [w.returncode for w in writers] == [0, 0, 0, 0]
    records = _records(progress_file)
    assert sum(r["attempts"] for r in records.values()) == 600
    assert all(record["correct"] for record in records.values())  # each id was right once
    assert sorted(p.name for p in progress_file.parent.iterdir()) == [
        ".progress.json.lock", "progress.json"]


def test_repeated_kill_during_writes_leaves_a_readable_file_and_no_temporaries(
    progress_file: Path,
) -> None:
    left_behind = 0
    for round_number in range(15):
        writer = _writer(progress_file, 0)
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        time.sleep(0.02 + 0.007 * round_number)  # somewhere in the middle of a later write
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        writer.stdout.close()
        left_behind += len(list(progress_file.parent.glob(".progress.json.tmp-*")))
        before = sum(r["attempts"] for r in _records(progress_file).values())  # always readable
        tracking.record(QID, False)
        after = _records(progress_file)
        assert sum(r["attempts"] for r in after.values()) == before + 1
        assert not list(progress_file.parent.glob(".progress.json.tmp-*"))
    # The kills must really have hit writes, or this test proves nothing.
    assert left_behind >= 1, "no kill landed during a write: lengthen the rounds"
