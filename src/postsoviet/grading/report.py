"""Feedback files: one for each student to read, one for the instructor who marks.

``OUT/feedback/STUDENT.md`` lists each task with its status and the check's message.
``OUT/instructor/STUDENT.md`` adds, for written answers, the student's text and the model
answer with its rubric, taken from the solution notebook's answer cell.

File names are safe on every file system and never shared (:func:`file_names`): a name
that is not plain ASCII letters, digits, ``.``, ``_`` and ``-`` gets a short hash of
the exact name, so ``al ice`` and ``al_ice``, or ``Łukasz`` and ``Åukasz``, get files
of their own; the heading inside each file names the student exactly.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

if TYPE_CHECKING:
    from postsoviet.grading import Row
    from postsoviet.grading.discover import Submission

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


def _answer(submission: Submission | None, task_id: str) -> str | None:
    if submission is None or submission.path is None:
        return None
    from postsoviet.grading import _written_answer

    return _written_answer(submission.path, task_id)


def write_feedback(
    rows: list[Row], out: Path, *, solutions: Path, submissions: list[Submission]
) -> None:
    from postsoviet.grading import _write_atomically

    by_student: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_student[row.student].append(row)
    placed = {(s.student, s.notebook): s for s in submissions}
    stems = file_names(list(by_student))
    for student, student_rows in sorted(by_student.items()):
        safe = stems[student]
        total = sum(r.points for r in student_rows)
        possible = sum(r.max_points for r in student_rows if r.status != "manual")
        lines = [
            f"# Feedback for {student}",
            "",
            f"Automatically marked: {total:g} of {possible:g} points. "
            "Written answers are marked by your instructor.",
            "",
        ]
        teacher = list(lines)
        for notebook in sorted({r.notebook for r in student_rows}):
            lines += [
                f"## {notebook}",
                "",
                "| task | result | points | comment |",
                "|---|---|---|---|",
            ]
            teacher += [f"## {notebook}", ""]
            for row in sorted(
                (r for r in student_rows if r.notebook == notebook), key=lambda r: r.task_id
            ):
                detail = row.detail.replace("|", "\\|")
                word = _STATUS_WORDS.get(row.status, row.status)
                lines.append(
                    f"| {row.task_id or '-'} | {word} | {row.points:g}/{row.max_points:g} "
                    f"| {detail} |"
                )
                teacher.append(
                    f"- **{row.task_id or '-'}** {word} "
                    f"({row.points:g}/{row.max_points:g}): {row.detail}"
                )
                if row.status == "manual":
                    answer = _answer(placed.get((student, notebook)), row.task_id) or ""
                    key = rubric(solutions, notebook, row.task_id) or "(no rubric found)"
                    teacher += [
                        "",
                        "  Student's answer:",
                        "",
                        *[f"  > {x}" for x in answer.splitlines()],
                        "",
                        "  Model answer and rubric:",
                        "",
                        *[f"  > {x}" for x in key.splitlines()],
                        "",
                    ]
            lines.append("")
            teacher.append("")
        _write_atomically(out / "feedback" / f"{safe}.md", "\n".join(lines))
        _write_atomically(out / "instructor" / f"{safe}.md", "\n".join(teacher))
