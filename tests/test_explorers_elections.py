"""Lesson 05's explorers: the election record and the SYNTHETIC forensics fingerprint."""

from __future__ import annotations

import math

import numpy as np
import pytest

from postsoviet import data, plots
from postsoviet.explorers import elections as ex


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list:
    figures: list = []
    monkeypatch.setattr(
        plots, "figure_outputs", lambda figure, *a, **k: figures.append(figure) or []
    )
    return figures


def test_elections_list_covers_every_round_in_date_order() -> None:
    assert ex.elections_list() == [
        (1994, 1),
        (1994, 2),
        (2001, 1),
        (2006, 1),
        (2010, 1),
        (2015, 1),
        (2020, 1),
        (2025, 1),
    ]


def test_results_keep_one_base_and_status_and_say_when_there_is_none() -> None:
    final = ex.election_results(2020, 1, "participants", "final")
    assert set(final["base"]) == {"participants"} and set(final["status"]) == {"final"}
    assert final["votes_pct"].is_monotonic_decreasing
    assert ex.election_results(2020, 1, "valid", "final").empty
    assert ex.election_results(2015, 1, "participants", "preliminary").empty
    with pytest.raises(ValueError, match="base"):
        ex.election_results(2020, 1, "registered")


def test_winner_over_time_ignores_against_all_and_leaves_gaps() -> None:
    table = ex.winner_over_time("participants")
    assert "Against all" not in set(table["winner"])
    assert table["winner_pct"].notna().all()
    valid = ex.winner_over_time("valid").set_index("year")
    assert math.isnan(valid.loc[2020, "winner_pct"])
    assert valid.loc[2006, "winner_pct"] > table.set_index("year").loc[2006, "winner_pct"]


def test_election_explorer_steps_switches_and_reports(drawn: list) -> None:
    explorer = ex.ElectionExplorer()
    assert explorer.election == (2020, 1) and 'role="status"' in explorer.status.value
    first = explorer.status.value
    explorer.status_buttons["preliminary"].click()  # the last button
    assert explorer.status.value != first and "preliminary" in explorer.status.value
    assert drawn[-1].description != drawn[0].description
    explorer.base_buttons["valid"].click()
    assert "no preliminary figures" in explorer.status.value
    explorer.earlier.click()  # the first button
    assert explorer.election == (2015, 1)
    for _ in range(10):
        explorer.later.click()
    assert explorer.election == (2025, 1) and explorer.later.disabled
    assert "Observers:" in explorer.table.value


def test_election_figure_says_what_it_circles() -> None:
    figure = ex.election_figure(2006, 1, "valid", "final")
    assert "% of valid votes" in figure.axes[0].get_title("left")
    assert "2006 (final): Lukashenko 84.44" in figure.description


def test_the_1994_first_round_is_named_in_the_legend_and_no_text_leaves_the_axes() -> None:
    fig = ex.election_figure(1994, 1)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    assert "1994 first round (hollow markers)" in [t.get_text() for t in ax.get_legend().texts]
    axes = ax.get_window_extent()
    for text in ax.texts:  # a label beside the 1994 points ran into the y-axis label
        box = text.get_window_extent()
        assert axes.x0 <= box.x0 and box.x1 <= axes.x1, text.get_text()


def test_the_1994_rounds_do_not_cover_each_other() -> None:
    """Round 1's turnout (79.0%) sat on the run-off's winner's share (80.3%)."""
    fig = ex.election_figure(2001, 1)
    fig.draw_without_rendering()
    ax = fig.axes[0]

    def points(line) -> list[tuple[float, float]]:
        xy = line.get_xydata()
        return [tuple(p) for p in line.get_transform().transform(xy[~np.isnan(xy).any(axis=1)])]

    hollow = [
        p for line in ax.get_lines() if line.get_markerfacecolor() == "white" for p in points(line)
    ]
    filled = [p for line in ax.get_lines()[:2] for p in points(line)]
    assert len(hollow) == 2
    nearest = min(math.dist(h, f) for h in hollow for f in filled)
    assert nearest >= 8  # pixels: more than a marker's half-width apart


def test_the_chart_names_the_result_it_circles_or_says_there_is_none() -> None:
    """Choosing "preliminary" changed the button, while the chart still read "final"."""
    legend = ex.election_figure(2020, 1, status="preliminary").axes[0].get_legend()
    assert "circled: 2020, preliminary" in [t.get_text() for t in legend.texts]
    missing = ex.election_figure(2001, 1, status="preliminary").axes[0]
    assert any("no preliminary figure" in t.get_text() for t in missing.texts)
    assert not any("circled" in t.get_text() for t in missing.get_legend().texts)


def test_forensics_table_matches_the_explorer_and_is_labelled() -> None:
    table = ex.forensics_table(20)
    assert set(table["data"]) == {"synthetic"} and table.iloc[-1]["district"] == "all stations"
    with pytest.raises(ValueError, match="steps of 10"):
        ex.forensics_table(15)


def test_forensics_explorer_redraws_and_stops_at_the_ends(drawn: list) -> None:
    explorer = ex.ForensicsExplorer()
    assert "SYNTHETIC" in explorer.status.value and "20%" in explorer.status.value
    before = explorer.status.value
    explorer.more.click()
    assert "30%" in explorer.status.value and explorer.status.value != before
    assert drawn[-1].description != drawn[0].description
    assert "SYNTHETIC" in drawn[-1].axes[0].get_title("left")
    for _ in range(10):
        explorer.less.click()
    assert explorer.rate.value == 0 and explorer.less.disabled
    explorer.rate.value = 35  # typed into the box
    assert "35%" in explorer.status.value
    explorer.gap.value = True
    assert "urban-rural gap" in explorer.status.value


@pytest.mark.parametrize("cls", [ex.ElectionExplorer, ex.ForensicsExplorer])
def test_fallback_text_before_running(drawn: list, cls) -> None:
    text = cls()._repr_mimebundle_()["text/plain"]
    assert "Run this cell" in text and "VBox(" not in text


def test_early_voting_figure_draws_the_dataset_and_describes_it() -> None:
    fig = ex.early_voting_figure()
    early = data.load("early_voting_2020").dropna(subset=["early_turnout_pct"])
    drawn = list(fig.axes[0].get_lines()[0].get_ydata())
    assert drawn == list(early["early_turnout_pct"])
    for value in early["early_turnout_pct"]:
        assert f"{value:g}%" in fig.description
    assert "registered voters" in fig.description and "source:" in fig.texts[0].get_text()
