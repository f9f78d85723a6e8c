"""The "what could be known, when" explorer: data, figure, controls, fallback."""

from __future__ import annotations

import pandas as pd
import pytest

from postsoviet import explorers
from postsoviet.explorers import MILESTONES, KnownByExplorer, known_by, known_by_figure


def test_known_by_keeps_only_events_up_to_the_date() -> None:
    before = known_by("2020-07-31")
    assert before["date"].max() <= pd.Timestamp("2020-07-31")
    assert (before["date"] == pd.Timestamp("2020-07-31")).any()  # the day itself counts
    later = known_by("2021-11-17")
    assert len(later) > len(before)
    assert not before["event"].str.contains("Bellingcat").any()
    assert later["event"].str.contains("Bellingcat").any()


def test_figure_marks_what_was_known_and_says_so() -> None:
    early, late = known_by_figure("2020-07-28"), known_by_figure("2021-11-17")
    assert "28 July 2020" in early.description and "17 November 2021" in late.description
    markers = [line for line in early.axes[0].get_lines() if line.get_marker() not in ("None", "")]
    filled = [line for line in markers if line.get_markerfacecolor() != "none"]
    assert sum(len(line.get_xdata()) for line in filled) == len(known_by("2020-07-28"))
    assert early.axes[0].get_title("left") != late.axes[0].get_title("left")


def test_controls_step_and_stop_at_the_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(explorers.plots, "show", lambda *args, **kwargs: None)
    explorer = KnownByExplorer(start=0)
    assert explorer.earlier.disabled and not explorer.later.disabled
    explorer.later.click()
    assert explorer.as_of == MILESTONES[1][0]
    assert "(2 of" in explorer.status.value and 'role="status"' in explorer.status.value
    for _ in range(len(MILESTONES) + 2):
        explorer.later.click()
    assert explorer.as_of == MILESTONES[-1][0] and explorer.later.disabled
    assert "Bellingcat" in explorer.latest.value


def test_fallback_text_before_running(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(explorers.plots, "show", lambda *args, **kwargs: None)
    bundle = KnownByExplorer()._repr_mimebundle_()
    assert "Run this cell" in bundle["text/plain"] and "known_by(" in bundle["text/plain"]
    assert "VBox(" not in bundle["text/plain"]
