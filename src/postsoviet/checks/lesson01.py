"""Checks for exercise 01, "The report" (``solutions/01-the-article.ipynb``).

Expected values come from the course's timeline at check time; the function is tried on
dates and a table the exercise does not show.
"""

from __future__ import annotations

import itertools
from typing import Any

import pandas as pd

from postsoviet import data
from postsoviet.checks import (
    as_whole_number,
    describe,
    register,
    register_written,
    student_call,
)

ARRESTS = pd.Timestamp("2020-07-29")
POLLING_DAY = pd.Timestamp("2020-08-09")


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
    events = _timeline()
    expected = int(events["date"].between(ARRESTS, POLLING_DAY).sum())
    exclusive = int(((events["date"] > ARRESTS) & (events["date"] < POLLING_DAY)).sum())
    if number == expected:
        return True, "both ends included: the announcement and polling day themselves count."
    if number == exclusive:
        return False, "include both ends: events on 29 July and on 9 August count too."
    return False, "filter the date column between the two dates (Series.between), then count rows."


def _reference_known_on(frame: pd.DataFrame, date: str) -> int:
    return int((frame["date"] <= pd.Timestamp(date)).sum())


@register(
    "ex-01-2",
    points=2,
    kind="function",
    target="known_on",
    summary="known_on(df, date): how many events had happened by that date",
)
def _known_on(function: Any) -> tuple[bool, str]:
    if not callable(function):
        return False, f"known_on should be a function (def ...), and it is {describe(function)}."
    events = _timeline()
    shorter = events[events["theme"] != "energy"].reset_index(drop=True)
    cases = [
        (events, "2020-02-01"),
        (events, "2021-11-17"),
        (events, "1991-08-25"),
        (shorter, "2020-08-09"),
    ]
    for frame, date in cases:
        result = student_call(function, frame.copy(), date)
        number = as_whole_number(result)
        if number is None:
            return False, (
                f"known_on(df, {date!r}) returned {describe(result)}; "
                "it should return a whole number."
            )
        expected = _reference_known_on(frame, date)
        if number == expected - int((frame["date"] == pd.Timestamp(date)).sum()):
            return False, "events on the date itself count as known: use <= rather than <."
        if number != expected:
            note = " on a table without the energy events" if frame is shorter else ""
            return False, f"known_on gives a wrong count for {date}{note}: count the rows of df."
    return True, "known_on works for dates you had not tried, and on another table."


@register(
    "ex-01-3",
    points=1,
    kind="plot",
    target="cumulative_figure",
    summary="a line of the running total of '2020' events through 2020",
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
    events = _timeline()
    total = int(((events["theme"] == "2020") & (events["date"].dt.year == 2020)).sum())
    if not ys or abs(ys[-1] - total) > 1e-9:
        return False, "the line should end at the total number of '2020' events dated in 2020."
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
    if word == "domestic":
        return True, "'domestic' means Belarus's internal politics; 'national' blurs that."
    if word in ("national", "internal"):
        return False, "close: the original used a word that means 'at home, inside the country'."
    return False, "look at what the Kremlin said it wanted for Belarus in the original report."
