"""Lesson 06 (after 2020): the relations explorer and the prediction check.

The explorer plots the lesson's cooperation/conflict coding of the timeline
(:mod:`postsoviet.relations`) month by month, 2018-2025, with the date of the report
(7 August 2020) marked; step buttons change the smoothing and the period. The prediction
check asks for five predictions about what came after August 2020, then reveals and
scores them. Both keep their state in memory only and need only Tab, Space and Enter.
"""

from __future__ import annotations

import functools

import ipywidgets as widgets
import matplotlib as mpl
import pandas as pd

from postsoviet import plots, relations
from postsoviet.display import html_text
from postsoviet.explorers._base import (
    ChartCache,
    TextFallback,
    chosen_text,
    format_date,
    in_turn,
    mark_chosen,
)

__all__ = [
    "PERIODS",
    "SMOOTHING",
    "PredictionCheck",
    "RelationsExplorer",
    "relations_figure",
    "relations_table",
]

SOURCE = (
    "course timeline dataset, coded by the lesson (postsoviet.relations); "
    "report: Euronews with AP, 7 August 2020"
)
#: Months the index is averaged over, from none to a year.
SMOOTHING = (1, 3, 6, 12)
#: Periods the explorer can show: label, first day, last day.
PERIODS: list[tuple[str, str, str]] = [
    ("2018 to 2025", "2018-01-01", "2025-12-31"),
    ("2019 to 2021", "2019-01-01", "2021-12-31"),
]


def relations_table(smoothing: int = 3, period: int = 0) -> pd.DataFrame:
    """The explorer's data as a table: one row per month of the period (text-mode twin).

    The average is taken over the lesson's whole span, then cut to the period: averaged
    within the period, its first months lost the months before them, and January 2019
    read -1.0 in one period and -0.67 in the other.
    """
    _label, start, end = PERIODS[period]
    table = relations.monthly_index(smoothing=smoothing)
    within = table["month"].between(pd.Timestamp(start), pd.Timestamp(end))
    return table[within].reset_index(drop=True)


@functools.cache
def _event_counts(smoothing: int, period: int) -> tuple[int, int]:
    """Cooperation and conflict events in the explorer's state, for its status line.

    Counted once per state: building the monthly table takes about 15 ms, which was most
    of a step's time in the kernel when the chart itself was already rendered.
    """
    table = relations_table(smoothing, period)
    return int(table["cooperation"].sum()), int(table["conflict"].sum())


def _smoothing_words(smoothing: int) -> str:
    return "no smoothing" if smoothing == 1 else f"{smoothing}-month average"


def relations_figure(smoothing: int = 3, period: int = 0) -> plots.CourseFigure:
    """Bars for each month's cooperation (up) and conflict (down) events, the smoothed
    index as a line, and a dashed line on the day of the report."""
    label, start, end = PERIODS[period]
    table = relations_table(smoothing, period)
    words = _smoothing_words(smoothing)
    coded = relations.coded_events(start, end)
    before = coded[coded["date"] <= relations.REPORT_DATE]["relation"].value_counts()
    after = coded[coded["date"] > relations.REPORT_DATE]["relation"].value_counts()
    low, high = table.loc[table["index"].idxmin()], table.loc[table["index"].idxmax()]
    description = (
        f"Russia-Belarus relations by month, {label}: cooperation events as bars above zero, "
        f"conflict events as hatched bars below, and the index (cooperation minus conflict, "
        f"{words}) as a line. A dashed line marks the report of 7 August 2020. "
        f"Up to the report: {before.get('cooperation', 0)} cooperation and "
        f"{before.get('conflict', 0)} conflict events; after it: "
        f"{after.get('cooperation', 0)} and {after.get('conflict', 0)}. The index is lowest "
        f"({low['index']:.2f}) in {low['month']:%B %Y} and highest ({high['index']:.2f}) in "
        f"{high['month']:%B %Y}."
    )
    fig = plots.line_chart(
        table,
        "month",
        "index",
        title=f"Cooperation minus conflict, {label} ({words})",
        xlabel="month",
        ylabel="events per month",
        source=SOURCE,
        description=description,
    )
    ax = fig.axes[0]
    line = ax.get_lines()[0]
    line.set_label(f"index ({words})")
    line.set_marker("")
    width = 25  # days: one bar per month without touching its neighbours
    colours = plots.OKABE_ITO
    with mpl.rc_context({"hatch.color": "white"}):
        ax.bar(
            table["month"],
            table["cooperation"],
            width=width,
            align="edge",
            color=colours["bluish green"],
            label="cooperation events",
            zorder=1,
        )
        ax.bar(
            table["month"],
            -table["conflict"],
            width=width,
            align="edge",
            color=colours["vermillion"],
            hatch="//",
            label="conflict events (below zero)",
            zorder=1,
        )
    line.set_zorder(3)
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.axvline(relations.REPORT_DATE, color="#444444", linestyle="--", linewidth=1.2, zorder=0)
    # Headroom above the tallest bar for the report's label, which sat on August 2020's
    # bar; the line itself goes behind the bars it crosses.
    top = max(3.2, float(table["cooperation"].max()) + 0.4) + 0.8
    ax.set_ylim(-max(3.2, float(table["conflict"].max()) + 0.4), top)
    ax.annotate(
        "report, 7 Aug 2020",
        xy=(relations.REPORT_DATE, top),
        xytext=(4, -3),
        textcoords="offset points",
        va="top",
        fontsize="small",
        color="#444444",
    )
    ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
    plots.legend_beside(ax)
    return fig


class RelationsExplorer(TextFallback, widgets.VBox):
    """Step the smoothing up and down and zoom the period; the chart and the status follow."""

    def __init__(self) -> None:
        self.smoothing_position = 1
        self.period = 0
        self.less = widgets.Button(
            description="◀ Less smoothing", tooltip="Average over fewer months"
        )
        self.more = widgets.Button(
            description="More smoothing ▶", tooltip="Average over more months"
        )
        self.period_buttons = [widgets.Button(description=label) for label, _, _ in PERIODS]
        self.track_controls([self.less, self.more, *self.period_buttons])
        self.less.on_click(lambda _b: self.smooth(-1))
        self.more.on_click(lambda _b: self.smooth(1))
        for index, button in enumerate(self.period_buttons):
            button.on_click(lambda _b, i=index: self.zoom(i))
        self.status = widgets.HTML()
        self.chart = widgets.Output()
        self.charts = ChartCache(lambda key: plots.figure_outputs(relations_figure(*key)))
        super().__init__(
            [
                widgets.HBox([self.less, self.more, *self.period_buttons]),
                self.status,
                self.chart,
            ]
        )
        self.add_class("postsoviet-explorer")
        self.draw()

    @staticmethod
    def fallback() -> str:
        return (
            "Explorer: Russia-Belarus relations by month, 2018-2025, coded cooperation or "
            "conflict, with the report of 7 August 2020 marked. Run this cell to use it, or "
            "type relations_table(smoothing=3) for the same data as a table."
        )

    @property
    def smoothing(self) -> int:
        return SMOOTHING[self.smoothing_position]

    def smooth(self, by: int) -> None:
        self.smoothing_position = min(max(self.smoothing_position + by, 0), len(SMOOTHING) - 1)
        self.draw()

    def zoom(self, index: int) -> None:
        self.period = index
        self.draw()

    def draw(self) -> None:
        self.less.disabled = self.smoothing_position == 0
        self.more.disabled = self.smoothing_position == len(SMOOTHING) - 1
        for index, button in enumerate(self.period_buttons):
            button.description = chosen_text(PERIODS[index][0], index == self.period)
        self.chart.outputs = self.charts.get((self.smoothing, self.period))
        label = PERIODS[self.period][0]
        cooperation, conflict = _event_counts(self.smoothing, self.period)
        self.status.value = (
            f'<span role="status">{label}, {_smoothing_words(self.smoothing)}: '
            f"{cooperation} cooperation and {conflict} conflict "
            f"events; the dashed line is the report of "
            f"{format_date(relations.REPORT_DATE)}</span>"
        )
        # Next: one step of smoothing either way, or another period.
        self.charts.prefetch(
            in_turn(
                [
                    [
                        (SMOOTHING[i], self.period)
                        for i in (self.smoothing_position + by,)
                        if 0 <= i < len(SMOOTHING)
                    ]
                    for by in (-1, 1)
                ]
                + [[(self.smoothing, period)] for period in range(len(PERIODS))],
                self.last_used,
            )
        )


class PredictionCheck(TextFallback, widgets.VBox):
    """Record a prediction for each question, then reveal what happened and the score."""

    def __init__(self) -> None:
        self.choices: dict[int, str] = {}
        self.revealed = False
        self.waiting_for = False  # an early Reveal listed open questions: keep it current
        self.rows = [self._row(item) for item in relations.PREDICTIONS]
        self.reveal_button = widgets.Button(
            description="Reveal what happened", tooltip="Show the outcomes and your score"
        )
        self.again = widgets.Button(description="Start again", tooltip="Clear your predictions")
        self.reveal_button.on_click(lambda _b: self.reveal())
        self.again.on_click(lambda _b: self.reset())
        self.feedback = widgets.HTML()
        super().__init__(
            [
                *[row["box"] for row in self.rows],
                widgets.HBox([self.reveal_button, self.again]),
                self.feedback,
            ]
        )
        self.add_class("postsoviet-predictions")

    @staticmethod
    def fallback() -> str:
        return (
            "Prediction check: five questions about what happened after August 2020. Run this "
            "cell to record your predictions, or in text mode type "
            'score_predictions({1: "no", 2: "no", 3: "yes", 4: "no", 5: "yes"}) '
            "with your own answers."
        )

    def _row(self, item: relations.Prediction) -> dict[str, object]:
        chosen = widgets.HTML("<em>Your prediction: none yet</em>")
        buttons = [
            widgets.Button(
                description=option,
                tooltip=f"Question {item.number}: {option}",
                layout=widgets.Layout(width="auto"),
            )
            for option in item.options
        ]
        for button, option in zip(buttons, item.options, strict=True):
            button.on_click(lambda _b, n=item.number, o=option: self.choose(n, o))
        box = widgets.VBox(
            [
                widgets.HTML(f"<p><strong>{item.number}.</strong> {html_text(item.question)}</p>"),
                widgets.HBox([*buttons, chosen]),
            ],
            layout=widgets.Layout(border="1px solid #999", padding="2px 8px", margin="4px 0"),
        )
        return {
            "box": box,
            "buttons": buttons,
            "options": list(item.options),
            "chosen": chosen,
            "number": item.number,
        }

    def choose(self, number: int, option: str) -> None:
        if self.revealed:
            return
        self.choices[number] = option
        for row in self.rows:
            if row["number"] == number:
                row["chosen"].value = f"<em>Your prediction: {html_text(option)}</em>"
                options = row["options"]
                mark_chosen(row["buttons"], options, options.index(option))
        if self.waiting_for:  # the list of open questions said after an early Reveal
            self._say_what_is_open()

    def _open_questions(self) -> list[int]:
        return [item.number for item in relations.PREDICTIONS if item.number not in self.choices]

    def _say_what_is_open(self) -> None:
        """Name the questions still open, or say that Reveal will now work."""
        missing = self._open_questions()
        self.waiting_for = bool(missing)
        if missing:
            numbers = ", ".join(map(str, missing))
            text = f"? Record a prediction for every question first (still open: {numbers})."
        else:
            text = "Every question has a prediction: press Reveal what happened."
        self._say(html_text(text))

    def _say(self, text: str) -> None:
        self.feedback.value = f'<div role="status" class="postsoviet-feedback">{text}</div>'

    def reveal(self) -> None:
        if self._open_questions():
            self._say_what_is_open()
            return
        self.waiting_for = False
        self.revealed = True
        for row in self.rows:
            for button in row["buttons"]:
                button.disabled = True
        scored = relations.score_predictions(self.choices)
        items = "".join(
            "<li>"
            + html_text(
                f"{row.result} ({row.question.split(':')[0]}): you predicted "
                f"{row._2}; what happened: {row._3}"
            )
            + f" <small>Source: {html_text(row.source)}</small></li>"
            for row in scored.itertuples()
        )
        self._say(
            f"<p>{html_text(relations.prediction_summary(scored))}</p><ol>{items}</ol>"
            "<p>Your predictions are locked; press <em>Start again</em> to clear them.</p>"
        )

    def reset(self) -> None:
        self.choices.clear()
        self.revealed = self.waiting_for = False
        for row in self.rows:
            row["chosen"].value = "<em>Your prediction: none yet</em>"
            mark_chosen(row["buttons"], row["options"], None)
            for button in row["buttons"]:
                button.disabled = False
        self._say("Predictions cleared.")
