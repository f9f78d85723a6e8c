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
    """Set the controls as a student would with mouse or keyboard."""
    control, kind = widget.children[1], widget.question.type
    if kind == "single":
        control.value = response
    elif kind == "multiple":
        ids = widget.question.choice_ids()
        for box, option in zip(control.children, ids, strict=True):
            box.value = option in response
    elif kind == "ordering":
        for slot, item in zip(control.children, response, strict=True):
            slot.value = item
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
    assert quiz.progress().lessons[0].correct == 1


def test_feedback_html_escapes_and_never_relies_on_colour() -> None:
    feedback = quiz.check("start-here-1", "<script>alert(1)</script>")
    rendered = feedback_html(feedback)
    assert "<script>" not in rendered
    assert rendered.count("?") >= 1 and "could not read" in rendered


def test_controls_are_native_form_elements() -> None:
    """Radio buttons, checkboxes, dropdowns, text boxes and buttons are keyboard-usable."""
    kinds = {
        q.type: type(_widget(q.id).children[1]).__name__ for q in all_questions().values()
    }
    assert kinds["single"] == "RadioButtons"
    assert kinds["text"] == "Text"
    assert kinds["multiple"] == "VBox" and kinds["ordering"] == "VBox"
    ordering = next(q for q in all_questions().values() if q.type == "ordering")
    slots = _widget(ordering.id).children[1].children
    assert all(isinstance(s, widgets.Dropdown) for s in slots)
    assert [s.description for s in slots] == [f"{i}." for i in range(1, len(slots) + 1)]
