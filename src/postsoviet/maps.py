"""A map of Belarus and its neighbours: outlines, energy places and schematic pipelines.

Drawn with matplotlib alone (no mapping library to install on a class hub) from data the
package ships with their provenance: Natural Earth's public-domain country outlines
(``map_outlines``), the places lesson 04 names and the country labels (``map_places``),
and the Druzhba and Yamal-Europe routes (``map_routes``), which are **schematic** and say
so in the legend,
the source line and the description. Longitude is stretched by 1/cos(latitude) so that
shapes at Belarus's latitude are not squashed.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import pandas as pd

from postsoviet import data, plots

__all__ = ["MAP_SOURCE", "region_map"]

MAP_SOURCE = (
    "outlines: Natural Earth 1:50m (public domain); places: Wikipedia coordinates; "
    "pipelines: schematic, after The Moscow Times/Reuters (Druzhba) and Beltransgaz via "
    "Pravda.ru (Yamal-Europe); course datasets map_outlines, map_places, map_routes"
)

# Markers per kind of place: shape is the signal, colour only a second one.
_PLACE_STYLE: dict[str, tuple[str, str]] = {
    "capital": ("*", plots.OKABE_ITO["black"]),
    "city": ("o", plots.OKABE_ITO["black"]),
    "nuclear plant": ("^", plots.OKABE_ITO["reddish purple"]),
    "refinery": ("s", plots.OKABE_ITO["vermillion"]),
    "port": ("D", plots.OKABE_ITO["blue"]),
}
_ROUTE_STYLE: dict[str, tuple[str, str]] = {
    "Druzhba (oil)": ("-", plots.OKABE_ITO["vermillion"]),
    "Yamal-Europe (gas)": ("--", plots.OKABE_ITO["blue"]),
}


_COMPASS = (
    "east",
    "north-east",
    "north",
    "north-west",
    "west",
    "south-west",
    "south",
    "south-east",
)


def _where(lon: float, lat: float, centre: tuple[float, float]) -> str:
    """'about 160 km north-west of the centre of Belarus': distance and bearing, in words."""
    east = (lon - centre[0]) * 111 * math.cos(math.radians(lat))
    north = (lat - centre[1]) * 111
    if math.hypot(east, north) < 60:
        return "near the centre of Belarus"
    sector = round(math.degrees(math.atan2(north, east)) / 45) % 8
    return f"about {math.hypot(east, north):.0f} km {_COMPASS[sector]} of the centre of Belarus"


def _describe(places: pd.DataFrame, routes: pd.DataFrame, outlines: pd.DataFrame) -> str:
    """Built from the data alone, so the sentence cannot drift from what is drawn."""
    belarus = outlines[outlines["country"] == "Belarus"]
    centre = (
        (belarus["lon"].min() + belarus["lon"].max()) / 2,
        (belarus["lat"].min() + belarus["lat"].max()) / 2,
    )
    neighbours = [name for name in outlines["country"].unique() if name != "Belarus"]
    named = " ".join(
        f"{row.place} ({row.kind}, {_where(row.lon, row.lat, centre)}): {row.note}"
        for row in places.itertuples()
    )
    legs = []
    for (route, leg), part in routes.groupby(["route", "leg"], sort=False):
        part = part.sort_values("point")
        first, last = part.iloc[0], part.iloc[-1]
        legs.append(
            f"{route}, {leg}: from {_where(first.lon, first.lat, centre)} to "
            f"{_where(last.lon, last.lat, centre)}"
        )
    return (
        f"Map of Belarus and its neighbours ({', '.join(neighbours)}), with Belarus shaded. "
        f"Marked places: {named} Schematic pipeline routes: {'; '.join(legs)}. "
        f"Source: {MAP_SOURCE}."
    )


def region_map() -> plots.CourseFigure:
    """Lesson 04's map; reusable wherever a lesson needs to show where places lie.

    Returns:
        The figure, with ``description`` set; show it as a cell's last expression.
    """
    outlines = data.load("map_outlines")
    places = data.load("map_places")
    routes = data.load("map_routes")
    unknown = (set(places["kind"]) - set(_PLACE_STYLE) - {"country"}) | (
        set(routes["route"]) - set(_ROUTE_STYLE)
    )
    if unknown:
        raise ValueError(f"region_map has no style for {sorted(unknown)}")
    with mpl.rc_context({**plots.COURSE_RC, "axes.grid": False, "figure.figsize": (8.0, 6.4)}):
        fig, ax = plots.new_figure(
            "Belarus, its neighbours and the energy routes across it",
            xlabel="longitude (degrees east)",
            ylabel="latitude (degrees north)",
            source=MAP_SOURCE,
        )
        for (country, _), ring in outlines.groupby(["country", "polygon"], sort=False):
            ring = ring.sort_values("point")
            is_belarus = country == "Belarus"
            ax.fill(
                ring["lon"],
                ring["lat"],
                facecolor="#f2e8cf" if is_belarus else "#eeeeee",
                edgecolor="#333333" if is_belarus else "#999999",
                linewidth=1.4 if is_belarus else 0.7,
                zorder=1 if is_belarus else 0,
            )
        for row in places[places["kind"] == "country"].itertuples():
            ax.text(row.lon, row.lat, row.place, fontsize="small", color="#555555", ha="center")
        places = places[places["kind"] != "country"]
        for route, part in routes.groupby("route", sort=False):
            style, colour = _ROUTE_STYLE[route]
            for number, (_, leg) in enumerate(part.groupby("leg", sort=False)):
                leg = leg.sort_values("point")
                ax.plot(
                    leg["lon"],
                    leg["lat"],
                    linestyle=style,
                    color=colour,
                    linewidth=2.2,
                    marker="none",
                    zorder=2,
                    label=f"{route}, schematic" if number == 0 else None,
                )
        for kind, part in places.groupby("kind", sort=False):
            marker, colour = _PLACE_STYLE[kind]
            ax.plot(
                part["lon"],
                part["lat"],
                linestyle="none",
                marker=marker,
                color=colour,
                markersize=11 if kind == "capital" else 8,
                zorder=3,
                label=kind,
            )
            for row in part.itertuples():
                ax.annotate(
                    row.place,
                    (row.lon, row.lat),
                    xytext=(row.label_dx, row.label_dy),
                    textcoords="offset points",
                    fontsize="small",
                    zorder=4,
                    ha="right" if row.label_dx < 0 else "left",
                )
        ax.set_xlim(19.5, 33.5)
        ax.set_ylim(50.0, 57.0)
        ax.set_aspect(1 / math.cos(math.radians(53.5)))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize="small")
    fig.description = _describe(places, routes, outlines)
    return fig
