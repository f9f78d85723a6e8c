"""What students see in JupyterLab: stored outputs, a full run, quizzes by mouse and keyboard.

The tests after a full run share one run per notebook (``ran_notebook``, conftest.py).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from notebook_page import (
    ACTIVE,
    ROOT,
    notebooks_under_test,
    open_notebook,
    output_area,
    tick,
    wait_for_kernel_settled,
)

NOTEBOOKS = notebooks_under_test()
START = "course/00-start-here.ipynb"
RAW_REPRS = ("VBox(children", "HBox(children", "Error displaying widget", "model not found")
KEY = {
    q["id"]: q
    for q in yaml.safe_load((ROOT / "solutions/quizzes/00-start-here.yaml").read_text())[
        "questions"
    ]
}


def _file(lab: dict[str, str], path: str) -> Path:
    return Path(lab["served"]) / path


def _stored_images(path: Path) -> int:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))


def _shown_question_ids(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return re.findall(r'show\("([a-z0-9-]+)"\)', source)


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_before_running_text_fallbacks_and_figures_show(page, lab, path) -> None:
    open_notebook(page, lab, path)
    outputs = "\n".join(page.locator(f"{ACTIVE} .jp-OutputArea").all_inner_texts())
    for raw in RAW_REPRS:
        assert raw not in outputs
    if _shown_question_ids(_file(lab, path)):
        assert "Run this cell to answer" in outputs
    images = page.locator(f"{ACTIVE} .jp-OutputArea-output img")
    assert images.count() == _stored_images(_file(lab, path))
    for index in range(images.count()):
        assert images.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
        assert (images.nth(index).get_attribute("alt") or "").strip(), "a figure without alt text"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_run_all_finishes_without_errors_and_renders_every_widget(ran_notebook, lab, path) -> None:
    page = ran_notebook(path).tab
    errors = page.locator(
        f"{ACTIVE} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    )
    texts = errors.all_inner_texts()
    assert not [t for t in texts if "Traceback" in t or "Error" in t], texts
    outputs = "\n".join(page.locator(f"{ACTIVE} .jp-OutputArea").all_inner_texts())
    for raw in RAW_REPRS:
        assert raw not in outputs
    quizzes = page.locator(f"{ACTIVE} .postsoviet-quiz")
    shown = _shown_question_ids(_file(lab, path))
    assert quizzes.count() == len(shown)
    rendered = " ".join(quizzes.all_inner_texts())
    for question_id in shown:
        assert question_id in rendered


_tick = tick


def _order(area, wanted) -> None:
    """Type each item's position into its box, waiting for the order read back to show it."""
    for position, item in enumerate(wanted):
        box = area.get_by_role("spinbutton", name=f"{item})", exact=True)
        box.fill(str(position + 1))
        box.press("Enter")
        expect(area.locator("ol li").nth(position)).to_contain_text(f"{item})")


def _answer_by_mouse(area, question: dict) -> None:
    kind, answer = question["type"], question["answer"]
    if kind in ("single", "multiple"):
        _tick(area, [answer] if kind == "single" else answer)
    elif kind == "ordering":
        _order(area, answer)
    else:
        value = answer[0] if kind == "text" else str(answer)
        area.locator("input[type=text]").fill(value)
    area.get_by_role("button", name="Check answer").click()


@pytest.fixture
def started(ran_notebook):
    """The shared run of the start-here notebook (each quiz test uses its own question)."""
    return ran_notebook(START).tab


@pytest.mark.parametrize(
    "question_id", ["start-here-1", "start-here-4", "start-here-2", "start-here-3", "start-here-5"]
)
def test_every_quiz_type_answered_by_clicking(started, question_id) -> None:
    area = output_area(started, f'show("{question_id}")')
    area.get_by_role("button", name="Check answer").first.wait_for()
    quiz = area.locator(".postsoviet-quiz", has_text=question_id)
    quiz.get_by_role("button", name="Check answer").click()
    feedback = quiz.locator(".postsoviet-feedback")
    if KEY[question_id]["type"] == "ordering":  # the starting order is an answer too
        expect(feedback).to_have_text(re.compile(r"^✗ Not quite"))
    else:
        expect(feedback).to_have_text(re.compile(r"^\? I could not read that answer"))
    _answer_by_mouse(quiz, KEY[question_id])
    expect(feedback).to_have_text(re.compile(r"^✓ Correct\."))
    assert feedback.get_attribute("role") == "status"


def test_a_wrong_answer_says_not_quite(started) -> None:
    quiz = output_area(started, 'show("start-here-0")').locator(".postsoviet-quiz")
    _tick(quiz, ["c"])
    quiz.get_by_role("button", name="Check answer").click()
    feedback = quiz.locator(".postsoviet-feedback")
    expect(feedback).to_have_text(re.compile(r"^✗ Not quite\..*Hint:", re.S))


def test_a_quiz_answered_with_the_keyboard_only(started) -> None:
    quiz = output_area(started, 'show("start-here-3")').locator(
        ".postsoviet-quiz", has_text="start-here-6"
    )
    boxes = quiz.locator("input[type=checkbox]")
    boxes.first.focus()  # where a keyboard user arrives after tabbing into the question
    keys = started.keyboard
    keys.press("Tab")
    keys.press("Tab")
    keys.press("Space")  # the third option
    keys.press("Tab")
    keys.press("Tab")  # past the fourth option to the button
    keys.press("Enter")
    feedback = quiz.locator(".postsoviet-feedback")
    expect(feedback).to_have_text(re.compile(r"^✓ Correct\."))
    assert [boxes.nth(i).is_checked() for i in range(4)] == [False, False, True, False]


def _serious_accessibility_violations(tab) -> list[tuple[str, str, int]]:
    """axe's serious and critical findings in the output areas of the open notebook."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, context={"include": [[f"{ACTIVE} .jp-OutputArea"]]})
    return [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_serious_accessibility_violations_in_the_output_areas(started) -> None:
    """Our widgets, figures and captions; JupyterLab's own interface is outside the audit."""
    serious = _serious_accessibility_violations(started)
    assert not serious, serious


EXPLORER_LESSONS = [p for p in NOTEBOOKS if "Explorer()" in (ROOT / p).read_text(encoding="utf-8")]
CLAIMS_LESSONS = [p for p in NOTEBOOKS if "ClaimsBoard()" in (ROOT / p).read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", EXPLORER_LESSONS)
def test_each_explorer_redraws_when_a_control_moves(ran_notebook, path) -> None:
    page = ran_notebook(path).tab
    explorers = page.locator(f"{ACTIVE} .postsoviet-explorer")
    assert explorers.count() == (ROOT / path).read_text(encoding="utf-8").count("Explorer()")
    for index in range(explorers.count()):
        explorer = explorers.nth(index)
        image, status = explorer.locator("img"), explorer.locator("[role=status]")
        expect(image).to_have_count(1)
        before_src, before_status = image.get_attribute("src"), status.inner_text()
        buttons = explorer.locator("button:enabled")
        buttons.last.click()  # Later, or the widest zoom
        expect(status).not_to_have_text(before_status)
        expect(image).not_to_have_attribute("src", before_src)
        assert (image.get_attribute("alt") or "").strip()
        moved = status.inner_text()
        buttons.first.focus()  # and from the keyboard: Earlier, or the first range
        page.keyboard.press("Enter")
        expect(status).not_to_have_text(moved)


@pytest.mark.parametrize("path", CLAIMS_LESSONS)
def test_claims_board_attributes_a_claim(ran_notebook, path) -> None:
    page = ran_notebook(path).tab
    claim = page.locator(f"{ACTIVE} .postsoviet-claims > .widget-vbox").nth(2)
    claim.get_by_role("button", name="Moscow", exact=True).click()
    claim.get_by_role("button", name="evidence: no").click()
    claim.get_by_role("button", name="Check").click()
    expect(claim.locator(".postsoviet-feedback")).to_have_text(
        re.compile(r"^✓ Claim 3: both right")
    )


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.startswith("course/") and p != START])
def test_no_serious_accessibility_violations_in_each_lesson(ran_notebook, path) -> None:
    """Explorers, claims boards, quizzes and figures of every other lesson, after a full run."""
    serious = _serious_accessibility_violations(ran_notebook(path).tab)
    assert not serious, serious


def test_a_quiz_run_before_the_set_up_cell_says_which_cell_to_run(page, lab) -> None:
    """A student opens lesson 00 and runs a quiz cell first: one sentence, no traceback."""
    name = f"before-set-up-{secrets.token_hex(4)}.ipynb"
    shutil.copy(ROOT / START, Path(lab["served"]) / name)
    open_notebook(page, lab, name)
    wait_for_kernel_settled(page)  # keys sent while the kernel connects are lost
    cell = page.locator(f"{ACTIVE} .jp-CodeCell").filter(
        has=page.locator(".jp-InputArea", has_text='show("start-here-0")')
    )
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    area = output_area(page, 'show("start-here-0")')
    expect(area).to_contain_text("Not ready yet: show is defined by the set-up cell")
    expect(area).to_contain_text("Run this cell first")
    assert "Traceback" not in area.inner_text()
    assert "NameError" not in area.inner_text()
