"""A class on a real hub: two students follow the course link, learn, answer, stay apart.

Each student opens the nbgitpuller link made by ``python -m postsoviet link`` in Chromium,
logs in, gets the student copy cloned into their home, runs ``00-start-here`` and answers
a quiz by clicking; the checks read the students' own progress files, try to read one
home as the other student, and refresh the student copy under a student's own edit.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from postsoviet import student_copy
from postsoviet.hublink import clone_folder, nbgitpuller_link

from notebook_page import (
    ACTIVE,
    code_cell_count,
    output_area,
    restart_and_run_all,
    tick,
    wait_for_kernel_idle,
)
from quizkit import source_questions

LESSON = "course/00-start-here.ipynb"
QUESTION = "start-here-1"
KEY = next(q["answer"] for q in source_questions() if q["id"] == QUESTION)  # a choice letter
EXERCISE = "exercises/04-energy.ipynb"
LOADING = 300_000  # first login: spawn, clone, JupyterLab's first load on a busy machine


def _link(hub_class) -> str:
    return nbgitpuller_link(hub_class.hub.url, f"file://{hub_class.copy}", path=LESSON)


def _log_in(tab, hub_class, student: str) -> None:
    """Follow the course link and log in; the hub then spawns, pulls and opens the lesson."""
    tab.goto(_link(hub_class))
    tab.locator("#username_input").fill(student)
    tab.locator("#password_input").fill(hub_class.hub.password)
    tab.locator("#login_submit").click()


def _wait_for_the_lesson(tab, student: str) -> None:
    tab.wait_for_url(re.compile(rf"/user/{student}/lab"), timeout=LOADING)
    tab.wait_for_selector(f"{ACTIVE} .jp-Cell", timeout=LOADING)
    wait_for_kernel_idle(tab, timeout=LOADING)  # the kernel is connected, not just drawn


def _clone(hub_class, student: str) -> Path:
    return hub_class.home(student) / clone_folder(f"file://{hub_class.copy}")


def _as(student: str, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", student, "--", *command], capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def lessons_run(hub_class, chromium) -> dict[str, str]:
    """Both students follow the link, run lesson 00 and answer one question by clicking.

    They log in one after the other before either lesson is run, as a class does at the
    start of a session: the hub spawns and pulls for both at once.
    """
    from notebook_page import new_tab, save_artefacts

    feedback: dict[str, str] = {}
    tabs = {student: new_tab(chromium) for student in hub_class.students}
    student = hub_class.students[0]
    try:
        for student, (_context, tab, _errors) in tabs.items():
            _log_in(tab, hub_class, student)
        for student, (_context, tab, _errors) in tabs.items():
            _wait_for_the_lesson(tab, student)
            restart_and_run_all(tab, code_cell_count(_clone(hub_class, student) / LESSON))
            quiz = output_area(tab, f'show("{QUESTION}")').locator(".postsoviet-quiz").first
            tick(quiz, [KEY])
            quiz.get_by_role("button", name="Check answer").click()
            shown = quiz.locator(".postsoviet-feedback")
            expect(shown).to_have_text(re.compile(r"^✓ Correct\."))
            feedback[student] = shown.inner_text()
    except Exception:
        _context, tab, errors = tabs[student]
        save_artefacts(tab, f"hub-{student}", errors)
        raise
    finally:
        for context, _tab, _errors in tabs.values():
            context.close()
    return feedback


def test_each_student_got_the_copy_in_their_own_home(hub_class, lessons_run) -> None:
    for student in hub_class.students:
        clone = _clone(hub_class, student)
        assert (clone / LESSON).is_file()
        assert not (clone / "solutions").exists()
        assert clone.stat().st_uid == hub_class.home(student).stat().st_uid


def test_each_progress_file_holds_that_students_answer_and_no_demo(hub_class, lessons_run) -> None:
    for student in hub_class.students:
        path = hub_class.home(student) / ".postsoviet" / "progress.json"
        record = json.loads(path.read_text(encoding="utf-8"))["questions"]
        assert record[QUESTION] == {"attempts": 1, "correct": True}, record
        assert "start-here-0" not in record  # the lesson's demonstration cell is not counted
        # Written by the student's own kernel, running as the student's Unix user.
        assert path.stat().st_uid == hub_class.home(student).stat().st_uid


def test_neither_student_can_read_the_others_home(hub_class, lessons_run) -> None:
    first, second = hub_class.students
    for reader, owner in ((first, second), (second, first)):
        progress = hub_class.home(owner) / ".postsoviet" / "progress.json"
        assert _as(owner, "cat", str(progress)).returncode == 0  # the check itself works
        attempt = _as(reader, "cat", str(progress))
        assert attempt.returncode != 0 and "Permission denied" in attempt.stderr
        listing = _as(reader, "ls", str(hub_class.home(owner)))
        assert listing.returncode != 0 and "Permission denied" in listing.stderr
        servers = subprocess.run(
            ["pgrep", "-u", owner, "-f", "jupyterhub.singleuser"], capture_output=True, text=True
        )
        assert servers.stdout.split(), f"{owner}'s server does not run as {owner}"


def test_a_refreshed_copy_merges_and_keeps_the_students_edit(
    hub_class, lessons_run, tab_for
) -> None:
    student = hub_class.students[0]
    exercise = _clone(hub_class, student) / EXERCISE
    edit = "subsidy_bn = 1.5  # my own attempt"
    script = (
        "import pathlib, sys; p = pathlib.Path(sys.argv[1]); "
        "p.write_text(p.read_text().replace('subsidy_bn = ...', sys.argv[2], 1))"
    )
    assert _as(student, "python3", "-c", script, str(exercise), edit).returncode == 0
    assert edit in exercise.read_text(encoding="utf-8")
    # The instructor changes a lesson and publishes release 2.
    lesson = hub_class.source / "course" / "01-the-article.ipynb"
    notebook = nbformat.read(lesson, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("Added in release 2 of the course."))
    nbformat.write(notebook, lesson)
    assert student_copy.publish(hub_class.source, hub_class.copy).number == 2
    subprocess.run(["chmod", "-R", "a+rX", str(hub_class.copy)], check=True)
    # The student follows the same link again.
    tab = tab_for()
    _log_in(tab, hub_class, student)
    _wait_for_the_lesson(tab, student)
    clone = _clone(hub_class, student)
    assert edit in (clone / EXERCISE).read_text(encoding="utf-8")
    assert "Added in release 2" in (clone / "course" / "01-the-article.ipynb").read_text()
    log = _as(student, "git", "-C", str(clone), "log", "--format=%s", "origin/main")
    assert "release 2" in log.stdout
