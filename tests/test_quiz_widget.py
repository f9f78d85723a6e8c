"""The widget front end: readable before it runs, usable by clicking, same engine."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pytest

from postsoviet import quiz
from postsoviet.quiz.bank import all_questions
from postsoviet.quiz.widget import QuestionWidget, feedback_html, plain_text

from quizkit import right_response, source_questions

SOURCES = {q["id"]: q for q in source_questions()}


def _widget(question_id: str) -> QuestionWidget:
    return QuestionWidget(all_questions()[question_id], quiz._respond)


@pytest.mark.parametrize("question_id", list(SOURCES))
def test_plain_text_fallback_is_the_question(question_id: str) -> None:
    widget = _widget(question_id)
    bundle = widget._repr_mimebundle_()
    text = bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert widget.question.prompt in text
    assert "Run this cell to answer" in text and f'answer("{question_id}"' in text
    assert "VBox(" not in text and "children=" not in text
    for choice in widget.question.choices:
        assert choice.text in text
    assert plain_text(widget.question) == text


def _fill(widget: QuestionWidget, response: object) -> None:
    """Set the controls as a student would, by clicking (or Space/Enter on the focus)."""
    control, kind = widget.children[1], widget.question.type
    if kind in ("single", "multiple"):
        chosen = [response] if kind == "single" else response
        for option, box in zip(control.ids, control.boxes, strict=True):
            box.value = option in chosen
    elif kind == "ordering":
        for position, item in enumerate(response):
            while (current := control.order.index(item)) > position:
                control.up[current].click()
    else:
        box = control.children[0] if isinstance(control, widgets.HBox) else control
        box.value = str(response)


@pytest.mark.parametrize("question_id", list(SOURCES))
def test_clicking_check_with_the_key_shows_a_tick_and_words(
    question_id: str, progress_file: Path
) -> None:
    widget = _widget(question_id)
    widget.button.click()
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


def test_ordering_moves_items_and_disables_the_ends() -> None:
    order = _first("ordering").children[1]
    start = list(order.order)
    assert not order.moved
    assert order.up[0].disabled and order.down[-1].disabled
    assert not order.up[1].disabled and not order.down[0].disabled
    order.down[0].click()
    assert order.order == [start[1], start[0], *start[2:]]
    assert order.labels[1].value.startswith(f"2. {start[0]})")
    assert start[0] in order.up[1].tooltip or order.texts[start[0]] in order.up[1].tooltip
    order.up[0].click()  # disabled end: nothing moves
    order.move(0, -1)
    assert order.order == [start[1], start[0], *start[2:]]


def test_show_a_whole_lesson_outside_a_notebook(capsys) -> None:
    quiz.show("start-here")
    out = capsys.readouterr().out
    for question_id in quiz.question_ids("start-here"):
        assert f"Question {question_id} (" in out
    assert "children=" not in out
