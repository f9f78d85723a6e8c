"""Marking written answers in JupyterLab: ``python -m postsoviet mark GRADES``.

The command writes ``GRADES/marking.ipynb``, a two-cell notebook whose code cell shows
:class:`MarkingApp` for the folder it sits in, and opens it in JupyterLab. The app walks
through every written answer awaiting marking (``manual`` rows), task by task so that
each task is marked to one standard: the student's answer, the model answer and rubric,
a points box, a comment, Previous / Save and next / Next, and progress ("3 of 8
marked"). Each save goes to ``GRADES/marks.csv`` at once (atomically, under a lock) and
rewrites the totals and that class's feedback.

Below them, **Override an automatic result** opens a form for changing the points the
grader gave a task (an answer the check failed that you accept, say): the student, the
task id, the points and a comment saying why, which is required. An override is a mark
like any other in ``marks.csv``, checked the same way (within the task's points, a known
student and task), so the marking view, a hand-filled file and ``--merge`` all agree.
The student and task are typed rather than picked from a list: a drop-down's arrow keys
would move JupyterLab between cells.

:class:`MarkingSession` holds the logic without widgets, so tests and other front ends
use the same functions. Everything is keyboard-usable: Tab moves from the points box to
the comment and the buttons, Enter or Space presses a button; there are no radio
buttons or drop-downs, whose arrow keys JupyterLab would take for moving between cells.
"""

from __future__ import annotations

import getpass
import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import nbformat

from postsoviet.grading import Row, _write_atomically, answers
from postsoviet.grading.marks import (
    Mark,
    MarkError,
    current_marks,
    now,
    read_gradebook,
    save_mark,
)

__all__ = ["NOTEBOOK", "MarkingApp", "MarkingSession", "open_marking", "write_notebook"]

NOTEBOOK = "marking.ipynb"


class MarkingSession:
    """The written answers of one graded class and the marks given so far."""

    def __init__(self, grades: Path | str, marker: str = "") -> None:
        self.grades = Path(grades)
        self.marker = marker
        rows = read_gradebook(self.grades)
        self._gradebook = {(r.student, r.notebook, r.task_id): r for r in rows if r.task_id}
        self.answers = answers.load(self.grades)
        self.marks = current_marks(self.grades, self._gradebook)
        self.items: list[Row] = sorted(
            (r for r in rows if r.status == "manual"),
            key=lambda r: (r.notebook, r.task_id, r.student),
        )
        unmarked = [i for i, r in enumerate(self.items) if self._key(r) not in self.marks]
        self.position = unmarked[0] if unmarked else 0

    @staticmethod
    def _key(row: Row) -> tuple[str, str, str]:
        return (row.student, row.notebook, row.task_id)

    @property
    def current(self) -> Row | None:
        return self.items[self.position] if self.items else None

    def answer(self) -> answers.WrittenAnswer | None:
        row = self.current
        return self.answers.get(self._key(row)) if row else None

    def mark_of_current(self) -> Mark | None:
        row = self.current
        return self.marks.get(self._key(row)) if row else None

    def marked(self) -> int:
        return sum(self._key(r) in self.marks for r in self.items)

    def progress(self) -> str:
        """'3 of 8 marked', counting only the written answers awaiting marking."""
        return f"{self.marked()} of {len(self.items)} marked"

    def next(self) -> None:
        if self.items:
            self.position = min(self.position + 1, len(self.items) - 1)

    def previous(self) -> None:
        self.position = max(self.position - 1, 0)

    def automatic_row(self, student: str, task_id: str) -> Row:
        """The grader's row for ``student``'s ``task_id``, which an override changes.

        Raises :class:`MarkError` with a sentence for an empty, unknown or written task.
        """
        student, task_id = student.strip(), task_id.strip()
        if not student or not task_id:
            raise MarkError("Type the student's name and the task id (such as ex-04-3).")
        found = [r for k, r in self._gradebook.items() if k[0] == student and k[2] == task_id]
        if not found:
            if student not in {k[0] for k in self._gradebook}:
                raise MarkError(f"There is no student '{student}' in the gradebook.")
            raise MarkError(f"{student} has no task '{task_id}' in the gradebook.")
        row = found[0]
        if row.status == "manual":
            raise MarkError(
                f"{task_id} is {student}'s written answer: mark it above (Save and next); "
                "an override changes a task the grader marked."
            )
        return row

    def override(self, student: str, task_id: str, points: float, comment: str) -> Mark:
        """Save an override of an automatic task's points; raises :class:`MarkError` and
        saves nothing without a comment, or with points outside the task's range."""
        row = self.automatic_row(student, task_id)
        return self._save(row, points, comment)

    def overrides(self) -> list[Mark]:
        """The marks that change an automatic result, in gradebook order."""
        return [
            mark
            for key, mark in sorted(self.marks.items())
            if key in self._gradebook and self._gradebook[key].status != "manual"
        ]

    def _save(self, row: Row, points: float, comment: str) -> Mark:
        mark = Mark(
            row.student,
            row.notebook,
            row.task_id,
            float(points),
            comment.strip(),
            self.marker,
            now(),
        )
        self.marks = save_mark(self.grades, mark)
        return mark

    def mark(self, points: float, comment: str = "") -> Mark:
        """Save a mark for the current answer; raises :class:`MarkError` and saves nothing
        if the points are outside the task's range."""
        row = self.current
        if row is None:
            raise MarkError("There are no written answers to mark in this gradebook.")
        return self._save(row, points, comment)


def _quote(text: str) -> str:
    body = html.escape(text.strip() or "(empty)")
    return (
        "<blockquote style='white-space:pre-wrap;margin:0.3em 0 0.8em 0;"
        f"padding-left:0.8em;border-left:3px solid #0072B2'>{body}</blockquote>"
    )


class MarkingApp(widgets.VBox):
    """The marking view: one answer at a time, saved as you go."""

    def __init__(self, session: MarkingSession) -> None:
        self.session = session
        self.heading = widgets.HTML()
        self.answer_box = widgets.HTML()
        self.model_box = widgets.HTML()
        self.points = widgets.FloatText(description="points", step=0.5)
        self.comment = widgets.Textarea(
            description="comment",
            placeholder="what the student did well, and what to improve",
            layout=widgets.Layout(width="95%", height="6em"),
        )
        self.save_button = widgets.Button(description="Save and next", button_style="primary")
        self.previous_button = widgets.Button(description="Previous")
        self.next_button = widgets.Button(description="Next")
        self.status = widgets.HTML()
        self.progress_label = widgets.HTML()
        self.save_button.on_click(self._save)
        self.previous_button.on_click(self._previous)
        self.next_button.on_click(self._next)
        # The override form: built once, shown only when asked for, so the view's first
        # text box stays the points box.
        self.override_button = widgets.Button(description="Override an automatic result")
        self.override_student = widgets.Text(description="student")
        self.override_task = widgets.Text(description="task id", placeholder="ex-04-3")
        self.override_points = widgets.FloatText(description="points", step=0.5)
        self.override_comment = widgets.Textarea(
            description="why",
            placeholder="required: why the automatic result is changed",
            layout=widgets.Layout(width="95%", height="4em"),
        )
        self.override_save = widgets.Button(description="Save override")
        self.override_status = widgets.HTML()
        self.override_form = widgets.VBox([])
        self.override_button.on_click(self._toggle_override)
        self.override_save.on_click(self._save_override)
        super().__init__(
            [
                self.progress_label,
                self.heading,
                self.answer_box,
                self.model_box,
                self.points,
                self.comment,
                widgets.HBox([self.save_button, self.previous_button, self.next_button]),
                self.status,
                self.override_button,
                self.override_form,
            ]
        )
        self.add_class("postsoviet-marking")
        self._show()

    def _show(self) -> None:
        session, row = self.session, self.session.current
        self.progress_label.value = f"<p><b>{html.escape(session.progress())}</b></p>"
        if row is None:
            self.heading.value = "<p>There are no written answers to mark.</p>"
            for control in (self.points, self.comment, self.save_button):
                control.disabled = True
            return
        written = session.answer()
        self.heading.value = (
            f"<h3>{html.escape(row.task_id)}: {html.escape(row.student)} "
            f"({html.escape(row.notebook)}), answer {session.position + 1} of "
            f"{len(session.items)}</h3>"
        )
        self.answer_box.value = "<b>Student's answer</b>" + _quote(
            written.answer if written else "(the answer was not stored when grading)"
        )
        self.model_box.value = "<b>Model answer and rubric</b>" + _quote(
            written.model if written else "(no model answer stored)"
        )
        self.points.description = f"points (0 to {row.max_points:g})"
        mark = session.mark_of_current()
        self.points.value = mark.points if mark else 0.0
        self.comment.value = mark.comment if mark else ""

    def _say(self, text: str, where: widgets.HTML | None = None) -> None:
        target = self.status if where is None else where
        target.value = f"<p role='status'>{html.escape(text, quote=False)}</p>"

    def _toggle_override(self, _button: object = None) -> None:
        """Show the override form (for the student on screen), or hide it again."""
        if self.override_form.children:
            self.override_form.children = ()
            return
        row = self.session.current
        if row is not None and not self.override_student.value:
            self.override_student.value = row.student
        self.override_form.children = (
            self.override_student,
            self.override_task,
            self.override_points,
            self.override_comment,
            self.override_save,
            self.override_status,
        )
        self._say(self._overrides_so_far(), self.override_status)

    def _overrides_so_far(self) -> str:
        count = len(self.session.overrides())
        return f"{count} override{'' if count == 1 else 's'} so far."

    def _save_override(self, _button: object = None) -> None:
        student, task = self.override_student.value, self.override_task.value
        try:
            row = self.session.automatic_row(student, task)
            mark = self.session.override(
                student, task, self.override_points.value, self.override_comment.value
            )
        except MarkError as error:
            self._say(f"✗ Not saved. {error}", self.override_status)
            return
        self.override_task.value = ""
        self.override_points.value = 0.0
        self.override_comment.value = ""
        self._say(
            f"✓ Saved: {mark.points:g} of {row.max_points:g} points for {row.student}'s "
            f"{row.task_id}, instead of the grader's {row.points:g} ({row.status}). "
            f"{self._overrides_so_far()}",
            self.override_status,
        )

    def _save(self, _button: object = None) -> None:
        row = self.session.current
        if row is None:
            return
        before = self.session.mark_of_current()
        try:
            mark = self.session.mark(self.points.value, self.comment.value)
        except MarkError as error:
            self._say(f"✗ Not saved. {error}")
            return
        # After Previous, a saved mark is in the boxes: say so when saving changes it.
        replaced = (
            f" (it had {before.points:g} by {before.marker or 'an earlier marker'})"
            if before is not None and (before.points, before.comment) != (mark.points, mark.comment)
            else ""
        )
        self.session.next()
        self._show()
        self._say(
            f"✓ Saved {mark.points:g} of {row.max_points:g} points for {row.student}'s "
            f"{row.task_id}{replaced}. {self.session.progress()}."
        )

    def _previous(self, _button: object = None) -> None:
        self.session.previous()
        self._show()
        self._say("")

    def _next(self, _button: object = None) -> None:
        self.session.next()
        self._show()
        self._say("")

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = (
                f"Marking view for {self.session.grades}: {self.session.progress()}. "
                "Run this cell in JupyterLab to mark."
            )
        return bundle


def login_name() -> str:
    """The marker's login name (``$USER`` is unset in some hub and cron sessions)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def notebook_marker(grades: Path | str) -> str | None:
    """The marker named in an existing ``GRADES/marking.ipynb``, if there is one."""
    try:
        nb = nbformat.read(Path(grades) / NOTEBOOK, as_version=4)
    except (OSError, ValueError):
        return None
    marker = nb.metadata.get("postsoviet", {}).get("marker")
    return marker if isinstance(marker, str) else None


def open_marking(grades: Path | str = ".", marker: str | None = None) -> MarkingApp:
    """The marking view for ``grades`` (the marking notebook's own folder by default)."""
    who = marker if marker is not None else login_name()
    return MarkingApp(MarkingSession(grades, who))


def write_notebook(grades: Path, marker: str) -> Path:
    """Write ``GRADES/marking.ipynb``; it opens the view for its own folder."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# Marking written answers\n\n"
            "Run the cell below (Shift+Enter). For each answer: read it beside the model "
            "answer and rubric, type the points, Tab to the comment, Tab to "
            "**Save and next** and press Enter. Each save goes to `marks.csv` in this "
            "folder at once, and updates `totals.csv` and the students' feedback.\n\n"
            "To change the points of a task the grader marked, Tab to **Override an "
            "automatic result**, press Enter, and fill in the student, the task id, the "
            "points and why (a comment is required)."
        ),
        nbformat.v4.new_code_cell(
            "from postsoviet.grading.marking_view import open_marking\n\n"
            f"open_marking('.', marker={marker!r})"
        ),
    ]
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["postsoviet"] = {"marker": marker}  # kept when the notebook is written again
    path = Path(grades) / NOTEBOOK
    _write_atomically(path, nbformat.writes(nb))
    return path
