"""Exercise checks: ``check("ex-04-2", answer)`` prints one friendly line per task.

Each exercise task has a stable id (``ex-NN-k``), a number of points, the name of the
variable or function the student's answer lives in (its *target*), and a checker. No
checker holds or computes the expected value: it compares the student's answer with
salted hashes that ``exercise-keys`` writes from the instructor's references
(:mod:`postsoviet.checks._answers`, :mod:`postsoviet.checks._choices`); function tasks
call the student's function on inputs the student does not see and compare the results
the same way; plot tasks inspect the figure.

Three audiences, one engine:

- students run ``check(task_id, value)`` in the check cell after each answer and read
  one line: a pass line, "not answered yet", or what is wrong — never the expected value;
- nbgrader's autograder runs the same check cells; when ``NBGRADER_EXECUTION`` is set
  (nbgrader sets it while autograding) a failed check raises ``AssertionError``, so a
  failing cell scores zero there and a passing one full marks;
- the course's own grader calls :func:`evaluate` after the student's code has run.
"""

from __future__ import annotations

import dis
import functools
import importlib
import math
import os
import pkgutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "STUB_HINT",
    "CheckResult",
    "Task",
    "TaskTimeout",
    "as_number",
    "as_whole_number",
    "check",
    "describe",
    "evaluate",
    "get_task",
    "register",
    "register_written",
    "student_call",
    "task_ids",
]

Status = Literal["passed", "failed", "not-answered", "manual", "error", "timeout", "missing"]
Kind = Literal["value", "function", "plot", "written"]

STUB_HINT = "replace the ... with your answer and run the cell again."
FUNCTION_STUB_HINT = (
    "write the function's body where it says # YOUR CODE HERE, then run the cell again."
)
_MARKS = {
    "passed": "✓",
    "failed": "✗",
    "not-answered": "·",
    "manual": "✎",
    "error": "✗",
    "timeout": "✗",
    "missing": "✗",
}
_LABELS = {
    "passed": "passed",
    "failed": "not yet",
    "not-answered": "not answered yet",
    "manual": "graded by your instructor",
    "error": "error",
    "timeout": "timed out",
    "missing": "missing",
}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: status, one sentence, and the points it earns."""

    task_id: str
    status: Status
    message: str
    points: float
    max_points: float

    def line(self) -> str:
        return f"{_MARKS[self.status]} {self.task_id} {_LABELS[self.status]}: {self.message}"


Checker = Callable[[Any], tuple[bool, str]]


@dataclass(frozen=True)
class Task:
    """An exercise task: where the answer lives and how it is checked."""

    id: str
    points: float
    kind: Kind
    target: str
    checker: Checker | None
    summary: str


_TASKS: dict[str, Task] = {}


def register(
    task_id: str, *, points: float, kind: Kind, target: str, summary: str
) -> Callable[[Checker], Checker]:
    """Decorator registering ``checker`` for ``task_id`` (used by the task modules)."""

    def decorate(checker: Checker) -> Checker:
        if task_id in _TASKS:
            raise ValueError(f"exercise task {task_id!r} is registered twice")
        _TASKS[task_id] = Task(task_id, points, kind, target, checker, summary)
        return checker

    return decorate


def register_written(task_id: str, *, points: float, target: str, summary: str) -> None:
    """A written answer: marked by a person against the rubric in the solution notebook."""
    if task_id in _TASKS:
        raise ValueError(f"exercise task {task_id!r} is registered twice")
    _TASKS[task_id] = Task(task_id, points, "written", target, None, summary)


@functools.cache
def _load_task_modules() -> None:
    """Import every public module of this package: each registers its tasks on import.

    A lesson's checks live in their own module (``lesson02.py`` ...), so adding a lesson
    touches no shared file.
    """
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


def task_ids() -> list[str]:
    _load_task_modules()
    return sorted(_TASKS)


def get_task(task_id: object) -> Task | None:
    _load_task_modules()
    return _TASKS.get(task_id) if isinstance(task_id, str) else None


_NOTHING_OPS = {"RESUME", "NOP", "CACHE", "RETURN_VALUE", "POP_TOP"}


def is_stub(value: object) -> bool:
    """An untouched exercise stub: ``...`` itself, or a function whose body does nothing.

    The exercise turns a function's body into ``# YOUR CODE HERE`` after its docstring;
    such a function only returns ``None``, which its bytecode shows whatever the Python
    version (``return 80.1`` is an answer, ``return None`` is not).
    """
    if value is Ellipsis:
        return True
    code = getattr(value, "__code__", None)
    if code is None:
        return False
    return all(
        op.opname in _NOTHING_OPS
        or (op.opname in ("LOAD_CONST", "RETURN_CONST") and op.argval is None)
        for op in dis.get_instructions(code)
    )


class TaskTimeout(Exception):
    """A student's function ran past its time limit."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt a runaway student function (main thread on Unix; elsewhere unguarded)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise TaskTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def student_call(function: Callable[..., Any], *args: Any, seconds: float = 5.0) -> Any:
    """Call a student's function with a time limit; errors come back as exceptions to report."""
    with _time_limit(seconds):
        return function(*args)


def evaluate(task_id: object, value: object) -> CheckResult:
    """Check ``value`` for ``task_id``; never raises on a student's value."""
    task = get_task(task_id)
    if task is None:
        known = ", ".join(task_ids()[:6])
        return CheckResult(
            str(task_id), "failed", f"there is no task {task_id!r} (tasks look like {known}).", 0, 0
        )
    if task.kind == "written":
        return CheckResult(task.id, "manual", "your instructor marks this answer.", 0, task.points)
    if is_stub(value):
        hint = FUNCTION_STUB_HINT if task.kind == "function" else STUB_HINT
        return CheckResult(task.id, "not-answered", hint, 0, task.points)
    try:
        passed, message = task.checker(value)  # type: ignore[misc]
    except TaskTimeout:
        passed, message = (
            False,
            "your code did not finish within 5 seconds: is there a loop that never ends?",
        )
    except Exception as error:  # the student's code or value broke the check: say how
        passed, message = (
            False,
            f"checking your answer raised {type(error).__name__}: {error}"[:300],
        )
    return CheckResult(
        task.id,
        "passed" if passed else "failed",
        message,
        task.points if passed else 0,
        task.points,
    )


def check(task_id: str, value: object) -> None:
    """Print one line about ``value`` for ``task_id``.

    Under nbgrader's autograder a task that is not passed raises ``AssertionError`` so
    that the grade cell scores zero; everywhere else this only prints.
    """
    result = evaluate(task_id, value)
    print(result.line())
    if os.environ.get("NBGRADER_EXECUTION") == "autograde" and result.status not in (
        "passed",
        "manual",
    ):
        raise AssertionError(result.line())


# --- helpers for the task modules ------------------------------------------------------


def describe(value: object) -> str:
    """'a str', 'a list': how a message names what the student gave."""
    return f"a {type(value).__name__}"


def as_number(value: object) -> float | None:
    """A finite int or float as a float; anything else (bools included) as None.

    numpy's numbers count too (``Series.sum()`` gives one): the class grader hands values
    over as plain Python numbers, so the check cell must accept both the same way.
    """
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
        value = value.item()  # type: ignore[attr-defined]  # a numpy scalar, not an array
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def as_whole_number(value: object) -> int | None:
    """A finite number with no fractional part as an int; anything else as None."""
    number = as_number(value)
    return int(number) if number is not None and number.is_integer() else None
