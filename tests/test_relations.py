"""Lesson 06: the cooperation/conflict coding, the monthly index, the relations explorer
and the prediction check."""

from __future__ import annotations

import ast

import pandas as pd
import pytest

from postsoviet import data, plots, relations
from postsoviet.explorers.relations import (
    PERIODS,
    SMOOTHING,
    PredictionCheck,
    RelationsExplorer,
    relations_figure,
    relations_table,
)
from postsoviet.relations import (
    CODING,
    PREDICTIONS,
    CodingError,
    coded_events,
    monthly_index,
    prediction_summary,
    score_predictions,
)

RIGHT = {item.number: item.outcome for item in PREDICTIONS}


# --- the coding ----------------------------------------------------------------------------


def test_every_event_from_2018_is_coded_once_with_a_reason() -> None:
    coded = coded_events()
    timeline = data.load("timeline")
    in_range = timeline["date"].between(relations.START, relations.END)
    assert len(coded) == in_range.sum() == len(CODING)
    assert set(coded["relation"]) == set(relations.RELATIONS)
    assert coded["reason"].str.len().gt(5).all()
    assert coded["date"].is_monotonic_increasing


def test_spot_codings() -> None:
    coded = coded_events().set_index("date")
    assert coded.loc["2020-01-01", "relation"] == "conflict"  # crude stopped
    assert coded.loc["2020-09-14", "relation"] == "cooperation"  # the loan
    assert coded.loc["2021-05-23", "relation"] == "neither"  # Belarus and the EU
    assert coded.loc["2022-02-24", "relation"] == "cooperation"  # attack from Belarus


def test_a_new_uncoded_event_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    original = data.load

    def with_extra_row(name: str) -> pd.DataFrame:
        frame = original(name)
        if name != "timeline":
            return frame
        extra = frame.iloc[[-1]].assign(date=pd.Timestamp("2024-05-01"), event="A new event.")
        return pd.concat([frame, extra], ignore_index=True)

    monkeypatch.setattr(data, "load", with_extra_row)
    with pytest.raises(CodingError, match=r"not coded.*2024-05-01"):
        coded_events()


def test_a_stale_coding_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        relations, "CODING", [*CODING, ("2021-03-03", "no such event", "neither", "x")]
    )
    with pytest.raises(CodingError, match="matches 0"):
        coded_events()


# --- the index -----------------------------------------------------------------------------


def test_monthly_index_counts_every_month_and_smooths_backwards() -> None:
    raw = monthly_index(smoothing=1)
    assert len(raw) == 8 * 12 and raw["month"].iloc[0] == pd.Timestamp("2018-01-01")
    coded = coded_events()
    assert raw["cooperation"].sum() == (coded["relation"] == "cooperation").sum()
    assert raw["conflict"].sum() == (coded["relation"] == "conflict").sum()
    assert (raw["net"] == raw["cooperation"] - raw["conflict"]).all()
    january_2020 = raw.set_index("month").loc["2020-01-01"]
    assert january_2020["conflict"] == 2 and january_2020["index"] == -2
    smooth = monthly_index(smoothing=3).set_index("month")
    # trailing: March 2020 averages January (-2), February (0) and March (0), nothing later
    assert smooth.loc["2020-03-01", "index"] == pytest.approx(-2 / 3)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "3"])
def test_smoothing_must_be_a_whole_number_of_months(bad) -> None:
    with pytest.raises(ValueError, match="whole number of months"):
        monthly_index(smoothing=bad)


def test_figure_marks_the_report_and_describes_before_and_after() -> None:
    figure = relations_figure(3, 0)
    ax = figure.axes[0]
    report = [
        line
        for line in ax.get_lines()
        if len(line.get_xdata()) == 2 and line.get_linestyle() == "--"
    ]
    assert report, "no dashed line for the report"
    assert "7 August 2020" in figure.description
    coded = coded_events()
    up_to = coded[coded["date"] <= relations.REPORT_DATE]["relation"].value_counts()
    after = coded[coded["date"] > relations.REPORT_DATE]["relation"].value_counts()
    assert (
        f"Up to the report: {up_to['cooperation']} cooperation and {up_to['conflict']} conflict "
        f"events; after it: {after['cooperation']} and {after.get('conflict', 0)}."
    ) in figure.description
    assert ax.get_xlabel() == "month" and ax.get_ylabel().islower()
    assert "3-month average" in ax.get_title("left")
    assert len(ax.containers) == 2  # cooperation and conflict bars


# --- the explorer --------------------------------------------------------------------------


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list:
    figures: list = []
    monkeypatch.setattr(plots, "figure_outputs", lambda fig, *a, **k: figures.append(fig) or [])
    return figures


@pytest.mark.parametrize("smoothing", SMOOTHING)
def test_a_month_reads_the_same_in_every_period(smoothing: int) -> None:
    """Averaged within the period, January 2019 lost its months of 2018 in the zoom."""
    wide, narrow = (relations_table(smoothing, period) for period in range(len(PERIODS)))
    shared = narrow.merge(wide, on="month", suffixes=("_narrow", "_wide"))
    assert len(shared) == len(narrow) == 36
    assert (shared["index_narrow"] == shared["index_wide"]).all()


def test_explorer_steps_smoothing_and_stops_at_the_ends(drawn: list) -> None:
    explorer = RelationsExplorer()
    assert explorer.smoothing == 3 and "3-month average" in explorer.status.value
    assert 'role="status"' in explorer.status.value
    explorer.more.click()
    assert explorer.smoothing == 6 and "6-month average" in drawn[-1].axes[0].get_title("left")
    for _ in range(len(SMOOTHING) + 1):
        explorer.more.click()
    assert explorer.smoothing == SMOOTHING[-1] and explorer.more.disabled
    for _ in range(len(SMOOTHING) + 1):
        explorer.less.click()
    assert explorer.smoothing == 1 and explorer.less.disabled
    assert "no smoothing" in explorer.status.value


def test_explorer_zooms_and_its_last_button_changes_the_state(drawn: list) -> None:
    explorer = RelationsExplorer()
    before = explorer.status.value
    explorer.period_buttons[-1].click()  # the last button, as the browser test presses it
    assert explorer.status.value != before and PERIODS[-1][0] in explorer.status.value
    assert explorer.period_buttons[-1].description.startswith("● ")
    assert drawn[-1].axes[0].get_xlim() != drawn[0].axes[0].get_xlim()
    assert len(relations_table(1, 1)) == 36


def test_explorer_fallback_is_text_not_a_widget_repr(drawn: list) -> None:
    text = RelationsExplorer()._repr_mimebundle_()["text/plain"]
    flat = " ".join(text.split())  # wrapped at word boundaries
    assert "Run this cell" in flat and "relations_table(" in text and "VBox(" not in text
    assert "Explorer()" not in text  # the browser test counts that string in notebooks


# --- the prediction check ------------------------------------------------------------------


def test_score_predictions_marks_each_question_in_symbols_and_words() -> None:
    wrong = {number: ("no" if outcome == "yes" else "yes") for number, outcome in RIGHT.items()}
    assert (score_predictions(RIGHT)["result"] == "✓ foreseen").all()
    assert (score_predictions(wrong)["result"] == "✗ not foreseen").all()
    partial = score_predictions({1: RIGHT[1], "2": " YES "})
    assert list(partial["result"][2:]) == ["· not predicted"] * 3
    assert "✓ You foresaw 5 of the 5" in prediction_summary(score_predictions(RIGHT))
    assert "✗ You foresaw 0 of the 5" in prediction_summary(score_predictions(wrong))
    assert prediction_summary(score_predictions({})).startswith("? No predictions")
    as_list = score_predictions([RIGHT[n] for n in sorted(RIGHT)])
    assert (as_list["result"] == "✓ foreseen").all()
    assert (
        score_predictions([True, None, 3, "maybe"])["result"].iloc[1:].eq("· not predicted").all()
    )


def test_every_outcome_carries_a_source_with_an_address() -> None:
    scored = score_predictions({})
    assert scored["source"].str.contains(r"\w\.\w+/", regex=True).all()
    assert scored["what happened"].str.match(r"^(yes|no): ").all()


@pytest.mark.parametrize("bad", [None, 5, "yes"])
def test_score_predictions_rejects_what_is_not_a_list_or_dict(bad) -> None:
    with pytest.raises(TypeError, match="takes a dict"):
        score_predictions(bad)


def _predict(board: PredictionCheck, answers: dict[int, str]) -> None:
    for row in board.rows:
        if row["number"] in answers:
            wanted = answers[row["number"]]
            row["buttons"][row["options"].index(wanted)].click()


def test_prediction_check_needs_all_five_then_reveals_and_locks() -> None:
    board = PredictionCheck()
    board.reveal_button.click()
    assert "still open: 1, 2, 3, 4, 5" in board.feedback.value
    _predict(board, {1: "yes", 2: "no"})
    assert "Your prediction: no" in board.rows[1]["chosen"].value
    board.reveal_button.click()
    assert "still open: 3, 4, 5" in board.feedback.value and not board.revealed
    wrong_two = {**RIGHT, 2: "no" if RIGHT[2] == "yes" else "yes"}
    _predict(board, wrong_two)
    board.reveal_button.click()
    feedback = board.feedback.value
    assert 'role="status"' in feedback and "You foresaw 4 of the 5" in feedback
    assert feedback.count("✓ foreseen") == 4 and feedback.count("✗ not foreseen") == 1
    assert "Source:" in feedback and "tass.com" in feedback
    assert all(button.disabled for row in board.rows for button in row["buttons"])
    board.choose(1, "no")  # locked: nothing changes
    assert board.choices[1] == RIGHT[1]
    board.again.click()
    assert not board.choices and "cleared" in board.feedback.value
    assert not any(button.disabled for row in board.rows for button in row["buttons"])


def test_an_early_reveal_keeps_its_list_of_open_questions_current() -> None:
    board = PredictionCheck()
    board.reveal_button.click()
    _predict(board, {1: "yes", 2: "no"})
    assert "still open: 3, 4, 5" in board.feedback.value
    _predict(board, {3: "no", 4: "no", 5: "yes"})
    assert "still open" not in board.feedback.value
    assert "press Reveal what happened" in board.feedback.value


def test_prediction_check_highlights_the_chosen_button_until_start_again() -> None:
    board = PredictionCheck()
    row = board.rows[0]
    yes, no = (row["buttons"][row["options"].index(o)] for o in ("yes", "no"))
    yes.click()
    assert "postsoviet-chosen" in yes._dom_classes and yes.description == "● yes"
    no.click()  # the highlight moves with the choice
    assert "postsoviet-chosen" not in yes._dom_classes and yes.description == "yes"
    assert "postsoviet-chosen" in no._dom_classes and no.description == "● no"
    board.again.click()
    assert [b.description for b in row["buttons"]] == row["options"]
    assert not any("postsoviet-chosen" in b._dom_classes for b in row["buttons"])


def test_prediction_check_fallback_gives_no_right_answer() -> None:
    text = PredictionCheck()._repr_mimebundle_()["text/plain"]
    assert "Run this cell" in " ".join(text.split()) and "score_predictions(" in text
    example = ast.literal_eval(text[text.index("{") : text.index("}") + 1])
    assert all(example[number] != RIGHT[number] for number in RIGHT)


def test_the_score_uses_only_the_course_symbols_and_names_no_empty_count() -> None:
    wrong_two = {**RIGHT, 2: "no" if RIGHT[2] == "yes" else "yes"}
    summary = prediction_summary(score_predictions(wrong_two))
    assert summary.startswith("✓ You foresaw 4 of the 5") and "left open" not in summary
    partial = prediction_summary(score_predictions({1: RIGHT[1]}))
    assert partial.startswith("✓") and "(4 left open)" in partial
