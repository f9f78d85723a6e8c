"""The marking view in JupyterLab: mark a written answer, and override an automatic
result, with the keyboard alone.

A one-student class (ana, the real exercises 04 and 05) is graded with the real
``grade`` command into a folder the session's JupyterLab serves, and ``mark --no-lab``
writes ``marking.ipynb`` there. Every assertion reads the cell's output area, and the
saved marks file.
"""

from __future__ import annotations

import csv
import re
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import expect

from postsoviet.__main__ import main
from tests.gradingclass import make_class

from notebook_page import ACTIVE, open_notebook, output_area, wait_for_kernel_settled


@pytest.fixture
def grades(browser, lab: dict[str, str], tmp_path: Path) -> str:
    """The class's grades folder, as the session's JupyterLab serves it."""
    submissions = make_class(tmp_path / "submissions", students=("ana",))
    folder = f"grades-{secrets.token_hex(4)}"
    out = Path(lab["served"]) / folder
    assert main(["grade", str(submissions), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    assert main(["mark", str(out), "--no-lab", "--marker", "kim"]) == 0
    return folder


def _run_the_code_cell(page) -> None:
    """Select the notebook's code cell and run it with Ctrl+Enter, as a marker would.

    The notebook has no stored outputs, so on a loaded machine JupyterLab may still be
    connecting the kernel when the keys arrive; it then asks which kernel to use (Enter
    accepts the preselected Python 3) without running the cell, and the keys are pressed
    again. The prompt showing a number is the sign that the cell ran. The keys wait until
    the kernel has settled: a cell run while its connection was still being replaced ran,
    but its widget stayed at "Loading widget..." (the front end never heard of it).
    """
    wait_for_kernel_settled(page)
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


def test_mark_one_answer_with_the_keyboard(page, lab, grades: str) -> None:
    open_notebook(page, lab, f"{grades}/marking.ipynb")
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
    marks = Path(lab["served"]) / grades / "marks.csv"
    with marks.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["task_id"], r["points"], r["marker"]) for r in rows] == [("ex-04-5", "2.5", "kim")]
    assert rows[0]["comment"] == "Both directions, but no source for the EU's share."


def test_override_an_automatic_result_with_the_keyboard(page, lab, grades: str) -> None:
    open_notebook(page, lab, f"{grades}/marking.ipynb")
    _run_the_code_cell(page)
    view = output_area(page, "open_marking")
    opener = view.get_by_role("button", name="Override an automatic result")
    expect(opener).to_be_visible()
    opener.focus()  # then keys only: Enter opens the form, Tab walks through it
    page.keyboard.press("Enter")
    expect(view.get_by_text("0 overrides so far.")).to_be_visible()
    page.keyboard.press("Tab")  # the student, already ana (the student on screen)
    page.keyboard.press("Tab")  # the task id
    page.keyboard.type("ex-05-2")
    page.keyboard.press("Tab")  # the points
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Tab")  # why
    page.keyboard.type("The chart is right; the check needs a figure, not the axes.")
    page.wait_for_timeout(500)  # the boxes send what was typed to the kernel
    page.keyboard.press("Tab")  # Save override
    page.keyboard.press("Enter")

    expect(
        view.get_by_text("✓ Saved: 1 of 1 points for ana's ex-05-2, instead of the grader's 0")
    ).to_be_visible()
    marks = Path(lab["served"]) / grades / "marks.csv"
    with marks.open(encoding="utf-8", newline="") as stream:
        rows = {r["task_id"]: r for r in csv.DictReader(stream)}
    assert rows["ex-05-2"]["points"] == "1" and rows["ex-05-2"]["marker"] == "kim"
    assert rows["ex-05-2"]["comment"].startswith("The chart is right")
