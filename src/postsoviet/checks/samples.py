"""Checks for the two sample exercises (``tests/samples``): models for lesson authors.

``ex-90-*`` goes with ``90-sample-elections.ipynb``, ``ex-91-*`` with
``91-sample-referendums.ipynb``. Expected values are derived from the course data at
check time, so none is written here; functions are tried on elections the student does
not see; the figure is inspected, not compared pixel by pixel.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from postsoviet import data
from postsoviet.checks import (
    as_number,
    describe,
    register,
    register_written,
    student_call,
)


def _final_participants() -> pd.DataFrame:
    return data.load("elections").query("status == 'final' and base == 'participants'")


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 0.005


@register(
    "ex-90-1",
    points=1,
    kind="value",
    target="lukashenko_2020",
    summary="Lukashenko's final 2020 share of all who took part",
)
def _lukashenko_2020(value: Any) -> tuple[bool, str]:
    number = as_number(value)
    if number is None:
        if isinstance(value, (pd.Series, pd.DataFrame)):
            return False, "you have a pandas table; take the single number out of it (.item())."
        return False, f"the task asks for a number, and you gave {describe(value)}."
    rows = data.load("elections").query("year == 2020 and candidate == 'Lukashenko'")
    final = rows.query("status == 'final' and base == 'participants'")["votes_pct"].item()
    preliminary = rows.query("status == 'preliminary'")["votes_pct"].item()
    if _close(number, final):
        return True, "that is the CEC's final share of everyone who took part."
    if _close(number * 100, final):
        return False, "your answer is a share between 0 and 1; the task asks for a percentage."
    if _close(number, preliminary):
        return (
            False,
            "that is the preliminary figure of 10 August; the task asks for the final result.",
        )
    return False, "that is not the final CEC share for Lukashenko: filter on year, status and base."


def _reference_winner_share(frame: pd.DataFrame, year: int) -> float:
    rows = frame.query("year == @year and status == 'final' and base == 'participants'")
    last_round = rows[rows["round"] == rows["round"].max()]
    return float(last_round["votes_pct"].max())


@register(
    "ex-90-2",
    points=2,
    kind="function",
    target="winner_share",
    summary="winner_share(df, year): the winner's final share in the last round",
)
def _winner_share(function: Any) -> tuple[bool, str]:
    if not callable(function):
        return (
            False,
            f"winner_share should be a function (def ...), and it is {describe(function)}.",
        )
    # Years the exercise does not show, and a copy with shifted shares so that a table
    # of remembered answers cannot pass.
    frame = _final_participants()
    shifted = data.load("elections").assign(votes_pct=lambda d: d["votes_pct"] - 1.5)
    cases = [(frame, 2001), (frame, 2010), (frame, 1994), (shifted, 2015)]
    for df, year in cases:
        result = student_call(function, df.copy(), year)
        number = as_number(result)
        if number is None:
            return (
                False,
                f"winner_share(df, {year}) returned {describe(result)}; "
                "it should return one number.",
            )
        expected = _reference_winner_share(df, year)
        if _close(number * 100, expected):
            return (
                False,
                "your function returns a share between 0 and 1; the task asks for a percentage.",
            )
        if not _close(number, expected):
            shifted_note = " on a changed copy of the table" if df is shifted else ""
            return (
                False,
                f"winner_share gives a wrong result for {year}{shifted_note}: does it use "
                "the last round, final status and participants base?",
            )
    return True, "winner_share works for elections you had not tried, and on a changed table."


@register(
    "ex-90-3",
    points=1,
    kind="plot",
    target="turnout_figure",
    summary="a line chart of turnout by election",
)
def _turnout_figure(value: Any) -> tuple[bool, str]:
    from matplotlib.figure import Figure

    if not isinstance(value, Figure):
        return (
            False,
            "turnout_figure should be a matplotlib Figure (fig from plt.subplots()), "
            f"and it is {describe(value)}.",
        )
    if not value.axes:
        return False, "the figure has no axes: draw the chart on it."
    ax = value.axes[0]
    lines = ax.get_lines()
    points = sum(len(line.get_xdata()) for line in lines)
    elections = _final_participants().drop_duplicates(["year", "round"])
    if not lines or points not in (elections["year"].nunique(), len(elections)):
        return False, "the chart should have one line with a point for every election (or round)."
    labels = [ax.get_xlabel(), ax.get_ylabel()]
    if not all(labels):
        return False, "label both axes (ax.set_xlabel, ax.set_ylabel), with units."
    if any(label != label.lower() for label in labels):
        return False, "the course writes axis labels in lower case, with units: 'turnout (%)'."
    return True, "a labelled line of turnout for every election."


register_written(
    "ex-90-4",
    points=2,
    target="",
    summary="why the CEC's shares are lower than shares of valid votes (100-150 words)",
)


@register(
    "ex-90-5",
    points=1,
    kind="value",
    target="cec_base",
    summary="the percentage base of the CEC's published shares",
)
def _cec_base(value: Any) -> tuple[bool, str]:
    if not isinstance(value, str):
        return False, f"write the base as text in quotes, and you gave {describe(value)}."
    answer = " ".join(value.casefold().replace("_", " ").split())
    if answer in {"participants", "all participants", "everyone who took part"}:
        return True, "the CEC divides by everyone who took part, invalid ballots included."
    if answer in {"valid", "valid votes"}:
        return (
            False,
            "that is the base reference works such as Nohlen use; "
            "check the base column for the CEC rows.",
        )
    return False, "use one of the values of the base column."


@register(
    "ex-91-1",
    points=1,
    kind="value",
    target="questions_1996",
    summary="how many questions the 1996 referendum put to voters",
)
def _questions_1996(value: Any) -> tuple[bool, str]:
    number = as_number(value)
    if number is None or not float(number).is_integer():
        return False, f"the task asks for a whole number, and you gave {describe(value)}."
    expected = int((data.load("referendums")["date"] == "1996-11-24").sum())
    if int(number) == expected:
        return True, "one row per question on the ballot of 24 November 1996."
    return False, "count the rows of the referendums table for 24 November 1996."


register_written(
    "ex-91-2",
    points=1,
    target="",
    summary="why two 1996 yes shares are blank, and what is needed to use them (written)",
)
