"""Checks specific to the timeline dataset.

The spot checks repeat dates from the course's reference sheet of checked facts
(row ids such as U2 or W13 in the comments) or from the source cited in the row, so a
mistyped date in the CSV fails here rather than in a lesson. The only shares are single
headline figures quoted in an event (share_pct), not parts of a breakdown, so there is no
sum-to-100 check; instead each one must appear in its own sentence, on a stated base.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from postsoviet import data

THEMES = {"identity", "flags", "energy", "elections", "union", "2020-crisis", "after-2020"}


@pytest.fixture(scope="module")
def timeline() -> pd.DataFrame:
    return data.load("timeline")


def test_columns_and_dtypes(timeline: pd.DataFrame) -> None:
    expected = [
        "date",
        "date_precision",
        "event",
        "theme",
        "share_pct",
        "share_base",
        "source",
        "note",
    ]
    assert list(timeline.columns) == expected
    assert pd.api.types.is_datetime64_any_dtype(timeline["date"])
    assert timeline["share_pct"].dtype == "float64"
    for column in ["date_precision", "event", "theme", "source"]:
        assert pd.api.types.is_string_dtype(timeline[column]), column


def test_size_and_date_range(timeline: pd.DataFrame) -> None:
    assert len(timeline) >= 60
    assert timeline["date"].min() >= pd.Timestamp("1918-01-01")
    assert timeline["date"].max() <= pd.Timestamp("2025-12-31")


def test_rows_are_sorted_by_date(timeline: pd.DataFrame) -> None:
    assert timeline["date"].is_monotonic_increasing


def test_one_row_per_date_and_event(timeline: pd.DataFrame) -> None:
    assert not timeline.duplicated(["date", "event"]).any()
    assert not timeline["event"].duplicated().any(), "the same sentence used twice"


def test_themes_are_the_closed_vocabulary_and_each_is_used_five_times(
    timeline: pd.DataFrame,
) -> None:
    assert set(data.source("timeline")["columns"]["theme"]["values"]) == THEMES
    counts = timeline["theme"].value_counts()
    assert set(counts.index) == THEMES
    assert (counts >= 5).all(), counts[counts < 5]


def test_date_precision_matches_the_stored_date(timeline: pd.DataFrame) -> None:
    assert set(timeline["date_precision"]) <= {"day", "month", "year"}
    coarse = timeline[timeline["date_precision"] != "day"]
    # Month or year precision stores the first day of the month or year, and says why.
    assert (coarse["date"].dt.day == 1).all()
    years = coarse[coarse["date_precision"] == "year"]
    assert (years["date"].dt.month == 1).all()
    assert coarse["note"].notna().all()


@pytest.mark.parametrize("column", ["event", "note"])
def test_no_stray_whitespace(timeline: pd.DataFrame, column: str) -> None:
    text = timeline[column].dropna()
    assert (text == text.str.strip()).all()
    assert not text.str.contains("\n").any()


def test_each_event_is_one_sentence(timeline: pd.DataFrame) -> None:
    for event in timeline["event"]:
        assert event.endswith("."), event
        assert "\n" not in event, event
        assert 20 <= len(event) < 300, event
        # No full stop followed by a new sentence inside the text ("No. 214" is fine).
        assert not re.search(r"[.!?]\s+[A-Z]", event), event


def test_every_row_cites_an_address(timeline: pd.DataFrame) -> None:
    for cell in timeline["source"]:
        for part in cell.split("; "):
            citation, _, address = part.partition(": ")
            assert citation and "." in address and " " not in address, part


@pytest.mark.parametrize(
    ("date", "theme", "keyword"),
    [
        (
            "1918-03-25",
            "identity",
            "Constituent Charter",
        ),  # en.wikipedia.org Third_Constituent_Charter
        ("1991-09-19", "flags", "Pahonia"),  # F1, F2: state symbols 1991-1995
        ("1994-06-23", "elections", "44.82%"),  # E1: first round, CEC share
        ("1995-05-14", "flags", "75.1%"),  # R1, F3: referendum on symbols
        ("1995-06-07", "flags", "Decree No. 214"),  # F3: flag adopted by decree
        ("1999-12-08", "union", "Yeltsin"),  # U2: treaty signed by Yeltsin, not Putin
        ("2000-01-26", "union", "entered into force"),  # U2
        ("2020-01-01", "energy", "crude"),  # N12: oil, not gas, stopped
        ("2020-01-23", "energy", "Klaipėda"),  # N12: Norwegian crude
        ("2020-02-01", "2020-crisis", "Pompeo"),  # W9
        ("2020-02-07", "energy", "US$127"),  # N5
        ("2020-07-29", "2020-crisis", "33 Russians"),  # W2: announced 29 July
        ("2020-08-11", "2020-crisis", "Lithuania"),  # W11
        ("2020-08-14", "2020-crisis", "80.10%"),  # E8: final CEC result
        ("2020-08-27", "2020-crisis", "reserve"),  # A1
        ("2020-09-23", "2020-crisis", "sworn in"),  # W13: secret inauguration
        ("2021-11-04", "union", "28 union programmes"),  # U6
        ("2022-02-24", "after-2020", "Kyiv"),  # A3
        ("2023-03-25", "after-2020", "tactical nuclear"),  # A4, day confirmed by ukrainetoday.org
        ("2023-06-16", "after-2020", "warheads"),  # A4
        ("2025-01-26", "elections", "86.82%"),  # E10
    ],
)
def test_spot_dates(timeline: pd.DataFrame, date: str, theme: str, keyword: str) -> None:
    rows = timeline[(timeline["date"] == pd.Timestamp(date)) & (timeline["theme"] == theme)]
    assert rows["event"].str.contains(keyword, regex=False).sum() == 1, (date, keyword)
    assert (rows["date_precision"] == "day").all()


def test_each_share_is_quoted_in_its_event_on_a_stated_base(timeline: pd.DataFrame) -> None:
    shares = timeline.dropna(subset=["share_pct"])
    assert len(shares) >= 10
    assert timeline["share_pct"].isna().eq(timeline["share_base"].isna()).all()
    assert set(shares["share_base"]) == {"participants", "registered"}
    for value, event in zip(shares["share_pct"], shares["event"], strict=True):
        variants = {f"{value:.2f}%", f"{value:.1f}%", f"{value:g}%"}
        assert any(text in event for text in variants), (value, event)


@pytest.mark.parametrize(
    ("date", "theme", "share_pct", "base"),
    [
        ("1994-06-23", "elections", 44.82, "participants"),  # E1
        ("1995-05-14", "flags", 75.1, "participants"),  # R1
        ("2020-08-10", "2020-crisis", 80.23, "participants"),  # E8, preliminary
        ("2020-08-14", "2020-crisis", 80.10, "participants"),  # E8, final
        ("2025-01-26", "elections", 86.82, "participants"),  # E10
        ("2022-02-27", "after-2020", 65.16, "registered"),  # Belsat: CEC protocol
    ],
)
def test_spot_shares(
    timeline: pd.DataFrame, date: str, theme: str, share_pct: float, base: str
) -> None:
    rows = timeline[
        (timeline["date"] == pd.Timestamp(date))
        & (timeline["theme"] == theme)
        & timeline["share_pct"].notna()
    ]
    assert len(rows) == 1
    assert rows["share_pct"].item() == pytest.approx(share_pct)
    assert rows["share_base"].item() == base


def test_wagner_detentions_are_announced_on_29_july_not_earlier(timeline: pd.DataFrame) -> None:
    """Mistake 3 on the reference sheet: detained on the night of 28-29 July 2020."""
    wagner = timeline[timeline["event"].str.contains("Wagner fighters", regex=False)]
    assert list(wagner["date"]) == [pd.Timestamp("2020-07-29")]


def test_referendum_share_states_its_base(timeline: pd.DataFrame) -> None:
    """65.16% in 2022 is 4,440,830 of 6,815,667 registered voters (Belsat, CEC protocol)."""
    row = timeline[timeline["date"] == pd.Timestamp("2022-02-27")]
    assert len(row) == 1
    assert "65.16% of registered voters" in row["event"].item()
    assert row["share_base"].item() == "registered"
    assert round(4_440_830 / 6_815_667 * 100, 2) == 65.16
