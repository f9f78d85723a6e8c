"""The data model of a quiz question and of the feedback a student gets.

Questions are loaded from the public banks (``banks/*.json``), which hold everything a
student may see (prompt, options, hint) plus salted hashes of the accepted answers and
the explanation sealed with a key that only a correct answer unlocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

QuestionType = Literal["single", "multiple", "numeric", "text", "ordering"]
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "numeric", "text", "ordering")

TYPE_LABELS: dict[str, str] = {
    "single": "choose one",
    "multiple": "choose all that apply",
    "numeric": "type a number",
    "text": "type a word or name",
    "ordering": "put in order",
}


@dataclass(frozen=True)
class Choice:
    """An option of a choice question or an item of an ordering question."""

    id: str
    text: str


@dataclass(frozen=True)
class Accepted:
    """One accepted answer: its match hash and the content key wrapped for it."""

    match: str
    wrapped_key: str


@dataclass(frozen=True)
class Sealed:
    """The explanation, encrypted so that only a correct answer reveals it."""

    nonce: str
    ciphertext: str


@dataclass(frozen=True)
class Question:
    """A public question: nothing here gives the correct answer away in plain text."""

    id: str
    lesson: str
    type: QuestionType
    prompt: str
    hint: str
    section: str
    salt: str
    accepted: tuple[Accepted, ...]
    explanation: Sealed
    choices: tuple[Choice, ...] = ()
    unit: str = ""
    decimals: int = 0
    # Multiple select: one hash per correct option, so feedback can count right picks.
    members: tuple[str, ...] = ()
    # Ordering: one hash per position, so feedback can count items in the right place.
    positions: tuple[str, ...] = ()

    def choice_ids(self) -> list[str]:
        return [choice.id for choice in self.choices]


Status = Literal["correct", "incorrect", "invalid"]

_MARKS: dict[str, str] = {"correct": "✓", "incorrect": "✗", "invalid": "?"}
_HEADINGS: dict[str, str] = {
    "correct": "Correct.",
    "incorrect": "Not quite.",
    "invalid": "I could not read that answer.",
}


@dataclass(frozen=True)
class Feedback:
    """What a student is told after one response.

    ``status`` is ``correct``, ``incorrect`` or ``invalid`` (the response could not be
    read as an answer to this question, so it does not count as an attempt). The text
    form always starts with a symbol and a word, so the verdict never relies on colour.
    """

    question_id: str
    status: Status
    message: str
    hint: str = ""
    explanation: str = ""
    attempts: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def mark(self) -> str:
        return _MARKS[self.status]

    @property
    def heading(self) -> str:
        return _HEADINGS[self.status]

    def lines(self) -> list[str]:
        """The feedback as short lines of plain text, verdict first."""
        lines = [f"{self.mark} {self.heading} {self.message}".strip()]
        lines.extend(self.notes)
        if self.hint:
            lines.append(f"Hint: {self.hint}")
        if self.explanation:
            lines.append(f"Why: {self.explanation}")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())
