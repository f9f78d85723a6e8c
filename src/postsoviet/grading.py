"""Scoring a submitted exercise notebook with the course's own checks.

The notebook runs top to bottom in a fresh kernel of this environment, errors allowed (a
broken cell costs that task, not the rest). Then, in the same kernel, every task of the
notebook (``ex-NN-*`` for ``NN-slug.ipynb``) is evaluated on the variable or function the
task names, so the result comes from the grader, not from what the notebook printed.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from postsoviet import checks
from postsoviet.checks import CheckResult
from postsoviet.notebooks import ThisEnvironmentKernel

MARKER = "POSTSOVIET-RESULTS "

_GRADING_CELL = """
import json as _postsoviet_json
from postsoviet.checks import evaluate as _postsoviet_evaluate, get_task as _postsoviet_task
_postsoviet_results = []
for _postsoviet_id in {ids!r}:
    _postsoviet_target = _postsoviet_task(_postsoviet_id).target
    _postsoviet_value = globals().get(_postsoviet_target, ...) if _postsoviet_target else None
    _postsoviet_r = _postsoviet_evaluate(_postsoviet_id, _postsoviet_value)
    _postsoviet_results.append(
        [_postsoviet_r.task_id, _postsoviet_r.status, _postsoviet_r.message,
         _postsoviet_r.points, _postsoviet_r.max_points]
    )
print({marker!r} + _postsoviet_json.dumps(_postsoviet_results))
"""


class GradingError(Exception):
    """The notebook could not be run at all; the message says why, in one sentence."""


@dataclass(frozen=True)
class NotebookScore:
    notebook: str
    results: tuple[CheckResult, ...]

    @property
    def points(self) -> float:
        return sum(r.points for r in self.results)


def notebook_number(path: Path) -> str:
    match = re.match(r"(\d{2})-", Path(path).name)
    if not match:
        raise GradingError(f"{Path(path).name} is not named like an exercise (NN-slug.ipynb).")
    return match.group(1)


def tasks_for(path: Path) -> list[str]:
    prefix = f"ex-{notebook_number(path)}-"
    return [task_id for task_id in checks.task_ids() if task_id.startswith(prefix)]


def score_notebook(path: Path, *, timeout: int = 60) -> NotebookScore:
    """Run ``path`` in a fresh kernel and evaluate each of its tasks."""
    path = Path(path)
    ids = tasks_for(path)
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="postsoviet-grade-") as scratch:
        env = dict(os.environ)
        env.pop("NBGRADER_EXECUTION", None)
        env["POSTSOVIET_PROGRESS"] = str(Path(scratch) / "progress.json")
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            kernel_manager_class=ThisEnvironmentKernel,
            allow_errors=True,
            resources={"metadata": {"path": scratch}},
        )
        grading = nbformat.v4.new_code_cell(_GRADING_CELL.format(ids=ids, marker=MARKER))
        nb.cells.append(grading)  # run last, in the student's kernel, after all their code
        try:
            with client.setup_kernel(env=env):
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type == "code":
                        client.execute_cell(cell, index)
        except (CellTimeoutError, DeadKernelError, RuntimeError) as error:
            raise GradingError(f"{path.name}: the notebook could not be run ({error}).") from error
    printed = "".join(o.get("text", "") for o in grading.outputs if o.get("name") == "stdout")
    line = next((ln for ln in printed.splitlines() if ln.startswith(MARKER)), None)
    if line is None:
        raise GradingError(f"{path.name}: the grading step printed no results.")
    results = tuple(CheckResult(*row) for row in json.loads(line[len(MARKER):]))
    return NotebookScore(path.name, results)
