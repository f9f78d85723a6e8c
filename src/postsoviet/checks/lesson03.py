"""Checks for exercise 03, "Flags and symbols" (``solutions/03-flags.ipynb``).

The expected answers are salted hashes written by ``exercise-keys`` from the instructor's
references (:mod:`postsoviet.checks._answers`); the function is tried on referendums and a
changed table the exercise does not show; the flag is checked
by reading the colours painted on the figure (:func:`postsoviet.flags.read_bands`), so any
way of drawing it with patches passes and no code is inspected.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from postsoviet import data, flags
from postsoviet.checks import (
    _answers,
    _choices,
    as_number,
    describe,
    register,
    register_written,
    student_call,
)

REFERENDUM_1995 = pd.Timestamp("1995-05-14")


def _referendums() -> pd.DataFrame:
    return data.load("referendums")


def _symbols_row() -> pd.Series:
    votes = _referendums()
    rows = votes[(votes["date"] == REFERENDUM_1995) & (votes["topic"] == "symbols")]
    return rows.iloc[0]


@register(
    "ex-03-1",
    points=1,
    kind="value",
    target="symbols_yes_of_registered",
    summary="yes votes on the 1995 symbols question as a percentage of registered voters",
)
def _symbols_yes_of_registered(value: Any) -> tuple[bool, str]:
    number = as_number(value)
    if number is None:
        if isinstance(value, (pd.Series, pd.DataFrame)):
            return False, "you have a pandas object; take the single number out of it (.item())."
        return False, f"the task asks for a number (a percentage), and you gave {describe(value)}."
    if _answers.agrees("ex-03-1", "answer", number):
        return True, "fewer than half of all registered voters said yes to the new symbols."
    if _answers.agrees("ex-03-1", "answer", 100 * number):
        return False, "that is a share between 0 and 1; multiply by 100 for a percentage."
    if abs(number - _symbols_row().yes_pct) < 0.05:
        return False, "that is the published share of votes cast; divide by registered voters."
    return False, "divide the yes votes by the registered voters of the same row, times 100."


def gap_to_top_inputs() -> list[tuple[pd.DataFrame, str, int, str]]:
    """The hidden calls of ``gap_to_top``: (table, date, question, note on the table).

    A changed copy is among them, so that remembered answers cannot pass: every share
    moves. Inputs, not answers.
    """
    votes = _referendums()
    changed = votes.assign(yes_pct=lambda d: (d["yes_pct"] * 0.9 + d["question_no"] * 3).round(2))
    where = " on a changed copy of the table"
    return [
        (votes, "1996-11-24", 3, ""),
        (votes, "1996-11-24", 1, ""),
        (votes, "1995-05-14", 3, ""),
        (changed, "1996-11-24", 2, where),
        (changed, "1995-05-14", 1, where),
    ]


@register(
    "ex-03-2",
    points=2,
    kind="function",
    target="gap_to_top",
    summary="gap_to_top(df, date, question_no): points below that referendum's top yes share",
)
def _gap_to_top(function: Any) -> tuple[bool, str]:
    if not callable(function):
        return False, f"gap_to_top should be a function (def ...), and it is {describe(function)}."
    for case, (frame, date, question, where) in enumerate(gap_to_top_inputs()):
        result = student_call(function, frame.copy(), date, question)
        number = as_number(result)
        if number is None:
            if isinstance(result, (pd.Series, pd.DataFrame)):
                return False, (
                    f"gap_to_top(df, {date!r}, {question}) returned a pandas object; return "
                    "one number (.item() or .max())."
                )
            return False, (
                f"gap_to_top(df, {date!r}, {question}) returned {describe(result)}; "
                "it should return one number."
            )
        if _answers.agrees("ex-03-2", f"call{case}", number):
            continue
        if _answers.agrees("ex-03-2", f"call{case}", -number):
            return False, "the gap comes out negative: subtract the question's share from the top."
        if not where and _answers.agrees("ex-03-2", f"top_of_all{case}", number):
            return False, "compare with the top share of the same referendum (filter on date)."
        return False, (
            f"gap_to_top gives a wrong result for question {question} of {date}{where}: "
            "filter on the date, then take the top yes share less the question's own."
        )
    return True, "gap_to_top works for questions you had not tried, and on a changed table."


@register(
    "ex-03-3",
    points=2,
    kind="plot",
    target="flag_figure",
    summary="the white-red-white flag drawn from its specification with patches",
)
def _white_red_white(value: Any) -> tuple[bool, str]:
    from matplotlib.figure import Figure

    if not isinstance(value, Figure):
        return False, (
            "flag_figure should be a matplotlib Figure (fig from plt.subplots()), "
            f"and it is {describe(value)}."
        )
    painted = flags.figure_axes(value)
    if not painted:
        return False, (
            "nothing is painted with patches: draw each band as a rectangle "
            "(matplotlib.patches.Rectangle with ax.add_patch, or ax.axhspan)."
        )
    ax = painted[0]
    x0, x1, y0, y1 = flags.flag_extent(ax)  # type: ignore[misc]
    length, height = x1 - x0, y1 - y0
    if length <= 0 or height <= 0:
        return False, "the painted area has no size: give the rectangles a width and a height."
    if not math.isclose(height / length, 0.5, rel_tol=0.02):
        return False, (
            f"the flag is {height:g} high and {length:g} long; the specification's ratio of "
            "height to length is 1:2 (include the white bands in what you draw)."
        )
    expected = ["white", "red", "white"]
    for at in (0.05, 0.5, 0.95):
        runs = [(flags.colour_family(colour), share) for colour, share in flags.read_bands(ax, at)]
        families = [family for family, _ in runs]
        if "none" in families:
            return (
                False,
                "part of the flag is left unpainted: the bands must cover it edge to edge.",
            )
        if families != expected:
            seen = "-".join(families)
            return False, (
                f"from top to bottom the flag reads {seen}"
                + (f" {round(at * 100)}% of the way along" if at != 0.5 else "")
                + "; the specification is white, red, white, across the whole length."
            )
        shares = [share for _, share in runs]
        if any(abs(share - 1 / 3) > 0.01 for share in shares):
            return False, "the three bands should be of equal height, a third of the flag each."
    return True, "three equal bands, white, red and white, in the ratio 1:2."


register_written(
    "ex-03-4",
    points=3,
    target="",
    summary="why a government might restrict a historical flag (100-150 words)",
)


def _letters(value: Any) -> list[str] | None:
    if isinstance(value, str):
        items: list[Any] = [part for part in value.replace(",", " ").split() if part]
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        return None
    if not all(isinstance(item, str) for item in items):
        return None
    return [item.strip().strip("'\"()").lower() for item in items]


@register(
    "ex-03-5",
    points=2,
    kind="value",
    target="supported",
    summary="which statements about the white-red-white flag the lesson's sources support",
)
def _supported(value: Any) -> tuple[bool, str]:
    letters = _letters(value)
    if letters is None:
        what = (
            "a list that holds something other than text"
            if isinstance(value, (list, tuple, set, frozenset))
            else describe(value)
        )
        return (
            False,
            f'write the letters as a list of strings, such as ["x", "y"]; you gave {what}.',
        )

    statements = _choices.options("ex-03-5")
    unknown = sorted({letter for letter in letters if letter not in statements})
    if unknown:
        return False, f"the statements are lettered a to f; {', '.join(unknown)} is not one."
    chosen = set(letters)
    if not chosen:
        return False, "choose at least one statement."
    verdict = _choices.judge("ex-03-5", chosen)
    if verdict.passed:
        return True, verdict.message
    wrong, missed = len(verdict.wrong), verdict.missed
    parts = []
    if wrong:
        parts.append(f"{wrong} of your letters {'is' if wrong == 1 else 'are'} not supported")
    if missed:
        parts.append(f"{missed} supported statement{'s are' if missed > 1 else ' is'} missing")
    return False, " and ".join(parts) + ": check each against the lesson's dated sources."
