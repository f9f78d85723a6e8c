"""Lesson 06: Russia-Belarus relations after 2018, coded as cooperation or conflict.

Why the coding lives here and not in ``timeline.csv``: the timeline holds sourced facts,
one sentence per event; calling an event "cooperation" or "conflict" is a judgement made
for one lesson, with a stated rule, that a student is asked to question and to redo with
a rule of their own (exercise 06). Keeping the judgement beside its reasons, in code that
tests can reach, keeps fact and interpretation apart and leaves the shared dataset as it
is for the other lessons.

The rule (for Russia-Belarus relations only):

- **cooperation**: the two governments act together, or one acts to support the other
  (an agreement, a loan, joint exercises or military action, public backing);
- **conflict**: a dispute between them (a supply cut, pressure or an ultimatum, an
  accusation, a refusal in public);
- **neither**: the event does not involve the two governments acting towards each
  other (domestic politics, relations with the EU, the US or Lithuania).

The prediction check (:data:`PREDICTIONS`, :func:`score_predictions`) asks five questions
about what happened after the report of 7 August 2020 and scores a student's guesses
against what did happen, with sources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from postsoviet import data

__all__ = [
    "CODING",
    "END",
    "PREDICTIONS",
    "RELATIONS",
    "REPORT_DATE",
    "START",
    "CodingError",
    "Prediction",
    "coded_events",
    "monthly_index",
    "prediction_summary",
    "score_predictions",
]

RELATIONS = ("cooperation", "conflict", "neither")
#: The Euronews report the course is built on (with AP, 7 August 2020).
REPORT_DATE = pd.Timestamp("2020-08-07")
START = pd.Timestamp("2018-01-01")
END = pd.Timestamp("2025-12-31")


class CodingError(ValueError):
    """The coding and the timeline disagree: an event is coded twice, or not at all."""


#: (date, a phrase of the event sentence, relation, why). A phrase, not a row number,
#: so rows added elsewhere in the timeline cannot shift the coding onto another event.
CODING: list[tuple[str, str, str, str]] = [
    # Lukashenko's reply: the commentary of 17 December 2018 cited in the timeline row.
    (
        "2018-12-13",
        "Medvedev said Russia was ready",
        "conflict",
        "pressure to integrate on Moscow's terms; Lukashenko replied that blackmail was useless",
    ),
    (
        "2019-01-10",
        "merging Belarus and Russia was not on the agenda",
        "conflict",
        "a public refusal of Moscow's integration offer",
    ),
    # Compensation claim: Lukashenko via BelTA (Reuters, 11 May 2019; UAWire), still
    # unresolved in December 2019 (Sputnik via UrduPoint, 5 December 2019).
    (
        "2019-04-19",
        "contaminated with organic chlorides",
        "conflict",
        "tainted Russian crude stops flows; Minsk blames Russian slackness and seeks compensation",
    ),
    (
        "2019-12-07",
        "without agreeing on deeper integration",
        "conflict",
        "integration talks failed",
    ),
    (
        "2020-01-01",
        "Russian crude deliveries to Belarusian refineries stopped",
        "conflict",
        "a supply cut",
    ),
    (
        "2020-01-23",
        "Norwegian Johan Sverdrup crude",
        "conflict",
        "Minsk buys oil elsewhere to show it can do without Russian crude",
    ),
    (
        "2020-02-01",
        "Mike Pompeo held talks",
        "neither",
        "Belarus and the US; it bears on Russia only indirectly",
    ),
    (
        "2020-02-07",
        "kept the 2020 gas price",
        "cooperation",
        "a gas price agreed by both presidents",
    ),
    (
        "2020-02-27",
        "compulsion to integration",
        "conflict",
        "Lukashenko accuses Moscow of coercion",
    ),
    (
        "2020-06-18",
        "leading challenger to Lukashenko",
        "neither",
        "a domestic arrest, whatever Babaryka's Russian business links",
    ),
    (
        "2020-07-14",
        "The CEC registered five presidential candidates",
        "neither",
        "domestic election",
    ),
    ("2020-07-15", "ODIHR said it could not observe", "neither", "Belarus and the OSCE"),
    (
        "2020-07-29",
        "33 Russians",
        "conflict",
        "Minsk detains Russian citizens and accuses them of a plot",
    ),
    # Peskov hoped the men would be released soon: TASS, 31 July 2020 (timeline source).
    (
        "2020-07-31",
        "Kremlin spokesman Dmitry Peskov said",
        "conflict",
        "Moscow rejects Minsk's account and expects the men to be released",
    ),
    ("2020-08-01", "small change", "conflict", "a public warning from Moscow"),
    ("2020-08-04", "colour revolution", "conflict", "Lukashenko links the Russians to a plot"),
    (
        "2020-08-06",
        "was being waged against Belarus",
        "conflict",
        "Lukashenko names the 'eastern brothers' among possible culprits",
    ),
    (
        "2020-08-07",
        "Fuel loading began",
        "cooperation",
        "a joint project starts up: Rosatom builds the plant on a Russian state loan",
    ),
    ("2020-08-09", "Belarus voted in a presidential election", "neither", "domestic election"),
    ("2020-08-10", "preliminary results", "neither", "domestic election"),
    ("2020-08-10", "gravely concerned", "neither", "Belarus and the OSCE"),
    ("2020-08-11", "left Belarus for Lithuania", "neither", "domestic politics and Lithuania"),
    ("2020-08-14", "announced final results", "neither", "domestic election"),
    (
        "2020-08-14",
        "had been handed over",
        "cooperation",
        "Minsk returns the detained men to Russia",
    ),
    ("2020-08-16", "March for Freedom", "neither", "domestic protest"),
    (
        "2020-08-27",
        "reserve of Russian law-enforcement officers",
        "cooperation",
        "Moscow offers security backing",
    ),
    ("2020-09-14", "US$1.5 billion Russian state loan", "cooperation", "a loan and public backing"),
    ("2020-09-23", "sworn in for a sixth term", "neither", "domestic politics"),
    ("2020-09-24", "lacked any democratic legitimacy", "neither", "the EU and Belarus"),
    ("2020-10-02", "about 40 Belarusian officials", "neither", "EU sanctions: the EU and Belarus"),
    (
        "2020-11-03",
        "fed its first power",
        "neither",
        "the plant and Lithuania's reply; the joint step is coded at fuel loading",
    ),
    ("2020-11-07", "marking the launch", "neither", "a domestic ceremony"),
    (
        "2020-11-06",
        "added Lukashenko and 14 other officials",
        "neither",
        "EU sanctions: the EU and Belarus",
    ),
    ("2021-01-29", "extremist symbol", "neither", "domestic politics"),
    (
        "2021-05-23",
        "FR4978 from Athens",
        "neither",
        "Belarus and the EU (Moscow defended Minsk afterwards, outside this dataset)",
    ),
    ("2021-06-24", "first broad economic sanctions", "neither", "EU sanctions: the EU and Belarus"),
    ("2021-08-09", "Belaruskali", "neither", "US sanctions: the US and Belarus"),
    ("2021-09-09", "all 28 union programmes", "cooperation", "an integration agreement and loans"),
    ("2021-09-10", "Zapad-2021", "cooperation", "joint military exercise"),
    ("2021-11-04", "adopting 28 union programmes", "cooperation", "an integration decree"),
    (
        "2021-11-17",
        "Bellingcat and The Insider reported",
        "neither",
        "an investigation by journalists, not a step by either government",
    ),
    (
        "2022-01-17",
        "Russian troops and equipment began arriving",
        "cooperation",
        "Russian forces deploy in Belarus by agreement",
    ),
    ("2022-02-10", "Union Resolve 2022", "cooperation", "joint military exercise"),
    (
        "2022-02-24",
        "launched its full-scale invasion",
        "cooperation",
        "Belarus lets Russia attack from its territory",
    ),
    (
        "2022-02-27",
        "nuclear-free status",
        "neither",
        "a domestic vote, though it opened the way to Russian nuclear weapons",
    ),
    ("2023-03-25", "tactical nuclear weapons in Belarus", "cooperation", "a joint military step"),
    ("2023-04-12", "renamed the May holiday", "neither", "domestic symbols"),
    (
        "2023-06-14",
        "begun receiving Russian tactical nuclear weapons",
        "cooperation",
        "a joint military step",
    ),
    (
        "2023-06-16",
        "first Russian nuclear warheads had been delivered",
        "cooperation",
        "a joint military step",
    ),
    (
        "2023-06-27",
        "Prigozhin had arrived in Belarus",
        "cooperation",
        "Lukashenko brokers the deal that ends the mutiny in Russia",
    ),
    ("2024-12-06", "treaty on security guarantees", "cooperation", "a security treaty"),
    ("2025-01-26", "seventh term", "neither", "domestic election"),
]


def coded_events(start: str | pd.Timestamp = START, end: str | pd.Timestamp = END) -> pd.DataFrame:
    """Timeline events between two dates with the lesson's coding: date, theme, event,
    relation, reason, source.

    Raises:
        CodingError: an event in the range has no coding, or a coding matches no event or
            more than one (so a change to the timeline cannot go unnoticed).
    """
    events = data.load("timeline")
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    window = events[events["date"].between(first, last)].copy()
    relation = pd.Series(pd.NA, index=window.index, dtype="object")
    reason = pd.Series(pd.NA, index=window.index, dtype="object")
    for date, phrase, code, why in CODING:
        stamp = pd.Timestamp(date)
        if not first <= stamp <= last:
            continue
        hits = window.index[
            (window["date"] == stamp) & window["event"].str.contains(phrase, regex=False)
        ]
        if len(hits) != 1:
            raise CodingError(
                f"the coding for {date} ({phrase!r}) matches {len(hits)} timeline events; "
                "it should match exactly one."
            )
        if pd.notna(relation[hits[0]]):
            raise CodingError(f"the event of {date} matching {phrase!r} is coded twice.")
        relation[hits[0]], reason[hits[0]] = code, why
    missing = window.loc[relation.isna(), "date"]
    if len(missing):
        days = ", ".join(sorted({str(day.date()) for day in missing}))
        raise CodingError(
            f"{len(missing)} timeline events are not coded (dates: {days}); add them to "
            "postsoviet.relations.CODING with a reason."
        )
    window["relation"], window["reason"] = relation, reason
    columns = ["date", "theme", "event", "relation", "reason", "source"]
    return window.sort_values("date", kind="stable")[columns].reset_index(drop=True)


def monthly_index(
    coded: pd.DataFrame | None = None,
    *,
    smoothing: int = 1,
    start: str | pd.Timestamp = START,
    end: str | pd.Timestamp = END,
) -> pd.DataFrame:
    """One row per month: counts of cooperation and conflict events, their difference
    (``net``) and ``index``, the mean of ``net`` over the last ``smoothing`` months.

    Months without events count as zero, so quiet months pull the index towards zero
    rather than vanishing from it. The mean is *trailing* (that month and the ones
    before), so the index for a month uses nothing that happened later.
    """
    if not isinstance(smoothing, int) or isinstance(smoothing, bool) or smoothing < 1:
        raise ValueError(f"smoothing is a whole number of months, 1 or more, not {smoothing!r}.")
    frame = coded_events(start, end) if coded is None else coded
    months = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="M")
    by_month = frame.assign(month=frame["date"].dt.to_period("M"))
    counts = (
        pd.crosstab(by_month["month"], by_month["relation"])
        .reindex(index=months, columns=list(RELATIONS), fill_value=0)
        .astype(int)
    )
    table = pd.DataFrame(
        {
            "month": months.to_timestamp(),
            "cooperation": counts["cooperation"].to_numpy(),
            "conflict": counts["conflict"].to_numpy(),
        }
    )
    table["net"] = table["cooperation"] - table["conflict"]
    table["index"] = table["net"].rolling(smoothing, min_periods=1).mean()
    return table


# --- the prediction check -----------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    """A question about what happened after 7 August 2020, and what did happen."""

    number: int
    question: str
    options: tuple[str, ...]
    outcome: str
    happened: str
    source: str


PREDICTIONS: list[Prediction] = [
    Prediction(
        1,
        "Money: by the end of 2020, would Moscow lend Lukashenko's government money?",
        ("yes", "no"),
        "yes",
        "On 14 September 2020 in Sochi Putin announced a US$1.5 billion state loan, "
        "and Lukashenko said recent events showed that Belarus had to stay closer to Russia.",
        "Belsat quoting TASS, 14 September 2020: belsat.eu/en/news/putin-approves-1-5-bn-"
        "loan-for-belarus-in-this-challenging-situation/",
    ),
    Prediction(
        2,
        "Sanctions: by the end of 2020, would the EU put Lukashenko himself under sanctions?",
        ("yes", "no"),
        "yes",
        "After listing about 40 officials on 2 October, the EU added Lukashenko and 14 others "
        "on 6 November 2020 (travel ban, asset freeze).",
        "TASS, 6 November 2020: tass.com/world/1220809",
    ),
    Prediction(
        3,
        "Currency: by 2025, would Russia and Belarus share one currency, as the 1999 "
        "treaty foresaw?",
        ("yes", "no"),
        "no",
        "The 28 union programmes agreed in September 2021 harmonise taxes and markets; "
        "Lukashenko said the decision on a single currency had been put off.",
        "Belsat, 10 September 2021: redakcja.belsat.cloud/en/news/10-09-2021-union-state-"
        "programs-and-a-new-loan-putin-and-lukashenka-hold-talks-in-moscow",
    ),
    Prediction(
        4,
        "War: would Russian forces attack a neighbouring country from Belarusian territory?",
        ("yes", "no"),
        "yes",
        "On 24 February 2022 Russian forces advanced on Kyiv from Belarus, after joint "
        "exercises there (10-20 February).",
        "Institute for the Study of War, Conflict Update 7, 24 February 2022; The Moscow "
        "Times, 5 December 2024: themoscowtimes.com/2024/12/05/putin-orders-signing-of-"
        "russia-belarus-security-deal-a87241",
    ),
    Prediction(
        5,
        "Nuclear: would Belarus keep the nuclear-free status written into its constitution?",
        ("yes", "no"),
        "no",
        "The referendum of 27 February 2022 dropped it (65.16% of registered voters yes, "
        "per the CEC); Russian tactical nuclear weapons arrived from June 2023.",
        "Belsat, 3 March 2022: belsat.eu/en/news/03-03-2022-cec-publishes-results-of-recent-"
        "referendum/; Reuters via OODA Loop, 14 June 2023",
    ),
]


def _reading(value: object, options: Sequence[str]) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        text = value.strip().casefold()
        return text if text in options else None
    return None


def score_predictions(predictions: Mapping[int, object] | Sequence[object]) -> pd.DataFrame:
    """Score guesses for the five questions, for text mode (the widget shows the same).

    Args:
        predictions: ``{1: "yes", 2: "no", ...}`` or a list in question order; ``True`` /
            ``False`` count as yes / no. Questions left out are marked "not predicted".

    Returns:
        One row per question: question, your prediction, what happened, result
        (``✓ foreseen``, ``✗ not foreseen``, ``· not predicted``) and source.
    """
    if isinstance(predictions, Mapping):
        given = {int(k): v for k, v in predictions.items() if str(k).strip().isdigit()}
    elif isinstance(predictions, Sequence) and not isinstance(predictions, str):
        given = {number: value for number, value in enumerate(predictions, start=1)}
    else:
        raise TypeError(
            "score_predictions takes a dict such as {1: 'yes', 2: 'no'} or a list of five "
            f"answers, not a {type(predictions).__name__}."
        )
    rows = []
    for item in PREDICTIONS:
        guess = _reading(given.get(item.number), item.options)
        if guess is None:
            result = "· not predicted"
        elif guess == item.outcome:
            result = "✓ foreseen"
        else:
            result = "✗ not foreseen"
        rows.append(
            {
                "question": item.question,
                "your prediction": guess or "-",
                "what happened": f"{item.outcome}: {item.happened}",
                "result": result,
                "source": item.source,
            }
        )
    return pd.DataFrame(rows)


def prediction_summary(scored: pd.DataFrame) -> str:
    """One sentence: how many of the predictions made were right, in words and symbols."""
    made = int((scored["result"] != "· not predicted").sum())
    right = int((scored["result"] == "✓ foreseen").sum())
    if made == 0:
        return "? No predictions recorded yet: choose an answer for each question first."
    # Only the course's symbols (✓ ✗ ?), each with its words: a part score is a ✓ too,
    # since the sentence says how many.
    mark = "✗" if right == 0 else "✓"
    left_open = len(scored) - made
    open_words = f" ({left_open} left open)" if left_open else ""
    return f"{mark} You foresaw {right} of the {made} outcomes you predicted{open_words}."
