"""Expected answers of exercise tasks: on the instructor's side only, hashed for students.

The references live in ``solutions/exercise_references.py``; the package holds salted
hashes (``checks/answer_keys.json``). These tests prove the hashes are current, that a
number is accepted within its task's tolerance wherever it falls on the hashing grid, and,
with the package copied where ``solutions/`` cannot be reached, that nothing in it
computes, stores or names an answer, while the check cell still gives the right verdict
for every model answer, right answer in another form, typical mistake and blank.
"""

from __future__ import annotations

import ast
import json
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from agreement_variants import PARTIAL_STUDENTS, VARIANTS, WRITTEN, expected
from instructor_side import REFERENCE_MODULE, references_module

from postsoviet import __main__ as cli
from postsoviet import checks, forensics
from postsoviet.checks import _answers

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "postsoviet"
#: The 33 real tasks; ``samples.py`` (``ex-90``, ``ex-91``) is the authors' model for
#: tests/samples, not handed to students.
REAL_TASK = "ex-0"
HOSTILE = Path(__file__).with_name("hostile_student.py")


REFERENCES = references_module().references()


def test_public_hashes_match_the_instructor_references(tmp_path: Path) -> None:
    assert _answers.write_keys(REFERENCES, check=True), "run python -m postsoviet exercise-keys"
    changed = dict(REFERENCES, **{"ex-05-3": {"answer": _answers.Reference.single(50.0, 0.06)}})
    assert not _answers.write_keys(changed, check=True)  # a changed reference is noticed
    copy = tmp_path / "keys.json"
    shutil.copy(_answers.KEYS_FILE, copy)
    assert _answers.write_keys(REFERENCES, dest=copy) and copy.read_bytes() == (
        _answers.KEYS_FILE.read_bytes()
    ), "writing again keeps the salts and the bytes"


def test_exercise_keys_checks_every_file_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert forensics.write_mystery(references_module().mystery_election(), check=True)
    assert cli.main(["exercise-keys", "--check"]) == 0
    edited = tmp_path / "references.py"
    edited.write_text(
        REFERENCE_MODULE.read_text(encoding="utf-8").replace(
            "MYSTERY_SEED = 505", "MYSTERY_SEED = 506"
        ),
        encoding="utf-8",
    )
    assert cli.main(["exercise-keys", "--check", "--references", str(edited)]) == 1
    assert "mystery_election.json differs" in capsys.readouterr().out
    assert cli.main(["exercise-keys", "--check", "--references", str(tmp_path / "no.py")]) == 2
    assert "is not the reference module" in capsys.readouterr().err


def _strings(tree: ast.AST) -> set[str]:
    """Every string literal of a module, and the fixed start of every f-string."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
            found.add(str(node.values[0].value))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
    return found


def test_every_key_a_checker_asks_for_has_a_reference_and_back() -> None:
    """A checker's ``_answers`` calls name keys the references define, and none is unused."""
    for task_id in checks.task_ids():
        module = PACKAGE / "checks" / f"lesson{task_id[3:5]}.py"
        if not task_id.startswith(REAL_TASK) or checks.get_task(task_id).kind == "written":
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        strings = _strings(tree)
        for name in REFERENCES.get(task_id, {}):
            assert name in strings or name.rstrip("0123456789") in strings, (task_id, name)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and getattr(node.func.value, "id", "") == "_answers"
                and node.args
                and getattr(node.args[0], "value", None) == task_id
            ):
                asked = _strings(node.args[1]) if len(node.args) > 1 else set()
                assert all(
                    any(key.startswith(a) for key in REFERENCES[task_id]) for a in asked
                ), (task_id, asked)


@pytest.fixture
def one_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A key file holding test references only."""
    monkeypatch.setattr(_answers, "KEYS_FILE", tmp_path / "keys.json")
    _answers._keys.cache_clear()
    yield
    _answers._keys.cache_clear()


@pytest.mark.usefixtures("one_key")
def test_numbers_are_accepted_within_the_tolerance_wherever_they_fall_on_the_grid() -> None:
    draw = random.Random(20200809)
    cases = {
        f"case{i}": (draw.uniform(-500, 500), draw.choice([0.005, 0.011, 0.05, 0.6, 10.0]))
        for i in range(60)
    }
    _answers.write_keys(
        {"ex-00-0": {n: _answers.Reference.single(v, t) for n, (v, t) in cases.items()}}
    )
    edge = 1 / (2 * _answers.GRID_STEPS)  # at most half a grid step beyond the tolerance
    for name, (value, tolerance) in cases.items():
        for _ in range(40):
            off = draw.uniform(-1, 1) * tolerance * (1 - edge)
            assert _answers.agrees("ex-00-0", name, value + off), (value, tolerance, off)
            far = draw.choice([-1, 1]) * tolerance * (1 + edge) * draw.uniform(1.001, 5)
            assert not _answers.agrees("ex-00-0", name, value + far), (value, tolerance, far)
        assert _answers.agrees("ex-00-0", name, value)


@pytest.mark.usefixtures("one_key")
def test_labelled_values_say_which_label_is_off_and_which_is_unknown() -> None:
    reference = _answers.Reference({"1999": 1.5, "2009": -2.25, "2019": 10.0}, 0.01)
    _answers.write_keys({"ex-00-0": {"answer": reference}})
    right = _answers.compare("ex-00-0", "answer", {"1999": 1.504, "2009": -2.25, "2019": 10})
    assert right.passed
    off = _answers.compare("ex-00-0", "answer", {"1999": 1.5, "2009": 2.25, "2030": 1.0})
    assert (off.unknown, off.missing, off.wrong) == (("2030",), 1, ("2009",))
    assert not _answers.agrees("ex-00-0", "answer", "1.5")  # text is not a number


# --- the student's package, where solutions/ cannot be reached -------------------------


def _task_cells(notebook: nbformat.NotebookNode, student: str) -> list[str]:
    """The code cells of ``notebook`` as ``student`` would have written them."""
    sources = []
    for cell in notebook.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        task = grade_id.removesuffix("-answer")
        if cell.cell_type != "code":
            continue
        if grade_id.endswith("-answer") and student not in ("model", "blank"):
            variants = VARIANTS.get(task, {})
            kind = checks.get_task(task).kind  # type: ignore[union-attr]
            source = variants.get(student) or (variants.get("alt") if student == "alt2" else None)
            if kind == "written":
                source = WRITTEN if student == "wrong" else None
            sources.append(source if source is not None else cell.source)
        else:
            sources.append(cell.source)
    return sources


def _expected_status(task: str, student: str) -> str:
    return expected(task, student, checks.get_task(task).points)[0]  # type: ignore[union-attr]


def _classes() -> dict[str, Any]:
    """Every exercise's cells and expected verdicts, per student: test data, not package."""
    classes = {}
    for solution in sorted((ROOT / "solutions").glob("0[0-9]-*.ipynb")):
        model = nbformat.read(solution, as_version=4)
        blank = nbformat.read(ROOT / "exercises" / solution.name, as_version=4)
        tasks = [
            t
            for t in checks.task_ids()
            if t.startswith(f"ex-{solution.name[:2]}-") and checks.get_task(t).kind != "written"
        ]
        for student in ("model", "alt", "alt2", "wrong", *PARTIAL_STUDENTS, "blank"):
            cells = _task_cells(blank if student == "blank" else model, student)
            expected = {t: _expected_status(t, student) for t in tasks}
            classes[f"{solution.stem}/{student}"] = {"cells": cells, "expected": expected}
    return classes


def _hunted_values() -> dict[str, list[Any]]:
    """Every reference leaf worth searching the package for, per task (the test's data)."""
    hunted: dict[str, list[Any]] = {}
    for task_id, named in REFERENCES.items():
        for reference in named.values():
            for value in reference.values.values():
                text = isinstance(value, str) and len(value) >= 4
                number = isinstance(value, (int, float)) and not isinstance(value, bool)
                if text or (number and (abs(value) >= 10 or not float(value).is_integer())):
                    hunted.setdefault(task_id, []).append(value)
    return hunted


def _student_package(tmp_path: Path) -> Path:
    """A copy of the package as a student installs it, away from the course repository."""
    site = tmp_path / "site"
    shutil.copytree(PACKAGE, site / "postsoviet", ignore=shutil.ignore_patterns("__pycache__"))
    assert (site / "postsoviet" / "checks" / "answer_keys.json").is_file()
    return site


def _hostile_report(tmp_path: Path, site: Path, classes: dict[str, Any]) -> dict[str, Any]:
    given = tmp_path / "given.json"
    given.write_text(json.dumps({"hunted": _hunted_values(), "classes": classes}), "utf-8")
    done = subprocess.run(
        [sys.executable, "-s", str(HOSTILE), str(ROOT), str(site), str(given)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "HOME": str(tmp_path), "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["where"].startswith(str(site))
    assert report["tried"] > 500  # every function against every task: the hunt really ran
    return report


def test_the_students_package_cannot_give_any_answer_but_still_checks(tmp_path: Path) -> None:
    classes = _classes()
    report = _hostile_report(tmp_path, _student_package(tmp_path), classes)
    assert report["problems"] == []
    for label, student in classes.items():
        assert report["verdicts"][label] == student["expected"], label


#: Leaks of the kinds the package used to have, planted in a copy: the hunt must find each.
PLANTED = {
    "forensics.py": 'def stuffed_districts():\n    return ("district F", "district G")\n',
    "checks/lesson01.py": (
        "def _count_by(frame, date):\n"
        '    return int((frame["date"] <= pd.Timestamp(date)).sum())\n\n\n'
        'WORD = "domestic"\n'
    ),
    "checks/lesson04.py": (
        "def _expected_values():\n"
        "    table = energy.implied_subsidy(volume_bcm=VOLUME_BCM).dropna()\n"
        '    return table.set_index("year")["subsidy_usd_bn"]\n'
    ),
}


def test_the_hunt_finds_answers_planted_in_the_package(tmp_path: Path) -> None:
    site = _student_package(tmp_path)
    for relative, code in PLANTED.items():
        path = site / "postsoviet" / relative
        path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code, encoding="utf-8")
    problems = "\n".join(_hostile_report(tmp_path, site, {})["problems"])
    for finding in (
        "stuffed_districts (or what it returns) passes ex-05-4",
        "_count_by (or what it returns) passes ex-01-2",
        "stores ex-01-5's answer",
        "_expected_values is named as an answer",
        "_expected_values (or what it returns) passes ex-04-1",
    ):
        assert finding in problems, problems
