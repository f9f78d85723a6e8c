"""The widget front end: readable before it runs, usable by clicking, same engine."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import ipywidgets as widgets
import pytest

from postsoviet import quiz
from postsoviet.display import PLAIN_WIDTH
from postsoviet.quiz.bank import all_questions
from postsoviet.quiz.widget import ChoiceList, QuestionWidget, feedback_html, plain_text

from quizkit import right_response, source_questions

SOURCES = {q["id"]: q for q in source_questions()}


def _widget(question_id: str) -> QuestionWidget:
    return QuestionWidget(all_questions()[question_id], quiz._respond)


@pytest.mark.parametrize("question_id", list(SOURCES))
def test_plain_text_fallback_is_the_question(question_id: str) -> None:
    widget = _widget(question_id)
    bundle = widget._repr_mimebundle_()
    text = bundle["text/plain"]
    flat = " ".join(text.split())  # wrapped at word boundaries, never inside a word
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert " ".join(widget.question.prompt.split()) in flat
    assert "Run this cell to answer" in flat and f'answer("{question_id}"' in text
    assert "VBox(" not in text and "children=" not in text
    for choice in widget.question.choices:
        assert " ".join(choice.text.split()) in flat
    assert plain_text(widget.question) == text
    assert all(len(line) <= PLAIN_WIDTH for line in text.splitlines() if " " in line.strip())


def _fill(widget: QuestionWidget, response: object) -> None:
    """Set the controls as a student would, by clicking (or Space/Enter on the focus)."""
    control, kind = widget.children[1], widget.question.type
    if kind in ("single", "multiple"):
        chosen = [response] if kind == "single" else response
        for option, box in zip(control.ids, control.boxes, strict=True):
            box.value = option in chosen
    elif kind == "ordering":
        for position, item in enumerate(response):
            control.positions[item].value = position + 1
    else:
        box = control.children[0] if isinstance(control, widgets.HBox) else control
        box.value = str(response)


@pytest.mark.parametrize("question_id", list(SOURCES))
def test_clicking_check_with_the_key_shows_a_tick_and_words(
    question_id: str, progress_file: Path
) -> None:
    widget = _widget(question_id)
    widget.button.click()
    if widget.question.type == "ordering":  # the starting order is an answer too
        assert "✗ Not quite" in widget.feedback.value
    else:
        assert "?" in widget.feedback.value and "could not read" in widget.feedback.value
    _fill(widget, right_response(SOURCES[question_id]))
    widget.button.click()
    assert "✓ Correct." in widget.feedback.value
    assert 'role="status"' in widget.feedback.value
    lesson = all_questions()[question_id].lesson
    assert {p.lesson: p.correct for p in quiz.progress().lessons}[lesson] == 1


def test_feedback_html_escapes_and_never_relies_on_colour() -> None:
    feedback = quiz.check("start-here-1", "<script>alert(1)</script>")
    rendered = feedback_html(feedback)
    assert "<script>" not in rendered
    assert rendered.count("?") >= 1 and "could not read" in rendered


def _first(kind: str) -> QuestionWidget:
    return _widget(next(q.id for q in all_questions().values() if q.type == kind))


def test_controls_need_no_arrow_keys() -> None:
    """JupyterLab keeps the arrow keys for moving between cells: no radio buttons or lists."""
    for question in all_questions().values():
        for control in _descendants(_widget(question.id)):
            assert not isinstance(control, (widgets.RadioButtons, widgets.Dropdown, widgets.Select))
    assert all(isinstance(b, widgets.Checkbox) for b in _first("single").children[1].boxes)
    assert isinstance(_first("text").children[1], widgets.Text)


def _descendants(widget: widgets.Widget) -> list[widgets.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _descendants(child)
    return found


def test_single_choice_keeps_one_box_ticked() -> None:
    choices = _first("single").children[1]
    choices.boxes[0].value = True
    choices.boxes[1].value = True
    assert [box.value for box in choices.boxes][:2] == [False, True]
    assert choices.selected() == [choices.ids[1]]


def test_ordering_position_boxes_move_items_and_keep_one_of_each() -> None:
    order = _first("ordering").children[1]
    start = list(order.order)
    last = start[-1]
    order.positions[last].value = 1  # the last item typed into first place
    assert order.order == [last, *start[:-1]]
    assert [order.positions[i].value for i in order.order] == list(range(1, len(start) + 1))
    assert order.summary.value.index(order.texts[last]) < order.summary.value.index(
        order.texts[start[0]]
    )
    order.positions[start[0]].value = 99  # out of range: the box and the list clamp it
    assert order.order[-1] == start[0]


def test_the_starting_order_can_be_checked_as_it_is(progress_file: Path) -> None:
    widget = _first("ordering")
    feedback = widget._check()
    assert feedback.status in ("correct", "incorrect"), feedback.lines()
    assert "bracket" not in " ".join(feedback.lines())


def test_choose_one_looks_like_radio_buttons_and_long_options_wrap() -> None:
    widget = _first("single")
    assert "postsoviet-choose-one" in widget.children[1]._dom_classes
    style = widget.children[-1].value
    assert "border-radius: 50%" in style and "white-space: normal" in style
    assert "text-overflow: clip" in style


def test_a_dollar_in_an_option_is_not_maths() -> None:
    """Descriptions are typeset by MathJax in JupyterLab: each $ carries MathJax's escape."""
    question = _first("single")
    choice = question.question.choices[0]
    priced = replace(
        question.question,
        choices=(replace(choice, text="$100 or $200"), *question.question.choices[1:]),
    )
    box = ChoiceList(priced, single=True).boxes[0]
    assert box.description == f"{choice.id}) \\$100 or \\$200"


def test_show_a_whole_lesson_outside_a_notebook(capsys) -> None:
    quiz.show("start-here")
    out = capsys.readouterr().out
    for question_id in quiz.question_ids("start-here"):
        assert f"Question {question_id} (" in out
    assert "children=" not in out


def test_check_with_nothing_ticked_says_tick_an_option(progress_file: Path) -> None:
    for kind in ("single", "multiple"):
        widget = _first(kind)
        feedback = widget._check()
        assert feedback.status == "invalid", kind
        assert "tick an option" in feedback.lines()[0] and "bracket" not in widget.feedback.value


def test_moving_an_item_clears_feedback_about_the_order_before(progress_file: Path) -> None:
    widget = _first("ordering")
    widget._check()
    assert widget.feedback.value
    order = widget.children[1]
    order.positions[order.order[-1]].value = 1
    assert widget.feedback.value == ""
