"""The JupyterLab front end: one small form per question, over the same engine as ``answer``.

Keyboard use shaped the controls. In a JupyterLab notebook the arrow keys belong to the
notebook (they move between cells) unless the focus is in a text box, so radio buttons
and drop-down lists, which need the arrow keys, cannot be operated from the keyboard
there. Every control here needs only Tab, Space and Enter:

- choice questions: native checkboxes; for "choose one" ticking one clears the others,
  and the course style sheet draws them as radio circles, under the words "choose one";
- ordering: each item with a position box (type 1 to n; the others make room), so any
  order, the starting one included, is a few keystrokes and can be checked as it is;
- numbers and text: a text box.

Texts wrap (no "..." that would hide a long option) and go through
:func:`postsoviet.display.html_text`, so a ``$`` in a price stays a dollar sign rather
than starting MathJax maths. Feedback is a symbol and words (✓ Correct / ✗ Not quite /
? ...), never colour alone, in a region that screen readers announce.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from postsoviet.display import (
    WIDGET_CLASS,
    description_text,
    html_text,
    plain_lines,
    widget_style,
)
from postsoviet.quiz.model import TYPE_LABELS, Feedback, Question

__all__ = ["ChoiceList", "OrderList", "QuestionWidget", "feedback_html", "plain_text"]

#: What "Check answer" says with no option ticked; like any unreadable answer, no attempt.
NOTHING_TICKED = "Nothing is ticked yet: tick an option, then press Check answer."


def plain_text(question: Question) -> str:
    """What a notebook shows before the cell is run: the question and how to answer it."""
    lines = [f"Question {question.id} ({TYPE_LABELS[question.type]}): {question.prompt}"]
    lines += [f"  {choice.id}) {choice.text}" for choice in question.choices]
    if question.unit:
        lines.append(f"  (answer in {question.unit})")
    lines.append(f'Run this cell to answer here, or type: answer("{question.id}", your_answer)')
    return plain_lines("\n".join(lines))


def feedback_html(feedback: Feedback) -> str:
    lines = [html_text(line) for line in feedback.lines()]
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
            f"<p><strong>{html_text(question.id)}</strong> · "
            f"<em>{TYPE_LABELS[question.type]}</em></p><p>{html_text(question.prompt)}</p>"
        )
        self.button = widgets.Button(
            description="Check answer",
            tooltip=f"Check your answer to {question.id}",
            icon="check",
        )
        self.button.on_click(self._check)
        self.feedback = widgets.HTML("")
        if isinstance(self._control, OrderList):
            # "3 of 6 in the right place" would go on describing an order no longer shown.
            self._control.summary.observe(lambda _change: self._clear_feedback(), names="value")
        super().__init__(
            children=[prompt, self._control, self.button, self.feedback, widget_style()],
            layout=widgets.Layout(border="1px solid #999", padding="4px 12px", margin="8px 0"),
        )
        self.add_class("postsoviet-quiz").add_class(WIDGET_CLASS)

    def __repr__(self) -> str:
        # Front ends without widgets (a terminal, nbconvert, a plain Python prompt) show this.
        return plain_text(self.question)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = plain_text(self.question)
        return bundle

    @staticmethod
    def _make_control(question: Question) -> tuple[widgets.Widget, Callable[[], object]]:
        """The input control for a question type, and a function reading its value."""
        if question.type in ("single", "multiple"):
            choices = ChoiceList(question, single=question.type == "single")
            if question.type == "single":
                return choices, lambda: next(iter(choices.selected()), None)
            return choices, choices.selected
        if question.type == "ordering":
            order = OrderList(question)
            return order, lambda: list(order.order)
        placeholder = "type a number, e.g. 3.5" if question.type == "numeric" else "type here"
        box = widgets.Text(placeholder=placeholder, description="Answer:")
        if question.type == "numeric" and question.unit:
            return widgets.HBox([box, widgets.Label(question.unit)]), lambda: box.value
        return box, lambda: box.value

    def _check(self, _button: object = None) -> Feedback:
        response = self._read()
        if self.question.type in ("single", "multiple") and not response:
            # The engine's wording is for typed answers ("between the brackets").
            feedback = Feedback(self.question.id, "invalid", NOTHING_TICKED)
        else:
            feedback = self._on_check(self.question, response)
        self.feedback.value = feedback_html(feedback)
        return feedback

    def _clear_feedback(self) -> None:
        self.feedback.value = ""

    def respond(self, response: object) -> Feedback:
        """Check a response as the button would (used by tests and text front ends)."""
        feedback = self._on_check(self.question, response)
        self.feedback.value = feedback_html(feedback)
        return feedback


class ChoiceList(widgets.VBox):
    """One checkbox per option; with ``single``, ticking one clears the others."""

    def __init__(self, question: Question, *, single: bool):
        self.ids = question.choice_ids()
        self.boxes = [
            widgets.Checkbox(
                value=False,
                description=description_text(f"{choice.id}) {choice.text}"),
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for choice in question.choices
        ]
        if single:
            for box in self.boxes:
                box.observe(self._keep_one, names="value")
        super().__init__(self.boxes)
        if single:
            self.add_class("postsoviet-choose-one")

    def _keep_one(self, change: dict[str, Any]) -> None:
        if change["new"]:
            for box in self.boxes:
                if box is not change["owner"]:
                    box.value = False

    def selected(self) -> list[str]:
        return [i for i, box in zip(self.ids, self.boxes, strict=True) if box.value]


class OrderList(widgets.VBox):
    """Each item with a position box; typing a position moves the item there.

    The boxes always hold 1 to n once each: an item typed into position k takes it,
    and the items between its old and new place shift by one. A line under the list
    reads the whole order back. Nothing needs the arrow keys or many clicks, and the
    starting order is an answer like any other.
    """

    def __init__(self, question: Question):
        self.texts = {choice.id: choice.text for choice in question.choices}
        self.order = question.choice_ids()
        count = len(self.order)
        self.positions = {
            item: widgets.BoundedIntText(
                value=number + 1,
                min=1,
                max=count,
                description=f"{item})",
                tooltip=f"Position of \u201c{self.texts[item]}\u201d, 1 to {count}",
                style={"description_width": "2em"},
                layout=widgets.Layout(width="7.5em", flex="none"),
            )
            for number, item in enumerate(self.order)
        }
        rows = [
            widgets.HBox(
                [self.positions[item], widgets.HTML(html_text(self.texts[item]))]
            ).add_class("postsoviet-order-row")
            for item in self.order
        ]
        self.summary = widgets.HTML()
        self._moving = False
        for item, box in self.positions.items():
            box.observe(lambda change, i=item: self.move_to(i, change["new"]), names="value")
        self._render()
        super().__init__(
            [
                widgets.HTML(f"<em>Type each item's position, 1 to {count}:</em>"),
                *rows,
                self.summary,
            ]
        )

    def move_to(self, item: str, position: int) -> None:
        """Put ``item`` at ``position`` (1-based, clamped); the others keep their order."""
        if self._moving:
            return
        target = min(max(int(position), 1), len(self.order)) - 1
        self.order.remove(item)
        self.order.insert(target, item)
        self._render()

    def _render(self) -> None:
        self._moving = True
        try:
            for number, item in enumerate(self.order):
                self.positions[item].value = number + 1
        finally:
            self._moving = False
        items = "".join(
            f"<li>{html_text(item)}) {html_text(self.texts[item])}</li>" for item in self.order
        )
        self.summary.value = f"<p>Your order:</p><ol>{items}</ol>"
