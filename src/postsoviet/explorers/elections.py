"""Lesson 05 (elections): the official record explorer and the SYNTHETIC forensics explorer.

The election explorer steps through every presidential election (1994-2025) and lets the
student switch the percentage base (participants or valid votes) and the status
(final or preliminary), so the difference between bases and between announcements is
something they see rather than are told. The forensics explorer draws the
turnout-vs-winner's-share fingerprint of made-up polling stations while a stuffing rate
changes: the data are synthetic, and every chart and status line says so.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import matplotlib.dates as mdates
import matplotlib.transforms as transforms
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from postsoviet import data, forensics, plots
from postsoviet.display import html_text
from postsoviet.explorers._base import (
    ChartCache,
    TextFallback,
    chosen_text,
    format_date,
    in_turn,
)

__all__ = [
    "BASES",
    "STATUSES",
    "ElectionExplorer",
    "ForensicsExplorer",
    "early_voting_figure",
    "election_figure",
    "election_results",
    "elections_list",
    "forensics_table",
    "winner_over_time",
]

AGAINST_ALL = "Against all"
#: Percentage bases, with the words the explorer uses for them.
BASES: dict[str, str] = {"participants": "% of participants", "valid": "% of valid votes"}
STATUSES: tuple[str, ...] = ("final", "preliminary")
ELECTIONS_SOURCE = (
    "course elections dataset (postsoviet.data.load('elections')): CEC results; valid-vote "
    "shares from Nohlen & Stöver (2010)"
)


def _elections() -> pd.DataFrame:
    return data.load("elections")


def elections_list() -> list[tuple[int, int]]:
    """Every (year, round) in the data, in date order: 1994 has two rounds."""
    table = _elections().sort_values("date")
    pairs = zip(table["year"].astype(int), table["round"].astype(int), strict=True)
    return list(dict.fromkeys(pairs))


def _check_choice(base: str, status: str) -> None:
    if base not in BASES:
        raise ValueError(f"base must be one of {sorted(BASES)}, not {base!r}.")
    if status not in STATUSES:
        raise ValueError(f"status must be one of {list(STATUSES)}, not {status!r}.")


def election_results(
    year: int, round_: int = 1, base: str = "participants", status: str = "final"
) -> pd.DataFrame:
    """The candidates' shares in one election, on one base and with one status.

    An empty frame means the course data hold no figures for that combination (for
    example valid-vote shares for 2020, or a preliminary result for 2015): the
    explorer says so rather than silently showing another base.
    """
    _check_choice(base, status)
    table = _elections()
    chosen = table[
        (table["year"] == year)
        & (table["round"] == round_)
        & (table["base"] == base)
        & (table["status"] == status)
    ]
    columns = ["candidate", "votes_pct", "turnout_pct", "base", "status", "source"]
    return chosen.sort_values("votes_pct", ascending=False)[columns].reset_index(drop=True)


def winner_over_time(base: str = "participants", status: str = "final") -> pd.DataFrame:
    """One row per election and round: the winner's share on ``base`` and the turnout.

    The winner is the candidate with the largest share ("Against all" is not a
    candidate). Where the data have no figure on this base and status, the share is
    missing (NaN) and the turnout is the final one.
    """
    _check_choice(base, status)
    table = _elections()
    rows = []
    for year, round_ in elections_list():
        election = table[(table["year"] == year) & (table["round"] == round_)]
        final = election[election["status"] == "final"]
        chosen = election[
            (election["base"] == base)
            & (election["status"] == status)
            & (election["candidate"] != AGAINST_ALL)
        ]
        top = chosen.sort_values("votes_pct", ascending=False).head(1)
        rows.append(
            {
                "year": year,
                "round": round_,
                "date": pd.Timestamp(election["date"].iloc[0]),
                "winner": top["candidate"].iloc[0] if len(top) else None,
                "winner_pct": float(top["votes_pct"].iloc[0]) if len(top) else np.nan,
                "turnout_pct": float((top if len(top) else final)["turnout_pct"].iloc[0]),
                "base": base,
                "status": status,
            }
        )
    return pd.DataFrame(rows)


def early_voting_figure() -> plots.CourseFigure:
    """The CEC's cumulative early turnout after each of the first days of early voting, 2020.

    Kept here so the lesson shows one call, not a plotting recipe; the description is built
    from the data, so it cannot drift from the dataset.
    """
    early = data.load("early_voting_2020").dropna(subset=["early_turnout_pct"])
    early = early.assign(day=early["date"].dt.day.astype(str) + " August")
    steps = ", ".join(f"{row.early_turnout_pct:g}% after {row.day}" for row in early.itertuples())
    source = (
        "CEC figures reported by Euroradio, BelTA/Kazinform and Belsat "
        "(course dataset early_voting_2020)"
    )
    return plots.line_chart(
        early,
        x="day",
        y="early_turnout_pct",
        title="Early voting in 2020: cumulative turnout reported by the CEC",
        xlabel="last day of early voting counted (2020)",
        ylabel="voted early (% of registered voters)",
        source=source,
        description=(
            f"Line chart of the CEC's cumulative early turnout after each of the first "
            f"{len(early)} days of early voting in August 2020, as a share of registered "
            f"voters: {steps}. Source: {source}."
        ),
    )


def _label(year: int, round_: int) -> str:
    return f"{year}, round {round_}" if year == 1994 else str(year)


#: How far left of its date a first round followed by a run-off is drawn (points).
_FIRST_ROUND_SHIFT = -10
#: The circle around the election chosen, on the chart and in its legend.
_RING = {
    "linestyle": "none",
    "marker": "o",
    "markerfacecolor": "none",
    "markeredgecolor": "#000000",
    "markeredgewidth": 1.5,
}


def election_figure(
    year: int, round_: int = 1, base: str = "participants", status: str = "final"
) -> plots.CourseFigure:
    """Winner's share (final, on ``base``) and turnout over time, one election circled."""
    _check_choice(base, status)
    every = winner_over_time(base, "final")
    # 1994's first round was seventeen days before the run-off: joined into the line it
    # drew a vertical spike. The lines join each election's deciding round; the first
    # round is drawn as hollow markers of the same look, labelled.
    first_round = (every["round"] == 1) & every["year"].isin(every.loc[every["round"] == 2, "year"])
    series = every[~first_round]
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "date": series["date"],
                    "measure": f"winner's share ({BASES[base]}, final)",
                    "value": series["winner_pct"],
                }
            ),
            pd.DataFrame(
                {
                    "date": series["date"],
                    "measure": "turnout (% of registered voters)",
                    "value": series["turnout_pct"],
                }
            ),
        ],
        ignore_index=True,
    )
    results = election_results(year, round_, base, status)
    winner = results[results["candidate"] != AGAINST_ALL].head(1)
    when = pd.Timestamp(_elections().query("year == @year and round == @round_")["date"].iloc[0])
    if len(winner):
        picked = (
            f"{_label(year, round_)} ({status}): {winner['candidate'].iloc[0]} "
            f"{winner['votes_pct'].iloc[0]:g}{BASES[base]}, turnout "
            f"{winner['turnout_pct'].iloc[0]:g}% of registered voters"
        )
    else:
        picked = f"{_label(year, round_)}: no {status} figure on this base in the course data"
    known = every.dropna(subset=["winner_pct"])
    description = (
        f"Line chart of the winner's share ({BASES[base]}, final results) and turnout "
        f"(% of registered voters) at each presidential election, 1994-2025. Winner's "
        f"share from {known['winner_pct'].min():g}% to {known['winner_pct'].max():g}% "
        f"where the data have this base; turnout from {every['turnout_pct'].min():g}% to "
        f"{every['turnout_pct'].max():g}%. The lines join each election's deciding round; "
        f"1994's first round is drawn apart, as hollow markers a little to the left of "
        f"the run-off's. Circled: {picked}. "
        f"Source: {ELECTIONS_SOURCE}."
    )
    fig = plots.line_chart(
        long,
        x="date",
        y="value",
        by="measure",
        title=f"Winner's share ({BASES[base]}) and turnout, 1994-2025",
        xlabel="date of the election",
        ylabel="percent (base in the legend)",
        source=ELECTIONS_SOURCE,
        description=description,
    )
    ax = fig.axes[0]
    ax.set_ylim(0, 100)
    ax.xaxis.set_major_locator(mdates.YearLocator(5))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    # A first round followed by a run-off 17 days later would sit on the run-off's
    # markers (1994: turnout 79.0% under the winner's 80.3%), so it is drawn a marker's
    # width to the left, as the caption says.
    beside = transforms.offset_copy(ax.transData, fig=fig, x=_FIRST_ROUND_SHIFT, units="points")
    is_first_round = bool(first_round[(every["year"] == year) & (every["round"] == round_)].any())
    if not len(winner):  # the chart says so too, not only the line above it
        ax.annotate(
            f"no {status} figure\non this base",
            xy=(when, 0.0),
            xycoords=("data", "axes fraction"),
            xytext=(4, 4),
            textcoords="offset points",
            va="bottom",
            fontsize="small",
            color="#444444",
        )
    if len(winner):
        ax.plot(
            [when, when],
            [winner["votes_pct"].iloc[0], winner["turnout_pct"].iloc[0]],
            markersize=16,
            transform=beside if is_first_round else ax.transData,
            **_RING,
        )
    for line, column in zip(ax.get_lines()[:2], ("winner_pct", "turnout_pct"), strict=True):
        early = every[first_round].dropna(subset=[column])
        ax.plot(
            early["date"],
            early[column],
            linestyle="none",
            marker=line.get_marker(),
            color=line.get_color(),
            markerfacecolor="white",
            transform=beside,
        )
    # Named in the legend, not beside the points: at 1994 the two rounds sit 17 days
    # apart against the y-axis, and a label there ran into the axis label.
    handles, labels = ax.get_legend_handles_labels()
    hollow = Line2D([], [], linestyle="none", marker="o", color="#444444", markerfacecolor="white")
    handles, labels = [*handles, hollow], [*labels, "1994 first round (hollow markers)"]
    if len(winner):  # the lines are final results; the circle is the result chosen
        ring = Line2D([], [], markersize=11, **_RING)
        handles, labels = [*handles, ring], [*labels, f"circled: {_label(year, round_)}, {status}"]
    ax.legend(handles, labels, loc="lower right")
    mark = ax.axvline(when, color="#444444", linestyle=":", linewidth=1)
    if is_first_round:
        mark.set_transform(
            transforms.offset_copy(
                ax.get_xaxis_transform(), fig=fig, x=_FIRST_ROUND_SHIFT, units="points"
            )
        )
    return fig


class ElectionExplorer(TextFallback, widgets.VBox):
    """Step through the elections; choose the base and the status; read the result."""

    def __init__(self) -> None:
        self.elections = elections_list()
        self.position = len(self.elections) - 2  # 2020
        self.base = "participants"
        self.status_choice = "final"
        self.earlier = widgets.Button(description="◀ Earlier", tooltip="Previous election")
        self.later = widgets.Button(description="Later ▶", tooltip="Next election")
        self.base_buttons = {
            key: widgets.Button(description=label, tooltip=f"Show shares as {label}")
            for key, label in BASES.items()
        }
        self.status_buttons = {
            key: widgets.Button(description=key, tooltip=f"Show the {key} result")
            for key in STATUSES
        }
        self.track_controls(
            [
                self.earlier,
                self.later,
                *self.base_buttons.values(),
                *self.status_buttons.values(),
            ]
        )
        self.earlier.on_click(lambda _b: self.step(-1))
        self.later.on_click(lambda _b: self.step(1))
        for key, button in self.base_buttons.items():
            button.on_click(lambda _b, k=key: self.choose(base=k))
        for key, button in self.status_buttons.items():
            button.on_click(lambda _b, k=key: self.choose(status=k))
        self.status = widgets.HTML()
        self.chart = widgets.Output()
        self.charts = ChartCache(lambda key: plots.figure_outputs(election_figure(*key)))
        self.table = widgets.HTML()
        super().__init__(
            [
                # Each label in one box with its buttons, so a narrow page wraps whole
                # groups ("result:" had been left alone at the end of the first line).
                widgets.HBox(
                    [
                        widgets.HBox([self.earlier, self.later]),
                        widgets.HBox([widgets.Label("base:"), *self.base_buttons.values()]),
                        widgets.HBox([widgets.Label("result:"), *self.status_buttons.values()]),
                    ]
                ),
                self.status,
                self.chart,
                self.table,
            ]
        )
        self.add_class("postsoviet-explorer")
        self.draw()

    @staticmethod
    def fallback() -> str:
        return (
            "Explorer: Belarus's presidential elections 1994-2025, the winner's share on "
            "either base and the turnout. Run this cell to use it, or type "
            'election_results(2006, 1, "valid") or winner_over_time("participants") '
            "for the same figures as a table."
        )

    @property
    def election(self) -> tuple[int, int]:
        return self.elections[self.position]

    def step(self, by: int) -> None:
        self.position = min(max(self.position + by, 0), len(self.elections) - 1)
        self.draw()

    def choose(self, base: str | None = None, status: str | None = None) -> None:
        self.base = base or self.base
        self.status_choice = status or self.status_choice
        self.draw()

    def draw(self) -> None:
        year, round_ = self.election
        self.earlier.disabled = self.position == 0
        self.later.disabled = self.position == len(self.elections) - 1
        for key, button in self.base_buttons.items():
            button.description = chosen_text(BASES[key], key == self.base)
        for key, button in self.status_buttons.items():
            button.description = chosen_text(key, key == self.status_choice)
        self.chart.outputs = self.charts.get((year, round_, self.base, self.status_choice))
        results = election_results(year, round_, self.base, self.status_choice)
        election = _elections().query("year == @year and round == @round_")
        when = format_date(pd.Timestamp(election["date"].iloc[0]))
        verdict = election["osce_assessment"].iloc[0]
        if len(results):
            top = results[results["candidate"] != AGAINST_ALL].iloc[0]
            result = (
                f"{top.candidate} {top.votes_pct:g}{BASES[self.base]} "
                f"({self.status_choice}); turnout {top.turnout_pct:g}% of registered voters"
            )
            items = "".join(
                f"<li>{html_text(row.candidate)}: {row.votes_pct:g}{BASES[self.base]}</li>"
                for row in results.itertuples()
            )
            self.table.value = (
                f"<p>All figures in the data for this election ({html_text(BASES[self.base])}"
                f", {self.status_choice}):</p><ul>{items}</ul>"
                f"<p>Observers: {html_text(verdict)}</p>"
            )
        else:
            result = (
                f"no {self.status_choice} figures as {BASES[self.base]} in the course data "
                "for this election; try the other base or status"
            )
            self.table.value = f"<p>Observers: {html_text(verdict)}</p>"
        self.status.value = (
            f'<span role="status"><strong>{_label(year, round_)}</strong> ({when}): '
            f"{html_text(result)}. ({self.position + 1} of {len(self.elections)})</span>"
        )
        # Next: the election before or after, the other base or the other status.
        self.charts.prefetch(
            in_turn(
                [
                    [
                        (*self.elections[i], self.base, self.status_choice)
                        for i in (self.position + by,)
                        if 0 <= i < len(self.elections)
                    ]
                    for by in (-1, 1)
                ]
                + [[(year, round_, base, self.status_choice)] for base in BASES]
                + [[(year, round_, self.base, status)] for status in STATUSES],
                self.last_used,
            )
        )


# --- the SYNTHETIC forensics explorer -------------------------------------------------

EXPLORER_STATIONS = 3000
RATE_STEP = 10
RATE_MAX = 60


@lru_cache(maxsize=32)
def _explorer_stations(stuffing_pct: int, gap: bool) -> pd.DataFrame:
    return forensics.synthetic_stations(
        EXPLORER_STATIONS, stuffing_pct / 100, urban_rural_gap=6.0 if gap else 0.0
    )


def forensics_table(stuffing_pct: int = 20, urban_rural_gap: bool = False) -> pd.DataFrame:
    """What the forensics explorer shows, as a table: one row per SYNTHETIC district.

    ``stuffing_pct`` is the share of stations stuffed in the manipulated districts (0 to
    60, in steps of 10, as in the explorer); the last row summarises all stations.
    """
    if stuffing_pct not in range(0, RATE_MAX + 1, RATE_STEP):
        raise ValueError(f"stuffing_pct goes from 0 to {RATE_MAX} in steps of {RATE_STEP}.")
    frame = _explorer_stations(int(stuffing_pct), bool(urban_rural_gap))
    table = forensics.district_summary(frame)
    overall = forensics.fingerprint_summary(frame)
    table.loc[len(table)] = {
        "district": "all stations",
        "stations": overall["stations"],
        "mean_turnout_pct": round(overall["mean_turnout_pct"], 1),
        "correlation": round(overall["correlation"], 2),
        "high_corner_pct": round(overall["high_corner_pct"], 1),
        "data": forensics.LABEL,
    }
    return table


class ForensicsExplorer(TextFallback, widgets.VBox):
    """A SYNTHETIC election: change the stuffing rate and watch the fingerprint change.

    The rate is set with a labelled number box (type a value, 0-60) or the ± 10 buttons;
    the gap tick box adds an honest urban-rural difference to the clean data.
    """

    def __init__(self) -> None:
        # A labelled number box, not an IntSlider: the slider's handle has no accessible
        # name (axe: aria-input-field-name), and in a notebook it needs the arrow keys.
        self.rate = widgets.BoundedIntText(
            value=20,
            min=0,
            max=RATE_MAX,
            step=RATE_STEP,
            description="stuffing rate (0-60 % of stations in the 2 manipulated districts)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.less = widgets.Button(description="− 10 points", tooltip="Less stuffing")
        self.more = widgets.Button(description="+ 10 points", tooltip="More stuffing")
        self.gap = widgets.Checkbox(
            value=False,
            description="honest urban-rural gap (no fraud)",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        # Not the rate box: the buttons set it, and its own change is no choice of control.
        self.track_controls([self.less, self.more, self.gap])
        self.less.on_click(lambda _b: self.nudge(-RATE_STEP))
        self.more.on_click(lambda _b: self.nudge(RATE_STEP))
        self.rate.observe(lambda _change: self.draw(), names="value")
        self.gap.observe(lambda _change: self.draw(), names="value")
        self.status = widgets.HTML()
        self.chart = widgets.Output()
        self.charts = ChartCache(
            lambda key: plots.figure_outputs(forensics.fingerprint_figure(_explorer_stations(*key)))
        )
        super().__init__(
            [
                widgets.HBox([self.less, self.rate, self.more]),
                self.gap,
                self.status,
                self.chart,
            ]
        )
        self.add_class("postsoviet-explorer")
        self.draw()

    @staticmethod
    def fallback() -> str:
        return (
            "Explorer: SYNTHETIC polling stations, the turnout-vs-winner's-share fingerprint "
            "as the ballot-stuffing rate changes. Run this cell to use it, or type "
            "forensics_table(20) for the same numbers as a table."
        )

    def nudge(self, by: int) -> None:
        self.rate.value = min(max(self.rate.value + by, 0), RATE_MAX)

    def draw(self) -> None:
        rate, gap = int(self.rate.value), bool(self.gap.value)
        self.less.disabled = rate == 0
        self.more.disabled = rate == RATE_MAX
        frame = _explorer_stations(rate, gap)
        summary = forensics.fingerprint_summary(frame)
        honest = "; with an honest urban-rural gap" if gap else ""
        self.status.value = (
            f'<span role="status"><strong>SYNTHETIC data</strong>: stuffing rate {rate}% '
            f"in 2 of 8 districts{honest}. Correlation of turnout and winner's share "
            f"{summary['correlation']:.2f}; {summary['high_corner_pct']:.1f}% of stations "
            f"report at least 85% turnout and 70% for the winner; winner overall "
            f"{summary['winner_overall_pct']:.1f}% of participants.</span>"
        )
        self.chart.outputs = self.charts.get((rate, gap))
        # Next: ten points less or more, or the honest gap switched.
        self.charts.prefetch(
            in_turn(
                [
                    [(r, gap) for r in (rate + by,) if 0 <= r <= RATE_MAX]
                    for by in (-RATE_STEP, RATE_STEP)
                ]
                + [[(rate, not gap)]],
                self.last_used,
            )
        )
