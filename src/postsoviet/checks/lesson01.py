"""Checks for exercise 01, "The report" (``solutions/01-the-article.ipynb``).

The expected answers are salted hashes written by ``exercise-keys`` from the instructor's
references (:mod:`postsoviet.checks._answers`); the function is tried on dates and a table
the exercise does not show, and its results are compared with the hashes.
"""

from __future__ import annotations

import itertools
from typing import Any

import pandas as pd

from postsoviet import data
from postsoviet.checks import (
    Part,
    Verdict,
    _answers,
    as_whole_number,
    describe,
    register,
    register_written,
    student_call,
)


def _timeline() -> pd.DataFrame:
    return data.load("timeline")


@register(
    "ex-01-1",
    points=1,
    kind="value",
    target="events_before_vote",
    summary="timeline events from the announcement of the arrests to polling day",
)
def _events_before_vote(value: Any) -> tuple[bool, str]:
    number = as_whole_number(value)
    if number is None:
        return (
            False,
            f"the task asks for a whole number of events, and you gave {describe(value)}.",
        )
    if _answers.agrees("ex-01-1", "answer", number):
        return True, "both ends included: the announcement and polling day themselves count."
    if _answers.agrees("ex-01-1", "both_ends_left_out", number):
        return False, "include both ends: events on 29 July and on 9 August count too."
    return False, "filter the date column between the two dates (Series.between), then count rows."


def known_on_inputs() -> list[tuple[pd.DataFrame, str, str]]:
    """The hidden calls of ``known_on``: (table, date, how a message names the table).

    Inputs, not answers: the instructor's references call their own ``known_on`` on them.
    """
    events = _timeline()
    shorter = events[events["theme"] != "energy"].reset_index(drop=True)
    return [
        (events, "2020-02-01", ""),
        (events, "2021-11-17", ""),
        (events, "1991-08-25", ""),
        (shorter, "2020-08-09", " on a table without the energy events"),
    ]


#: ex-01-2 earns a point on the course's timeline and one on a table the student has not
#: seen: a count that only fits the data shown earns half.
KNOWN_ON_PARTS = (("the course's timeline", 1.0), ("a table you have not seen", 1.0))


def _known_on_case(function: Any, frame: pd.DataFrame, date: str, case: int) -> str:
    """What is wrong with known_on on one hidden call; "" when it is right."""
    result = student_call(function, frame.copy(), date)
    number = as_whole_number(result)
    if number is None:
        return (
            f"known_on(df, {date!r}) returned {describe(result)}; it should return a whole number."
        )
    if _answers.agrees("ex-01-2", f"call{case}", number):
        return ""
    if _answers.agrees("ex-01-2", f"before{case}", number):
        return "events on the date itself count as known: use <= rather than <."
    return f"known_on gives a wrong count for {date}: count the rows of df."


@register(
    "ex-01-2",
    points=2,
    kind="function",
    target="known_on",
    summary="known_on(df, date): how many events had happened by that date",
    parts=KNOWN_ON_PARTS,
)
def _known_on(function: Any) -> Verdict:
    if not callable(function):
        return False, f"known_on should be a function (def ...), and it is {describe(function)}."
    problems = ["", ""]
    for case, (frame, date, note) in enumerate(known_on_inputs()):
        part = 1 if note else 0
        if not problems[part]:
            problems[part] = _known_on_case(function, frame, date, case)
    praise = ("right for dates you had not tried", "right on another table")
    return [
        Part(name, points, not problem, problem or said)
        for (name, points), problem, said in zip(KNOWN_ON_PARTS, problems, praise, strict=True)
    ]


@register(
    "ex-01-3",
    points=1,
    kind="plot",
    target="cumulative_figure",
    summary="a line of the running total of '2020-crisis' events through 2020",
)
def _cumulative_figure(value: Any) -> tuple[bool, str]:
    from matplotlib.figure import Figure

    if not isinstance(value, Figure):
        return False, (
            "cumulative_figure should be a matplotlib Figure (fig from plt.subplots()), "
            f"and it is {describe(value)}."
        )
    if not value.axes or not value.axes[0].get_lines():
        return False, "the figure has no line: draw the running total with ax.plot."
    ax = value.axes[0]
    line = ax.get_lines()[0]
    ys = [float(y) for y in line.get_ydata()]
    if not ys or not _answers.agrees("ex-01-3", "total", ys[-1]):
        return False, (
            "the line should end at the total number of '2020-crisis' events dated in 2020."
        )
    if any(b < a for a, b in itertools.pairwise(ys)):
        return False, "a running total never goes down: use cumsum()."
    labels = [ax.get_xlabel(), ax.get_ylabel()]
    if not all(labels) or any(label != label.lower() for label in labels):
        return False, "label both axes in lower case, with units: 'events (running total)'."
    return True, "a labelled running total that ends at the right number."


register_written(
    "ex-01-4", points=3, target="", summary="claims and evidence on 7 August 2020 (100-150 words)"
)


@register(
    "ex-01-5",
    points=1,
    kind="value",
    target="original_word",
    summary="the word of the original that the copy turned into 'national'",
)
def _original_word(value: Any) -> tuple[bool, str]:
    if not isinstance(value, str):
        return False, f"write the word as text in quotes, and you gave {describe(value)}."
    word = " ".join(value.casefold().replace('"', " ").replace("'", " ").split())
    if _answers.agrees("ex-01-5", "answer", word):
        return True, "the original's word means Belarus's internal politics; 'national' blurs that."
    if word in ("national", "internal"):
        return False, "close: the original used a word that means 'at home, inside the country'."
    return False, "look at what the Kremlin said it wanted for Belarus in the original report."
