"""Course datasets with their provenance.

Every dataset is a CSV file in this folder, described in ``manifest.json``: title,
sources (with addresses and dates), licence note and the meaning of every column. The
files ship inside the package and are read with :mod:`importlib.resources`, so lessons
work from an installed package, with no network and no ``../`` paths.

>>> from postsoviet import data
>>> "elections" in data.names()
True
>>> df = data.load("elections")
>>> data.source("elections")["sources"][0]["url"]  # doctest: +ELLIPSIS
'https://...'

Column types are declared in the manifest rather than guessed by pandas, so a lesson
sees the same dtypes whatever the values happen to be:

- ``integer`` columns are ``int64``, or pandas' nullable ``Int64`` where the manifest
  allows blanks: a count such as ``votes`` may be unknown for some rows, and ``int64``
  cannot hold a gap (pandas would silently turn the whole column into floats);
- ``number`` columns are ``float64``;
- ``date`` columns are ISO ``yyyy-mm-dd`` strings in the file and ``datetime64`` once
  loaded, so students can use ``.dt.year`` and compare dates; a value that is not a
  full ISO date is an error in the data, not something to guess at;
- ``string`` columns are left as pandas reads text.

``base`` and ``status`` stay plain strings rather than categoricals: filtering and
grouping on them then behave the way students expect (no empty categories in a
``groupby``).
"""

from __future__ import annotations

import copy
import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

__all__ = ["REQUIRED_COLUMNS", "UnknownDatasetError", "catalogue", "load", "names", "source"]

#: Columns each course dataset must have (the data contract in the design brief).
#: More columns are welcome; these names are fixed because lessons, exercises and
#: checks rely on them. Datasets listed here may not ship yet: see :func:`names`.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "elections": (
        "year",
        "date",
        "round",
        "candidate",
        "votes_pct",
        "turnout_pct",
        "base",
        "status",
        "source",
    ),
    "referendums": ("date", "question_no", "topic", "yes_pct", "turnout_pct", "base", "source"),
    "gas_prices": ("year", "usd_per_1000m3", "note", "source"),
    "trade": ("year", "partner", "exports_share_pct", "imports_share_pct", "source"),
    "census_language": ("census_year", "measure", "language", "share_pct", "source"),
    "ethnicity": ("census_year", "group", "share_pct", "source"),
    "timeline": ("date", "event", "theme", "source"),
    # Beyond the contract: the claims board of lesson 01.
    "claims": ("date", "claim", "claimant", "evidence_published", "source"),
    # Beyond the contract: the early-voting figures of lesson 05.
    "early_voting_2020": ("date", "early_days", "status", "source"),
    # Beyond the contract: lesson 04's map (postsoviet.maps).
    "map_outlines": ("country", "polygon", "point", "lon", "lat", "source"),
    "map_places": ("place", "kind", "lon", "lat", "source"),
    "map_routes": ("route", "leg", "point", "lon", "lat", "source"),
}


class UnknownDatasetError(KeyError):
    """Raised for a dataset name that is not in the manifest.

    A ``KeyError`` subclass, because asking for a dataset is a lookup by key; it
    overrides ``__str__`` because ``KeyError`` would otherwise print its message in
    quotes, like a bare key.
    """

    def __str__(self) -> str:
        return str(self.args[0])


@cache
def _manifest() -> dict[str, Any]:
    text = resources.files(__name__).joinpath("manifest.json").read_text(encoding="utf-8")
    return json.loads(text)["datasets"]


def names() -> list[str]:
    """Names of the datasets that ship with the package, sorted."""
    return sorted(_manifest())


def _record(name: str) -> dict[str, Any]:
    datasets = _manifest()
    if not isinstance(name, str) or name not in datasets:
        available = ", ".join(sorted(datasets))
        message = f"There is no dataset called {name!r}. Available datasets: {available}."
        close = difflib.get_close_matches(str(name), datasets, n=1)
        if close:
            message += f" Did you mean {close[0]!r}?"
        raise UnknownDatasetError(message)
    return datasets[name]


def source(name: str) -> dict[str, Any]:
    """The provenance record of dataset *name*, as written in the manifest.

    It holds ``title``, ``description``, ``file``, ``sources`` (each with ``title``,
    ``publisher``, ``url``, ``date`` and ``date_type``), ``licence``, ``columns``
    (name -> description, type, unit, allowed values) and ``notes``. The record is a
    copy: changing it does not change what later calls return.
    """
    return copy.deepcopy(_record(name))


@cache
def _read(name: str) -> pd.DataFrame:
    record = _record(name)
    columns: dict[str, dict[str, Any]] = record["columns"]
    dtypes: dict[str, str] = {}
    for column, spec in columns.items():
        if spec["type"] == "integer":
            dtypes[column] = "Int64" if spec["missing"] else "int64"
        elif spec["type"] == "number":
            dtypes[column] = "float64"
    path = resources.files(__name__).joinpath(record["file"])
    with path.open("r", encoding="utf-8", newline="") as handle:
        frame = pd.read_csv(handle, dtype=dtypes)
    for column, spec in columns.items():
        if spec["type"] == "date" and column in frame:
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    return frame


def load(name: str) -> pd.DataFrame:
    """Load dataset *name* as a new DataFrame.

    The file is parsed once per session and cached; every call returns a fresh copy,
    so a student who adds a column or drops rows in one cell does not change what the
    next ``load`` (or the next lesson) sees. Dtypes follow the manifest: see the
    module docstring.

    Raises:
        UnknownDatasetError: *name* is not a dataset; the message lists those there are.
    """
    _record(name)  # a clear error for a wrong name, before anything is cached
    return _read(name).copy(deep=True)


def _years(frame: pd.DataFrame) -> str:
    """The years a dataset covers, or "-" for one with no time (the map's geography)."""
    for column in ("year", "census_year"):
        if column in frame:
            return f"{int(frame[column].min())}-{int(frame[column].max())}"
    if "date" not in frame:
        return "-"
    dates = frame["date"]
    return f"{int(dates.min().year)}-{int(dates.max().year)}"


def catalogue() -> pd.DataFrame:
    """One row per dataset: title, rows, years covered and number of sources.

    For instructors choosing data for a class, and for ``python -m postsoviet datasets``.
    """
    rows = []
    for name in names():
        frame, record = _read(name), _record(name)
        rows.append(
            {
                "name": name,
                "title": record["title"],
                "rows": len(frame),
                "years": _years(frame),
                "sources": len(record["sources"]),
            }
        )
    return pd.DataFrame(rows)
