"""Tests of the data layer: schema, provenance and a few figures checked by hand.

The spot checks repeat figures from the course's reference sheet of checked facts
(rows E1-E10), so a mistyped number in a CSV fails here rather than in a lesson.
"""

from __future__ import annotations

import csv
import json
import re
from importlib import resources

import jsonschema
import pandas as pd
import pytest

from postsoviet import data

DATA_DIR = resources.files("postsoviet.data")
NAMES = data.names()


def _manifest() -> dict:
    return json.loads(DATA_DIR.joinpath("manifest.json").read_text(encoding="utf-8"))


def _header(name: str) -> list[str]:
    """The column names as written in the CSV file, before pandas touches them."""
    path = DATA_DIR.joinpath(data.source(name)["file"])
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


# --- manifest -------------------------------------------------------------------------


def test_manifest_validates_against_its_schema() -> None:
    schema = json.loads(DATA_DIR.joinpath("manifest.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(_manifest())


def test_schema_rejects_a_source_without_address() -> None:
    schema = json.loads(DATA_DIR.joinpath("manifest.schema.json").read_text(encoding="utf-8"))
    manifest = _manifest()
    source = manifest["datasets"]["elections"]["sources"][0]
    source.pop("url", None)
    source.pop("read_at", None)
    with pytest.raises(jsonschema.ValidationError, match="any of the given schemas"):
        jsonschema.validate(manifest, schema, cls=jsonschema.Draft202012Validator)


def test_schema_accepts_an_original_read_only_at_a_copy() -> None:
    """An agency story read only in a reprint: the agency is the source, the copy 'read at'."""
    schema = json.loads(DATA_DIR.joinpath("manifest.schema.json").read_text(encoding="utf-8"))
    manifest = _manifest()
    source = manifest["datasets"]["elections"]["sources"][0]
    source.pop("url", None)
    source["read_at"] = "https://example.org/reprint"
    jsonschema.validate(manifest, schema, cls=jsonschema.Draft202012Validator)


def test_names_are_the_manifest_datasets() -> None:
    assert sorted(_manifest()["datasets"]) == NAMES
    assert "elections" in NAMES


def test_every_csv_file_is_in_the_manifest() -> None:
    shipped = {entry.name for entry in DATA_DIR.iterdir() if entry.name.endswith(".csv")}
    listed = {data.source(name)["file"] for name in NAMES}
    assert shipped == listed


def test_required_columns_cover_the_seven_contract_datasets() -> None:
    assert set(data.REQUIRED_COLUMNS) >= {
        "elections",
        "referendums",
        "gas_prices",
        "trade",
        "census_language",
        "ethnicity",
        "timeline",
    }
    assert all("source" in columns for columns in data.REQUIRED_COLUMNS.values())


# --- every dataset --------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_dataset_loads(name: str) -> None:
    frame = data.load(name)
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0


@pytest.mark.parametrize("name", NAMES)
def test_required_columns_present(name: str) -> None:
    assert name in data.REQUIRED_COLUMNS, f"{name} is not one of the contract datasets"
    missing = set(data.REQUIRED_COLUMNS[name]) - set(data.load(name).columns)
    assert not missing, f"{name} lacks required columns {sorted(missing)}"


@pytest.mark.parametrize("name", NAMES)
def test_every_column_is_documented_and_every_documented_column_exists(name: str) -> None:
    header = _header(name)
    assert len(header) == len(set(header)), "duplicate column names"
    assert set(header) == set(data.source(name)["columns"])


@pytest.mark.parametrize("name", NAMES)
def test_source_column_is_never_empty(name: str) -> None:
    sources = data.load(name)["source"]
    assert sources.notna().all()
    assert (sources.str.strip().str.len() > 0).all()


@pytest.mark.parametrize("name", NAMES)
def test_every_row_cites_a_listed_source_and_every_listed_source_is_cited(name: str) -> None:
    def bare(url: str) -> str:
        return re.sub(r"^https?://(www\.)?", "", url)

    # An original read only at a copy has no address of its own: rows cite the copy "read at".
    urls = [bare(entry.get("url") or entry["read_at"]) for entry in data.source(name)["sources"]]
    cited = data.load(name)["source"]
    for text in cited:
        assert any(url in text for url in urls), f"no manifest source matches: {text}"
    for url in urls:
        assert cited.str.contains(url, regex=False).any(), f"listed but never cited: {url}"


@pytest.mark.parametrize("name", NAMES)
def test_values_follow_the_manifest(name: str) -> None:
    frame = data.load(name)
    for column, spec in data.source(name)["columns"].items():
        if not spec["missing"]:
            assert frame[column].notna().all(), f"blank cells in {column}"
        if "values" in spec:
            used = set(frame[column].dropna())
            assert used <= set(spec["values"]), f"{column}: {used - set(spec['values'])}"
        if spec["type"] == "date":
            assert pd.api.types.is_datetime64_any_dtype(frame[column])
        if spec["type"] == "integer":
            assert pd.api.types.is_integer_dtype(frame[column])
        if spec["type"] == "number":
            assert pd.api.types.is_float_dtype(frame[column]), f"{column} is not float"


@pytest.mark.parametrize("name", NAMES)
def test_shares_are_floats_and_required_columns_are_declared(name: str) -> None:
    frame = data.load(name)
    columns = data.source(name)["columns"]
    for column in data.REQUIRED_COLUMNS[name]:
        assert column in columns, f"{column} is not documented in the manifest"
    for column in frame.columns:
        if column.endswith("_pct"):
            assert columns[column]["type"] == "number"
            assert pd.api.types.is_float_dtype(frame[column]), f"{column} is not float"


PCT_COLUMNS = [
    (name, column)
    for name in NAMES
    for column, spec in data.source(name)["columns"].items()
    if column.endswith("_pct")
]


def test_percentage_columns_exist() -> None:
    assert len(PCT_COLUMNS) >= 6


@pytest.mark.parametrize(("name", "column"), PCT_COLUMNS)
def test_percentages_are_between_0_and_100(name: str, column: str) -> None:
    values = data.load(name)[column].dropna()
    assert values.between(0, 100).all(), f"{name}.{column} outside 0-100"


# --- elections --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def elections() -> pd.DataFrame:
    return data.load("elections")


def test_base_and_status_take_only_their_contract_values(elections: pd.DataFrame) -> None:
    assert set(elections["base"]) == {"participants", "valid"}
    assert set(elections["status"]) == {"final", "preliminary"}


def test_one_row_per_election_round_candidate_base_and_status(elections: pd.DataFrame) -> None:
    key = ["year", "round", "candidate", "base", "status"]
    assert not elections.duplicated(key).any()


def test_shares_on_one_base_sum_to_at_most_100(elections: pd.DataFrame) -> None:
    totals = elections.groupby(["year", "round", "status", "base"])["votes_pct"].sum()
    assert (totals <= 100.5).all(), totals[totals > 100.5]


def test_one_turnout_per_election_round_and_status(elections: pd.DataFrame) -> None:
    turnouts = elections.groupby(["year", "round", "status"])["turnout_pct"].nunique()
    assert (turnouts == 1).all()


def test_dates_agree_with_year_and_announcements_follow_polling_day(
    elections: pd.DataFrame,
) -> None:
    assert (elections["date"].dt.year == elections["year"]).all()
    announced = elections.dropna(subset=["announced"])
    assert (announced["announced"] >= announced["date"]).all()


def test_final_2020_votes_match_the_published_shares(elections: pd.DataFrame) -> None:
    """The CEC's shares are of the 5,818,955 people who took part (reference sheet E8)."""
    rows = elections.query("year == 2020 and status == 'final' and base == 'participants'")
    assert rows["votes"].notna().all()
    recomputed = (rows["votes"].astype(float) / 5_818_955 * 100).round(2)
    pd.testing.assert_series_equal(recomputed, rows["votes_pct"], check_names=False)


def test_polling_days(elections: pd.DataFrame) -> None:
    days = elections.groupby(["year", "round"])["date"].unique().map(lambda d: d[0])
    assert days[(2020, 1)] == pd.Timestamp("2020-08-09")
    assert days[(1994, 1)] == pd.Timestamp("1994-06-23")
    assert days[(1994, 2)] == pd.Timestamp("1994-07-10")
    assert days[(2025, 1)] == pd.Timestamp("2025-01-26")


# --- API behaviour ----------------------------------------------------------------------


@pytest.mark.parametrize("call", [data.load, data.source])
def test_unknown_name_raises_a_clear_lookup_error(call) -> None:
    with pytest.raises(LookupError) as caught:
        call("electons")
    assert isinstance(caught.value, KeyError)
    message = str(caught.value)
    assert message.startswith("There is no dataset called 'electons'.")
    assert "Available datasets: " + ", ".join(NAMES) + "." in message
    assert "Did you mean 'elections'?" in message


def test_a_name_of_the_wrong_type_gets_the_same_clear_error() -> None:
    with pytest.raises(data.UnknownDatasetError, match="Available datasets"):
        data.load(["elections"])  # type: ignore[arg-type]


def test_load_returns_an_independent_copy() -> None:
    first = data.load("elections")
    first.loc[first.index[0], "votes_pct"] = -1.0
    first.loc[first.index[0], "candidate"] = "someone else"
    first["extra"] = 1
    second = data.load("elections")
    assert "extra" not in second.columns
    assert second["votes_pct"].iloc[0] == pytest.approx(44.82)
    assert second["candidate"].iloc[0] == "Lukashenko"


def test_source_returns_an_independent_copy() -> None:
    record = data.source("elections")
    record["sources"].clear()
    record["title"] = "changed"
    again = data.source("elections")
    assert again["sources"]
    assert again["title"] != "changed"


def test_catalogue_lists_every_dataset_with_its_size(capsys: pytest.CaptureFixture[str]) -> None:
    table = data.catalogue()
    assert list(table["name"]) == data.names()
    for row in table.itertuples():
        assert row.rows == len(data.load(row.name))
        assert row.sources == len(data.source(row.name)["sources"]) > 0
    from postsoviet.__main__ import main

    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in data.names())
