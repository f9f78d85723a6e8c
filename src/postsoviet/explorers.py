"""Explorers: small interactive charts with guided questions beside them in the lessons.

Every explorer has a text-mode twin that returns the same data as a table, for screen
readers and for front ends without widgets, and a plain-text fallback that says what it
is before the cell is run. Controls need only Tab, Space and Enter: in a JupyterLab
notebook the arrow keys move between cells, so sliders and drop-down lists alone would
shut keyboard users out.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from postsoviet import data, plots

__all__ = ["MILESTONES", "KnownByExplorer", "known_by", "known_by_figure"]

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


def _format_date(value: pd.Timestamp) -> str:
    return f"{value.day} {value:%B %Y}"


def known_by_figure(as_of: str | pd.Timestamp) -> plots.CourseFigure:
    """The story on a date axis by theme, events after ``as_of`` hollow and grey."""
    story, cutoff = _story(), pd.Timestamp(as_of)
    known = story[story["date"] <= cutoff]
    latest = known.iloc[-1]["event"] if len(known) else "none yet"
    description = (
        f"Timeline from December 2019 to December 2021 by theme. By {_format_date(cutoff)}, "
        f"{len(known)} of the {len(story)} events shown had happened (filled markers); "
        f"the most recent: {latest}"
    )
    return plots.event_chart(
        story,
        date="date",
        group="theme",
        until=cutoff,
        title=f"What could be known by {_format_date(cutoff)}",
        source="course timeline dataset (postsoviet.data.load('timeline'))",
        description=description,
    )


class KnownByExplorer(widgets.VBox):
    """Step through the story's milestones and see what a reader could know at each."""

    def __init__(self, start: int = 2) -> None:
        self.position = start
        self.earlier = widgets.Button(description="◀ Earlier", tooltip="Go to the previous date")
        self.later = widgets.Button(description="Later ▶", tooltip="Go to the next date")
        self.status = widgets.HTML()
        self.chart = widgets.Output()
        self.latest = widgets.HTML()
        self.earlier.on_click(lambda _b: self.step(-1))
        self.later.on_click(lambda _b: self.step(1))
        super().__init__(
            [widgets.HBox([self.earlier, self.later, self.status]), self.chart, self.latest]
        )
        self.add_class("postsoviet-explorer")
        self.draw()

    def __repr__(self) -> str:
        return self.fallback()

    @staticmethod
    def fallback() -> str:
        return (
            "Explorer: what could be known, when (July 2020 to November 2021). "
            'Run this cell to use it, or type known_by("2020-07-31") for the same '
            "events as a table."
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = self.fallback()
        return bundle

    @property
    def as_of(self) -> str:
        return MILESTONES[self.position][0]

    def step(self, by: int) -> None:
        self.position = min(max(self.position + by, 0), len(MILESTONES) - 1)
        self.draw()

    def draw(self) -> None:
        from IPython.display import clear_output

        date, label = MILESTONES[self.position]
        self.earlier.disabled = self.position == 0
        self.later.disabled = self.position == len(MILESTONES) - 1
        stamp = pd.Timestamp(date)
        self.status.value = (
            f'<span role="status"><strong>{_format_date(stamp)}</strong>: {label} '
            f"({self.position + 1} of {len(MILESTONES)})</span>"
        )
        figure = known_by_figure(date)
        with self.chart:
            clear_output(wait=True)
            plots.show(figure)
        recent = known_by(date).tail(3)
        items = "".join(
            f"<li>{_format_date(row.date)} ({row.theme}): {row.event}</li>"
            for row in recent.itertuples()
        )
        self.latest.value = f"<p>The three latest events by then:</p><ul>{items}</ul>"
