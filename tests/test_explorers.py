"""The "what could be known, when" explorer: data, figure, controls, fallback."""

from __future__ import annotations

import pandas as pd
import pytest

from postsoviet import data, explorers, plots
from postsoviet.display import PLAIN_WIDTH
from postsoviet.explorers import MILESTONES, KnownByExplorer, known_by, known_by_figure
from postsoviet.explorers.relations import RelationsExplorer


def _flat(text: str) -> str:
    """Plain text as one line: fallbacks are wrapped at word boundaries."""
    return " ".join(text.split())


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
    monkeypatch.setattr(plots, "figure_outputs", lambda *args, **kwargs: [])
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
    monkeypatch.setattr(plots, "figure_outputs", lambda *args, **kwargs: [])
    bundle = KnownByExplorer()._repr_mimebundle_()
    text = bundle["text/plain"]
    assert "Run this cell" in _flat(text) and "known_by(" in text and "VBox(" not in text
    # Short lines: JupyterLab cuts a text line wider than the output area inside its words.
    assert max(len(line) for line in text.splitlines()) <= PLAIN_WIDTH


def test_timeline_events_filter_by_theme_and_range() -> None:
    summer = explorers.timeline_events(start="2020-01-01", end="2020-09-30")
    assert summer["date"].between("2020-01-01", "2020-09-30").all() and len(summer) > 10
    energy = explorers.timeline_events(["energy"], "1991-01-01", "2025-12-31")
    assert set(energy["theme"]) == {"energy"} and len(energy) > len(
        explorers.timeline_events(["energy"], "2020-01-01", "2020-09-30")
    )


def test_timeline_explorer_follows_its_controls(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = []
    monkeypatch.setattr(plots, "figure_outputs", lambda figure, *a, **k: drawn.append(figure) or [])
    explorer = explorers.TimelineExplorer()
    first = explorer.status.value
    explorer.range_buttons[-1].click()
    assert "1991 to 2025" in explorer.status.value and explorer.status.value != first
    assert explorer.range_buttons[-1].description.startswith("● ")
    for theme, box in explorer.boxes.items():
        box.value = theme == "energy"
    assert "themes: energy<" in explorer.status.value
    assert "energy" in drawn[-1].description
    explorer.boxes["energy"].value = False
    assert "none ticked" in explorer.status.value and "0 events" in explorer.status.value
    assert "No events to show" in explorer.chart.outputs[0]["text"]
    assert "Run this cell" in _flat(explorer._repr_mimebundle_()["text/plain"])


@pytest.mark.parametrize(
    ("who", "evidence", "start"),
    [
        ("Moscow", "no", "✓ Claim 3: both right."),
        ("Minsk", "no", "✗ Claim 3: evidence: right"),
        ("moscow ", "yes", "✗ Claim 3: who: right"),
        (None, 3, "✗ Claim 3: not quite."),
    ],
)
def test_judge_claim_always_attributes_and_cites(who, evidence, start) -> None:
    text = explorers.judge_claim(3, who, evidence)
    assert text.startswith(start)
    assert "Dmitry Peskov" in text and "31 July 2020" in text and "Source: TASS" in text


def test_claims_board_checks_one_claim_at_a_time() -> None:
    board = explorers.ClaimsBoard()
    assert len(board.rows) == len(data.load("claims")) >= 8
    row = board.rows[2]
    row["check"].click()
    assert "Choose who made the claim" in row["feedback"].value
    row["who"][explorers.CLAIMANTS.index("Moscow")].click()
    row["evidence"][1].click()  # "no"
    row["check"].click()
    assert "✓ Claim 3: both right." in row["feedback"].value
    assert 'role="status"' in row["feedback"].value
    assert board.rows[0]["feedback"].value == ""
    assert "judge_claim(" in board._repr_mimebundle_()["text/plain"]


def test_a_board_highlights_the_choice_and_gives_one_more_try_before_revealing() -> None:
    row = explorers.ClaimsBoard().rows[2]
    kyiv, moscow = (row["who"][explorers.CLAIMANTS.index(n)] for n in ("Kyiv", "Moscow"))
    kyiv.click()
    assert "postsoviet-chosen" in kyiv._dom_classes and kyiv.description == "● Kyiv"
    moscow.click()  # a new choice moves the highlight, not only its colour
    assert "postsoviet-chosen" not in kyiv._dom_classes and kyiv.description == "Kyiv"
    assert "postsoviet-chosen" in moscow._dom_classes and moscow.description == "● Moscow"
    row["evidence"][0].click()  # "yes": wrong
    row["check"].click()
    first = row["feedback"].value
    assert "✗" in first and "Try once more" in first and "Peskov" not in first
    row["check"].click()
    assert "Peskov" in row["feedback"].value and "Try once more" not in row["feedback"].value


def test_timeline_explorer_lists_its_events_and_names_the_2020_theme() -> None:
    explorer = explorers.TimelineExplorer()
    assert "The " in explorer.events.value and "<li>" in explorer.events.value
    shown = explorers.timeline_events(explorer.themes, "2020-01-01", "2020-09-30")
    assert explorer.events.value.count("<li>") == len(shown)
    assert explorer.boxes["2020-crisis"].description == "2020 crisis"
    assert "2020 crisis" in explorer.status.value


def test_an_explorer_step_says_updating_first_and_agrees_at_the_end() -> None:
    explorer = explorers.KnownByExplorer()
    sent: list[tuple[str, object]] = []
    explorer.observe(lambda c: sent.append(("classes", tuple(c["new"]))), names="_dom_classes")
    explorer.status.observe(lambda c: sent.append(("status", c["new"])), names="value")
    explorer.step(1)
    assert sent[0] == ("classes", (*explorer._dom_classes, "postsoviet-busy"))
    assert sent[1] == ("status", '<span role="status">updating…</span>')
    assert "postsoviet-busy" not in explorer._dom_classes
    assert "updating" not in explorer.status.value


@pytest.mark.parametrize(
    "make",
    [explorers.KnownByExplorer, explorers.TimelineExplorer, RelationsExplorer],
)
def test_an_explorer_stores_its_first_chart_with_alt_text_and_its_fallback(make) -> None:
    explorer = make()
    bundle = explorer._repr_mimebundle_()
    assert bundle["image/png"] and "application/vnd.jupyter.widget-view+json" in bundle
    page = bundle["text/html"]
    assert page.startswith("<img ") and 'alt="Chart: ' in page
    assert bundle["image/png"] in page
    assert "Figure:" in page and "Run this cell" in page
    assert "Run this cell" in _flat(bundle["text/plain"])


def test_a_board_without_a_chart_stores_its_text_only() -> None:
    assert "image/png" not in explorers.ClaimsBoard()._repr_mimebundle_()


def test_known_by_names_every_filled_dot_and_the_timeline_draws_no_cutoff_line() -> None:
    from postsoviet.explorers.article import timeline_figure

    explorer = KnownByExplorer()
    known = known_by(MILESTONES[explorer.position][0])
    assert f"<summary>The {len(known)} events known by" in explorer.latest.value
    assert explorer.latest.value.count("<li>") == 3 + len(known)
    # The timeline shows a range, not what was known by a date: no dashed line at its end.
    chart = timeline_figure(("energy", "union"), "2020-01-01", "2020-09-30")
    assert not [line for line in chart.axes[0].get_lines() if line.get_linestyle() == "--"]


def test_an_empty_range_suggests_a_wider_one_only_where_there_is_one() -> None:
    from postsoviet.explorers.article import RANGES, TimelineExplorer

    narrow = TimelineExplorer._render((("after-2020",), 0))[0]["text"]
    assert "tick another theme, or choose a wider range." in narrow
    assert "tick at least one theme" in TimelineExplorer._render(((), len(RANGES) - 1))[0]["text"]
