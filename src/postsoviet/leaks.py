"""What students must never be able to read, and a scan that finds it in any text.

The instructor side of the course is ``solutions/``: quiz sources with plain answers
(``solutions/quizzes/*.yaml``) and solution notebooks whose nbgrader regions hold code
solutions, written model answers and rubrics, plus ``instructor-only`` notes. This
module turns those sources into *fingerprints* and looks for them in text, so that the
student copy (:mod:`postsoviet.student_copy`) can refuse to publish a leak and its test
can prove, over every object of the published repository, that none is there.

What counts as a fingerprint, and why:

- **quiz key**: a question's id followed (within one question's length) by an
  ``answer`` field carrying its key, in YAML, JSON or Python spelling
  (``answer: b``, ``"answer": ["a", "c"]``, ``answer = 33``); and the question's
  explanation, which the public bank only holds encrypted under the right answer, so
  its plain text anywhere means the key source travelled with it. A bare letter or
  number alone is not a fingerprint: ``b`` or ``33`` say nothing without the question,
  and the lessons teach the facts their quizzes ask about.
- **solution**: every line longer than 12 characters inside a ``BEGIN SOLUTION`` /
  ``END SOLUTION`` region, hidden tests or mark scheme, and every such line of a cell
  nbgrader replaces whole (written answers: model answer and rubric) or of a cell
  tagged ``instructor-only``. Short lines (``return x``) are too common to be evidence.

Texts are compared after folding whitespace, so a YAML string folded over several
lines, or a notebook's JSON with ``\\n`` escapes, is still found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

__all__ = ["Fingerprint", "Leak", "fingerprints", "notebook_text", "scan"]

MIN_LINE = 12
# Distance, in characters after a question id, within which its answer field must follow.
KEY_WINDOW = 1500
REGION = re.compile(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)")
INSTRUCTOR_TAG = "instructor-only"


@dataclass(frozen=True)
class Fingerprint:
    """One secret: what kind, where it comes from (never the secret itself), how to see it.

    Either ``text`` must not appear, or ``pattern`` must not match within ``KEY_WINDOW``
    characters after an occurrence of ``anchor`` (a question id standing alone).
    """

    kind: str  # "quiz key" or "solution"
    origin: str  # e.g. "quizzes/04-energy.yaml: energy-3"
    text: str = ""
    anchor: str = ""
    pattern: re.Pattern[str] | None = None

    def found_in(self, folded: str) -> bool:
        if self.pattern is None:
            return self.text in folded
        start = folded.find(self.anchor)
        while start != -1:
            end = start + len(self.anchor)
            alone = (start == 0 or not _ID_CHAR(folded[start - 1])) and (
                end == len(folded) or not _ID_CHAR(folded[end])
            )
            if alone and self.pattern.search(folded, end, end + KEY_WINDOW):
                return True
            start = folded.find(self.anchor, end)
        return False


def _ID_CHAR(character: str) -> bool:
    return character.isalnum() or character in "_-"


@dataclass(frozen=True)
class Leak:
    """A fingerprint found in a named text: printable without repeating the secret."""

    kind: str
    origin: str
    place: str

    def __str__(self) -> str:
        return f"{self.place}: contains a {self.kind} from {self.origin}"


def fold(text: str) -> str:
    """Whitespace folded to single spaces, so line wrapping cannot hide a secret."""
    return " ".join(text.split())


def _answer_spellings(answer: object) -> list[str]:
    """Regex alternatives for an ``answer`` value as YAML, JSON or Python would write it."""
    if isinstance(answer, list):
        items = [re.escape(str(item)) for item in answer]
        quoted = r"""\s*,\s*""".join(rf"""["']?{item}["']?""" for item in items)
        return [rf"\[\s*{quoted}\s*\]", rf"-\s*{items[0]}"]
    value = f"{answer:g}" if isinstance(answer, float) else str(answer)
    return [rf"""["']?{re.escape(value)}["']?"""]


def _key_pattern(answer: object) -> re.Pattern[str]:
    spellings = "|".join(_answer_spellings(answer))
    return re.compile(rf"""\banswer["']?\s*[:=]\s*(?:{spellings})(?![\w.])""")


def quiz_fingerprints(source: Path) -> Iterator[Fingerprint]:
    """The key and sealed explanation of every question of one quiz source file."""
    data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    for question in data.get("questions", []):
        origin = f"{source.parent.name}/{source.name}: {question['id']}"
        key = _key_pattern(question["answer"])
        yield Fingerprint("quiz key", origin, anchor=question["id"], pattern=key)
        yield Fingerprint("quiz key", origin, text=fold(str(question["explanation"])))


def _secret_lines(cell: nbformat.NotebookNode) -> Iterator[str]:
    source = cell.get("source", "")
    metadata = cell.get("metadata", {})
    whole = INSTRUCTOR_TAG in metadata.get("tags", []) or (
        cell.get("cell_type") == "markdown" and metadata.get("nbgrader", {}).get("solution")
    )
    inside = False
    for line in source.splitlines():
        marker = REGION.search(line)
        if marker:
            inside = marker.group(1) == "BEGIN"
            continue
        if (inside or whole) and len(line.strip()) > MIN_LINE:
            yield line.strip()


def solution_fingerprints(notebook: Path) -> Iterator[Fingerprint]:
    """Every substantial line a solution notebook keeps from students."""
    cells = nbformat.read(notebook, as_version=4).cells
    for number, cell in enumerate(cells):
        for line in _secret_lines(cell):
            yield Fingerprint(
                "solution", f"{notebook.parent.name}/{notebook.name} cell {number}", text=fold(line)
            )


def fingerprints(solutions: Path) -> list[Fingerprint]:
    """Every fingerprint of an instructor folder (``solutions/`` with ``quizzes/``)."""
    found: list[Fingerprint] = []
    for source in sorted((solutions / "quizzes").glob("*.yaml")):
        found.extend(quiz_fingerprints(source))
    for notebook in sorted(solutions.glob("*.ipynb")):
        found.extend(solution_fingerprints(notebook))
    if not found:
        raise FileNotFoundError(f"{solutions} holds no quiz sources or solution notebooks")
    return found


def notebook_text(raw: str) -> str:
    """The readable text of a notebook's JSON (sources and outputs), or "" if not one."""
    try:
        data = json.loads(raw)
    except ValueError:
        return ""
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return ""
    parts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    for cell in data["cells"]:
        if isinstance(cell, dict):
            walk(cell.get("source", ""))
            walk(cell.get("outputs", []))
            walk(cell.get("metadata", {}))
    return "\n".join(parts)


def scan(texts: Iterable[tuple[str, str]], prints: list[Fingerprint]) -> list[Leak]:
    """Every fingerprint found in each ``(place, text)``; notebooks are read as notebooks too."""
    leaks: list[Leak] = []
    for place, raw in texts:
        folded = fold(raw)
        readable = fold(notebook_text(raw))
        for item in prints:
            if item.found_in(folded) or (readable and item.found_in(readable)):
                leaks.append(Leak(item.kind, item.origin, place))
    return leaks
