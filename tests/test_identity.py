"""Lesson 02 (identity): the census explorer, the two-calendars board and the exercise checks."""

from __future__ import annotations

import contextlib
import io
import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from checkkit import one_check_message

from postsoviet import checks, data, plots
from postsoviet.checks import evaluate
from postsoviet.explorers import identity
from postsoviet.explorers.identity import (
    CALENDAR,
    CENSUS_YEARS,
    CalendarBoard,
    CensusExplorer,
    census_figure,
    census_gaps,
    census_table,
    identity_events,
    judge_date,
    trend_figure,
)


def _share(year: int, measure: str, group: str, language: str) -> float:
    rows = data.load("census_language")
    row = rows[
        (rows["census_year"] == year)
        & (rows["measure"] == measure)
        & (rows["population_group"] == group)
        & (rows["language"] == language)
    ]
    return float(row["share_pct"].item())


# --- census_table and the figures ------------------------------------------------------


@pytest.mark.parametrize("year", CENSUS_YEARS)
def test_census_table_puts_both_questions_side_by_side(year: int) -> None:
    table = census_table(year).set_index("language")
    native, home = (
        _share(year, "native", "all", "belarusian"),
        _share(year, "home", "all", "belarusian"),
    )
    assert table.loc["belarusian", "native_pct"] == native
    assert table.loc["belarusian", "home_pct"] == home
    assert table.loc["belarusian", "gap_points"] == pytest.approx(native - home)


def test_missing_figures_stay_missing_and_other_gets_no_gap() -> None:
    table = census_table(1999).set_index("language")
    assert math.isnan(table.loc["russian", "native_pct"])  # no checked source gives it
    assert math.isnan(table.loc["russian", "gap_points"])
    assert math.isnan(census_table(2009).set_index("language").loc["other", "gap_points"])
    ethnic = census_table(2009, "ethnic_belarusians").set_index("language")
    assert ethnic.loc["belarusian", "native_pct"] == _share(
        2009, "native", "ethnic_belarusians", "belarusian"
    )


@pytest.mark.parametrize(("year", "group"), [(2000, "all"), (2009, "belarusians"), ("2009", "all")])
def test_census_table_refuses_what_does_not_exist(year, group) -> None:
    with pytest.raises(ValueError, match=r"census|group"):
        census_table(year, group)


def test_census_gaps_follow_the_table() -> None:
    gaps = census_gaps()
    assert list(gaps["census_year"]) == list(CENSUS_YEARS)
    assert (gaps["gap_points"] > 0).all()  # Belarusian: named as native far more than spoken
    assert gaps["gap_points"].tolist() == [
        census_table(year).set_index("language").loc["belarusian", "gap_points"]
        for year in CENSUS_YEARS
    ]


def test_figure_labels_the_gap_and_says_so_in_words() -> None:
    figure = census_figure(2009, "both", "all")
    gap = census_table(2009).set_index("language").loc["belarusian", "gap_points"]
    labels = [text.get_text() for text in figure.axes[0].texts]
    assert f"gap {gap:+g} points" in labels
    assert f"gap {gap:+g} points" in figure.description
    assert "native" in figure.description and "at home" in figure.description
    one = census_figure(2019, "home", "ethnic_belarusians")
    assert not [t for t in one.axes[0].texts if t.get_text().startswith("gap")]  # one question
    assert "disputed" in one.description
    with pytest.raises(ValueError, match="question"):
        census_figure(2009, "mother tongue", "all")


def test_a_missing_figure_is_named_not_dropped() -> None:
    description = census_figure(1999, "native", "all").description
    assert "Russian not published" in description  # a missing bar is not a zero
    assert "Other" not in description  # remainders are not state languages


def test_trend_figure_has_both_lines_on_a_full_scale() -> None:
    figure = trend_figure()
    ax = figure.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["native language", "language at home"]
    assert ax.get_ylim() == (0, 100)
    assert "2019" in figure.description


def test_identity_events_keep_order_and_precision() -> None:
    events = identity_events()
    timeline = data.load("timeline")
    assert len(events) == int(timeline["theme"].isin(["identity", "flags"]).sum())
    assert len(identity_events(("identity",))) == int((timeline["theme"] == "identity").sum())
    assert set(events["theme"]) == {"identity", "flags"}
    assert events["when"].iloc[0] == "1918"  # year precision: the flag of 1918
    assert "25 March 1918" in events["when"].to_list()
    assert "July 2014" in events["when"].to_list()  # month precision: no invented day
    assert "1 July 2014" not in events["when"].to_list()
    assert events["source"].str.len().gt(0).all()


# --- the census explorer ---------------------------------------------------------------


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list:
    figures: list = []
    monkeypatch.setattr(plots, "figure_outputs", lambda fig, *a, **k: figures.append(fig) or [])
    return figures


def test_explorer_follows_every_control(drawn: list) -> None:
    explorer = CensusExplorer()
    assert "postsoviet-explorer" in explorer._dom_classes  # the browser tests find it so
    assert 'role="status"' in explorer.status.value
    assert "2009 census, whole population" in explorer.status.value
    first = explorer.status.value
    buttons = [
        *explorer.year_buttons.values(),
        *explorer.question_buttons.values(),
        *explorer.group_buttons.values(),
    ]
    buttons[-1].click()  # ethnic Belarusians: the browser test presses this one
    assert "ethnic Belarusians" in explorer.status.value and explorer.status.value != first
    assert explorer.group_buttons["ethnic_belarusians"].description.startswith("● ")
    assert "ethnic Belarusians" in drawn[-1].description
    moved = explorer.status.value
    buttons[0].click()  # 1999: the browser test presses this one with Enter
    assert "1999 census" in explorer.status.value and explorer.status.value != moved
    explorer.question_buttons["home"].click()
    assert "language usually spoken at home" in explorer.status.value
    assert "native" not in explorer.status.value.split("</strong>")[1]
    assert len(drawn) == 4  # one redraw per press


def test_explorer_fallback_before_running(drawn: list) -> None:
    text = CensusExplorer()._repr_mimebundle_()["text/plain"]
    assert "Run this cell" in text and "census_table(" in text and "VBox(" not in text
    assert "Explorer()" not in text  # the browser test counts that string in notebooks


# --- the two calendars -----------------------------------------------------------------


def test_calendar_has_both_stories_and_both_statuses() -> None:
    assert len(CALENDAR) >= 6
    assert {card.narrative for card in CALENDAR} == set(identity.NARRATIVES)
    assert {card.official for card in CALENDAR} == {True, False}
    assert all(card.source and card.status_note for card in CALENDAR)
    days = {card.day for card in CALENDAR}
    assert {"25 March", "3 July", "9 May", "7 November", "2 April", "17 September"} <= days


def _card(day: str) -> int:
    return next(number for number, card in enumerate(CALENDAR, start=1) if card.day == day)


@pytest.mark.parametrize(
    ("day", "story", "official", "start"),
    [
        ("25 March", "national", "no", "✓ Card {n}, 25 March: both right."),
        ("25 March", "national-revival story", False, "✓ Card {n}, 25 March: both right."),
        ("17 September", "national", "yes", "✗ Card {n}, 17 September: official today: right"),
        ("3 July", "Official ", "no", "✗ Card {n}, 3 July: story: right"),
        ("7 November", None, 3, "✗ Card {n}, 7 November: not quite."),
    ],
)
def test_judge_date_always_explains_and_cites(day, story, official, start) -> None:
    number = _card(day)
    text = judge_date(number, story, official)
    assert text.startswith(start.format(n=number))
    card = CALENDAR[number - 1]
    assert card.status_note in text and f"Source: {card.source}." in text


@pytest.mark.parametrize("number", [0, 99, "1", True, None])
def test_judge_date_odd_card_numbers_get_a_sentence(number) -> None:
    assert judge_date(number, "official", "yes").startswith("? ")


def test_calendar_board_checks_one_card_at_a_time() -> None:
    board = CalendarBoard()
    assert len(board.rows) == len(CALENDAR)
    number = _card("17 September")
    row = board.rows[number - 1]
    row["check"].click()
    assert "Choose a story" in row["feedback"].value
    row["stories"][list(identity.NARRATIVES).index("official")].click()
    row["official"][0].click()  # "yes"
    assert "official story / official today: yes" in board.rows[number - 1]["box"].children[3].value
    row["check"].click()
    assert f"✓ Card {number}, 17 September: both right." in row["feedback"].value
    assert 'role="status"' in row["feedback"].value
    assert board.rows[0]["feedback"].value == ""
    text = board._repr_mimebundle_()["text/plain"]
    assert "judge_date(" in text and "Run this cell" in text


# --- exercise checks -------------------------------------------------------------------


def _reference_gaps() -> pd.Series:
    census = data.load("census_language")
    rows = census[(census["population_group"] == "all") & (census["language"] == "belarusian")]
    wide = rows.pivot(index="census_year", columns="measure", values="share_pct")
    return wide["native"] - wide["home"]


def _reference_share_change(df, group, start, end):
    shares = df[df["group"] == group].set_index("census_year")["share_pct"]
    return float(shares[end] - shares[start])


def _gap_figure(gaps, xlabel="census year", ylabel="gap (percentage points)"):
    figure, ax = plt.subplots()
    ax.plot(list(gaps.index), list(gaps.values))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    plt.close(figure)
    return figure


@pytest.mark.parametrize(
    ("task_id", "value", "status", "words"),
    [
        ("ex-02-1", _reference_gaps(), "passed", "every census"),
        ("ex-02-1", _reference_gaps().to_dict(), "passed", "every census"),
        ("ex-02-1", -_reference_gaps(), "failed", "sign is reversed"),
        ("ex-02-1", _reference_gaps().drop(1999), "failed", "1999, 2009 and 2019"),
        ("ex-02-1", _reference_gaps() + 2, "failed", "population_group"),
        ("ex-02-1", 29.8, "failed", "Series"),
        ("ex-02-1", {"a": 1}, "failed", "census years"),
        ("ex-02-2", _reference_share_change, "passed", "not tried"),
        ("ex-02-2", lambda df, g, s, e: -_reference_share_change(df, g, s, e), "failed", "sign"),
        ("ex-02-2", lambda df, g, s, e: -3.9, "failed", "wrong result"),
        ("ex-02-2", lambda df, g, s, e: df, "failed", "one number"),
        ("ex-02-2", "poles", "failed", "should be a function"),
        ("ex-02-3", _gap_figure(_reference_gaps()), "passed", "a line of the gaps"),
        ("ex-02-3", _gap_figure(_reference_gaps(), "Census Year"), "failed", "lower case"),
        ("ex-02-3", _gap_figure(_reference_gaps() * 2), "failed", "not the gaps"),
        ("ex-02-3", "a chart", "failed", "matplotlib Figure"),
        ("ex-02-4", "my essay", "manual", "instructor"),
        ("ex-02-5", 52.4 + 78.7 - 100, "passed", "cannot be compared"),
        ("ex-02-5", 52.4 + 78.7, "failed", "sum of the two shares"),
        ("ex-02-5", (52.4 + 78.7 - 100) / 100, "failed", "between 0 and 1"),
        ("ex-02-5", 200 - 52.4 - 78.7, "failed", "everyone else"),
        ("ex-02-5", "31", "failed", "a number"),
    ],
)
def test_lesson02_results_and_messages(task_id, value, status, words) -> None:
    result = evaluate(task_id, value)
    assert result.status == status, result.line()
    assert words in result.message
    # ex-02-3 has two parts, the line and the labels: each wrong chart here misses one.
    partial = 0.5 if task_id == "ex-02-3" and words in ("lower case", "not the gaps") else 0
    assert result.points == (result.max_points if status == "passed" else partial)


@pytest.mark.parametrize("task_id", ["ex-02-1", "ex-02-2", "ex-02-3", "ex-02-5"])
def test_lesson02_blank_stubs_are_not_answered(task_id) -> None:
    def stub(df, group, start, end):
        """Docstring only, as in the exercise."""
        # YOUR CODE HERE

    value = stub if task_id == "ex-02-2" else ...
    assert evaluate(task_id, value).status == "not-answered"


@pytest.mark.parametrize("value", [None, True, float("nan"), [], {}, pd.DataFrame(), "x" * 500])
@pytest.mark.parametrize("task_id", ["ex-02-1", "ex-02-2", "ex-02-3", "ex-02-5"])
def test_lesson02_checks_never_print_the_expected_values(task_id, value) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        checks.check(task_id, value)
    out = printed.getvalue()
    assert task_id in one_check_message(out) and "Traceback" not in out
    for gap in _reference_gaps():
        assert f"{gap:g}" not in out
    assert f"{52.4 + 78.7 - 100:.1f}" not in out


def test_a_missing_bar_says_not_published_and_the_gap_label_stays_inside_the_axes() -> None:
    figure = census_figure(1999, "both", "all")
    figure.draw_without_rendering()
    ax = figure.axes[0]
    assert any(t.get_text().strip() == "not published" for t in ax.texts)
    inside = ax.get_window_extent()
    for text in ax.texts:  # a centred gap label crossed the y-axis
        box = text.get_window_extent()
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1, text.get_text()
