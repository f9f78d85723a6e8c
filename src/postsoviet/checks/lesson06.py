"""Checks for exercise 06, "After 2020" (``solutions/06-after-2020.ipynb``).

The expected answers are salted hashes written by ``exercise-keys`` from the instructor's
references (:mod:`postsoviet.checks._answers`); functions are tried on tables the exercise
does not show. The lesson's own coding (:func:`postsoviet.relations.coded_events`) is
course material the students work with, so the checks compare with it directly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from postsoviet import relations
from postsoviet.checks import (
    _answers,
    as_whole_number,
    describe,
    register,
    register_written,
    student_call,
)

ELECTION = pd.Timestamp("2020-08-09")
#: Share of the lesson's coding a student's rule must reproduce.
AGREEMENT = 0.75


@register(
    "ex-06-1",
    points=1,
    kind="value",
    target="union_counts",
    summary="'union' events from 2018 to the report, and after it",
)
def _union(value: Any) -> tuple[bool, str]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        length = " of another length" if isinstance(value, (tuple, list)) else ""
        return False, (
            "store two numbers in brackets, (before, after), and you gave "
            f"{describe(value)}{length}."
        )
    numbers = [as_whole_number(item) for item in value]
    if None in numbers:
        return False, "both counts should be whole numbers (use len(...) or .sum())."
    compared = _answers.compare("ex-06-1", "answer", {str(i): n for i, n in enumerate(numbers)})
    if compared.passed:
        return True, "the union talk of 2018-2020 came to nothing; what followed was signed."
    if _answers.agrees_in_order("ex-06-1", "answer", reversed(numbers)):
        return False, "the two counts are the wrong way round: before first, then after."
    if _answers.agrees("ex-06-1", "before_from_the_start", numbers[0]):
        return False, "count from 1 January 2018 only, not from the 1990s."
    if len(compared.wrong) == 1:
        return (
            False,
            "one count is right: check the other one's dates (is 7 August itself before?).",
        )
    return False, "filter theme == 'union' first, then split the dates at 7 August 2020."


@register(
    "ex-06-2",
    points=2,
    kind="function",
    target="code_event",
    summary="code_event(sentence): cooperation, conflict or neither, by a rule you write",
)
def _code_event(function: Any) -> tuple[bool, str]:
    if not callable(function):
        return False, f"code_event should be a function (def ...), and it is {describe(function)}."
    coded = relations.coded_events()
    answers = []
    for sentence in coded["event"]:
        result = student_call(function, sentence)
        if not isinstance(result, str) or result.strip().casefold() not in relations.RELATIONS:
            return False, (
                f"code_event returned {describe(result)} for one sentence; it should return "
                "'cooperation', 'conflict' or 'neither'."
            )
        answers.append(result.strip().casefold())
    used = set(answers)
    if len(used) < 3:
        return False, (
            "your rule never returns "
            + " or ".join(sorted(set(relations.RELATIONS) - used))
            + ": a useful rule tells all three apart."
        )
    agreed = int((pd.Series(answers, index=coded.index) == coded["relation"]).sum())
    if agreed / len(coded) < AGREEMENT:
        return False, (
            f"your rule agrees with the lesson's coding on {agreed} of {len(coded)} events; "
            f"aim for at least {AGREEMENT:.0%}. Compare the two columns and refine your keywords."
        )
    return True, (
        f"your rule agrees with the lesson's coding on {agreed} of {len(coded)} events; "
        "read the ones it misses: they show where a keyword rule needs judgement."
    )


def monthly_net_inputs() -> list[tuple[pd.DataFrame, str]]:
    """The hidden calls of ``monthly_net``: (coded table, note on the table).

    Inputs, not answers: the instructor's references count the months of each.
    """
    coded = relations.coded_events()
    middle = coded[coded["date"].between("2019-06-01", "2022-06-30")].reset_index(drop=True)
    tiny = pd.DataFrame(
        {
            "date": pd.to_datetime(["2021-01-15", "2021-01-20", "2021-04-02"]),
            "relation": ["conflict", "conflict", "cooperation"],
        }
    )
    return [(coded, ""), (middle, " on mid-2019 to mid-2022"), (tiny, " on a small table")]


def _as_periods(index: pd.Index) -> pd.PeriodIndex | None:
    if isinstance(index, pd.PeriodIndex):
        return index.asfreq("M")
    if isinstance(index, pd.DatetimeIndex):
        return index.to_period("M")
    return None


@register(
    "ex-06-3",
    points=2,
    kind="function",
    target="monthly_net",
    summary="monthly_net(coded): cooperation minus conflict for every month, zeros included",
)
def _monthly_net(function: Any) -> tuple[bool, str]:
    if not callable(function):
        return False, f"monthly_net should be a function (def ...), and it is {describe(function)}."
    for case, (frame, where) in enumerate(monthly_net_inputs()):
        result = student_call(function, frame.copy())
        if not isinstance(result, pd.Series):
            return False, (
                "monthly_net should return a pandas Series, and it returned "
                f"{describe(result)}{where}."
            )
        periods = _as_periods(result.index)
        if periods is None:
            return False, (
                "index the Series by month: dates (DatetimeIndex) or months (.dt.to_period('M'))."
            )
        months = _answers.size("ex-06-3", f"call{case}")
        if len(result) != months:
            if len(result) < months:
                return False, (
                    f"some months are missing{where}: months without events should appear "
                    "with 0 (reindex over pd.period_range)."
                )
            return False, f"there are more months than the data spans{where}."
        values = pd.to_numeric(pd.Series(result.to_numpy()), errors="coerce")
        if values.isna().any():
            return False, "every value should be a number (cooperation minus conflict)."
        given = dict(zip(map(str, periods), values.to_numpy(), strict=True))
        compared = _answers.compare("ex-06-3", f"call{case}", given)
        in_order = periods.is_monotonic_increasing and periods.is_unique
        if not in_order or compared.unknown:
            return False, f"the months are not in order, or start in the wrong month{where}."
        reversed_sign = {month: -value for month, value in given.items()}
        if _answers.compare("ex-06-3", f"call{case}", reversed_sign).passed:
            return False, "the sign is reversed: cooperation counts +1 and conflict -1."
        if not compared.passed:
            return False, (
                f"some months have the wrong value{where}: count cooperation as +1, conflict as "
                "-1 and 'neither' as 0."
            )
    return True, "monthly_net works on the full coding and on tables you had not seen."


@register(
    "ex-06-4",
    points=1,
    kind="plot",
    target="index_figure",
    summary="the smoothed monthly index with the day of the report marked",
)
def _index_figure(value: Any) -> tuple[bool, str]:
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure

    if not isinstance(value, Figure):
        return False, (
            "index_figure should be a matplotlib Figure (fig from plt.subplots()), "
            f"and it is {describe(value)}."
        )
    if not value.axes:
        return False, "the figure has no axes: draw on ax from plt.subplots()."
    ax = value.axes[0]
    lines = ax.get_lines()
    if not any(len(line.get_xdata()) >= 24 for line in lines):
        return False, "draw the monthly index as a line with one point per month (ax.plot)."
    report = date2num(relations.REPORT_DATE)

    def as_number(x: Any) -> float:
        return float(date2num(x)) if not isinstance(x, (int, float, np.number)) else float(x)

    vertical = False
    for line in lines:
        xs = list(line.get_xdata())
        if len(xs) == 2 and xs[0] == xs[1]:
            try:
                vertical = vertical or abs(as_number(xs[0]) - report) <= 16
            except (TypeError, ValueError):
                continue
    if not vertical:
        return (
            False,
            "mark the day of the report with a vertical line (ax.axvline) at 7 August 2020.",
        )
    labels = [ax.get_xlabel(), ax.get_ylabel()]
    if not all(labels) or any(label != label.lower() for label in labels):
        return False, "label both axes in lower case, with units: 'events per month'."
    return True, "a labelled index with the report's date marked."


register_written(
    "ex-06-5",
    points=3,
    target="",
    summary="was the July 2020 cooling real or tactical? (150 words)",
)


@register(
    "ex-06-6",
    points=2,
    kind="value",
    target="judgement",
    summary="judge a 2020 prediction against coded events after the election",
)
def _judgement(value: Any) -> tuple[bool, str]:
    if not isinstance(value, dict) or not {"verdict", "evidence"} <= set(value):
        return False, (
            f"store a dict with two keys, 'verdict' and 'evidence', and you gave {describe(value)}."
        )
    verdict, evidence = value["verdict"], value["evidence"]
    if not isinstance(verdict, str) or verdict.strip().casefold() not in (
        "supported",
        "refuted",
        "undecided",
    ):
        return False, "the verdict is one of the words 'supported', 'refuted' or 'undecided'."
    if not isinstance(evidence, (list, tuple)) or not all(isinstance(d, str) for d in evidence):
        return False, "the evidence is a list of dates written as text, such as '2000-01-26'."
    try:
        dates = [pd.Timestamp(d) for d in evidence]
    except (ValueError, TypeError):
        return False, "write each date as 'YYYY-MM-DD', for example '2000-01-26'."
    if len(set(dates)) < 3:
        return False, "give at least three different dates of events as evidence."
    coded = relations.coded_events()
    cooperation = set(coded.loc[coded["relation"] == "cooperation", "date"])
    early = [d for d in dates if d <= ELECTION]
    if early:
        return (
            False,
            "the prediction is about what came after polling day: use events after 9 August 2020.",
        )
    unknown = [d for d in dates if d not in set(coded["date"])]
    if unknown:
        return (
            False,
            "one of your dates has no event in the timeline: copy dates from the coded table.",
        )
    off_topic = [d for d in dates if d not in cooperation]
    if off_topic:
        return False, (
            "at least one date is an event the lesson codes 'neither' or 'conflict': does it "
            "say anything about Minsk and Moscow?"
        )
    if not _answers.agrees("ex-06-6", "verdict", verdict.strip().casefold()):
        return (
            False,
            "your evidence shows Minsk and Moscow coming closer: what does that do to the "
            "prediction?",
        )
    return True, "the prediction is refuted, and each date you cite is evidence against it."
