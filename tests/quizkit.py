"""Test helpers: build questions from inline sources, read the instructor's answer keys."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from postsoviet.quiz.authoring import load_source, public_question
from postsoviet.quiz.bank import parse_bank
from postsoviet.quiz.model import Question

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "solutions" / "quizzes").glob("*.yaml"))

BASE: dict[str, Any] = {
    "section": "A section",
    "prompt": "A prompt long enough to be valid?",
    "hint": "A useful hint.",
    "explanation": "Because the lesson says so, in detail.",
}


def make_question(**fields: Any) -> Question:
    """A public question made from an inline source entry (answers in plain text)."""
    source = {"id": "test-1", **BASE, **fields}
    bank = {"lesson": "99-test", "questions": [public_question(source, "0" * 32)]}
    return parse_bank(bank)[0]


def source_questions() -> list[dict[str, Any]]:
    """Every question of every instructor quiz source, with its plain answer."""
    return [q for path in SOURCES for q in load_source(path)["questions"]]


def right_response(source: dict[str, Any]) -> object:
    """The answer as a student would give it."""
    answer = source["answer"]
    return answer[0] if source["type"] == "text" else answer


def wrong_response(source: dict[str, Any]) -> object:
    """A well-formed response that must be rejected as incorrect."""
    kind, answer = source["type"], source["answer"]
    choices = list(source.get("choices", {}))
    if kind == "single":
        return next(c for c in choices if c != answer)
    if kind == "multiple":
        others = [c for c in choices if c not in answer]
        return [*answer, others[0]] if others else answer[:-1]
    if kind == "ordering":
        return list(reversed(answer))
    if kind == "text":
        return "zzzz not an answer"
    step = 10 ** -source.get("decimals", 0)
    return answer + source.get("tolerance", 0) + step


def course_checkout(dest: Path) -> Path:
    """A copy of what ``student-copy`` reads from the repository, for tests to change."""
    dest.mkdir(parents=True)
    for name in ("pyproject.toml", "environment.yml"):
        shutil.copy(ROOT / name, dest / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for folder in ("course", "exercises", "solutions", "src/postsoviet"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=ignore)
    return dest
