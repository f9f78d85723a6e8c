"""Sources a seminar can cite: no Wikipedia mirror or content farm stands in for a source.

Lessons, chart source lines, the datasets' ``source`` columns and the data manifest must
name the original publisher and work (the CEC, Belstat, the agency that wrote the story,
the Wikipedia article itself). Where only a copy could be read, its address may appear
after the words "read at" (in the manifest: in a source's ``read_at`` field), never as
the source itself. Each failure names the file, the place in it and the address.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "postsoviet" / "data"

#: Known Wikipedia mirrors and content farms or aggregators that republish others' reports.
MIRROR_DOMAINS = (
    # Wikipedia mirrors and copies
    "wiki7.org",
    "wikipedia-on-ipfs.org",
    "enwikipedia.net",
    "osmarks.net",
    "frwiki.wiki",
    "wikiclassic.com",
    "qa.edu.vn",
    "iiab.me",
    "search.com.vn",
    "piglix.com",
    "liquisearch.com",
    "self.gutenberg.org",
    "duhoctrungquoc.vn",
    "perceptiopt.com",
    "perceptioes.com",
    "movatter.jp",
    "wikiwand.com",
    "1uptravel.com",
    "reference.allrefer.com",
    # content farms and aggregators
    "mashviral.com",
    "pledgetimes.com",
    "urdupoint.com",
    "devdiscourse.com",
)

_DOMAIN = re.compile(
    r"(?<![a-z0-9.-])(?:[a-z0-9-]+\.)*(?:" + "|".join(map(re.escape, MIRROR_DOMAINS)) + r")\b",
    re.IGNORECASE,
)
# "read at" followed by the address, optionally as a markdown link: read at [Name](https://...
# In code, a structured field counts too: read_at=("copy.example.org ...",).
_READ_AT = re.compile(
    r"read[ _]at:?\s*(?:=\s*\(?\s*[\"'])?(?:\[[^\]]*\]\()?(?:https?://)?$", re.IGNORECASE
)


def uncited_copies(text: str) -> list[str]:
    """The mirror or content-farm addresses in *text* not introduced by "read at".

    Line breaks that a table inserts to wrap long cells (``<br>``) are read as spaces, as a
    reader sees them.
    """
    text = re.sub(r"<br\s*/?>", " ", text)
    found = []
    for match in _DOMAIN.finditer(text):
        if not _READ_AT.search(text[max(0, match.start() - 120) : match.start()]):
            end = re.search(r"[\s)\]\"';,]|$", text[match.end() :])
            found.append(text[match.start() : match.end() + (end.start() if end else 0)])
    return found


def _notebook_texts(path: Path) -> Iterator[tuple[str, str]]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook["cells"]):
        yield f"cell {number}", "".join(cell["source"])
        for output in cell.get("outputs", []):
            for kind, value in output.get("data", {}).items():
                if kind.startswith("text/"):
                    yield f"cell {number} output ({kind})", "".join(value)
            if "text" in output:
                yield f"cell {number} output", "".join(output["text"])


def _csv_texts(path: Path) -> Iterator[tuple[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            for column, value in row.items():
                yield f"line {number}, column {column}", value or ""


def _python_texts(path: Path) -> Iterator[tuple[str, str]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        yield f"line {number}", line


def _places() -> list[Path]:
    return sorted(
        [
            *ROOT.glob("course/*.ipynb"),
            *ROOT.glob("solutions/*.ipynb"),
            *DATA.glob("*.csv"),
            *(ROOT / "src" / "postsoviet").rglob("*.py"),
        ]
    )


def _texts(path: Path) -> Iterator[tuple[str, str]]:
    if path.suffix == ".ipynb":
        return _notebook_texts(path)
    if path.suffix == ".csv":
        return _csv_texts(path)
    return _python_texts(path)


@pytest.mark.parametrize("path", _places(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_copy_is_cited_as_a_source(path: Path) -> None:
    problems = [
        f"{path.relative_to(ROOT)}, {place}: {address}"
        for place, text in _texts(path)
        for address in uncited_copies(text)
    ]
    assert not problems, (
        "A Wikipedia mirror or content farm is cited as a source; cite the original "
        "publisher and work, and give the copy only as 'read at ...':\n" + "\n".join(problems)
    )


def test_manifest_gives_copies_only_as_read_at() -> None:
    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    problems = []
    for name, record in manifest["datasets"].items():
        for number, source in enumerate(record["sources"]):
            for field in ("title", "publisher", "url"):
                for address in _DOMAIN.findall(source.get(field, "")):
                    problems.append(f"{name}, source {number} ({field}): {address}")
            if "read_at" in source and not source.get("url") and not source.get("publisher"):
                problems.append(f"{name}, source {number}: a 'read at' copy with no original")
        for number, note in enumerate(record.get("notes", [])):
            problems += [f"{name}, note {number}: {a}" for a in uncited_copies(note)]
    assert not problems, (
        "manifest.json cites a copy as a source (keep copies in 'read_at' only):\n"
        + "\n".join(problems)
    )


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Sputnik, 19 July 2019, read at [UrduPoint](https://www.urdupoint.com/en/x.html)", []),
        ("Wikipedia (ru), read at pt.wiki7.org/wiki/X", []),
        (
            "[Reuters via Devdiscourse](https://www.devdiscourse.com/article/1)",
            ["www.devdiscourse.com/article/1"],
        ),
        ("Wikipedia copy: search.com.vn/wiki/en/X; BBC", ["search.com.vn/wiki/en/X"]),
        ("RIA Novosti via Pledge Times: https://pledgetimes.com/a/", ["pledgetimes.com/a/"]),
        ("read at UrduPoint; later copy: piglix.com/x", ["piglix.com/x"]),
        ('read_at=("piglix.com (a copy of the Wikipedia article)",),', []),
        ('source="piglix.com/piglix/Flag_of_Belarus"', ["piglix.com/piglix/Flag_of_Belarus"]),
        ("the BBC at news.bbc.co.uk/2/hi/europe/1.stm", []),
    ],
)
def test_the_rule_flags_copies_given_as_sources(text: str, flagged: list[str]) -> None:
    assert uncited_copies(text) == flagged
