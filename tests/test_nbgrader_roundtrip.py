"""nbgrader's own generate_assignment and autograde agree with the course's tools.

The sample solutions go into a temporary nbgrader course folder with the repository's
``nbgrader_config.py``; nbgrader makes the student version, then autogrades a blank and a
solved submission. Its scores must match our grader's, task by task.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from postsoviet.grading import score_notebook

nbgrader_api = pytest.importorskip("nbgrader.api", reason="nbgrader is in the instructor extra")

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "tests" / "samples" / "solutions"
ASSIGNMENT = "sample"


def _nbgrader(course: Path, *args: str) -> None:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # alembic
    env.pop("NBGRADER_EXECUTION", None)
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = tmp_path_factory.mktemp("nbgrader-course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(SOLUTIONS, course / "source" / ASSIGNMENT)
    _nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    for student, origin in (("blank", course / "release"), ("solved", course / "source")):
        shutil.copytree(origin / ASSIGNMENT, course / "submitted" / student / ASSIGNMENT)
    _nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")
    return course


def test_nbgrader_student_version_hides_solutions_rubrics_and_notes(course: Path) -> None:
    for released in sorted((course / "release" / ASSIGNMENT).glob("*.ipynb")):
        text = released.read_text(encoding="utf-8")
        for secret in ("BEGIN SOLUTION", "Rubric", "Instructor note", "NotImplementedError"):
            assert secret not in text, (released.name, secret)
        assert "# YOUR CODE HERE" in text


@pytest.mark.parametrize("student", ["blank", "solved"])
def test_nbgrader_and_our_grader_agree(course: Path, student: str) -> None:
    with nbgrader_api.Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for path in sorted((course / "submitted" / student / ASSIGNMENT).glob("*.ipynb")):
            ours = {r.task_id: r for r in score_notebook(path)}
            notebook = gradebook.find_submission_notebook(path.stem, ASSIGNMENT, student)
            theirs = {grade.name: grade for grade in notebook.grades}
            assert set(ours) == set(theirs)
            for task_id, result in ours.items():
                grade = theirs[task_id]
                assert grade.max_score == result.max_points, task_id
                if result.status in ("manual", "not-answered") and grade.auto_score is None:
                    # A written answer: nbgrader waits for a person, and so do we.
                    assert result.status == "manual" and result.points == 0
                else:
                    assert grade.auto_score == result.points, (student, task_id)
            expected = "full" if student == "solved" else "zero"
            auto = [r for r in ours.values() if r.status != "manual"]
            total = sum(r.points for r in auto)
            assert total == (sum(r.max_points for r in auto) if expected == "full" else 0)
