"""The JupyterLab front end: one small form per question, over the same engine as ``answer``.

Built from standard ipywidgets controls (radio buttons, checkboxes, text boxes,
dropdowns and a button), which are native form elements in the browser and so work with
Tab, the arrow keys, Space and Enter. Feedback is a symbol and words (✓ Correct /
✗ Not quite / ? ...), never colour alone, in a region that screen readers announce.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from postsoviet.quiz.model import TYPE_LABELS, Feedback, Question

PLACEHOLDER = "— choose —"


def plain_text(question: Question) -> str:
    """What a notebook shows before the cell is run: the question and how to answer it."""
    lines = [f"Question {question.id} ({TYPE_LABELS[question.type]}): {question.prompt}"]
    lines += [f"  {choice.id}) {choice.text}" for choice in question.choices]
    if question.unit:
        lines.append(f"  (answer in {question.unit})")
    lines.append(
        f'Run this cell to answer here, or type: answer("{question.id}", your_answer)'
    )
    return "\n".join(lines)


def feedback_html(feedback: Feedback) -> str:
    lines = [html.escape(line) for line in feedback.lines()]
    head, rest = lines[0], lines[1:]
    body = "".join(f"<div>{line}</div>" for line in rest)
    return (
        f'<div role="status" aria-live="polite" class="postsoviet-feedback '
        f'postsoviet-{feedback.status}"><strong>{head}</strong>{body}</div>'
    )


class QuestionWidget(widgets.VBox):
    """A question with its controls, a check button and a feedback line."""

    def __init__(self, question: Question, on_check: Callable[[Question, object], Feedback]):
        self.question = question
        self._on_check = on_check
        self._control, self._read = self._make_control(question)
        prompt = widgets.HTML(
            f"<p><strong>{html.escape(question.id)}</strong> · "
            f"<em>{TYPE_LABELS[question.type]}</em></p><p>{html.escape(question.prompt)}</p>"
        )
        self.button = widgets.Button(
            description="Check answer",
            tooltip=f"Check your answer to {question.id}",
            icon="check",
        )
        self.button.on_click(self._check)
        self.feedback = widgets.HTML("")
        super().__init__(
            children=[prompt, self._control, self.button, self.feedback],
            layout=widgets.Layout(border="1px solid #999", padding="4px 12px", margin="8px 0"),
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = plain_text(self.question)
        return bundle

    @staticmethod
    def _make_control(question: Question) -> tuple[widgets.Widget, Callable[[], object]]:
        """The input control for a question type, and a function reading its value."""
        options = [(f"{c.id}) {c.text}", c.id) for c in question.choices]
        if question.type == "single":
            radio = widgets.RadioButtons(
                options=options, value=None, layout=widgets.Layout(width="auto")
            )
            return radio, lambda: radio.value
        if question.type == "multiple":
            boxes = [
                widgets.Checkbox(value=False, description=label, indent=False,
                                 layout=widgets.Layout(width="auto"))
                for label, _ in options
            ]
            ids = [value for _, value in options]
            return widgets.VBox(boxes), lambda: [
                i for i, box in zip(ids, boxes, strict=True) if box.value
            ]
        if question.type == "ordering":
            slots = [
                widgets.Dropdown(
                    options=[(PLACEHOLDER, None), *options],
                    value=None,
                    description=f"{position}.",
                    layout=widgets.Layout(width="auto"),
                )
                for position in range(1, len(options) + 1)
            ]
            return widgets.VBox(slots), lambda: [s.value for s in slots if s.value is not None]
        placeholder = "type a number, e.g. 3.5" if question.type == "numeric" else "type here"
        box = widgets.Text(placeholder=placeholder, description="Answer:")
        if question.type == "numeric" and question.unit:
            return widgets.HBox([box, widgets.Label(question.unit)]), lambda: box.value
        return box, lambda: box.value

    def _check(self, _button: object = None) -> Feedback:
        feedback = self._on_check(self.question, self._read())
        self.feedback.value = feedback_html(feedback)
        return feedback

    def respond(self, response: object) -> Feedback:
        """Check a response as the button would (used by tests and text front ends)."""
        feedback = self._on_check(self.question, response)
        self.feedback.value = feedback_html(feedback)
        return feedback
