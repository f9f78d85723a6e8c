"""Exercise 03's checks: solutions pass, blanks are not answered, wrong answers get a sentence.

The flag task is also checked the way the class grader sees it: the figure is collected as
data in a kernel-like namespace (the grader's own collecting code) and rebuilt in another.
"""

from __future__ import annotations

import contextlib
import io
import json

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from postsoviet import data, flags
from postsoviet.checks import evaluate
from postsoviet.grading import evaluate as grading_evaluate
from postsoviet.grading import runner

matplotlib.use("Agg")

VOTES = data.load("referendums")
SYMBOLS = VOTES[VOTES["topic"] == "symbols"].iloc[0]
OF_REGISTERED = 100 * SYMBOLS.yes_votes / SYMBOLS.registered_voters


def gap_to_top(df, date, question_no):
    """A correct solution, as a student would write it."""
    held = df[df["date"] == pd.Timestamp(date)]
    own = held.loc[held["question_no"] == question_no, "yes_pct"].item()
    return float(held["yes_pct"].max() - own)


def draw(bands: list[tuple[str | None, float]], length: float = 2.0, height: float = 1.0) -> Figure:
    """A student's flag: bands from the top, each (colour, share of the height)."""
    fig = Figure()
    ax = fig.add_subplot()
    top = height
    for colour, share in bands:
        if colour is not None:  # None leaves the band unpainted
            ax.add_patch(Rectangle((0, top - share * height), length, share * height, color=colour))
        top -= share * height
    ax.set_xlim(0, length)
    ax.set_ylim(0, height)
    return fig


THIRD = 1 / 3
GOOD = [("white", THIRD), ("red", THIRD), ("white", THIRD)]


def spans() -> Figure:
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_xlim(0, 6)
    ax.set_ylim(0, 3)
    ax.axhspan(0, 3, color="white")
    ax.axhspan(1, 2, color="#d00")  # axhspan spans the axes' width: the whole flag here
    return fig


@pytest.mark.parametrize(
    ("task_id", "value", "status", "words"),
    [
        ("ex-03-1", OF_REGISTERED, "passed", "fewer than half"),
        ("ex-03-1", OF_REGISTERED / 100, "failed", "between 0 and 1"),
        ("ex-03-1", float(SYMBOLS.yes_pct), "failed", "votes cast"),
        ("ex-03-1", 50.0, "failed", "registered voters"),
        ("ex-03-1", "48.7", "failed", "asks for a number"),
        ("ex-03-1", pd.Series([OF_REGISTERED]), "failed", ".item()"),
        ("ex-03-1", ..., "not-answered", "replace the ..."),
        ("ex-03-2", gap_to_top, "passed", "not tried"),
        ("ex-03-2", lambda df, date, q: 8.2, "failed", "wrong result"),
        (
            "ex-03-2",
            lambda df, date, q: -gap_to_top(df, date, q),
            "failed",
            "negative",
        ),
        (
            "ex-03-2",
            lambda df, date, q: (
                df["yes_pct"].max()
                - df.loc[(df["date"] == date) & (df["question_no"] == q), "yes_pct"].item()
            ),
            "failed",
            "same referendum",
        ),
        ("ex-03-2", lambda df, date, q: df, "failed", "pandas object"),
        ("ex-03-2", lambda df, date, q: 1 / 0, "failed", "ZeroDivisionError"),
        ("ex-03-2", 8.2, "failed", "should be a function"),
        ("ex-03-3", draw(GOOD), "passed", "three equal bands"),
        ("ex-03-3", spans(), "passed", "ratio 1:2"),
        ("ex-03-3", flags.flag_figure("white-red-white"), "passed", "three equal bands"),
        ("ex-03-3", draw(GOOD, length=3), "failed", "ratio"),
        (
            "ex-03-3",
            draw([("red", THIRD), ("white", THIRD), ("red", THIRD)]),
            "failed",
            "red-white-red",
        ),
        (
            "ex-03-3",
            draw([("white", 0.25), ("red", 0.5), ("white", 0.25)]),
            "failed",
            "equal height",
        ),
        (
            "ex-03-3",
            draw([("white", THIRD), (None, THIRD), ("white", THIRD)]),
            "failed",
            "unpainted",
        ),
        ("ex-03-3", flags.flag_figure("russia-1993"), "failed", "ratio"),
        ("ex-03-3", Figure(), "failed", "nothing is painted"),
        ("ex-03-3", "a flag", "failed", "should be a matplotlib Figure"),
        ("ex-03-5", ["a", "c", "d"], "passed", "whole history"),
        ("ex-03-5", "a, C, d", "passed", "whole history"),
        ("ex-03-5", ("d", "c", "a", "a"), "passed", "whole history"),
        ("ex-03-5", ["a", "c", "d", "f"], "failed", "1 of your letters is not supported"),
        ("ex-03-5", ["a"], "failed", "2 supported statements are missing"),
        ("ex-03-5", ["a", "z"], "failed", "a to f"),
        ("ex-03-5", [], "failed", "at least one"),
        ("ex-03-5", [1, 2], "failed", "something other than text"),
        ("ex-03-5", 3, "failed", "you gave a int"),
        ("ex-03-5", ..., "not-answered", "replace the ..."),
        ("ex-03-4", "anything", "manual", "instructor"),
    ],
)
def test_results_and_messages(task_id: str, value: object, status: str, words: str) -> None:
    result = evaluate(task_id, value)
    assert result.status == status, result.line()
    assert words in result.message, result.line()


def test_the_blank_function_stub_is_not_answered() -> None:
    def stub(df, date, question_no):
        """Docstring only, as in the exercise."""
        # YOUR CODE HERE

    assert evaluate("ex-03-2", stub).status == "not-answered"


@pytest.mark.parametrize("task_id", ["ex-03-1", "ex-03-2"])
def test_messages_never_give_the_expected_value(task_id: str) -> None:
    for value in (0.0, 12.5, "x", None, [1], lambda df, date, q: 0.0):
        message = evaluate(task_id, value).message
        assert f"{OF_REGISTERED:.1f}" not in message and f"{OF_REGISTERED:.2f}" not in message


def _collect(fig: Figure) -> dict:
    """What the grader's collecting cell prints for a figure in the student's kernel."""
    namespace: dict = {"flag_figure": fig}
    exec(runner._COLLECT, namespace)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        namespace["_postsoviet_collect"](
            [("ex-03-3", "flag_figure", "plot")], "MARK ", runner.ANSWER_LIMIT
        )
    return json.loads(out.getvalue().strip()[len("MARK ") :])["ex-03-3"]


@pytest.mark.parametrize(
    ("figure", "status"),
    [
        (draw(GOOD), "passed"),
        (spans(), "passed"),
        (draw([("white", 0.25), ("red", 0.5), ("white", 0.25)]), "failed"),
        (draw([("red", THIRD), ("white", THIRD), ("red", THIRD)]), "failed"),
    ],
)
def test_the_grader_collects_patches_and_checks_the_rebuilt_flag(
    figure: Figure, status: str
) -> None:
    spec = _collect(figure)
    assert spec["kind"] == "figure" and spec["axes"][0]["patches"]
    result = grading_evaluate.evaluate_task("ex-03-3", spec)
    assert result.status == status, result.line()


def test_figures_without_patches_still_collect_as_before() -> None:
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([1, 2], [3, 4])
    spec = _collect(fig)
    assert spec["axes"][0]["lines"] == [[[1.0, 2.0], [3.0, 4.0]]]
    assert spec["axes"][0]["patches"] == []
    rebuilt = grading_evaluate.rebuild(spec)
    assert len(rebuilt.axes[0].get_lines()) == 1
