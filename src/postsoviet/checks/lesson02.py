"""Checks for exercise 02, "Identity" (``solutions/02-identity.ipynb``).

Expected values come from the course's ``census_language`` and ``ethnicity`` datasets at
check time; the function is tried on groups, censuses and a table the exercise does not
show; the figure is inspected, not compared pixel by pixel.
"""

from __future__ import annotations

import math
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

#: A 2012 national survey (Novak, for Budzma) that let respondents name more than one
#: native language, as reported by Jamestown's Eurasia Daily Monitor (June 2012). The
#: exercise prints both figures in its prompt.
SURVEY_2012_NATIVE = {"belarusian": 52.4, "russian": 78.7}


def _close(a: float, b: float, tolerance: float = 0.051) -> bool:
    return abs(a - b) <= tolerance


def _expected_gaps() -> dict[int, float]:
    """Belarusian native share minus home share, whole population, per census."""
    rows = data.load("census_language")
    rows = rows[(rows["population_group"] == "all") & (rows["language"] == "belarusian")]
    wide = rows.pivot(index="census_year", columns="measure", values="share_pct")
    return {int(year): float(row.native - row.home) for year, row in wide.iterrows()}


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
    expected = _expected_gaps()
    keys = {}
    for key, number in mapping.items():
        year = as_number(key)
        if year is None or not float(year).is_integer():
            return False, f"the index should hold census years (1999, 2009, 2019), not {key!r}."
        keys[int(year)] = number
    if set(keys) != set(expected):
        return False, "give one gap for each census year in the data: 1999, 2009 and 2019."
    numbers = {year: as_number(number) for year, number in keys.items()}
    if any(number is None for number in numbers.values()):
        return False, "every gap should be a number of percentage points."
    if all(_close(-numbers[y], expected[y]) for y in expected):  # type: ignore[operator]
        return False, "the sign is reversed: subtract the home share from the native share."
    wrong = [y for y in sorted(expected) if not _close(numbers[y], expected[y])]  # type: ignore[arg-type]
    if wrong:
        return False, (
            f"the gap for {wrong[0]} is not right: keep the whole population (population_group "
            "'all') and Belarusian only, then native minus home."
        )
    return True, "native minus home, in percentage points, for every census."


def _reference_share_change(frame: pd.DataFrame, group: str, start: int, end: int) -> float:
    shares = frame[frame["group"] == group].set_index("census_year")["share_pct"]
    return float(shares.loc[end] - shares.loc[start])


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
    ethnicity = data.load("ethnicity")
    # A table in another order, with other figures, so a function that returns remembered
    # numbers or relies on row positions fails.
    shuffled = ethnicity.sample(frac=1.0, random_state=7).reset_index(drop=True)
    shuffled = shuffled.assign(share_pct=shuffled["share_pct"] + shuffled["census_year"] % 7)
    cases = [
        (ethnicity, "poles", 1999, 2019),
        (ethnicity, "russians", 2009, 2019),
        (ethnicity, "belarusians", 1999, 2009),
        (shuffled, "ukrainians", 1999, 2019),
    ]
    for frame, group, start, end in cases:
        result = student_call(function, frame.copy(), group, start, end)
        number = as_number(result)
        if number is None:
            return False, (
                f"share_change(df, {group!r}, {start}, {end}) returned {describe(result)}; "
                "it should return one number (a float)."
            )
        expected = _reference_share_change(frame, group, start, end)
        if _close(number, -expected, 1e-6) and not _close(expected, 0, 1e-6):
            return False, "the sign is reversed: later share minus earlier share."
        if not _close(number, expected, 1e-6):
            note = " on a reordered table with other figures" if frame is shuffled else ""
            return False, (
                f"share_change gives a wrong result for {group} from {start} to {end}{note}: "
                "select the group's rows and compare the two census years by value."
            )
    return True, "share_change works for groups, years and a table you had not tried."


@register(
    "ex-02-3",
    points=1,
    kind="plot",
    target="gap_figure",
    summary="a line of the Belarusian native-minus-home gap across the three censuses",
)
def _gap_figure(value: Any) -> tuple[bool, str]:
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
    expected = _expected_gaps()
    if set(points) != set(expected):
        return False, "the line should have one point per census year: 1999, 2009 and 2019."
    if not all(_close(points[year], gap) for year, gap in expected.items()):
        return False, "the line's values are not the gaps: plot your gaps from task ex-02-1."
    labels = [ax.get_xlabel(), ax.get_ylabel()]
    if not all(labels) or any(label != label.lower() for label in labels):
        return False, (
            "label both axes in lower case, with units: 'census year' and "
            "'gap (percentage points)'."
        )
    return True, "a labelled line of the gap at each census."


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
    total = sum(SURVEY_2012_NATIVE.values())
    expected = total - 100
    if _close(number, expected):
        return True, (
            "the two shares add up to more than 100%, so at least that many respondents "
            "named both: a survey that allows two answers cannot be compared with a census "
            "that allows one."
        )
    if _close(number, total):
        return False, "that is the sum of the two shares; how much of it is more than 100%?"
    if _close(number * 100, expected):
        return False, "your answer is a share between 0 and 1; the task asks for a percentage."
    if math.isclose(number, 100 - expected, abs_tol=0.051):
        return False, "that is everyone else; the task asks for those who named both."
    return False, "add the two shares and see by how much the total exceeds 100%."
