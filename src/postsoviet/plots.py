"""The course's chart style, and chart helpers that follow the lesson checklist.

Every chart in the course has lowercase axis labels with units, a "source: ..." line,
colours from a colour-blind-safe palette with markers, line styles or hatching as a
second signal, and a sentence saying what it shows for readers who cannot see it.
:func:`line_chart` and :func:`bar_chart` do all of that; :func:`use_course_style`
gives charts that students draw with pyplot the same look.

Describing charts: what works where
-----------------------------------
Jupyter has no agreed place for an image's alt text. IPython and nbconvert use the
output metadata key ``{"image/png": {"alt": ...}}``: nbconvert's HTML export (and so
nbviewer) writes it into the ``<img>`` tag. JupyterLab 4 ignores it: its image
renderer (``@jupyterlab/rendermime``, checked in the 4.6 release shipped with this
project) sets only ``src``, ``width``, ``height`` and the background and unconfined
classes, and the proposal to standardise ``alt`` (jupyter/enhancement-proposals#120)
is still open. So a chart here is displayed as two outputs:

1. the PNG, as an HTML ``<img>`` with a short ``alt`` (naming the chart and pointing
   to the caption), which JupyterLab renders and screen readers read, plus the same PNG
   with ``alt`` metadata for nbconvert/nbviewer and that text as ``text/plain``;
2. a visible caption, "Figure: ...", as Markdown and plain text.

The caption is ordinary text in the notebook, so a screen reader reads it in
JupyterLab, on GitHub and in exported HTML alike, and it is what nbval compares (it
skips images), so a chart whose content changes fails the notebook check.

Displaying once
---------------
The helpers build figures with :class:`matplotlib.figure.Figure` directly, not with
pyplot, so the inline backend never sees them and cannot show them a second time at
the end of the cell; nothing needs closing. A helper's figure shows itself (with its
caption) when it is the last expression of a cell or is passed to ``display``. For a
figure made with pyplot, call :func:`show`, which displays it with a caption and
closes it in pyplot for the same reason.
"""

from __future__ import annotations

import base64
import difflib
import html
import io
import itertools
import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from postsoviet.display import MISSING, markdown_text, register_table_display

__all__ = [
    "COURSE_RC",
    "OKABE_ITO",
    "THEMES",
    "THEME_LABELS",
    "CourseFigure",
    "bar_chart",
    "describe_figure",
    "event_chart",
    "figure_outputs",
    "legend_beside",
    "line_chart",
    "new_figure",
    "show",
    "theme_label",
    "theme_style",
    "use_course_style",
]

#: The Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2002/2008): eight
#: colours that stay distinct for the common forms of colour-vision deficiency.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

# Order of use: strong contrasts first. Yellow is left out of the cycle: as a thin line
# on white it is too faint to read.
_COLOURS = [
    OKABE_ITO[name]
    for name in ("blue", "vermillion", "bluish green", "reddish purple", "orange", "sky blue")
] + [OKABE_ITO["black"]]
_MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
_LINESTYLES = ["-", "--", ":", "-.", "-", "--", ":"]
# Hatching is the second signal for grouped bars, which have no markers or line styles.
_HATCHES = ["", "//", "..", "xx", "\\\\", "oo", "--"]

_COURSE_RC: dict[str, Any] = {
    "axes.prop_cycle": cycler(color=_COLOURS)
    + cycler(marker=_MARKERS)
    + cycler(linestyle=_LINESTYLES),
    # 7 x 4 inches at 100 dpi: a 700 x 400 pixel PNG, readable in a notebook column
    # and small enough to keep committed notebooks light.
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 2.0,
    "lines.markersize": 6.0,
    "image.cmap": "cividis",
}

_SOURCE_COLOUR = "#444444"

#: The timeline's themes (the dataset's values, a contract) in the order charts list them.
THEMES = ("identity", "flags", "energy", "elections", "union", "2020-crisis", "after-2020")
#: What a reader sees for a theme where the stored value has a hyphen.
THEME_LABELS: dict[str, str] = {"2020-crisis": "2020 crisis", "after-2020": "after 2020"}


def theme_label(theme: str) -> str:
    """The display name of a timeline theme; the data keep their own values."""
    return THEME_LABELS.get(theme, theme)


def theme_style(theme: str) -> tuple[str, str]:
    """The one colour and marker of a timeline theme, the same in every chart of the course.

    Charts that number their groups would give a theme another look whenever a theme
    before it is left out; a fixed mapping keeps "energy" the same green square in
    lesson 01's two explorers and everywhere else.
    """
    number = THEMES.index(theme) if theme in THEMES else len(THEMES)
    return _COLOURS[number % len(_COLOURS)], _MARKERS[number % len(_MARKERS)]


def _date_axis(ax: Any) -> None:
    """Date ticks a reader can tell apart: at most seven, each written once, concisely."""
    locator = AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator, show_offset=False))


def use_course_style() -> None:
    """Apply the course style to matplotlib for the rest of the session.

    It only sets rcParams to fixed values, so calling it again changes nothing. The
    chart helpers apply the same style themselves; this call is for charts drawn
    directly with pyplot or pandas' ``.plot``. It also makes every DataFrame display as
    a student-facing table (:func:`postsoviet.display.register_table_display`).
    """
    mpl.rcParams.update(_COURSE_RC)
    # Tables too: every DataFrame a lesson shows reads as a table, not as pandas' repr.
    register_table_display()


class CourseFigure(Figure):
    """A matplotlib figure that carries a sentence describing it.

    It is an ordinary :class:`~matplotlib.figure.Figure` (``savefig``, ``axes`` and
    the rest work as usual). In a notebook it displays itself once, with its
    ``description`` as a caption: see the module docstring.
    """

    description: str = ""

    def _ipython_display_(self) -> None:
        show(self)


# --- describing ------------------------------------------------------------------------


def _number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _point(value: Any) -> str:
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return str(pd.Timestamp(value).date())
    if isinstance(value, (int, np.integer)):
        return str(value)  # years and counts: no thousands separator in "1994"
    if isinstance(value, (float, np.floating)):
        return _number(float(value))
    return str(value)


def _list(items: Sequence[str], limit: int = 12) -> str:
    shown = list(items[:limit])
    if len(items) > limit:
        shown.append(f"and {len(items) - limit} more")
    return "; ".join(shown)


def _source_text(fig: Figure) -> str | None:
    for text in fig.texts:
        if text.get_text().startswith("source: "):
            return " ".join(text.get_text().split())
    return None


def describe_figure(fig: Figure) -> str:
    """A sentence or two saying what *fig* shows, for readers who cannot see it.

    A chart made by :func:`line_chart` or :func:`bar_chart` returns the description it
    was given or built from its data. For any other figure the description is built
    from what matplotlib knows (titles, axis labels, how many lines and bars, the
    source line): accurate but general, so pass a sentence of your own to :func:`show`
    when you can say what the reader should notice.
    """
    description = getattr(fig, "description", "")
    if description:
        return description
    parts = []
    for ax in fig.axes:
        title = ax.get_title() or ax.get_title("left") or "untitled"
        lines = [line.get_label() for line in ax.get_lines()]
        bars = sum(len(container) for container in ax.containers)
        content = []
        if lines:
            content.append(f"{len(lines)} line{'s' if len(lines) != 1 else ''}")
        if bars:
            content.append(f"{bars} bar{'s' if bars != 1 else ''}")
        sentence = f"Chart '{title}' with {' and '.join(content) or 'no lines or bars'}"
        if ax.get_xlabel() or ax.get_ylabel():
            sentence += f", {ax.get_ylabel() or 'values'} against {ax.get_xlabel() or 'x'}"
        parts.append(sentence + ".")
    source = _source_text(fig)
    if source:
        parts.append(source[0].upper() + source[1:] + ".")
    return " ".join(parts) or "An empty figure."


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # No "Software" entry, so the bytes do not change with the matplotlib version.
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def figure_outputs(fig: Figure, description: str | None = None) -> list[dict[str, Any]]:
    """The two display outputs of a chart (image with alt text, then its caption).

    Shared by :func:`show` and by widgets that put charts into an ``Output`` widget
    directly, which keeps the chart out of the cell's own outputs in every client.
    """
    text = description or describe_figure(fig)
    title = next((ax.get_title() or ax.get_title("left") for ax in fig.axes), "").rstrip(".")
    alt = (
        f"Chart: {title}. Described in the caption below."
        if title
        else "Chart, described in the caption below."
    )
    png = base64.b64encode(_png(fig)).decode("ascii")
    image = {
        # JupyterLab renders this HTML first, and keeps its alt text for screen
        # readers; other front ends fall back to the PNG with alt metadata.
        "text/html": f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt)}">',
        "image/png": png,
        "text/plain": alt,
    }
    caption = {
        "text/markdown": f"*Figure:* {markdown_text(text)}",
        "text/plain": f"Figure: {text}",
    }
    return [
        {"output_type": "display_data", "data": image, "metadata": {"image/png": {"alt": alt}}},
        {"output_type": "display_data", "data": caption, "metadata": {}},
    ]


def show(fig: Figure, description: str | None = None) -> None:
    """Display *fig* once in a notebook, with a caption saying what it shows.

    Args:
        fig: any matplotlib figure (from a helper here, or from pyplot).
        description: the sentence for readers who cannot see the chart. Defaults to
            :func:`describe_figure`. Prefer writing one that says what to notice.

    A figure that pyplot manages is closed afterwards, so the inline backend does not
    display it a second time at the end of the cell.
    """
    from IPython.display import display

    for output in figure_outputs(fig, description):
        display(output["data"], raw=True, metadata=output["metadata"])
    if fig.canvas.manager is not None:  # made by pyplot
        import matplotlib.pyplot as plt

        plt.close(fig)


# --- checking input --------------------------------------------------------------------


def _check_frame(function: str, df: Any, columns: dict[str, str | None]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(
            f"{function} needs a pandas DataFrame, but it was given a {type(df).__name__}."
        )
    if df.empty:
        raise ValueError(
            f"{function} was given a DataFrame with no rows, so there is nothing to plot."
        )
    for role, column in columns.items():
        if column is None:
            continue
        if column not in df.columns:
            available = ", ".join(map(str, df.columns))
            message = (
                f"{function}: the data has no column {column!r} (asked for as {role}). "
                f"Its columns are: {available}."
            )
            close = difflib.get_close_matches(str(column), list(map(str, df.columns)), n=1)
            if close:
                message += f" Did you mean {close[0]!r}?"
            raise ValueError(message)


def _check_numeric(function: str, df: pd.DataFrame, column: str) -> None:
    if not pd.api.types.is_numeric_dtype(df[column]) or pd.api.types.is_bool_dtype(df[column]):
        raise ValueError(
            f"{function}: column {column!r} holds {df[column].dtype} values, not numbers, "
            "so it cannot go on the value axis."
        )


def _check_labels(function: str, title: str, xlabel: str, ylabel: str, source: str) -> str:
    for name, value in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{function}: {name} must be a non-empty string.")
    for name, value in (("xlabel", xlabel), ("ylabel", ylabel)):
        word = value.split()[0]
        if word[0].isupper() and not word.isupper():
            suggestion = value[0].lower() + value[1:]
            raise ValueError(
                f"{function}: axis labels start in lower case in the course style, "
                f"so write {name}={suggestion!r} rather than {value!r}."
            )
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{function}: every chart needs a source; pass source='...'.")
    text = source.strip()
    if text.lower().startswith("source:"):
        text = text[len("source:") :].strip()
    return text


def _check_unique(function: str, df: pd.DataFrame, keys: list[str]) -> None:
    repeated = df[df.duplicated(keys, keep=False)]
    if not repeated.empty:
        first = repeated.iloc[0]
        where = ", ".join(f"{key} {_point(first[key])}" for key in keys)
        raise ValueError(
            f"{function}: {len(repeated)} rows repeat a value of {' and '.join(keys)} "
            f"(the first has {where}), so one point would get several values. Filter the "
            "data first (for example to one status and one base) or aggregate it."
        )


# --- building --------------------------------------------------------------------------


def _new_figure(title: str, xlabel: str, ylabel: str, source: str) -> tuple[CourseFigure, Any]:
    """A figure with one axes, its labels and the source line; call in the course style."""
    fig = CourseFigure(layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    # supxlabel, unlike a plain fig.text, gets room from the constrained layout.
    fig.supxlabel(
        textwrap.fill(f"source: {source}", width=110),
        x=0.01,
        ha="left",
        fontsize="small",
        color=_SOURCE_COLOUR,
    )
    return fig, ax


#: Room a legend beside the axes may take before the figure grows (inches), and the
#: widest the figure grows to: about the width of a JupyterLab output area at 100 dpi.
_LEGEND_ROOM_INCHES = 0.75
_WIDEST_INCHES = 9.5


def legend_beside(ax: Any, *args: Any, **kwargs: Any) -> Any:
    """A legend to the right of the axes, the figure widened by the legend's width.

    A legend of long entries beside the axes took half the figure and left the plot
    squeezed; growing the figure keeps the plot its room (up to ``_WIDEST_INCHES``).
    ``args`` and ``kwargs`` are as for ``Axes.legend``.
    """
    legend = ax.legend(*args, loc="upper left", bbox_to_anchor=(1.01, 1.0), **kwargs)
    fig = ax.figure
    extra = legend.get_window_extent().width / fig.dpi - _LEGEND_ROOM_INCHES
    width, height = fig.get_size_inches()
    if extra > 0:
        fig.set_size_inches(min(width + extra, max(width, _WIDEST_INCHES)), height)
    return legend


def _x_values(series: pd.Series) -> Any:
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    if pd.api.types.is_numeric_dtype(series):
        return series.to_numpy(dtype=float, na_value=np.nan)
    return series.astype(str)


def line_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    by: str | None = None,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    description: str | None = None,
) -> CourseFigure:
    """A line chart of *y* against *x*, one line per value of *by*.

    Args:
        df: the data, one row per point.
        x, y: column names for the horizontal axis and the values.
        by: column whose values name the lines (in order of first appearance); one
            line if ``None``.
        title: what the chart shows, in sentence case.
        xlabel, ylabel: axis labels, lower case, with units, e.g. ``"share of votes
            (% of participants)"``.
        source: where the figures come from; drawn as "source: ..." under the axes.
        description: a sentence for readers who cannot see the chart; if omitted one is
            built from the data (first, last and highest value of each line).

    Returns:
        The figure, not yet displayed. Make it the last expression of a cell (or pass
        it to ``display``) to show it once with its caption.

    Raises:
        ValueError: a column is missing or not numeric, a label is capitalised, the
            source is empty, or one line has two values at the same *x*.
    """
    _check_frame("line_chart", df, {"x": x, "y": y, "by": by})
    _check_numeric("line_chart", df, y)
    source = _check_labels("line_chart", title, xlabel, ylabel, source)
    _check_unique("line_chart", df, [x] if by is None else [by, x])

    groups = [(None, df)] if by is None else [(key, df[df[by] == key]) for key in df[by].unique()]
    summaries = []
    with mpl.rc_context(_COURSE_RC):
        fig, ax = _new_figure(title, xlabel, ylabel, source)
        for key, part in groups:
            part = part.sort_values(x)
            values = part[y].astype(float)
            label = ylabel if key is None else str(key)
            ax.plot(_x_values(part[x]), values.to_numpy(na_value=np.nan), label=label)
            known = part.loc[values.notna()]
            if not known.empty:
                first, last = known.iloc[0], known.iloc[-1]
                summary = f"{label}: {_point(first[y])} in {_point(first[x])}"
                if len(known) > 1:
                    summary += f", {_point(last[y])} in {_point(last[x])}"
                top = known.loc[known[y].astype(float).idxmax()]
                if top.name not in (first.name, last.name):
                    summary += f", highest {_point(top[y])} in {_point(top[x])}"
                summaries.append(summary)
        if by is not None:
            legend_beside(ax)
        if pd.api.types.is_integer_dtype(df[x]):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins="auto"))
        if pd.api.types.is_datetime64_any_dtype(df[x]):
            _date_axis(ax)
    lines = "one line" if by is None else f"{len(groups)} lines, one per {by}"
    fig.description = description or (
        f"Line chart: {title.rstrip('.')}. It plots {ylabel} against {xlabel} ({lines}). "
        f"{_list(summaries)}. Source: {source}."
    )
    return fig


def _fit_value_labels(fig: Figure, ax: Any, labels: Sequence[Any]) -> None:
    """Turn bar value labels upright when side by side they would run into each other.

    Many bars of high values ("17.52" over each of twenty years) leave less width per bar
    than a label needs; upright, each label fits over its own bar. The y-axis then grows
    so that the tallest label fits under the title.
    """
    shown = [label for label in labels if label.get_text()]
    # Measured before the layout, when the axes are a little narrower than drawn: a
    # near miss turns upright too, and the common case costs no extra draw.
    boxes = [label.get_window_extent() for label in shown]
    if not any(a.x1 > b.x0 for a, b in itertools.pairwise(boxes)):
        return
    for label in shown:
        label.set_rotation(90)
        # Beyond the bar's end: above a positive bar, below a negative one (inside the
        # bar, a label hid its minus sign in the bar's colour).
        label.set_verticalalignment("bottom" if label.xy[1] >= 0 else "top")
    fig.draw_without_rendering()  # the layout sets the axes' height in pixels
    low, high = ax.get_ylim()
    height = ax.get_window_extent().height
    top, bottom = high, low
    for label in shown:
        value = label.xy[1]
        box, end = label.get_window_extent(), ax.transData.transform((0, value))[1]
        # The limit at which this label ends just inside the axes, its length in pixels
        # unchanged: the bar then takes (value - low) / (top - low) of the axes' height.
        above, below = box.y1 - end, end - box.y0
        if value >= 0 and height > above > 0:
            top = max(top, low + (value - low) * height / (height - above))
        elif value < 0 and height > below > 0:
            bottom = min(bottom, high - (high - value) * height / (height - below))
    ax.set_ylim(bottom * 1.02 if bottom < low else low, top * 1.02 if top > high else high)


def bar_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    by: str | None = None,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    description: str | None = None,
) -> CourseFigure:
    """A bar chart of *y* for each category in *x*; grouped bars if *by* is given.

    Categories and groups keep the order in which they first appear in *df*, so sort
    the data to order the bars. With *by*, each group has its own colour and hatching;
    a missing (category, group) pair leaves a gap. Single-series bars carry their
    values as labels.

    Arguments, return value and errors are as for :func:`line_chart`; *xlabel* names
    the categories and *ylabel* the values.
    """
    _check_frame("bar_chart", df, {"x": x, "y": y, "by": by})
    _check_numeric("bar_chart", df, y)
    source = _check_labels("bar_chart", title, xlabel, ylabel, source)
    _check_unique("bar_chart", df, [x] if by is None else [x, by])

    categories = [str(value) for value in df[x].unique()]
    positions = np.arange(len(categories))
    summaries = []
    with mpl.rc_context(_COURSE_RC):
        fig, ax = _new_figure(title, xlabel, ylabel, source)
        if by is None:
            values = df[y].astype(float).to_numpy(na_value=np.nan)
            bars = ax.bar(positions, values, color=_COLOURS[0], width=0.7)
            ax.margins(y=0.08)  # room for the value labels under the title
            _fit_value_labels(fig, ax, ax.bar_label(bars, fmt="{:g}", padding=2, fontsize="small"))
            summaries = [f"{c} {_point(v)}" for c, v in zip(categories, values, strict=True)]
        else:
            groups = list(df[by].unique())
            table = df.assign(**{x: df[x].astype(str)}).pivot(index=x, columns=by, values=y)
            table = table.reindex(index=categories, columns=groups).astype(float)
            width = 0.8 / len(groups)
            for number, group in enumerate(groups):
                offset = (number - (len(groups) - 1) / 2) * width
                ax.bar(
                    positions + offset,
                    table[group].to_numpy(na_value=np.nan),
                    width=width,
                    label=str(group),
                    color=_COLOURS[number % len(_COLOURS)],
                    hatch=_HATCHES[number % len(_HATCHES)],
                    edgecolor="white",
                    linewidth=0.5,
                )
                for position, value in zip(positions + offset, table[group], strict=True):
                    if np.isnan(value):  # a gap that says what it is, as the tables do
                        ax.text(
                            position,
                            0,
                            f" {MISSING}",
                            rotation=90,
                            ha="center",
                            va="bottom",
                            fontsize="x-small",
                            color=_SOURCE_COLOUR,
                        )
                pairs = [
                    f"{c} {_point(v)}"
                    for c, v in zip(categories, table[group], strict=True)
                    if not np.isnan(v)
                ]
                summaries.append(f"{group}: {', '.join(pairs)}")
            legend_beside(ax)
        ax.set_xticks(positions, categories)
        ax.grid(False, axis="x")
        if len(categories) > 4 and max(map(len, categories)) > 8:
            ax.tick_params(axis="x", labelrotation=30)
            for label in ax.get_xticklabels():
                label.set_horizontalalignment("right")
    grouping = "" if by is None else f", grouped by {by}"
    fig.description = description or (
        f"Bar chart: {title.rstrip('.')}. It shows {ylabel} for each {xlabel}{grouping}. "
        f"{_list(summaries)}. Source: {source}."
    )
    return fig


def event_chart(
    df: pd.DataFrame,
    *,
    date: str,
    group: str,
    until: Any = None,
    title: str,
    source: str,
    description: str,
) -> CourseFigure:
    """Events as markers on a date axis, one row per group; those after ``until`` faded.

    Each group has its own colour *and* marker shape (:func:`theme_style`, the same in
    every chart), its display name (:func:`theme_label`) and its row, in the course's
    order of themes in every chart. Events after ``until`` are drawn as hollow grey
    markers, so "known" and "not yet known" differ by fill as well as colour, and a
    labelled dashed line marks ``until``. Without ``until`` every event is drawn filled,
    with no line.
    """
    _check_frame("event_chart", df, {"date": date, "group": group})
    source = _check_labels("event_chart", title, "date", group, source)
    seen = list(dict.fromkeys(df[group]))
    groups = sorted(
        seen, key=lambda g: (THEMES.index(g) if g in THEMES else len(THEMES), seen.index(g))
    )
    cutoff = pd.Timestamp.max if until is None else pd.Timestamp(until)
    with mpl.rc_context(_COURSE_RC):
        fig, ax = _new_figure(title, "date", group, source)
        for number, name in enumerate(groups):
            rows = df[df[group] == name]
            known, later = rows[rows[date] <= cutoff], rows[rows[date] > cutoff]
            colour, marker = theme_style(str(name))
            ax.plot(
                later[date],
                [number] * len(later),
                linestyle="none",
                marker=marker,
                markerfacecolor="none",
                color="#9a9a9a",
            )
            ax.plot(
                known[date],
                [number] * len(known),
                linestyle="none",
                marker=marker,
                color=colour,
                label=theme_label(str(name)),
            )
        if until is not None:
            ax.axvline(cutoff, color=_SOURCE_COLOUR, linestyle="--", linewidth=1)
            ax.annotate(
                "known by then",
                xy=(cutoff, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(-3, -2),
                textcoords="offset points",
                ha="right",
                va="top",
                fontsize="x-small",
                color=_SOURCE_COLOUR,
            )
        ax.set_yticks(range(len(groups)), [theme_label(str(g)) for g in groups])
        ax.set_ylim(-0.7, len(groups) - 0.3)
        ax.grid(axis="y", visible=False)
        _date_axis(ax)
    fig.description = description
    return fig


# --- for other course figures (the map) ------------------------------------------------

#: The course's matplotlib settings, for figures drawn outside the helpers above.
COURSE_RC = _COURSE_RC
#: A figure with the course's title, axis labels and source line (call inside COURSE_RC).
new_figure = _new_figure
