"""Lesson 02 (identity): the census explorer and the "two calendars" board.

The census asks two language questions, and the lesson turns on the difference between
them: "native language" (a statement of identity) and "language usually spoken at home"
(everyday use). :class:`CensusExplorer` shows both side by side for one census and one
population group, with the gap between them labelled; :func:`census_table` is its
text-mode twin.

The calendar board asks students to sort holidays and anniversaries into the two stories
Belarusians tell about their nation, and to say whether each is an official holiday today.
:func:`judge_date` is its text-mode twin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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
    "CALENDAR",
    "CENSUS_YEARS",
    "GROUPS",
    "NARRATIVES",
    "QUESTIONS",
    "CalendarBoard",
    "CalendarDate",
    "CensusExplorer",
    "census_figure",
    "census_gaps",
    "census_table",
    "ethnicity_figure",
    "identity_events",
    "judge_date",
    "trend_figure",
]

CENSUS_YEARS = (1999, 2009, 2019)
#: The census questions: dataset value, button label, and how a sentence names it.
QUESTIONS: dict[str, tuple[str, str]] = {
    "native": ("native language", "native language"),
    "home": ("language at home", "language usually spoken at home"),
    "both": ("both: show the gap", "native language and language at home"),
}
#: Whose answers a share describes (the percentage base): dataset value and label.
GROUPS: dict[str, str] = {"all": "whole population", "ethnic_belarusians": "ethnic Belarusians"}
LANGUAGES = ("belarusian", "russian", "other", "not stated")
CENSUS_SOURCE = (
    "Belstat census results as reported by BelTA, TUT.BY, Euroradio, Belarus Digest, "
    "Wikipedia (Belstat tables) and the CIA World Factbook; postsoviet.data.source("
    "'census_language')"
)


def census_table(year: int = 2009, group: str = "all") -> pd.DataFrame:
    """The two census questions side by side for one census and one population group.

    One row per language: ``native_pct`` and ``home_pct`` (shares of ``group``, in per
    cent) and ``gap_points`` (native minus home, in percentage points, for Belarusian and
    Russian only: "other" means different things in the two questions). A share that no
    source checked for the course gives is missing (NaN), and so is its gap: a missing
    figure is not zero.

    Raises:
        ValueError: ``year`` is not a census year or ``group`` is not a population group.
    """
    if year not in CENSUS_YEARS:
        raise ValueError(f"Belarus held censuses in {CENSUS_YEARS}; there is none for {year!r}.")
    if group not in GROUPS:
        raise ValueError(f"group must be one of {tuple(GROUPS)}, not {group!r}.")
    rows = data.load("census_language")
    rows = rows[(rows["census_year"] == year) & (rows["population_group"] == group)]
    table = rows.pivot(index="language", columns="measure", values="share_pct")
    table = table.reindex(index=[lang for lang in LANGUAGES if lang in table.index])
    table = table.reindex(columns=["native", "home"])
    table.columns = ["native_pct", "home_pct"]
    table["gap_points"] = (table["native_pct"] - table["home_pct"]).round(1)
    # "other" mixes different things in the two questions (in some breakdowns it includes
    # people who named no language), so only the two state languages get a gap.
    table.loc[~table.index.isin(["belarusian", "russian"]), "gap_points"] = float("nan")
    table.columns.name = None
    return table.reset_index()


def census_gaps(group: str = "all", language: str = "belarusian") -> pd.DataFrame:
    """One language's native and home shares at every census, with the gap between them."""
    frames = []
    for year in CENSUS_YEARS:
        table = census_table(year, group)
        row = table[table["language"] == language].assign(census_year=year)
        frames.append(row)
    out = pd.concat(frames, ignore_index=True)
    return out[["census_year", "language", "native_pct", "home_pct", "gap_points"]]


def ethnicity_figure() -> plots.CourseFigure:
    """Nationality declared at the three censuses, as grouped bars (shares of the population)."""
    ethnicity = data.load("ethnicity").rename(columns={"census_year": "census"})
    return plots.bar_chart(
        ethnicity,
        x="group",
        y="share_pct",
        by="census",
        title="Nationality declared at three censuses",
        xlabel="nationality",
        ylabel="share of whole population (%)",
        source=(
            "Belstat census results as reported by Radio Svaboda, 1reg.pro, Newsbel, "
            "SB. Belarus Segodnya and the CIA World Factbook"
        ),
    )


def trend_figure(language: str = "belarusian", group: str = "all") -> plots.CourseFigure:
    """One language's native and home shares across the three censuses, as two lines."""
    gaps = census_gaps(group, language)
    long = gaps.melt(
        id_vars="census_year",
        value_vars=["native_pct", "home_pct"],
        var_name="question",
        value_name="share_pct",
    ).dropna(subset=["share_pct"])
    long["question"] = long["question"].map(
        {"native_pct": "native language", "home_pct": "language at home"}
    )
    who = GROUPS[group]
    pairs = "; ".join(
        f"{row.census_year}: native {_pct(row.native_pct)}, at home {_pct(row.home_pct)}"
        for row in gaps.itertuples()
    )
    title = f"{language.capitalize()} in three censuses, {who}"
    fig = plots.line_chart(
        long,
        x="census_year",
        y="share_pct",
        by="question",
        title=title,
        xlabel="census year",
        ylabel=f"share of {who} (%)",
        source=CENSUS_SOURCE,
        description=(
            f"Line chart: {title}, two lines (native language, language at home), in per cent "
            f"of the {who}. {pairs}. The distance between the lines is the gap between the two "
            "questions. The 2019 figures are official but disputed."
        ),
    )
    ax = fig.axes[0]
    ax.set_xticks(CENSUS_YEARS)
    ax.set_ylim(0, 100)  # shares of a whole: a cut axis would exaggerate the changes
    return fig


def _pct(value: float) -> str:
    return "not published" if math.isnan(value) else f"{value:g}%"


def _summary(table: pd.DataFrame, question: str) -> str:
    """What the chart shows, in words: one clause per language with a figure.

    A state language with no published figure is named as such, so that a missing bar is
    not read as zero.
    """
    parts = []
    for row in table.itertuples():
        name = row.language.capitalize()
        if question in ("native", "home"):
            value = row.native_pct if question == "native" else row.home_pct
            if not math.isnan(value):
                parts.append(f"{name} {value:g}%")
            elif row.language in ("belarusian", "russian"):
                parts.append(f"{name} not published")
        elif not (math.isnan(row.native_pct) and math.isnan(row.home_pct)):
            clause = f"{name}: native {_pct(row.native_pct)}, at home {_pct(row.home_pct)}"
            if not math.isnan(row.gap_points):
                clause += f" (gap {row.gap_points:+g} points)"
            parts.append(clause)
    return "; ".join(parts) or "no figures published"


def census_figure(year: int, question: str, group: str) -> plots.CourseFigure:
    """Bars by language for one census and group; both questions show the gap labelled."""
    if question not in QUESTIONS:
        raise ValueError(f"question must be one of {tuple(QUESTIONS)}, not {question!r}.")
    table = census_table(year, group)
    measures = ["native", "home"] if question == "both" else [question]
    long = table.melt(
        id_vars="language",
        value_vars=[f"{m}_pct" for m in measures],
        var_name="question",
        value_name="share_pct",
    ).dropna(subset=["share_pct"])
    long["question"] = long["question"].map(
        {"native_pct": "native language", "home_pct": "language at home"}
    )
    who = GROUPS[group]
    title = f"{year} census, {who}: {QUESTIONS[question][1]}"
    description = (
        f"Bar chart: {title}. Shares of the {who} by language, in per cent. "
        f"{_summary(table, question)}."
    )
    if year == 2019:
        description += " The 2019 language figures are official but disputed."
    fig = plots.bar_chart(
        long,
        x="language",
        y="share_pct",
        by="question" if question == "both" else None,
        title=title,
        xlabel="language",
        ylabel=f"share of {who} (%)",
        source=CENSUS_SOURCE,
        description=description,
    )
    ax = fig.axes[0]
    ax.set_ylim(0, 100)
    if question == "both":
        shown = list(dict.fromkeys(long["language"]))
        for position, row in enumerate(table.set_index("language").loc[shown].itertuples()):
            if not math.isnan(row.gap_points):
                top = max(row.native_pct, row.home_pct)
                ax.annotate(  # from the group's left edge: centred, the first crossed the axis
                    f"gap {row.gap_points:+g} points",
                    (position - 0.4, top + 2),
                    ha="left",
                    fontsize="small",
                    fontweight="bold",
                )
    return fig


class CensusExplorer(TextFallback, widgets.VBox):
    """Choose a census, a question and a population group; the bars and the gap follow.

    Every control is a button, so Tab and Enter (or Space) are enough.
    """

    def __init__(self) -> None:
        self.year, self.question, self.group = 2009, "both", "all"
        self.year_buttons = {
            year: widgets.Button(description=str(year), tooltip=f"Show the {year} census")
            for year in CENSUS_YEARS
        }
        self.question_buttons = {
            key: widgets.Button(description=label, layout=widgets.Layout(width="auto"))
            for key, (label, _) in QUESTIONS.items()
        }
        self.group_buttons = {
            key: widgets.Button(description=label, layout=widgets.Layout(width="auto"))
            for key, label in GROUPS.items()
        }
        self.track_controls(
            [
                *self.year_buttons.values(),
                *self.question_buttons.values(),
                *self.group_buttons.values(),
            ]
        )
        for year, button in self.year_buttons.items():
            button.on_click(lambda _b, y=year: self.choose(year=y))
        for key, button in self.question_buttons.items():
            button.on_click(lambda _b, k=key: self.choose(question=k))
        for key, button in self.group_buttons.items():
            button.on_click(lambda _b, k=key: self.choose(group=k))
        self.status = widgets.HTML()
        self.chart = widgets.Output()
        self.charts = ChartCache(lambda key: plots.figure_outputs(census_figure(*key)))
        super().__init__(
            [
                widgets.HBox([widgets.Label("Census:"), *self.year_buttons.values()]),
                widgets.HBox([widgets.Label("Question:"), *self.question_buttons.values()]),
                widgets.HBox([widgets.Label("Whose answers:"), *self.group_buttons.values()]),
                self.status,
                self.chart,
            ]
        )
        self.add_class("postsoviet-explorer")
        self.draw()

    @staticmethod
    def fallback() -> str:
        return (
            "Explorer: the census language questions (native language and language at home) "
            "for 1999, 2009 and 2019. Run this cell to use it, or type census_table(2009) "
            "for the same figures as a table."
        )

    def choose(
        self, *, year: int | None = None, question: str | None = None, group: str | None = None
    ) -> None:
        self.year = year if year is not None else self.year
        self.question = question if question is not None else self.question
        self.group = group if group is not None else self.group
        self.draw()

    def _mark(self) -> None:
        for year, button in self.year_buttons.items():
            button.description = chosen_text(str(year), year == self.year)
        for key, button in self.question_buttons.items():
            button.description = chosen_text(QUESTIONS[key][0], key == self.question)
        for key, button in self.group_buttons.items():
            button.description = chosen_text(GROUPS[key], key == self.group)

    def draw(self) -> None:
        self._mark()
        self.chart.outputs = self.charts.get((self.year, self.question, self.group))
        table = census_table(self.year, self.group)
        summary = _summary(table, self.question)
        self.status.value = (
            f'<span role="status"><strong>{self.year} census, {GROUPS[self.group]}, '
            f"{QUESTIONS[self.question][1]}</strong>: {html_text(summary)}</span>"
        )
        # Next: any one control changed.
        self.charts.prefetch(
            in_turn(
                [[(year, self.question, self.group)] for year in CENSUS_YEARS]
                + [[(self.year, question, self.group)] for question in QUESTIONS]
                + [[(self.year, self.question, group)] for group in GROUPS],
                self.last_used,
            )
        )


def identity_events(themes: tuple[str, ...] = ("identity", "flags")) -> pd.DataFrame:
    """The course timeline's events of ``themes`` in order: when, theme, event, source.

    Statehood and language (``identity``) and the state symbols (``flags``) by default: the
    two stories of the nation are told through both, and the timeline's sentences refer
    to each other ("the same referendum"). A date known only to the month or year is
    written that way ("July 2014"), so a stored first-of-the-month date is never read as a
    day.
    """
    events = data.load("timeline")
    events = events[events["theme"].isin(list(themes))].sort_values("date", kind="stable")
    formats = {"day": None, "month": "%B %Y", "year": "%Y"}

    def when(row: Any) -> str:
        pattern = formats[row.date_precision]
        return format_date(row.date) if pattern is None else row.date.strftime(pattern)

    out = pd.DataFrame(
        {
            "when": [when(row) for row in events.itertuples()],
            "theme": events["theme"].to_list(),
            "event": events["event"].to_list(),
            "source": events["source"].to_list(),
        }
    )
    return out


# --- the two calendars -----------------------------------------------------------------

#: The two stories of the nation the board sorts dates into: key and button label.
NARRATIVES: dict[str, str] = {
    "national": "national-revival story",
    "official": "official story",
}
NARRATIVE_MEANING = {
    "national": (
        "the national-revival story (Belarus as a European nation with roots in the Grand "
        "Duchy of Lithuania and the 1918 republic, apart from Russia)"
    ),
    "official": (
        "the official story (Belarus as the heir of Soviet Belarus and of the victory of "
        "1945, close to Russia)"
    ),
}


@dataclass(frozen=True)
class CalendarDate:
    """One card of the board: a date, what it marks, and the answers with their source."""

    day: str
    name: str
    marks: str
    narrative: str
    official: bool
    status_note: str
    source: str


CALENDAR: tuple[CalendarDate, ...] = (
    CalendarDate(
        "25 March",
        "Freedom Day (Dzień Voli)",
        "the proclamation of the Belarusian People's Republic in German-occupied Minsk, 1918",
        "national",
        False,
        "Never an official holiday: the government does not recognise it, and the "
        "opposition has marked it with rallies, often banned or broken up.",
        "Wikipedia, 'Freedom Day (Belarus)'; Belsat, March 2019",
    ),
    CalendarDate(
        "8 September",
        "Day of Belarusian Military Glory",
        "the victory of the Grand Duchy of Lithuania's army over Muscovy's at Orsha, 1514",
        "national",
        False,
        "Unofficial, marked since the late 1980s by the national movement; in 2005 four "
        "Belarusian Popular Front members were fined for marking it.",
        "Euroradio; Belsat, September 2012",
    ),
    CalendarDate(
        "3 July",
        "Independence Day (Day of the Republic)",
        "the liberation of Minsk from German occupation by the Red Army, 1944",
        "official",
        True,
        "Official since the referendum of 24 November 1996 moved Independence Day here from "
        "27 July, the anniversary of the 1990 declaration of sovereignty; a day off.",
        "CEC results of the 1996 referendum (postsoviet.data referendums); Mail.ru News, "
        "29 September 2025 (days off)",
    ),
    CalendarDate(
        "9 May",
        "Victory Day",
        "the end of the Second World War in Europe, remembered as the Great Patriotic War",
        "official",
        True,
        "A Soviet holiday kept by independent Belarus; a state holiday and a day off.",
        "Ministry of Foreign Affairs of Belarus, list of state holidays; Mail.ru News, "
        "29 September 2025 (days off)",
    ),
    CalendarDate(
        "7 November",
        "October Revolution Day",
        "the Bolshevik seizure of power in Petrograd, 1917",
        "official",
        True,
        "Kept from the Soviet calendar as a public holiday and a day off; Belarus is "
        "almost alone among former Soviet states in doing so.",
        "Ministry of Foreign Affairs of Belarus; IA CIS, 7 November 2020; Mail.ru News, "
        "29 September 2025 (days off)",
    ),
    CalendarDate(
        "2 April",
        "Day of Unity of the Peoples of Belarus and Russia",
        "the treaty creating the Community of Belarus and Russia, signed on 2 April 1996",
        "official",
        True,
        "A state holiday (a working day) under Decree No. 157 of 26 March 1998 as amended; "
        "the year it was first added to the list was not confirmed.",
        "Ministry of Foreign Affairs of Belarus; Ministry of Justice journal, March 2023",
    ),
    CalendarDate(
        "17 September",
        "National Unity Day",
        "the Red Army's entry into eastern Poland in 1939, presented as the reunification "
        "of Western Belarus with the Soviet Belarusian republic",
        "official",
        True,
        "A state holiday (a working day) since Decree No. 206 of 7 June 2021. Critics "
        "point out that the Red Army entered Poland under the secret protocol of the "
        "Molotov-Ribbentrop pact, as Nazi Germany's partner.",
        "President of Belarus, Decree No. 206 of 7 June 2021",
    ),
    CalendarDate(
        "second Sunday of May",
        "Day of the State Emblem and Flag (since 2023 with the Anthem)",
        "the symbols close to those of Soviet Belarus, chosen in the referendum of 14 May 1995",
        "official",
        True,
        "A state holiday under Decree No. 157 of 26 March 1998.",
        "Ministry of Foreign Affairs of Belarus; energoeffect.gov.by, 2022",
    ),
)


def judge_date(card_no: int, narrative: object, official: object) -> str:
    """Feedback on one card: which story the date belongs to, and is it official today?

    ``narrative`` is ``"national"`` or ``"official"`` (the button labels work too);
    ``official`` is ``"yes"`` or ``"no"`` (or True/False). Plain text starting with ✓ or
    ✗ and a word, so it never relies on colour; the answer and its source are always
    shown, because the point is to learn them.
    """
    if not isinstance(card_no, int) or isinstance(card_no, bool):
        return f"? Give the card's number, 1 to {len(CALENDAR)}, not {card_no!r}."
    if not 1 <= card_no <= len(CALENDAR):
        return f"? There is no card {card_no}; the cards are numbered 1 to {len(CALENDAR)}."
    card = CALENDAR[card_no - 1]
    story = narrative.strip().casefold() if isinstance(narrative, str) else None
    story = next(
        (key for key, label in NARRATIVES.items() if story in (key, label.casefold())), None
    )
    if isinstance(official, bool):
        said = official
    elif isinstance(official, str) and official.strip().casefold() in ("yes", "no"):
        said = official.strip().casefold() == "yes"
    else:
        said = None
    story_right, official_right = story == card.narrative, said == card.official
    mark = "✓" if story_right and official_right else "✗"
    verdict = (
        "both right"
        if story_right and official_right
        else "story: right; official today: not quite"
        if story_right
        else "official today: right; story: not quite"
        if official_right
        else "not quite"
    )
    today = "an official holiday today" if card.official else "not an official holiday"
    return (
        f"{mark} Card {card_no}, {card.day}: {verdict}. It marks {card.marks}, and belongs to "
        f"{NARRATIVE_MEANING[card.narrative]}. It is {today}. {card.status_note} "
        f"Source: {card.source}."
    )


class CalendarBoard(TextFallback, widgets.VBox):
    """One card per date: choose its story and whether it is official today, then check."""

    def __init__(self) -> None:
        self.rows = [self._row(number, card) for number, card in enumerate(CALENDAR, start=1)]
        super().__init__([row["box"] for row in self.rows])
        self.add_class("postsoviet-calendar")

    @staticmethod
    def fallback() -> str:
        return (
            "Two calendars: for each date, choose the story of the nation it belongs to and "
            "whether it is an official holiday in Belarus today. Run this cell to use it, or "
            'type judge_date(1, "official", "yes") in text mode.'
        )

    def _row(self, number: int, card: CalendarDate) -> dict[str, Any]:
        row = board_row(
            f"<p><strong>{number}. {html_text(card.day)}</strong>: "
            f"{html_text(card.name)}. It marks {html_text(card.marks)}.</p>",
            [
                ("narrative", "Which story?", list(NARRATIVES.items())),
                ("official", "Official?", [(w, f"official today: {w}") for w in ("yes", "no")]),
            ],
            lambda state: judge_date(number, state["narrative"], state["official"]),
            f"Check card {number}",
            "? Choose a story and whether the date is official today first.",
        )
        row["stories"], row["official"] = row["buttons"]["narrative"], row["buttons"]["official"]
        return row
