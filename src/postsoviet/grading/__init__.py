"""Grading a class in one command: ``python -m postsoviet grade SUBMISSIONS --out OUT``.

For every student and exercise notebook the grader runs the submission on a copy, in a
kernel inside a bubblewrap sandbox (:mod:`.sandbox`, :mod:`.runner`), evaluates each
task there once the kernel is gone (:mod:`.evaluate`), and writes one row per task to
``OUT/gradebook.csv`` plus feedback for each student. Nothing a submission does can
stop the run: each fault becomes a row with a ``detail`` that says what happened.

The gradebook, the state file and the feedback are written by the grader alone, after
every sandbox of the run has been stopped; ``OUT/.grading.lock`` keeps a second run
from writing into the same folder at the same time. Without isolation (no bubblewrap,
no user namespaces) the grader refuses to grade unless told ``unsafe=True``
(``--unsafe-no-sandbox``).

Statuses: ``passed``, ``failed``, ``not-answered``, ``manual`` (a written answer awaiting
marking), ``error`` (the answer's cell raised, or the file could not be read),
``timeout``, ``missing`` (not handed in, or the answer cell was deleted).
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbformat import NotebookNode

from postsoviet import checks
from postsoviet.checks import CheckResult
from postsoviet.grading.discover import Submission, discover
from postsoviet.grading.roster import Lookup
from postsoviet.grading.runner import RunResult, defining_cells, read_submission, run_submission
from postsoviet.grading.sandbox import (
    Sandbox,
    SandboxBroken,
    SandboxPool,
    SandboxUnavailable,
    check_available,
)

if TYPE_CHECKING:
    from postsoviet.grading.deadline import CollectedCopy

__all__ = [
    "COLUMNS",
    "GradingLocked",
    "Row",
    "Summary",
    "grade_folder",
    "grade_submission",
    "score_notebook",
]

COLUMNS = ("student", "notebook", "task_id", "points", "max_points", "status", "detail")
STATE_FILE = ".grading-state.jsonl"
LOCK_FILE = ".grading.lock"
EVALUATION_TIMEOUT = 120
TEXT_STUB = "YOUR ANSWER HERE"


@dataclass(frozen=True)
class Row:
    student: str
    notebook: str
    task_id: str
    points: float
    max_points: float
    status: str
    detail: str


class GradingLocked(RuntimeError):
    """Another grading run is writing into the same ``--out`` folder."""


@dataclass(frozen=True)
class Summary:
    students: int
    submissions: int
    rows: int
    errors: int
    seconds: float
    marks_problem: str = ""


def _tasks(notebook: str) -> list[checks.Task]:
    prefix = f"ex-{notebook[:2]}-"
    return [checks.get_task(t) for t in checks.task_ids() if t.startswith(prefix)]  # type: ignore[misc]


def _collected(tasks: list[checks.Task]) -> list[tuple[str, str, str]]:
    """What the kernel hands over: every task's target, and each earlier task one builds on."""
    wanted = {t.id: t for t in tasks}
    for task in tasks:
        earlier = checks.get_task(task.builds_on) if task.builds_on else None
        if earlier is not None:
            wanted.setdefault(earlier.id, earlier)
    return [(t.id, t.target, t.kind) for t in wanted.values()]


_SCRATCH = re.compile(r"/\S*postsoviet-grade-[^/\s]+")


def _clean(text: str) -> str:
    """One line, no machine paths: details must be identical from run to run."""
    return " ".join(_SCRATCH.sub("<submission>", text).split())


class _Evaluator:
    """One ``evaluate --serve`` process per grading thread (Linux), started on first use.

    Elsewhere, or if the server has stopped, each request runs in a process of its own.
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._all: list[subprocess.Popen[str]] = []
        self._lock = threading.Lock()

    def _server(self) -> subprocess.Popen[str] | None:
        if not sys.platform.startswith("linux"):
            return None
        server = getattr(self._local, "server", None)
        if server is None or server.poll() is not None:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "postsoviet.grading.evaluate",
                    "--serve",
                    f"{EVALUATION_TIMEOUT}",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env={**os.environ, "MPLBACKEND": "Agg"},
            )
            self._local.server = server
            with self._lock:
                self._all.append(server)
        return server

    def __call__(self, task_ids: list[str], payload: dict[str, object]) -> list[CheckResult] | str:
        request = json.dumps({"tasks": task_ids, "payload": payload})
        server = self._server()
        if server is not None and server.stdin and server.stdout:
            try:
                server.stdin.write(request + "\n")
                server.stdin.flush()
                line = server.stdout.readline()
            except OSError:
                line = ""
            if line:
                reply = json.loads(line)
                if "error" in reply:
                    return reply["error"]
                return [CheckResult(*row) for row in reply["results"]]
            server.kill()  # it stopped: answer this request the slow way
        return _evaluate_once(task_ids, payload)

    def close(self) -> None:
        for server in self._all:
            if server.stdin:
                server.stdin.close()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def _evaluate_once(task_ids: list[str], payload: dict[str, object]) -> list[CheckResult] | str:
    """Check one submission's answers in a Python process of its own."""
    request = json.dumps({"tasks": task_ids, "payload": payload})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "postsoviet.grading.evaluate"],
            input=request,
            capture_output=True,
            text=True,
            timeout=EVALUATION_TIMEOUT,
            env={**os.environ, "MPLBACKEND": "Agg"},
        )
    except subprocess.TimeoutExpired:
        return f"checking the answers took longer than {EVALUATION_TIMEOUT} s"
    if done.returncode != 0:
        return "checking the answers failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    return [CheckResult(*row) for row in json.loads(done.stdout.strip().splitlines()[-1])]


Evaluator = Callable[[list[str], dict[str, object]], "list[CheckResult] | str"]


def _in_sandbox(sandbox: Sandbox) -> Evaluator:
    """An evaluator that checks the answers inside ``sandbox``, the kernel being gone."""

    def evaluate(task_ids: list[str], payload: dict[str, object]) -> list[CheckResult] | str:
        try:
            reply = sandbox.evaluate({"tasks": task_ids, "payload": payload}, EVALUATION_TIMEOUT)
        except SandboxBroken as error:
            return f"checking the answers failed: {error}"
        if "error" in reply:
            return str(reply["error"])
        return [CheckResult(*row) for row in reply["results"]]

    return evaluate


def _written_answer(path: Path, task_id: str) -> str | None:
    """The text of the student's answer cell for a written task, or None if it is gone."""
    try:
        nb = read_submission(path)
    except (OSError, ValueError):
        return None
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == task_id:
            return cell.source
    return None


def _adjust(result: CheckResult, run: RunResult, cells: list[int]) -> tuple[str, str]:
    """Status and detail, blaming the answer's own cell when it raised or timed out.

    An answer that earned points keeps them, as in nbgrader (whose check cell then
    scores them too): only an answer that earned nothing is put down to its cell.
    """
    if result.status in ("passed", "manual") or result.points > 0:
        return result.status, result.message
    by_number = {c.number: c for c in run.cells}
    for number in reversed(cells):
        outcome = by_number.get(number)
        if outcome and outcome.status in ("timeout", "error", "died", "skipped"):
            status = "timeout" if outcome.status == "timeout" else "error"
            return status, f"cell {number}: {outcome.detail}"
    return result.status, result.message


Version = Mapping[str, Any]  # an exercise's {"version": ..., "tasks": [...]}


def current_versions(solutions: Path) -> dict[str, Version]:
    """The version of every exercise in ``solutions`` by notebook file name.

    Derived from the solutions as ``python -m postsoviet exercises`` derives it for the
    exercises it generates (:func:`postsoviet.exercises.exercise_version`).
    """
    from postsoviet.exercises import exercise_version

    versions = {}
    for path in sorted(Path(solutions).glob("[0-9][0-9]-*.ipynb")):
        with contextlib.suppress(OSError, ValueError):
            versions[path.name] = exercise_version(read_submission(path))
    return versions


def _submitted_version(nb: NotebookNode) -> Version:
    from postsoviet.exercises import VERSION_KEY

    found = nb.get("metadata", {}).get(VERSION_KEY)
    return found if isinstance(found, Mapping) else {}


def _older_version(task_id: str, detail: str, submitted: Version, current: Version) -> str:
    """The detail of a task whose answer is missing, saying so if the submission was made
    from another version of the exercise than the one graded (else ``detail`` as it is)."""
    old, new = submitted.get("version"), current.get("version")
    if not isinstance(old, str) or not old or old == new:
        return detail
    said = (
        f"this submission is of an older version of the exercise ({old}; the current one is {new})"
    )
    old_tasks = [str(t) for t in submitted.get("tasks") or []]
    if old_tasks and task_id not in old_tasks:
        gone = [t for t in old_tasks if t not in current.get("tasks", [])]
        instead = (
            f", which had {', '.join(gone)} instead (renamed or removed since)" if gone else ""
        )
        return f"{said}: {task_id} was added after it{instead}."
    return f"{detail.rstrip('.')}; {said}, whose {task_id} may have asked for another answer."


def grade_submission(
    submission: Submission,
    *,
    cell_timeout: int = 30,
    notebook_timeout: int = 300,
    evaluator: Callable[[list[str], dict[str, object]], list[CheckResult] | str] | None = None,
    sandbox: Sandbox | None = None,
    unsafe: bool = False,
    current_version: Version | None = None,
) -> list[Row]:
    """Every task row for one student's notebook; never raises for a bad submission.

    ``sandbox`` is the worker's bwrap sandbox (a class run passes one per thread);
    without one a sandbox is started for this submission alone. Only with ``unsafe``
    does the kernel run on the host, and ``evaluator`` (by default a process of its own
    per call) check the answers there. ``current_version`` is the graded exercise's
    version (:func:`current_versions`): a missing answer in a submission of another
    version says so.
    """
    if sandbox is None and not unsafe:
        check_available()
        own = Sandbox()
        try:
            return grade_submission(
                submission,
                cell_timeout=cell_timeout,
                notebook_timeout=notebook_timeout,
                sandbox=own,
                current_version=current_version,
            )
        finally:
            own.close()
    student, notebook, path = submission.student, submission.notebook, submission.path
    tasks = _tasks(notebook)

    def rows(status: str, detail: str) -> list[Row]:
        return [Row(student, notebook, t.id, 0, t.points, status, _clean(detail)) for t in tasks]

    if not tasks:
        return [
            Row(
                student,
                notebook,
                "",
                0,
                0,
                "error",
                f"there is no exercise {notebook} in this course",
            )
        ]
    if path is None:
        return rows("missing", "not handed in")
    run = run_submission(
        path,
        _collected(tasks),
        cell_timeout=cell_timeout,
        notebook_timeout=notebook_timeout,
        sandbox=sandbox,
    )
    if run.problem:
        return rows("error", run.problem)
    if run.payload is None:
        died = [c.number for c in run.cells if c.status in ("died", "skipped")]
        where = f"at cell {died[-1]}" if died else "before the answers could be collected"
        return rows(
            "error",
            f"the kernel stopped {where} (for example os._exit, a crash or "
            f"memory exhaustion) even after restarting without that cell",
        )
    task_ids = [t.id for t in tasks]
    check = _in_sandbox(sandbox) if sandbox is not None else evaluator or _evaluate_once
    results = check(task_ids, run.payload)
    if isinstance(results, str):
        return rows("error", results)
    original = read_submission(path)
    submitted_version = _submitted_version(original)
    notes = []
    skipped = [c.number for c in run.cells if c.status == "skipped"]
    if skipped:
        notes.append(f"cell {skipped[-1]} stopped the kernel and was skipped")
    if run.output_dropped:
        notes.append("very long output was cut")
    out = []
    for task, result in zip(tasks, results, strict=True):
        status, detail = _adjust(result, run, defining_cells(original, task.target))
        points = result.points if status == result.status else 0
        if task.kind == "written":
            answer = _written_answer(path, task.id)
            if answer is None:
                status, detail = "missing", "the answer cell was deleted"
            elif answer.strip() in ("", TEXT_STUB):
                status, detail = "not-answered", "the answer cell still says YOUR ANSWER HERE"
            else:
                detail = f"awaiting marking ({len(answer.split())} words)"
        if status == "missing" and current_version:
            detail = _older_version(task.id, detail, submitted_version, current_version)
        if notes and status != "passed":
            detail = f"{detail} ({'; '.join(notes)})"
        out.append(Row(student, notebook, task.id, points, task.points, status, _clean(detail)))
    return out


def score_notebook(
    path: Path, *, cell_timeout: int = 30, solutions: Path = Path("solutions")
) -> list[Row]:
    """Grade one notebook file (its name gives the exercise) in a sandbox of its own."""
    path = Path(path)
    return grade_submission(
        Submission("-", path.name, path),
        cell_timeout=cell_timeout,
        current_version=current_versions(solutions).get(path.name),
    )


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold ``OUT/.grading.lock`` (``flock``) for the run, or raise :class:`GradingLocked`."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GradingLocked(
                f"Another grading run is writing to {out}; wait for it to finish "
                "or choose another --out folder."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- the whole class --------------------------------------------------------------------


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)
    os.replace(temporary, path)


def _gradebook(rows: Iterable[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: (r.student, r.notebook, r.task_id)):
        points = f"{row.points:g}", f"{row.max_points:g}"
        writer.writerow([row.student, row.notebook, row.task_id, *points, row.status, row.detail])
    return buffer.getvalue()


def _load_state(path: Path) -> dict[tuple[str, str], list[Row]]:
    done: dict[tuple[str, str], list[Row]] = {}
    if not path.exists():
        return done
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            done[(entry["student"], entry["notebook"])] = [Row(**r) for r in entry["rows"]]
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by an interruption: that submission is regraded
    return done


def grade_folder(
    submissions: Path,
    out: Path,
    *,
    solutions: Path = Path("solutions"),
    jobs: int | None = None,
    resume: bool = False,
    cell_timeout: int = 30,
    notebook_timeout: int = 300,
    progress: bool = True,
    unsafe: bool = False,
    deadline: datetime | None = None,
    late_penalty: float = 0.0,
    roster: Lookup | None = None,
) -> Summary:
    """Grade every submission in ``submissions``; write the gradebook and feedback to ``out``.

    ``roster`` names the students of an LMS download (:mod:`.roster`); the exercise file
    names in ``solutions`` let Canvas's renamed resubmissions (``04-energy-1.ipynb``) be
    recognised.

    Raises :class:`~postsoviet.grading.sandbox.SandboxUnavailable` (unless ``unsafe``)
    before touching anything, and :class:`GradingLocked` if another run holds ``out``.
    With a ``deadline``, late submissions are flagged (and lose ``late_penalty`` per cent
    of their points per started day late: :mod:`.deadline`), each timed by the folder's
    ``collection.csv`` where it has one: a record that cannot be read raises
    :class:`~postsoviet.grading.deadline.DeadlineError`, also before touching anything.
    """
    from postsoviet.grading.deadline import read_collection

    collection = read_collection(submissions) if deadline is not None else {}
    if not unsafe:
        check_available()
    with _locked(out):
        return _grade_folder(
            submissions,
            out,
            solutions=solutions,
            jobs=jobs,
            resume=resume,
            cell_timeout=cell_timeout,
            notebook_timeout=notebook_timeout,
            progress=progress,
            unsafe=unsafe,
            deadline=deadline,
            late_penalty=late_penalty,
            collection=collection,
            roster=roster,
        )


def _grade_folder(
    submissions: Path,
    out: Path,
    *,
    solutions: Path,
    jobs: int | None,
    resume: bool,
    cell_timeout: int,
    notebook_timeout: int,
    progress: bool,
    unsafe: bool,
    deadline: datetime | None,
    late_penalty: float,
    collection: dict[Path, CollectedCopy],
    roster: Lookup | None,
) -> Summary:
    from postsoviet.grading import answers
    from postsoviet.grading.deadline import flag_late
    from postsoviet.grading.marks import MarkError, refresh
    from postsoviet.grading.report import write_feedback

    started = time.monotonic()
    known = frozenset(p.name for p in solutions.glob("[0-9][0-9]-*.ipynb")) or None
    found, unplaced = discover(submissions, known=known, roster=roster)
    # A notebook that is not an exercise is reported for whoever handed it in, not
    # listed as missing for everyone else.
    found = [s for s in found if s.path is not None or _tasks(s.notebook)]
    out.mkdir(parents=True, exist_ok=True)
    state = out / STATE_FILE
    done = _load_state(state) if resume else {}
    # Start the record afresh, keeping only complete entries: a line cut short by an
    # interruption is dropped and its submission graded again.
    kept = [
        json.dumps({"student": s, "notebook": n, "rows": [asdict(r) for r in rows]}) + "\n"
        for (s, n), rows in sorted(done.items())
    ]
    _write_atomically(state, "".join(kept))
    todo = [s for s in found if (s.student, s.notebook) not in done]
    lock = threading.Lock()
    finished = len(found) - len(todo)

    def record(submission: Submission, rows: list[Row]) -> None:
        nonlocal finished
        with lock, state.open("a", encoding="utf-8") as stream:
            entry = {
                "student": submission.student,
                "notebook": submission.notebook,
                "rows": [asdict(r) for r in rows],
            }
            stream.write(json.dumps(entry) + "\n")
            stream.flush()
            os.fsync(stream.fileno())
            done[(submission.student, submission.notebook)] = rows
            finished += 1
            if progress:
                width = 30
                filled = int(width * finished / max(len(found), 1))
                print(
                    f"\r[{'#' * filled}{'.' * (width - filled)}] {finished}/{len(found)} "
                    f"{submission.student}/{submission.notebook}".ljust(78),
                    end="",
                    file=sys.stderr,
                    flush=True,
                )

    evaluator = _Evaluator() if unsafe else None
    sandboxes = None if unsafe else SandboxPool()
    versions = current_versions(solutions)

    def grade(submission: Submission) -> list[Row]:
        try:
            sandbox = sandboxes.get() if sandboxes else None
        except SandboxUnavailable as error:
            tasks = _tasks(submission.notebook)
            return [
                Row(submission.student, submission.notebook, t.id, 0, t.points, "error", str(error))
                for t in tasks
            ]
        return grade_submission(
            submission,
            cell_timeout=cell_timeout,
            notebook_timeout=notebook_timeout,
            evaluator=evaluator,
            sandbox=sandbox,
            unsafe=unsafe,
            current_version=versions.get(submission.notebook),
        )

    try:
        workers = jobs or os.cpu_count() or 1
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(grade, s): s for s in todo}
            for future in as_completed(futures):
                record(futures[future], future.result())
    finally:
        # Every student process of the run ends here, before the gradebook is written.
        if sandboxes:
            sandboxes.close()
        if evaluator:
            evaluator.close()
    if progress and found:
        print(file=sys.stderr)

    rows = [row for key in sorted(done) for row in done[key]]
    rows += [Row(u.student, u.name, "", 0, 0, "error", u.reason) for u in unplaced]
    rows = flag_late(rows, found, out, deadline, late_penalty, collection)
    _write_atomically(out / "gradebook.csv", _gradebook(rows))
    written = answers.collect(rows, found, solutions)
    answers.save(out, written)
    problem = ""
    try:
        refresh(out)  # totals, feedback and class report, with any marks made before
    except MarkError as error:
        problem = str(error)
        write_feedback(rows, out, answers=written)
    errors = sum(r.status in ("error", "timeout") for r in rows)
    students = len({r.student for r in rows})
    seconds = round(time.monotonic() - started, 1)
    return Summary(students, len(found), len(rows), errors, seconds, problem)
