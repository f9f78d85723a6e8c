"""The student copy: its own history, no answers in any object, refreshable and mergeable."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
import yaml

from postsoviet import leaks, student_copy

from quizkit import course_checkout

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
# Fingerprints always come from the real instructor side, whatever the copied course holds.
PRINTS = leaks.fingerprints(SOLUTIONS)
PLANTED_NOTE = "Instructor note planted by the test: the answer to the practice question is a."


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _course(tmp_path: Path) -> Path:
    """A copy of the course repository that the test may change, with an instructor note."""
    root = course_checkout(tmp_path / "course-repo")
    lesson = root / "course" / "00-start-here.ipynb"
    notebook = nbformat.read(lesson, as_version=4)
    note = nbformat.v4.new_markdown_cell(PLANTED_NOTE, metadata={"tags": ["instructor-only"]})
    notebook.cells.insert(1, note)
    nbformat.write(notebook, lesson)
    return root


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path]:
    """A course copy published twice into DEST, with a lesson changed in between."""
    root, dest = _course(tmp_path), tmp_path / "student"
    assert student_copy.main(dest, root=root, branch="main", message=None) == 0
    lesson = root / "course" / "01-the-article.ipynb"
    notebook = nbformat.read(lesson, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("A paragraph added in release 2."))
    nbformat.write(notebook, lesson)
    assert student_copy.main(dest, root=root, branch="main", message=None) == 0
    return root, dest


def test_every_question_and_solution_has_fingerprints() -> None:
    quiz_ids = {p.origin.split(": ")[1] for p in PRINTS if p.kind == "quiz key"}
    sources = [
        yaml_question
        for path in sorted((SOLUTIONS / "quizzes").glob("*.yaml"))
        for yaml_question in leaks.quiz_fingerprints(path)
    ]
    assert quiz_ids == {s.origin.split(": ")[1] for s in sources}
    assert len(quiz_ids) > 50
    solved = {p.origin.split(" cell ")[0] for p in PRINTS if p.kind == "solution"}
    assert solved == {f"solutions/{p.name}" for p in SOLUTIONS.glob("*.ipynb")}


def test_the_scan_finds_every_fingerprint_in_the_instructor_sources() -> None:
    """Each fingerprint is seen where it comes from: the scan is not blind to any of them."""
    texts = [
        (str(p), p.read_text(encoding="utf-8"))
        for p in sorted(SOLUTIONS.rglob("*"))
        if p.suffix in (".yaml", ".ipynb")
    ]
    found = {(leak.kind, leak.origin) for leak in leaks.scan(texts, PRINTS)}
    assert found == {(p.kind, p.origin) for p in PRINTS}


def test_the_scan_reads_keys_in_other_spellings() -> None:
    key = next(p for p in PRINTS if p.kind == "quiz key" and p.pattern is not None)
    question = key.origin.split(": ")[1]
    source = next(
        q
        for path in (SOLUTIONS / "quizzes").glob("*.yaml")
        for q in yaml.safe_load(path.read_text())["questions"]
        if q["id"] == question
    )
    as_json = json.dumps({"id": question, "answer": source["answer"]})
    as_python = f"KEYS = {{}}\n# {question}\nanswer = {source['answer']!r}"
    for text in (as_json, as_python):
        assert [leak.origin for leak in leaks.scan([("planted", text)], [key])] == [key.origin]
    assert not leaks.scan([("lesson", f'answer("{question}", "zz", record=False)')], [key])


def test_no_answer_in_any_object_of_the_student_copy(published: tuple[Path, Path]) -> None:
    _, dest = published
    objects = list(student_copy.repository_texts(dest))
    kinds = {label.split()[0] for label, _ in objects}
    assert kinds == {"blob", "tree", "commit"}
    assert len([k for k, _ in objects if k.startswith("commit")]) == 2
    assert leaks.scan(objects, PRINTS) == []
    assert not any(PLANTED_NOTE in text for _, text in objects)


def test_the_copy_has_its_own_linear_history_and_only_student_files(
    published: tuple[Path, Path],
) -> None:
    _, dest = published
    commits = _git(dest, "rev-list", "--parents", "HEAD").splitlines()
    assert len(commits) == 2 and all(len(line.split()) <= 2 for line in commits)
    for commit in _git(dest, "rev-list", "--all").split():
        paths = _git(dest, "ls-tree", "-r", "--name-only", commit).split("\n")
        tops = {p.split("/")[0] for p in paths if p}
        assert tops == {
            ".gitignore",
            student_copy.MARKER,
            "README.md",
            "course",
            "exercises",
            "jupyter-config",
            "src",
            "environment.yml",
            "pyproject.toml",
        }
    lesson = nbformat.read(dest / "course" / "00-start-here.ipynb", as_version=4)
    assert not any("instructor-only" in c.metadata.get("tags", []) for c in lesson.cells)
    unchanged = dest / "course" / "02-identity.ipynb"
    assert unchanged.read_bytes() == (ROOT / "course" / "02-identity.ipynb").read_bytes()


def test_nothing_changed_makes_no_commit(published: tuple[Path, Path], capsys) -> None:
    root, dest = published
    assert student_copy.main(dest, root=root, branch="main", message=None) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert len(_git(dest, "rev-list", "HEAD").split()) == 2


def test_a_students_clone_merges_a_refresh_and_keeps_their_edit(tmp_path: Path) -> None:
    root, dest = _course(tmp_path), tmp_path / "student"
    student_copy.publish(root, dest)
    clone = tmp_path / "home" / "course"
    subprocess.run(["git", "clone", "--quiet", str(dest), str(clone)], check=True)
    exercise = clone / "exercises" / "04-energy.ipynb"
    edited = exercise.read_text(encoding="utf-8").replace("subsidy_bn = ...", "subsidy_bn = 1", 1)
    exercise.write_text(edited, encoding="utf-8")
    _git(clone, "commit", "--quiet", "-am", "my work")
    lesson = root / "course" / "01-the-article.ipynb"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("Learning", "Learning", 1))
    notebook = nbformat.read(lesson, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("New in release 2."))
    nbformat.write(notebook, lesson)
    assert student_copy.publish(root, dest).number == 2
    _git(clone, "pull", "--quiet", "--no-rebase", "--no-edit")
    assert exercise.read_text(encoding="utf-8") == edited
    assert "New in release 2." in (clone / "course" / "01-the-article.ipynb").read_text()


def test_a_leak_in_a_lesson_stops_the_release_and_writes_nothing(tmp_path: Path, capsys) -> None:
    root, dest = _course(tmp_path), tmp_path / "student"
    solution = next(p for p in PRINTS if p.kind == "solution")
    lesson = root / "course" / "03-flags.ipynb"
    notebook = nbformat.read(lesson, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(solution.text))
    nbformat.write(notebook, lesson)
    assert student_copy.main(dest, root=root, branch="main", message=None) == 1
    error = capsys.readouterr().err
    assert "nothing was published" in error and "course/03-flags.ipynb" in error
    assert solution.origin in error and solution.text not in error
    assert not dest.exists()


def test_answers_committed_into_the_copy_by_hand_are_found(
    published: tuple[Path, Path], capsys
) -> None:
    root, dest = published
    shutil.copy(SOLUTIONS / "quizzes" / "04-energy.yaml", dest / "keys.yaml")
    _git(dest, "add", "keys.yaml")
    _git(dest, "commit", "--quiet", "-m", "oops")
    _git(dest, "rm", "--quiet", "keys.yaml")
    _git(dest, "commit", "--quiet", "-m", "remove it again")
    (root / "course" / "02-identity.ipynb").write_text(
        (root / "course" / "02-identity.ipynb").read_text().replace("census", "census ", 1)
    )
    assert student_copy.main(dest, root=root, branch="main", message=None) == 1
    error = capsys.readouterr().err
    assert "history holds answers" in error and "04-energy.yaml" in error


@pytest.mark.parametrize("case", ["not-a-copy", "dirty", "file", "inside-course"])
def test_a_wrong_destination_is_refused_in_a_sentence(tmp_path: Path, case: str, capsys) -> None:
    root = _course(tmp_path)
    dest = tmp_path / "dest"
    if case == "not-a-copy":
        dest.mkdir()
        (dest / "thesis.tex").write_text("mine")
    elif case == "dirty":
        student_copy.publish(root, dest)
        (dest / "README.md").write_text("edited by hand")
    elif case == "file":
        dest.write_text("a file")
    else:
        dest = root / "student"
    assert student_copy.main(dest, root=root, branch="main", message=None) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "Traceback" not in error
    if case == "not-a-copy":
        assert (dest / "thesis.tex").read_text() == "mine"
    if case == "dirty":
        assert (dest / "README.md").read_text() == "edited by hand"
