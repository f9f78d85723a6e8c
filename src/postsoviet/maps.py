"""A map of Belarus and its neighbours: outlines, energy places and schematic pipelines.

Drawn with matplotlib alone (no mapping library to install on a class hub) from data the
package ships with their provenance: Natural Earth's public-domain country outlines
(``map_outlines``), the places lesson 04 names (``map_places``) and the Druzhba and
Yamal-Europe routes (``map_routes``), which are **schematic** and say so in the legend,
the source line and the description. Longitude is stretched by 1/cos(latitude) so that
shapes at Belarus's latitude are not squashed.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.path import Path
from matplotlib.transforms import Bbox

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
# Label offsets in points by kind of place, so that names sit off their markers and clear of
# the coast and of each other; every name and position comes from the data.
_LABEL_OFFSET: dict[str, tuple[int, int]] = {"port": (6, -12), "city": (-8, -12)}
_DEFAULT_OFFSET = (6, 4)
_VIEW = ((19.5, 33.5), (50.0, 57.0))  # longitude and latitude limits
_EARTH_RADIUS_KM = 6371.0
_COMPASS = (
    "north",
    "north-east",
    "east",
    "south-east",
    "south",
    "south-west",
    "west",
    "north-west",
)


def _bearing_from(origin: tuple[float, float], place: tuple[float, float]) -> tuple[float, str]:
    """Distance in km and compass direction from ``origin`` to ``place`` (lon, lat)."""
    (lon0, lat0), (lon1, lat1) = (tuple(map(math.radians, point)) for point in (origin, place))
    dlon = lon1 - lon0
    central = math.acos(
        min(1.0, math.sin(lat0) * math.sin(lat1) + math.cos(lat0) * math.cos(lat1) * math.cos(dlon))
    )
    heading = math.degrees(
        math.atan2(
            math.sin(dlon) * math.cos(lat1),
            math.cos(lat0) * math.sin(lat1) - math.sin(lat0) * math.cos(lat1) * math.cos(dlon),
        )
    )
    return central * _EARTH_RADIUS_KM, _COMPASS[round((heading % 360) / 45) % 8]


def _describe(places: pd.DataFrame, routes: pd.DataFrame, neighbours: list[str]) -> str:
    capital = places[places["kind"] == "capital"].iloc[0]
    where = []
    for row in places.itertuples():
        if row.place == capital.place:
            where.append(f"{row.place} ({row.kind})")
            continue
        km, direction = _bearing_from((capital.lon, capital.lat), (row.lon, row.lat))
        where.append(f"{row.place} ({row.kind}, about {km:.0f} km {direction} of {capital.place})")
    legs = routes.groupby("route", sort=False)["leg"].unique()
    route_text = "; ".join(f"{route}: {', '.join(parts)}" for route, parts in legs.items())
    return (
        f"Map of Belarus and its neighbours ({', '.join(neighbours)}). "
        f"Marked places: {'; '.join(where)}. Schematic pipeline routes: {route_text}. "
        "The Druzhba oil line enters from Russia in the east and splits at Mozyr; Yamal-Europe "
        "crosses the country from the Russian border in the north-east to the Polish border "
        f"in the south-west. Source: {MAP_SOURCE}."
    )


def _label_point(ring: pd.DataFrame) -> tuple[float, float]:
    """Where a country's name goes: the centroid of the part of its outline inside the view."""
    (west, east), (south, north) = _VIEW
    outline = Path(ring.sort_values("point")[["lon", "lat"]].to_numpy(), closed=True)
    clipped = outline.clip_to_bbox(Bbox.from_extents(west, south, east, north))
    xs, ys = clipped.vertices[:, 0], clipped.vertices[:, 1]
    cross = xs * np.roll(ys, -1) - np.roll(xs, -1) * ys
    area = cross.sum() / 2
    if abs(area) < 1e-9:  # nothing of the country in view: its points' middle
        return float(np.median(xs)), float(np.median(ys))
    return (
        float(((xs + np.roll(xs, -1)) * cross).sum() / (6 * area)),
        float(((ys + np.roll(ys, -1)) * cross).sum() / (6 * area)),
    )


def region_map() -> plots.CourseFigure:
    """Lesson 04's map; reusable wherever a lesson needs to show where places lie.

    Returns:
        The figure, with ``description`` set; show it as a cell's last expression.
    """
    outlines = data.load("map_outlines")
    places = data.load("map_places")
    routes = data.load("map_routes")
    unknown = (set(places["kind"]) - set(_PLACE_STYLE)) | (set(routes["route"]) - set(_ROUTE_STYLE))
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
        largest = outlines.groupby(["country", "polygon"], sort=False).size().reset_index()
        largest = largest.sort_values(0, ascending=False).drop_duplicates("country")
        for country, polygon in zip(largest["country"], largest["polygon"], strict=True):
            ring = outlines[(outlines["country"] == country) & (outlines["polygon"] == polygon)]
            lon, lat = _label_point(ring)
            ax.text(lon, lat, country.upper(), fontsize="small", color="#555555", ha="center")
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
            offset = _LABEL_OFFSET.get(kind, _DEFAULT_OFFSET)
            for row in part.itertuples():
                ax.annotate(
                    row.place,
                    (row.lon, row.lat),
                    xytext=offset,
                    textcoords="offset points",
                    fontsize="small",
                    zorder=4,
                    ha="right" if offset[0] < 0 else "left",
                )
        ax.set_xlim(*_VIEW[0])
        ax.set_ylim(*_VIEW[1])
        ax.set_aspect(1 / math.cos(math.radians(53.5)))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize="small")
    neighbours = [c for c in dict.fromkeys(outlines["country"]) if c != "Belarus"]
    fig.description = _describe(places, routes, neighbours)
    return fig
