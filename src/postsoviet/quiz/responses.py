"""Reading a student's response: from whatever was typed or passed to a canonical form.

Every function here returns either the canonical form (a string the answer hashes were
made from) or an :class:`Unreadable` carrying one sentence that says what to do instead.
None of them raises, whatever the input: ``None``, ``""``, ``"80,1"``, ``"80.1%"``,
``"  1995 "``, Cyrillic, a list where a string was expected, or 10,000 characters.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Real

from unidecode import unidecode

from postsoviet.quiz.model import Question

MAX_LENGTH = 300
MAX_MAGNITUDE = Decimal(10) ** 15


@dataclass(frozen=True)
class Unreadable:
    """A response that cannot be read as an answer; ``reason`` is a full sentence."""

    reason: str


Reading = str | Unreadable


def _describe(value: object) -> str:
    """A short, safe description of a value for use inside a sentence."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"a {type(value).__name__} of {len(value)} item{'s' if len(value) != 1 else ''}"
    return f"a value of type {type(value).__name__}"


def _common_problem(response: object) -> Unreadable | None:
    """Problems shared by every question type: nothing given, or far too much."""
    if response is None:
        return Unreadable("No answer was given yet: put your answer between the brackets.")
    if isinstance(response, str):
        if not response.strip():
            return Unreadable("The answer is empty: type your answer and try again.")
        if len(response) > MAX_LENGTH:
            return Unreadable(
                f"The answer is {len(response):,} characters long; answers here are a few "
                "words or a number at most."
            )
    if isinstance(response, bytes):
        return Unreadable("The answer is bytes, not text: type it as ordinary text in quotes.")
    return None


# --- text -------------------------------------------------------------------------------

_FOLDS = (
    # Transliteration systems disagree on these; folding both sides makes
    # "Mahiliou", "Mogiliov" and "Магілёў" comparable once each form's
    # remaining spelling is listed as a variant in the key.
    (re.compile(r"[ij]a"), "ya"),
    (re.compile(r"[ij]u"), "yu"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"zh"), "z"),
    (re.compile(r"ch"), "c"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ts"), "c"),
)


def normalise_text(text: str) -> str:
    """Fold a short text for comparison: script, case, accents, punctuation, spacing.

    Cyrillic and Belarusian Latin letters are transliterated with Unidecode, then a few
    spelling differences between romanisation systems are folded away.
    """
    text = unicodedata.normalize("NFKC", text)
    folded = unidecode(text).casefold()
    folded = re.sub(r"[^a-z0-9]+", " ", folded).strip()
    for pattern, replacement in _FOLDS:
        folded = pattern.sub(replacement, folded)
    return folded


def read_text(question: Question, response: object) -> Reading:
    problem = _common_problem(response)
    if problem:
        return problem
    if not isinstance(response, str):
        return Unreadable(
            f'This question asks for a word or name in quotes, like "Minsk"; '
            f"you gave {_describe(response)}."
        )
    canonical = normalise_text(response)
    if not canonical:
        return Unreadable("The answer has no letters or digits in it: type a word or name.")
    return canonical


# --- numbers ----------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f_']+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _strip_unit(text: str, unit: str) -> tuple[str, str]:
    """Split a trailing unit or percent sign off ``text``; returns (number, unit found)."""
    match = re.fullmatch(r"(.*?\d\.?)\s*([^\d\s.,+-][^\d]*)?", text.strip())
    if not match:
        return text.strip(), ""
    return match.group(1), (match.group(2) or "").strip()


def _parse_decimal(text: str) -> Decimal | None:
    compact = _SPACES.sub("", text).replace("\u2212", "-")
    if "," in compact and "." in compact:
        # The last separator is the decimal mark: "4,661.5" or "4.661,5".
        decimal_mark = "," if compact.rfind(",") > compact.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        compact = compact.replace(thousands, "").replace(decimal_mark, ".")
    elif compact.count(",") > 1:
        compact = compact.replace(",", "")  # thousands: "4,661,075"
    else:
        compact = compact.replace(",", ".")  # decimal comma: "80,1"
    if not _NUMBER.fullmatch(compact):
        return None
    try:
        return Decimal(compact)
    except InvalidOperation:
        return None


def _units_match(found: str, unit: str) -> bool:
    def simplify(u: str) -> str:
        return re.sub(r"[\s.]+", "", u.casefold()).replace("percent", "%").replace("per cent", "%")

    return (
        not found
        or simplify(found) == simplify(unit)
        or (simplify(unit) != "" and simplify(found) in simplify(unit).split("/"))
    )


def read_number(question: Question, response: object) -> Reading:
    """Canonical form: the number rounded to the question's decimals, e.g. ``"80.10"``."""
    problem = _common_problem(response)
    if problem:
        return problem
    if isinstance(response, bool):
        return Unreadable(f"{response} is not a number: type a number such as 12 or 3.5.")
    if isinstance(response, (Real, Decimal)):
        if isinstance(response, float) and not math.isfinite(response):
            return Unreadable("That is not a finite number: type an ordinary number.")
        value = Decimal(str(response))
    elif isinstance(response, str):
        number_text, found_unit = _strip_unit(response, question.unit)
        if found_unit and not _units_match(found_unit, question.unit):
            wanted = f"in {question.unit}" if question.unit else "as a plain number"
            return Unreadable(
                f"The answer carries the unit {found_unit!r}, but this question asks for a "
                f"value {wanted}."
            )
        parsed = _parse_decimal(number_text)
        if parsed is None:
            return Unreadable(
                f"I could not read a number in {_describe(response)}: type just the number, "
                "for example 12 or 3.5."
            )
        value = parsed
    else:
        return Unreadable(f"This question asks for one number; you gave {_describe(response)}.")
    if not value.is_finite():
        return Unreadable("That is not a finite number: type an ordinary number.")
    if abs(value) >= MAX_MAGNITUDE:
        return Unreadable("That number is far too large to be the answer here.")
    if value != 0 and value.normalize().as_tuple().exponent < -question.decimals:
        return Unreadable(
            "This question asks for a whole number: round your answer."
            if question.decimals == 0
            else f"This question asks for at most {question.decimals} decimal "
            f"place{'s' if question.decimals > 1 else ''}: round your answer."
        )
    return format_number(value, question.decimals)


def format_number(value: Decimal | float | int, decimals: int) -> str:
    """Round half up to ``decimals`` places: the grid on which answers are hashed."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # "-0.0" and "0.0" are the same answer
    return f"{rounded:.{decimals}f}"


# --- choices and orderings ----------------------------------------------------------------


def _split_ids(response: object) -> list[object] | Unreadable:
    """A list of option ids from a list/tuple/set, or from text like "a, c" or "a c"."""
    if isinstance(response, str):
        parts = [p for p in re.split(r"[\s,;]+", response.strip()) if p]
        if len(parts) == 1 and len(parts[0]) > 1 and parts[0].isalpha():
            parts = list(parts[0])  # "acd"
        return parts
    if isinstance(response, (list, tuple, set, frozenset)):
        return (
            sorted(response, key=str) if isinstance(response, (set, frozenset)) else list(response)
        )
    return Unreadable(
        f'Give the letters of your choices, like ["a", "c"] or "a, c"; you gave '
        f"{_describe(response)}."
    )


def _match_choice(question: Question, item: object) -> str | None:
    """The id of the option ``item`` names: by its letter, or by its full text."""
    if not isinstance(item, str):
        return None
    wanted = item.strip().casefold().rstrip(")").strip()
    for choice in question.choices:
        if wanted == choice.id.casefold():
            return choice.id
    wanted_text = normalise_text(item)
    for choice in question.choices:
        if wanted_text and wanted_text == normalise_text(choice.text):
            return choice.id
    return None


def _letters(question: Question) -> str:
    return ", ".join(f'"{c}"' for c in question.choice_ids())


def read_single(question: Question, response: object) -> Reading:
    problem = _common_problem(response)
    if problem:
        return problem
    if isinstance(response, (list, tuple, set, frozenset)):
        if len(response) == 1:
            return read_single(question, next(iter(response)))
        return Unreadable(
            f"This question takes one option, but you gave {_describe(response)}: choose one of "
            f"{_letters(question)}."
        )
    matched = _match_choice(question, response)
    if matched is None:
        return Unreadable(
            f"{_describe(response)} is not one of the options: answer with one of "
            f"{_letters(question)}."
        )
    return matched


def _read_ids(question: Question, response: object) -> list[str] | Unreadable:
    problem = _common_problem(response)
    if problem:
        return problem
    items = _split_ids(response)
    if isinstance(items, Unreadable):
        return items
    if not items:
        return Unreadable(f"No option was chosen: choose from {_letters(question)}.")
    ids: list[str] = []
    for item in items:
        matched = _match_choice(question, item)
        if matched is None:
            return Unreadable(
                f"{_describe(item)} is not one of the options; the options are "
                f"{_letters(question)}."
            )
        ids.append(matched)
    return ids


def read_multiple(question: Question, response: object) -> Reading:
    """Canonical form: the chosen option ids, sorted and comma-joined."""
    ids = _read_ids(question, response)
    if isinstance(ids, Unreadable):
        return ids
    return ",".join(sorted(set(ids)))


def read_ordering(question: Question, response: object) -> Reading:
    """Canonical form: the item ids in the order given, comma-joined."""
    ids = _read_ids(question, response)
    if isinstance(ids, Unreadable):
        return ids
    expected = set(question.choice_ids())
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        return Unreadable(
            f"Each item goes in one place only, but {_quoted(repeated)} appears more than once."
        )
    missing = [i for i in question.choice_ids() if i not in ids]
    if missing:
        return Unreadable(
            f"Put all {len(expected)} items in order; {_quoted(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing."
        )
    return ",".join(ids)


def _quoted(ids: Iterable[str]) -> str:
    return ", ".join(f'"{i}"' for i in ids)


READERS = {
    "single": read_single,
    "multiple": read_multiple,
    "numeric": read_number,
    "text": read_text,
    "ordering": read_ordering,
}


def read(question: Question, response: object) -> Reading:
    """Read ``response`` for ``question``; never raises."""
    try:
        return READERS[question.type](question, response)
    except Exception:  # a last guard: a student's odd object must never crash the quiz
        return Unreadable(
            f"I could not read {_describe(response)} as an answer: type it as text or a number."
        )
