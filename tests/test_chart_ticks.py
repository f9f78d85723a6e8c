"""No overlapping text in any chart the lessons draw, measured with matplotlib's renderer.

A stored chart is a PNG: its label boxes are known only while the figure exists. So this
test builds every figure the lessons and their explorers show (each explorer in every
state a reader can step to, where the states are few, and its start and ends otherwise),
draws it, and compares the window extents of the tick labels on each axis, and of the
titles against everything else. One deliberately crowded chart shows the check failing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator

import matplotlib.dates as mdates
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from postsoviet import flags, forensics, maps, plots
from postsoviet.explorers import article, elections, energy, identity, relations
from postsoviet.explorers import flags as flag_explorer


def _visible(texts: list[Text]) -> list[Text]:
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def _overlaps(boxes: list[tuple[str, Bbox]], gap: float = 3.0) -> list[str]:
    """Pairs of boxes closer than ``gap`` pixels: labels that touch read as one
    ("20042007"), so touching counts as overlapping."""
    found = []
    for i, (name_a, a) in enumerate(boxes):
        for name_b, b in boxes[i + 1 :]:
            if a.padded(gap / 2).overlaps(b.padded(gap / 2)):
                found.append(f"{name_a!r} overlaps {name_b!r}")
    return found


def _rotated_overlaps(labels: list[Text], renderer: object) -> list[str]:
    """Slanted labels: their boxes are parallel strips one line high, so two neighbours
    overlap when the gap between them, measured across the slant, is under a line."""
    found = []
    for a, b in itertools.pairwise(labels):
        angle = math.radians(a.get_rotation())
        line = a.get_fontsize() * a.figure.dpi / 72
        gap = abs(a.get_window_extent(renderer).x1 - b.get_window_extent(renderer).x1) * abs(
            math.sin(angle)
        )
        if gap < line * 0.9:
            found.append(f"{a.get_text()!r} overlaps {b.get_text()!r}")
    return found


def text_overlaps(fig: Figure) -> list[str]:
    """Pairs of texts that overlap on the drawn figure: tick labels per axis, and titles."""
    canvas = FigureCanvasAgg(fig)  # the renderer the PNG is drawn with
    canvas.draw()
    renderer = canvas.get_renderer()
    problems = []
    for ax in fig.axes:
        shown = [axis for axis in (ax.xaxis, ax.yaxis) if ax.axison and axis.get_visible()]
        for axis in shown:
            labels = _visible(axis.get_ticklabels())
            if labels and labels[0].get_rotation() % 180:
                problems += _rotated_overlaps(labels, renderer)
            else:
                boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
                problems += _overlaps(boxes)
        titles = _visible([ax.title, ax._left_title, ax._right_title])
        others = _visible([*ax.texts, *(t for a in shown for t in a.get_ticklabels())])
        others += _visible([a.label for a in shown])
        for title in titles:
            problems += [
                p
                for p in _overlaps(
                    [(title.get_text(), title.get_window_extent(renderer))]
                    + [(t.get_text(), t.get_window_extent(renderer)) for t in others]
                )
                if p.startswith(repr(title.get_text()))
            ]
    headline = _visible([t for t in (fig._suptitle, fig._supxlabel) if t is not None])
    titles = _visible([t for ax in fig.axes for t in (ax.title, ax._left_title, ax._right_title)])
    for head in headline:
        problems += [
            p
            for p in _overlaps(
                [(head.get_text(), head.get_window_extent(renderer))]
                + [(t.get_text(), t.get_window_extent(renderer)) for t in titles]
            )
            if p.startswith(repr(head.get_text()))
        ]
    return problems


def _charts() -> Iterator[tuple[str, Callable[[], Figure]]]:
    for date, _label in article.MILESTONES:
        yield f"known by {date}", lambda d=date: article.known_by_figure(d)
    for _label, start, end in article.RANGES:
        yield (
            f"timeline {start}",
            lambda s=start, e=end: article.timeline_figure(article.THEMES, s, e),
        )
    for year, round_ in elections.elections_list():
        for base in elections.BASES:
            yield (
                f"election {year}/{round_} {base}",
                lambda y=year, r=round_, b=base: elections.election_figure(y, r, b),
            )
    yield "fingerprint", lambda: forensics.fingerprint_figure(forensics.synthetic_stations())
    clean, stuffed = forensics.synthetic_stations(stuffing_rate=0.0), forensics.synthetic_stations()
    yield "fingerprint pair", lambda: forensics.fingerprint_pair_figure(clean, stuffed)
    for smoothing in relations.SMOOTHING:
        for period in range(len(relations.PERIODS)):
            yield (
                f"relations {smoothing}/{period}",
                lambda s=smoothing, p=period: relations.relations_figure(s, p),
            )
    yield "gas prices", energy.gas_price_figure
    yield "subsidy", energy.subsidy_figure
    yield "subsidy 2012-2019", lambda: energy.subsidy_figure(2012, 2019)
    for flow in ("exports", "imports"):
        yield f"trade {flow}", lambda f=flow: energy.trade_figure(f)
    for year in sorted({*(p.start for p in flag_explorer.PERIODS), 1918, 2025}):
        yield f"flags {year}", lambda y=year: flag_explorer.year_figure(y)
    yield "white-red-white", lambda: flags.flag_figure("white-red-white")
    for name in flags.FIGURES:
        yield f"flags figure {name}", lambda n=name: flags.lesson_figure(n)
    yield "official result", article.official_result_figure
    yield "region map", maps.region_map
    yield "early voting", elections.early_voting_figure
    yield "ethnicity", identity.ethnicity_figure
    yield "census trend", identity.trend_figure
    for year in identity.CENSUS_YEARS:
        for question in identity.QUESTIONS:
            yield (
                f"census {year} {question}",
                lambda y=year, q=question: identity.census_figure(y, q, "all"),
            )


CHARTS = dict(_charts())


@pytest.mark.parametrize("name", list(CHARTS))
def test_no_overlapping_labels(name: str) -> None:
    assert not text_overlaps(CHARTS[name]()), name


def test_the_check_fails_on_crowded_date_ticks() -> None:
    """The old default: a label every month on a 7-inch axis overlaps its neighbours."""
    days = pd.date_range("2020-01-01", "2020-09-30", freq="MS")
    fig = plots.line_chart(
        pd.DataFrame({"date": days, "n": range(len(days))}),
        "date",
        "n",
        title="Crowded",
        xlabel="date",
        ylabel="events",
        source="a test",
    )
    ax = fig.axes[0]
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %B %Y"))
    assert text_overlaps(fig)
