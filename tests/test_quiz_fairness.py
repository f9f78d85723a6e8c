"""Fair quiz keys: guessing by letter or by length, or reading the line above, gains little.

The numbers are the authoring guide's (docs/authoring.md, "Writing a fair question"):

- no letter is the key of more than 30% of single-choice questions course-wide, and no lesson
  keys every one of its single-choice questions with the same letter;
- the key is the single longest option (for multiple select: the chosen options are exactly
  the longest ones) in at most a third of the choice questions;
- no key can be read in the markdown cells just above its quiz cell in the lesson.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import nbformat
import pytest

from postsoviet.quiz.responses import normalise_text

from quizkit import ROOT, SOURCES, source_questions

MAX_LETTER_SHARE = 0.30
MAX_LONGEST_SHARE = 1 / 3
QUESTIONS = source_questions()
CHOICE = [q for q in QUESTIONS if q["type"] in ("single", "multiple")]
SHOW = re.compile(r"""\bshow\(\s*["']([a-z0-9-]+)["']""")


def letter_shares(questions: list[dict[str, Any]]) -> dict[str, float]:
    """Each key letter's share of the single-choice questions."""
    keys = Counter(q["answer"] for q in questions if q["type"] == "single")
    total = sum(keys.values())
    return {letter: count / total for letter, count in keys.items()}


def same_letter_lessons(sources: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Lessons with two or more single-choice questions that are all keyed with one letter."""
    flagged = []
    for lesson, questions in sources.items():
        keys = [q["answer"] for q in questions if q["type"] == "single"]
        if len(keys) >= 2 and len(set(keys)) == 1:
            flagged.append(lesson)
    return flagged


def longest_is_key(question: dict[str, Any]) -> bool:
    """Would picking the longest option(s) answer this question?

    Single choice: the key is longer than every other option. Multiple select: the options
    chosen are exactly the k longest, each longer than every option left out.
    """
    lengths = {k: len(v.strip()) for k, v in question["choices"].items()}
    keys = {question["answer"]} if question["type"] == "single" else set(question["answer"])
    others = [n for k, n in lengths.items() if k not in keys]
    return bool(others) and min(lengths[k] for k in keys) > max(others)


def _by_lesson() -> dict[str, list[dict[str, Any]]]:
    import yaml

    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
        for path in SOURCES
    }


def test_no_letter_is_the_key_too_often() -> None:
    shares = letter_shares(QUESTIONS)
    assert max(shares.values()) <= MAX_LETTER_SHARE, shares


def test_no_lesson_keys_every_single_choice_question_alike() -> None:
    assert same_letter_lessons(_by_lesson()) == []


def test_the_longest_option_is_rarely_the_key() -> None:
    longest = [q["id"] for q in CHOICE if longest_is_key(q)]
    assert len(longest) <= MAX_LONGEST_SHARE * len(CHOICE), longest
    for kind in ("single", "multiple"):
        of_kind = [q for q in CHOICE if q["type"] == kind]
        hits = [q["id"] for q in of_kind if longest_is_key(q)]
        assert len(hits) <= MAX_LONGEST_SHARE * len(of_kind), (kind, hits)


def test_every_question_offers_distinct_options() -> None:
    for question in CHOICE + [q for q in QUESTIONS if q["type"] == "ordering"]:
        texts = [normalise_text(t) for t in question["choices"].values()]
        assert len(texts) >= 3 and len(set(texts)) == len(texts), question["id"]


# --- the metrics themselves catch what they are for ---------------------------------------


def _single(answer: str, **choices: str) -> dict[str, Any]:
    return {"id": "x-1", "type": "single", "answer": answer, "choices": choices}


def test_the_metrics_flag_a_test_wise_bank() -> None:
    """The bank the course had before: most keys "b", and the key the longest option."""
    bank = [_single("b", a="no", b="the long right answer", c="nope") for _ in range(5)]
    bank.append(_single("a", a="short", b="longer one"))
    assert letter_shares(bank)["b"] > MAX_LETTER_SHARE
    assert same_letter_lessons({"99-test": bank[:5]}) == ["99-test"]
    assert [longest_is_key(q) for q in bank] == [True] * 5 + [False]
    multiple = {"type": "multiple", "answer": ["a", "c"],
                "choices": {"a": "long option one", "b": "no", "c": "long option two", "d": "x"}}
    assert longest_is_key(multiple)
    assert not longest_is_key({**multiple, "answer": ["a", "b"]})


# --- nothing to read off next to the question ---------------------------------------------


def key_texts(question: dict[str, Any]) -> list[str]:
    """What a key looks like in prose: text variants (folded), numbers, a choice key's text."""
    kind, answer = question["type"], question["answer"]
    if kind == "text":
        return [normalise_text(v) for v in answer]
    if kind == "numeric":
        decimals = question.get("decimals", 0)
        forms = {f"{answer:g}", f"{answer:.{decimals}f}", f"{answer:,.{decimals}f}"}
        return sorted(forms)
    if kind == "single":
        return [normalise_text(question["choices"][answer])]
    return []


def _readable_in(text: str, key: str, question: dict[str, Any]) -> bool:
    if question["type"] == "numeric":
        return re.search(rf"(?<![\w.,]){re.escape(key)}(?![\w]|[.,]\d)", text) is not None
    return f" {key} " in f" {normalise_text(text)} "


def _text_right_before_quizzes() -> list[tuple[str, str, str]]:
    """(lesson, question id, the markdown cells directly above the cell that shows it)."""
    found = []
    for path in sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        for index, cell in enumerate(cells):
            if cell.cell_type != "code":
                continue
            above = []
            for before in reversed(cells[:index]):
                if before.cell_type != "markdown":
                    break
                above.insert(0, before.source)
            for question_id in SHOW.findall(cell.source):
                found.append((path.name, question_id, "\n".join(above)))
    return found


# The introductory lesson teaches how to answer: its questions check the reading of the
# short summary just above them on purpose. Every other lesson must make the student recall
# or work the answer out (docs/authoring.md).
READING_CHECKS = {"00-start-here.ipynb"}
ABOVE = [found for found in _text_right_before_quizzes() if found[0] not in READING_CHECKS]
BY_ID = {q["id"]: q for q in QUESTIONS}


def test_every_quiz_question_is_shown_in_a_lesson() -> None:
    shown = {question_id for _, question_id, _ in _text_right_before_quizzes()}
    assert shown >= set(BY_ID), set(BY_ID) - shown


@pytest.mark.parametrize(("lesson", "question_id", "above"), ABOVE, ids=[a[1] for a in ABOVE])
def test_no_key_is_printed_just_above_its_question(lesson: str, question_id: str, above: str):
    question = BY_ID.get(question_id)
    if question is None:  # a lesson id such as show("00-start-here")
        return
    readable = [key for key in key_texts(question) if _readable_in(above, key, question)]
    assert not readable, f"{lesson}: {question_id}'s key {readable} is in the text just above it"


def test_the_scan_finds_a_key_printed_above(tmp_path: Path) -> None:
    question = {"id": "x-1", "type": "numeric", "answer": 2021, "decimals": 0}
    assert _readable_in("published on 17 November 2021.", "2021", question)
    assert not _readable_in("published on 17 November 20210.", "2021", question)
    text = {"id": "x-2", "type": "text", "answer": ["Ukraine"]}
    assert _readable_in("a sting by Ukraine's intelligence", key_texts(text)[0], text)
