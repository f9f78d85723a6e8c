"""Lesson 04 (energy dependence): the subsidy calculator and the trade dependence explorer.

Both follow the explorer contract of the course: keyboard-only controls (buttons, number
boxes, tick boxes), one chart put into an ``Output`` widget's state, one ``role="status"``
line, a plain-text fallback, and a text-mode twin that returns the same numbers as a
table (:func:`subsidy_table`, :func:`trade_table`). The calculations live in
:mod:`postsoviet.energy`.
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as widgets
import pandas as pd

from postsoviet import data, energy, plots
from postsoviet.display import html_text
from postsoviet.explorers._base import ChartCache, TextFallback, chosen_text, in_turn

__all__ = [
    "SubsidyExplorer",
    "TradeExplorer",
    "gas_price_figure",
    "subsidy_figure",
    "subsidy_table",
    "trade_figure",
    "trade_table",
]

GAS_SOURCE = (
    "course gas_prices dataset (price Belarus paid: Belstat, Gazprom, Belarusian officials; "
    "European average: Gazprom executives); volume and reference are assumptions"
)
PRICE_SOURCE = (
    "course gas_prices dataset (price Belarus paid: Belstat, Gazprom, Belarusian officials; "
    "European average: Gazprom executives)"
)
TRADE_SOURCE = "course trade dataset (Belstat figures as quoted by the sources on each row)"
FIRST_YEAR, LAST_YEAR = 2002, 2021
EUROPE = "Gazprom's European average"


def _years_without_data(years: Iterable[int]) -> str:
    """2007-2011, 2015 and 2017: a short list of years, with runs joined."""
    values = sorted(int(year) for year in years)
    runs: list[list[int]] = []
    for year in values:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _span_label(first: int, last: int) -> str:
    """The years as a label: "2012-2019", or "2003" rather than "2003-2003"."""
    return str(first) if first == last else f"{first}-{last}"


def _unpriced_years(table: pd.DataFrame, first: int, last: int) -> list[int]:
    """The years from ``first`` to ``last`` that the price data has no row for (2003)."""
    present = set(table["year"].astype(int))
    return [year for year in range(first, last + 1) if year not in present]


def subsidy_table(
    first: int = FIRST_YEAR,
    last: int = LAST_YEAR,
    reference: float | None = None,
    volume_bcm: float = energy.DEFAULT_VOLUME_BCM,
) -> pd.DataFrame:
    """The calculator's numbers as a table: the text-mode twin of :class:`SubsidyExplorer`."""
    return energy.implied_subsidy(
        volume_bcm=volume_bcm, reference=reference, first=first, last=last
    )


def _reference_label(reference: float | None) -> str:
    return EUROPE if reference is None else f"a fixed ${reference:g} per 1000 m³"


def subsidy_figure(
    first: int = FIRST_YEAR,
    last: int = LAST_YEAR,
    reference: float | None = None,
    volume_bcm: float = energy.DEFAULT_VOLUME_BCM,
) -> plots.CourseFigure:
    """Bars of the implied subsidy per year; years without a reference have no bar.

    Years the price data skips (2003) still get their place on the axis, empty, so the
    bars are not read as consecutive years; the caption names them apart from the years
    that have a price but no reference.
    """
    table = subsidy_table(first, last, reference, volume_bcm)
    known = table[table["subsidy_usd_bn"].notna()]
    unpriced = _unpriced_years(table, first, last)
    shown = (
        table.set_index("year")
        .reindex(range(first, last + 1))
        .rename_axis("year")
        .reset_index()
        .rename(columns={"subsidy_usd_bn": "implied subsidy"})
    )
    shown["year"] = shown["year"].astype(str)
    shown["implied subsidy"] = shown["implied subsidy"].round(2)
    values = "; ".join(f"{row.year} {row.subsidy_usd_bn:.2f}" for row in known.itertuples())
    blank = table.loc[table["subsidy_usd_bn"].isna(), "year"]
    description = (
        f"Bar chart of the implied Russian gas subsidy to Belarus, in billion US dollars per "
        f"year, {_span_label(first, last)}, assuming {volume_bcm:g} bcm a year and "
        f"{_reference_label(reference)} as the reference price. "
        + (
            f"Values: {values}. Total {known['subsidy_usd_bn'].sum():.1f} billion. "
            if len(known)
            else ""
        )
        + (f"No bar for {_years_without_data(blank)}: no reference price. " if len(blank) else "")
        + (
            f"No bar for {_years_without_data(unpriced)}: the dataset has no price for "
            f"{'that year' if len(unpriced) == 1 else 'those years'}. "
            if unpriced
            else ""
        )
        + f"Source: {GAS_SOURCE}."
    )
    fig = plots.bar_chart(
        shown,
        x="year",
        y="implied subsidy",
        title=f"Implied gas subsidy, {_span_label(first, last)} (an estimate)",
        xlabel="year",
        ylabel="implied subsidy (billion usd)",
        source=GAS_SOURCE,
        description=description,
    )
    ax = fig.axes[0]
    ax.axhline(0, color="#444444", linewidth=0.8)
    if len(shown) > 8:
        ax.tick_params(axis="x", labelrotation=60)
    return fig


#: How each kind of price in ``gas_prices`` is drawn and named on the chart: the marker is
#: the signal, so a contract price and an annual average never look like one series.
PRICE_KINDS: dict[str, tuple[str, str]] = {
    "annual_average": ("o", "annual average (Belstat or Gazprom)"),
    "contract": ("s", "contract price for the year"),
    "most_of_year": ("^", "price in force most of the year"),
    "second_half": ("v", "price for July-December only"),
    "quoted_current": ("D", "price an official called current"),
}
EUROPE_KINDS: dict[str, tuple[str, str]] = {
    "annual_average": ("P", "Gazprom's European average, reported"),
    "year_end_estimate": ("X", "Gazprom's European average, expected at year end"),
}


def gas_price_figure() -> plots.CourseFigure:
    """The price Belarus paid against Gazprom's European average, 2002-2021.

    The dataset mixes annual averages, contract prices, part-year prices and year-end
    forecasts; each kind gets its own marker and legend entry (read from ``price_kind``
    and ``europe_reference_kind``), and the thin line joining the Belarusian prices is
    only a guide for the eye.
    """
    prices = data.load("gas_prices")
    unknown = set(prices["price_kind"]) - set(PRICE_KINDS)
    unknown |= set(prices["europe_reference_kind"].dropna()) - set(EUROPE_KINDS)
    if unknown:
        raise ValueError(f"gas_price_figure has no marker for price kind(s) {sorted(unknown)}")
    paid = prices[["year", "usd_per_1000m3"]].assign(series="price Belarus paid")
    years = range(int(prices["year"].min()), int(prices["year"].max()) + 1)
    paid = paid.set_index("year").reindex(years).assign(series="price Belarus paid")
    paid = paid.rename_axis("year").reset_index()
    first, last = prices.iloc[0], prices.iloc[-1]
    ratios = prices.dropna(subset=["europe_reference_usd"])
    share = (ratios["usd_per_1000m3"] / ratios["europe_reference_usd"] * 100).round()
    counts = prices["price_kind"].map(lambda kind: PRICE_KINDS[kind][1]).value_counts()
    kinds = "; ".join(f"{label}: {count}" for label, count in counts.items())
    estimates = ratios.loc[ratios["europe_reference_kind"] == "year_end_estimate", "year"]
    description = (
        "Chart of gas prices in US dollars per 1000 cubic metres, 2002-2021. The price "
        f"Belarus paid rose from ${first.usd_per_1000m3:g} in {first.year} to a peak of "
        f"${prices['usd_per_1000m3'].max():g} in "
        f"{int(prices.loc[prices['usd_per_1000m3'].idxmax(), 'year'])}, "
        f"then fell back to ${last.usd_per_1000m3:g} in {last.year}. The yearly figures are "
        f"of different kinds, each with its own marker ({kinds}); a thin line joins them "
        "for reading only. Gazprom's European average, shown as separate points for the "
        f"{len(ratios)} years where Gazprom stated it (in "
        f"{' and '.join(str(year) for year in estimates)} an average expected at year end), "
        f"was always higher: Belarus paid between {share.min():g}% and {share.max():g}% of "
        f"it. 2003 is missing. Source: {PRICE_SOURCE}."
    )
    fig = plots.line_chart(
        paid,
        x="year",
        y="usd_per_1000m3",
        title="Russian gas: what Belarus paid and Gazprom's European average",
        xlabel="year",
        ylabel="price (usd per 1000 m³)",
        source=PRICE_SOURCE,
        description=description,
    )
    ax = fig.axes[0]
    guide = ax.get_lines()[0]
    guide.set(marker="none", linewidth=1.0, linestyle=":", color="#777777", label="_guide")
    colour = plots.OKABE_ITO["blue"]
    for kind, (marker, label) in PRICE_KINDS.items():
        part = prices[prices["price_kind"] == kind]
        if not part.empty:
            ax.plot(
                part["year"],
                part["usd_per_1000m3"],
                linestyle="none",
                marker=marker,
                markersize=7,
                color=colour,
                label=f"Belarus: {label}",
            )
    for kind, (marker, label) in EUROPE_KINDS.items():
        part = ratios[ratios["europe_reference_kind"] == kind]
        if not part.empty:
            ax.plot(
                part["year"],
                part["europe_reference_usd"],
                linestyle="none",
                marker=marker,
                markersize=8,
                color=plots.OKABE_ITO["vermillion"],
                label=label,
            )
    plots.legend_beside(ax, fontsize="small")
    ax.set_ylim(bottom=0)
    return fig


def _assumptions_html(first: int, last: int, reference: float | None, volume: float) -> str:
    table = subsidy_table(first, last, reference, volume)
    blank = table.loc[table["subsidy_usd_bn"].isna(), "year"]
    items = [
        f"<li><strong>Years:</strong> {first} to {last}</li>",
        f"<li><strong>Reference price:</strong> {html_text(_reference_label(reference))}"
        + (
            " (the average price Gazprom said it charged in Europe, where it said so)"
            if reference is None
            else " in every year"
        )
        + "</li>",
        f"<li><strong>Volume:</strong> {volume:g} bcm of gas a year, every year</li>",
        "<li><strong>Formula:</strong> (reference - price paid) × volume; "
        + html_text("$1 per 1000 m³ on 1 bcm is $1 million")
        + "</li>",
    ]
    if len(blank):
        items.append(
            f"<li><strong>No estimate</strong> for {_years_without_data(blank)}: "
            "no European reference price in the data (a blank, not a zero)</li>"
        )
    unpriced = _unpriced_years(table, first, last)
    if unpriced:
        items.append(
            f"<li><strong>No price at all</strong> for {_years_without_data(unpriced)} in "
            f"the dataset: the chart leaves {'its place' if len(unpriced) == 1 else 'their places'}"
            " empty</li>"
        )
    items.append(
        "<li><strong>Left out:</strong> transport to Europe, Russia's gas export duty, "
        "transit fees paid to Belarus, the Beltransgaz sales: so this is an upper-bound "
        "indication, not a measured transfer</li>"
    )
    return "<p><strong>Assumptions</strong></p><ul>" + "".join(items) + "</ul>"


class SubsidyExplorer(TextFallback, widgets.VBox):
    """Choose years, a reference price and a volume; see the implied subsidy per year."""

    def __init__(self) -> None:
        style = {"description_width": "initial"}
        self.first = widgets.BoundedIntText(
            value=FIRST_YEAR,
            min=FIRST_YEAR,
            max=LAST_YEAR,
            description="from year",
            style=style,
            layout=widgets.Layout(width="12em"),
        )
        self.last = widgets.BoundedIntText(
            value=LAST_YEAR,
            min=FIRST_YEAR,
            max=LAST_YEAR,
            description="to year",
            style=style,
            layout=widgets.Layout(width="12em"),
        )
        self.volume = widgets.BoundedIntText(
            value=int(energy.DEFAULT_VOLUME_BCM),
            min=5,
            max=40,
            description="volume (5-40 bcm a year, whole numbers)",
            style=style,
            layout=widgets.Layout(width="27em"),
        )
        self.less = widgets.Button(description="− 1 bcm", tooltip="One billion cubic metres less")
        self.more = widgets.Button(description="+ 1 bcm", tooltip="One billion cubic metres more")
        self.europe = widgets.Button(
            description=EUROPE,
            tooltip="Use Gazprom's own average price in Europe each year",
            layout=widgets.Layout(width="auto"),
        )
        self.fixed = widgets.Button(
            description="a fixed price",
            tooltip="Use the fixed price typed in the box",
            layout=widgets.Layout(width="auto"),
        )
        self.price = widgets.BoundedIntText(
            value=250,
            min=0,
            max=600,
            description="fixed price (0-600 USD per 1000 m³)",
            style=style,
            layout=widgets.Layout(width="26em"),
        )
        self.use_fixed = False
        self.status = widgets.HTML()
        self.chart = widgets.Output()
        self.charts = ChartCache(lambda key: plots.figure_outputs(subsidy_figure(*key)))
        self.assumptions = widgets.HTML(layout=widgets.Layout(max_width="22em"))
        # The buttons only: the volume steps set the volume box, whose own change is no
        # choice of control.
        self.track_controls([self.less, self.more, self.europe, self.fixed])
        self.less.on_click(lambda _b: self.step_volume(-1))
        self.more.on_click(lambda _b: self.step_volume(1))
        self.europe.on_click(lambda _b: self.choose_reference(fixed=False))
        self.fixed.on_click(lambda _b: self.choose_reference(fixed=True))
        for box in (self.first, self.last, self.volume):
            box.observe(lambda _change: self.draw(), names="value")
        self.price.observe(lambda _change: self.choose_reference(fixed=True), names="value")
        super().__init__(
            [
                widgets.HBox([self.first, self.last]),
                widgets.HBox([self.volume, self.less, self.more]),
                widgets.HBox([widgets.Label("reference:"), self.europe, self.fixed, self.price]),
                self.status,
                widgets.HBox(
                    [self.chart, self.assumptions],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"),
                ),
            ]
        )
        self.add_class("postsoviet-explorer")
        self.draw()

    @staticmethod
    def fallback() -> str:
        return (
            "Explorer: the implied Russian gas subsidy to Belarus, 2002-2021, under the "
            "assumptions you choose. Run this cell to use it, or type "
            "subsidy_table(2012, 2019, reference=None, volume_bcm=20) for the same numbers."
        )

    @property
    def reference(self) -> float | None:
        return float(self.price.value) if self.use_fixed else None

    def step_volume(self, by: int) -> None:
        self.volume.value = min(max(self.volume.value + by, self.volume.min), self.volume.max)

    def choose_reference(self, *, fixed: bool) -> None:
        self.use_fixed = fixed
        self.draw()

    def years(self) -> tuple[int, int]:
        first, last = int(self.first.value), int(self.last.value)
        return (first, last) if first <= last else (last, first)

    def draw(self) -> None:
        first, last = self.years()
        volume, reference = float(self.volume.value), self.reference
        self.less.disabled = self.volume.value <= self.volume.min
        self.more.disabled = self.volume.value >= self.volume.max
        self.europe.description = chosen_text(EUROPE, not self.use_fixed)
        self.fixed.description = chosen_text("a fixed price", self.use_fixed)
        self.chart.outputs = self.charts.get((first, last, reference, volume))
        table = subsidy_table(first, last, reference, volume)
        known = table["subsidy_usd_bn"].dropna()
        swapped = " (years swapped)" if int(self.first.value) > int(self.last.value) else ""
        total = known.sum()
        paid_more = " (Belarus paid more than the reference price)" if total < 0 else ""
        summary = (
            f"implied subsidy {'-' if total < 0 else ''}{html_text('$')}{abs(total):.1f} bn "
            f"in total over the {len(known)} year{'s' if len(known) != 1 else ''} that "
            f"{'have' if len(known) != 1 else 'has'} a reference price{paid_more}"
            if len(known)
            else "no year in this range has both a price paid and a reference price, so "
            "there is nothing to estimate"
        )
        self.status.value = (
            f'<span role="status"><strong>{_span_label(first, last)}</strong>{swapped}, reference '
            f"{html_text(_reference_label(reference))}, {volume:g} bcm a year: {summary}</span>"
        )
        # Next: a step of the volume, a reference, or a year one further or nearer.
        fixed = float(self.price.value)
        self.charts.prefetch(
            in_turn(
                [[(first, last, reference, volume + step)] for step in (-1, 1)]
                + [[(first, last, None, volume)], [(first, last, fixed, volume)]],
                self.last_used,
            )
            + [(first + d, last, reference, volume) for d in (1, -1) if first + d <= last]
            + [(first, last + d, reference, volume) for d in (-1, 1) if first <= last + d]
        )
        self.assumptions.value = _assumptions_html(first, last, reference, volume)


# --- trade dependence ----------------------------------------------------------------


def trade_table(flow: str = "exports", partners: tuple[str, ...] = energy.PARTNERS) -> pd.DataFrame:
    """Partner shares of one flow by year: the text-mode twin of :class:`TradeExplorer`."""
    return energy.trade_shares(flow, partners)


def trade_figure(
    flow: str = "exports", partners: tuple[str, ...] = energy.PARTNERS
) -> plots.CourseFigure:
    """Lines of partner shares over the years, with breaks where the data have none."""
    table = trade_table(flow, partners)
    with_data = [p for p in partners if table.loc[table["partner"] == p, "share_pct"].notna().any()]
    years = range(int(data.load("trade")["year"].min()), int(data.load("trade")["year"].max()) + 1)
    grid = pd.MultiIndex.from_product([with_data, years], names=["partner", "year"])
    shown = (
        table.set_index(["partner", "year"])["share_pct"].reindex(grid).reset_index()
        if with_data
        else pd.DataFrame({"partner": [], "year": [], "share_pct": []}).astype({"share_pct": float})
    )
    parts = []
    for partner in with_data:
        known = shown[(shown["partner"] == partner) & shown["share_pct"].notna()]
        points = ", ".join(f"{row.year} {row.share_pct:g}%" for row in known.itertuples())
        parts.append(f"{partner}: {points}")
    missing = [p for p in partners if p not in with_data]
    description = (
        f"Line chart of partners' shares of Belarus's goods {flow} (% of all goods {flow}), "
        f"{years.start}-{years.stop - 1}. "
        + ("; ".join(parts) + ". " if parts else "")
        + (f"No {flow} share in the data for {', '.join(missing)}. " if missing else "")
        + "Breaks in a line are years without a checked figure. "
        + f"Source: {TRADE_SOURCE}."
    )
    fig = plots.line_chart(
        shown,
        x="year",
        y="share_pct",
        by="partner",
        title=f"Who buys and sells: shares of Belarus's goods {flow}",
        xlabel="year",
        ylabel=f"share of goods {flow} (%)",
        source=TRADE_SOURCE,
        description=description,
    )
    ax = fig.axes[0]
    ax.set_ylim(0, 70)
    ax.set_xlim(years.start - 0.5, years.stop - 0.5)
    return fig


class TradeExplorer(TextFallback, widgets.VBox):
    """Exports or imports, and which partners: shares over time, gaps left as gaps."""

    def __init__(self) -> None:
        self.flow = "exports"
        trade = data.load("trade")
        # A partner with no share at all (China: the sources give only its share of all
        # trade) says so on its box, which would otherwise draw nothing without a word.
        empty = {
            partner
            for partner in energy.PARTNERS
            if trade.loc[trade["partner"] == partner, list(energy.FLOWS.values())]
            .isna()
            .all(axis=None)
        }
        self.boxes = {
            partner: widgets.Checkbox(
                value=True,
                description=partner + (" (no share in the data)" if partner in empty else ""),
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for partner in energy.PARTNERS
        }
        years = set(trade["year"])
        self.missing_years = [y for y in range(min(years), max(years) + 1) if y not in years]
        self.flow_buttons = {
            flow: widgets.Button(description=flow, tooltip=f"Show shares of Belarus's {flow}")
            for flow in energy.FLOWS
        }
        self.track_controls([*self.boxes.values(), *self.flow_buttons.values()])
        for flow, button in self.flow_buttons.items():
            button.on_click(lambda _b, f=flow: self.choose(f))
        for box in self.boxes.values():
            box.observe(lambda _change: self.draw(), names="value")
        self.status = widgets.HTML()
        self.chart = widgets.Output()
        self.charts = ChartCache(lambda key: plots.figure_outputs(trade_figure(*key)))
        self.gaps = widgets.HTML()
        super().__init__(
            [
                widgets.HBox([widgets.Label("partners:"), *self.boxes.values()]),
                widgets.HBox([widgets.Label("flow:"), *self.flow_buttons.values()]),
                self.status,
                self.chart,
                self.gaps,
            ]
        )
        self.add_class("postsoviet-explorer")
        self.draw()

    @staticmethod
    def fallback() -> str:
        return (
            f"Explorer: shares of {', '.join(energy.PARTNERS)} in Belarus's goods exports "
            'and imports, 2013-2021. Run this cell to use it, or type trade_table("imports") '
            "for the same numbers."
        )

    @property
    def partners(self) -> tuple[str, ...]:
        return tuple(partner for partner, box in self.boxes.items() if box.value)

    def choose(self, flow: str) -> None:
        self.flow = flow
        self.draw()

    def draw(self) -> None:
        for flow, button in self.flow_buttons.items():
            button.description = chosen_text(flow, flow == self.flow)
        partners = self.partners
        table = trade_table(self.flow, partners) if partners else None
        if table is None:
            self.status.value = (
                f'<span role="status"><strong>{self.flow}</strong>: no partner ticked</span>'
            )
            self.chart.outputs = (
                {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": "No partner to show: tick at least one.\n",
                },
            )
            self.gaps.value = ""
            return
        known = table.dropna(subset=["share_pct"])
        latest = ""
        if "Russia" in partners and (known["partner"] == "Russia").any():
            row = known[known["partner"] == "Russia"].iloc[-1]
            latest = f"; Russia {row.share_pct:g}% in {row.year}"
        self.status.value = (
            f'<span role="status"><strong>{self.flow}</strong>, partners: '
            f"{', '.join(partners)}: {len(known)} of {len(table)} year-partner shares "
            f"known{latest}</span>"
        )
        if known.empty:
            self.chart.outputs = (
                {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": f"No {self.flow} share in the data for {', '.join(partners)}: "
                    "nothing to draw (a blank is not a zero). Tick another partner.\n",
                },
            )
        else:
            self.chart.outputs = self.charts.get((self.flow, partners))
            # Next: one partner ticked or unticked, or the other flow.
            flips = [
                tuple(p for p in energy.PARTNERS if (p in partners) != (p == f))
                for f in energy.PARTNERS
            ]
            self.charts.prefetch(
                in_turn(
                    [[(self.flow, flipped)] for flipped in flips]
                    + [[(flow, partners)] for flow in energy.FLOWS],
                    self.last_used,
                )
            )
        blank = table[table["share_pct"].isna()]
        lines = []
        for partner in partners:
            years = blank.loc[blank["partner"] == partner, "year"]
            if len(years):
                lines.append(f"<li>{partner}: {_years_without_data(years)}</li>")
        lacking = (
            f", besides {_years_without_data(self.missing_years)}, which the data lack for "
            "every partner"
            if self.missing_years
            else ""
        )
        self.gaps.value = (
            f"<p>No checked {self.flow} share (a blank, not a zero){lacking}:</p>"
            f"<ul>{''.join(lines)}</ul>"
            if lines
            else ""
        )
