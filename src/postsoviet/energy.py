"""Lesson 04 (energy dependence): the implied gas subsidy and trade concentration.

Two calculations the lesson, its explorers, its exercise checks and its tests share, kept
here so that each is written and tested once:

- :func:`implied_subsidy` turns the ``gas_prices`` dataset into an *estimate* of Russia's
  gas subsidy to Belarus: (reference price - price Belarus paid) x volume. Every input is
  an assumption the reader chooses, because that is why published estimates differ: which
  reference price (Gazprom's average price in Europe, or a price one types in), and how
  much gas Belarus bought (the dataset has no volumes; the lesson cites "about 20 bcm a
  year"). The result is an upper-bound indication, not a measured transfer: the European
  price includes transport to a farther border and Russia's export duty.
- :func:`hhi` and :func:`partner_hhi` measure how concentrated Belarus's trade is on its
  partners (the Herfindahl-Hirschman index). The ``trade`` dataset is incomplete, so
  :func:`partner_hhi` sums only the partners with a known share and reports how much of
  the trade they cover: with blanks the index is a lower bound, never a guess.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from postsoviet import data

__all__ = [
    "DEFAULT_VOLUME_BCM",
    "FLOWS",
    "PARTNERS",
    "hhi",
    "implied_subsidy",
    "partner_hhi",
    "peak_year",
    "trade_shares",
]

#: The lesson's default volume assumption, in billion cubic metres a year: Belarus bought
#: "about 20 bcm a year" of Russian gas in 2014-2020 (sources cited in the lesson).
DEFAULT_VOLUME_BCM = 20.0
#: Named partners in the ``trade`` dataset, in the manifest's order ("other", the remainder,
#: is left out: it is blank throughout the release). Read from the manifest rather than
#: spelled out here, so the package's code names no country a quiz might ask for.
PARTNERS: tuple[str, ...] = tuple(
    name for name in data.source("trade")["columns"]["partner"]["values"] if name != "other"
)
#: The two trade flows and their share columns.
FLOWS = {"exports": "exports_share_pct", "imports": "imports_share_pct"}


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}.")
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{what} must be a finite number, not {number}.")
    return number


def implied_subsidy(
    prices: pd.DataFrame | None = None,
    *,
    volume_bcm: float = DEFAULT_VOLUME_BCM,
    reference: float | None = None,
    first: int | None = None,
    last: int | None = None,
) -> pd.DataFrame:
    """The implied gas subsidy per year, under stated assumptions.

    Args:
        prices: the ``gas_prices`` dataset (loaded if ``None``); it needs ``year`` and
            ``usd_per_1000m3``, and ``europe_reference_usd`` unless *reference* is given.
        volume_bcm: gas bought a year, in billion cubic metres (the same every year).
        reference: a flat reference price in USD per 1000 m3 for every year; ``None``
            uses Gazprom's European average from the dataset, which exists only for
            some years (the others get no estimate, not a zero).
        first, last: keep years in this range (both included).

    Returns:
        One row per year in range: ``year``, ``price_usd`` (what Belarus paid),
        ``reference_usd``, ``gap_usd`` (reference - price, per 1000 m3), ``volume_bcm``
        and ``subsidy_usd_bn``. USD per 1000 m3 x billion m3 / 1000 = billion USD, so
        a gap of $100 on 20 bcm is $2 bn. A negative value means Belarus paid more
        than the reference. Years without a reference have blank gap and subsidy.

    Raises:
        TypeError, ValueError: a volume or reference that is not a sensible number, a
            year range that is back to front, or a table without the columns needed.
    """
    volume = _number(volume_bcm, "volume_bcm")
    if volume < 0:
        raise ValueError(f"volume_bcm cannot be negative, and it is {volume:g}.")
    flat = None if reference is None else _number(reference, "reference")
    if flat is not None and flat < 0:
        raise ValueError(f"a reference price cannot be negative, and it is {flat:g}.")
    if first is not None and last is not None and first > last:
        raise ValueError(f"the first year ({first}) comes after the last ({last}).")
    table = data.load("gas_prices") if prices is None else prices
    needed = ["year", "usd_per_1000m3"] + (["europe_reference_usd"] if flat is None else [])
    missing = [column for column in needed if column not in table.columns]
    if missing:
        raise ValueError(f"the price table has no column {', '.join(missing)}.")
    years = table["year"]
    keep = pd.Series(True, index=table.index)
    if first is not None:
        keep &= years >= first
    if last is not None:
        keep &= years <= last
    chosen = table.loc[keep].sort_values("year", kind="stable")
    out = pd.DataFrame(
        {
            "year": chosen["year"].astype(int).to_numpy(),
            "price_usd": chosen["usd_per_1000m3"].astype(float).to_numpy(),
        }
    )
    out["reference_usd"] = (
        flat if flat is not None else chosen["europe_reference_usd"].astype(float).to_numpy()
    )
    out["gap_usd"] = (out["reference_usd"] - out["price_usd"]).round(2)
    out["volume_bcm"] = volume
    out["subsidy_usd_bn"] = (out["gap_usd"] * volume / 1000).round(3)
    return out


def hhi(shares: Iterable[object]) -> float:
    """The Herfindahl-Hirschman index of percentage shares: the sum of their squares.

    It runs from near 0 (trade spread over many partners) to 10,000 (one partner takes
    everything); the US merger guidelines of 2010 called a market above 2,500
    "highly concentrated". Blank shares (``None``, NaN) are skipped, so over an incomplete list
    the index is a *lower bound*: the missing partners could only add to it.

    Raises:
        TypeError: a share that is not a number.
        ValueError: a share below 0 or above 100, or shares adding up to more than 100.
    """
    if isinstance(shares, (str, bytes)):
        raise TypeError("hhi needs a list of percentage shares, not a string.")
    known: list[float] = []
    for share in shares:
        if share is None or (isinstance(share, float) and math.isnan(share)):
            continue
        if share is pd.NA:
            continue
        number = _number(share, "each share")
        if not 0 <= number <= 100:
            raise ValueError(f"a share must be between 0 and 100 per cent, and one is {number:g}.")
        known.append(number)
    if sum(known) > 100.5:  # published shares are rounded, so allow half a point
        raise ValueError(f"the shares add up to {sum(known):g}%, more than 100%.")
    return round(sum(share * share for share in known), 2)


def _flow_column(flow: str) -> str:
    if flow not in FLOWS:
        raise ValueError(f"flow must be 'exports' or 'imports', not {flow!r}.")
    return FLOWS[flow]


def trade_shares(
    flow: str = "exports", partners: Iterable[str] = PARTNERS, trade: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Partner shares of one flow, one row per year and partner, blanks kept blank.

    Years the dataset lacks altogether (2010-2012, 2018) are not invented; a chart of this
    table shows a break there because :func:`postsoviet.explorers.energy.trade_figure`
    adds empty rows for them.
    """
    column = _flow_column(flow)
    table = data.load("trade") if trade is None else trade
    wanted = list(partners)
    unknown = sorted(set(wanted) - set(table["partner"]))
    if unknown:
        raise ValueError(f"no partner called {', '.join(unknown)} in the trade data.")
    rows = table[table["partner"].isin(wanted)]
    out = rows[["year", "partner", column, "source"]].rename(columns={column: "share_pct"})
    order = {name: number for number, name in enumerate(wanted)}
    out = out.assign(_order=out["partner"].map(order))
    out = out.sort_values(["year", "_order"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def partner_hhi(flow: str = "exports", trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """The HHI of one flow per year, over the partners whose share is known.

    Returns one row per year: ``partners_known`` (how many of the named partners
    and "other" have a share), ``share_covered_pct`` (their total) and ``hhi``. Where the
    covered share is below 100 the index is a lower bound. The EU counts as one partner
    here, which a country-by-country index would not do: say so when you use it. A year
    with no known share gets a blank index, not 0 (0 would mean perfectly spread trade).
    """
    column = _flow_column(flow)
    table = data.load("trade") if trade is None else trade
    rows = []
    for year, group in table.groupby("year", sort=True):
        shares = group[column].dropna()
        rows.append(
            {
                "year": int(year),
                "partners_known": len(shares),
                "share_covered_pct": round(float(shares.sum()), 1),
                "hhi": hhi(shares.tolist()) if len(shares) else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["year", "partners_known", "share_covered_pct", "hhi"])


def peak_year(partner: str, flow: str = "imports", trade: pd.DataFrame | None = None) -> int:
    """The year in which *partner*'s share of *flow* was highest, among the years with data.

    Ties go to the earliest year. Raises ``ValueError`` if the partner has no share at all.
    """
    column = _flow_column(flow)
    table = data.load("trade") if trade is None else trade
    rows = table[(table["partner"] == partner) & table[column].notna()]
    if rows.empty:
        raise ValueError(f"no {flow} share for {partner!r} in the trade data.")
    rows = rows.sort_values("year", kind="stable")
    return int(rows.loc[rows[column].idxmax(), "year"])
