"""Lesson 04: the implied subsidy, the trade HHI, the two explorers and the exercise checks."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from postsoviet import data, energy, plots
from postsoviet.checks import evaluate
from postsoviet.explorers import energy as explorers

# --- the implied subsidy ------------------------------------------------------------------


def test_subsidy_is_gap_times_volume_in_billions() -> None:
    table = energy.implied_subsidy(volume_bcm=20)
    prices = data.load("gas_prices").set_index("year")
    row = table.set_index("year").loc[2012]
    gap = prices.loc[2012, "europe_reference_usd"] - prices.loc[2012, "usd_per_1000m3"]
    assert row["gap_usd"] == pytest.approx(gap)
    assert row["subsidy_usd_bn"] == pytest.approx(gap * 20 / 1000, abs=1e-3)
    doubled = energy.implied_subsidy(volume_bcm=40).set_index("year").loc[2012]
    assert doubled["subsidy_usd_bn"] == pytest.approx(2 * row["subsidy_usd_bn"], abs=2e-3)


def test_years_without_a_reference_are_blank_not_zero() -> None:
    table = energy.implied_subsidy().set_index("year")
    assert math.isnan(table.loc[2010, "subsidy_usd_bn"])  # netback years: no European figure
    assert (
        table["subsidy_usd_bn"].notna().sum()
        == data.load("gas_prices")["europe_reference_usd"].notna().sum()
    )


def test_a_fixed_reference_covers_every_year_and_can_go_negative() -> None:
    table = energy.implied_subsidy(reference=150, first=2008, last=2014)
    assert list(table["year"]) == list(range(2008, 2015))
    assert table["subsidy_usd_bn"].notna().all()
    assert (table.set_index("year").loc[2011, "subsidy_usd_bn"]) < 0  # paid $265 > $150


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"volume_bcm": -1}, ValueError, "negative"),
        ({"volume_bcm": "20"}, TypeError, "number"),
        ({"reference": float("nan")}, ValueError, "finite"),
        ({"first": 2015, "last": 2010}, ValueError, "comes after"),
        ({"prices": pd.DataFrame({"year": [2020]})}, ValueError, "usd_per_1000m3"),
    ],
)
def test_implied_subsidy_rejects_nonsense_with_a_sentence(kwargs, error, words) -> None:
    with pytest.raises(error, match=words):
        energy.implied_subsidy(**kwargs)


# --- concentration ------------------------------------------------------------------------


def test_hhi_is_the_sum_of_squared_shares_skipping_blanks() -> None:
    assert energy.hhi([100]) == 10_000
    assert energy.hhi([50, 50]) == 5_000
    assert energy.hhi([60, None, float("nan"), 20]) == 4_000
    assert energy.hhi([]) == 0


@pytest.mark.parametrize(
    ("shares", "error"),
    [([120], ValueError), ([-5], ValueError), ([70, 40], ValueError), (["60"], TypeError)],
)
def test_hhi_rejects_impossible_shares(shares, error) -> None:
    with pytest.raises(error):
        energy.hhi(shares)
    with pytest.raises(TypeError):
        energy.hhi("60")


def test_partner_hhi_is_a_lower_bound_and_blank_without_data() -> None:
    table = energy.partner_hhi("imports").set_index("year")
    trade = data.load("trade")
    shares_2013 = trade.query("year == 2013")["imports_share_pct"].dropna()
    assert table.loc[2013, "hhi"] == pytest.approx((shares_2013**2).sum())
    assert table.loc[2013, "partners_known"] == len(shares_2013)
    assert table.loc[2013, "share_covered_pct"] < 100
    assert math.isnan(table.loc[2020, "hhi"])  # no share known: blank, not 0
    with pytest.raises(ValueError, match="exports"):
        energy.partner_hhi("both")


def test_peak_year_and_trade_shares_follow_the_data() -> None:
    russia = data.load("trade").query("partner == 'Russia'").dropna(subset=["imports_share_pct"])
    expected = int(russia.loc[russia["imports_share_pct"].idxmax(), "year"])
    assert energy.peak_year("Russia", "imports") == expected
    with pytest.raises(ValueError, match="no imports share"):
        energy.peak_year("China", "imports")
    shares = energy.trade_shares("exports", ("EU", "Russia"))
    assert list(shares["partner"].unique()) == ["EU", "Russia"]
    with pytest.raises(ValueError, match="Atlantis"):
        energy.trade_shares("exports", ("Atlantis",))


# --- explorers ----------------------------------------------------------------------------


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list:
    figures: list = []
    monkeypatch.setattr(plots, "figure_outputs", lambda fig, *a, **k: figures.append(fig) or [])
    return figures


def test_subsidy_explorer_follows_its_controls(drawn) -> None:
    explorer = explorers.SubsidyExplorer()
    first = explorer.status.value
    assert 'role="status"' in first and "Gazprom" in first and "20 bcm" in first
    assert "Assumptions" in explorer.assumptions.value and "20 bcm" in explorer.assumptions.value
    explorer.fixed.click()  # the last button: a fixed price
    assert explorer.status.value != first and "fixed $250" in explorer.status.value
    assert explorer.fixed.description.startswith("● ")
    assert "fixed $250" in drawn[-1].description
    before = explorer.status.value
    explorer.less.click()  # the first button
    assert "19 bcm" in explorer.status.value and explorer.status.value != before
    explorer.price.value = 150
    assert "fixed $150" in explorer.status.value
    explorer.first.value, explorer.last.value = 2012, 2014
    total = energy.implied_subsidy(volume_bcm=19, reference=150, first=2012, last=2014)
    sum_bn = total["subsidy_usd_bn"].sum()
    assert sum_bn < 0  # the sign before the currency, and said in words
    assert f"-${abs(sum_bn):.1f} bn" in explorer.status.value
    assert "Belarus paid more than the reference price" in explorer.status.value
    assert "2012-2014" in drawn[-1].description
    explorer.volume.value = explorer.volume.min
    assert explorer.less.disabled and not explorer.more.disabled


def test_subsidy_explorer_handles_years_in_the_wrong_order_and_without_reference(drawn) -> None:
    explorer = explorers.SubsidyExplorer()
    explorer.first.value, explorer.last.value = 2011, 2007
    assert "2007-2011" in explorer.status.value and "swapped" in explorer.status.value
    assert "no year in this range has both a price paid and a reference" in explorer.status.value
    assert "No estimate" in explorer.assumptions.value


def test_a_year_without_any_price_keeps_its_place_and_is_named(drawn) -> None:
    # 2003 has no row in gas_prices: an axis that skipped it would read 2002 and 2004
    # as neighbours, and a range of 2003 alone once raised a traceback for the student.
    fig = explorers.subsidy_figure()
    years = [label.get_text() for label in fig.axes[0].get_xticklabels()]
    assert years == [str(year) for year in range(2002, 2022)]
    assert "No bar for 2003: the dataset has no price for that year." in fig.description
    explorer = explorers.SubsidyExplorer()
    assert "No price at all</strong> for 2003" in explorer.assumptions.value
    explorer.first.value, explorer.last.value = 2003, 2003
    assert "<strong>2003</strong>" in explorer.status.value
    assert "nothing to estimate" in explorer.status.value
    assert drawn[-1].axes[0].get_title(loc="left").endswith(", 2003 (an estimate)")


def test_trade_explorer_switches_flow_and_partners(drawn) -> None:
    explorer = explorers.TradeExplorer()
    first = explorer.status.value
    assert first.startswith('<span role="status"><strong>exports')
    explorer.flow_buttons["imports"].click()  # the last button
    assert explorer.status.value != first and "imports" in drawn[-1].description
    explorer.flow_buttons["exports"].click()  # the first button
    assert "<strong>exports" in explorer.status.value
    for partner, box in explorer.boxes.items():
        box.value = partner == "China"
    assert "No exports share in the data for China" in explorer.chart.outputs[0]["text"]
    assert "0 of 8 year-partner shares known" in explorer.status.value
    assert "China: 2013-2017 and 2019-2021" in explorer.gaps.value
    explorer.boxes["China"].value = False
    assert "no partner ticked" in explorer.status.value
    assert "tick at least one" in explorer.chart.outputs[0]["text"]


def test_trade_figure_breaks_lines_at_missing_years() -> None:
    fig = explorers.trade_figure("exports", ("Russia",))
    line = fig.axes[0].get_lines()[0]
    xs, ys = line.get_xdata(), line.get_ydata()
    assert 2018 in list(xs) and np.isnan(ys[list(xs).index(2018)])
    assert "Breaks in a line" in fig.description


def test_explorers_fall_back_to_text_before_running(drawn) -> None:
    for explorer, call in (
        (explorers.SubsidyExplorer(), "subsidy_table("),
        (explorers.TradeExplorer(), "trade_table("),
    ):
        text = explorer._repr_mimebundle_()["text/plain"]
        assert "Run this cell" in text and call in text and "VBox(" not in text
        assert "postsoviet-explorer" in explorer._dom_classes


def test_gas_price_figure_describes_the_comparison() -> None:
    fig = explorers.gas_price_figure()
    assert "2003 is missing" in fig.description and "always higher" in fig.description
    assert fig.axes[0].get_ylabel() == fig.axes[0].get_ylabel().lower()


# --- exercise checks ----------------------------------------------------------------------


def _solution_subsidy() -> pd.Series:
    gas = data.load("gas_prices").dropna(subset=["europe_reference_usd"])
    gap = gas["europe_reference_usd"] - gas["usd_per_1000m3"]
    return pd.Series((gap * 20 / 1000).to_numpy(), index=gas["year"])


def _solution_hhi(df, year, flow):
    shares = df.loc[df["year"] == year, f"{flow}_share_pct"].dropna()
    return float("nan") if shares.empty else float((shares**2).sum())


@pytest.mark.parametrize(
    ("value", "status", "words"),
    [
        (_solution_subsidy(), "passed", "every year from 2015 right"),
        (_solution_subsidy().to_dict(), "passed", "every year from 2015 right"),
        (_solution_subsidy() * 1000, "failed", "1000 times"),
        (-_solution_subsidy(), "failed", "sign is reversed"),
        (_solution_subsidy() * 50, "failed", "multiply by the volume"),
        (pd.concat([_solution_subsidy(), pd.Series({2010: 0.0})]), "failed", "not a zero"),
        (pd.concat([_solution_subsidy(), pd.Series({2010: np.nan})]), "failed", "dropna"),
        ("4.7", "failed", "pandas Series"),
        ([1, 2, 3], "failed", "pandas Series"),
    ],
)
def test_subsidy_check(value, status, words) -> None:
    result = evaluate("ex-04-1", value)
    assert result.status == status and words in result.message, result.message


def test_subsidy_check_never_prints_the_expected_values() -> None:
    message = evaluate("ex-04-1", _solution_subsidy() * 2).message
    for amount in _solution_subsidy():
        assert f"{amount:.2f}" not in message and f"{amount:g}" not in message


@pytest.mark.parametrize(
    ("function", "status", "words"),
    [
        (_solution_hhi, "passed", "blanks included"),
        (lambda df, year, flow: _solution_hhi(df, year, flow) / 10_000, "failed", "percentages"),
        (
            lambda df, year, flow: float(df.loc[df["year"] == year, f"{flow}_share_pct"].sum()),
            "failed",
            "square each share",
        ),
        (
            lambda df, year, flow: float(
                (df.loc[df["year"] == year, f"{flow}_share_pct"].fillna(0) ** 2).sum()
            ),
            "failed",
            "not 0.0",
        ),
        (lambda df, year, flow: 2841.7, "failed", "wrong value"),
        (lambda df, year, flow: "high", "failed", "one number"),
        (lambda df, year, flow: 1 / 0, "failed", "ZeroDivisionError"),
        (42, "failed", "should be a function"),
    ],
)
def test_hhi_check(function, status, words) -> None:
    result = evaluate("ex-04-2", function)
    assert result.status == status and words in result.message, result.message


@pytest.mark.parametrize(
    ("value", "status", "words"),
    [
        (energy.peak_year("Russia", "imports"), "passed", "highest import share"),
        (np.int64(energy.peak_year("Russia", "imports")), "passed", "highest import share"),
        (energy.peak_year("Russia", "exports"), "failed", "export share"),
        ("2017", "failed", "whole number"),
        (1999, "failed", "largest imports_share_pct"),
    ],
)
def test_peak_year_check(value, status, words) -> None:
    result = evaluate("ex-04-3", value)
    assert result.status == status and words in result.message, result.message


def _point_figure(
    values, xlabel="year", ylabel="implied subsidy (billion usd)", bars=False, joined=False
):
    fig, ax = plt.subplots()
    if bars:
        ax.bar([str(i) for i in range(len(values))], list(values))
    else:
        ax.plot(range(len(values)), list(values), marker="o", linestyle="-" if joined else "none")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    plt.close(fig)
    return fig


@pytest.mark.parametrize(
    ("make", "status", "words"),
    [
        (lambda: _point_figure(_solution_subsidy()), "passed", "the points are your subsidy_bn"),
        (lambda: _point_figure(_solution_subsidy() * 2), "failed", "should be your subsidy_bn"),
        (lambda: _point_figure(_solution_subsidy(), ylabel="Subsidy"), "failed", "lower case"),
        (lambda: _point_figure(_solution_subsidy(), ylabel="subsidy"), "failed", "unit"),
        (lambda: _point_figure(_solution_subsidy(), bars=True), "failed", "not bars"),
        (lambda: _point_figure(_solution_subsidy(), joined=True), "failed", "draw points only"),
        (lambda: plt.subplots()[0], "failed", "no points"),
        (lambda: "a chart", "failed", "matplotlib Figure"),
    ],
)
def test_plot_check(make, status, words) -> None:
    result = evaluate("ex-04-4", make())
    plt.close("all")
    assert result.status == status and words in result.message, result.message


@pytest.mark.parametrize(
    ("value", "status", "words"),
    [
        ("b", "passed", "benchmark"),
        (" (B) ", "passed", "benchmark"),
        ("a", "failed", "positive gap"),
        ("c", "failed", "far above"),
        ("d", "failed", "exact"),
        ("e", "failed", "one of the letters"),
        (2, "failed", "one letter as text"),
    ],
)
def test_verdict_check(value, status, words) -> None:
    result = evaluate("ex-04-6", value)
    assert result.status == status and words in result.message, result.message


def test_the_supported_verdict_still_fits_the_data() -> None:
    """Option b says claim A ($19bn, 2011-2020) is of the same order as the data's upper bound."""
    decade = _solution_subsidy().loc[2011:2020]
    assert 0.5 * 19 <= decade.sum() <= 1.5 * 19
    assert decade.sum() > 5  # so option c (under $5bn) stays wrong


def test_stubs_and_written_task() -> None:
    for task_id in ("ex-04-1", "ex-04-3", "ex-04-4", "ex-04-6"):
        assert evaluate(task_id, ...).status == "not-answered"

    def stub(df, year, flow):
        """Docstring only."""
        # YOUR CODE HERE

    assert evaluate("ex-04-2", stub).status == "not-answered"
    assert evaluate("ex-04-5", "anything").status == "manual"


def test_a_partner_without_any_share_says_so_on_its_box_and_no_year_outside_is_named() -> None:
    explorer = explorers.TradeExplorer()
    assert explorer.boxes["China"].description == "China (no share in the data)"
    assert explorer.boxes["Russia"].description == "Russia"
    assert "besides 2018, which the data lack" in explorer.gaps.value
    assert "2010" not in explorer.gaps.value  # before the data begin
