"""Checks for exercise 02, "Identity" (``solutions/02-identity.ipynb``).

The expected answers are salted hashes written by ``exercise-keys`` from the instructor's
references (:mod:`postsoviet.checks._answers`); the function is tried on groups, censuses
and a table the exercise does not show; the figure is inspected, not compared pixel by
pixel.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from postsoviet import data
from postsoviet.checks import (
    Part,
    Verdict,
    _answers,
    as_number,
    as_whole_number,
    describe,
    register,
    register_written,
    student_call,
)


def _census_years() -> list[int]:
    """The census years of the language data (given in the prompt, not an answer)."""
    return sorted(int(year) for year in data.load("census_language")["census_year"].unique())


def _gaps_given(points: dict[int, Any]) -> _answers.Comparison:
    """A student's gap per census year against the key of ex-02-1 (also used by ex-02-3)."""
    return _answers.compare("ex-02-1", "answer", {str(year): v for year, v in points.items()})


def _as_mapping(value: Any) -> dict[Any, Any] | None:
    if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
        value = value.iloc[:, 0]
    if isinstance(value, pd.Series):
        return dict(value.items())
    if isinstance(value, dict):
        return dict(value)
    return None


@register(
    "ex-02-1",
    points=1,
    kind="value",
    target="gaps",
    summary="the Belarusian native-minus-home gap at each census (whole population)",
)
def _gaps(value: Any) -> tuple[bool, str]:
    mapping = _as_mapping(value)
    if mapping is None:
        return False, (
            "gaps should be a pandas Series (or a dict) with one number per census year, "
            f"and it is {describe(value)}."
        )
    keys = {}
    for key, number in mapping.items():
        year = as_number(key)
        if year is None or not float(year).is_integer():
            return False, f"the index should hold census years (1999, 2009, 2019), not {key!r}."
        keys[int(year)] = number
    if sorted(keys) != _census_years():
        return False, "give one gap for each census year in the data: 1999, 2009 and 2019."
    numbers = {year: as_number(number) for year, number in keys.items()}
    if any(number is None for number in numbers.values()):
        return False, "every gap should be a number of percentage points."
    if _gaps_given({y: -n for y, n in numbers.items()}).passed:  # type: ignore[operator]
        return False, "the sign is reversed: subtract the home share from the native share."
    wrong = sorted(int(year) for year in _gaps_given(numbers).wrong)
    if wrong:
        return False, (
            f"the gap for {wrong[0]} is not right: keep the whole population (population_group "
            "'all') and Belarusian only, then native minus home."
        )
    return True, "native minus home, in percentage points, for every census."


def share_change_inputs() -> list[tuple[pd.DataFrame, str, int, int, str]]:
    """The hidden calls of ``share_change``: (table, group, start, end, note on the table).

    A table in another order, with other figures, is among them, so a function that
    returns remembered numbers or relies on row positions fails. Inputs, not answers.
    """
    ethnicity = data.load("ethnicity")
    shuffled = ethnicity.sample(frac=1.0, random_state=7).reset_index(drop=True)
    shuffled = shuffled.assign(share_pct=shuffled["share_pct"] + shuffled["census_year"] % 7)
    other = " on a reordered table with other figures"
    return [
        (ethnicity, "poles", 1999, 2019, ""),
        (ethnicity, "russians", 2009, 2019, ""),
        (ethnicity, "belarusians", 1999, 2009, ""),
        (shuffled, "ukrainians", 1999, 2019, other),
    ]


@register(
    "ex-02-2",
    points=2,
    kind="function",
    target="share_change",
    summary="share_change(df, group, start, end): change in a group's share, in points",
)
def _share_change(function: Any) -> tuple[bool, str]:
    if not callable(function):
        return (
            False,
            f"share_change should be a function (def ...), and it is {describe(function)}.",
        )
    for case, (frame, group, start, end, note) in enumerate(share_change_inputs()):
        result = student_call(function, frame.copy(), group, start, end)
        number = as_number(result)
        if number is None:
            return False, (
                f"share_change(df, {group!r}, {start}, {end}) returned {describe(result)}; "
                "it should return one number (a float)."
            )
        if _answers.agrees("ex-02-2", f"call{case}", number):
            continue
        if _answers.agrees("ex-02-2", f"call{case}", -number):
            return False, "the sign is reversed: later share minus earlier share."
        return False, (
            f"share_change gives a wrong result for {group} from {start} to {end}{note}: "
            "select the group's rows and compare the two census years by value."
        )
    return True, "share_change works for groups, years and a table you had not tried."


#: ex-02-3 earns half a point for its line and half for its labels; the line is compared
#: with the student's own gaps, so a wrong gap in ex-02-1 is not marked twice.
GAP_PLOT_PARTS = (("the line", 0.5), ("the labels", 0.5))


def _own_gaps(gaps: Any) -> dict[int, float] | None:
    """The student's ``gaps`` of ex-02-1 as census year -> number; None if unreadable."""
    mapping = _as_mapping(gaps)
    if mapping is None:
        return None
    own = {}
    for key, number in mapping.items():
        year, gap = as_whole_number(key), as_number(number)
        if year is None or gap is None:
            return None
        own[year] = gap
    return own


def _gap_line(points: dict[int, float], gaps: Any) -> tuple[bool, str]:
    if sorted(points) != _census_years():
        return False, "the line should have one point per census year: 1999, 2009 and 2019."
    own = _own_gaps(gaps)
    if (
        own is not None
        and sorted(own) == sorted(points)
        and all(math.isclose(value, own[year], abs_tol=1e-6) for year, value in points.items())
    ):
        return True, "a line of your gaps"
    if _gaps_given(points).passed:
        return True, "a line of the gaps"
    return False, "the line's values are not the gaps: plot your gaps from task ex-02-1."


def _gap_labels(ax: Any) -> tuple[bool, str]:
    labels = [ax.get_xlabel(), ax.get_ylabel()]
    if not all(labels) or any(label != label.lower() for label in labels):
        return False, (
            "label both axes in lower case, with units: 'census year' and "
            "'gap (percentage points)'."
        )
    return True, "both axes labelled in lower case"


@register(
    "ex-02-3",
    points=1,
    kind="plot",
    target="gap_figure",
    summary="a line of the Belarusian native-minus-home gap across the three censuses",
    parts=GAP_PLOT_PARTS,
    builds_on="ex-02-1",
)
def _gap_figure(value: Any, gaps: Any) -> Verdict:
    from matplotlib.figure import Figure

    if not isinstance(value, Figure):
        return False, (
            "gap_figure should be a matplotlib Figure (fig from plt.subplots()), "
            f"and it is {describe(value)}."
        )
    if not value.axes or not value.axes[0].get_lines():
        return False, "the figure has no line: draw the gaps with ax.plot."
    ax = value.axes[0]
    line = ax.get_lines()[0]
    try:
        points = {
            round(float(x)): float(y)
            for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)
        }
    except (TypeError, ValueError):
        return False, "put the census years (numbers) on the x axis and the gaps on the y axis."
    verdicts = (_gap_line(points, gaps), _gap_labels(ax))
    return [
        Part(name, points_of_part, *verdict)
        for (name, points_of_part), verdict in zip(GAP_PLOT_PARTS, verdicts, strict=True)
    ]


register_written(
    "ex-02-4",
    points=3,
    target="",
    summary="critique the claim 'most Belarusians speak Belarusian' (100-150 words)",
)


@register(
    "ex-02-5",
    points=1,
    kind="value",
    target="at_least_both",
    summary="the smallest share who must have named both languages in the 2012 survey",
)
def _at_least_both(value: Any) -> tuple[bool, str]:
    number = as_number(value)
    if number is None:
        return False, f"the task asks for a number (a percentage), and you gave {describe(value)}."
    if _answers.agrees("ex-02-5", "answer", number):
        return True, (
            "the two shares add up to more than 100%, so at least that many respondents "
            "named both: a survey that allows two answers cannot be compared with a census "
            "that allows one."
        )
    if _answers.agrees("ex-02-5", "sum", number):
        return False, "that is the sum of the two shares; how much of it is more than 100%?"
    if _answers.agrees("ex-02-5", "answer", number * 100):
        return False, "your answer is a share between 0 and 1; the task asks for a percentage."
    if _answers.agrees("ex-02-5", "everyone_else", number):
        return False, "that is everyone else; the task asks for those who named both."
    return False, "add the two shares and see by how much the total exceeds 100%."
