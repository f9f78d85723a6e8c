"""Lesson 06 in JupyterLab: the prediction check, by mouse and by keyboard alone.

The generic tests in test_lab.py already drive the relations explorer (any
``.postsoviet-explorer``) and audit the lesson with axe; these tests cover the
prediction check, which is not an explorer. Every assertion reads the cell's OUTPUT area.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from postsoviet.relations import PREDICTIONS

from notebook_page import (
    ACTIVE,
    ROOT,
    code_cell_count,
    new_tab,
    open_notebook,
    output_area,
    restart_and_run_all,
    save_artefacts,
)

PATH = "course/06-after-2020.ipynb"
RIGHT = [item.outcome for item in PREDICTIONS]


def _other(option: str) -> str:
    return "no" if option == "yes" else "yes"


@pytest.fixture(scope="module")
def lesson_tab(browser, lab):
    """One full run of lesson 06, shared by the tests below (each resets what it changes)."""
    context, tab, errors = new_tab(browser)
    open_notebook(tab, lab, PATH)
    restart_and_run_all(tab, code_cell_count(ROOT / PATH))
    yield tab, errors
    context.close()


@pytest.fixture
def lesson(lesson_tab, request):
    tab, errors = lesson_tab
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_artefacts(tab, request.node.name, errors)


def _prediction_shown(row):
    """The row's "Your prediction: ..." line, to compare whole: "no" is in "none yet"."""
    return row.locator("em", has_text="Your prediction:")


def _board(tab):
    board = output_area(tab, "PredictionCheck()").locator(".postsoviet-predictions")
    board.get_by_role("button", name="Reveal what happened").wait_for()
    return board


@pytest.mark.parametrize("path", [PATH])
def test_before_running_the_check_says_what_it_is(page, lab, path) -> None:
    open_notebook(page, lab, path)
    text = " ".join(output_area(page, "PredictionCheck()").inner_text().split())  # wrapped
    assert "Prediction check" in text and "Run this cell" in text
    assert "VBox(" not in text


@pytest.mark.parametrize("path", [PATH])
def test_prediction_check_by_mouse(lesson, path) -> None:
    board = _board(lesson)
    feedback = board.locator(".postsoviet-feedback")
    board.get_by_role("button", name="Start again").click()
    board.get_by_role("button", name="Reveal what happened").click()
    expect(feedback).to_have_text(re.compile(r"^\? Record a prediction for every question"))
    assert feedback.get_attribute("role") == "status"
    rows = output_area(lesson, "PredictionCheck()").locator(
        ".postsoviet-predictions > .widget-vbox"
    )
    expect(rows).to_have_count(len(PREDICTIONS))
    answers = [*RIGHT[:1], _other(RIGHT[1]), *RIGHT[2:]]  # one wrong, on purpose
    for index, option in enumerate(answers):
        rows.nth(index).get_by_role("button", name=option, exact=True).click()
        expect(_prediction_shown(rows.nth(index))).to_have_text(f"Your prediction: {option}")
    board.get_by_role("button", name="Reveal what happened").click()
    expect(feedback).to_contain_text(f"You foresaw {len(RIGHT) - 1} of the {len(RIGHT)}")
    text = feedback.inner_text()
    assert text.count("✓ foreseen") == len(RIGHT) - 1 and text.count("✗ not foreseen") == 1
    assert "Source:" in text and "tass.com" in text
    # The chosen button says so in its words ("● yes"), and is locked after Reveal.
    expect(rows.nth(0).get_by_role("button", name=f"● {RIGHT[0]}", exact=True)).to_be_disabled()


@pytest.mark.parametrize("path", [PATH])
def test_prediction_check_with_the_keyboard_only(lesson, path) -> None:
    board = _board(lesson)
    feedback = board.locator(".postsoviet-feedback")
    again = board.get_by_role("button", name="Start again")
    again.focus()
    keys = lesson.keyboard
    keys.press("Enter")
    expect(feedback).to_have_text("Predictions cleared.")
    rows = output_area(lesson, "PredictionCheck()").locator(
        ".postsoviet-predictions > .widget-vbox"
    )
    expect(rows).to_have_count(len(PREDICTIONS))  # so the loops below are not empty
    for button in rows.get_by_role("button").all():  # unlocked again before any key
        expect(button).to_be_enabled()
    # Cleared on screen too: the earlier test left most rows at the answers typed below,
    # so without this the wait after each row could pass on the old text while the keys
    # ran ahead of the kernel.
    for row in rows.all():
        expect(_prediction_shown(row)).to_have_text("Your prediction: none yet")
    rows.nth(0).get_by_role("button", name="yes", exact=True).focus()
    for number, option in enumerate(RIGHT):  # each row: yes, then no; Tab moves along
        if option == "yes":
            keys.press("Enter")
            keys.press("Tab")
        else:
            keys.press("Tab")
            keys.press("Enter")
        # the kernel has taken this row's answer before the keys move on
        expect(_prediction_shown(rows.nth(number))).to_have_text(f"Your prediction: {option}")
        keys.press("Tab")
    keys.press("Enter")  # focus is now on "Reveal what happened"
    expect(feedback).to_contain_text(f"✓ You foresaw {len(RIGHT)} of the {len(RIGHT)}")
    assert "✗" not in feedback.inner_text()
    explorer = lesson.locator(f"{ACTIVE} .postsoviet-explorer")
    expect(explorer).to_have_count(1)  # the prediction check is not counted as an explorer
