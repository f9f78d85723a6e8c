"""Checks specific to the referendums dataset (one row per referendum question).

Spot values come from the course's reference sheet of checked facts (rows R1 and R4) and
from the sources listed in the manifest entry; each is cited next to the figure.
"""

from __future__ import annotations

import pandas as pd
import pytest

from postsoviet import data

#: Number of questions on each referendum day.
QUESTIONS_PER_DAY = {
    pd.Timestamp("1995-05-14"): 4,
    pd.Timestamp("1996-11-24"): 7,
    pd.Timestamp("2004-10-17"): 1,
    pd.Timestamp("2022-02-27"): 1,
}


@pytest.fixture(scope="module")
def referendums() -> pd.DataFrame:
    return data.load("referendums")


def _row(frame: pd.DataFrame, date: str, question_no: int) -> pd.Series:
    rows = frame[(frame["date"] == pd.Timestamp(date)) & (frame["question_no"] == question_no)]
    assert len(rows) == 1, f"expected one row for {date} question {question_no}"
    return rows.iloc[0]


def _decimals(value: float) -> int:
    """Decimal places a published share was printed with (83.3 -> 1, 65.16 -> 2)."""
    text = repr(float(value))
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


# --- structure --------------------------------------------------------------------------


def test_required_columns_and_dtypes(referendums: pd.DataFrame) -> None:
    for column in data.REQUIRED_COLUMNS["referendums"]:
        assert column in referendums.columns
    assert pd.api.types.is_datetime64_any_dtype(referendums["date"])
    assert referendums["question_no"].dtype == "int64"
    for column in ("yes_pct", "no_pct", "turnout_pct"):
        assert referendums[column].dtype == "float64", column
    for column in ("yes_votes", "no_votes", "invalid_votes"):
        assert pd.api.types.is_integer_dtype(referendums[column]), column
    for column in ("voters", "registered_voters"):
        assert referendums[column].dtype == "int64", column


def test_one_row_per_date_and_question(referendums: pd.DataFrame) -> None:
    assert not referendums.duplicated(["date", "question_no"]).any()


def test_all_four_referendums_with_their_question_counts(referendums: pd.DataFrame) -> None:
    counts = referendums.groupby("date")["question_no"].agg(["count", "min", "max"])
    assert set(counts.index) == set(QUESTIONS_PER_DAY)
    for day, expected in QUESTIONS_PER_DAY.items():
        assert counts.loc[day, "count"] == expected, day
        # questions are numbered 1..n without gaps
        assert (counts.loc[day, "min"], counts.loc[day, "max"]) == (1, expected), day


def test_1996_questions_1_to_4_from_the_president_5_to_7_from_the_supreme_council(
    referendums: pd.DataFrame,
) -> None:
    day = referendums[referendums["date"] == pd.Timestamp("1996-11-24")]
    by_question = day.set_index("question_no")["proposed_by"]
    assert list(by_question.sort_index()) == ["president"] * 4 + ["supreme_council"] * 3
    others = referendums[referendums["date"] != pd.Timestamp("1996-11-24")]
    assert set(others["proposed_by"]) == {"president"}


def test_closed_vocabularies_match_the_manifest(referendums: pd.DataFrame) -> None:
    columns = data.source("referendums")["columns"]
    for column in ("topic", "base", "proposed_by", "status", "outcome"):
        allowed = set(columns[column]["values"])
        assert set(referendums[column]) <= allowed, column
    assert set(referendums["base"]) == {"votes_cast", "registered", "valid"}
    # every listed topic is actually used, so the list documents the data, not wishes
    assert set(referendums["topic"]) == set(columns["topic"]["values"])


def test_one_turnout_and_one_electorate_per_referendum(referendums: pd.DataFrame) -> None:
    per_day = referendums.groupby("date")[["turnout_pct", "voters", "registered_voters"]]
    assert (per_day.nunique() == 1).all().all()


# --- shares and counts ------------------------------------------------------------------


def test_yes_and_no_on_one_base_add_up_to_at_most_100(referendums: pd.DataFrame) -> None:
    """Yes + no on one base leave room for invalid ballots (and, on the registered base,
    for those who did not vote), so the sum may not pass 100. Each share is rounded to its
    last printed digit, so the sum may overshoot by at most 0.1 (two halves of 0.1)."""
    total = referendums["yes_pct"].fillna(0) + referendums["no_pct"].fillna(0)
    assert (total <= 100.1).all(), referendums.loc[total > 100.1, ["date", "question_no"]]
    assert (referendums["yes_pct"].dropna() > 0).all()


def test_yes_is_blank_only_where_no_source_gave_it(referendums: pd.DataFrame) -> None:
    blank = referendums[referendums["yes_pct"].isna()]
    keys = set(zip(blank["date"].dt.year, blank["question_no"], strict=True))
    assert keys == {(1996, 6), (1996, 7)}
    assert (blank["base"] == "valid").all()
    assert blank["no_pct"].notna().all()
    assert blank["note"].str.contains("partly confirmed").all()


def test_counted_ballots_are_complete(referendums: pd.DataFrame) -> None:
    """Where yes, no and invalid ballots are all given, they are every ballot cast."""
    full = referendums.dropna(subset=["yes_votes", "no_votes", "invalid_votes"])
    assert len(full) == 10  # 1995 (4), 1996 questions 1-5, 2004
    counted = full["yes_votes"] + full["no_votes"] + full["invalid_votes"]
    assert (counted == full["voters"]).all()


def test_shares_agree_with_the_counts_to_the_published_precision(
    referendums: pd.DataFrame,
) -> None:
    """Recompute each share from the counts on its own base; the published figure must be
    that value rounded to the digits it was printed with (tolerance: half a unit of the
    last digit, plus a hair for floating point)."""
    denominators = {"votes_cast": "voters", "registered": "registered_voters"}
    checked = 0
    for _, row in referendums.iterrows():
        if row["base"] not in denominators:
            continue
        base = float(row[denominators[row["base"]]])
        for share, count in (("yes_pct", "yes_votes"), ("no_pct", "no_votes")):
            if pd.isna(row[share]) or pd.isna(row[count]):
                continue
            tolerance = 0.5 * 10 ** -_decimals(row[share]) + 1e-9
            recomputed = float(row[count]) / base * 100
            assert abs(recomputed - row[share]) <= tolerance, (row["date"], row["question_no"])
            checked += 1
    assert checked >= 20


def test_turnout_agrees_with_voters_and_register(referendums: pd.DataFrame) -> None:
    per_day = referendums.drop_duplicates("date")
    for _, row in per_day.iterrows():
        tolerance = 0.5 * 10 ** -_decimals(row["turnout_pct"]) + 1e-9
        recomputed = row["voters"] / row["registered_voters"] * 100
        assert abs(recomputed - row["turnout_pct"]) <= tolerance, row["date"]


def test_outcome_follows_the_share_in_favour(referendums: pd.DataFrame) -> None:
    approved = referendums[referendums["outcome"] == "approved"]
    rejected = referendums[referendums["outcome"] == "rejected"]
    assert (approved["yes_pct"] > 50).all()
    has_yes = rejected["yes_pct"].notna()
    assert (rejected.loc[has_yes, "yes_pct"] < 50).all()
    assert (rejected.loc[~has_yes, "no_pct"] > 50).all()


# --- spot values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "question_no", "topic", "base", "yes_pct", "no_pct", "turnout_pct"),
    [
        # reference sheet R1: 1995, shares of votes cast, turnout 64.8%
        ("1995-05-14", 1, "language", "votes_cast", 83.3, 12.7, 64.8),
        ("1995-05-14", 2, "symbols", "votes_cast", 75.1, None, 64.8),
        ("1995-05-14", 3, "integration", "votes_cast", 83.3, 12.5, 64.8),
        ("1995-05-14", 4, "presidency", "votes_cast", 77.7, 17.8, 64.8),
        # 1996: CEC table in Wikipedia (ru), pt.wiki7.org copy; turnout also sudd.ch
        ("1996-11-24", 1, "holidays", "votes_cast", 88.18, 10.46, 84.14),
        ("1996-11-24", 2, "constitution", "votes_cast", 83.73, 11.16, 84.14),
        ("1996-11-24", 3, "land", "votes_cast", 15.35, 82.88, 84.14),
        ("1996-11-24", 4, "death-penalty", "votes_cast", 17.93, 80.44, 84.14),
        ("1996-11-24", 5, "constitution", "votes_cast", 9.42, 84.62, 84.14),
        # 1996: Nohlen & Stöver via Wikipedia (fr), valid votes, share against only
        ("1996-11-24", 6, "local-government", "valid", None, 71.3, 84.14),
        ("1996-11-24", 7, "finance", "valid", None, 67.2, 84.14),
        # 2004: 79.42% of registered voters, turnout 90.28% (Wikipedia en copy)
        ("2004-10-17", 1, "presidency", "registered", 79.42, None, 90.28),
        # reference sheet R4, base corrected to registered voters (BelTA via law.by)
        ("2022-02-27", 1, "constitution", "registered", 65.16, 10.07, 78.63),
    ],
)
def test_figures_match_the_sources(
    referendums: pd.DataFrame,
    date: str,
    question_no: int,
    topic: str,
    base: str,
    yes_pct: float | None,
    no_pct: float | None,
    turnout_pct: float,
) -> None:
    row = _row(referendums, date, question_no)
    assert row["topic"] == topic
    assert row["base"] == base
    for column, expected in (("yes_pct", yes_pct), ("no_pct", no_pct)):
        if expected is None:
            assert pd.isna(row[column]), column
        else:
            assert row[column] == pytest.approx(expected), column
    assert row["turnout_pct"] == pytest.approx(turnout_pct)


def test_vote_counts_match_the_sources(referendums: pd.DataFrame) -> None:
    # 1995 language question: CEC table (Wikipedia ru copy); ballots cast from sudd.ch
    row = _row(referendums, "1995-05-14", 1)
    assert (row["yes_votes"], row["voters"], row["registered_voters"]) == (
        4_017_273,
        4_823_482,
        7_445_820,
    )
    # 1996: 5,175,664 for the president's constitution of 7,346,397 registered
    row = _row(referendums, "1996-11-24", 2)
    assert (row["yes_votes"], row["registered_voters"]) == (5_175_664, 7_346_397)
    # 2004: 5,548,477 yes of 6,307,395 ballots cast (Wikipedia en copy)
    row = _row(referendums, "2004-10-17", 1)
    assert (row["yes_votes"], row["voters"]) == (5_548_477, 6_307_395)
    # 2022 preliminary: 4,440,813 yes, 5,359,471 took part of 6,815,667 (BelTA)
    row = _row(referendums, "2022-02-27", 1)
    assert (row["yes_votes"], row["voters"], row["registered_voters"]) == (
        4_440_813,
        5_359_471,
        6_815_667,
    )
    assert row["status"] == "preliminary"


def test_every_row_is_cited_with_an_address(referendums: pd.DataFrame) -> None:
    assert referendums["source"].str.contains(r"\w+\.\w+/", regex=True).all()
