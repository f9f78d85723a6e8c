"""Reading a student's response: from whatever was typed or passed to a canonical form.

Every function here returns either the canonical form (a string the answer hashes were
made from) or an :class:`Unreadable` carrying one sentence that says what to do instead.
None of them raises, whatever the input: ``None``, ``""``, ``"80,1"``, ``"80.1%"``,
``"  1995 "``, Cyrillic, a list where a string was expected, 10,000 characters, or an
object built to fail (its ``__len__``, ``__repr__`` or ``__class__`` raising): :func:`read`
first copies the response into plain built-in values (:func:`plain`), so no method of the
student's object runs after that.

The right answer is accepted in every reasonable form: ``1,918`` where a whole number is
asked, ``12.699999999999998`` computed by pandas, ``(c)``, ``c.``, ``c) <option text>``,
``the Kremlin``, ``civilsociety``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import islice
from numbers import Real

from unidecode import unidecode

from postsoviet.quiz.model import Question

MAX_LENGTH = 300
MAX_ITEMS = 60  # far more options than any question has; more is refused unread
MAX_MAGNITUDE = Decimal(10) ** 15
# Digits beyond the asked decimals that are this close to the grid are floating-point
# noise (0.1 * 127 == 12.700000000000001), not a more precise answer.
NOISE = Decimal("1e-9")


@dataclass(frozen=True)
class Unreadable:
    """A response that cannot be read as an answer; ``reason`` is a full sentence."""

    reason: str


Reading = str | Unreadable


# --- plain values: nothing of the student's object runs after this ------------------------


@dataclass(frozen=True)
class Opaque:
    """Stands in for a value that is not a plain str, number or list (a dict, an object)."""

    type_name: str


@dataclass(frozen=True)
class Items:
    """A list, tuple or set copied into a plain tuple; ``kind`` is the original's type name."""

    kind: str
    values: tuple[object, ...]


_CONTAINERS: tuple[tuple[type, str], ...] = (
    (list, "list"),
    (tuple, "tuple"),
    (frozenset, "frozenset"),
    (set, "set"),
)


def _type_name(value: object) -> str:
    try:
        return str(type.__getattribute__(type(value), "__name__"))
    except Exception:  # a metaclass that breaks even this
        return "unknown"


def _container(kind: type) -> str:
    return next((name for base, name in _CONTAINERS if issubclass(kind, base)), "")


def _plain_scalar(value: object) -> object:
    """``value`` as an exact built-in (str, int, float, Decimal, bytes, bool, None) or Opaque."""
    kind = type(value)  # type() cannot be fooled by a __class__ property
    if value is None or kind in (str, int, float, bool, bytes, Decimal):
        return value
    if issubclass(kind, str):
        return str.__str__(value)  # an exact copy: the subclass's methods never run again
    if issubclass(kind, bytes):
        return bytes.__bytes__(value)
    if issubclass(kind, Decimal):
        return Decimal(Decimal.__str__(value))
    if issubclass(kind, int):
        return int.__index__(value)
    if issubclass(kind, float):  # numpy.float64
        return float.__float__(value)
    if _container(kind) or issubclass(kind, dict):
        return Opaque(_container(kind) or "dict")
    if isinstance(value, Real):  # numpy.int32 and friends, registered with numbers.Real
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return Opaque(_type_name(value))


def plain(response: object) -> object | Unreadable:
    """A copy of ``response`` made only of built-in values (lists become :class:`Items`).

    At most ``MAX_ITEMS`` items are read, so a list of 40,000 items is refused at once;
    anything that fails while being copied is unreadable, with a sentence.
    """
    try:
        kind = type(response)
        name = _container(kind)
        if not name:
            return _plain_scalar(response)
        items = list(islice(iter(response), MAX_ITEMS + 1))  # never calls __len__
        if len(items) > MAX_ITEMS:
            return Unreadable(
                f"That is more than {MAX_ITEMS} items, and no question here has that many "
                "options: give just the letters you mean."
            )
        values = tuple(_plain_scalar(item) for item in items)
        if name in ("set", "frozenset"):
            values = tuple(sorted(values, key=repr))
        return Items(name, values)
    except Exception:  # an object built to fail while being read
        return Unreadable(
            f"I could not read the value you gave (of type {_type_name(response)}): "
            "type your answer as text in quotes, or as a number."
        )


def _describe(value: object) -> str:
    """A short description of a plain value (see :func:`plain`) for use inside a sentence."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, Items):
        count = len(value.values)
        return f"a {value.kind} of {count} item{'s' if count != 1 else ''}"
    if isinstance(value, Opaque):
        return f"a value of type {value.type_name}"
    # In words a student knows: "the number 3", not "a value of type int".
    if value is None:
        return "nothing (None)"
    if isinstance(value, bool):
        return f"{value} (a yes/no value)"
    if isinstance(value, (int, float, Decimal)):
        return f"the number {value}"
    return f"a value of type {_type_name(value)}"


def _capitalised(text: str) -> str:
    """``text`` to start a sentence, which in the feedback follows another one."""
    return text[:1].upper() + text[1:]


def _longest_answer(question: Question) -> int:
    """How long a typed answer may be: a few words, or every option copied out with its text."""
    return max(MAX_LENGTH, 2 * sum(len(choice.text) + 6 for choice in question.choices))


def _common_problem(question: Question, response: object) -> Unreadable | None:
    """Problems shared by every question type: nothing given, or far too much."""
    if response is None:
        return Unreadable("No answer was given yet: put your answer between the brackets.")
    if isinstance(response, str):
        if not response.strip():
            return Unreadable("The answer is empty: type your answer and try again.")
        if len(response) > _longest_answer(question):
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
_ARTICLE = re.compile(r"^(?:the|an?) (?=\S)")


def _words(text: str) -> str:
    """Lower-case Latin letters and digits in single-spaced words, from any script."""
    folded = unidecode(unicodedata.normalize("NFKC", text)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


def _fold(text: str) -> str:
    for pattern, replacement in _FOLDS:
        text = pattern.sub(replacement, text)
    return text


def normalise_text(text: str) -> str:
    """Fold a short text for comparison: script, case, accents, punctuation, spacing.

    Cyrillic and Belarusian Latin letters are transliterated with Unidecode, then a few
    spelling differences between romanisation systems are folded away. Words stay
    separated by single spaces, so phrases can still be searched for.
    """
    return _fold(_words(text))


def canonical_text(text: str) -> str:
    """The form a text answer is hashed in: folded, without a leading article or spaces.

    "The Kremlin", "kremlin" and "Кремль" are one answer; so are "civil society" and
    "civilsociety". Spaces go before the spelling folds, so both forms fold alike.
    """
    return _fold(_ARTICLE.sub("", _words(text)).replace(" ", ""))


def read_text(question: Question, response: object) -> Reading:
    problem = _common_problem(question, response)
    if problem:
        return problem
    if not isinstance(response, str):
        return Unreadable(
            f'This question asks for a word or name in quotes, like "Minsk"; '
            f"you gave {_describe(response)}."
        )
    canonical = canonical_text(response)
    if not canonical:
        return Unreadable("The answer has no letters or digits in it: type a word or name.")
    return canonical


# --- numbers ----------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f_']+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+")


def _strip_unit(text: str) -> tuple[str, str]:
    """Split a trailing unit or percent sign off ``text``; returns (number, unit found)."""
    match = re.fullmatch(r"(.*?\d\.?)\s*([^\d\s.,+-][^\d]*)?", text.strip())
    if not match:
        return text.strip(), ""
    return match.group(1), (match.group(2) or "").strip()


def _parse_decimal(text: str, decimals: int) -> Decimal | None:
    """A number as typed, with either decimal mark and any usual thousands separator.

    One comma is a decimal comma ("80,1"), except where the question asks for a whole
    number and the comma is followed by groups of three digits ("1,918", "3,426").
    """
    compact = _SPACES.sub("", text).replace("\u2212", "-")
    if "," in compact and "." in compact:
        # The last separator is the decimal mark: "4,661.5" or "4.661,5".
        decimal_mark = "," if compact.rfind(",") > compact.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        compact = compact.replace(thousands, "").replace(decimal_mark, ".")
    elif compact.count(",") > 1 or (decimals == 0 and _THOUSANDS.fullmatch(compact)):
        compact = compact.replace(",", "")  # thousands: "4,661,075", or "1,918" for a year
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


def _on_grid(value: Decimal, decimals: int) -> Decimal | None:
    """``value`` on the question's grid if it has no more decimals than asked, or only noise."""
    if value == 0 or value.normalize().as_tuple().exponent >= -decimals:
        return value
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if abs(value - rounded) <= NOISE * max(abs(value), Decimal(1)):
        return rounded
    return None


def read_number(question: Question, response: object) -> Reading:
    """Canonical form: the number rounded to the question's decimals, e.g. ``"80.10"``."""
    problem = _common_problem(question, response)
    if problem:
        return problem
    if isinstance(response, bool):
        return Unreadable(f"{response} is not a number: type a number such as 12 or 3.5.")
    if isinstance(response, (int, float, Decimal)):
        if isinstance(response, float) and not math.isfinite(response):
            return Unreadable("That is not a finite number: type an ordinary number.")
        value = Decimal(str(response))
    elif isinstance(response, str):
        number_text, found_unit = _strip_unit(response)
        if found_unit and not _units_match(found_unit, question.unit):
            wanted = f"in {question.unit}" if question.unit else "as a plain number"
            return Unreadable(
                f"The answer carries the unit {found_unit!r}, but this question asks for a "
                f"value {wanted}."
            )
        parsed = _parse_decimal(number_text, question.decimals)
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
    on_grid = _on_grid(value, question.decimals)
    if on_grid is None:
        return Unreadable(
            "This question asks for a whole number: round your answer."
            if question.decimals == 0
            else f"This question asks for at most {question.decimals} decimal "
            f"place{'s' if question.decimals > 1 else ''}: round your answer."
        )
    return format_number(on_grid, question.decimals)


def format_number(value: Decimal | float | int, decimals: int) -> str:
    """Round half up to ``decimals`` places: the grid on which answers are hashed."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # "-0.0" and "0.0" are the same answer
    return f"{rounded:.{decimals}f}"


# --- choices and orderings ----------------------------------------------------------------

# "c", "(c)", "c.", "c)", "[c]", "c:", optionally followed by the option's text.
_LETTERED = re.compile(r"[(\[]?\s*([a-z])\s*(?:[).:\]]\s*(.*)|)", re.IGNORECASE | re.DOTALL)
_JOINERS = {"and", "&", "+"}
_RUN_OF_LETTERS = re.compile(r"(?:[(\[]?[a-z][).:\]]?)+", re.IGNORECASE)


def _match_choice(question: Question, item: object) -> str | None:
    """The id of the option ``item`` names: by its letter (with or without its text) or text."""
    if not isinstance(item, str):
        return None
    ids = {choice.id.casefold(): choice.id for choice in question.choices}
    texts = {canonical_text(choice.text): choice.id for choice in question.choices}
    lettered = _LETTERED.fullmatch(item.strip())
    if lettered and lettered.group(1).casefold() in ids:
        letter = ids[lettered.group(1).casefold()]
        rest = canonical_text(lettered.group(2) or "")
        if not rest or texts.get(rest) == letter:
            return letter
    return texts.get(canonical_text(item)) or None


def _letters(question: Question) -> str:
    return ", ".join(f'"{c}"' for c in question.choice_ids())


def _split_ids(question: Question, response: object) -> list[object] | Unreadable:
    """A list of option ids from a list/tuple/set, or from text like "a, c", "a c" or "(a) (c)"."""
    if isinstance(response, Items):
        return list(response.values)
    if not isinstance(response, str):
        return Unreadable(
            f'Give the letters of your choices, like ["a", "c"] or "a, c"; you gave '
            f"{_describe(response)}."
        )
    parts: list[object] = []
    for part in (p.strip() for p in re.split(r"[,;\n]+", response)):
        if not part or part.casefold() in _JOINERS:
            continue
        if _match_choice(question, part):  # "c) option text" stays whole
            parts.append(part)
            continue
        for word in re.split(r"\s+", part):
            if word.casefold() in _JOINERS:
                continue
            if len(word) > 1 and _RUN_OF_LETTERS.fullmatch(word):
                parts.extend(re.findall(r"[a-z]", word, re.IGNORECASE))  # "acd", "A.C.D"
            else:
                parts.append(word)
    return parts


def read_single(question: Question, response: object) -> Reading:
    problem = _common_problem(question, response)
    if problem:
        return problem
    if isinstance(response, Items):
        if len(response.values) == 1:
            return read_single(question, response.values[0])
        return Unreadable(
            f"This question takes one option, but you gave {_describe(response)}: choose one of "
            f"{_letters(question)}."
        )
    matched = _match_choice(question, response)
    if matched is None:
        return Unreadable(
            f"{_capitalised(_describe(response))} is not one of the options: answer with one of "
            f"{_letters(question)}."
        )
    return matched


def _read_ids(question: Question, response: object) -> list[str] | Unreadable:
    problem = _common_problem(question, response)
    if problem:
        return problem
    items = _split_ids(question, response)
    if isinstance(items, Unreadable):
        return items
    if not items:
        return Unreadable(f"No option was chosen: choose from {_letters(question)}.")
    if len(items) > 2 * len(question.choices):
        return Unreadable(
            f"You gave {len(items)} items, but there are only {len(question.choices)} options: "
            f"choose from {_letters(question)}."
        )
    ids: list[str] = []
    for item in items:
        matched = _match_choice(question, item)
        if matched is None:
            return Unreadable(
                f"{_capitalised(_describe(item))} is not one of the options; the options are "
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
    """Read ``response`` for ``question``; never raises, whatever ``response`` is."""
    value = plain(response)
    if isinstance(value, Unreadable):
        return value
    try:
        return READERS[question.type](question, value)
    except Exception:  # a last guard: nothing the student passes may crash the quiz
        return Unreadable(
            f"I could not read {_describe(value)} as an answer: type it as text or a number."
        )
