"""Expected answers of exercise tasks, as salted hashes: checkable, not readable.

The reference answers are computed on the instructor's side
(``solutions/exercise_references.py``); ``python -m postsoviet exercise-keys`` writes
``answer_keys.json`` beside this module. A key is a set of *labelled values*: a single
number has the label ``""``, a Series of years one label per year, a function task one
key per hidden input. Per label the file holds a salted hash of the label and the hashes
of every value accepted for it.

Numbers are compared on a grid a fifth of the task's tolerance: the writer hashes every
grid point within the tolerance of the reference value, the checker rounds the
student's number to the nearest grid point and looks its hash up. So a number is
accepted when it is within the tolerance (give or take a tenth of it at the very edge),
wherever it falls between grid points, and the file says nothing more than "this hash is
right". Each value is hashed on its own, so feedback can say which year is off, and a
checker can transform a student's answer (divide by 1000, reverse the sign) and ask
again, which is how the common slips are named without the expected value in the
package.

What this does not do: a student can still try answers in the check cell, or hash
guesses offline with the public salt, as with any check that says right or wrong; a
small whole number or a short word is quickly found that way. What it stops is reading
the answer, or the code that computes it, off the installed package.
"""

from __future__ import annotations

import functools
import json
import math
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postsoviet._files import write_or_check
from postsoviet.checks import as_number
from postsoviet.quiz import sealing

KEYS_FILE = Path(__file__).with_name("answer_keys.json")
#: Grid points per tolerance: finer makes the edge sharper and the key file longer.
GRID_STEPS = 5

Leaf = float | int | str | None


@dataclass(frozen=True)
class Reference:
    """One expected answer, as the instructor's side states it: labelled values.

    ``tolerance`` applies to every number; 0 asks for the exact value (counts, years).
    Text is compared exactly: the checker normalises a student's text before asking.
    """

    values: Mapping[str, Leaf]
    tolerance: float = 0.0

    @classmethod
    def single(cls, value: Leaf, tolerance: float = 0.0) -> Reference:
        return cls({"": value}, tolerance)

    @classmethod
    def members(cls, names: Iterable[str]) -> Reference:
        """A set of names: only which labels are present counts."""
        return cls(dict.fromkeys(names, ""))

    @classmethod
    def ordered(cls, values: Iterable[Leaf], tolerance: float = 0.0) -> Reference:
        """A sequence: the labels are the positions."""
        return cls({str(i): v for i, v in enumerate(values)}, tolerance)


@dataclass(frozen=True)
class Comparison:
    """How a student's labelled values compare with a key, without saying what it is."""

    unknown: tuple[str, ...] = ()  # labels given that the answer does not have
    missing: int = 0  # labels of the answer that were not given
    wrong: tuple[str, ...] = field(default=())  # labels given whose value is off

    @property
    def passed(self) -> bool:
        return not (self.unknown or self.missing or self.wrong)

    @property
    def right_as_given(self) -> bool:
        """No label the answer lacks, no value off: labels left out do not count (a
        part of a task compares the years of its own range only)."""
        return not (self.unknown or self.wrong)


def _token(value: object, grid: float | None) -> str | None:
    """A value in canonical form; None for a value no key can accept."""
    number = as_number(value)
    if number is not None:
        if grid:
            return f"n:{round(number / grid)}"
        return f"n:{int(number)}" if number.is_integer() else f"n:{number!r}"
    if isinstance(value, str):
        return f"s:{value}"
    return None


def _grid(reference: Reference) -> float | None:
    return reference.tolerance / GRID_STEPS if reference.tolerance > 0 else None


def _accepted(value: Leaf, reference: Reference) -> list[str]:
    """Every canonical form that counts as ``value`` within the reference's tolerance."""
    grid, number = _grid(reference), as_number(value)
    if grid is None or number is None:
        token = _token(value, None)
        if token is None:
            raise ValueError(f"{value!r} is neither a number nor text")
        return [token]
    steps = range(
        math.ceil((number - reference.tolerance) / grid - 1e-9),
        math.floor((number + reference.tolerance) / grid + 1e-9) + 1,
    )
    return [f"n:{step}" for step in steps]


def _scope(task_id: str, name: str) -> str:
    return f"{task_id}/{name}"


@functools.cache
def _keys() -> dict[str, Any]:
    return json.loads(KEYS_FILE.read_text(encoding="utf-8"))


def compare(task_id: str, name: str, given: Mapping[str, object]) -> Comparison:
    """Compare a student's labelled values with the key ``name`` of ``task_id``."""
    task = _keys()[task_id]
    key, scope = task["answers"][name], _scope(task_id, name)
    salt, labels = task["salt"], key["labels"]
    unknown, wrong, found = [], [], 0
    for label, value in given.items():
        accepted = labels.get(sealing.member_hash(salt, scope, label))
        if accepted is None:
            unknown.append(label)
            continue
        found += 1
        token = _token(value, key["grid"])
        if token is None or sealing.match_hash(salt, scope, f"{label}\x1f{token}") not in accepted:
            wrong.append(label)
    return Comparison(tuple(unknown), len(labels) - found, tuple(wrong))


def agrees(task_id: str, name: str, value: object) -> bool:
    """Whether one value (a number or a text) is the key ``name`` of ``task_id``."""
    return compare(task_id, name, {"": value}).passed


def agrees_in_order(task_id: str, name: str, values: Iterable[object]) -> bool:
    """Whether a sequence is the key ``name`` (a :meth:`Reference.ordered` key)."""
    return compare(task_id, name, {str(i): v for i, v in enumerate(values)}).passed


def present(task_id: str, name: str, labels: Iterable[str]) -> list[str]:
    """Which of ``labels`` the key ``name`` has (the years a Series should cover, say).

    A label alone says no more than the task does (which years have a reference price);
    the values stay hashed.
    """
    task = _keys()[task_id]
    known, scope = task["answers"][name]["labels"], _scope(task_id, name)
    return [label for label in labels if sealing.member_hash(task["salt"], scope, label) in known]


def size(task_id: str, name: str) -> int:
    """How many labels the key has (a count the task states anyway: years, cases)."""
    return len(_keys()[task_id]["answers"][name]["labels"])


def build_keys(
    references: Mapping[str, Mapping[str, Reference]], previous: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The public key file for the instructor's references; salts kept from ``previous``."""
    out: dict[str, Any] = {}
    for task_id, named in sorted(references.items()):
        salt = ((previous or {}).get(task_id) or {}).get("salt") or secrets.token_hex(16)
        answers = {}
        for name, reference in sorted(named.items()):
            scope = _scope(task_id, name)
            answers[name] = {
                "grid": _grid(reference),
                "labels": {
                    sealing.member_hash(salt, scope, str(label)): sorted(
                        sealing.match_hash(salt, scope, f"{label}\x1f{token}")
                        for token in _accepted(value, reference)
                    )
                    for label, value in reference.values.items()
                },
            }
        out[task_id] = {"salt": salt, "answers": answers}
    return out


def write_keys(
    references: Mapping[str, Mapping[str, Reference]],
    *,
    check: bool = False,
    dest: Path | None = None,
) -> bool:
    """Write (or with ``check`` compare) the key file; True when it is up to date."""
    dest = dest or KEYS_FILE
    previous = json.loads(dest.read_text(encoding="utf-8")) if dest.exists() else None
    text = json.dumps(build_keys(references, previous), indent=1, sort_keys=True) + "\n"
    up_to_date = write_or_check(dest, text, check=check)
    _keys.cache_clear()
    return up_to_date
