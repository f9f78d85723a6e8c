"""The marking view in JupyterLab: mark one written answer with the keyboard alone.

A one-student class (ana, the real exercises 04 and 05) is graded with the real
``grade`` command, and ``mark --no-lab`` writes ``marking.ipynb``; a JupyterLab of this
test's own serves that folder (the session's lab serves the course, not a gradebook).
Every assertion reads the cell's output area, and the saved marks file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from postsoviet.__main__ import main
from tests.gradingclass import make_class

from notebook_page import ACTIVE, LabDidNotStart, open_notebook, output_area, running_lab


@pytest.fixture(scope="module")
def marking_lab(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    base = tmp_path_factory.mktemp("marking")
    submissions = make_class(base / "submissions", students=("ana",))
    grades = base / "grades"
    assert main(["grade", str(submissions), "--out", str(grades), "--quiet", "--jobs", "1"]) == 0
    assert main(["mark", str(grades), "--no-lab", "--marker", "kim"]) == 0
    files = {f"grades/{p.relative_to(grades)}": p for p in grades.rglob("*") if p.is_file()}
    try:
        with running_lab(base / "lab", files) as served:
            yield served
    except LabDidNotStart as error:
        pytest.fail(str(error))


def _run_the_code_cell(page) -> None:
    """Select the notebook's code cell and run it with Ctrl+Enter, as a marker would.

    The notebook has no stored outputs, so on a loaded machine JupyterLab may still be
    connecting the kernel when the keys arrive; it then asks which kernel to use (Enter
    accepts the preselected Python 3) without running the cell, and the keys are pressed
    again. The prompt showing a number is the sign that the cell ran.
    """
    page.add_locator_handler(
        page.locator(".jp-Dialog"), lambda dialog: page.keyboard.press("Enter")
    )
    prompt = page.locator(f"{ACTIVE} .jp-CodeCell .jp-InputPrompt").first
    for attempt in range(3):
        page.locator(f"{ACTIVE} .jp-Cell").first.click()  # the heading cell
        page.keyboard.press("Escape")  # command mode
        page.keyboard.press("ArrowDown")  # to the code cell
        page.keyboard.press("Control+Enter")
        try:
            expect(prompt).to_have_text(re.compile(r"\[[0-9*]+\]"), timeout=30_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def test_mark_one_answer_with_the_keyboard(page, marking_lab) -> None:
    open_notebook(page, marking_lab, "grades/marking.ipynb")
    _run_the_code_cell(page)
    view = output_area(page, "open_marking")
    expect(view.get_by_text("0 of 2 marked")).to_be_visible()
    expect(view.get_by_text("Transit runs both ways")).to_be_visible()
    expect(view.get_by_text("Model answer and rubric")).to_be_visible()

    view.locator(".widget-text input").focus()  # the view's first control; then keys only
    page.keyboard.press("Control+A")
    page.keyboard.type("2.5")
    page.keyboard.press("Tab")  # to the comment
    page.keyboard.type("Both directions, but no source for the EU's share.")
    # A marker reads the comment back before moving on; meanwhile the box sends what was
    # typed to the kernel (ipywidgets syncs a text box while it is typed into).
    page.wait_for_timeout(500)
    page.keyboard.press("Tab")  # to Save and next
    page.keyboard.press("Enter")

    expect(
        view.get_by_text("✓ Saved 2.5 of 3 points for ana's ex-04-5. 1 of 2 marked.")
    ).to_be_visible()
    expect(view.get_by_text("ex-05-5: ana")).to_be_visible()  # on to the next answer
    marks = Path(marking_lab["served"]) / "grades" / "marks.csv"
    with marks.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["task_id"], r["points"], r["marker"]) for r in rows] == [("ex-04-5", "2.5", "kim")]
    assert rows[0]["comment"] == "Both directions, but no source for the EU's share."
