"""Partial credit and errors carried forward: parts earn their own points, a later task is
checked against the student's own earlier answer, and all three graders say the same."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_output

from postsoviet import checks, data
from postsoviet.checks import Part, evaluate
from postsoviet.grading.collect import encode, encode_figure
from postsoviet.grading.evaluate import evaluate_request
from postsoviet.grading.runner import _COLLECT, ANSWER_LIMIT, MARKER

GAS = data.load("gas_prices").dropna(subset=["europe_reference_usd"])


def subsidy(volume: float = 20) -> pd.Series:
    gap = GAS["europe_reference_usd"] - GAS["usd_per_1000m3"]
    return pd.Series((gap * volume / 1000).to_numpy(), index=GAS["year"])


def chart(values: pd.Series, *, labels: tuple[str, str] = ("year", "subsidy (billion usd)")):
    figure, ax = plt.subplots()
    ax.plot(values.index, values.to_numpy(), marker="o", linestyle="none")
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    plt.close(figure)
    return figure


def test_declared_parts_add_up_to_the_points_and_only_some_tasks_have_them() -> None:
    with_parts = {t for t in checks.task_ids() if checks.get_task(t).parts}
    assert with_parts == {
        "ex-01-2",
        "ex-02-3",
        "ex-04-1",
        "ex-04-2",
        "ex-04-4",
        "ex-05-1",
        "ex-05-2",
    }
    for task_id in with_parts:
        task = checks.get_task(task_id)
        assert sum(points for _, points in task.parts) == task.points, task_id
    assert {
        t: checks.get_task(t).builds_on for t in checks.task_ids() if checks.get_task(t).builds_on
    } == {
        "ex-02-3": "ex-02-1",
        "ex-04-4": "ex-04-1",
        "ex-05-2": "ex-05-1",
    }


def test_parts_that_do_not_add_up_or_build_on_another_exercise_are_refused() -> None:
    with pytest.raises(ValueError, match="do not add up"):
        checks.register(
            "ex-98-1", points=2, kind="value", target="x", summary="", parts=(("a", 1),)
        )
    with pytest.raises(ValueError, match="its own exercise"):
        checks.register(
            "ex-98-2", points=1, kind="plot", target="x", summary="", builds_on="ex-04-1"
        )


def test_a_plain_verdict_decides_the_whole_task_and_parts_are_summed() -> None:
    task = checks.get_task("ex-04-2")
    whole = checks._scored(task, (False, "not a function."))
    assert (whole.status, whole.points, whole.message) == ("failed", 0, "not a function.")
    half = checks._scored(
        task, [Part(n, p, i == 0, f"part {i}") for i, (n, p) in enumerate(task.parts)]
    )
    assert (half.status, half.points) == ("failed", 1)
    assert half.message.startswith("1 of 2 points: ✓ part 0; ✗ a table you have not seen (1 point)")
    with pytest.raises(ValueError, match="gave parts"):
        checks._scored(task, [Part("something else", 2, True, "")])


@pytest.mark.parametrize(
    ("value", "points", "words"),
    [
        (subsidy(), 2, "every year to 2014 right; every year from 2015 right"),
        (subsidy().drop(2021), 1, "✗ the years from 2015 (1 point): a year with a reference"),
        (subsidy().drop(2006), 1, "✗ the years to 2014 (1 point): a year with a reference"),
        (subsidy().drop([2006, 2021]), 0, "0 of 2 points"),
        (subsidy().add(pd.Series({2013: 1.0}), fill_value=0), 1, "off in 2013"),
        (pd.concat([subsidy(), pd.Series({2017: 0.5})]), 1, "no reference price in 2017"),
        (subsidy() * 1000, 0, "1000 times too big"),  # one slip in every year: no part
        (-subsidy(), 0, "sign is reversed"),
        ("a lot", 0, "pandas Series"),
    ],
)
def test_the_subsidy_earns_a_point_per_range_of_years(value, points, words) -> None:
    result = evaluate("ex-04-1", value)
    assert result.points == points and words in result.message, result.message
    assert result.status == ("passed" if points == 2 else "failed")


def test_known_hhi_earns_a_point_on_the_course_table_and_one_on_another() -> None:
    def zero_for_blank(df, year, flow):
        return float((df.loc[df["year"] == year, f"{flow}_share_pct"].dropna() ** 2).sum())

    def only_course_years(df, year, flow):
        return zero_for_blank(df, year, flow) if year < 2030 else 1.0

    for function in (zero_for_blank, only_course_years):
        result = evaluate("ex-04-2", function)
        assert (result.status, result.points) == ("failed", 1), result.message
        assert "✓ right on the years tried" in result.message


def test_known_on_earns_a_point_on_the_course_timeline_and_one_on_another_table() -> None:
    def course_table_only(df, date):
        return int((data.load("timeline")["date"] <= pd.Timestamp(date)).sum())

    result = evaluate("ex-01-2", course_table_only)
    assert (result.status, result.points) == ("failed", 1), result.message
    assert "✗ a table you have not seen (1 point)" in result.message
    before = evaluate("ex-01-2", lambda df, date: int((df["date"] < pd.Timestamp(date)).sum()))
    assert before.points == 0 and "use <= rather than <" in before.message


def test_the_gap_line_is_checked_against_the_students_own_gaps() -> None:
    census = data.load("census_language")
    rows = census[(census["population_group"] == "all") & (census["language"] == "belarusian")]
    wide = rows.pivot(index="census_year", columns="measure", values="share_pct")
    reversed_gaps = wide["home"] - wide["native"]
    figure, ax = plt.subplots()
    ax.plot(reversed_gaps.index, reversed_gaps.to_numpy(), marker="o")
    ax.set_xlabel("census year")
    ax.set_ylabel("gap (percentage points)")
    plt.close(figure)
    assert evaluate("ex-02-1", reversed_gaps).points == 0
    assert evaluate("ex-02-3", figure, reversed_gaps).points == 1
    # The line must follow the student's gaps year by year, not only hold the same numbers.
    shuffled = pd.Series(reversed_gaps.to_numpy()[::-1], index=reversed_gaps.index)
    assert evaluate("ex-02-3", figure, shuffled).points == 0.5
    assert evaluate("ex-02-3", figure, "gaps").points == 0.5


def test_a_chart_of_a_wrong_subsidy_keeps_its_points_when_it_draws_the_students_own() -> None:
    wrong = subsidy(25)
    assert evaluate("ex-04-1", wrong).points == 0
    carried = evaluate("ex-04-4", chart(wrong), wrong)
    assert (carried.status, carried.points) == ("passed", 1), carried.message
    # Without the earlier answer (or with a blank one) the chart is compared with the key.
    for earlier in (None, ..., "text", {"not": "years"}):
        alone = evaluate("ex-04-4", chart(wrong), earlier)
        assert (alone.points, alone.status) == (0.5, "failed"), alone.message
    # A chart that matches neither the student's own values nor the key loses that part.
    other = evaluate("ex-04-4", chart(subsidy(30)), wrong)
    assert other.points == 0.5 and "✗ the points" in other.message
    labels = evaluate("ex-04-4", chart(wrong, labels=("Year", "Subsidy")), wrong)
    assert labels.points == 0.5 and "✗ the labels" in labels.message


def test_the_trend_chart_is_checked_against_the_students_own_margins() -> None:
    elections = data.load("elections")
    first = elections.query(
        "round == 1 and status == 'final' and base == 'participants' and candidate != 'Against all'"
    )
    wrong_margins = first.groupby("year")["votes_pct"].max()  # the winner's share
    turnout = first.groupby("year")["turnout_pct"].first()
    figure, ax = plt.subplots()
    ax.plot(wrong_margins.index, wrong_margins.to_numpy(), label="margin")
    ax.plot(turnout.index, turnout.to_numpy(), label="turnout")
    ax.set_xlabel("year")
    ax.set_ylabel("percent")
    ax.legend()
    plt.close(figure)
    assert evaluate("ex-05-1", wrong_margins).points == 0
    assert evaluate("ex-05-2", figure, wrong_margins.to_dict()).points == 1
    alone = evaluate("ex-05-2", figure)
    assert alone.points == 0.5 and "no line matches your margins" in alone.message


def test_under_nbgrader_partial_points_are_the_cells_result(monkeypatch, capsys) -> None:
    partial = subsidy().drop(2021)
    assert checks.check("ex-04-1", partial) is None  # outside nbgrader only a line
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert checks.check("ex-04-1", partial) == 1
    assert checks.check("ex-04-1", subsidy()) is None
    with pytest.raises(AssertionError, match="1000 times"):
        checks.check("ex-04-1", subsidy() * 1000)
    assert checks.check("ex-04-4", chart(subsidy(25)), using=subsidy(25)) is None
    assert "1 of 2 points" in capsys.readouterr().out


def test_nbgraders_own_scoring_reads_the_returned_points_as_partial_credit(monkeypatch) -> None:
    from nbgrader.utils import determine_grade

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    returned = checks.check("ex-04-4", chart(subsidy(), labels=("Year", "x")), using=subsidy())
    cell = new_code_cell('check("ex-04-4", subsidy_plot, using=subsidy_bn)')
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "points": 1,
        "grade_id": "ex-04-4",
    }
    cell.outputs = [
        new_output("stream", name="stdout", text="✗ ex-04-4 not yet: 0.5 of 1 point: ...\n"),
        new_output("execute_result", data={"text/plain": repr(returned)}, execution_count=1),
    ]
    assert determine_grade(cell) == (0.5, 1.0)


def test_the_class_grader_hands_the_earlier_answer_to_a_task_built_on_it(capsys) -> None:
    wrong = subsidy(25)
    space = {"subsidy_bn": wrong, "subsidy_plot": chart(wrong)}
    tasks = [("ex-04-1", "subsidy_bn", "value"), ("ex-04-4", "subsidy_plot", "plot")]
    exec(_COLLECT + f"\n_postsoviet_collect({tasks!r}, {MARKER!r}, {ANSWER_LIMIT})", space)
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith(MARKER))
    payload = json.loads(line[len(MARKER) :])
    results = evaluate_request({"tasks": ["ex-04-1", "ex-04-4"], "payload": payload})
    assert [(r[0], r[1], r[3]) for r in results] == [
        ("ex-04-1", "failed", 0),
        ("ex-04-4", "passed", 1),
    ]
    # Without the earlier answer in the payload the chart is checked against the key.
    alone = evaluate_request({"tasks": ["ex-04-4"], "payload": {"ex-04-4": payload["ex-04-4"]}})
    assert alone[0][3] == 0.5


def test_encoded_answers_rebuild_for_a_carried_forward_check() -> None:
    wrong = subsidy(25)
    payload = {"ex-04-1": encode(wrong), "ex-04-4": encode_figure(chart(wrong))}
    [[_, status, message, points, _]] = evaluate_request({"tasks": ["ex-04-4"], "payload": payload})
    assert (status, points) == ("passed", 1), message


def test_partial_points_stand_when_the_answer_cell_also_raised() -> None:
    from postsoviet.grading import _adjust
    from postsoviet.grading.runner import CellOutcome, RunResult

    run = RunResult(payload={}, cells=[CellOutcome(4, "error", "ValueError: late")])
    partial = evaluate("ex-04-1", subsidy().drop(2021))
    assert _adjust(partial, run, [4]) == ("failed", partial.message)
    nothing = evaluate("ex-04-1", subsidy() * 1000)
    assert _adjust(nothing, run, [4]) == ("error", "cell 4: ValueError: late")
