"""Test helpers: build questions from inline sources, read the instructor's answer keys."""

from __future__ import annotations

import math
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from postsoviet import student_copy
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


def _letter_forms(letter: str, text: str) -> list[str]:
    return [letter, letter.upper(), f" {letter} ", f"({letter})", f"{letter}.", f"{letter})",
            f"[{letter}]", f"{letter}:", f"{letter}) {text}", f"({letter}) {text}",
            f"{letter}. {text}"]


def _number_forms(source: dict[str, Any]) -> list[object]:
    decimals, unit = source.get("decimals", 0), source["unit"]
    tolerance = source.get("tolerance", 0)
    forms: list[object] = []
    for value in (source["answer"], source["answer"] - tolerance, source["answer"] + tolerance):
        value = round(value, decimals)
        text = f"{value:.{decimals}f}"
        forms += [text, f" {text} ", value, float(value),
                  math.nextafter(float(value), -math.inf),  # 12.699999999999998
                  math.nextafter(math.nextafter(float(value), math.inf), math.inf),
                  float(Decimal(text) / 3 * 3)]
        if decimals:
            forms.append(text.replace(".", ","))  # decimal comma
        if abs(value) >= 1000:
            forms += [f"{value:,.{decimals}f}", f"{value:,.{decimals}f}".replace(",", " ")]
        if unit:
            forms += [f"{text}{unit}", f"{text} {unit}"]
    return forms


def right_typings(source: dict[str, Any]) -> list[object]:
    """The ways a student might reasonably type the right answer to one source question."""
    kind, answer = source["type"], source["answer"]
    choices = source.get("choices", {})
    if kind == "single":
        text = choices[answer]
        return [*_letter_forms(answer, text), text, text.upper(), f"{text}.", [answer], (answer,)]
    if kind in ("multiple", "ordering"):
        keys = sorted(answer) if kind == "multiple" else list(answer)
        forms: list[object] = [list(keys), tuple(keys), ", ".join(keys), " ".join(keys),
                               "".join(keys), ",".join(k.upper() for k in keys),
                               " ".join(f"({k})" for k in keys), ", ".join(f"{k}." for k in keys),
                               " and ".join(keys), [f"{k})" for k in keys],
                               [choices[k] for k in keys]]
        if kind == "multiple":
            forms += [set(keys), list(reversed(keys))]
        if not any("," in choices[k] for k in keys):
            forms.append(", ".join(f"{k}) {choices[k]}" for k in keys))
        return forms
    if kind == "text":
        forms = []
        for variant in answer:
            forms += [variant, variant.upper(), f" {variant}. ", f'"{variant}"']
            if not variant.casefold().startswith(("a ", "an ", "the ")):
                forms += [f"the {variant}", f"The {variant}", variant.replace(" ", "")]
        return forms
    return _number_forms(source)


def course_checkout(dest: Path) -> Path:
    """A copy of what ``student-copy`` reads from the repository, for tests to change."""
    dest.mkdir(parents=True)
    for name in student_copy.FILES:
        shutil.copy(ROOT / name, dest / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for folder in (*student_copy.FOLDERS, "solutions"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=ignore)
    return dest
