"""Checks for exercise 05, "Elections" (``solutions/05-elections.ipynb``).

Expected values are derived at check time: margins and turnout from the ``elections``
dataset, the early-vote share from ``early_voting_2020``, the manipulated districts from
the SYNTHETIC generator in :mod:`postsoviet.forensics`. Messages name the likely slip
(wrong base, "Against all" taken as a candidate, preliminary figures) without printing
the expected value.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from postsoviet import data, forensics
from postsoviet.checks import as_number, describe, register, register_written

AGAINST_ALL = "Against all"
TOLERANCE = 0.011


def _first_rounds(
    status: str = "final", base: str = "participants", *, with_against_all: bool = False
) -> pd.DataFrame:
    table = data.load("elections")
    chosen = table[(table["round"] == 1) & (table["status"] == status) & (table["base"] == base)]
    if not with_against_all:
        chosen = chosen[chosen["candidate"] != AGAINST_ALL]
    return chosen


def _margins(frame: pd.DataFrame) -> dict[int, float]:
    result = {}
    for year, part in frame.groupby("year"):
        shares = part["votes_pct"].sort_values(ascending=False).to_list()
        if len(shares) >= 2:
            result[int(year)] = round(shares[0] - shares[1], 2)
    return result


def expected_margins() -> dict[int, float]:
    """Winner minus runner-up, first rounds, CEC final figures (% of participants)."""
    return _margins(_first_rounds())


def expected_turnout() -> dict[int, float]:
    """Turnout of each first round (final, % of registered voters)."""
    frame = _first_rounds()
    return {int(year): float(part["turnout_pct"].iloc[0]) for year, part in frame.groupby("year")}


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


def _close(given: dict[int, float], expected: dict[int, float]) -> bool:
    return set(given) == set(expected) and all(
        abs(given[year] - expected[year]) <= TOLERANCE for year in expected
    )


@register(
    "ex-05-1",
    points=2,
    kind="value",
    target="margins",
    summary="winner's margin over the runner-up in each first round (% of participants)",
)
def _margin_task(value: Any) -> tuple[bool, str]:
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
    expected = expected_margins()
    if _close(given, expected):
        return True, "one margin per election, on the CEC's base, without 'Against all'."
    if set(given) != set(expected):
        missing = sorted(set(expected) - set(given))
        extra = sorted(set(given) - set(expected))
        return False, (
            f"the years do not match the elections (missing: {missing or 'none'}, "
            f"unexpected: {extra or 'none'})."
        )
    with_against = _margins(_first_rounds(with_against_all=True))
    if _close(given, with_against):
        return False, "'Against all' is not a candidate: leave it out when finding the runner-up."
    valid = _margins(_first_rounds(base="valid"))
    if any(year in valid and abs(given[year] - valid[year]) <= TOLERANCE for year in given):
        return False, "some margins use valid-vote shares: use the participants base throughout."
    if all(abs(given[year] - expected[year]) <= 0.6 for year in expected):
        return False, "close, but some margins are off: use the final figures, not preliminary."
    return False, (
        "filter to round 1, status 'final' and base 'participants', drop 'Against all', then "
        "take the largest share minus the second largest in each year."
    )


def _line_matches(ydata: Any, expected: dict[int, float]) -> bool:
    try:
        values = sorted(float(y) for y in ydata)
    except (TypeError, ValueError):
        return False
    target = sorted(expected.values())
    return len(values) == len(target) and all(
        math.isclose(a, b, abs_tol=0.02) for a, b in zip(values, target, strict=True)
    )


@register(
    "ex-05-2",
    points=1,
    kind="plot",
    target="trend_figure",
    summary="a chart of the winner's margin and the turnout over time",
)
def _trend_figure(value: Any) -> tuple[bool, str]:
    from matplotlib.figure import Figure

    if not isinstance(value, Figure):
        return False, (
            "trend_figure should be a matplotlib Figure (fig from plt.subplots()), "
            f"and it is {describe(value)}."
        )
    lines = [line for ax in value.axes for line in ax.get_lines()]
    if len(lines) < 2:
        return False, "draw two lines: the margin and the turnout."
    has_margin = any(_line_matches(line.get_ydata(), expected_margins()) for line in lines)
    has_turnout = any(_line_matches(line.get_ydata(), expected_turnout()) for line in lines)
    if not has_margin:
        return False, "no line matches the margins of task ex-05-1: plot that Series."
    if not has_turnout:
        return False, "no line matches the first-round turnout (final, one value per year)."
    for ax in value.axes:
        if not ax.get_lines():
            continue
        labels = [ax.get_xlabel(), ax.get_ylabel()]
        if not all(labels) or any(label != label.lower() for label in labels):
            return False, "label both axes in lower case, with units: 'percentage points'."
    if not any(ax.get_legend() is not None for ax in value.axes) and len(value.axes) == 1:
        return False, "add a legend, so a reader knows which line is which."
    return True, "both lines, labelled, with a legend."


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
    early = data.load("early_voting_2020")
    final = early.loc[early["status"].eq("final")].iloc[0]
    expected = 100 * final["early_voters"] / final["participants"]
    if abs(number - expected) <= 0.06:
        return True, "early voters as a share of participants, as a percentage."
    if abs(100 * number - expected) <= 6:
        return False, "give a percentage (0-100), not a fraction between 0 and 1."
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
    truth = {name.casefold() for name in forensics.mystery_truth()}
    if names == truth:
        return True, (
            "those are the stuffed districts: high turnout and a high winner's share pile up "
            "together there, beyond what the honest urban-rural gap explains."
        )
    if names < truth:
        return False, "every district you name was stuffed, but some stuffed ones are missing."
    if names & truth:
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

HEADLINE_OPTIONS = ("a", "b", "c", "d", "e")
_HEADLINE_PROBLEMS = frozenset({"a", "b", "e"})


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
    if not letters <= set(HEADLINE_OPTIONS):
        return False, f"choose letters from {', '.join(HEADLINE_OPTIONS)} only."
    if letters == _HEADLINE_PROBLEMS:
        return True, (
            "the figure was preliminary, it is a share of those who took part, and it is the "
            "CEC's claim, which nobody independent could check."
        )
    wrong = letters - _HEADLINE_PROBLEMS
    if wrong:
        return False, (
            f"{', '.join(sorted(wrong))}: check this against the elections data before "
            "calling it a problem."
        )
    return False, "all you chose are real problems, but there are more: look at base and source."
