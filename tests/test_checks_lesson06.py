"""Exercise 06 checks: the solution passes, blanks say "not answered yet", plausible wrong
answers fail with a useful sentence, odd types get a clear sentence."""

from __future__ import annotations

import contextlib
import io

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from checkkit import one_check_message

from postsoviet import checks, data
from postsoviet.checks import evaluate
from postsoviet.relations import coded_events

CODED = coded_events()


def union_counts() -> tuple[int, int]:
    union = data.load("timeline").query("theme == 'union'")
    return (
        int(union["date"].between("2018-01-01", "2020-08-07").sum()),
        int(union["date"].between("2020-08-08", "2025-12-31").sum()),
    )


def good_rule(sentence):
    """A keyword rule, as a student would write it."""
    text = sentence.lower()
    if "sanction" in text or "travel ban" in text:
        return "neither"
    if any(
        w in text
        for w in [
            "stopped",
            "not on the agenda",
            "without agreeing",
            "warned",
            "detained",
            "compulsion",
            "colour revolution",
            "waged against",
            "ready to build",
            "contaminated",
            "missed their flight",
            "norwegian",
        ]
    ):
        return "conflict"
    if any(
        w in text
        for w in [
            "loan",
            "joint",
            "union programmes",
            "treaty",
            "handed over",
            "reserve",
            "nuclear weapons",
            "warheads",
            "troops",
            "invasion",
            "gas price",
            "exercise",
        ]
    ):
        return "cooperation"
    return "neither"


def reference_net(df):
    month = df["date"].dt.to_period("M")
    score = df["relation"].map({"cooperation": 1, "conflict": -1}).fillna(0)
    months = pd.period_range(df["date"].min(), df["date"].max(), freq="M")
    return score.groupby(month).sum().reindex(months, fill_value=0)


def without_empty_months(df):
    month = df["date"].dt.to_period("M")
    return df["relation"].map({"cooperation": 1, "conflict": -1}).fillna(0).groupby(month).sum()


def index_figure(*, report_line=True, xlabel="month"):
    net = reference_net(CODED).rolling(3, min_periods=1).mean()
    fig, ax = plt.subplots()
    ax.plot(net.index.to_timestamp(), net.to_numpy())
    if report_line:
        ax.axvline(pd.Timestamp("2020-08-07"), linestyle="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("events per month")
    plt.close(fig)
    return fig


AFTER = [str(d.date()) for d in CODED.query("relation == 'cooperation'")["date"] if d.year >= 2021]


@pytest.mark.parametrize(
    ("task_id", "value", "status", "words"),
    [
        ("ex-06-1", union_counts(), "passed", "came to nothing"),
        ("ex-06-1", list(union_counts()), "passed", "came to nothing"),
        ("ex-06-1", union_counts()[::-1], "failed", "wrong way round"),
        ("ex-06-1", (union_counts()[0] + 5, union_counts()[1]), "failed", "one count is right"),
        ("ex-06-1", 7, "failed", "two numbers in brackets"),
        ("ex-06-1", (1, 2, 3), "failed", "of another length"),
        ("ex-06-1", ("4", "3"), "failed", "whole numbers"),
        ("ex-06-2", good_rule, "passed", "agrees with the lesson's coding"),
        ("ex-06-2", lambda s: "neither", "failed", "never returns"),
        (
            "ex-06-2",
            lambda s: ["neither", "conflict", "cooperation"][len(s) % 3],
            "failed",
            "aim for at least 75%",
        ),
        ("ex-06-2", lambda s: 1, "failed", "'cooperation', 'conflict' or 'neither'"),
        ("ex-06-2", "a rule", "failed", "should be a function"),
        ("ex-06-3", reference_net, "passed", "tables you had not seen"),
        ("ex-06-3", without_empty_months, "failed", "months without events"),
        ("ex-06-3", lambda df: -reference_net(df), "failed", "sign is reversed"),
        ("ex-06-3", lambda df: reference_net(df).to_numpy(), "failed", "pandas Series"),
        ("ex-06-3", lambda df: reference_net(df).reset_index(drop=True), "failed", "by month"),
        ("ex-06-3", lambda df: reference_net(df) * 2, "failed", "wrong value"),
        ("ex-06-4", index_figure(), "passed", "report's date marked"),
        ("ex-06-4", index_figure(report_line=False), "failed", "vertical line"),
        ("ex-06-4", index_figure(xlabel="Month"), "failed", "lower case"),
        ("ex-06-4", "a chart", "failed", "matplotlib Figure"),
        ("ex-06-5", "my essay", "manual", "instructor"),
        ("ex-06-6", {"verdict": "refuted", "evidence": AFTER[:3]}, "passed", "refuted"),
        ("ex-06-6", {"verdict": "supported", "evidence": AFTER[:3]}, "failed", "coming closer"),
        ("ex-06-6", {"verdict": "refuted", "evidence": AFTER[:2]}, "failed", "at least three"),
        (
            "ex-06-6",
            {"verdict": "refuted", "evidence": ["2019-12-07", *AFTER[:3]]},
            "failed",
            "after polling day",
        ),
        (
            "ex-06-6",
            {"verdict": "refuted", "evidence": ["2021-05-23", *AFTER[:3]]},
            "failed",
            "codes 'neither'",
        ),
        (
            "ex-06-6",
            {"verdict": "refuted", "evidence": ["2021-03-03", *AFTER[:3]]},
            "failed",
            "no event in the timeline",
        ),
        (
            "ex-06-6",
            {"verdict": "refuted", "evidence": ["soon", "later", "then"]},
            "failed",
            "YYYY-MM-DD",
        ),
        ("ex-06-6", {"verdict": "maybe", "evidence": AFTER[:3]}, "failed", "one of the words"),
        ("ex-06-6", "refuted", "failed", "a dict with two keys"),
    ],
)
def test_results_and_messages(task_id, value, status, words) -> None:
    result = evaluate(task_id, value)
    assert result.status == status, result.line()
    assert words in result.message, result.message
    assert result.points == (result.max_points if status == "passed" else 0)


@pytest.mark.parametrize("task_id", ["ex-06-1", "ex-06-4", "ex-06-6"])
def test_blank_stub_is_not_answered_yet(task_id) -> None:
    assert evaluate(task_id, ...).status == "not-answered"


@pytest.mark.parametrize("task_id", ["ex-06-2", "ex-06-3"])
def test_blank_function_is_not_answered_yet(task_id) -> None:
    def stub(df):
        """Docstring only, as in the exercise."""
        # YOUR CODE HERE

    result = evaluate(task_id, stub)
    assert result.status == "not-answered" and "# YOUR CODE HERE" in result.message


@pytest.mark.parametrize("value", [None, 3.5, "", [], {}, {"verdict": None, "evidence": None}])
@pytest.mark.parametrize("task_id", ["ex-06-1", "ex-06-2", "ex-06-3", "ex-06-4", "ex-06-6"])
def test_odd_values_get_one_sentence_and_no_expected_value(task_id, value) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        checks.check(task_id, value)
    out = printed.getvalue()
    assert one_check_message(out).startswith("✗ " + task_id)
    assert "Traceback" not in out and str(union_counts()) not in out
