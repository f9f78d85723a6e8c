"""Lesson 02 in JupyterLab: the two-calendars board and the census explorer, by mouse and keyboard.

Every assertion reads the widget's own output area: the cell's source also contains the
words the feedback uses.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from notebook_page import (
    ROOT,
    code_cell_count,
    new_tab,
    open_notebook,
    output_area,
    restart_and_run_all,
    save_artefacts,
)

LESSON = "course/02-identity.ipynb"


@pytest.fixture(scope="module", params=[LESSON], ids=["02-identity"])
def lesson_tab(request, browser, lab):
    """One run of the lesson, shared by the tests below (each uses its own card)."""
    context, tab, errors = new_tab(browser)
    open_notebook(tab, lab, request.param)
    restart_and_run_all(tab, code_cell_count(ROOT / request.param))
    # The stored notebook already shows prompts [1]..[n], so wait for what only a fresh run
    # draws: the widgets themselves (the text fallbacks are stored, the widgets are not).
    expect(tab.locator(".postsoviet-calendar")).to_have_count(1, timeout=120_000)
    expect(tab.locator(".postsoviet-explorer")).to_have_count(1)
    yield tab, errors
    context.close()


@pytest.fixture
def lesson(lesson_tab, request):
    tab, errors = lesson_tab
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_artefacts(tab, request.node.name, errors)


def _card(tab, number: int):
    board = output_area(tab, "CalendarBoard()").locator(".postsoviet-calendar")
    return board.locator(":scope > .widget-vbox").nth(number - 1)


def test_calendar_card_answered_by_clicking(lesson) -> None:
    card = _card(lesson, 7)  # 17 September, National Unity Day
    expect(card).to_contain_text("17 September")
    feedback = card.locator(".postsoviet-feedback")
    card.get_by_role("button", name="Check").click()
    expect(feedback).to_have_text(re.compile(r"^\? Choose a story"))
    card.get_by_role("button", name="official story", exact=True).click()
    card.get_by_role("button", name="official today: yes").click()
    expect(card).to_contain_text("Your answer: official story / official today: yes")
    chosen = card.locator(".postsoviet-chosen")  # marked in words, not by colour alone
    expect(chosen).to_have_text(["● official story", "● official today: yes"])
    card.get_by_role("button", name="Check").click()
    expect(feedback).to_have_text(re.compile(r"^✓ Card 7, 17 September: both right\."))
    expect(feedback).to_contain_text("Decree No. 206")
    assert feedback.get_attribute("role") == "status"


def test_calendar_card_answered_with_the_keyboard_only(lesson) -> None:
    card = _card(lesson, 1)  # 25 March, Freedom Day
    keys = lesson.keyboard
    card.get_by_role("button", name="national-revival story").focus()
    keys.press("Enter")  # the national-revival story
    keys.press("Tab")  # official story
    keys.press("Tab")  # official today: yes
    keys.press("Tab")  # official today: no
    keys.press("Space")
    keys.press("Tab")  # Check
    keys.press("Enter")
    feedback = card.locator(".postsoviet-feedback")
    expect(feedback).to_have_text(re.compile(r"^✓ Card 1, 25 March: both right\."))
    expect(feedback).to_contain_text("not an official holiday")


def test_a_wrong_story_is_named_in_words(lesson) -> None:
    card = _card(lesson, 3)  # 3 July, Independence Day
    card.get_by_role("button", name="national-revival story").click()
    card.get_by_role("button", name="official today: yes").click()
    card.get_by_role("button", name="Check").click()
    expect(card.locator(".postsoviet-feedback")).to_have_text(
        re.compile(r"^✗ Card 3, 3 July: official today: right; story: not quite\.")
    )


def test_census_explorer_follows_its_buttons(lesson) -> None:
    explorer = output_area(lesson, "CensusExplorer()").locator(".postsoviet-explorer")
    status, image = explorer.locator("[role=status]"), explorer.locator("img")
    expect(status).to_contain_text("2009 census, whole population")
    expect(status).to_contain_text("gap +")
    before = image.get_attribute("src")
    explorer.get_by_role("button", name=re.compile(r"ethnic Belarusians$")).click()
    expect(status).to_contain_text("2009 census, ethnic Belarusians")
    expect(image).not_to_have_attribute("src", before)
    explorer.get_by_role("button", name=re.compile(r"^(● )?1999$")).focus()
    lesson.keyboard.press("Enter")
    expect(status).to_contain_text("1999 census, ethnic Belarusians")
    expect(image).to_have_attribute("alt", re.compile(r"1999 census"))
    explorer.get_by_role("button", name=re.compile(r"language at home$")).focus()
    lesson.keyboard.press("Space")
    expect(status).to_contain_text("language usually spoken at home")


def test_model_answers_stay_collapsed_until_asked_for(lesson) -> None:
    """The census explorer's model answers render folded; Enter on the summary opens them."""
    details = lesson.locator(".jp-RenderedMarkdown details").filter(
        has=lesson.locator("summary", has_text="Model answers")
    )
    first = details.first
    answer = first.get_by_text(re.compile(r"most spoke \*?\*?Russian\*?\*? at home|70\.2%"))
    expect(first).to_be_attached()
    expect(answer.first).to_be_hidden()
    summary = first.locator("summary")
    summary.focus()
    summary.press("Enter")
    expect(answer.first).to_be_visible()
