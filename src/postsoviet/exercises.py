"""Exercise notebooks generated from their solutions, with nbgrader's own preprocessors.

``solutions/NN-slug.ipynb`` is the only place an exercise is written. The student copy
``exercises/NN-slug.ipynb`` is derived from it:

1. cells tagged ``instructor-only`` are removed (:class:`RemoveInstructorOnly`, also
   registered for nbgrader in ``nbgrader_config.py``);
2. nbgrader's ``ClearSolutions`` replaces every ``### BEGIN SOLUTION`` / ``### END
   SOLUTION`` region with ``# YOUR CODE HERE`` (a whole written-answer cell becomes
   "YOUR ANSWER HERE", so its model answer and rubric never reach students);
   ``ClearHiddenTests`` and ``ClearMarkScheme`` remove hidden tests and mark schemes;
3. the result is executed and stored clean like every other notebook, so its check cells
   show "not answered yet".

Answer cells therefore start with the stub outside the solution region
(``answer = ...``), and functions keep a docstring, so the student copy stays valid
Python. nbgrader is needed only here (the ``instructor`` extra), never by students.
"""

from __future__ import annotations

import copy
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


def student_version(solution: NotebookNode) -> NotebookNode:
    """The exercise as students get it, before execution."""
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
