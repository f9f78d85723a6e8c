"""Checks for exercise 04, "Energy dependence" (``solutions/04-energy.ipynb``).

The expected answers are salted hashes written by ``exercise-keys`` from the instructor's
references (:mod:`postsoviet.checks._answers`); the HHI function is tried on years and on
a table the exercise does not show. Common slips (a result 1000 times too big, a reversed
sign) are named by transforming the student's answer and comparing it with the same key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from postsoviet import data, energy
from postsoviet.checks import (
    Part,
    Verdict,
    _answers,
    _choices,
    as_number,
    as_whole_number,
    describe,
    register,
    register_written,
    same_numbers,
    student_call,
)

VOLUME_BCM = 20.0


def _as_year_values(value: Any) -> dict[int, float] | None:
    """A Series or dict of year -> number as a plain dict; None if it is not one."""
    if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
        value = value.iloc[:, 0]
    if isinstance(value, (pd.Series, Mapping)):
        pairs = list(value.items())
    else:
        return None
    out: dict[int, float] = {}
    for key, number in pairs:
        year = as_whole_number(key.item() if hasattr(key, "item") else key)
        amount = number.item() if hasattr(number, "item") else number
        if year is None:
            return None
        if amount is None or (isinstance(amount, float) and math.isnan(amount)):
            out[year] = math.nan
            continue
        if as_number(amount) is None:
            return None
        out[year] = float(amount)
    return out


def _subsidy_given(amounts: Mapping[int, float]) -> _answers.Comparison:
    """A subsidy per year against the key of ex-04-1, labelled by year."""
    return _answers.compare("ex-04-1", "answer", {str(y): v for y, v in amounts.items()})


#: ex-04-1 earns a point per range of years: a slip in one year costs one point, not two.
SPLIT_YEAR = 2015
SUBSIDY_PARTS = ((f"the years to {SPLIT_YEAR - 1}", 1.0), (f"the years from {SPLIT_YEAR}", 1.0))


def _in_range(year: int, part: int) -> bool:
    return (year >= SPLIT_YEAR) == bool(part)


def _subsidy_range(given: Mapping[int, float], part: int) -> tuple[bool, str]:
    """One range of years of ex-04-1: the right years, each with the right value."""
    name = SUBSIDY_PARTS[part][0]
    years = {year: amount for year, amount in given.items() if _in_range(year, part)}
    expected = _answers.present(
        "ex-04-1",
        "answer",
        [str(y) for y in data.load("gas_prices")["year"] if _in_range(int(y), part)],
    )
    compared = _subsidy_given(years)
    if compared.unknown:
        return False, f"no reference price in {', '.join(compared.unknown)}: leave them out."
    if len(years) < len(expected):
        return False, "a year with a reference price is missing: keep every such year."
    if compared.wrong:
        return False, (
            f"off in {', '.join(compared.wrong)}: (europe_reference_usd - usd_per_1000m3) "
            "x 20 / 1000 for each year."
        )
    return True, f"every year {name.removeprefix('the years ')} right"


@register(
    "ex-04-1",
    points=2,
    kind="value",
    target="subsidy_bn",
    summary="implied gas subsidy per year, billion USD, 20 bcm, Gazprom's European average",
    parts=SUBSIDY_PARTS,
)
def _subsidy_per_year(value: Any) -> Verdict:
    given = _as_year_values(value)
    if given is None:
        return False, (
            "the task asks for a pandas Series with years as the index and billions of US "
            f"dollars as values, and you gave {describe(value)}."
        )
    blanks = [year for year, amount in given.items() if math.isnan(amount)]
    if blanks:
        return False, (
            "keep only the years that have a European reference price: drop the blank rows "
            "(dropna) rather than keeping them or filling them with 0."
        )

    def scaled(factor: float) -> _answers.Comparison:
        return _subsidy_given({year: amount * factor for year, amount in given.items()})

    compared = scaled(1)
    if compared.unknown and all(abs(given[int(y)]) < 1e-9 for y in compared.unknown):
        return False, "a year without a reference price has no estimate, not a zero."
    # A slip made in every year is one mistake, named once: it earns no part.
    if not compared.passed and not (compared.unknown or compared.missing):
        if scaled(1 / 1000).passed:
            return False, (
                "the values are 1000 times too big: (USD per 1000 m³) x (billion m³) gives "
                "millions of dollars; divide by 1000 to get billions."
            )
        if scaled(-1).passed:
            return False, "the sign is reversed: the subsidy is reference price minus price paid."
        if scaled(VOLUME_BCM / 1000).passed:
            return False, "these are price gaps per 1000 m³; multiply by the volume (20 bcm)."
    return [
        Part(name, points, *_subsidy_range(given, part))
        for part, (name, points) in enumerate(SUBSIDY_PARTS)
    ]


def _other_table() -> pd.DataFrame:
    """A small made-up table in the trade layout, so a hard-coded answer cannot pass."""
    first, second, third, fourth = energy.PARTNERS[:4]
    rows = [
        (2030, first, 50.0, 60.0),
        (2030, second, 20.0, None),
        (2030, third, 10.0, 5.0),
        (2030, fourth, None, 15.0),
        (2030, "other", None, None),
        (2031, first, None, None),
        (2031, second, None, None),
    ]
    return pd.DataFrame(
        rows, columns=["year", "partner", "exports_share_pct", "imports_share_pct"]
    ).assign(source="made-up table for checking")


def known_hhi_inputs() -> list[tuple[pd.DataFrame, int, str, str]]:
    """The hidden calls of ``known_hhi``: (table, year, flow, note on the table).

    Inputs, not answers: the instructor's references compute the index on them.
    """
    trade, other = data.load("trade"), _other_table()
    unseen = " on a table you have not seen"
    return [
        (trade, 2013, "exports", ""),
        (trade, 2016, "exports", ""),
        (trade, 2019, "imports", ""),
        (other, 2030, "exports", unseen),
        (other, 2030, "imports", unseen),
    ]


#: ex-04-2 earns a point on the course's table and one on a table the student has not
#: seen (blanks included): a rule that only fits the data shown earns half.
HHI_PARTS = (("the course's trade table", 1.0), ("a table you have not seen", 1.0))


def _hhi_case(function: Any, frame: pd.DataFrame, year: int, flow: str, case: int) -> str:
    """What is wrong with known_hhi on one hidden call; "" when it is right."""
    result = student_call(function, frame.copy(), year, flow)
    number = as_number(result.item() if hasattr(result, "item") else result)
    if number is None:
        return (
            f"known_hhi(df, {year}, {flow!r}) returned {describe(result)}; "
            "it should return one number."
        )
    if _answers.agrees("ex-04-2", f"call{case}", number):
        return ""
    if _answers.agrees("ex-04-2", f"fractions{case}", number):
        return "use the shares as percentages (0-100), so the index runs to 10,000."
    shares = frame.loc[frame["year"] == year, energy.FLOWS[flow]].dropna()
    if abs(number - float(shares.sum())) <= 0.05:
        return "square each share before adding them up."
    return f"known_hhi gives a wrong value for {flow} in {year}."


def _hhi_blank(function: Any) -> str:
    """What is wrong with known_hhi for a year with no known share; "" when it is right."""
    empty = student_call(function, _other_table(), 2031, "exports")
    value = empty.item() if hasattr(empty, "item") else empty
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return (
        "for a year with no known share, return a blank (float('nan') or None), not "
        f"{value!r}: a zero would mean perfectly spread trade."
    )


@register(
    "ex-04-2",
    points=2,
    kind="function",
    target="known_hhi",
    summary="known_hhi(df, year, flow): HHI over the partners whose share is known",
    parts=HHI_PARTS,
)
def _known_hhi(function: Any) -> Verdict:
    if not callable(function):
        return False, f"known_hhi should be a function (def ...), and it is {describe(function)}."
    problems = ["", ""]
    for case, (frame, year, flow, note) in enumerate(known_hhi_inputs()):
        part = 1 if note else 0
        if not problems[part]:
            problems[part] = _hhi_case(function, frame, year, flow, case)
    if not problems[1]:
        problems[1] = _hhi_blank(function)
    praise = ("right on the years tried", "right on another table, blanks included")
    return [
        Part(name, points, not problem, problem or said)
        for (name, points), problem, said in zip(HHI_PARTS, problems, praise, strict=True)
    ]


@register(
    "ex-04-3",
    points=1,
    kind="value",
    target="peak_import_year",
    summary="the year Russia's share of Belarus's imports was highest, among years with data",
)
def _peak_import_year(value: Any) -> tuple[bool, str]:
    year = as_whole_number(value.item() if hasattr(value, "item") else value)
    if year is None:
        return False, f"the task asks for a year as a whole number, and you gave {describe(value)}."
    if _answers.agrees("ex-04-3", "answer", year):
        return True, "the highest import share among the years the data cover."
    if _answers.agrees("ex-04-3", "export_peak", year):
        return False, "that is the peak of the export share: use imports_share_pct."
    if _answers.agrees("ex-04-3", "import_low", year):
        return False, "that is the lowest import share: look for the highest (idxmax)."
    return False, "filter partner == 'Russia', then find the year of the largest imports_share_pct."


#: ex-04-4 earns half a point for its points and half for its labels; the points are
#: compared with the student's own subsidy_bn, so a wrong estimate is not marked twice.
PLOT_PARTS = (("the points", 0.5), ("the labels", 0.5))


def _drawn_from(heights: list[float], subsidy: Any) -> bool:
    """Whether the chart's values are the student's own ``subsidy_bn`` (any order)."""
    own = _as_year_values(subsidy)
    return own is not None and same_numbers(heights, own.values())


def _plot_labels(ax: Any) -> str:
    """What is wrong with the chart's axis labels; "" when they are right."""
    labels = [ax.get_xlabel(), ax.get_ylabel()]
    if not all(labels) or any(label != label.lower() for label in labels):
        return "label both axes in lower case, with units: 'implied subsidy (billion usd)'."
    if not any(unit in ax.get_ylabel() for unit in ("usd", "$", "dollar")):
        return "say the unit on the value axis: billions of US dollars."
    return ""


@register(
    "ex-04-4",
    points=1,
    kind="plot",
    target="subsidy_plot",
    summary="the implied subsidy per year as points (ax.plot), labelled, lower case",
    parts=PLOT_PARTS,
    builds_on="ex-04-1",
)
def _subsidy_plot(value: Any, subsidy: Any) -> Verdict:
    from matplotlib.figure import Figure

    if not isinstance(value, Figure):
        return False, (
            "subsidy_plot should be a matplotlib Figure (fig from plt.subplots()), "
            f"and it is {describe(value)}."
        )
    if not value.axes:
        return False, "the figure has no axes: draw on ax from plt.subplots()."
    ax = value.axes[0]
    # Only lines count: the class grader rebuilds a figure from its lines and labels.
    if not ax.get_lines():
        if ax.containers:
            return (
                False,
                "draw the points with ax.plot(..., marker='o', linestyle='none'), not bars.",
            )
        return False, "the figure has no points: use ax.plot with marker='o'."
    line = ax.get_lines()[0]
    heights = [float(y) for y in line.get_ydata()]
    drawn = [v for v in heights if not math.isnan(v)]
    points_right = _drawn_from(drawn, subsidy) or _answers.agrees_in_order(
        "ex-04-4", "sorted_points", sorted(round(v, 2) for v in drawn)
    )
    joined = line.get_linestyle() not in ("None", "none", "", " ")
    if joined:
        points_message = (
            "draw points only (marker='o', linestyle='none'): a line between them would "
            "invent estimates for the years in between."
        )
    elif points_right:
        points_message = "the points are your subsidy_bn"
    else:
        points_message = (
            "the points should be your subsidy_bn values, one per year with a reference."
        )
    labels_problem = _plot_labels(ax)
    return [
        Part(PLOT_PARTS[0][0], PLOT_PARTS[0][1], points_right and not joined, points_message),
        Part(
            PLOT_PARTS[1][0],
            PLOT_PARTS[1][1],
            not labels_problem,
            labels_problem or "both axes labelled in lower case, with units",
        ),
    ]


register_written(
    "ex-04-5",
    points=3,
    target="",
    summary="why transit gives Minsk leverage too (100-150 words)",
)


@register(
    "ex-04-6",
    points=1,
    kind="value",
    target="verdict",
    summary="which reading of two published subsidy estimates the data support",
)
def _verdict(value: Any) -> tuple[bool, str]:
    if not isinstance(value, str):
        return False, f"write one letter as text, such as 'a', and you gave {describe(value)}."
    letter = value.strip().strip("()").casefold()
    if len(letter) != 1 or letter not in _choices.options("ex-04-6"):
        return False, "answer with one of the letters a, b, c or d."
    verdict = _choices.judge("ex-04-6", letter)
    return verdict.passed, verdict.message or "reread the two claims against your subsidy_bn."
