"""Exercise 05's checks: the solution passes, a blank is not answered, slips get a sentence."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from instructor_side import references_module

from postsoviet import data, forensics
from postsoviet.checks import evaluate

ELECTIONS = data.load("elections")


def first_rounds(base: str = "participants", status: str = "final", against: bool = False):
    frame = ELECTIONS[
        (ELECTIONS["round"] == 1) & (ELECTIONS["base"] == base) & (ELECTIONS["status"] == status)
    ]
    return frame if against else frame[frame["candidate"] != "Against all"]


def margins_of(frame: pd.DataFrame) -> pd.Series:
    def top_two(shares: pd.Series) -> float:
        return shares.nlargest(2).iloc[0] - shares.nlargest(2).iloc[1]

    return frame.groupby("year")["votes_pct"].apply(top_two)


GOOD_MARGINS = margins_of(first_rounds())
EARLY = data.load("early_voting_2020")
FINAL = EARLY[EARLY["status"] == "final"].iloc[0]
GOOD_EARLY = round(100 * FINAL["early_voters"] / FINAL["participants"], 1)
#: The stuffed districts: the instructor's side knows them, the package names them nowhere.
TRUTH = list(references_module().MYSTERY_DISTRICTS)


def trend(margins: pd.Series, *, labels: tuple[str, str] = ("year", "percent"), legend=True):
    turnout = first_rounds().groupby("year")["turnout_pct"].first()
    figure, ax = plt.subplots()
    ax.plot(margins.index, margins.values, label="margin")
    ax.plot(turnout.index, turnout.values, label="turnout")
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    if legend:
        ax.legend()
    plt.close(figure)
    return figure


@pytest.mark.parametrize("task", ["ex-05-1", "ex-05-2", "ex-05-3", "ex-05-4", "ex-05-6"])
def test_blank_stub_is_not_answered(task: str) -> None:
    result = evaluate(task, ...)
    assert result.status == "not-answered" and "not answered yet" in result.line()


@pytest.mark.parametrize(
    ("task", "value", "status", "words"),
    [
        ("ex-05-1", GOOD_MARGINS, "passed", "every margin before 2010 right"),
        ("ex-05-1", GOOD_MARGINS.to_dict(), "passed", "every margin from 2010 right"),
        ("ex-05-1", margins_of(first_rounds(against=True)), "failed", "'Against all' is not"),
        ("ex-05-1", margins_of(ELECTIONS[ELECTIONS["round"] == 1]), "failed", "'participants'"),
        ("ex-05-1", GOOD_MARGINS.drop(2025), "failed", "missing: [2025]"),
        ("ex-05-1", 42, "failed", "pandas Series"),
        ("ex-05-1", pd.Series([1.0, 2.0], index=[2001, 2001]), "failed", "more than once"),
        ("ex-05-2", trend(GOOD_MARGINS), "passed", "both lines"),
        ("ex-05-2", trend(GOOD_MARGINS + 5), "failed", "margins of task ex-05-1"),
        ("ex-05-2", trend(GOOD_MARGINS, labels=("Year", "percent")), "failed", "lower case"),
        ("ex-05-2", trend(GOOD_MARGINS, legend=False), "failed", "legend"),
        ("ex-05-2", "a chart", "failed", "matplotlib Figure"),
        ("ex-05-3", GOOD_EARLY, "passed", "share of participants"),
        ("ex-05-3", GOOD_EARLY / 100, "failed", "not a fraction"),
        ("ex-05-3", 32.24, "failed", "interim"),
        ("ex-05-3", round(100 * 2806640 / 6836585, 1), "failed", "registered voters"),
        ("ex-05-3", "48", "failed", "asks for a number"),
        ("ex-05-4", TRUTH, "passed", "stuffed districts"),
        ("ex-05-4", [name[-1] for name in TRUTH], "passed", "stuffed"),
        ("ex-05-4", TRUTH[:1], "failed", "some stuffed ones are missing"),
        ("ex-05-4", ["district Z"], "failed", "not districts"),
        ("ex-05-4", 3, "failed", "list of district names"),
        ("ex-05-6", ["a", "b", "e"], "passed", "preliminary"),
        ("ex-05-6", "a, b, e", "passed", "preliminary"),
        ("ex-05-6", ["a", "b"], "failed", "there are more"),
        ("ex-05-6", ["a", "c"], "failed", "c: check this"),
        ("ex-05-6", ["z"], "failed", "letters from"),
        ("ex-05-6", 5, "failed", "list of letters"),
        ("ex-05-5", "my essay", "manual", "instructor"),
    ],
)
def test_results_and_messages(task, value, status, words) -> None:
    result = evaluate(task, value)
    assert result.status == status, result.message
    assert words in result.message


def test_a_clean_district_named_with_a_stuffed_one_fails_with_a_hint() -> None:
    truth = TRUTH
    clean = next(d for d in forensics.DISTRICTS if d not in truth)
    result = evaluate("ex-05-4", [*truth[:1], clean])
    assert result.status == "failed" and "urban-rural" not in result.message
    assert "clean" in result.message


def test_messages_never_give_the_expected_values() -> None:
    expected = [f"{value:g}" for value in GOOD_MARGINS.round(2)]
    expected += [f"{GOOD_EARLY:g}", *TRUTH]
    for task, value in [("ex-05-1", 1), ("ex-05-3", 1.0), ("ex-05-4", ["district A"])]:
        message = evaluate(task, value).message
        assert not any(text in message for text in expected), message
