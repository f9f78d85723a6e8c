"""Checking one response against one question: a pure function that never raises."""

from __future__ import annotations

from postsoviet.quiz import sealing
from postsoviet.quiz.model import Feedback, Question
from postsoviet.quiz.responses import Unreadable, read

STUCK_AFTER = 3


def _unlock(question: Question, canonical: str) -> str | None:
    """The explanation if ``canonical`` is an accepted answer, else ``None``."""
    wanted = sealing.match_hash(question.salt, question.id, canonical)
    for accepted in question.accepted:
        if accepted.match == wanted:
            key = sealing.unwrap_key(accepted.wrapped_key, question.salt, question.id, canonical)
            return sealing.unseal(question.explanation.nonce, question.explanation.ciphertext, key)
    return None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _what_was_wrong(question: Question, canonical: str) -> tuple[str, tuple[str, ...]]:
    """A message for a wrong answer that helps without giving the answer away."""
    if question.type == "multiple":
        chosen = canonical.split(",")
        members = set(question.members)
        right = sum(sealing.member_hash(question.salt, question.id, c) in members for c in chosen)
        wrong = len(chosen) - right
        missed = len(members) - right
        parts = []
        if wrong:
            verb = "does" if wrong == 1 else "do"
            parts.append(f"{_plural(wrong, 'choice')} of yours {verb} not belong")
        if missed:
            verb = "is" if missed == 1 else "are"
            parts.append(f"{_plural(missed, 'right option')} {verb} still missing")
        return "; ".join(parts).capitalize() + ".", ()
    if question.type == "ordering":
        order = canonical.split(",")
        placed = sum(
            sealing.position_hash(question.salt, question.id, i, item) == expected
            for i, (item, expected) in enumerate(zip(order, question.positions, strict=True))
        )
        return f"{placed} of {len(order)} items are in the right place.", ()
    notes: tuple[str, ...] = ()
    if question.type == "numeric" and question.unit == "%":
        value = float(canonical)
        if 0 < abs(value) < 1:
            notes = ("This asks for a percentage: 80% is written 80, not 0.8.",)
    return "That is not the answer.", notes


def check(question: Question, response: object, *, attempts: int = 0) -> Feedback:
    """Check ``response`` against ``question`` and say why, in words.

    ``attempts`` is how many wrong attempts came before this one; once a student has
    been stuck for a while the feedback points back to the lesson section. Unreadable
    responses come back with status ``invalid`` and do not count as attempts.
    """
    reading = read(question, response)
    if isinstance(reading, Unreadable):
        return Feedback(question.id, "invalid", reading.reason, attempts=attempts)
    explanation = _unlock(question, reading)
    if explanation is not None:
        return Feedback(
            question.id, "correct", "Well done.", explanation=explanation, attempts=attempts + 1
        )
    message, notes = _what_was_wrong(question, reading)
    if attempts + 1 >= STUCK_AFTER:
        notes = (*notes, f"Still stuck? Re-read the section \u201c{question.section}\u201d.")
    return Feedback(
        question.id, "incorrect", message, hint=question.hint, attempts=attempts + 1, notes=notes
    )
