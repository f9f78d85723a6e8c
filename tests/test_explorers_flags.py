"""Lesson 03's explorer: which flag flew over Minsk, year by year."""

from __future__ import annotations

import pandas as pd
import pytest

from postsoviet import data, flags, plots
from postsoviet.explorers import flags as explorer
from postsoviet.explorers.flags import (
    FIRST_YEAR,
    LAST_YEAR,
    PERIODS,
    FlagYearExplorer,
    flags_in,
    period_of,
    year_figure,
)


def test_periods_cover_every_year_once_and_use_known_flags() -> None:
    years = [year for period in PERIODS for year in range(period.start, period.end + 1)]
    assert years == list(range(FIRST_YEAR, LAST_YEAR + 1))
    for period in PERIODS:
        for key in (period.official, period.opposition):
            assert key is None or key in flags.SPECS
        assert period.event and period.source


@pytest.mark.parametrize(
    ("year", "official", "other"),
    [
        (1918, "white-red-white", None),
        (1930, None, "white-red-white"),
        (1942, None, "white-red-white"),
        (1960, "bssr-1951", "white-red-white"),
        (1991, "white-red-white", None),
        (1995, "red-green-1995", "white-red-white"),
        (2011, "red-green-1995", "white-red-white"),
        (2012, "red-green-2012", "white-red-white"),
        (2025, "red-green-2012", "white-red-white"),
    ],
)
def test_the_right_flags_for_key_years(year: int, official: str | None, other: str | None) -> None:
    period = period_of(year)
    assert (period.official, period.opposition) == (official, other)


def test_occupation_years_are_not_called_opposition() -> None:
    assert period_of(1942).other_role == "also in use"
    assert "occupation" in period_of(1942).official_label


def test_the_referendum_figures_come_from_the_dataset() -> None:
    votes = data.load("referendums")
    symbols = votes[(votes["topic"] == "symbols")].iloc[0]
    event = period_of(1995).event
    assert f"{symbols.yes_pct:g}% of votes cast" in event
    assert f"{symbols.turnout_pct:g}% of registered voters" in event
    assert "7 June 1995" in event  # adopted by decree, not on referendum day


def test_text_twin_has_one_row_per_role() -> None:
    table = flags_in(1995)
    assert list(table["role"]) == ["official", "opposition"]
    assert table["drawn"].all() and (table["since"] == 1995).all()
    assert not flags_in(1941)["drawn"].iloc[0]  # the occupation: no flag drawn
    assert flags_in(pd.Series([1995]).iloc[0])["year"].iloc[0] == 1995  # numpy ints work


@pytest.mark.parametrize("bad", [1917, 2026, "1995", 1995.0, True, None])
def test_years_outside_or_of_the_wrong_type_are_a_sentence(bad: object) -> None:
    with pytest.raises(ValueError, match=r"year|covers"):
        period_of(bad)  # type: ignore[arg-type]


def test_figure_draws_what_it_says() -> None:
    figure = year_figure(1995)
    assert "1995" in figure.description and "Drawing simplified" in figure.description
    assert len(flags.figure_axes(figure)) == 2
    occupation = year_figure(1941)
    assert len(flags.figure_axes(occupation)) == 1  # one empty frame, one flag
    assert "German occupation" in occupation.description


def test_controls_step_jump_and_stop_at_the_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = []
    monkeypatch.setattr(plots, "figure_outputs", lambda fig, *a, **k: drawn.append(fig) or [])
    widget = FlagYearExplorer()
    assert widget.year == 2020 and 'role="status"' in widget.status.value
    first = widget.status.value
    widget.next_change.click()
    assert widget.year == 2021 and widget.status.value != first
    assert widget.next_change.disabled and "2021" in drawn[-1].description
    widget.previous_change.click()
    assert widget.year == 2020
    widget.previous_change.click()
    assert widget.year == 2012
    widget.earlier.click()
    assert widget.year == 2011 and "1995 design" in widget.status.value
    widget.year_box.value = FIRST_YEAR
    assert widget.earlier.disabled and widget.previous_change.disabled
    widget.later.click()
    assert widget.year == FIRST_YEAR + 1
    widget.go(LAST_YEAR + 10)
    assert widget.year == LAST_YEAR and widget.later.disabled


def test_fallback_before_running(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plots, "figure_outputs", lambda *args, **kwargs: [])
    bundle = FlagYearExplorer()._repr_mimebundle_()
    assert "Run this cell" in bundle["text/plain"] and "flags_in(" in bundle["text/plain"]
    assert "VBox(" not in bundle["text/plain"]
    assert "FlagYearExplorer" in explorer.__all__


@pytest.mark.parametrize("year", [1918, 1930, 1941, 1945, 1995, 2025])
def test_each_panel_keeps_a_flag_sized_frame_and_its_note_inside_it(year: int) -> None:
    """Long captions once shrank the flags to thumbnails, and an empty frame's note ran
    out of its dashed edges (1930, 1941, 1945)."""
    fig = explorer.year_figure(year)
    fig.draw_without_rendering()
    panels = [ax for ax in fig.axes if ax.get_window_extent().width > 10]
    assert len(panels) == 2
    for ax in panels:
        frame = ax.get_window_extent()
        assert frame.height / fig.dpi >= 1.2, f"{year}: a flag {frame.height:.0f} px tall"
        for note in ax.texts:
            box = note.get_window_extent()
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1, note.get_text()
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1, note.get_text()
    source = fig.get_supxlabel()
    if source:
        lowest = min(ax.get_window_extent().y0 for ax in panels)
        assert fig._supxlabel.get_window_extent().y1 <= lowest


def test_the_status_names_the_change_that_began_a_period_once() -> None:
    status = FlagYearExplorer(1918).status.value  # the events begin with their own year
    assert "The change that began this period: 1918:" in status and "Since 1918" not in status
