"""A small class built from the real exercises 04-energy and 05-elections.

- ana hands in both solutions, with written answers of her own, but leaves the chart
  of ex-05-2 as the stub;
- ben hands in exercise 04 with only ex-04-3 and the written ex-04-5 done, and no 05;
- cem hands in 04 solved but with a wrong ex-04-3 and the written task left blank, and
  05 solved except ex-05-2 and ex-05-4 (left as the stubs), with a written ex-05-5.

Expected automatic points (hand-computed from the tasks' points): ana 7 + 6, ben 1 + 0
(05 missing), cem 6 + 4. Written answers awaiting marking: ana ex-04-5, ana ex-05-5,
ben ex-04-5, cem ex-05-5.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NB04, NB05 = "04-energy.ipynb", "05-elections.ipynb"
ANA_04 = "Transit runs both ways: Russia needs Belarusian pipelines to reach the EU."
ANA_05 = "A self-selected count reaches only people who chose to report their vote."
BEN_04 = "Minsk could stop the transit."
CEM_05 = "Online counts over-represent urban, connected, opposition-minded voters."


def _read(kind: str, name: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / kind / name, as_version=4)


def _set(nb: nbformat.NotebookNode, grade_id: str, source: str) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
            return nb
    raise KeyError(grade_id)


def _source(nb: nbformat.NotebookNode, grade_id: str) -> str:
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return cell.source
    raise KeyError(grade_id)


def _stub(
    nb: nbformat.NotebookNode, blank: nbformat.NotebookNode, grade_id: str
) -> nbformat.NotebookNode:
    """A copy of ``nb`` with one answer cell as the student received it."""
    return _set(copy.deepcopy(nb), grade_id, _source(blank, grade_id))


def make_class(folder: Path, students: tuple[str, ...] = ("ana", "ben", "cem")) -> Path:
    """Write the submissions of ``students`` (one folder each) under ``folder``."""
    solved04, solved05 = _read("solutions", NB04), _read("solutions", NB05)
    blank04, blank05 = _read("exercises", NB04), _read("exercises", NB05)
    work = {
        ("ana", NB04): _set(copy.deepcopy(solved04), "ex-04-5", ANA_04),
        ("ana", NB05): _set(_stub(solved05, blank05, "ex-05-2-answer"), "ex-05-5", ANA_05),
        ("ben", NB04): _set(
            _set(copy.deepcopy(blank04), "ex-04-3-answer", _source(solved04, "ex-04-3-answer")),
            "ex-04-5",
            BEN_04,
        ),
        ("cem", NB04): _set(
            _set(copy.deepcopy(solved04), "ex-04-3-answer", "peak_import_year = 1999"),
            "ex-04-5",
            "YOUR ANSWER HERE",
        ),
        ("cem", NB05): _set(
            _stub(_stub(solved05, blank05, "ex-05-2-answer"), blank05, "ex-05-4-answer"),
            "ex-05-5",
            CEM_05,
        ),
    }
    for (student, name), nb in work.items():
        if student in students:
            (folder / student).mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / student / name)
    return folder
