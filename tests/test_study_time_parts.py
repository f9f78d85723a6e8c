"""Lessons 04-06 come in two parts: each part states its measured time and stays readable.

A part ends at the "**End of part 1.**" rule; each part is measured with the course's one
measure (``postsoviet.notebooks.study_time``) by writing it out as a notebook of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from postsoviet.notebooks import study_time

ROOT = Path(__file__).resolve().parent.parent
TWO_PART_LESSONS = ("04-energy", "05-elections", "06-after-2020")
READING_LIMIT = 2500
BREAK = "**End of part 1.**"
STATED = re.compile(
    r"part 1 about (\d+) minutes \(([\d,]+) words.*?part 2 about (\d+) minutes \(([\d,]+) words",
    re.DOTALL,
)


def _parts(name: str, tmp_path: Path):
    nb = nbformat.read(ROOT / "course" / f"{name}.ipynb", as_version=4)
    cut = [i for i, cell in enumerate(nb.cells) if BREAK in cell.source]
    assert len(cut) == 1, f"{name}: expected one '{BREAK}' cell, found {len(cut)}"
    measured = []
    for number, cells in enumerate((nb.cells[: cut[0]], nb.cells[cut[0] :]), start=1):
        part = nbformat.v4.new_notebook(cells=cells, metadata=nb.metadata)
        path = tmp_path / f"{name}-part{number}.ipynb"
        nbformat.write(part, path)
        measured.append(study_time(path))
    return nb.cells[0].source, measured


@pytest.mark.parametrize("name", TWO_PART_LESSONS)
def test_each_part_states_its_measured_time(name: str, tmp_path: Path) -> None:
    intro, (one, two) = _parts(name, tmp_path)
    found = STATED.search(intro)
    assert found, f"{name}: the first cell should state the time of each part"
    stated = [int(found.group(k).replace(",", "")) for k in (1, 2, 3, 4)]
    assert stated == [one.minutes, one.words, two.minutes, two.words], (name, one, two)


@pytest.mark.parametrize("name", TWO_PART_LESSONS)
def test_each_part_stays_under_the_reading_limit(name: str, tmp_path: Path) -> None:
    _, parts = _parts(name, tmp_path)
    for number, part in enumerate(parts, start=1):
        assert part.words <= READING_LIMIT, f"{name} part {number}: {part.words} words"
