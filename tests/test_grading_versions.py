"""Exercise versions: generated exercises carry one, and the grader names an older one.

A submission made from an earlier version of an exercise misses the tasks added since;
its rows must say so, naming both versions, instead of blaming a deleted answer cell.
The older version is made here from the real exercise 04 as the generator would have
made it before a task was renamed and an answer renamed.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import nbformat
import pytest

from postsoviet import exercises
from postsoviet.grading import grade_folder

ROOT = Path(__file__).resolve().parents[1]
NB = "04-energy.ipynb"
PAIRS = [
    *exercises.pairs(ROOT / "solutions", ROOT / "exercises"),
    *exercises.pairs(
        ROOT / "tests" / "samples" / "solutions", ROOT / "tests" / "samples" / "exercises"
    ),
]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize(("solution", "exercise"), PAIRS, ids=lambda p: p.name)
def test_every_exercise_carries_its_solutions_version(solution: Path, exercise: Path) -> None:
    stored = _read(exercise).metadata[exercises.VERSION_KEY]
    assert stored == exercises.exercise_version(_read(solution))
    assert stored == exercises.exercise_version(_read(exercise))  # the same from either side
    assert len(stored["version"]) == 12 and stored["tasks"][0].startswith("ex-")


def test_the_version_follows_what_students_are_asked_only() -> None:
    solution = _read(ROOT / "solutions" / NB)
    version = exercises.exercise_version(solution)["version"]
    ran = copy.deepcopy(solution)
    for cell in ran.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    assert exercises.exercise_version(ran)["version"] == version  # outputs are not in it
    reworded = copy.deepcopy(solution)
    prompt = next(
        c for c in reworded.cells if exercises._nbgrader(c).get("grade_id") == "ex-04-3-prompt"
    )
    prompt.source += "\n\nGive the year as a number."
    assert exercises.exercise_version(reworded)["version"] != version


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if exercises._nbgrader(c).get("grade_id") == grade_id)


def _older_exercise() -> nbformat.NotebookNode:
    """Exercise 04 as an earlier version had it: the last task was ex-04-7 (asking for
    ``claim_verdict``), and ex-04-1 asked for ``subsidy`` rather than ``subsidy_bn``."""
    nb = _read(ROOT / "exercises" / NB)
    for part in ("-prompt", "-answer", ""):
        cell = _cell(nb, f"ex-04-6{part}")
        cell.metadata["nbgrader"]["grade_id"] = f"ex-04-7{part}"
        cell.source = cell.source.replace("ex-04-6", "ex-04-7").replace("verdict", "claim_verdict")
    answer = _cell(nb, "ex-04-1-answer")
    answer.source = answer.source.replace("subsidy_bn", "subsidy")
    nb.metadata[exercises.VERSION_KEY] = exercises.exercise_version(nb)
    return nb


def test_a_submission_of_an_older_version_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "submissions"
    older = _older_exercise()
    old_version = older.metadata[exercises.VERSION_KEY]["version"]
    current = exercises.exercise_version(_read(ROOT / "solutions" / NB))["version"]
    assert old_version != current
    (folder / "ana").mkdir(parents=True)
    nbformat.write(older, folder / "ana" / NB)
    # bo has the current version and deleted ex-04-1's answer cell: the usual sentence.
    deleted = _read(ROOT / "exercises" / NB)
    deleted.cells.remove(_cell(deleted, "ex-04-1-answer"))
    (folder / "bo").mkdir()
    nbformat.write(deleted, folder / "bo" / NB)

    grade_folder(folder, tmp_path / "grades", solutions=ROOT / "solutions", jobs=1, progress=False)

    with (tmp_path / "grades" / "gradebook.csv").open(encoding="utf-8", newline="") as stream:
        rows = {(r["student"], r["task_id"]): r for r in csv.DictReader(stream)}
    older_words = (
        "this submission is of an older version of the exercise "
        f"({old_version}; the current one is {current})"
    )
    assert rows[("ana", "ex-04-6")]["status"] == "missing"
    assert rows[("ana", "ex-04-6")]["detail"] == (
        f"{older_words}: ex-04-6 was added after it, which had ex-04-7 instead "
        "(renamed or removed since)."
    )
    assert rows[("ana", "ex-04-1")]["status"] == "missing"
    assert rows[("ana", "ex-04-1")]["detail"] == (
        f"no subsidy_bn is defined: the answer cell was deleted or renamed; {older_words}, "
        "whose ex-04-1 may have asked for another answer."
    )
    assert rows[("ana", "ex-04-3")]["status"] == "not-answered"  # the tasks both versions share
    assert rows[("bo", "ex-04-1")]["detail"] == (
        "no subsidy_bn is defined: the answer cell was deleted or renamed."
    )
