"""The study-time measure, and the lessons that state it.

A lesson's stated study time must be the measured one, and its reading must stay under the
course's limit, so neither can drift when a lesson is edited.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from postsoviet.notebooks import (
    MINUTES_PER_EXPLORER,
    MINUTES_PER_QUESTION,
    READING_WORDS_PER_MINUTE,
    NotebookBuildError,
    StudyTime,
    reading_words,
    study_time,
)

ROOT = Path(__file__).resolve().parent.parent
#: Lessons that state a measured study time. Add a lesson here when it does.
MEASURED_LESSONS = (
    "00-start-here",
    "01-the-article",
    "02-identity",
    "03-flags",
)
#: The reading limit per lesson (words), from the course's read-through.
READING_LIMIT = 2500

STATED = re.compile(r"Study time: about (\d+) minutes \(([\d,]+) words of reading")


def _write(tmp_path: Path, cells: list[nbformat.NotebookNode]) -> Path:
    nb = nbformat.v4.new_notebook(cells=cells)
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, path)
    return path


def test_reading_words_counts_link_text_not_addresses() -> None:
    assert reading_words("See [the Euronews report](https://www.euronews.com/a/b/c).") == 4
    assert reading_words("Read <https://example.org/very/long/address> now.") == 2


def test_reading_words_leaves_out_model_answers_and_sources() -> None:
    text = (
        "Two words.\n\n<details><summary>Model answers</summary>\n\nMany many words here.\n"
        "</details>\n\n**Sources.** 1. Belsat, 2020; 2. TASS, 31 July 2020.\n"
    )
    assert reading_words(text) == 2


def test_reading_words_keeps_hyphenated_and_decimal_words_whole() -> None:
    assert reading_words("white-red-white flag, 80.10% of 5,818,955") == 5


def test_study_time_adds_reading_explorers_and_questions(tmp_path: Path) -> None:
    words = " ".join(["word"] * 300)
    path = _write(
        tmp_path,
        [
            nbformat.v4.new_markdown_cell(words),
            nbformat.v4.new_code_cell('show("a-1")\nshow("a-2")'),
            nbformat.v4.new_code_cell("CensusExplorer()"),
            nbformat.v4.new_code_cell("ClaimsBoard()"),
            nbformat.v4.new_code_cell("# CensusExplorer() in a comment is not a call\nx = 1"),
        ],
    )
    measured = study_time(path)
    assert measured == StudyTime(words=300, explorers=2, questions=2)
    exact = 300 / READING_WORDS_PER_MINUTE + 2 * MINUTES_PER_EXPLORER + 2 * MINUTES_PER_QUESTION
    assert measured.minutes >= exact
    assert measured.minutes % 5 == 0 and measured.minutes - exact < 5
    assert measured.sentence().startswith(
        f"Study time: about {measured.minutes} minutes (300 words"
    )


def test_study_time_of_an_empty_notebook_is_not_zero(tmp_path: Path) -> None:
    assert study_time(_write(tmp_path, [])).minutes == 5


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "does not exist"),
        ("not json", "not valid notebook JSON"),
        (json.dumps({"cells": "nope"}), "not a notebook"),
    ],
)
def test_study_time_of_a_bad_file_is_one_sentence(
    tmp_path: Path, content: str | None, says: str
) -> None:
    path = tmp_path / "broken.ipynb"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(NotebookBuildError, match=says):
        study_time(path)


def _intro(name: str) -> str:
    nb = nbformat.read(ROOT / "course" / f"{name}.ipynb", as_version=4)
    return nb.cells[0].source


@pytest.mark.parametrize("name", MEASURED_LESSONS)
def test_lesson_states_its_measured_study_time(name: str) -> None:
    measured = study_time(ROOT / "course" / f"{name}.ipynb")
    found = STATED.search(_intro(name))
    assert found, f"{name}: the first cell should state {measured.sentence()!r}"
    assert int(found.group(1)) == measured.minutes, f"{name}: state {measured.sentence()!r}"
    assert int(found.group(2).replace(",", "")) == measured.words, (
        f"{name}: {measured.sentence()!r}"
    )


@pytest.mark.parametrize("name", MEASURED_LESSONS)
def test_lesson_reading_stays_under_the_limit(name: str) -> None:
    measured = study_time(ROOT / "course" / f"{name}.ipynb")
    assert measured.words <= READING_LIMIT, (
        f"{name} has {measured.words} words of reading; the limit is {READING_LIMIT}: "
        "shorten it or split it into two parts"
    )


def test_a_lesson_without_explorers_says_so_in_words() -> None:
    sentence = StudyTime(words=300, explorers=0, questions=2).sentence()
    assert "no explorer," in sentence and "0 explorers" not in sentence
    assert "1 explorer at 5 minutes" in StudyTime(words=300, explorers=1, questions=2).sentence()
