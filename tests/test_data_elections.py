"""Checks specific to the ``elections`` dataset (generic checks are in test_data.py).

Spot values cite the reference sheet (``facts.md`` row ids E1-E10) or the source named in the
dataset's manifest; the comment beside each group says which.
"""

from __future__ import annotations

import pandas as pd
import pytest

from postsoviet import data

ELECTIONS = {
    # year: polling day of each round
    1994: {1: "1994-06-23", 2: "1994-07-10"},
    2001: {1: "2001-09-09"},
    2006: {1: "2006-03-19"},
    2010: {1: "2010-12-19"},
    2015: {1: "2015-10-11"},
    2020: {1: "2020-08-09"},
    2025: {1: "2025-01-26"},
}
KEY = ["year", "round", "candidate", "base", "status"]

#: Groups (year, round, status) whose source reported no "Against all" figure. Their
#: participants-base shares cannot reach the lower bound of the sum check below.
NO_AGAINST_ALL = {(2006, 1, "preliminary")}  # BBC News, 20 Mar 2006: four candidates only

#: Number of people who took part, from the sources cited in the manifest, used to check
#: that the vote counts reproduce the published shares on the participants base.
PARTICIPANTS = {
    (1994, 1): 5_904_312,  # Nohlen & Stöver total (enwikipedia.net)
    (1994, 2): 5_278_331,  # Nohlen & Stöver total (a.osmarks.net)
    (2001, 1): 6_169_087,  # CEC (belhist.narod.ru; no.frwiki.wiki)
    (2006, 1): 6_630_653,  # CEC announcement of 23 Mar 2006 (sb.by)
    (2015, 1): 6_113_013,  # CEC protocol as tabulated at pl.qa.edu.vn (Italian Wikipedia)
    (2020, 1): 5_818_955,  # CEC, 14 Aug 2020 (facts.md E8)
}

#: Address of the ODIHR source every row of an election must cite (1994: none was found).
ODIHR_SOURCES = {
    2001: "osce.org/odihr/elections/belarus/111402",
    2006: "osce.org/odihr/elections/47402",
    2010: "osce.org/odihr/elections/75721",
    2015: "vybary.belsat.eu/en/news/padlik-galasou",
    2020: "odihr.osce.org/node/457309",
    2025: "miragenews.com/no-osce-election-observation-in-belarus",
}


@pytest.fixture(scope="module")
def elections() -> pd.DataFrame:
    return data.load("elections")


def _row(frame: pd.DataFrame, year: int, round_: int, candidate: str, base: str, status: str):
    row = frame[
        (frame["year"] == year)
        & (frame["round"] == round_)
        & (frame["candidate"] == candidate)
        & (frame["base"] == base)
        & (frame["status"] == status)
    ]
    assert len(row) == 1, f"expected one row for {year} {round_} {candidate} {base} {status}"
    return row.iloc[0]


# --- structure ----------------------------------------------------------------------------


def test_columns_and_dtypes(elections: pd.DataFrame) -> None:
    expected = {
        "year": "int64",
        "round": "int64",
        "votes_pct": "float64",
        "turnout_pct": "float64",
        "votes": "Int64",
    }
    for column, dtype in expected.items():
        assert str(elections[column].dtype) == dtype, column
    for column in ("date", "announced"):
        assert pd.api.types.is_datetime64_any_dtype(elections[column]), column
    for column in ("candidate", "base", "status", "source", "osce_assessment"):
        assert pd.api.types.is_string_dtype(elections[column]), column


def test_one_row_per_key(elections: pd.DataFrame) -> None:
    duplicated = elections[elections.duplicated(KEY, keep=False)]
    assert duplicated.empty, duplicated[KEY]


def test_closed_vocabularies(elections: pd.DataFrame) -> None:
    assert set(elections["base"]) == {"participants", "valid"}
    assert set(elections["status"]) == {"final", "preliminary"}
    assert set(elections["round"]) == {1, 2}
    assert set(elections.loc[elections["round"] == 2, "year"]) == {1994}


def test_every_election_and_round_is_present_with_its_polling_day(
    elections: pd.DataFrame,
) -> None:
    assert set(elections["year"]) == set(ELECTIONS)
    for year, rounds in ELECTIONS.items():
        rows = elections[elections["year"] == year]
        assert set(rows["round"]) == set(rounds), year
        for round_, day in rounds.items():
            days = set(rows.loc[rows["round"] == round_, "date"])
            assert days == {pd.Timestamp(day)}, (year, round_)


def test_every_election_has_a_final_result_including_against_all(
    elections: pd.DataFrame,
) -> None:
    final = elections.query("status == 'final' and base == 'participants'")
    for year, rounds in ELECTIONS.items():
        for round_ in rounds:
            candidates = set(
                final.loc[(final["year"] == year) & (final["round"] == round_), "candidate"]
            )
            assert "Against all" in candidates, (year, round_)
            assert len(candidates) >= 3, (year, round_)


def test_candidate_counts_per_election(elections: pd.DataFrame) -> None:
    """Registered candidates on the ballot (sources in the manifest), plus "Against all"."""
    final = elections.query("status == 'final' and base == 'participants'")
    sizes = final.groupby(["year", "round"])["candidate"].nunique()
    expected = {
        (1994, 1): 7,  # six candidates (it.wiki7.org, ru-wiki copy)
        (1994, 2): 3,
        (2001, 1): 4,
        (2006, 1): 5,
        (2010, 1): 11,  # ten candidates (BelTA, 24 Dec 2010)
        (2015, 1): 5,
        (2020, 1): 6,  # facts.md E8
        (2025, 1): 6,  # facts.md E10
    }
    assert sizes.to_dict() == expected


# --- shares ---------------------------------------------------------------------------------


def test_participants_shares_plus_against_all_sum_to_95_to_100_5(
    elections: pd.DataFrame,
) -> None:
    """On the CEC's base the rest of 100 is invalid ballots.

    The data show sums of 97.76 (2001) to 99.66 (1994 round 2); the invalid share the
    sources give is 0.80% (2015) to 2.06% (1994 round 1). The lower bound of 95 leaves room
    for a few points of invalid ballots but catches a missing candidate; the upper bound of
    100.5 allows for rounding (at most 11 shares rounded to 0.01, or 5 to 0.1). The 2020
    preliminary shares add up to exactly 100.00: the preliminary "against all" figure seems to
    include invalid ballots (see the note on that row).
    """
    rows = elections[elections["base"] == "participants"]
    for (year, round_, status), group in rows.groupby(["year", "round", "status"]):
        total = group["votes_pct"].sum()
        assert total <= 100.5, (year, round_, status, total)
        if (year, round_, status) in NO_AGAINST_ALL:
            assert "Against all" not in set(group["candidate"]), (
                f"{year} {status} now has 'Against all': drop it from NO_AGAINST_ALL"
            )
            continue
        assert "Against all" in set(group["candidate"]), (year, round_, status)
        assert total >= 95, (year, round_, status, total)


def test_complete_valid_vote_tables_sum_to_100(elections: pd.DataFrame) -> None:
    """Nohlen & Stöver's tables (1994, 2001, 2006) list every option, so valid shares sum to 100.

    Tolerance 0.5: up to seven shares each rounded to 0.1 (1994 round 1 sums to 100.1).
    """
    rows = elections[(elections["base"] == "valid") & (elections["status"] == "final")]
    complete = 0
    for (year, round_), group in rows.groupby(["year", "round"]):
        if "Against all" not in set(group["candidate"]):
            continue  # 2010 and 2015: only the two leading candidates' valid shares are known
        complete += 1
        assert group["votes_pct"].sum() == pytest.approx(100, abs=0.5), (year, round_)
    assert complete == 4  # 1994 both rounds, 2001, 2006


def test_valid_shares_exceed_participants_shares(elections: pd.DataFrame) -> None:
    """The valid-vote base is smaller, so each valid share is the larger of the two."""
    final = elections[elections["status"] == "final"]
    wide = final.pivot_table(
        index=["year", "round", "candidate"], columns="base", values="votes_pct"
    ).dropna()
    assert len(wide) >= 20
    assert (wide["valid"] > wide["participants"]).all(), wide[wide["valid"] <= wide["participants"]]


def test_vote_counts_reproduce_participants_shares(elections: pd.DataFrame) -> None:
    """Count / participants * 100 rounds to the published share (to the source's precision).

    Tolerance: half a unit of the last printed digit, plus 0.01 for 1994 round 2, where the
    CEC's shares come out 0.01 below the division (its base seems slightly different).
    """
    rows = elections.query("base == 'participants' and status == 'final'").dropna(subset=["votes"])
    checked = 0
    for (year, round_), total in PARTICIPANTS.items():
        group = rows[(rows["year"] == year) & (rows["round"] == round_)]
        assert not group.empty, (year, round_)
        for _, row in group.iterrows():
            share = row["votes"] / total * 100
            unit = 0.1 if year == 2006 else 0.01
            slack = 0.01 if (year, round_) == (1994, 2) else 0
            assert abs(share - row["votes_pct"]) <= unit / 2 + slack + 1e-9, (
                year,
                round_,
                row["candidate"],
                share,
                row["votes_pct"],
            )
            checked += 1
    assert checked >= 30


def test_worked_out_shares_are_marked(elections: pd.DataFrame) -> None:
    """The four participants-base "Against all" shares that no source prints say so."""
    for year, round_ in [(1994, 1), (1994, 2), (2001, 1), (2006, 1)]:
        row = _row(elections, year, round_, "Against all", "participants", "final")
        assert "worked out" in row["note"], (year, round_)


# --- spot values -------------------------------------------------------------------------------

SPOT_VALUES = [
    # The reference sheet (facts.md E1, E2, E4, E5, E8, E10)
        (1994, 1, "Lukashenko", "participants", "final", 44.82, 78.97),
        (1994, 1, "Lukashenko", "valid", "final", 45.8, 78.97),
        (1994, 2, "Lukashenko", "participants", "final", 80.34, 70.6),
        (1994, 2, "Kebich", "participants", "final", 14.17, 70.6),
        (2001, 1, "Hancharyk", "participants", "final", 15.65, 83.86),
        (2006, 1, "Lukashenko", "participants", "final", 83.0, 92.9),
        (2006, 1, "Lukashenko", "participants", "preliminary", 82.6, 92.6),
        (2006, 1, "Lukashenko", "valid", "final", 84.44, 92.9),
        (2020, 1, "Lukashenko", "participants", "final", 80.10, 84.28),
        (2020, 1, "Tsikhanouskaya", "participants", "final", 10.12, 84.28),
        (2020, 1, "Against all", "participants", "final", 4.59, 84.28),
        (2020, 1, "Lukashenko", "participants", "preliminary", 80.23, 84.23),
        (2020, 1, "Tsikhanouskaya", "participants", "preliminary", 9.9, 84.23),
        (2025, 1, "Lukashenko", "participants", "final", 86.82, 85.69),
        (2025, 1, "Against all", "participants", "final", 3.60, 85.69),
    # 1994 round 1, the three smaller candidates: it.wiki7.org (ru-wiki copy of the CEC figures);
    # facts.md E1 gives them only rounded (~10%, ~6%, ~5%).
    (1994, 1, "Shushkevich", "participants", "final", 9.91, 78.97),
    (1994, 1, "Dubko", "participants", "final", 5.98, 78.97),
    (1994, 1, "Novikau", "participants", "final", 4.29, 78.97),
    (1994, 1, "Against all", "valid", "final", 2.9, 78.97),  # Nohlen & Stöver (enwikipedia.net)
    # 2001 and 2006: facts.md E4, E5
    (2001, 1, "Haidukevich", "participants", "final", 2.48, 83.86),
    (2006, 1, "Kazulin", "participants", "final", 2.2, 92.9),
    # 2010: CEC final result of 24 Dec 2010 (BelTA, liozno.vitebsk-region.gov.by)
    (2010, 1, "Lukashenko", "participants", "final", 79.65, 90.65),
    (2010, 1, "Sannikau", "participants", "final", 2.43, 90.65),
    (2010, 1, "Niakliaeu", "participants", "final", 1.78, 90.65),
    (2010, 1, "Statkevich", "participants", "final", 1.05, 90.65),
    (2010, 1, "Uss", "participants", "final", 0.39, 90.65),
    (2010, 1, "Against all", "participants", "final", 6.47, 90.65),
    (2010, 1, "Lukashenko", "valid", "final", 80.44, 90.65),  # en.wikipedia.org infobox
    # 2015: CEC protocol as tabulated at pl.qa.edu.vn (Italian Wikipedia)
    (2015, 1, "Lukashenko", "participants", "final", 83.47, 87.22),
    (2015, 1, "Karatkevich", "participants", "final", 4.44, 87.22),
    (2015, 1, "Haidukevich", "participants", "final", 3.30, 87.22),
    (2015, 1, "Ulakhovich", "participants", "final", 1.67, 87.22),
    (2015, 1, "Against all", "participants", "final", 6.32, 87.22),
    (2015, 1, "Lukashenko", "valid", "final", 84.14, 87.22),  # en.wikipedia.org infobox
    # 2020 preliminary, 10 Aug 2020: BelTA via senno.vitebsk-region.gov.by (facts.md E8)
    (2020, 1, "Kanapatskaya", "participants", "preliminary", 1.68, 84.23),
    (2020, 1, "Dzmitryeu", "participants", "preliminary", 1.04, 84.23),
    (2020, 1, "Charechan", "participants", "preliminary", 1.13, 84.23),
    (2020, 1, "Against all", "participants", "preliminary", 6.02, 84.23),
]


@pytest.mark.parametrize(
    ("year", "round_", "candidate", "base", "status", "votes_pct", "turnout_pct"), SPOT_VALUES
)
def test_spot_values(
    elections: pd.DataFrame,
    year: int,
    round_: int,
    candidate: str,
    base: str,
    status: str,
    votes_pct: float,
    turnout_pct: float,
) -> None:
    row = _row(elections, year, round_, candidate, base, status)
    assert row["votes_pct"] == pytest.approx(votes_pct)
    assert row["turnout_pct"] == pytest.approx(turnout_pct)


def test_spot_vote_counts(elections: pd.DataFrame) -> None:
    # 2010: Xinhua via data.minsk.by; 2015: pl.qa.edu.vn; 1994: it.wiki7.org
    assert _row(elections, 2010, 1, "Lukashenko", "participants", "final")["votes"] == 5_130_557
    assert _row(elections, 2010, 1, "Against all", "participants", "final")["votes"] == 416_925
    assert pd.isna(_row(elections, 2010, 1, "Statkevich", "participants", "final")["votes"])
    assert _row(elections, 2015, 1, "Karatkevich", "participants", "final")["votes"] == 271_426
    assert _row(elections, 1994, 1, "Shushkevich", "participants", "final")["votes"] == 585_143


def test_announcement_days(elections: pd.DataFrame) -> None:
    # BelTA, 24 Dec 2010; RIA Novosti, 16 Oct 2015
    for year, day in [(2010, "2010-12-24"), (2015, "2015-10-16")]:
        rows = elections.query("year == @year and status == 'final' and base == 'participants'")
        assert set(rows["announced"]) == {pd.Timestamp(day)}, year


# --- OSCE/ODIHR assessment ----------------------------------------------------------------------


def test_osce_assessment_is_one_nonempty_sentence_per_election(elections: pd.DataFrame) -> None:
    assert elections["osce_assessment"].notna().all()
    texts = elections["osce_assessment"].str.strip()
    assert (texts.str.len() > 20).all()
    per_year = elections.groupby("year")["osce_assessment"].nunique()
    assert (per_year == 1).all(), per_year[per_year != 1]
    sentences = elections.drop_duplicates("year").set_index("year")["osce_assessment"]
    assert sentences.is_unique
    assert sentences.str.endswith(".").all()
    assert (sentences.str.count(r"\. ") == 0).all(), "one sentence per election"


def test_osce_assessment_content(elections: pd.DataFrame) -> None:
    sentences = elections.drop_duplicates("year").set_index("year")["osce_assessment"]
    # facts.md E9, E10: ODIHR did not observe 2020 or 2025, for want of a timely invitation.
    for year in (2020, 2025):
        assert "did not observe" in sentences[year]
    for year in (2001, 2006, 2010, 2015):
        assert "did not observe" not in sentences[year]
        assert "ODIHR" in sentences[year]
    assert "No ODIHR" in sentences[1994]  # facts.md E3: no ODIHR report found


def test_every_row_cites_the_odihr_source_of_its_election(elections: pd.DataFrame) -> None:
    listed = [entry["url"] for entry in data.source("elections")["sources"]]
    for year, address in ODIHR_SOURCES.items():
        assert any(address in url for url in listed), address
        sources = elections.loc[elections["year"] == year, "source"]
        assert sources.str.contains(address, regex=False).all(), year
