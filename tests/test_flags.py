"""The flag renderer: every drawing matches its specification, and every specification matches
the legal text it cites.

Two layers, so that a broken specification fails as well as a broken drawing:

- ``LEGAL`` restates, independently of the package, what the cited acts say (proportions,
  bands, strip and ornament widths); each specification must agree with it;
- each drawing is inspected patch by patch (extents, face colours) and read back by sampling,
  and must agree with its specification.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from postsoviet import flags, plots
from postsoviet.flags import SPECS, Band, FlagSpec, Hoist, UnknownFlagError

#: What the sources say, written out by hand: (height, length), bands top to bottom,
#: (strip width, strip colour, ornament colour, ornament width) as shares of the length.
LEGAL: dict[str, tuple] = {
    # Wikipedia, "White-red-white flag": a horizontal triband, 1:2.
    "white-red-white": ((1, 2), [("white", F(1, 3)), ("red", F(1, 3)), ("white", F(1, 3))], None),
    # Presidium of the Supreme Soviet of the BSSR, 25 December 1951.
    "bssr-1951": ((1, 2), [("red", F(2, 3)), ("green", F(1, 3))], (F(1, 9), "red", "white", None)),
    # Presidential Decree No. 214 of 7 June 1995; ornament 1/12 until 2012.
    "red-green-1995": (
        (1, 2),
        [("red", F(2, 3)), ("green", F(1, 3))],
        (F(1, 9), "white", "red", F(1, 12)),
    ),
    # Law No. 301-Z of 5 July 2004, art. 4; standard of 10 February 2012.
    "red-green-2012": (
        (1, 2),
        [("red", F(2, 3)), ("green", F(1, 3))],
        (F(1, 9), "white", "red", F(1, 9)),
    ),
    # Law on the state flag of Lithuania as amended on 8 July 2004.
    "lithuania-2004": (
        (3, 5),
        [("yellow", F(1, 3)), ("green", F(1, 3)), ("red", F(1, 3))],
        None,
    ),
    # Presidential Decree No. 2126 of 11 December 1993.
    "russia-1993": ((2, 3), [("white", F(1, 3)), ("blue", F(1, 3)), ("red", F(1, 3))], None),
}


def _drawn(key: str) -> tuple[Figure, object]:
    fig = Figure()
    ax = fig.add_subplot()
    flags.draw_flag(ax, key)
    return fig, ax


def _patches(ax: object, gid: str) -> list:
    return [p for p in ax.patches if (p.get_gid() or "").startswith(gid)]  # type: ignore[attr-defined]


def test_every_specification_is_checked_against_its_source() -> None:
    assert set(SPECS) == set(LEGAL)


@pytest.mark.parametrize("key", sorted(LEGAL))
def test_specification_agrees_with_the_legal_text(key: str) -> None:
    (height, length), bands, hoist = LEGAL[key]
    spec = SPECS[key]
    assert (spec.height, spec.length) == (height, length)
    assert [(band.colour, band.share) for band in spec.bands] == bands
    assert sum(band.share for band in spec.bands) == 1
    if hoist is None:
        assert spec.hoist is None
    else:
        width, field, ornament, ornament_width = hoist
        assert (spec.hoist.width, spec.hoist.field, spec.hoist.ornament) == (width, field, ornament)
        if ornament_width is not None:
            assert spec.hoist.ornament_width == ornament_width
        assert spec.hoist.ornament_width <= spec.hoist.width
    assert spec.legal_basis and spec.sources, "every specification names its legal basis"


@pytest.mark.parametrize("key", sorted(SPECS))
def test_each_colour_is_of_the_named_colour(key: str) -> None:
    for name, colour in SPECS[key].colours.items():
        if name != "gold":
            assert flags.colour_family(colour) == name, (key, name, colour)


@pytest.mark.parametrize("key", sorted(SPECS))
def test_drawn_bands_have_the_specified_extents_and_colours(key: str) -> None:
    spec = SPECS[key]
    _fig, ax = _drawn(key)
    bands = _patches(ax, "band-")
    assert len(bands) == len(spec.bands)
    top = float(spec.height)
    for patch, band in zip(bands, spec.bands, strict=True):
        size = float(band.share) * spec.height
        assert patch.get_x() == pytest.approx(0) and patch.get_width() == pytest.approx(spec.length)
        assert patch.get_y() + patch.get_height() == pytest.approx(top)
        assert patch.get_height() == pytest.approx(size)
        assert to_hex(patch.get_facecolor()) == spec.colours[band.colour].lower()
        top -= size
    assert top == pytest.approx(0)
    x0, x1, y0, y1 = flags.flag_extent(ax)
    assert (y1 - y0) / (x1 - x0) == pytest.approx(float(spec.ratio))


@pytest.mark.parametrize("key", [k for k, s in SPECS.items() if s.hoist is not None])
def test_drawn_hoist_strip_and_ornament_have_the_specified_widths(key: str) -> None:
    spec = SPECS[key]
    _fig, ax = _drawn(key)
    (strip,) = _patches(ax, "hoist")
    assert strip.get_width() == pytest.approx(float(spec.hoist.width) * spec.length)
    assert strip.get_height() == pytest.approx(spec.height)
    assert to_hex(strip.get_facecolor()) == spec.colours[spec.hoist.field].lower()
    ornament = _patches(ax, "ornament")
    assert len(ornament) >= 4
    xs = [x for patch in ornament for x, _ in patch.get_xy()]
    assert max(xs) - min(xs) == pytest.approx(float(spec.hoist.ornament_width) * spec.length)
    assert (min(xs) + max(xs)) / 2 == pytest.approx(strip.get_width() / 2)
    for patch in ornament:
        assert to_hex(patch.get_facecolor()) == spec.colours[spec.hoist.ornament].lower()


@pytest.mark.parametrize("key", sorted(SPECS))
def test_reading_the_drawing_back_gives_the_specified_bands(key: str) -> None:
    spec = SPECS[key]
    _fig, ax = _drawn(key)
    runs = flags.read_bands(ax, at=0.8)
    assert [colour for colour, _ in runs] == [spec.colours[b.colour].lower() for b in spec.bands]
    for (_colour, share), band in zip(runs, spec.bands, strict=True):
        assert share == pytest.approx(float(band.share), abs=0.005)


def test_a_broken_specification_is_drawn_broken() -> None:
    """The drawing follows the data: a wrong share shows up in the figure, and is caught."""
    good = SPECS["white-red-white"]
    broken = FlagSpec(
        key="broken",
        name="broken",
        height=1,
        length=2,
        bands=(Band("white", F(1, 4)), Band("red", F(1, 2)), Band("white", F(1, 4))),
        colours=good.colours,
    )
    fig = Figure()
    ax = fig.add_subplot()
    flags.draw_flag(ax, broken)
    shares = [share for _, share in flags.read_bands(ax)]
    assert shares[1] == pytest.approx(0.5, abs=0.005)
    _ratio, bands, _hoist = LEGAL["white-red-white"]
    assert [(b.colour, b.share) for b in broken.bands] != bands


def test_simplifications_are_said_in_the_caption() -> None:
    assert SPECS["white-red-white"].simplified == ""
    soviet = flags.flag_figure("bssr-1951")
    assert "diamonds" in soviet.description and "gold star" in soviet.description
    today = flags.flag_figure("red-green-2012")
    assert "Drawing simplified" in today.description and "1/9" in today.description
    assert "simplified" not in flags.flag_figure("lithuania-2004").description


def test_a_drawn_but_unsourced_measurement_is_said_in_the_caption() -> None:
    # The 1951 ornament's own width is not in the sources: the caption must not call it
    # specified, and must say what was assumed; the 1995 width is sourced.
    soviet = flags.flag_figure("bssr-1951").description
    assert "specified width" not in soviet and "do not give the ornament's own width" in soviet
    assert "specified width" in flags.flag_figure("red-green-1995").description


def test_figure_names_itself_in_its_alt_text() -> None:
    outputs = plots.figure_outputs(flags.flag_figure("white-red-white"))
    assert outputs[0]["data"]["text/plain"].startswith("Chart: White-red-white flag")
    assert "source:" in "".join(text.get_text() for text in flags.flag_figure("russia-1993").texts)


def test_placeholders_and_unknown_flags() -> None:
    fig = flags.flags_figure(
        [(None, "not drawn: no specification"), ("white-red-white", "1991")],
        title="t",
        description="A placeholder and a flag",
    )
    assert len(flags.figure_axes(fig)) == 1  # the placeholder paints nothing
    with pytest.raises(UnknownFlagError, match=r"there is no flag 'belarus'.*white-red-white"):
        flags.flag_figure("belarus")


def test_spec_table_lists_the_legal_basis() -> None:
    table = flags.spec_table(["red-green-1995"])
    assert table.loc[0, "ratio"] == "1:2" and "Decree No. 214" in table.loc[0, "legal_basis"]
    assert table.loc[0, "hoist"] == "white strip 1/9, red ornament 1/12"


def test_hoist_spec_types() -> None:
    assert isinstance(SPECS["red-green-2012"].hoist, Hoist)
    assert SPECS["white-red-white"].ratio == F(1, 2)


@pytest.mark.parametrize(
    ("colour", "family"),
    [
        ("#ffffff", "white"),
        ("red", "red"),
        ("darkred", "red"),
        ("crimson", "red"),
        ("green", "green"),
        ("#0039A6", "blue"),
        ("gold", "yellow"),
        ("grey", "other"),
        (None, "none"),
    ],
)
def test_colour_families(colour: str | None, family: str) -> None:
    assert flags.colour_family(colour) == family


def test_copies_read_are_kept_apart_from_the_sources_shown() -> None:
    """A copy a source was read at never appears as the source a chart's reader sees."""
    for spec in flags.SPECS.values():
        for copy in spec.read_at:
            domain = copy.removeprefix("read at ").split()[0].rstrip(",")
            assert all(domain not in source for source in spec.sources), (spec.key, domain)
        if spec.read_at:
            assert any("wikipedia.org" in source for source in spec.sources), spec.key


@pytest.mark.parametrize("name", sorted(flags.FIGURES))
def test_lesson_figures_draw_and_describe_every_panel(name: str) -> None:
    fig = flags.lesson_figure(name)
    text = plots.describe_figure(fig)
    panels, _, description = flags.FIGURES[name]
    assert text.startswith(description)
    assert "read at" not in text and "copy" not in text.lower()
    assert len([ax for ax in fig.axes if ax.get_visible() and ax.patches]) == len(panels)


def test_an_unknown_lesson_figure_is_one_sentence() -> None:
    with pytest.raises(flags.UnknownFlagError, match="the figures are: neighbours"):
        flags.lesson_figure("three-flags")
