"""The class grader on fixture submissions: every fault becomes a row, nothing is lost.

The fixtures are made here from the sample exercise 90 (and 91): solved, partly solved
and blank submissions, and submissions with each fault the grader must survive.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
from pathlib import Path

import nbformat
import pytest

from postsoviet.__main__ import main
from postsoviet.grading import grade_folder

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "samples"
SOLVED = nbformat.read(SAMPLES / "solutions" / "90-sample-elections.ipynb", as_version=4)
BLANK = nbformat.read(SAMPLES / "exercises" / "90-sample-elections.ipynb", as_version=4)
SOLVED_91 = SAMPLES / "solutions" / "91-sample-referendums.ipynb"
NB90, NB91 = "90-sample-elections.ipynb", "91-sample-referendums.ipynb"


def _cell(nb, grade_id):
    return next(
        c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id
    )


def _variant(base, edits):
    nb = copy.deepcopy(base)
    for grade_id, source in edits.items():
        _cell(nb, grade_id).source = source
    return nb


def _insert_after(nb, grade_id, source):
    index = nb.cells.index(_cell(nb, grade_id))
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return nb


def _write(path: Path, nb) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


RIGHT_1 = _cell(SOLVED, "ex-90-1-answer").source
RIGHT_2 = _cell(SOLVED, "ex-90-2-answer").source


def make_fixtures(folder: Path) -> None:
    _write(folder / "alice" / NB90, SOLVED)
    _write(folder / "alice" / NB91, nbformat.read(SOLVED_91, as_version=4))
    _write(folder / "bob" / NB90, BLANK)
    partly = _variant(
        BLANK,
        {
            "ex-90-1-answer": RIGHT_1,
            "ex-90-2-answer": "def winner_share(df, year):\n    return 80.1",
            "ex-90-4": "The commission counts invalid ballots in the base, "
            "so its shares are lower.",
        },
    )
    _write(folder / "carol" / NB90, partly)
    faults = _variant(
        BLANK,
        {
            "ex-90-1-answer": "lukashenko_2020 = ...\nwhile True:\n    pass",
            "ex-90-3-answer": "turnout_figure = input('which figure? ')",
            "ex-90-5-answer": "cec_base = = 'participants'",
        },
    )
    faults.cells.remove(_cell(faults, "ex-90-4"))
    moved = _cell(faults, "ex-90-2-answer")
    faults.cells.remove(moved)
    moved.source = RIGHT_2
    twins = [nbformat.v4.new_code_cell(moved.source, metadata=moved.metadata) for _ in range(2)]
    faults.cells += twins  # moved to the end and duplicated
    faults.cells.append(nbformat.v4.new_code_cell("print('x' * 5_000_000)"))
    _write(folder / "dave" / NB90, faults)
    crash = _insert_after(
        _variant(BLANK, {"ex-90-1-answer": RIGHT_1}), "setup", "import os\nos._exit(1)"
    )
    _write(folder / "erin" / NB90, crash)
    hard = _variant(BLANK, {"ex-90-1-answer": RIGHT_1})
    hard = _insert_after(hard, "setup", "import ctypes\nctypes.string_at(0)")
    hard = _insert_after(hard, "setup", "hog = bytearray(8 * 1024**3)")
    _write(folder / "frank" / NB90, hard)
    cheat = _variant(
        BLANK,
        {
            "ex-90-1-answer": "lukashenko_2020 = 12.0\nprint('✓ ex-90-1 passed: well done')",
            "ex-90-2-answer": "from postsoviet.checks.samples import _reference_winner_share\n"
            "def winner_share(df, year):\n"
            "    return _reference_winner_share(df, year)",
            "ex-90-3-answer": "turnout_figure = open("
            "'../solutions/90-sample-elections.ipynb').read()",
            "ex-90-5-answer": "import postsoviet.checks as c\n"
            "c.evaluate = lambda task_id, value: c.CheckResult(task_id, 'passed', 'ok', 9, 9)\n"
            "def check(*args):\n    print('✓ passed')\ncec_base = 'valid'",
        },
    )
    _write(folder / "grace" / NB90, cheat)
    (folder / f"grace__{NB91}").write_text("this is not a notebook", encoding="utf-8")
    (folder / f"henry__{NB91}").write_text(json.dumps({"cells_missing": True}), encoding="utf-8")
    _write(folder / "zed" / "99-nothing.ipynb", BLANK)
    (folder / "notes.txt").write_text("not a submission", encoding="utf-8")


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("submissions")
    make_fixtures(folder)
    before = _hashes(folder)
    out1, out2 = tmp_path_factory.mktemp("out1"), tmp_path_factory.mktemp("out2")
    common = dict(
        solutions=SAMPLES / "solutions", jobs=2, cell_timeout=5, notebook_timeout=60, progress=False
    )
    grade_folder(folder, out1, **common)
    grade_folder(folder, out2, **common)
    rows = list(csv.DictReader((out1 / "gradebook.csv").open(encoding="utf-8")))
    table = {(r["student"], r["notebook"], r["task_id"]): r for r in rows}
    return {"folder": folder, "before": before, "out1": out1, "out2": out2, "rows": table}


def _row(graded, student, task_id, notebook=NB90):
    return graded["rows"][(student, notebook, task_id)]


def _statuses(graded, student, notebook=NB90):
    return {k[2]: r["status"] for k, r in graded["rows"].items() if k[:2] == (student, notebook)}


def test_gradebook_columns_and_determinism(graded) -> None:
    text = (graded["out1"] / "gradebook.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "student,notebook,task_id,points,max_points,status,detail"
    assert text == (graded["out2"] / "gradebook.csv").read_text(encoding="utf-8")
    assert "/tmp/" not in text and "postsoviet-grade-" not in text


def test_submissions_are_never_modified(graded) -> None:
    assert _hashes(graded["folder"]) == graded["before"]


def test_solved_blank_and_partly_solved(graded) -> None:
    assert _statuses(graded, "alice") == {
        "ex-90-1": "passed",
        "ex-90-2": "passed",
        "ex-90-3": "passed",
        "ex-90-4": "manual",
        "ex-90-5": "passed",
    }
    assert _row(graded, "alice", "ex-90-2")["points"] == "2"
    assert _statuses(graded, "alice", NB91) == {"ex-91-1": "passed", "ex-91-2": "manual"}
    assert set(_statuses(graded, "bob").values()) == {"not-answered"}
    assert all(r["points"] == "0" for k, r in graded["rows"].items() if k[0] == "bob")
    carol = _statuses(graded, "carol")
    assert carol["ex-90-1"] == "passed" and carol["ex-90-2"] == "failed"
    assert carol["ex-90-4"] == "manual" and carol["ex-90-3"] == "not-answered"
    assert "wrong result" in _row(graded, "carol", "ex-90-2")["detail"]


def test_faults_each_become_their_own_row(graded) -> None:
    dave = _statuses(graded, "dave")
    assert (
        dave["ex-90-1"] == "timeout"
        and "did not finish" in _row(graded, "dave", "ex-90-1")["detail"]
    )
    assert (
        dave["ex-90-3"] == "error"
        and "StdinNotImplementedError" in _row(graded, "dave", "ex-90-3")["detail"]
    )
    assert dave["ex-90-5"] == "error" and "SyntaxError" in _row(graded, "dave", "ex-90-5")["detail"]
    assert dave["ex-90-2"] == "passed"  # moved to the end and duplicated: found by task id
    assert dave["ex-90-4"] == "missing" and "deleted" in _row(graded, "dave", "ex-90-4")["detail"]


def test_a_dying_kernel_is_restarted_without_the_fatal_cell(graded) -> None:
    erin = _row(graded, "erin", "ex-90-1")
    assert erin["status"] == "passed"
    assert _row(graded, "erin", "ex-90-2")["status"] == "not-answered"
    assert "stopped the kernel and was skipped" in _row(graded, "erin", "ex-90-2")["detail"]
    frank = _row(graded, "frank", "ex-90-1")
    assert frank["status"] == "passed"  # MemoryError in one cell, a segfault in another


def test_cheating_earns_nothing(graded) -> None:
    grace = {t: _row(graded, "grace", t) for t in ("ex-90-1", "ex-90-2", "ex-90-3", "ex-90-5")}
    assert all(r["points"] == "0" for r in grace.values())
    assert grace["ex-90-1"]["status"] == "failed"  # the printed pass line counts for nothing
    assert grace["ex-90-2"]["status"] == "error" and "checking code" in grace["ex-90-2"]["detail"]
    assert (
        grace["ex-90-3"]["status"] == "error" and "FileNotFoundError" in grace["ex-90-3"]["detail"]
    )
    assert grace["ex-90-5"]["status"] == "failed"  # patched evaluate and check: no effect


def test_files_that_are_not_notebooks_or_not_exercises(graded) -> None:
    grace91 = _statuses(graded, "grace", NB91)
    assert set(grace91.values()) == {"error"}
    assert "not valid JSON" in _row(graded, "grace", "ex-91-1", NB91)["detail"]
    assert "not a notebook" in _row(graded, "henry", "ex-91-1", NB91)["detail"]
    assert graded["rows"][("zed", "99-nothing.ipynb", "")]["status"] == "error"
    assert "no exercise" in graded["rows"][("zed", "99-nothing.ipynb", "")]["detail"]
    assert graded["rows"][("?", "notes.txt", "")]["status"] == "error"
    # Everyone else handed in 91 or 90: the gaps are listed as missing, not skipped.
    assert set(_statuses(graded, "bob", NB91).values()) == {"missing"}
    assert set(_statuses(graded, "henry").values()) == {"missing"}


def test_feedback_for_students_and_rubrics_for_the_instructor(graded) -> None:
    student = (graded["out1"] / "feedback" / "carol.md").read_text(encoding="utf-8")
    teacher = (graded["out1"] / "instructor" / "carol.md").read_text(encoding="utf-8")
    assert "ex-90-2" in student and "✗ not yet" in student
    assert "Rubric" not in student and "Rubric" in teacher
    assert "counts invalid ballots" in teacher  # the student's written answer, for marking


def test_resume_keeps_finished_students(graded, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    state = (graded["out1"] / ".grading-state.jsonl").read_text(encoding="utf-8").splitlines()
    kept = [line for line in state if line.startswith('{"student": "alice"')]
    assert len(kept) == 2
    (out / ".grading-state.jsonl").write_text(
        "\n".join(kept) + '\n{"student": "cut sh', encoding="utf-8"
    )
    folder = tmp_path / "only-alice-and-bob"
    for name in ("alice", "bob"):
        (folder / name).mkdir(parents=True)
        for source in (graded["folder"] / name).iterdir():
            (folder / name / source.name).write_bytes(source.read_bytes())
    summary = grade_folder(
        folder,
        out,
        solutions=SAMPLES / "solutions",
        jobs=1,
        resume=True,
        cell_timeout=5,
        progress=False,
    )
    assert summary.submissions == 4
    entries = (out / ".grading-state.jsonl").read_text(encoding="utf-8").splitlines()
    starts = [line[: line.find(", ")] for line in entries]
    assert starts.count('{"student": "alice"') == 2  # kept from the first run, not regraded
    assert starts.count('{"student": "bob"') == 2
    alice_rows = [json.loads(line) for line in entries if line.startswith('{"student": "alice"')]

    def by_notebook(entry: dict) -> str:
        return entry["notebook"]

    assert sorted(alice_rows, key=by_notebook) == sorted(
        (json.loads(line) for line in kept), key=by_notebook
    )


def test_command_line(tmp_path: Path, capsys) -> None:
    assert main(["grade", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    assert "not a folder" in capsys.readouterr().err
