"""Checks specific to the ``trade`` dataset: Belarus's goods trade shares by partner.

Spot values come from the course's reference sheet (rows T1, T2 and T4 of facts.md) and
from the pages cited in the manifest; each test says which.

A year and flow is "complete" when all four named partners (Russia, EU, Ukraine, China)
have a share, so that ``other`` can be computed and the five rows sum to 100. No year is
complete in this release (see the manifest notes); ``COMPLETE_YEARS`` records that, so
adding a complete year forces this file to be updated and the sum check to cover it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from postsoviet import data

PARTNERS = ["Russia", "EU", "Ukraine", "China", "other"]
NAMED = ["Russia", "EU", "Ukraine", "China"]
FLOWS = ["exports_share_pct", "imports_share_pct"]
SOURCED_YEARS = {2013, 2014, 2015, 2016, 2017, 2019, 2020, 2021}
# Years (per flow) in which all four named partners have a share. None yet: Ukraine's and
# China's shares by flow could not be checked for any year in which the others are known.
COMPLETE_YEARS: dict[str, set[int]] = {"exports_share_pct": set(), "imports_share_pct": set()}
# Shares are published to one decimal, so five of them can miss 100 by up to 5 x 0.05;
# 0.2 allows for that while still catching a mistyped figure.
SUM_TOLERANCE = 0.2


@pytest.fixture(scope="module")
def trade() -> pd.DataFrame:
    return data.load("trade")


def _shares(trade: pd.DataFrame, flow: str) -> pd.DataFrame:
    """One row per year, one column per partner, for one flow."""
    return trade.pivot(index="year", columns="partner", values=flow)[PARTNERS]


def _complete_years(trade: pd.DataFrame, flow: str) -> set[int]:
    """Years in which every named partner has a share for *flow*."""
    shares = _shares(trade, flow)
    return set(shares.index[shares[NAMED].notna().all(axis=1)])


def _value(trade: pd.DataFrame, year: int, partner: str, column: str) -> float:
    row = trade[(trade["year"] == year) & (trade["partner"] == partner)]
    assert len(row) == 1, f"expected one row for {year} {partner}"
    return row[column].item()


# --- schema ---------------------------------------------------------------------------


def test_required_columns_and_dtypes(trade: pd.DataFrame) -> None:
    assert set(data.REQUIRED_COLUMNS["trade"]) <= set(trade.columns)
    assert pd.api.types.is_integer_dtype(trade["year"])
    for column in [
        *FLOWS,
        "exports_usd_bn",
        "imports_usd_bn",
        "total_exports_usd_bn",
        "total_imports_usd_bn",
    ]:
        assert trade[column].dtype == "float64", column


def test_one_row_per_year_and_partner(trade: pd.DataFrame) -> None:
    assert not trade.duplicated(["year", "partner"]).any()


def test_every_year_has_all_five_partners(trade: pd.DataFrame) -> None:
    partners = trade.groupby("year")["partner"].apply(sorted)
    assert all(found == sorted(PARTNERS) for found in partners)


def test_years_are_the_ones_sourced(trade: pd.DataFrame) -> None:
    # 2010-2012 and 2018 could not be sourced; 2020 has dollar values only (manifest notes).
    assert set(trade["year"]) == SOURCED_YEARS


def test_closed_vocabularies(trade: pd.DataFrame) -> None:
    assert set(trade["partner"]) == set(PARTNERS)
    assert set(trade["eu_members"].dropna()) <= {"EU-28", "EU-27"}
    assert set(trade["share_basis"].dropna()) <= {"reported", "computed", "residual"}


def test_eu_definition_only_on_eu_rows_with_figures(trade: pd.DataFrame) -> None:
    labelled = trade.dropna(subset=["eu_members"])
    assert set(labelled["partner"]) == {"EU"}
    eu = trade[trade["partner"] == "EU"].set_index("year")
    has_share = eu[FLOWS].notna().any(axis=1)
    assert eu.loc[has_share, "eu_members"].notna().all()
    assert eu.loc[~has_share, "eu_members"].isna().all()
    # EU-28 while the United Kingdom was a member (to January 2020) ...
    assert (eu.loc[eu.index <= 2017, "eu_members"].dropna() == "EU-28").all()
    # ... but the NBP figure for 2019 already excludes it (reference sheet T1).
    assert eu.loc[2019, "eu_members"] == "EU-27"


def test_share_basis_is_given_exactly_when_a_share_is(trade: pd.DataFrame) -> None:
    has_share = trade[FLOWS].notna().any(axis=1)
    assert (trade["share_basis"].notna() == has_share).all()


# --- arithmetic -----------------------------------------------------------------------


@pytest.mark.parametrize("flow", FLOWS)
def test_other_is_the_remainder_only_when_all_named_partners_are_known(
    trade: pd.DataFrame, flow: str
) -> None:
    shares = _shares(trade, flow)
    complete = shares[NAMED].notna().all(axis=1)
    # other must be blank whenever a named partner is missing ...
    assert shares.loc[~complete, "other"].isna().all()
    # ... and equal to 100 minus the four named partners otherwise.
    remainder = 100 - shares.loc[complete, NAMED].sum(axis=1)
    pd.testing.assert_series_equal(
        shares.loc[complete, "other"], remainder, check_names=False, atol=0.05
    )


@pytest.mark.parametrize("flow", FLOWS)
def test_complete_years_are_the_expected_ones(trade: pd.DataFrame, flow: str) -> None:
    assert _complete_years(trade, flow) == COMPLETE_YEARS[flow]


@pytest.mark.parametrize("flow", FLOWS)
def test_complete_years_sum_to_100(trade: pd.DataFrame, flow: str) -> None:
    shares = _shares(trade, flow)
    complete = sorted(COMPLETE_YEARS[flow])
    assert shares.loc[complete, PARTNERS].notna().all().all()
    totals = shares.loc[complete, PARTNERS].sum(axis=1)
    assert ((totals - 100).abs() <= SUM_TOLERANCE).all(), totals


def test_sum_check_catches_a_complete_year_that_does_not_add_up(trade: pd.DataFrame) -> None:
    """The two checks above run on no year today; prove they would bite on a complete one."""
    flow = "exports_share_pct"
    filled = trade.copy()
    year = 2016  # Russia 46.2, EU 24.2 and Ukraine 12.2 are real; China is made up here
    rows = filled["year"] == year
    filled.loc[rows & (filled["partner"] == "China"), flow] = 2.0
    filled.loc[rows & (filled["partner"] == "other"), flow] = 100 - (46.2 + 24.2 + 12.2 + 2.0)
    assert _complete_years(filled, flow) == {year}
    totals = _shares(filled, flow).loc[[year], PARTNERS].sum(axis=1)
    assert ((totals - 100).abs() <= SUM_TOLERANCE).all()
    filled.loc[rows & (filled["partner"] == "other"), flow] += 1.0  # a mistyped remainder
    totals = _shares(filled, flow).loc[[year], PARTNERS].sum(axis=1)
    assert not ((totals - 100).abs() <= SUM_TOLERANCE).all()


@pytest.mark.parametrize("flow", FLOWS)
def test_known_shares_never_add_up_to_more_than_100(trade: pd.DataFrame, flow: str) -> None:
    totals = _shares(trade, flow)[NAMED].sum(axis=1, min_count=1).dropna()
    assert (totals <= 100 + SUM_TOLERANCE).all(), totals


@pytest.mark.parametrize(
    ("flow", "value"),
    [("exports_share_pct", "exports_usd_bn"), ("imports_share_pct", "imports_usd_bn")],
)
def test_russia_is_the_largest_partner_every_year(
    trade: pd.DataFrame, flow: str, value: str
) -> None:
    """Compared by share where Russia's is known, else by US-dollar value (2020)."""
    shares = _shares(trade, flow)
    values = trade.pivot(index="year", columns="partner", values=value)[PARTNERS]
    by_share = shares["Russia"].notna()
    assert set(shares.index[~by_share]) == {2020}, "only 2020 lacks Russia's shares"
    for measure, years in [(shares, by_share), (values, ~by_share)]:
        table = measure[years]
        assert table["Russia"].notna().all()
        others = table[["EU", "Ukraine", "China"]]
        assert others.lt(table["Russia"], axis=0).where(others.notna(), True).all().all()
        # Russia also outweighs the EU, Ukraine and China together wherever all are known.
        rest = others.sum(axis=1, min_count=3)
        assert (rest.isna() | (rest < table["Russia"])).all()


@pytest.mark.parametrize(
    ("flow", "value", "total"),
    [
        ("exports_share_pct", "exports_usd_bn", "total_exports_usd_bn"),
        ("imports_share_pct", "imports_usd_bn", "total_imports_usd_bn"),
    ],
)
def test_shares_agree_with_dollar_values(
    trade: pd.DataFrame, flow: str, value: str, total: str
) -> None:
    """Where value and total are both known, the share is value / total, to one decimal."""
    rows = trade.dropna(subset=[flow, value, total])
    assert len(rows) >= 8
    recomputed = rows[value] / rows[total] * 100
    assert ((recomputed - rows[flow]).abs() <= 0.05 + 1e-9).all()


def test_totals_are_the_same_on_every_row_of_a_year(trade: pd.DataFrame) -> None:
    for column in ["total_exports_usd_bn", "total_imports_usd_bn"]:
        assert (trade.groupby("year")[column].nunique(dropna=False) == 1).all()


# --- spot values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "partner", "exports", "imports", "tolerance"),
    [
        # facts.md T1 (NBP, rounded to whole per cent); the row keeps BelTA's 41.5 / 55.8,
        # which rounds to the same, hence the half-point tolerance.
        (2019, "Russia", 42, 56, 0.5),
        # facts.md T1: EU-27 shares for 2019, as quoted.
        (2019, "EU", 18.5, 17.9, 0.0),
        # BelTA infographic (eng.belta.by ... 6590), data as of 2019.
        (2019, "Russia", 41.5, 55.8, 0.0),
        # facts.md T2 and wnp.pl (318305): 2017.
        (2017, "Russia", 43.9, 57.2, 0.0),
        # wnp.pl (318305): EU shares for 2017 (T2 gives the export share).
        (2017, "EU", 26.9, 19.5, 0.0),
        # Foreign Ministry annual report via motolko.help: 2021.
        (2021, "Russia", 41.1, 56.6, 0.0),
        # Belarus in Numbers 2017 via pionerprodukt.by: 2016 main-partner table.
        (2016, "Russia", 46.2, 55.5, 0.0),
        # Belarus in Numbers 2017 via pionerprodukt.by: 16,837 / 37,203 and 22,905 / 43,023.
        (2013, "Russia", 45.3, 53.2, 0.0),
        # Belarus in Numbers 2017 via pionerprodukt.by: 8,549 / 26,660 and 5,834 / 30,292.
        (2015, "EU", 32.1, 19.3, 0.0),
    ],
)
def test_spot_shares(
    trade: pd.DataFrame,
    year: int,
    partner: str,
    exports: float,
    imports: float,
    tolerance: float,
) -> None:
    assert _value(trade, year, partner, "exports_share_pct") == pytest.approx(
        exports, abs=tolerance
    )
    assert _value(trade, year, partner, "imports_share_pct") == pytest.approx(
        imports, abs=tolerance
    )


def test_spot_export_shares_of_ukraine(trade: pd.DataFrame) -> None:
    # Belarus in Numbers 2017 via pionerprodukt.by: 12.2% (US$ 2,848 million) in 2016.
    assert _value(trade, 2016, "Ukraine", "exports_share_pct") == pytest.approx(12.2)
    assert _value(trade, 2016, "Ukraine", "exports_usd_bn") == pytest.approx(2.848)
    # PM Golovchenko via BelTA (belarus.by/cn ... i_141330): 13% of exports in 2021.
    assert _value(trade, 2021, "Ukraine", "exports_share_pct") == pytest.approx(13)


def test_spot_dollar_values(trade: pd.DataFrame) -> None:
    # Belarus in Numbers 2017 via pionerprodukt.by, US$ million.
    assert _value(trade, 2013, "Russia", "exports_usd_bn") == pytest.approx(16.837)
    assert _value(trade, 2014, "EU", "imports_usd_bn") == pytest.approx(9.449)
    assert _value(trade, 2016, "Russia", "total_imports_usd_bn") == pytest.approx(27.570)
    # wnp.pl (318305): exports to Russia US$ 12.8 billion, imports US$ 19.6 billion, 2017.
    assert _value(trade, 2017, "Russia", "exports_usd_bn") == pytest.approx(12.8)
    assert _value(trade, 2017, "Russia", "imports_usd_bn") == pytest.approx(19.6)
    # facts.md T4 and rp.pl (210229506): 2020, exports US$ 13.13 billion, imports 16.4.
    assert _value(trade, 2020, "Russia", "exports_usd_bn") == pytest.approx(13.13)
    assert _value(trade, 2020, "Russia", "imports_usd_bn") == pytest.approx(16.4)
    # rp.pl (210229506): 2020 trade with the EU, exports US$ 5.5 billion, imports 6.5.
    assert _value(trade, 2020, "EU", "exports_usd_bn") == pytest.approx(5.5)
    assert _value(trade, 2020, "EU", "imports_usd_bn") == pytest.approx(6.5)


def test_2020_has_values_but_no_shares(trade: pd.DataFrame) -> None:
    # Belarus's 2020 goods totals could not be checked, so no 2020 share is given.
    year = trade[trade["year"] == 2020]
    assert year[FLOWS].isna().all().all()
    assert year["share_basis"].isna().all()
