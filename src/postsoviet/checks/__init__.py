"""Exercise checks: ``check("ex-04-2", answer)`` prints one friendly line per task.

Each exercise task has a stable id (``ex-NN-k``), a number of points, the name of the
variable or function the student's answer lives in (its *target*), and a checker. A task
may declare *parts*, each with its own points (one per range of years, a chart's data
apart from its labels); its checker then gives a verdict per part, and the task earns the
points of the parts it passed. A checker returning a plain ``(bool, message)`` decides
all of the task at once. A task may also *build on* an earlier one (``builds_on``): its
check is handed the student's own earlier answer (``check("ex-04-4", fig,
using=subsidy_bn)``) and compares the later work with it, so that one mistake is not
marked down twice. No
checker holds or computes the expected value: it compares the student's answer with
salted hashes that ``exercise-keys`` writes from the instructor's references
(:mod:`postsoviet.checks._answers`, :mod:`postsoviet.checks._choices`); function tasks
call the student's function on inputs the student does not see and compare the results
the same way; plot tasks inspect the figure.

Three audiences, one engine:

- students run ``check(task_id, value)`` in the check cell after each answer and read
  one line: a pass line, "not answered yet", or what is wrong — never the expected value;
- nbgrader's autograder runs the same check cells; when ``NBGRADER_EXECUTION`` is set
  (nbgrader sets it while autograding) a check that earns nothing raises
  ``AssertionError`` (the cell scores zero), one that earns some of the points returns
  them as the cell's result (nbgrader scores a cell whose output is a number with that
  number), and a passing one only prints (full marks);
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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "STUB_HINT",
    "CheckResult",
    "Part",
    "Task",
    "TaskTimeout",
    "as_number",
    "as_whole_number",
    "check",
    "describe",
    "evaluate",
    "format_points",
    "get_task",
    "register",
    "register_written",
    "same_numbers",
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


def format_points(points: float) -> str:
    """'1', '0.5': points as a person writes them."""
    return f"{points:g}"


def _count(points: float) -> str:
    """'1 point', '2 points'."""
    return f"{format_points(points)} point{'' if points == 1 else 's'}"


@dataclass(frozen=True)
class Part:
    """One part of a task's verdict: what earns its points, and whether the answer did."""

    name: str
    points: float
    passed: bool
    message: str


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


#: What a checker says: the whole task at once, or one verdict per declared part.
Verdict = tuple[bool, str] | list[Part]
Checker = Callable[..., Verdict]


@dataclass(frozen=True)
class Task:
    """An exercise task: where the answer lives, how it is checked, what earns its points.

    ``parts`` names the parts and their points (they add up to ``points``); an empty
    tuple is a task decided as a whole. ``builds_on`` is the earlier task whose answer
    the checker is handed as its second argument.
    """

    id: str
    points: float
    kind: Kind
    target: str
    checker: Checker | None
    summary: str
    parts: tuple[tuple[str, float], ...] = ()
    builds_on: str | None = None


_TASKS: dict[str, Task] = {}


def register(
    task_id: str,
    *,
    points: float,
    kind: Kind,
    target: str,
    summary: str,
    parts: tuple[tuple[str, float], ...] = (),
    builds_on: str | None = None,
) -> Callable[[Checker], Checker]:
    """Decorator registering ``checker`` for ``task_id`` (used by the task modules).

    A task's parts must add up to its points, and it can only build on a task of its
    own exercise: the class grader collects the earlier answer from the same notebook.
    """
    if parts and not math.isclose(sum(p for _, p in parts), points):
        raise ValueError(f"the parts of {task_id!r} do not add up to {points} points")
    if builds_on and builds_on.rsplit("-", 1)[0] != task_id.rsplit("-", 1)[0]:
        raise ValueError(f"{task_id!r} can only build on a task of its own exercise")

    def decorate(checker: Checker) -> Checker:
        if task_id in _TASKS:
            raise ValueError(f"exercise task {task_id!r} is registered twice")
        _TASKS[task_id] = Task(task_id, points, kind, target, checker, summary, parts, builds_on)
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


def _said(part: Part, whole: bool) -> str:
    """A part as the check line says it: marked ✓/✗ unless the whole task passed."""
    message = part.message.rstrip(".")
    if whole:
        return message
    if part.passed:
        return f"✓ {message}"
    return f"✗ {part.name} ({_count(part.points)}): {message}"


def _scored(task: Task, verdict: Verdict) -> CheckResult:
    """A checker's verdict as a result: a whole-task verdict, or the sum of its parts."""
    if isinstance(verdict, tuple):
        passed, message = verdict
        points = task.points if passed else 0
        return CheckResult(task.id, "passed" if passed else "failed", message, points, task.points)
    declared = [(part.name, part.points) for part in verdict]
    if declared != list(task.parts):
        raise ValueError(f"the checker of {task.id} gave parts {declared}, not {task.parts}")
    earned = sum(part.points for part in verdict if part.passed)
    passed = all(part.passed for part in verdict)
    said = "; ".join(_said(part, passed) for part in verdict)
    message = f"{format_points(earned)} of {_count(task.points)}: {said}."
    return CheckResult(task.id, "passed" if passed else "failed", message, earned, task.points)


def evaluate(task_id: object, value: object, using: object = None) -> CheckResult:
    """Check ``value`` for ``task_id``; never raises on a student's value.

    ``using`` is the student's own answer to the task this one builds on (``None`` when
    it is not known): the checker compares the later work with it.
    """
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
    arguments = (value, None if is_stub(using) else using) if task.builds_on else (value,)
    try:
        verdict = task.checker(*arguments)  # type: ignore[misc]
    except TaskTimeout:
        verdict = (
            False,
            "your code did not finish within 5 seconds: is there a loop that never ends?",
        )
    except Exception as error:  # the student's code or value broke the check: say how
        verdict = (False, f"checking your answer raised {type(error).__name__}: {error}"[:300])
    return _scored(task, verdict)


def check(task_id: str, value: object, using: object = None) -> float | None:
    """Print one line about ``value`` for ``task_id`` (``using``: the earlier answer it builds on).

    Under nbgrader's autograder a task that earns nothing raises ``AssertionError`` so
    that the grade cell scores zero, and one that earns some but not all of its points
    returns them, so that nbgrader scores the cell with that number (a cell's numeric
    result is its partial credit there); everywhere else this only prints.
    """
    from postsoviet.display import plain_lines  # wrapped: JupyterLab cuts long text lines

    result = evaluate(task_id, value, using)
    print(plain_lines(result.line()))
    if os.environ.get("NBGRADER_EXECUTION") != "autograde" or result.status in (
        "passed",
        "manual",
    ):
        return None
    if result.points > 0:
        return result.points
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


def same_numbers(drawn: Iterable[object], own: Iterable[object]) -> bool:
    """Whether two collections hold the same numbers, in any order (a chart against the
    student's own earlier answer: the property a carried-forward check tests)."""
    try:
        first = sorted(float(x) for x in drawn)  # type: ignore[arg-type]
        second = sorted(float(x) for x in own)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return (
        len(first) == len(second) > 0
        and not any(math.isnan(x) for x in second)
        and all(math.isclose(a, b, abs_tol=1e-6) for a, b in zip(first, second, strict=True))
    )
