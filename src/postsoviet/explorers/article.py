"""Lesson 01 (the report): what could be known when, the timeline by theme, the claims board."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from postsoviet import data, plots
from postsoviet.display import html_text
from postsoviet.explorers._base import (
    ChartCache,
    TextFallback,
    board_row,
    chosen_text,
    format_date,
    in_turn,
)

__all__ = [
    "CLAIMANTS",
    "MILESTONES",
    "RANGES",
    "THEMES",
    "ClaimsBoard",
    "KnownByExplorer",
    "TimelineExplorer",
    "events_html",
    "judge_claim",
    "known_by",
    "known_by_figure",
    "official_result_figure",
    "timeline_events",
    "timeline_figure",
]

TIMELINE_SOURCE = "course timeline dataset (postsoviet.data.load('timeline'))"
STORY_START = pd.Timestamp("2019-12-01")
STORY_END = pd.Timestamp("2021-12-31")

#: The dates the "what was known, when" explorer steps through, with what they mark.
MILESTONES: list[tuple[str, str]] = [
    ("2020-07-28", "the day before the arrests were announced"),
    ("2020-07-29", "the arrests are announced"),
    ("2020-07-31", "Moscow gives its account"),
    ("2020-08-07", "the day of the report"),
    ("2020-08-14", "five days after the election"),
    ("2020-09-24", "after the inauguration"),
    ("2021-11-17", "the investigation is published"),
]


def _story() -> pd.DataFrame:
    events = data.load("timeline")
    window = events[(events["date"] >= STORY_START) & (events["date"] <= STORY_END)]
    return window.sort_values("date", kind="stable").reset_index(drop=True)


def known_by(as_of: str | pd.Timestamp) -> pd.DataFrame:
    """The story's events (Dec 2019 to Dec 2021) public by ``as_of``: date, theme, event."""
    cutoff = pd.Timestamp(as_of)
    story = _story()
    return story.loc[story["date"] <= cutoff, ["date", "theme", "event", "source"]]


def known_by_figure(as_of: str | pd.Timestamp) -> plots.CourseFigure:
    """The story on a date axis by theme, events after ``as_of`` hollow and grey."""
    story, cutoff = _story(), pd.Timestamp(as_of)
    known = story[story["date"] <= cutoff]
    latest = known.iloc[-1]["event"] if len(known) else "none yet"
    description = (
        f"Timeline from December 2019 to December 2021 by theme. By {format_date(cutoff)}, "
        f"{len(known)} of the {len(story)} events shown had happened (filled markers); "
        f"the most recent: {latest}"
    )
    return plots.event_chart(
        story,
        date="date",
        group="theme",
        until=cutoff,
        title=f"What could be known by {format_date(cutoff)}",
        source=TIMELINE_SOURCE,
        description=description,
    )


class KnownByExplorer(TextFallback, widgets.VBox):
    """Step through the story's milestones and see what a reader could know at each."""

    def __init__(self, start: int = 2) -> None:
        self.position = start
        self.earlier = widgets.Button(description="◀ Earlier", tooltip="Go to the previous date")
        self.later = widgets.Button(description="Later ▶", tooltip="Go to the next date")
        self.status = widgets.HTML()
        self.chart = widgets.Output()
        self.latest = widgets.HTML()
        self.charts = ChartCache(lambda date: plots.figure_outputs(known_by_figure(date)))
        self.track_controls([self.earlier, self.later])
        self.earlier.on_click(lambda _b: self.step(-1))
        self.later.on_click(lambda _b: self.step(1))
        super().__init__(
            [widgets.HBox([self.earlier, self.later, self.status]), self.chart, self.latest]
        )
        self.add_class("postsoviet-explorer")
        self.draw()

    @staticmethod
    def fallback() -> str:
        return (
            "Explorer: what could be known, when (July 2020 to November 2021). "
            'Run this cell to use it, or type known_by("2020-07-31") for the same '
            "events as a table."
        )

    @property
    def as_of(self) -> str:
        return MILESTONES[self.position][0]

    def step(self, by: int) -> None:
        self.position = min(max(self.position + by, 0), len(MILESTONES) - 1)
        self.draw()

    def draw(self) -> None:
        date, label = MILESTONES[self.position]
        self.earlier.disabled = self.position == 0
        self.later.disabled = self.position == len(MILESTONES) - 1
        stamp = pd.Timestamp(date)
        self.status.value = (
            f'<span role="status"><strong>{format_date(stamp)}</strong>: {label} '
            f"({self.position + 1} of {len(MILESTONES)})</span>"
        )
        self.chart.outputs = self.charts.get(date)
        # Next: the date before (Earlier) or after (Later).
        self.charts.prefetch(
            in_turn(
                [
                    [MILESTONES[i][0] for i in (self.position + by,) if 0 <= i < len(MILESTONES)]
                    for by in (-1, 1)
                ],
                self.last_used,
            )
        )
        known = known_by(date)
        items = "".join(
            f"<li>{format_date(row.date)} ({plots.theme_label(row.theme)}): "
            f"{html_text(row.event)}</li>"
            for row in known.tail(3).itertuples()
        )
        # Every filled dot named too, as under the timeline: a dot cannot carry its sentence.
        self.latest.value = (
            f"<p>The three latest events by then:</p><ul>{items}</ul>"
            + events_html(known, f"known by {format_date(stamp)}")
        )


# --- the timeline explorer ---------------------------------------------------------------

THEMES = plots.THEMES
#: Ranges the timeline explorer can zoom to: label, first day, last day.
RANGES: list[tuple[str, str, str]] = [
    ("January to September 2020", "2020-01-01", "2020-09-30"),
    ("2019 to 2021", "2019-01-01", "2021-12-31"),
    ("1991 to 2025", "1991-01-01", "2025-12-31"),
]


def official_result_figure() -> plots.CourseFigure:
    """The CEC's final result of the 2020 election (shares of all who took part), for lesson 00."""
    final_2020 = data.load("elections").query(
        "year == 2020 and status == 'final' and base == 'participants'"
    )
    return plots.bar_chart(
        final_2020,
        x="candidate",
        y="votes_pct",
        title="Belarus, presidential election of 9 August 2020: official final result",
        xlabel="candidate",
        ylabel="share of all who took part (%)",
        source="Central Election Commission of Belarus, final result of 14 August 2020",
    )


def timeline_events(
    themes: tuple[str, ...] | list[str] = THEMES, start: str = "2020-01-01", end: str = "2020-09-30"
) -> pd.DataFrame:
    """Timeline events of the chosen themes between two dates (both included)."""
    events = data.load("timeline")
    chosen = events[
        events["theme"].isin(list(themes))
        & events["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    ]
    return chosen.sort_values("date", kind="stable")[["date", "theme", "event", "source"]]


def timeline_figure(
    themes: tuple[str, ...] | list[str], start: str, end: str
) -> plots.CourseFigure:
    events = timeline_events(themes, start, end)
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    shown = ", ".join(plots.theme_label(t) for t in themes) if themes else "no theme"
    description = (
        f"Timeline from {format_date(first)} to {format_date(last)}, themes: {shown}. "
        f"{len(events)} events."
    )
    if len(events):
        busiest = events["theme"].value_counts()
        description += f" Most events: {plots.theme_label(busiest.index[0])} ({busiest.iloc[0]})."
    return plots.event_chart(
        events,
        date="date",
        group="theme",
        title=f"Events, {format_date(first)} to {format_date(last)}",
        source=TIMELINE_SOURCE,
        description=description,
    )


class TimelineExplorer(TextFallback, widgets.VBox):
    """Tick themes and choose a range; the chart and the event count follow."""

    def __init__(self) -> None:
        self.boxes = {
            theme: widgets.Checkbox(
                value=True,
                description=plots.theme_label(theme),
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for theme in THEMES
        }
        self.range_buttons = [widgets.Button(description=label) for label, _, _ in RANGES]
        self.track_controls([*self.boxes.values(), *self.range_buttons])
        self.range_index = 0
        for index, button in enumerate(self.range_buttons):
            button.on_click(lambda _b, i=index: self.zoom(i))
        for box in self.boxes.values():
            box.observe(lambda _change: self.draw(), names="value")
        self.status = widgets.HTML()
        self.chart = widgets.Output()
        self.events = widgets.HTML()
        self.charts = ChartCache(self._render)
        super().__init__(
            [
                widgets.HBox(list(self.boxes.values())),
                widgets.HBox(self.range_buttons),
                self.status,
                self.chart,
                self.events,
            ]
        )
        self.add_class("postsoviet-explorer")
        self.draw()

    @staticmethod
    def fallback() -> str:
        return (
            "Explorer: the course timeline by theme, from 2020 out to 1991-2025. Run this cell "
            'to use it, or type timeline_events(start="2020-01-01", end="2020-09-30").'
        )

    @property
    def themes(self) -> list[str]:
        return [theme for theme, box in self.boxes.items() if box.value]

    def zoom(self, index: int) -> None:
        self.range_index = index
        self.draw()

    def draw(self) -> None:
        label, start, end = RANGES[self.range_index]
        for index, button in enumerate(self.range_buttons):
            button.description = chosen_text(RANGES[index][0], index == self.range_index)
        self.chart.outputs = self.charts.get((tuple(self.themes), self.range_index))
        events = timeline_events(self.themes, start, end)
        count = len(events)
        names = ", ".join(plots.theme_label(t) for t in self.themes) or "none ticked"
        self.status.value = f'<span role="status">{label}: {count} events, themes: {names}</span>'
        self.events.value = events_html(events)
        # Next: one theme ticked or unticked, or another range.
        themes = set(self.themes)
        flips = [tuple(t for t in THEMES if (t in themes) != (t == f)) for f in THEMES]
        self.charts.prefetch(
            in_turn(
                [[(flipped, self.range_index)] for flipped in flips]
                + [[(tuple(self.themes), index)] for index in range(len(RANGES))],
                self.last_used,
            )
        )

    @staticmethod
    def _render(key: tuple[tuple[str, ...], int]) -> list[dict[str, Any]]:
        themes, range_index = key
        _label, start, end = RANGES[range_index]
        if not len(timeline_events(themes, start, end)):
            return [
                {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": (
                        "No events to show: tick at least one theme."
                        if not themes
                        else "No events of the ticked themes in this range: tick another theme"
                        + (", or choose a wider range." if range_index < len(RANGES) - 1 else ".")
                    )
                    + "\n",
                }
            ]
        return plots.figure_outputs(timeline_figure(themes, start, end))


def events_html(events: pd.DataFrame, which: str = "in this chart") -> str:
    """The events of a timeline chart as a list under it: the dots' labels, in words.

    A dot on a date axis cannot carry its sentence; the list names every event shown,
    in date order, with its theme as the legend shows it. It is folded (``<details>``,
    opened with Enter or Space) so that a long range does not push the next cell away.
    """
    if events.empty:
        return ""
    items = "".join(
        f"<li>{format_date(row.date)} ({html_text(plots.theme_label(row.theme))}): "
        f"{html_text(row.event)}</li>"
        for row in events.itertuples()
    )
    return (
        f"<details><summary>The {len(events)} events {which}, in date order</summary>"
        f"<ol>{items}</ol></details>"
    )


# --- the claims board ------------------------------------------------------------------

CLAIMANTS = ("Minsk", "Moscow", "Kyiv", "observers", "investigators")


def judge_claim(claim_no: int, claimant: object, evidence: object) -> str:
    """Feedback on one guess (who made claim ``claim_no``, and was evidence published?).

    Plain text, so it works in text mode too; it starts with ✓ or ✗ and never relies on
    colour. The attribution and source are always shown: the point is to learn them.
    """
    claims = data.load("claims").set_index("claim_no")
    if claim_no not in claims.index:
        return f"? There is no claim {claim_no!r}; the claims are numbered 1 to {len(claims)}."
    row = claims.loc[claim_no]
    who_right = isinstance(claimant, str) and claimant.strip().casefold() == row.claimant.casefold()
    evidence_right = (
        isinstance(evidence, str) and evidence.strip().casefold() == row.evidence_published
    )
    marks = "✓" if who_right and evidence_right else "✗"
    verdict = (
        "both right"
        if who_right and evidence_right
        else "who: right; evidence: not quite"
        if who_right
        else "evidence: right; who: not quite"
        if evidence_right
        else "not quite"
    )
    return (
        f"{marks} Claim {claim_no}: {verdict}. Made by {row.speaker} ({row.claimant}), "
        f"{format_date(row.date)}. Evidence published at the time: {row.evidence_published} "
        f"({row.evidence_note}) Source: {row.source.split(': ')[0]}."
    )


class ClaimsBoard(TextFallback, widgets.VBox):
    """For each claim: choose who made it and whether evidence was published, then check."""

    def __init__(self) -> None:
        self.claims = data.load("claims")
        self.rows = [self._row(claim) for claim in self.claims.itertuples()]
        super().__init__([row["box"] for row in self.rows])
        self.add_class("postsoviet-claims")

    @staticmethod
    def fallback() -> str:
        return (
            "Claims board: for each claim about the 33 men, choose who made it and whether "
            "evidence was published. Run this cell to use it, or type "
            'judge_claim(1, "Moscow", "no") in text mode.'
        )

    def _row(self, claim: Any) -> dict[str, Any]:
        row = board_row(
            f"<p><strong>{claim.claim_no}.</strong> {html_text(claim.claim)}</p>",
            [
                ("claimant", "Who made it?", [(name, name) for name in CLAIMANTS]),
                ("evidence", "Evidence?", [(a, f"evidence: {a}") for a in ("yes", "no")]),
            ],
            lambda state: judge_claim(claim.claim_no, state["claimant"], state["evidence"]),
            f"Check claim {claim.claim_no}",
            "? Choose who made the claim and whether evidence was published first.",
        )
        row["who"], row["evidence"] = row["buttons"]["claimant"], row["buttons"]["evidence"]
        return row
