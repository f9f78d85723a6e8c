"""Lesson 03 (flags): which flag flew over Minsk, year by year from 1918 to 2025.

The explorer shows, for any year, the official flag of the government in Minsk at the
end of that year (for 1918, the People's Republic's flag, which flew there until the Red
Army took the city on 10 December) and the symbols of those who opposed it, with the event
that last changed either. It draws only flags the course can specify (see :mod:`postsoviet.flags`);
for the red flags of Soviet Belarus before 1951 and for the German occupation it shows an
empty frame that says why nothing is drawn, rather than a guess.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import cache

import ipywidgets as widgets
import pandas as pd

from postsoviet import data, flags, plots
from postsoviet.explorers._base import ChartCache, TextFallback, in_turn

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "PERIODS",
    "FlagYearExplorer",
    "Period",
    "flags_in",
    "period_of",
    "referendum_1995_figure",
    "year_figure",
]

FIRST_YEAR, LAST_YEAR = 1918, 2025


@dataclass(frozen=True)
class Period:
    """Years in which the same flags stood: official and opposition, and what began it."""

    start: int
    end: int
    official: str | None  # a key of flags.SPECS, or None when no flag is drawn
    official_label: str
    opposition: str | None
    opposition_label: str
    event: str
    source: str
    other_role: str = "opposition"  # who used the second panel's symbols


_NOT_DRAWN_SOVIET = (
    "Soviet Belarus: red flags with the republic's initials, in several variants "
    "(not drawn: their specifications were not checked)"
)
_OCCUPATION = (
    "German occupation of Minsk, 28 June 1941 to 3 July 1944: no Belarusian state flag "
    "(the occupiers' flags are not drawn)"
)
_EXILE = "white-red-white flag, kept by the Council of the Belarusian People's Republic in exile"


@cache
def _symbols_vote() -> str:
    """The 1995 symbols question, in words, from the referendums dataset (never retyped)."""
    votes = data.load("referendums")
    row = votes[(votes["date"] == pd.Timestamp("1995-05-14")) & (votes["topic"] == "symbols")]
    row = row.iloc[0]
    return (
        f"14 May 1995: in a referendum {row.yes_pct:g}% of votes cast (turnout "
        f"{row.turnout_pct:g}% of registered voters) back new state symbols; Presidential "
        "Decree No. 214 of 7 June 1995 adopts the red-green flag"
    )


def _periods() -> tuple[Period, ...]:
    return (
        Period(
            1918,
            1918,
            "white-red-white",
            "Belarusian People's Republic (the Red Army took Minsk on 10 December)",
            None,
            "no opposition symbols shown for 1918",
            "1918: the Belarusian People's Republic takes the white-red-white flag",
            "Wikipedia, 'White-red-white flag'",
        ),
        Period(
            1919,
            1940,
            None,
            _NOT_DRAWN_SOVIET,
            "white-red-white",
            _EXILE + " and by the national movement in West Belarus (in Poland until 1939)",
            "1919: Soviet Belarus is proclaimed in January; the People's Republic's "
            "council, which left Minsk before the Red Army took it in December 1918, "
            "works on in exile",
            "Wikipedia, 'Flag of Belarus'; Wikipedia (uk), 'Прапор "
            "Білоруської РСР' (the 1919-1951 variants)",
        ),
        Period(
            1941,
            1943,
            None,
            _OCCUPATION,
            "white-red-white",
            "white-red-white flag, used under the occupation, also by "
            "bodies that collaborated with the occupiers: the history the government "
            "cites against it today",
            "28 June 1941: German troops occupy Minsk",
            "Telegraf.by, 28 June 2011; Wikipedia, 'White-red-white flag'",
            other_role="also in use",
        ),
        Period(
            1944,
            1950,
            None,
            _NOT_DRAWN_SOVIET,
            "white-red-white",
            _EXILE,
            "3 July 1944: the Red Army retakes Minsk",
            "Telegraf.by, 28 June 2011; Wikipedia, 'Flag of Belarus'",
        ),
        Period(
            1951,
            1990,
            "bssr-1951",
            "flag of the Byelorussian SSR (1951)",
            "white-red-white",
            _EXILE,
            "25 December 1951: Soviet Belarus adopts a red flag with a green band and a "
            "white-on-red ornament",
            "Wikipedia (uk), 'Прапор Білоруської РСР'",
        ),
        Period(
            1991,
            1994,
            "white-red-white",
            "state flag of the Republic of Belarus (with the Pahonia emblem)",
            None,
            "none drawn: the white-red-white flag was itself the state flag",
            "19 September 1991: the Supreme Council makes the white-red-white flag and the "
            "Pahonia the state symbols",
            "Belsat, belsat.eu/en/news/15649",
        ),
        Period(
            1995,
            2011,
            "red-green-1995",
            "state flag (1995 design)",
            "white-red-white",
            "white-red-white flag and the Pahonia, kept by the opposition",
            "",
            "Presidential Decree No. 214; referendums dataset (CEC results)",
        ),
        Period(
            2012,
            2019,
            "red-green-2012",
            "state flag (ornament widened in 2012)",
            "white-red-white",
            "white-red-white flag and the Pahonia, kept by the opposition",
            "10 February 2012: a new standard widens the red ornament to fill the strip",
            "Wikipedia, 'Flag of Belarus'",
        ),
        Period(
            2020,
            2020,
            "red-green-2012",
            "state flag (ornament widened in 2012)",
            "white-red-white",
            "white-red-white flag, carried by the protests after the election of 9 August 2020",
            "16 August 2020: the March for Freedom in Minsk, a sea of white-red-white flags, "
            "draws more than 100,000 people by AFP's estimate, about 200,000 by Reuters'",
            "Reuters, 16 August 2020 (printed by the National Post); AFP; course timeline",
        ),
        Period(
            2021,
            LAST_YEAR,
            "red-green-2012",
            "state flag (ornament widened in 2012)",
            "white-red-white",
            "white-red-white flag, restricted: since late 2020 showing it, "
            "even on a balcony, has been punished as an unauthorised picket",
            "January 2021: the Prosecutor General's Office is reported to be preparing to "
            "have the flag declared extremist",
            "Belsat, 25 January, 30 January and 10 March 2021; PEN Belarus, 'Persecution for "
            "symbols', 2023",
        ),
    )


@cache
def _period_table() -> tuple[Period, ...]:
    periods = list(_periods())
    for index, period in enumerate(periods):
        if not period.event:  # the referendum's figures come from the dataset
            periods[index] = Period(**{**period.__dict__, "event": _symbols_vote()})
    return tuple(periods)


#: The periods, first to last; they cover every year from FIRST_YEAR to LAST_YEAR once.
PERIODS: tuple[Period, ...] = _period_table()


def period_of(year: int) -> Period:
    """The period *year* falls in.

    Raises:
        ValueError: *year* is outside 1918-2025, or not a whole number.
    """
    try:
        if isinstance(year, bool):
            raise TypeError
        year = operator.index(year)
    except TypeError:
        raise ValueError(f"the year must be a whole number, not {year!r}.") from None
    for period in PERIODS:
        if period.start <= year <= period.end:
            return period
    raise ValueError(f"the explorer covers {FIRST_YEAR} to {LAST_YEAR}; {year} is outside.")


def flags_in(year: int) -> pd.DataFrame:
    """The text-mode twin of the explorer: one row for the official flag, one for the opposition.

    Columns: ``year``, ``role`` (``official`` or ``opposition``), ``symbols``, ``drawn``
    (whether the explorer draws a flag for it), ``since`` (first year of the period),
    ``event`` and ``source``.
    """
    period = period_of(year)
    year = operator.index(year)
    rows = [
        ("official", period.official_label, period.official is not None),
        (period.other_role, period.opposition_label, period.opposition is not None),
    ]
    return pd.DataFrame(
        [
            {
                "year": year,
                "role": role,
                "symbols": label,
                "drawn": drawn,
                "since": period.start,
                "event": period.event,
                "source": period.source,
            }
            for role, label, drawn in rows
        ]
    )


def referendum_1995_figure() -> plots.CourseFigure:
    """Yes votes by question in the referendum of 14 May 1995 (shares of votes cast, CEC)."""
    votes = data.load("referendums")
    return plots.bar_chart(
        votes[votes["date"] == "1995-05-14"],
        x="topic",
        y="yes_pct",
        title="Referendum of 14 May 1995: yes votes by question",
        xlabel="question (topic)",
        ylabel="yes (% of votes cast)",
        source="Central Election Commission via the course's referendums dataset",
    )


def year_figure(year: int) -> plots.CourseFigure:
    """Two panels for *year*: the official flag and the opposition's, or a frame saying why not."""
    period = period_of(year)
    panels = [
        (period.official, f"official: {period.official_label}"),
        (period.opposition, f"{period.other_role}: {period.opposition_label}"),
    ]
    drawn = [key for key in (period.official, period.opposition) if key]
    description = (
        f"Minsk in {year}. Official: {period.official_label}. "
        f"{period.other_role.capitalize()}: {period.opposition_label}. "
        f"The change that began this period: {period.event}. "
        f"Flags drawn: {', '.join(flags.SPECS[k].name for k in drawn) or 'none'}"
    )
    return flags.flags_figure(
        panels,
        title=f"Which flag flew over Minsk in {year}?",
        description=description,
        source=period.source,
    )


def _changes() -> list[int]:
    return [period.start for period in PERIODS]


class FlagYearExplorer(TextFallback, widgets.VBox):
    """A year from 1918 to 2025: a year box, year steps and jumps to the previous or next change."""

    def __init__(self, year: int = 2020) -> None:
        # A labelled number box rather than a slider: an ipywidgets slider's handle has no
        # accessible name (axe: aria-input-field-name) and needs the arrow keys, which
        # JupyterLab keeps for moving between cells. Type a year, or use the buttons.
        self.year_box = widgets.BoundedIntText(
            value=year,
            min=FIRST_YEAR,
            max=LAST_YEAR,
            description=f"year ({FIRST_YEAR}-{LAST_YEAR})",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.previous_change = widgets.Button(
            description="◀ Previous change", tooltip="Jump to the last year the flags changed"
        )
        self.earlier = widgets.Button(description="◀ 1 year", tooltip="One year earlier")
        self.later = widgets.Button(description="1 year ▶", tooltip="One year later")
        self.next_change = widgets.Button(
            description="Next change ▶", tooltip="Jump to the next year the flags changed"
        )
        # The buttons only (each sets the year box, whose own change is no choice of control).
        self.track_controls([self.previous_change, self.earlier, self.later, self.next_change])
        self.previous_change.on_click(lambda _b: self.jump(-1))
        self.earlier.on_click(lambda _b: self.go(self.year - 1))
        self.later.on_click(lambda _b: self.go(self.year + 1))
        self.next_change.on_click(lambda _b: self.jump(1))
        self.year_box.observe(lambda _change: self.draw(), names="value")
        self.status = widgets.HTML()
        self.chart = widgets.Output()
        self.charts = ChartCache(lambda year: plots.figure_outputs(year_figure(year)))
        super().__init__(
            [
                self.year_box,
                widgets.HBox([self.previous_change, self.earlier, self.later, self.next_change]),
                self.status,
                self.chart,
            ]
        )
        self.add_class("postsoviet-explorer")
        self.draw()

    @staticmethod
    def fallback() -> str:
        return (
            "Explorer: which flag flew over Minsk, 1918 to 2025. Run this cell to use it, "
            "or type flags_in(1991) for the same information as a table."
        )

    @property
    def year(self) -> int:
        return int(self.year_box.value)

    def go(self, year: int) -> None:
        self.year_box.value = min(max(year, FIRST_YEAR), LAST_YEAR)  # observe() redraws

    def jump(self, direction: int) -> None:
        """To the start of the next period, or back to the start of this (or the last) one."""
        changes = _changes()
        if direction > 0:
            later = [start for start in changes if start > self.year]
            if later:
                self.go(later[0])
        else:
            earlier = [start for start in changes if start < self.year]
            if earlier:
                self.go(earlier[-1])

    def draw(self) -> None:
        year, period = self.year, period_of(self.year)
        changes = _changes()
        self.previous_change.disabled = year <= changes[0]
        self.earlier.disabled = year <= FIRST_YEAR
        self.later.disabled = year >= LAST_YEAR
        self.next_change.disabled = year >= changes[-1]
        self.status.value = (
            f'<p role="status"><strong>{year}</strong>. Official: {period.official_label}. '
            f"{period.other_role.capitalize()}: {period.opposition_label}. "
            f"The change that began this period: {period.event}.</p>"
        )
        self.chart.outputs = self.charts.get(year)
        # Next: the nearest change or a year, either way.
        later = [start for start in changes if start > year][:1]
        earlier = [start for start in changes if start < year][-1:]
        steps = [earlier, [year - 1], [year + 1], later]
        self.charts.prefetch(
            in_turn(
                [[y for y in group if FIRST_YEAR <= y <= LAST_YEAR] for group in steps],
                self.last_used,
            )
        )
