"""Flags drawn from their specifications, and read back from a drawn figure.

Lesson 03 compares flags, so the flags are data here: proportions, bands, the strip at the
hoist and its ornament, each with the legal act or reference work it comes from. A flag
is drawn with matplotlib patches from that data and nothing else, so a test can hold the
drawing against the specification, and the same reading code checks a student's drawing
of a flag (exercise 03) by what the figure shows, not by the code that made it.

What is faithful and what is not
--------------------------------
Bands, proportions and the width of the hoist strip are drawn exactly as specified.
Two things are simplified, and every figure's caption says so:

- the Belarusian folk ornament at the hoist is drawn as a column of diamonds of the
  specified width (the real pattern, set out in the standard STB 911-2008, is far more
  intricate);
- the gold hammer, sickle and star of the 1951 Soviet Belarusian flag are drawn as one
  gold star.

Colours: the texts checked for this course name colours ("red", "green") without
shades, except where noted in ``colour_note``; the hex values here are display colours
chosen for the course, and the tests check that each drawn colour is the specified one
and belongs to the named colour.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Polygon, Rectangle

from postsoviet import plots

__all__ = [
    "FIGURES",
    "SPECS",
    "Band",
    "FlagSpec",
    "Hoist",
    "UnknownFlagError",
    "colour_at",
    "colour_family",
    "draw_flag",
    "figure_axes",
    "flag_extent",
    "flag_figure",
    "flags_figure",
    "lesson_figure",
    "read_bands",
    "spec_table",
]


class UnknownFlagError(KeyError):
    """A flag key that is not in :data:`SPECS`; the message lists the keys there are."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0])


@dataclass(frozen=True)
class Band:
    """One horizontal band: its colour (a key of the flag's ``colours``) and share of height."""

    colour: str
    share: Fraction


@dataclass(frozen=True)
class Hoist:
    """The vertical strip at the hoist (staff side) and the ornament on it.

    ``width`` and ``ornament_width`` are shares of the flag's *length*, as the 1995
    decree measures the strip ("one ninth of the flag's length").
    """

    width: Fraction
    field: str
    ornament: str
    ornament_width: Fraction


@dataclass(frozen=True)
class FlagSpec:
    """A flag as a specification: what a law or reference work says it looks like."""

    key: str
    name: str
    height: int  # the ratio of height (the flag's "width" in the legal texts) ...
    length: int  # ... to length: 1:2 is height 1, length 2
    bands: tuple[Band, ...]  # top to bottom
    colours: dict[str, str] = field(compare=False)  # colour name -> display colour
    hoist: Hoist | None = None
    emblem: str = ""  # what the real flag carries that is drawn simplified
    in_use: str = ""
    legal_basis: str = ""
    sources: tuple[str, ...] = ()  # the original publishers and works, with their addresses
    # Where only a copy of a source could be read: kept for provenance, never shown as a source.
    read_at: tuple[str, ...] = ()
    colour_note: str = "Display colours chosen for the course; the texts checked name no shades."
    # A measurement the sources do not give, drawn by assumption; captions say so.
    assumed: str = ""

    @property
    def ratio(self) -> Fraction:
        """Height over length: 1/2 for a 1:2 flag."""
        return Fraction(self.height, self.length)

    @property
    def simplified(self) -> str:
        """What the drawing simplifies, as a sentence ("" when it is faithful)."""
        parts = []
        if self.hoist is not None:
            width = "" if self.assumed else " of the specified width"
            parts.append(f"the ornament is drawn as a column of diamonds{width}")
        if self.emblem:
            parts.append(f"the {self.emblem} are drawn as one gold star")
        if self.assumed:
            parts.append(self.assumed)
        return ("; ".join(parts) + ".") if parts else ""


_F = Fraction
_WHITE = "#FFFFFF"

SPECS: dict[str, FlagSpec] = {
    spec.key: spec
    for spec in (
        FlagSpec(
            key="white-red-white",
            name="White-red-white flag",
            height=1,
            length=2,
            bands=(Band("white", _F(1, 3)), Band("red", _F(1, 3)), Band("white", _F(1, 3))),
            colours={"white": _WHITE, "red": "#CC0000"},
            in_use=(
                "flag of the Belarusian People's Republic (1918); state flag of the Republic "
                "of Belarus from 19 September 1991 to 5 June 1995"
            ),
            legal_basis=(
                "adopted as the state flag by the Supreme Council on 19 September 1991; the "
                "text of that act was not found in the sources checked"
            ),
            sources=(
                "Wikipedia, 'White-red-white flag' (a horizontal triband, proportion 1:2; "
                "colour table: red #CC0000)",
                "Belsat, belsat.eu/en/news/15649 (state symbols from 19 September 1991)",
            ),
            colour_note="Red #CC0000 is Wikipedia's colour table, not a legal value.",
        ),
        FlagSpec(
            key="bssr-1951",
            name="Soviet Belarus (BSSR), 1951-1991",
            height=1,
            length=2,
            bands=(Band("red", _F(2, 3)), Band("green", _F(1, 3))),
            colours={"red": "#CC0000", "green": "#008A3E", "white": _WHITE, "gold": "#F2C200"},
            hoist=Hoist(width=_F(1, 9), field="red", ornament="white", ornament_width=_F(1, 12)),
            emblem="gold hammer and sickle and the red star with a gold border",
            in_use="flag of the Byelorussian SSR from 25 December 1951 to 1991",
            legal_basis=(
                "decision of the Presidium of the Supreme Soviet of the BSSR, 25 December "
                "1951: red band 2/3 and green band 1/3 of the flag's height, white-on-red "
                "ornament on a strip 1/9 of its length, ratio 1:2"
            ),
            sources=(
                "Wikipedia (uk), 'Прапор Білоруської РСР', "
                "uk.wikipedia.org/wiki/Прапор_Білоруської_РСР",
            ),
            read_at=("read at uk.wikipedia-on-ipfs.org, a copy of the article",),
            colour_note=(
                "Display colours; the ornament's own width is not given in the sources "
                "checked and is drawn as on the 1995 flag (1/12 of the length)."
            ),
            assumed=(
                "the sources checked do not give the ornament's own width, so it is drawn "
                "1/12 of the length as on the 1995 flag"
            ),
        ),
        FlagSpec(
            key="red-green-1995",
            name="Republic of Belarus, 1995-2012",
            height=1,
            length=2,
            bands=(Band("red", _F(2, 3)), Band("green", _F(1, 3))),
            colours={"red": "#C8102E", "green": "#007A33", "white": _WHITE},
            hoist=Hoist(width=_F(1, 9), field="white", ornament="red", ornament_width=_F(1, 12)),
            in_use="state flag from 7 June 1995; ornament widened on 10 February 2012",
            legal_basis=(
                "Presidential Decree No. 214 of 7 June 1995, after the referendum of 14 May "
                "1995: red band 2/3 and green band 1/3 of the height, red-on-white ornament "
                "on a strip 1/9 of the length, ratio 1:2"
            ),
            sources=(
                "Wikipedia, 'Flag of Belarus', section Design, "
                "en.wikipedia.org/wiki/Flag_of_Belarus",
                "Flag of the Day, 11 December 2008 (the decree's text in English)",
            ),
            read_at=("read at liquisearch.com, a copy of the article's Design section",),
            colour_note=(
                "Display colours: the decree fixed no shades (Flag of the Day, 2008). "
                "Ornament 1/12 of the length inside the 1/9 strip (Wikipedia)."
            ),
        ),
        FlagSpec(
            key="red-green-2012",
            name="Republic of Belarus, since 2012",
            height=1,
            length=2,
            bands=(Band("red", _F(2, 3)), Band("green", _F(1, 3))),
            colours={"red": "#C8102E", "green": "#007A33", "white": _WHITE},
            hoist=Hoist(width=_F(1, 9), field="white", ornament="red", ornament_width=_F(1, 9)),
            in_use="state flag since 10 February 2012",
            legal_basis=(
                "Law 'On the state symbols of the Republic of Belarus' of 5 July 2004 "
                "No. 301-Z, art. 4; the standard of 10 February 2012 widened the ornament "
                "to fill the whole strip"
            ),
            sources=(
                "Gantsevichi district executive committee, 'State flag of the Republic of "
                "Belarus' (the law's article 4)",
                "Wikipedia, 'Flag of Belarus', en.wikipedia.org/wiki/Flag_of_Belarus: "
                "the 2012 change",
            ),
            read_at=("read at piglix.com, a copy of the article",),
            colour_note="Display colours; the standard STB 911-2008 sets the shades.",
        ),
        FlagSpec(
            key="lithuania-2004",
            name="Lithuania, since 2004",
            height=3,
            length=5,
            bands=(Band("yellow", _F(1, 3)), Band("green", _F(1, 3)), Band("red", _F(1, 3))),
            colours={"yellow": "#FDB913", "green": "#006A44", "red": "#C1272D"},
            in_use=(
                "first adopted on 25 April 1918; restored on 18 November 1988 (ratio 1:2); "
                "ratio 3:5 since 2004"
            ),
            legal_basis="Law on the Lithuanian state flag of 26 June 1991, amended 8 July 2004",
            sources=(
                "Wikipedia, 'Flag of Lithuania'",
                "Flags of the world summary, diversityflags.nz",
            ),
            colour_note="Display colours; the law sets Pantone shades, not checked here.",
        ),
        FlagSpec(
            key="russia-1993",
            name="Russia, since 1993",
            height=2,
            length=3,
            bands=(Band("white", _F(1, 3)), Band("blue", _F(1, 3)), Band("red", _F(1, 3))),
            colours={"white": _WHITE, "blue": "#0039A6", "red": "#D52B1E"},
            in_use="raised on 22 August 1991; regulations of 11 December 1993",
            legal_basis=(
                "Presidential Decree No. 2126 of 11 December 1993: three equal horizontal "
                "stripes, white, blue and red, ratio 2:3; since 2000 the Federal "
                "Constitutional Law 'On the State Flag' of 25 December 2000 No. 1-FKZ"
            ),
            sources=("Wikipedia, 'Flag of Russia'",),
        ),
    )
}


def _spec(key: str | FlagSpec) -> FlagSpec:
    if isinstance(key, FlagSpec):
        return key
    if key not in SPECS:
        known = ", ".join(sorted(SPECS))
        raise UnknownFlagError(f"there is no flag {key!r}; the flags are: {known}.")
    return SPECS[key]


def spec_table(keys: Iterable[str] | None = None) -> Any:
    """The specifications as a table (one row per flag), for reading beside the drawings.

    Columns: ``flag``, ``ratio`` (height:length), ``bands`` (top to bottom, shares of the
    height), ``hoist`` (strip and ornament, shares of the length), ``legal_basis``.
    """
    import pandas as pd

    rows = []
    for key in keys if keys is not None else SPECS:
        spec = _spec(key)
        hoist = (
            f"{spec.hoist.field} strip {spec.hoist.width}, {spec.hoist.ornament} ornament "
            f"{spec.hoist.ornament_width}"
            if spec.hoist
            else "none"
        )
        rows.append(
            {
                "flag": spec.name,
                "ratio": f"{spec.height}:{spec.length}",
                "bands": ", ".join(f"{band.colour} {band.share}" for band in spec.bands),
                "hoist": hoist,
                "legal_basis": spec.legal_basis,
            }
        )
    return pd.DataFrame(rows)


# --- drawing ---------------------------------------------------------------------------


def _diamond(
    cx: float, cy: float, half_width: float, half_height: float
) -> list[tuple[float, float]]:
    return [
        (cx, cy + half_height),
        (cx + half_width, cy),
        (cx, cy - half_height),
        (cx - half_width, cy),
    ]


def _star(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        angle = np.pi / 2 + i * np.pi / 5
        r = radius if i % 2 == 0 else radius * 0.4
        points.append((cx + r * np.cos(angle), cy + r * np.sin(angle)))
    return points


def draw_flag(ax: Axes, key: str | FlagSpec) -> list[Patch]:
    """Draw the flag on *ax* in flag units (length ``spec.length``, height ``spec.height``).

    Every patch gets a ``gid`` saying what it is (``band-0`` from the top, ``hoist``,
    ``ornament``, ``emblem``), so a test can find it. The axes are set to equal aspect
    and hidden: the flag is the picture.

    Raises:
        UnknownFlagError: *key* is not one of :data:`SPECS`.
    """
    spec = _spec(key)
    length, height = float(spec.length), float(spec.height)
    patches: list[Patch] = []
    top = height
    for number, band in enumerate(spec.bands):
        size = float(band.share) * height
        patches.append(
            Rectangle(
                (0.0, top - size),
                length,
                size,
                facecolor=spec.colours[band.colour],
                edgecolor="none",
                gid=f"band-{number}",
            )
        )
        top -= size
    if spec.hoist is not None:
        strip = float(spec.hoist.width) * length
        patches.append(
            Rectangle(
                (0.0, 0.0),
                strip,
                height,
                facecolor=spec.colours[spec.hoist.field],
                edgecolor="none",
                gid="hoist",
            )
        )
        half_width = float(spec.hoist.ornament_width) * length / 2
        count = max(4, round(height / (2.2 * half_width)))
        step = height / count
        for index in range(count):
            patches.append(
                Polygon(
                    _diamond(strip / 2, step * (index + 0.5), half_width, step / 2),
                    closed=True,
                    facecolor=spec.colours[spec.hoist.ornament],
                    edgecolor="none",
                    gid="ornament",
                )
            )
    if spec.emblem:
        strip = float(spec.hoist.width) * length if spec.hoist else 0.0
        radius = height / 12
        patches.append(
            Polygon(
                _star(strip + 2.2 * radius, height - 2.2 * radius, radius),
                closed=True,
                facecolor=spec.colours["gold"],
                edgecolor="none",
                gid="emblem",
            )
        )
    for patch in patches:
        ax.add_patch(patch)
    # A thin outline, so the white bands show against the white page.
    ax.add_patch(
        Rectangle(
            (0.0, 0.0),
            length,
            height,
            fill=False,
            edgecolor="#777777",
            linewidth=0.8,
            gid="outline",
            clip_on=False,
        )
    )
    ax.set_xlim(0.0, length)
    ax.set_ylim(0.0, height)
    ax.set_aspect(1.0)  # one unit of length is one unit of height
    ax.axis("off")
    return patches


def _placeholder(ax: Axes, text: str) -> None:
    """An empty flag-sized frame with a note, for periods with no flag the course can draw."""
    ax.add_patch(
        Rectangle(
            (0, 0),
            2,
            1,
            fill=False,
            edgecolor="#777777",
            linestyle="--",
            linewidth=0.8,
            clip_on=False,  # its edges lie on the axes' own, which would cut them in half
        )
    )
    ax.text(
        1, 0.5, textwrap.fill(text, 28), ha="center", va="center", fontsize=8.5, color="#333333"
    )
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 1)
    ax.set_aspect(1.0)  # one unit of length is one unit of height
    ax.axis("off")


def flags_figure(
    panels: Sequence[tuple[str | None, str]],
    *,
    title: str,
    description: str,
    placeholder: str = "no flag drawn",
    source: str | None = None,
) -> plots.CourseFigure:
    """Flags side by side: each panel is ``(flag key or None, caption)``.

    A panel whose key is ``None`` is an empty dashed frame with the caption inside it:
    a period for which the course draws no flag, said rather than guessed. The figure's
    description (its caption for readers who cannot see it) is *description* followed by
    what each drawn flag simplifies, so no simplification goes unsaid.
    """
    specs = [_spec(key) for key, _ in panels if key is not None]
    sources = source or "; ".join(dict.fromkeys(s for spec in specs for s in spec.sources[:1]))
    wrap = 34 if len(panels) > 1 else 60
    captions = [textwrap.fill(caption, wrap) for key, caption in panels if key is not None]
    source_text = textwrap.fill(f"source: {sources}", 40 * len(panels) + 10) if sources else ""
    with mpl.rc_context({"figure.dpi": 100, "font.size": 10, "axes.titlesize": 10}):
        width = max(4.8, 3.0 * len(panels) + 0.4)
        # The height grows with the longest caption and the source: at a fixed 2.6 inches
        # a six-line caption left the flag beside it a thumbnail, and an empty frame too
        # small for its own note.
        caption_lines = max((c.count("\n") + 1 for c in captions), default=1)
        height = 1.75 + 0.17 * caption_lines + 0.4 + 0.13 * (source_text.count("\n") + 1)
        fig = plots.CourseFigure(figsize=(width, height), layout="constrained")
        # plots.figure_outputs names a chart in its alt text by the first axes' title; the
        # panels' titles are captions, so a hidden first axes carries the figure's title.
        anchor = fig.add_axes((0.0, 0.0, 0.001, 0.001))
        anchor.set_axis_off()
        anchor.set_title(title.rstrip(".?"), visible=False)
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
        for ax, (key, caption) in zip(axes, panels, strict=True):
            if key is None:
                _placeholder(ax, caption or placeholder)
                ax.set_title(" ", loc="left")
            else:
                draw_flag(ax, key)
                ax.set_title(textwrap.fill(caption, wrap), loc="left", fontsize=9.5)
        fig.suptitle(title, x=0.01, ha="left", fontsize=11.5)
        # The constrained layout's default padding let the title touch a three-line
        # panel caption below it (1918, 1991): more room between the rows of text.
        fig.get_layout_engine().set(h_pad=0.12)
        if sources:
            fig.supxlabel(
                source_text,
                x=0.01,
                ha="left",
                fontsize="x-small",
                color="#444444",
            )
    by_note: dict[str, list[str]] = {}
    for spec in specs:
        if spec.simplified:
            by_note.setdefault(spec.simplified, []).append(spec.name)
    notes = [
        f"Drawing simplified ({'; '.join(names)}): {note}"
        for note, names in by_note.items()
    ]
    fig.description = " ".join([description.rstrip(".") + ".", *notes])
    return fig


def flag_figure(key: str) -> plots.CourseFigure:
    """One flag, titled with its name, captioned with its specification and simplifications.

    Raises:
        UnknownFlagError: *key* is not one of :data:`SPECS`.
    """
    spec = _spec(key)
    bands = ", ".join(f"{band.colour} {band.share}" for band in spec.bands)
    description = (
        f"{spec.name}, drawn from its specification: ratio {spec.height}:{spec.length}; "
        f"bands from the top: {bands} of the height"
    )
    if spec.hoist is not None:
        description += (
            f"; a {spec.hoist.field} strip {spec.hoist.width} of the length at the hoist with "
            f"a {spec.hoist.ornament} ornament {spec.hoist.ornament_width} of the length wide"
        )
    return flags_figure([(key, spec.in_use)], title=spec.name, description=description)


#: The flag figures the lessons show: panels, title and the sentence a reader hears instead.
#: Kept here rather than in the notebooks, so a lesson cell is one short call.
FIGURES: dict[str, tuple[tuple[tuple[str, str], ...], str, str]] = {
    "two-flags": (
        (
            ("white-red-white", "white-red-white (1918; 1991-1995)"),
            ("red-green-2012", "red-green (state flag since 1995)"),
        ),
        "The two flags of Minsk in 2020",
        "Two flags drawn from their specifications. Left: the white-red-white flag, three "
        "equal bands of white, red and white, the flag of the 1918 republic and the state flag "
        "from 1991 to 1995, carried by the protesters of 2020. Right: today's state flag, red "
        "over green (2:1) with a red-on-white ornament strip at the staff, adapted from the "
        "flag of Soviet Belarus",
    ),
    "soviet-to-today": (
        (
            ("bssr-1951", "Soviet Belarus, 25 December 1951"),
            ("red-green-1995", "Decree No. 214, 7 June 1995"),
            ("red-green-2012", "standard of 10 February 2012"),
        ),
        "From the Soviet flag to today's",
        "Three flags drawn from their specifications, left to right: Soviet Belarus (1951), "
        "the 1995 flag and the flag since 2012. All three are red over green (2:1) with an "
        "ornament strip one ninth of the length at the staff. The 1951 flag has a gold star "
        "for its emblems and a white ornament on red; the 1995 flag has none and a narrow "
        "red ornament on white; the 2012 flag's ornament fills the strip",
    ),
    "neighbours": (
        (
            ("lithuania-2004", "Lithuania, restored 1988 (3:5 since 2004)"),
            ("russia-1993", "Russia, decree of 1993"),
            ("red-green-2012", "Belarus, since 2012 (1995 design)"),
        ),
        "Flags chosen after the Soviet Union",
        "Three flags drawn from their specifications. Lithuania: yellow, green and red, "
        "3:5. Russia: white, blue and red, 2:3. Belarus: red over green with an ornament "
        "strip at the staff, 1:2. The first two go back to flags used before Soviet rule; "
        "the Belarusian one adapts a Soviet-era flag",
    ),
}


def lesson_figure(name: str) -> plots.CourseFigure:
    """One of the lessons' flag figures (:data:`FIGURES`), drawn from the specifications.

    Raises:
        UnknownFlagError: *name* is not one of :data:`FIGURES`.
    """
    if name not in FIGURES:
        known = ", ".join(sorted(FIGURES))
        raise UnknownFlagError(f"there is no flag figure {name!r}; the figures are: {known}.")
    panels, title, description = FIGURES[name]
    return flags_figure(list(panels), title=title, description=description)


# --- reading a drawn flag back ---------------------------------------------------------


def _filled_patches(ax: Axes) -> list[Patch]:
    """The axes' patches that paint something, in the order matplotlib draws them."""
    shown = [
        p
        for p in ax.patches
        if p.get_visible() and p.get_fill() and to_rgba(p.get_facecolor())[3] > 0.5
    ]
    return sorted(shown, key=lambda p: p.get_zorder())  # stable: ties keep their order


def _data_path(ax: Axes, patch: Patch) -> Any:
    # The patch's own transform less the data transform: its outline in data coordinates,
    # whatever mix of data and axes coordinates (axhspan, axvspan) it was drawn in.
    return patch.get_path().transformed(patch.get_transform() - ax.transData)


def flag_extent(ax: Axes) -> tuple[float, float, float, float] | None:
    """``(x0, x1, y0, y1)``: the box around everything painted on *ax* (None if nothing)."""
    boxes = [_data_path(ax, p).get_extents() for p in _filled_patches(ax)]
    if not boxes:
        return None
    return (
        min(b.x0 for b in boxes),
        max(b.x1 for b in boxes),
        min(b.y0 for b in boxes),
        max(b.y1 for b in boxes),
    )


def colour_at(ax: Axes, x: float, y: float) -> str | None:
    """The colour (``#rrggbb``) a viewer sees at data point ``(x, y)``: the topmost patch's."""
    seen = None
    for patch in _filled_patches(ax):
        if _data_path(ax, patch).contains_point((x, y)):
            seen = to_hex(patch.get_facecolor(), keep_alpha=False)
    return seen


def read_bands(ax: Axes, at: float = 0.75, samples: int = 600) -> list[tuple[str | None, float]]:
    """Horizontal bands down a vertical line at *at* of the length: ``[(colour, share)]``.

    Read top to bottom by sampling the drawn figure, so it measures what is painted, however
    it was painted (three rectangles, or a white field with a red stripe on top).
    """
    extent = flag_extent(ax)
    if extent is None:
        return []
    x0, x1, y0, y1 = extent
    x = x0 + at * (x1 - x0)
    ys = y1 - (np.arange(samples) + 0.5) / samples * (y1 - y0)
    runs: list[tuple[str | None, float]] = []
    for y in ys:
        colour = colour_at(ax, x, float(y))
        if runs and runs[-1][0] == colour:
            runs[-1] = (colour, runs[-1][1] + 1 / samples)
        else:
            runs.append((colour, 1 / samples))
    return runs


def colour_family(colour: str | Iterable[float] | None) -> str:
    """'white', 'red', 'green', 'blue', 'yellow' or 'other': what a reader would call it."""
    if colour is None:
        return "none"
    r, g, b, _ = to_rgba(colour)
    if min(r, g, b) > 0.9:
        return "white"
    if r > 0.5 and g < 0.35 and b < 0.35:
        return "red"
    if r > 0.7 and g > 0.55 and b < 0.35:
        return "yellow"
    if g > 0.3 and g > r + 0.15 and g > b:
        return "green"
    if b > 0.45 and b > r + 0.15 and b >= g:
        return "blue"
    return "other"


def figure_axes(fig: Figure) -> list[Axes]:
    """The axes of *fig* that have painted patches (a helper for checks)."""
    return [ax for ax in fig.axes if _filled_patches(ax)]
