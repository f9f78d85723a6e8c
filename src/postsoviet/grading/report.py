"""Feedback files: one for each student to read, one for the instructor who marks.

``OUT/feedback/STUDENT.md`` lists each task with its status and the check's message;
once answers are marked (:mod:`.marks`), their points and the marker's comment, and an
override says who changed the automatic result and why. ``OUT/instructor/STUDENT.md``,
titled as the instructor's file, adds each written answer beside the model answer and
rubric (stored at grading time by :mod:`.answers`). Both are rewritten after every mark.

File names are safe on every file system and never shared (:func:`file_names`): a name
that is not plain ASCII letters, digits, ``.``, ``_`` and ``-`` gets a short hash of
the exact name, so ``al ice`` and ``al_ice``, or ``Łukasz`` and ``Åukasz``, get files
of their own; the heading inside each file names the student exactly.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from postsoviet.grading.deadline import split_late
from postsoviet.grading.discover import NOBODY

if TYPE_CHECKING:
    from postsoviet.grading import Row
    from postsoviet.grading.answers import Key, WrittenAnswer
    from postsoviet.grading.marks import Mark

_STATUS_WORDS = {
    "passed": "✓ passed",
    "failed": "✗ not yet",
    "not-answered": "· not answered",
    "manual": "✎ to be marked",
    "error": "✗ error",
    "timeout": "✗ timed out",
    "missing": "✗ missing",
}


def file_names(students: list[str]) -> dict[str, str]:
    """A distinct, safe file stem per student (no two equal, even ignoring case)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    plain = re.compile(r"[^A-Za-z0-9._-]+")
    # Names that are already safe keep their plain form; the others come after them.
    for student in sorted(students, key=lambda s: (plain.sub("_", s).lstrip(".") != s, s)):
        stem = plain.sub("_", student).lstrip(".") or "unnamed"
        if stem != student:
            stem += "-" + hashlib.sha256(student.encode()).hexdigest()[:8]
        name, count = stem, 2
        while name.lower() in taken:
            name, count = f"{stem}-{count}", count + 1
        taken.add(name.lower())
        names[student] = name
    return names


def rubric(solutions: Path, notebook: str, task_id: str) -> str | None:
    """The model answer and rubric of a written task, from its solution notebook."""
    path = solutions / notebook
    try:
        cells = nbformat.read(path, as_version=4).cells
    except (OSError, ValueError):  # missing or damaged: the feedback says no rubric was found
        return None
    for cell in cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == task_id:
            text = re.sub(r"^\s*#*\s*(BEGIN|END) SOLUTION\s*$", "", cell.source, flags=re.M)
            return text.strip()
    return None


def _marked(row: Row, mark: Mark | None) -> tuple[str, float, str]:
    """Status words, points and comment of a row once the marks are in."""
    if mark is None:
        return _STATUS_WORDS.get(row.status, row.status), row.points, row.detail
    who = f" ({mark.marker})" if mark.marker else ""
    if row.status == "manual":
        return "✎ marked", mark.points, (mark.comment or "marked") + who
    return (
        "✎ changed by your instructor",
        mark.points,
        f"{mark.comment}{who}; the check said: {row.detail}",
    )


def write_feedback(
    rows: list[Row],
    out: Path,
    *,
    answers: Mapping[Key, WrittenAnswer],
    marks: Mapping[Key, Mark] | None = None,
    penalties: Mapping[tuple[str, str], float] | None = None,
) -> None:
    """Write each student's feedback and the instructor's file, with the marks so far."""
    from postsoviet.grading import _write_atomically
    from postsoviet.grading.marks import totals

    marks = marks or {}
    by_student: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.student != NOBODY:  # a stray file is nobody's feedback
            by_student[row.student].append(row)
    stems = file_names(list(by_student))
    for student, student_rows in sorted(by_student.items()):
        safe = stems[student]
        sums = totals(student_rows, marks, penalties)
        unmarked = sum(t.unmarked for t in sums)
        points = sum(t.points for t in sums)
        if unmarked:
            possible = sum(
                r.max_points
                for r in student_rows
                if r.status != "manual" or (r.student, r.notebook, r.task_id) in marks
            )
            summary = (
                f"Marked so far: {points:g} of {possible:g} points. "
                f"{unmarked} written answer{'s are' if unmarked != 1 else ' is'} still to be "
                "marked by your instructor."
            )
        else:
            possible = sum(t.max_points for t in sums)
            summary = f"Your mark: {points:g} of {possible:g} points."
        lines = [f"# Feedback for {student}", "", summary, ""]
        teacher = [
            f"# Instructor file: {student} (not for students)",
            "",
            summary,
            "",
        ]
        not_graded: list[Row] = []
        for notebook in sorted({r.notebook for r in student_rows}):
            of_notebook = sorted(
                (r for r in student_rows if r.notebook == notebook), key=lambda r: r.task_id
            )
            if not any(r.task_id for r in of_notebook):
                # An earlier copy or a file that is no exercise: a sentence, not a task row.
                not_graded += of_notebook
                continue
            total = next((t for t in sums if t.notebook == notebook), None)
            subtotal = (
                [
                    f"Points for this exercise{' so far' if total.unmarked else ''}: "
                    f"{total.points:g} of {total.max_points:g}.",
                    "",
                ]
                if total is not None
                else []
            )
            lines += [
                f"## {notebook}",
                "",
                *subtotal,
                "| task | result | points | comment |",
                "|---|---|---|---|",
            ]
            teacher += [f"## {notebook}", ""]
            late = next((n for r in of_notebook if (n := split_late(r.detail)[1])), None)
            if late:
                lines[-2:-2] = [f"Late: {late}.", ""]  # above the table
                teacher += [f"Late: {late}.", ""]
            for row in of_notebook:
                row = replace(row, detail=split_late(row.detail)[0])
                key = (row.student, row.notebook, row.task_id)
                word, earned, comment = _marked(row, marks.get(key))
                cell = comment.replace("|", "\\|")
                lines.append(
                    f"| {row.task_id or '-'} | {word} | {earned:g}/{row.max_points:g} | {cell} |"
                )
                teacher.append(
                    f"- **{row.task_id or '-'}** {word} ({earned:g}/{row.max_points:g}): {comment}"
                )
                written = answers.get(key)
                if written is not None:
                    teacher += [
                        "",
                        "  Student's answer:",
                        "",
                        *[f"  > {x}" for x in written.answer.splitlines()],
                        "",
                        "  Model answer and rubric:",
                        "",
                        *[f"  > {x}" for x in written.model.splitlines()],
                        "",
                    ]
            lines.append("")
            teacher.append("")
        if not_graded:
            files = [f"- {r.notebook}: {split_late(r.detail)[0]}." for r in not_graded]
            lines += ["## Files not graded", "", *files, ""]
            teacher += ["## Files not graded", "", *files, ""]
        _write_atomically(out / "feedback" / f"{safe}.md", "\n".join(lines))
        _write_atomically(out / "instructor" / f"{safe}.md", "\n".join(teacher))
