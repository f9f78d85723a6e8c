"""Exercise notebooks generated from their solutions, with nbgrader's own preprocessors.

``solutions/NN-slug.ipynb`` is the only place an exercise is written. The student copy
``exercises/NN-slug.ipynb`` is derived from it:

1. cells tagged ``instructor-only`` are removed (:class:`RemoveInstructorOnly`, also
   registered for nbgrader in ``nbgrader_config.py``);
2. nbgrader's ``ClearSolutions`` replaces every ``### BEGIN SOLUTION`` / ``### END
   SOLUTION`` region with ``# YOUR CODE HERE`` (a whole written-answer cell becomes
   "YOUR ANSWER HERE", so its model answer and rubric never reach students);
   ``ClearHiddenTests`` and ``ClearMarkScheme`` remove hidden tests and mark schemes;
3. the exercise's version (:func:`exercise_version`) goes into its notebook metadata, so
   the grader can tell a submission made from an earlier version of the exercise;
4. the result is executed and stored clean like every other notebook, so its check cells
   show "not answered yet".

Answer cells therefore start with the stub outside the solution region
(``answer = ...``), and functions keep a docstring, so the student copy stays valid
Python. nbgrader is needed only here (the ``instructor`` extra), never by students.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode

from postsoviet import notebooks

INSTRUCTOR_TAG = "instructor-only"
CODE_STUB = "# YOUR CODE HERE"
TEXT_STUB = "YOUR ANSWER HERE"
#: The notebook metadata key holding an exercise's ``{"version": ..., "tasks": [...]}``.
VERSION_KEY = "postsoviet"


class RemoveInstructorOnly(Preprocessor):
    """Drop cells tagged ``instructor-only`` (notes for teachers, answer discussions)."""

    # nbconvert runs only enabled preprocessors; nbgrader registers this one by class.
    enabled = True

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any]
    ) -> tuple[NotebookNode, dict[str, Any]]:
        nb.cells = [
            c for c in nb.cells if INSTRUCTOR_TAG not in c.get("metadata", {}).get("tags", [])
        ]
        return nb, resources


def _nbgrader(cell: NotebookNode) -> dict[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {})


def exercise_version(nb: NotebookNode) -> dict[str, Any]:
    """``{"version": "3f2a9c1b7d4e", "tasks": ["ex-04-1", ...]}`` for a solution or exercise.

    The version is the first 12 hex digits of a SHA-256 over each task's id, points and
    prompt (the ``TASK-prompt`` cell), in notebook order, leaving instructor-only cells
    out. It is derived rather than written by hand, so it cannot be forgotten when a task
    changes, and it changes exactly when what students are asked changes: a new, renamed,
    reworded or re-weighted task. Model answers, rubrics, check code and outputs are not
    in it, so running or regenerating the exercise (``exercises --check``) gives the same
    bytes, and the solution and its exercise give the same version. The task ids are
    stored beside it, so the grader can say which tasks an earlier version lacked.
    """
    cells = [c for c in nb.cells if INSTRUCTOR_TAG not in c.get("metadata", {}).get("tags", [])]
    prompts = {_nbgrader(c).get("grade_id"): c.source for c in cells}
    tasks = [
        (meta["grade_id"], meta["points"], prompts.get(f"{meta['grade_id']}-prompt", ""))
        for meta in map(_nbgrader, cells)
        if meta.get("grade") and "points" in meta
    ]
    text = json.dumps(tasks, ensure_ascii=False)
    return {
        "version": hashlib.sha256(text.encode("utf-8")).hexdigest()[:12],
        "tasks": [task_id for task_id, _, _ in tasks],
    }


def student_version(solution: NotebookNode) -> NotebookNode:
    """The exercise as students get it, before execution, with its version."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, ClearSolutions

    nb = copy.deepcopy(solution)
    resources: dict[str, Any] = {}
    for preprocessor in (
        RemoveInstructorOnly(),
        ClearSolutions(code_stub={"python": CODE_STUB}, text_stub=TEXT_STUB),
        ClearHiddenTests(),
        ClearMarkScheme(),
    ):
        nb, resources = preprocessor.preprocess(nb, resources)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata[VERSION_KEY] = exercise_version(solution)
    return nb


def generate(solution_path: Path, exercise_path: Path) -> NotebookNode:
    """Build the executed, clean exercise for ``solution_path`` (written nowhere yet).

    It runs in a scratch folder beside ``exercise_path``'s name, so relative paths behave
    as they will in ``exercises/``.
    """
    solution = notebooks.read_notebook(solution_path)
    try:
        draft = student_version(solution)
    except RuntimeError as error:  # nbgrader's complaint about a malformed region
        raise notebooks.NotebookBuildError(f"{solution_path}: {error}.") from error
    with tempfile.TemporaryDirectory(prefix="postsoviet-exercise-") as scratch:
        path = Path(scratch) / exercise_path.name
        nbformat.write(draft, path)
        built = notebooks.build_notebook(path)
    return notebooks.clean(built)


def _unexecuted(nb: NotebookNode) -> NotebookNode:
    """A clean copy without outputs: what an exercise is before it is run."""
    nb = notebooks.clean(copy.deepcopy(nb))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def source_difference(solution_path: Path, exercise_path: Path) -> str | None:
    """How a stored exercise's cells differ from its solution's student version, or ``None``.

    Only the cells and metadata are compared, without executing anything: the stored
    outputs are checked by executing the exercise itself (``tests/test_stored_notebooks.py``),
    so ``make test`` runs each notebook once.
    """
    if not exercise_path.exists():
        return "missing"
    draft = student_version(notebooks.read_notebook(solution_path))
    return notebooks.difference(
        _unexecuted(notebooks.read_notebook(exercise_path)), _unexecuted(draft)
    )


def pairs(source: Path, dest: Path) -> list[tuple[Path, Path]]:
    """(solution, exercise) paths for every numbered solution notebook in ``source``."""
    return [(path, dest / path.name) for path in sorted(source.glob("[0-9][0-9]-*.ipynb"))]


def main(source: Path, dest: Path, *, check: bool = False) -> int:
    """Regenerate ``dest`` from ``source``; with ``check``, only report stale exercises."""
    if not source.is_dir():
        print(f"error: {source} is not a folder of solution notebooks.", file=sys.stderr)
        return 2
    found = pairs(source, dest)
    if not found:
        print(f"no solution notebooks (NN-slug.ipynb) in {source}")
        return 0
    stale = []
    for solution_path, exercise_path in found:
        try:
            built = generate(solution_path, exercise_path)
        except notebooks.NotebookBuildError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        if check:
            stored = notebooks.read_notebook(exercise_path) if exercise_path.exists() else None
            problem = "missing" if stored is None else notebooks.difference(stored, built)
            if problem:
                stale.append(exercise_path)
                print(
                    f"STALE       {exercise_path} ({problem}); run: python -m postsoviet exercises"
                )
            else:
                print(f"up to date  {exercise_path}")
        else:
            dest.mkdir(parents=True, exist_ok=True)
            notebooks.write_notebook(built, exercise_path)
            print(f"written     {exercise_path}")
    return 1 if stale else 0
