"""Every stored notebook runs top to bottom and reproduces its stored outputs, executed once.

This is the notebook check of ``make test``. Each committed notebook (lessons, solutions,
exercises and the samples) is executed in a fresh kernel exactly as ``make build`` executes
it, and the fresh run is compared with the stored copy as content: every cell's source,
metadata and outputs, and the notebook's metadata (PNG bytes excepted, which vary with font
builds). That one execution covers what two runs used to check: that no cell raises (nbval
in strict mode) and that the stored outputs are current (``build --check``). The comparison
is stricter than nbval's, which sanitises and skips fields.

Exercises are also checked against their solutions without a second execution: the student
version that ``python -m postsoviet exercises`` would make must have the stored exercise's
cells, and the stored exercise's outputs come from executing it here.

Authors can still run nbval on one notebook: ``pytest --nbval course/04-energy.ipynb``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from postsoviet import exercises, notebooks

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "samples"
PAIRS = [
    *exercises.pairs(ROOT / "solutions", ROOT / "exercises"),
    *exercises.pairs(SAMPLES / "solutions", SAMPLES / "exercises"),
]
STORED = sorted(
    [*(ROOT / "course").glob("*.ipynb"), *(path for pair in PAIRS for path in pair)],
    key=lambda path: path.relative_to(ROOT).as_posix(),
)
REBUILD = "run `make build` and commit the rebuilt notebook"


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_every_notebook_is_checked() -> None:
    """The list is not empty and holds every lesson, solution and exercise."""
    names = {_name(path) for path in STORED}
    assert {_name(path) for path in (ROOT / "course").glob("*.ipynb")} <= names
    assert len(PAIRS) >= 8, "every solution has its exercise"
    assert all(exercise.exists() for _, exercise in PAIRS), "an exercise is missing"


@pytest.mark.parametrize("path", STORED, ids=_name)
def test_notebook_runs_and_reproduces_its_stored_outputs(path: Path) -> None:
    try:
        built = notebooks.clean(notebooks.build_notebook(path))
    except notebooks.NotebookBuildError as error:
        pytest.fail(str(error), pytrace=False)
    stored = notebooks.read_notebook(path)
    problem = notebooks.difference(stored, built)
    assert problem is None, f"{_name(path)} is stale: {problem}; {REBUILD}"


@pytest.mark.parametrize(("solution", "exercise"), PAIRS, ids=lambda p: _name(p))
def test_exercise_is_the_student_version_of_its_solution(solution: Path, exercise: Path) -> None:
    problem = exercises.source_difference(solution, exercise)
    assert problem is None, (
        f"{_name(exercise)} is not what {_name(solution)} generates: {problem}; "
        "run `python -m postsoviet exercises`"
    )
