"""Exercise checks: one friendly line, never the expected value, never a traceback."""

from __future__ import annotations

import contextlib
import io

import pytest
from checkkit import one_check_message
from hypothesis import given, settings
from hypothesis import strategies as st

from postsoviet import checks, data
from postsoviet.checks import evaluate, is_stub

EXPECTED_2020 = (
    data.load("elections")
    .query(
        "year == 2020 and candidate == 'Lukashenko' and status == 'final' "
        "and base == 'participants'"
    )["votes_pct"]
    .item()
)


def reference_winner_share(df, year):
    """A correct solution, as a student would write it."""
    rows = df.query("year == @year and status == 'final' and base == 'participants'")
    return float(rows[rows["round"] == rows["round"].max()]["votes_pct"].max())


def test_stubs_are_not_answered_yet() -> None:
    def stub_function(df, year):
        """Docstring only, as in the exercise."""
        # YOUR CODE HERE

    assert evaluate("ex-90-1", ...).status == "not-answered"
    result = evaluate("ex-90-2", stub_function)
    assert result.status == "not-answered" and "# YOUR CODE HERE" in result.message
    assert is_stub(lambda: None) and not is_stub(lambda x: x) and not is_stub(0)
    assert not is_stub(lambda df, year: 80.1)  # a constant answer is still an answer


@pytest.mark.parametrize(
    ("task_id", "value", "status", "words"),
    [
        ("ex-90-1", EXPECTED_2020, "passed", "final share"),
        ("ex-90-1", EXPECTED_2020 / 100, "failed", "between 0 and 1"),
        ("ex-90-1", 80.23, "failed", "preliminary"),
        ("ex-90-1", "80.1", "failed", "asks for a number"),
        ("ex-90-1", 12.0, "failed", "filter on year"),
        ("ex-90-2", reference_winner_share, "passed", "not tried"),
        ("ex-90-2", lambda df, year: 80.1, "failed", "wrong result for 2001"),
        (
            "ex-90-2",
            lambda df, year: reference_winner_share(df, year) / 100,
            "failed",
            "percentage",
        ),
        ("ex-90-2", lambda df, year: df, "failed", "one number"),
        ("ex-90-2", lambda df, year: 1 / 0, "failed", "ZeroDivisionError"),
        ("ex-90-2", 42, "failed", "should be a function"),
        ("ex-90-3", "a chart", "failed", "matplotlib Figure"),
        ("ex-90-5", "participants", "passed", "everyone who took part"),
        ("ex-90-5", "valid", "failed", "reference works"),
        ("ex-90-5", 3, "failed", "as text"),
        ("ex-91-1", 7, "passed", "one row per question"),
        ("ex-91-1", 4, "failed", "count the rows"),
        ("ex-91-1", 6.5, "failed", "whole number"),
        ("ex-90-4", "my essay", "manual", "instructor"),
    ],
)
def test_results_and_messages(task_id, value, status, words) -> None:
    result = evaluate(task_id, value)
    assert result.status == status, result.line()
    assert words in result.message
    assert result.points == (result.max_points if status == "passed" else 0)


def test_a_loop_that_never_ends_is_stopped() -> None:
    def forever(df, year):
        while True:
            pass

    result = evaluate("ex-90-2", forever)
    assert result.status == "failed" and "did not finish" in result.message


def test_figures_are_inspected() -> None:
    import matplotlib.pyplot as plt

    turnout = data.load("elections").query("status == 'final' and base == 'participants'")
    by_year = turnout.groupby("year")["turnout_pct"].last()
    figure, ax = plt.subplots()
    ax.plot(by_year.index, by_year.values)
    assert "label both axes" in evaluate("ex-90-3", figure).message
    ax.set_xlabel("Election Year")
    ax.set_ylabel("turnout (%)")
    assert "lower case" in evaluate("ex-90-3", figure).message
    ax.set_xlabel("election year")
    assert evaluate("ex-90-3", figure).status == "passed"
    empty = plt.figure()
    assert "no axes" in evaluate("ex-90-3", empty).message
    plt.close("all")


@settings(max_examples=150, deadline=None)
@given(
    task_id=st.sampled_from(["ex-90-1", "ex-90-2", "ex-90-3", "ex-90-5", "ex-91-1", "nope"]),
    value=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=50),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=2), st.integers()),
    ),
)
def test_check_never_raises_and_never_prints_the_expected_value(task_id, value) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        checks.check(task_id, value)
    out = printed.getvalue()
    assert task_id in one_check_message(out)
    assert f"{EXPECTED_2020:g}" not in out.replace(str(value), "")
    assert "Traceback" not in out


def test_unknown_task_is_a_sentence(capsys) -> None:
    checks.check("ex-99-9", 1)
    assert "there is no task 'ex-99-9'" in capsys.readouterr().out


def test_under_nbgrader_a_failed_check_raises(monkeypatch, capsys) -> None:
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError, match="not answered yet"):
        checks.check("ex-90-1", ...)
    with pytest.raises(AssertionError, match="not yet"):
        checks.check("ex-90-1", 12.0)
    checks.check("ex-90-1", EXPECTED_2020)
    checks.check("ex-90-4", "written answers are left to the instructor")
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    checks.check("ex-90-1", ...)  # only autograding scores by raising


def test_every_task_has_points_and_a_target() -> None:
    for task_id in checks.task_ids():
        task = checks.get_task(task_id)
        assert task.points > 0
        assert task.kind == "written" or task.target.isidentifier()


def test_numpy_numbers_count_as_numbers_in_the_check_cell_as_in_the_grader() -> None:
    import numpy as np

    assert checks.as_number(np.int64(3)) == 3.0 and checks.as_whole_number(np.float64(4.0)) == 4
    assert checks.as_number(np.bool_(True)) is None  # a yes/no is not a count
    assert checks.as_number(np.array([1.0])) is None  # an array is not one number
