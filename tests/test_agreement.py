"""One mark for one answer: check cell, nbgrader and the class grader agree on every real task.

For each exercise of ``solutions/`` a class of students hands in the model answers, right
answers in other forms (``alt``, ``alt2``), typical mistakes (``wrong``), answers earning
part of a task's points (``partial``), a wrong earlier answer with later work built on it
(``forward``, errors carried forward) and the blank exercise (see
:mod:`agreement_variants`). The class is graded once by ``nbgrader autograde`` and once
by ``python -m postsoviet grade``; the check cell's verdict is the line it printed in
nbgrader's autograded copy (``check`` prints the same line whether or not nbgrader runs
it, and only then raises or returns partial points). All three must give the same
status and the same points for every task and student, and those must be the ones the
variant was written to get.
nbgrader's student version of each exercise (``generate_assignment``) is checked too: no
solution, rubric or instructor note, and the code stubs in place.

The classes are built and graded in two batches of three exercises, once for the whole
test run: the tests of one batch form one pytest-xdist group (so the two batches are
graded on the two workers at once), and the results are kept in the run's shared
temporary folder under a file lock, so a worker that needs them too reads them instead of
grading again.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from agreement_variants import PARTIAL_STUDENTS, VARIANTS, WRITTEN, expected
from filelock import FileLock

from postsoviet import checks
from postsoviet.grading import grade_folder

nbgrader_api = pytest.importorskip("nbgrader.api", reason="nbgrader is in the instructor extra")

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]-*.ipynb"))
ASSIGNMENT = "ex"
MARKS = {"✓": "passed", "·": "not-answered", "✗": "failed", "✎": "manual"}
#: What nbgrader's student version (``release/``) must not contain.
RELEASE_SECRETS = ("BEGIN SOLUTION", "Rubric", "Instructor note", "NotImplementedError")


def _grade_id(cell: Any) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def _tasks(solution: Path) -> list[str]:
    cells = nbformat.read(solution, as_version=4).cells
    return [_grade_id(c) for c in cells if _grade_id(c).startswith("ex-") and "-answer" not in
            _grade_id(c) and c.metadata["nbgrader"].get("grade")]


TASKS = [(solution.stem, task) for solution in SOLUTIONS for task in _tasks(solution)]


def _students(exercise: str) -> list[str]:
    ids = [t for e, t in TASKS if e == exercise]

    def has(student: str) -> bool:
        return any(student in VARIANTS.get(t, {}) for t in ids)

    partial = [s for s in PARTIAL_STUDENTS if has(s)]
    return ["model", "alt", *(["alt2"] if has("alt2") else []), "wrong", *partial, "blank"]


def _answer_source(task: str, student: str) -> str | None:
    """The answer cell's new source for this student, or None to keep the notebook's."""
    task_object = checks.get_task(task)
    assert task_object is not None, task
    if student in ("model", "blank"):
        return None
    if task_object.kind == "written":
        return None if student != "wrong" else WRITTEN
    if student in PARTIAL_STUDENTS:
        return VARIANTS[task].get(student)
    variants = VARIANTS[task]
    return variants.get(student) or (variants["alt"] if student == "alt2" else None)


def _submission(exercise: str, student: str) -> nbformat.NotebookNode:
    origin = ROOT / ("exercises" if student == "blank" else "solutions") / f"{exercise}.ipynb"
    nb = nbformat.read(origin, as_version=4)
    for cell in nb.cells:
        grade_id = _grade_id(cell)
        task = grade_id.removesuffix("-answer")
        answer = grade_id.endswith("-answer") or (
            cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution")
        )
        if not task.startswith("ex-") or not answer:
            continue
        source = _answer_source(task, student)
        if source is not None:
            cell.source = source
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def _nbgrader(course: Path, *args: str) -> None:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # alembic
    env.pop("NBGRADER_EXECUTION", None)
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
        capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


#: The points a check line states for a task with parts ("✗ ex-04-1 not yet: 1 of 2 points: ...").
STATED_POINTS = re.compile(r": (\d+(?:\.\d+)?) of \d+(?:\.\d+)? points?: ")


def check_cell_points(status: str, line: str, max_points: float) -> float:
    """The points a check cell's line gives: as stated, or all or nothing by its mark."""
    stated = STATED_POINTS.search(line)
    if stated:
        return float(stated.group(1))
    return max_points if status == "passed" else 0


def _check_cells(autograded: Path) -> dict[str, list[str]]:
    """Status and printed line of each check cell in nbgrader's autograded copy."""
    found = {}
    for cell in nbformat.read(autograded, as_version=4).cells:
        grade_id = _grade_id(cell)
        if cell.cell_type != "code" or not grade_id.startswith("ex-") or "-answer" in grade_id:
            continue
        text = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
        lines = text.splitlines()
        start = next((i for i, ln in enumerate(lines) if ln[:1] in MARKS), len(lines))
        line = " ".join(" ".join(lines[start:]).split())  # the check's line, as wrapped
        found[grade_id] = [MARKS.get(line[:1], "no line"), line]
    return found


#: The exercises are graded in two batches, one nbgrader course and one class-grader run
#: each: nbgrader's start-up, its database and the grader's sandboxes are paid twice, not
#: six times, and the two batches (of about equal grading time) run on the two workers.
BATCHES = [
    [s.stem for s in SOLUTIONS if s.stem[:2] in ("01", "03", "05")],
    [s.stem for s in SOLUTIONS if s.stem[:2] not in ("01", "03", "05")],
]


def _batch(exercise: str) -> int:
    return next(i for i, batch in enumerate(BATCHES) if exercise in batch)


def _grade_batch(exercises: list[str], work: Path) -> dict[str, Any]:
    """Build the classes for ``exercises``, grade them both ways, return every verdict.

    One nbgrader assignment holds every exercise of the batch, and one class folder every
    submission; a student hands in only the exercises their variant applies to.
    """
    course, folder = work / "nbgrader", work / "class"
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for exercise in exercises:
        shutil.copy(ROOT / "solutions" / f"{exercise}.ipynb", course / "source" / ASSIGNMENT)
        for student in _students(exercise):
            nb = _submission(exercise, student)
            for place in (folder / student, course / "submitted" / student / ASSIGNMENT):
                place.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, place / f"{exercise}.ipynb")
    _nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    _nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")
    grade_folder(folder, work / "out", jobs=2, progress=False)

    results: dict[str, Any] = {e: {s: {} for s in _students(e)} for e in exercises}
    with (work / "out" / "gradebook.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            exercise = row["notebook"].removesuffix(".ipynb")
            if exercise in results and row["student"] in results[exercise]:
                results[exercise][row["student"]].setdefault(row["task_id"], {})["grader"] = [
                    row["status"], float(row["points"]), float(row["max_points"]), row["detail"]
                ]
    with nbgrader_api.Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for exercise in exercises:
            for student, verdicts in results[exercise].items():
                notebook = gradebook.find_submission_notebook(exercise, ASSIGNMENT, student)
                for grade in notebook.grades:
                    verdicts.setdefault(grade.name, {})["nbgrader"] = [
                        grade.auto_score, grade.max_score, grade.needs_manual_grade
                    ]
                autograded = course / "autograded" / student / ASSIGNMENT / f"{exercise}.ipynb"
                for task, verdict in _check_cells(autograded).items():
                    verdicts.setdefault(task, {})["check"] = verdict
    released = {
        exercise: (course / "release" / ASSIGNMENT / f"{exercise}.ipynb").read_text(
            encoding="utf-8"
        )
        for exercise in exercises
    }
    return {
        exercise: {
            "students": results[exercise],
            "released": {
                "secrets": [s for s in RELEASE_SECRETS if s in released[exercise]],
                "stub": "# YOUR CODE HERE" in released[exercise],
            },
        }
        for exercise in exercises
    }


@pytest.fixture(scope="session")
def class_results(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``class_results(exercise)``: the verdicts for one exercise, its batch graded once per run."""
    base = tmp_path_factory.getbasetemp()
    # Under pytest-xdist each worker has its own folder inside the run's: share that one.
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    cache: dict[str, Any] = {}

    def results(exercise: str) -> dict[str, Any]:
        batch = _batch(exercise)
        if batch not in cache:
            done = shared / f"agreement-batch-{batch}.json"
            with FileLock(str(done) + ".lock"):
                if not done.exists():
                    work = shared / f"agreement-batch-{batch}"
                    shutil.rmtree(work, ignore_errors=True)
                    verdicts = _grade_batch(BATCHES[batch], work)
                    done.write_text(json.dumps(verdicts), encoding="utf-8")
            cache[batch] = json.loads(done.read_text(encoding="utf-8"))
        return cache[batch][exercise]

    return results


def test_every_real_task_is_covered() -> None:
    prefixes = tuple(f"ex-{solution.stem[:2]}-" for solution in SOLUTIONS)
    registered = [t for t in checks.task_ids() if t.startswith(prefixes)]
    assert sorted(task for _, task in TASKS) == registered
    assert len(TASKS) == 33
    for _, task in TASKS:
        task_object = checks.get_task(task)
        assert task_object is not None
        if task_object.kind != "written":
            assert {"alt", "wrong"} <= set(VARIANTS[task]), task


@pytest.mark.parametrize(
    ("exercise", "task"),
    # One xdist group per batch: each batch is graded on one worker, the two in parallel.
    [
        pytest.param(e, t, id=t, marks=pytest.mark.xdist_group(f"agreement-{_batch(e)}"))
        for e, t in TASKS
    ],
)
def test_check_cell_nbgrader_and_class_grader_agree(
    class_results: Any, exercise: str, task: str
) -> None:
    verdicts = class_results(exercise)["students"]
    written = checks.get_task(task).kind == "written"  # type: ignore[union-attr]
    for student in _students(exercise):
        seen = verdicts[student][task]
        status, points, max_points, detail = seen["grader"]
        auto_score, nbgrader_max, needs_manual = seen["nbgrader"]
        where = f"{task} for the {student!r} student: grader says {status} ({detail!r}), "
        assert max_points == nbgrader_max, where
        if written:
            want = "not-answered" if student == "blank" else "manual"
            assert status == want, where
            # A person marks a written answer; nbgrader scores an untouched one 0.
            assert (auto_score, needs_manual) == (
                (0, False) if student == "blank" else (None, True)
            ), where
            continue
        want, want_points = expected(task, student, max_points)
        check_status, line = seen["check"]
        printed = check_cell_points(check_status, line, max_points)
        where += f"the check cell printed {line!r}, nbgrader gave {auto_score}"
        assert check_status == status == want, where
        assert printed == points == auto_score == want_points, where


@pytest.mark.parametrize(
    "exercise",
    [
        pytest.param(s.stem, marks=pytest.mark.xdist_group(f"agreement-{_batch(s.stem)}"))
        for s in SOLUTIONS
    ],
)
def test_nbgraders_student_version_hides_solutions_rubrics_and_notes(
    class_results: Any, exercise: str
) -> None:
    released = class_results(exercise)["released"]
    assert released == {"secrets": [], "stub": True}, exercise
