"""Checks specific to the ethnicity dataset (nationality at the censuses of 1999-2019).

Spot values repeat the course's reference sheet of checked facts (row L5 for 2009) and the
Belstat figures reported by the sources in the manifest.
"""

from __future__ import annotations

import pandas as pd
import pytest

from postsoviet import data

CENSUSES = {1999, 2009, 2019}
MAJOR_GROUPS = {"belarusians", "russians", "poles", "ukrainians"}

# Shares are published to one decimal place; five or six rounded shares can miss 100 by up to
# 6 x 0.05 = 0.3 points, so that is the tolerance.
TOLERANCE = 0.3

# Total enumerated population where Belstat's exact counts were found (1reg.pro, Newsbel).
TOTALS = {1999: 10_045_237, 2019: 9_413_446}


@pytest.fixture(scope="module")
def ethnicity() -> pd.DataFrame:
    return data.load("ethnicity")


def test_columns_and_dtypes(ethnicity: pd.DataFrame) -> None:
    assert set(data.REQUIRED_COLUMNS["ethnicity"]) <= set(ethnicity.columns)
    assert ethnicity["census_year"].dtype == "int64"
    assert ethnicity["share_pct"].dtype == "float64"
    assert str(ethnicity["count"].dtype) == "Int64"  # nullable: 2009 counts are blank
    assert pd.api.types.is_string_dtype(ethnicity["group"])


def test_one_row_per_census_and_group(ethnicity: pd.DataFrame) -> None:
    assert not ethnicity.duplicated(["census_year", "group"]).any()


def test_closed_vocabularies(ethnicity: pd.DataFrame) -> None:
    assert set(ethnicity["census_year"]) == CENSUSES
    assert set(ethnicity["group"]) <= MAJOR_GROUPS | {"other", "not stated"}
    assert set(ethnicity["figure_type"]) == {"published", "remainder"}


def test_every_census_lists_the_major_groups_and_other(ethnicity: pd.DataFrame) -> None:
    for year, rows in ethnicity.groupby("census_year"):
        assert MAJOR_GROUPS | {"other"} <= set(rows["group"]), year


def test_each_census_sums_to_100(ethnicity: pd.DataFrame) -> None:
    totals = ethnicity.groupby("census_year")["share_pct"].sum()
    for year, total in totals.items():
        assert total == pytest.approx(100, abs=TOLERANCE), year


def test_named_groups_are_at_least_1_percent(ethnicity: pd.DataFrame) -> None:
    named = ethnicity[ethnicity["group"].isin(MAJOR_GROUPS)]
    assert (named["share_pct"] >= 1).all()


def test_counts_add_up_to_the_census_total(ethnicity: pd.DataFrame) -> None:
    for year, total in TOTALS.items():
        rows = ethnicity[ethnicity["census_year"] == year]
        assert rows["count"].notna().all(), year
        assert rows["count"].sum() == total, year


def test_counts_agree_with_shares(ethnicity: pd.DataFrame) -> None:
    """Each published share is its count over the census total, rounded to one decimal."""
    for year, total in TOTALS.items():
        rows = ethnicity[ethnicity["census_year"] == year]
        recomputed = rows["count"].astype(float) / total * 100
        assert (recomputed - rows["share_pct"]).abs().max() <= 0.05 + 1e-9, year


@pytest.mark.parametrize(
    ("year", "group", "share", "count"),
    [
        (1999, "belarusians", 81.2, 8_159_073),  # Belstat via Svaboda, 1reg.pro
        (1999, "russians", 11.4, 1_141_731),
        (1999, "poles", 3.9, 395_712),
        (2009, "belarusians", 83.7, None),  # L5 (7,957k of 9,503.8k); CIA World Factbook
        (2009, "russians", 8.3, None),  # L5
        (2009, "poles", 3.1, None),  # L5
        (2009, "ukrainians", 1.7, None),  # L5
        (2019, "belarusians", 84.9, 7_990_719),  # Belstat via Svaboda, Newsbel
        (2019, "russians", 7.5, 706_992),
        (2019, "ukrainians", 1.7, 159_656),
    ],
)
def test_spot_values(
    ethnicity: pd.DataFrame, year: int, group: str, share: float, count: int | None
) -> None:
    row = ethnicity[(ethnicity["census_year"] == year) & (ethnicity["group"] == group)]
    assert len(row) == 1
    assert row["share_pct"].item() == pytest.approx(share)
    if count is None:
        assert pd.isna(row["count"].item())
    else:
        assert row["count"].item() == count


def test_russian_share_fell_at_each_census(ethnicity: pd.DataFrame) -> None:
    russians = ethnicity[ethnicity["group"] == "russians"].set_index("census_year")["share_pct"]
    assert russians[1999] > russians[2009] > russians[2019]
