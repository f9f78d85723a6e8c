"""Quizzes: five question types, two front ends (widget and text), one checking engine.

Public API::

    show("start-here-1")      # one question as a widget (or a whole lesson: show("00-start-here"))
    answer("start-here-1", "b")   # text mode: prints ✓/✗ feedback; works with screen readers
    question_ids()            # every question id
    progress()                # the student's record
    check(question, response) # the pure engine: returns Feedback, never raises

Answers are stored as salted hashes; the plain key lives with the instructor
(``solutions/quizzes``) and ``python -m postsoviet quiz-keys`` rebuilds the banks.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from postsoviet.quiz import bank
from postsoviet.quiz import engine as _engine
from postsoviet.quiz import tracking as _progress
from postsoviet.quiz.model import Feedback, Question
from postsoviet.quiz.tracking import ProgressSummary, ProgressWarning

__all__ = [
    "Feedback",
    "ProgressSummary",
    "ProgressWarning",
    "Question",
    "answer",
    "check",
    "get_question",
    "progress",
    "progress_path",
    "question_ids",
    "show",
]


def question_ids(lesson: str | None = None) -> list[str]:
    """Every question id, or those of one lesson (``"03-flags"`` or ``"flags"``)."""
    if lesson is None:
        return list(bank.all_questions())
    return list(_lesson_ids(lesson) or [])


def _lesson_ids(name: str) -> list[str] | None:
    for lesson, ids in bank.lessons().items():
        if name in (lesson, bank.lesson_slug(lesson)):
            return ids
    return None


def get_question(question_id: str) -> Question | None:
    """The public question with this id, or ``None``."""
    return bank.all_questions().get(question_id)


def _unknown(name: object) -> str:
    if not isinstance(name, str):
        return (
            f'Question ids are text in quotes, like "start-here-1"; you gave a value of '
            f"type {type(name).__name__}."
        )
    known = list(bank.all_questions()) + list(bank.lessons())
    close = difflib.get_close_matches(name.strip(), known, n=3)
    suggestion = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"There is no question or lesson called {name!r}.{suggestion} question_ids() lists them."


def check(question: Question | str, response: object) -> Feedback:
    """Check ``response`` without recording it. Never raises on a student's input."""
    found = get_question(question) if isinstance(question, str) else question
    if not isinstance(found, Question):
        return Feedback(str(question), "invalid", _unknown(question))
    return _engine.check(found, response)


def _respond(question: Question, response: object, *, record: bool = True) -> Feedback:
    """Check one attempt and, unless ``record`` is false, add it to the student's progress.

    Shared by the widget and the text front end.
    """
    attempts = _progress.attempts_before(question.id) if record else 0
    feedback = _engine.check(question, response, attempts=attempts)
    if record and feedback.status != "invalid":
        _progress.record(question.id, feedback.correct)
    return feedback


def answer(question_id: str, response: object, *, record: bool = True) -> None:
    """Answer a question in plain text and print the feedback (✓/✗ and words).

    ``record=False`` is for demonstrations in a lesson: a cell that answers wrongly on
    purpose, to show what feedback looks like, must not put a wrong attempt into the
    record of every student who runs the lesson. The feedback is the same; the progress
    file is not touched (not even read).
    """
    question = get_question(question_id) if isinstance(question_id, str) else None
    if question is None:
        print(f"? {_unknown(question_id)}")
        return
    print(_respond(question, response, record=record))


def show(id_or_lesson: str) -> None:
    """Display one question, or every question of a lesson, as keyboard-usable widgets."""
    from IPython.display import display

    from postsoviet.quiz.widget import QuestionWidget

    if not isinstance(id_or_lesson, str):
        print(f"? {_unknown(id_or_lesson)}")
        return
    ids = [id_or_lesson] if get_question(id_or_lesson) else _lesson_ids(id_or_lesson)
    if not ids:
        print(f"? {_unknown(id_or_lesson)}")
        return
    for question_id in ids:
        display(QuestionWidget(bank.all_questions()[question_id], _respond))


def progress() -> ProgressSummary:
    """The student's record per lesson: questions answered correctly, tried, attempts."""
    return _progress.summary(bank.lessons())


def progress_path() -> Path:
    """Where the progress record is kept (``$POSTSOVIET_PROGRESS`` moves it)."""
    return _progress.progress_path()
