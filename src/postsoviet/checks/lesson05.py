"""Checks for exercise 05, "Elections" (``solutions/05-elections.ipynb``).

The expected answers are salted hashes written by ``exercise-keys`` from the instructor's
references (:mod:`postsoviet.checks._answers`): margins and turnout of the ``elections``
dataset, the early-vote share of ``early_voting_2020``, the stuffed districts of the
SYNTHETIC mystery election. The keys include the values of the likely slips (wrong base,
"Against all" taken as a candidate, preliminary figures), so messages can name them
without the expected value in the package.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from postsoviet import data, forensics
from postsoviet.checks import (
    Part,
    Verdict,
    _answers,
    _choices,
    as_number,
    describe,
    register,
    register_written,
    same_numbers,
)


def _election_years() -> list[int]:
    """The years of the presidential elections (in the data and the prompt, not an answer)."""
    return sorted(int(year) for year in data.load("elections")["year"].unique())


def _as_year_map(value: Any) -> dict[int, float] | None:
    """A Series or dict of year -> number as a plain dict; None if it is not one."""
    if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
        value = value.iloc[:, 0]
    if isinstance(value, pd.Series):
        if value.index.has_duplicates:
            return None
        value = value.to_dict()
    if not isinstance(value, dict):
        return None
    result = {}
    for key, number in value.items():
        year = as_number(key) if not hasattr(key, "item") else as_number(key.item())
        share = as_number(number) if not hasattr(number, "item") else as_number(number.item())
        if year is None or share is None or not year.is_integer():
            return None
        result[int(year)] = share
    return result


def _margins_given(name: str, given: dict[int, float]) -> _answers.Comparison:
    """A margin per year against one key of ex-05-1 (the answer, or a slip's margins)."""
    return _answers.compare("ex-05-1", name, {str(year): v for year, v in given.items()})


#: ex-05-1 earns a point per range of elections: a slip in one year costs one point.
MARGIN_SPLIT = 2010
MARGIN_PARTS = (
    (f"the elections before {MARGIN_SPLIT}", 1.0),
    (f"the elections from {MARGIN_SPLIT}", 1.0),
)


def _in_range(year: int, part: int) -> bool:
    return (year >= MARGIN_SPLIT) == bool(part)


def _margin_range(given: dict[int, float], part: int) -> tuple[bool, str]:
    """One range of elections of ex-05-1: the right years, each with the right margin."""
    years = {year: margin for year, margin in given.items() if _in_range(year, part)}
    elections = [year for year in _election_years() if _in_range(year, part)]
    if sorted(years) != elections:
        missing = sorted(set(elections) - set(years))
        extra = sorted(set(years) - set(elections))
        return False, (
            f"the years do not match the elections (missing: {missing or 'none'}, "
            f"unexpected: {extra or 'none'})."
        )
    if _margins_given("answer", years).right_as_given:
        return True, f"every margin {MARGIN_PARTS[part][0].removeprefix('the elections ')} right"
    if _margins_given("with_against_all", years).right_as_given:
        return False, "'Against all' is not a candidate: leave it out when finding the runner-up."
    valid = _margins_given("valid_base", years)
    if len(years) > len(valid.unknown) + len(valid.wrong):  # some year has its valid margin
        return False, "some margins use valid-vote shares: use the participants base throughout."
    if _margins_given("within_0.6", years).right_as_given:
        return False, "close, but some margins are off: use the final figures, not preliminary."
    return False, (
        "filter to round 1, status 'final' and base 'participants', drop 'Against all', then "
        "take the largest share minus the second largest in each year."
    )


@register(
    "ex-05-1",
    points=2,
    kind="value",
    target="margins",
    summary="winner's margin over the runner-up in each first round (% of participants)",
    parts=MARGIN_PARTS,
)
def _margin_task(value: Any) -> Verdict:
    if isinstance(value, pd.Series) and value.index.has_duplicates:
        return False, (
            "some years appear more than once: keep one base (participants) and one status "
            "(final) before taking the top two candidates."
        )
    given = _as_year_map(value)
    if given is None:
        return False, (
            "margins should be a pandas Series with one number per year (index: year), "
            f"and you gave {describe(value)}."
        )
    return [
        Part(name, points, *_margin_range(given, part))
        for part, (name, points) in enumerate(MARGIN_PARTS)
    ]


def _line_matches(ydata: Any, name: str) -> bool:
    """Whether a line's values, in order of size, are the key ``name`` of ex-05-2."""
    values = _sorted_values(ydata)
    return values is not None and _answers.agrees_in_order("ex-05-2", name, values)


def _sorted_values(ydata: Any) -> list[float] | None:
    try:
        return sorted(float(y) for y in ydata)
    except (TypeError, ValueError):
        return None


def _is_own_margins(ydata: Any, margins: Any) -> bool:
    """Whether a line's values are the student's own ``margins`` (any order)."""
    own = _as_year_map(margins)
    return own is not None and same_numbers(ydata, own.values())


#: ex-05-2 earns half a point for its two lines and half for its labels and legend; the
#: margin line is compared with the student's own margins, so a wrong margin in ex-05-1
#: is not marked twice.
TREND_PARTS = (("the two lines", 0.5), ("the labels and legend", 0.5))


def _trend_lines(lines: list[Any], margins: Any) -> tuple[bool, str]:
    has_margin = any(
        _is_own_margins(line.get_ydata(), margins)
        or _line_matches(line.get_ydata(), "sorted_margins")
        for line in lines
    )
    if not has_margin:
        return False, "no line matches your margins of task ex-05-1: plot that Series."
    if not any(_line_matches(line.get_ydata(), "sorted_turnout") for line in lines):
        return False, "no line matches the first-round turnout (final, one value per year)."
    return True, "both lines: the margins and the turnout"


def _trend_labels(value: Any) -> tuple[bool, str]:
    for ax in value.axes:
        if not ax.get_lines():
            continue
        labels = [ax.get_xlabel(), ax.get_ylabel()]
        if not all(labels) or any(label != label.lower() for label in labels):
            return False, "label both axes in lower case, with units: 'percentage points'."
    legend = bool(value.legends) or any(ax.get_legend() is not None for ax in value.axes)
    if not legend and len(value.axes) == 1:  # two axes: each axis label names its line
        return False, (
            "add a legend (ax.legend() or fig.legend()), so a reader knows which line is which."
        )
    return True, "labelled, with a legend"


@register(
    "ex-05-2",
    points=1,
    kind="plot",
    target="trend_figure",
    summary="a chart of the winner's margin and the turnout over time",
    parts=TREND_PARTS,
    builds_on="ex-05-1",
)
def _trend_figure(value: Any, margins: Any) -> Verdict:
    from matplotlib.figure import Figure

    if not isinstance(value, Figure):
        return False, (
            "trend_figure should be a matplotlib Figure (fig from plt.subplots()), "
            f"and it is {describe(value)}."
        )
    lines = [line for ax in value.axes for line in ax.get_lines()]
    if len(lines) < 2:
        return False, "draw two lines: the margin and the turnout."
    verdicts = (_trend_lines(lines, margins), _trend_labels(value))
    return [
        Part(name, points, *verdict)
        for (name, points), verdict in zip(TREND_PARTS, verdicts, strict=True)
    ]


@register(
    "ex-05-3",
    points=1,
    kind="value",
    target="early_share",
    summary="early voters as a share of everyone who took part in 2020",
)
def _early_share(value: Any) -> tuple[bool, str]:
    number = as_number(value)
    if number is None:
        return False, f"the task asks for a number (a percentage), and you gave {describe(value)}."
    if _answers.agrees("ex-05-3", "answer", number):
        return True, "early voters as a share of participants, as a percentage."
    if _answers.agrees("ex-05-3", "fraction", number):
        return False, "give a percentage (0-100), not a fraction between 0 and 1."
    early = data.load("early_voting_2020")
    final = early.loc[early["status"].eq("final")].iloc[0]
    registered = early["registered_voters"].dropna()
    if len(registered) and abs(number - 100 * final["early_voters"] / registered.iloc[0]) <= 0.1:
        return False, "that is a share of registered voters; the task asks about participants."
    if any(abs(number - pct) <= 0.01 for pct in early["early_turnout_pct"].dropna()):
        return False, (
            "that is one of the CEC's interim figures (% of registered voters); use the "
            "final counts."
        )
    return False, "divide the final number of early voters by the number of participants."


def _district_names(value: Any) -> set[str] | None:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.to_list()
    if not isinstance(value, (list, tuple, set)):
        return None
    names = set()
    for item in value:
        if not isinstance(item, str):
            return None
        text = " ".join(item.split()).casefold()
        if len(text) == 1:
            text = f"district {text}"
        names.add(text)
    return names


@register(
    "ex-05-4",
    points=2,
    kind="value",
    target="suspects",
    summary="the SYNTHETIC districts in which ballots were stuffed",
)
def _suspects(value: Any) -> tuple[bool, str]:
    names = _district_names(value)
    if names is None:
        return False, (
            'suspects should be a list of district names such as ["district A"], and you '
            f"gave {describe(value)}."
        )
    known = {name.casefold() for name in forensics.DISTRICTS}
    unknown = sorted(names - known)
    if unknown:
        return False, f"{unknown} are not districts of the synthetic election."
    compared = _answers.compare("ex-05-4", "answer", dict.fromkeys(names, ""))
    if compared.passed:
        return True, (
            "those are the stuffed districts: high turnout and a high winner's share pile up "
            "together there, beyond what the honest urban-rural gap explains."
        )
    if not compared.unknown:
        return False, "every district you name was stuffed, but some stuffed ones are missing."
    if len(compared.unknown) < len(names):
        return False, (
            "at least one district you name is clean. A higher correlation alone can come from "
            "the honest rural vote: look for stations with very high turnout and share together."
        )
    return False, (
        "none of those districts was stuffed. Compare districts on the share of stations "
        "with very high turnout and a very high winner's share."
    )


register_written(
    "ex-05-5",
    points=3,
    target="",
    summary="why a self-selected online count cannot estimate the national result (150 words)",
)


@register(
    "ex-05-6",
    points=1,
    kind="value",
    target="problems",
    summary="what is wrong with a headline about the 2020 result",
)
def _headline(value: Any) -> tuple[bool, str]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, (list, tuple, set)) or not all(isinstance(v, str) for v in value):
        return False, f'problems should be a list of letters such as ["a"], not {describe(value)}.'
    letters = {v.strip().casefold() for v in value}
    offered = _choices.options("ex-05-6")
    if not letters <= set(offered):
        return False, f"choose letters from {', '.join(offered)} only."
    verdict = _choices.judge("ex-05-6", letters)
    if verdict.passed:
        return True, verdict.message
    if verdict.wrong:
        return False, (
            f"{', '.join(verdict.wrong)}: check this against the elections data before "
            "calling it a problem."
        )
    return False, "all you chose are real problems, but there are more: look at base and source."
