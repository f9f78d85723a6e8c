"""The JupyterLab front end: one small form per question, over the same engine as ``answer``.

Keyboard use shaped the controls. In a JupyterLab notebook the arrow keys belong to the
notebook (they move between cells) unless the focus is in a text box, so radio buttons
and drop-down lists, which need the arrow keys, cannot be operated from the keyboard
there. Every control here needs only Tab, Space and Enter:

- choice questions: native checkboxes (for "choose one", ticking one clears the others);
- ordering: a numbered list with "Move up" / "Move down" buttons, focus following the item;
- numbers and text: a text box.

Feedback is a symbol and words (✓ Correct / ✗ Not quite / ? ...), never colour alone, in
a region that screen readers announce.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from postsoviet.quiz.model import TYPE_LABELS, Feedback, Question


def plain_text(question: Question) -> str:
    """What a notebook shows before the cell is run: the question and how to answer it."""
    lines = [f"Question {question.id} ({TYPE_LABELS[question.type]}): {question.prompt}"]
    lines += [f"  {choice.id}) {choice.text}" for choice in question.choices]
    if question.unit:
        lines.append(f"  (answer in {question.unit})")
    lines.append(f'Run this cell to answer here, or type: answer("{question.id}", your_answer)')
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
        self.add_class("postsoviet-quiz")

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
            # Untouched, the list is only the display order: not an answer yet.
            return order, lambda: list(order.order) if order.moved else None
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


class ChoiceList(widgets.VBox):
    """One checkbox per option; with ``single``, ticking one clears the others."""

    def __init__(self, question: Question, *, single: bool):
        self.ids = question.choice_ids()
        self.boxes = [
            widgets.Checkbox(
                value=False,
                description=f"{choice.id}) {choice.text}",
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for choice in question.choices
        ]
        if single:
            for box in self.boxes:
                box.observe(self._keep_one, names="value")
        super().__init__(self.boxes)

    def _keep_one(self, change: dict[str, Any]) -> None:
        if change["new"]:
            for box in self.boxes:
                if box is not change["owner"]:
                    box.value = False

    def selected(self) -> list[str]:
        return [i for i, box in zip(self.ids, self.boxes, strict=True) if box.value]


class OrderList(widgets.VBox):
    """The items as a numbered list, each row with "Move up" and "Move down" buttons."""

    def __init__(self, question: Question):
        self.texts = {choice.id: choice.text for choice in question.choices}
        self.order = question.choice_ids()
        self.moved = False
        self.labels = [widgets.Label() for _ in self.order]
        self.up = [self._button("Move up", position, -1) for position in range(len(self.order))]
        self.down = [self._button("Move down", position, 1) for position in range(len(self.order))]
        rows = [
            widgets.HBox([up, down, label]).add_class("postsoviet-order-row")
            for up, down, label in zip(self.up, self.down, self.labels, strict=True)
        ]
        self._render()
        super().__init__(rows)

    def _button(self, description: str, position: int, step: int) -> widgets.Button:
        last = len(self.order) - 1
        button = widgets.Button(
            description=description,
            disabled=(step < 0 and position == 0) or (step > 0 and position == last),
            layout=widgets.Layout(width="8em"),
        )
        button.on_click(lambda _button: self.move(position, step))
        return button

    def move(self, position: int, step: int) -> None:
        """Swap the item at ``position`` with its neighbour; focus follows the moved item."""
        target = position + step
        if not 0 <= target < len(self.order):
            return
        self.order[position], self.order[target] = self.order[target], self.order[position]
        self.moved = True
        self._render()
        same_way = (self.up if step < 0 else self.down)[target]
        other_way = (self.down if step < 0 else self.up)[target]
        (other_way if same_way.disabled else same_way).focus()

    def _render(self) -> None:
        for position, (label, item) in enumerate(zip(self.labels, self.order, strict=True)):
            text = self.texts[item]
            label.value = f"{position + 1}. {item}) {text}"
            self.up[position].tooltip = f"Move \u201c{text}\u201d up"
            self.down[position].tooltip = f"Move \u201c{text}\u201d down"
