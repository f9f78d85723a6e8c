"""The instructor's plain answer keys and the public hashed banks agree, and nothing leaks."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from postsoviet import quiz
from postsoviet.quiz import authoring, bank
from postsoviet.quiz.responses import normalise_text

from quizkit import (
    ROOT,
    SOURCES,
    right_response,
    right_typings,
    source_questions,
    wrong_response,
)

QUESTIONS = source_questions()
IDS = [q["id"] for q in QUESTIONS]
PACKAGE = ROOT / "src" / "postsoviet"
HUMAN_FIELDS = ("prompt", "hint", "section")


def test_every_lesson_bank_has_a_source_and_back() -> None:
    banks = {p.stem for p in (PACKAGE / "quiz" / "banks").glob("*.json")}
    assert banks == {p.stem for p in SOURCES}
    assert sorted(IDS) == sorted(quiz.question_ids())


def test_banks_are_in_sync_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert authoring.main([ROOT / "solutions" / "quizzes"], check=True) == 0, capsys.readouterr()


def test_check_mode_reports_a_stale_bank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    banks = tmp_path / "banks"
    banks.mkdir()
    source = SOURCES[0]
    assert authoring.main([source], banks_dir=banks) == 0
    written = (banks / f"{source.stem}.json").read_text()
    assert authoring.main([source], check=True, banks_dir=banks) == 0
    edited = json.loads(written)
    edited["questions"][0]["prompt"] += " (edited)"
    (banks / f"{source.stem}.json").write_text(json.dumps(edited))
    assert authoring.main([source], check=True, banks_dir=banks) == 1
    assert "STALE" in capsys.readouterr().out


def test_rebuilding_keeps_salts_so_output_is_stable(tmp_path: Path) -> None:
    source = SOURCES[0]
    first = authoring.render_bank(source, tmp_path)[1]
    (tmp_path / f"{source.stem}.json").write_text(first)
    assert authoring.render_bank(source, tmp_path)[1] == first


@pytest.mark.parametrize("source", QUESTIONS, ids=IDS)
def test_key_is_accepted_and_a_wrong_answer_rejected(source: dict) -> None:
    right = quiz.check(source["id"], right_response(source))
    assert right.status == "correct", str(right)
    assert right.explanation == source["explanation"].strip()
    wrong = quiz.check(source["id"], wrong_response(source))
    assert wrong.status == "incorrect", str(wrong)
    assert wrong.explanation == ""


@pytest.mark.parametrize(
    "source", [q for q in QUESTIONS if q["type"] == "text"], ids=lambda q: q["id"]
)
def test_every_listed_spelling_is_accepted(source: dict) -> None:
    for variant in source["answer"]:
        assert quiz.check(source["id"], variant).correct, variant


def _key_texts(source: dict) -> list[str]:
    """The forms in which a key could be read off: text variants and numbers as written."""
    if source["type"] == "text":
        return [normalise_text(v) for v in source["answer"]]
    if source["type"] == "numeric":
        return [f"{source['answer']:g}"]
    return []


def _contains(haystack: str, needle: str, *, normalise: bool) -> bool:
    if normalise:
        return f" {needle} " in f" {normalise_text(haystack)} "
    return re.search(rf"(?<![\w.]){re.escape(needle)}(?![\w.])", haystack) is not None


QUIZ_CALLS = re.compile(r"\b(show|answer|check|progress)\(")
# Numbers that are names or counts, not facts: question ids ("energy-11", "after-2020-9")
# and the progress lines' counts ("0 of 11 correct"). They are blanked before the scan so
# that a lesson may have an eleventh question although some answer elsewhere is 11.
NOT_FACTS = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d+\b|\b\d+ of \d+ correct\b")


def _public_texts() -> dict[str, str]:
    """What a student can read that could give a quiz answer away, by place.

    - the package's Python code (text answers only: numbers collide with constants);
    - the human-readable text of every bank question (prompt, hint, section, options);
    - every code cell of the course and exercise notebooks, and the stored outputs of the
      cells that call the quiz (widget fallbacks, feedback, progress).

    Prose and data charts are left out on purpose: a lesson teaches the facts its quiz
    asks about, and a chart of election results names the candidates.
    """
    texts: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        texts[f"code {path.relative_to(ROOT)}"] = path.read_text(encoding="utf-8")
    for question in bank.all_questions().values():
        fields = [getattr(question, f) for f in HUMAN_FIELDS] + [c.text for c in question.choices]
        texts[f"bank {question.id}"] = "\n".join(fields)
    for folder in ("course", "exercises"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            notebook = nbformat.read(path, as_version=4)
            for number, cell in enumerate(notebook.cells):
                if cell.cell_type != "code":
                    continue
                text = cell.source
                if QUIZ_CALLS.search(cell.source):
                    # What the outputs show, without the cell's run number ("execution_count"),
                    # which counts code cells and says nothing about any answer.
                    shown = [
                        {k: v for k, v in output.items() if k != "execution_count"}
                        for output in cell.get("outputs", [])
                    ]
                    text += "\n" + json.dumps(shown, ensure_ascii=False)
                texts[f"{path.relative_to(ROOT)} cell {number}"] = NOT_FACTS.sub("_", text)
    return texts


PUBLIC = _public_texts()


def test_the_scan_covers_the_package_banks_and_notebooks() -> None:
    places = " ".join(PUBLIC)
    assert "code src/postsoviet/quiz/engine.py" in places
    assert "bank start-here-1" in places
    assert "course/00-start-here.ipynb cell" in places


@pytest.mark.parametrize("source", QUESTIONS, ids=IDS)
def test_no_key_is_readable_by_students(source: dict) -> None:
    """Text and numeric keys never appear in package code, bank text, or notebook code/output.

    Choice and ordering keys are letters, meaningful only next to their question: the bank
    schema forbids any answer field (tested in test_bank_schema_forbids_answer_fields), and
    every answer() call in a notebook is checked not to give the right answer.
    """
    normalise = source["type"] == "text"
    places = {p: t for p, t in PUBLIC.items() if normalise or not p.startswith("code ")}
    for key in _key_texts(source):
        leaks = [p for p, text in places.items() if _contains(text, key, normalise=normalise)]
        assert not leaks, f"{source['id']}: key {key!r} readable in {leaks}"


def test_ids_and_counts_are_blanked_but_a_number_beside_them_is_not() -> None:
    text = 'show("energy-11")  # 0 of 11 correct; answer: 11'
    assert NOT_FACTS.sub("_", text) == 'show("_")  # _; answer: 11'


def test_the_scan_reads_quiz_outputs_but_not_run_numbers() -> None:
    """A key in a quiz cell's stored output is found; the cell's run number is not text."""
    output = {
        "output_type": "execute_result",
        "execution_count": 11,
        "metadata": {},
        "data": {"text/plain": "0 of 11 correct; answer was 1918"},
    }
    kept = {k: v for k, v in output.items() if k != "execution_count"}
    text = NOT_FACTS.sub("_", json.dumps([kept]))
    assert "1918" in text and "11" not in text


def test_the_scan_finds_a_planted_key() -> None:
    source = next(q for q in QUESTIONS if q["type"] == "text")
    planted = {"planted": f"print('{source['answer'][0].upper()}!')"}
    key = _key_texts(source)[0]
    assert any(_contains(t, key, normalise=True) for t in planted.values())
    number = next(q for q in QUESTIONS if q["type"] == "numeric")
    assert _contains(f"x = {number['answer']}", _key_texts(number)[0], normalise=False)


@pytest.mark.parametrize("path", sorted((PACKAGE / "quiz" / "banks").glob("*.json")), ids=str)
def test_every_shipped_bank_matches_the_schema(path: Path) -> None:
    bank.validate_bank(json.loads(path.read_text(encoding="utf-8")))


def test_bank_schema_forbids_answer_fields() -> None:
    data = json.loads((PACKAGE / "quiz" / "banks" / f"{SOURCES[0].stem}.json").read_text())
    data["questions"][0]["answer"] = "b"
    with pytest.raises(bank.BankError, match="answer"):
        bank.parse_bank(data)


def _answer_calls(source_code: str) -> list[tuple[str, object]]:
    calls = []
    for node in ast.walk(ast.parse(source_code)):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "answer"
            and len(node.args) == 2
        ):
            try:
                calls.append((ast.literal_eval(node.args[0]), ast.literal_eval(node.args[1])))
            except ValueError:
                continue
    return calls


def test_notebook_examples_never_give_the_right_answer() -> None:
    examples = []
    for folder in ("course", "exercises"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "code" and "answer(" in cell.source:
                    examples += _answer_calls(cell.source.replace("%", "#"))
                elif cell.cell_type == "markdown":  # examples shown as inline code
                    for snippet in re.findall(r"`(answer\(.*?\))`", cell.source):
                        examples += _answer_calls(snippet)
    assert examples, "00-start-here should demonstrate answer() with a (wrong) example"
    for question_id, response in examples:
        assert not quiz.check(question_id, response).correct, (question_id, response)


def test_every_reasonable_way_of_typing_a_right_answer_is_accepted() -> None:
    """Generated forms of every key (letters with brackets, thousands, float noise...)."""
    rejected, total = [], 0
    for source in QUESTIONS:
        for typed in right_typings(source):
            total += 1
            feedback = quiz.check(source["id"], typed)
            if not feedback.correct:
                rejected.append(f"{source['id']}: {typed!r} -> {feedback}")
    assert total > 1000
    assert not rejected, f"{len(rejected)} of {total} rejected:\n" + "\n".join(rejected[:30])
