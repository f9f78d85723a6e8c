"""Loading the public quiz banks shipped inside the package.

One JSON file per lesson in ``banks/``, named like the lesson (``00-start-here.json``),
validated against ``bank.schema.json`` when first loaded.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from postsoviet.quiz.model import Accepted, Choice, Question, Sealed


class BankError(ValueError):
    """A quiz bank file is malformed; raised for authors, never for a student's answer."""


def lesson_slug(lesson: str) -> str:
    """``"03-flags"`` -> ``"flags"``: the prefix every question id of that lesson carries."""
    return re.sub(r"^[0-9]{2}-", "", lesson)


@cache
def bank_schema() -> dict[str, Any]:
    text = resources.files("postsoviet.quiz").joinpath("bank.schema.json").read_text("utf-8")
    return json.loads(text)


def parse_bank(data: dict[str, Any]) -> list[Question]:
    """Validate one bank's JSON and turn it into questions."""
    try:
        jsonschema.validate(data, bank_schema())
    except jsonschema.ValidationError as error:
        lesson = data.get("lesson", "?") if isinstance(data, dict) else "?"
        raise BankError(f"quiz bank {lesson!r} is invalid: {error.message}") from error
    lesson = data["lesson"]
    prefix = lesson_slug(lesson) + "-"
    questions = []
    for raw in data["questions"]:
        if not raw["id"].startswith(prefix):
            raise BankError(f"question {raw['id']!r} in {lesson} must start with {prefix!r}")
        questions.append(
            Question(
                id=raw["id"],
                lesson=lesson,
                type=raw["type"],
                prompt=raw["prompt"],
                hint=raw["hint"],
                section=raw["section"],
                salt=raw["salt"],
                accepted=tuple(Accepted(a["match"], a["key"]) for a in raw["accepted"]),
                explanation=Sealed(raw["explanation"]["nonce"], raw["explanation"]["ciphertext"]),
                choices=tuple(Choice(c["id"], c["text"]) for c in raw.get("choices", [])),
                unit=raw.get("unit", ""),
                decimals=raw.get("decimals", 0),
                members=tuple(raw.get("members", [])),
                positions=tuple(raw.get("positions", [])),
            )
        )
    return questions


@cache
def _all_questions() -> dict[str, Question]:
    questions: dict[str, Question] = {}
    folder = resources.files("postsoviet.quiz").joinpath("banks")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text("utf-8"))
        if data.get("lesson") != entry.name.removesuffix(".json"):
            raise BankError(f"{entry.name} declares lesson {data.get('lesson')!r}")
        for question in parse_bank(data):
            if question.id in questions:
                raise BankError(f"question id {question.id!r} is used twice")
            questions[question.id] = question
    return questions


def all_questions() -> dict[str, Question]:
    """Every question of every lesson, by id, in lesson order."""
    return dict(_all_questions())


def lessons() -> dict[str, list[str]]:
    """Question ids grouped by lesson name (``"00-start-here"``)."""
    grouped: dict[str, list[str]] = {}
    for question in _all_questions().values():
        grouped.setdefault(question.lesson, []).append(question.id)
    return grouped
