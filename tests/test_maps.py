"""Lesson 04's map: every place and route drawn, routes labelled schematic, a description."""

from __future__ import annotations

import pytest
from matplotlib.lines import Line2D

from postsoviet import data, maps


@pytest.fixture(scope="module")
def fig():
    return maps.region_map()


def test_every_place_is_marked_and_named(fig) -> None:
    ax = fig.axes[0]
    labels = {text.get_text() for text in ax.texts}
    places = data.load("map_places").query("kind != 'country'")
    for name in ("Minsk", "Hrodna", "Astravets", "Klaipėda", "Navapolatsk", "Mozyr"):
        assert name in labels and name in set(places["place"])
    points = {
        (round(x, 2), round(y, 2))
        for line in ax.get_lines()
        if line.get_linestyle() == "None"
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)
    }
    assert {(row.lon, row.lat) for row in places.itertuples()} <= points


def test_both_routes_are_drawn_and_called_schematic(fig) -> None:
    legend = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert "Druzhba (oil), schematic" in legend
    assert "Yamal-Europe (gas), schematic" in legend
    drawn = [line for line in fig.axes[0].get_lines() if line.get_linestyle() in ("-", "--")]
    assert len(drawn) == data.load("map_routes").groupby(["route", "leg"]).ngroups
    assert "schematic" in fig.description and "schematic" in maps.MAP_SOURCE


def test_belarus_outline_is_in_the_frame(fig) -> None:
    belarus = data.load("map_outlines").query("country == 'Belarus'")
    x0, x1 = fig.axes[0].get_xlim()
    y0, y1 = fig.axes[0].get_ylim()
    assert x0 < belarus["lon"].min() and belarus["lon"].max() < x1
    assert y0 < belarus["lat"].min() and belarus["lat"].max() < y1


def test_description_names_every_place_and_the_provenance(fig) -> None:
    for name in data.load("map_places").query("kind != 'country'")["place"]:
        assert name in fig.description
    assert "Natural Earth" in fig.description and "public domain" in fig.description


def test_country_names_are_drawn_without_markers(fig) -> None:
    countries = data.load("map_places").query("kind == 'country'")
    labels = {text.get_text() for text in fig.axes[0].texts}
    assert set(countries["place"]) <= labels
    assert "country" not in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_outline_provenance_is_in_the_manifest() -> None:
    record = data.source("map_outlines")
    assert record["sources"][0]["publisher"] == "Natural Earth"
    assert "public domain" in record["licence"]


def test_a_place_of_an_unknown_kind_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = data.load

    def load(name: str):
        frame = real(name)
        if name == "map_places":
            frame.loc[0, "kind"] = "airport"
        return frame

    monkeypatch.setattr(maps.data, "load", load)
    with pytest.raises(ValueError, match="no style for \\['airport'\\]"):
        maps.region_map()


def test_every_marker_is_a_line_not_a_bare_colour(fig) -> None:
    markers = {line.get_marker() for line in fig.axes[0].get_lines() if isinstance(line, Line2D)}
    assert {"*", "o", "^", "s", "D"} <= markers
