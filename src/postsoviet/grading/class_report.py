"""The class report: what to go over in class, hardest task first.

``GRADES/report.html`` and its Markdown twin ``GRADES/report.md`` give, per task, the
share of students with full points, the mean points, how many written answers are
still unmarked, and the most common failure messages with their counts; per exercise,
the distribution of scores. Charts come from :mod:`postsoviet.plots`, so they have the
course style, a colour-blind-safe palette and a caption that says what they show; the
HTML page embeds them, the Markdown file links PNGs in ``GRADES/report-files/``.
"""

from __future__ import annotations

import base64
import html
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.ticker import MaxNLocator

from postsoviet import plots
from postsoviet.grading import Row, _write_atomically
from postsoviet.grading.answers import Key
from postsoviet.grading.deadline import split_late
from postsoviet.grading.marks import Mark, totals

__all__ = ["TaskSummary", "summarise_tasks", "write_report"]

FILES = "report-files"
_SOURCE = "this class's gradebook.csv and marks.csv"
_FAILING = ("failed", "error", "timeout", "not-answered", "missing")


@dataclass(frozen=True)
class TaskSummary:
    notebook: str
    task_id: str
    students: int
    full_points: int
    mean_points: float
    max_points: float
    unmarked: int
    failures: list[tuple[str, int]]

    @property
    def share_full(self) -> float:
        return self.full_points / self.students if self.students else 0.0

    @property
    def mean_share(self) -> float:
        return self.mean_points / self.max_points if self.max_points else 0.0


def summarise_tasks(rows: Iterable[Row], marks: Mapping[Key, Mark]) -> list[TaskSummary]:
    """One summary per task, hardest first (lowest mean share of the points).

    A mark replaces the grader's points; an unmarked written answer counts towards
    ``unmarked`` and is left out of the mean until it is marked. Tasks with answers still
    to mark come after all the others: their figures are not yet the class's, and a task
    nobody has marked would otherwise top the list at 0 points.
    """
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row.task_id:
            groups.setdefault((row.notebook, row.task_id), []).append(row)
    out = []
    for (notebook, task_id), task_rows in groups.items():
        earned = []
        unmarked = 0
        failures: Counter[str] = Counter()
        for row in task_rows:
            mark = marks.get((row.student, row.notebook, row.task_id))
            if mark is not None:
                earned.append(mark.points)
            elif row.status == "manual":
                unmarked += 1
            else:
                earned.append(row.points)
                if row.status in _FAILING:
                    failures[split_late(row.detail)[0] or row.status] += 1
        most = max(r.max_points for r in task_rows)
        out.append(
            TaskSummary(
                notebook,
                task_id,
                len(task_rows),
                sum(p >= most for p in earned),
                sum(earned) / len(earned) if earned else 0.0,
                most,
                unmarked,
                failures.most_common(3),
            )
        )
    return sorted(
        out, key=lambda s: (s.unmarked > 0, s.mean_share, s.share_full, s.notebook, s.task_id)
    )


def _task_chart(summaries: list[TaskSummary]) -> plots.CourseFigure:
    frame = pd.DataFrame(
        {
            "task": [s.task_id.removeprefix("ex-") for s in summaries],
            "mean": [round(100 * s.mean_share, 1) for s in summaries],
        }
    )
    return plots.bar_chart(
        frame,
        "task",
        "mean",
        title="Mean share of the points per task, hardest first",
        xlabel="task (ex-NN-k without ex-)",
        ylabel="mean points (% of the task's points)",
        source=_SOURCE,
    )


def _distribution_chart(notebook: str, scores: list[float], most: float) -> plots.CourseFigure:
    counts = Counter(int(score) for score in scores)
    frame = pd.DataFrame(
        {
            "points": [f"{p}" for p in range(int(most) + 1)],
            "students": [counts.get(p, 0) for p in range(int(most) + 1)],
        }
    )
    fig = plots.bar_chart(
        frame,
        "points",
        "students",
        title=f"Scores in {notebook.removesuffix('.ipynb')} (of {most:g} points)",
        xlabel="points (whole points, rounded down)",
        ylabel="students",
        source=_SOURCE,
    )
    fig.axes[0].yaxis.set_major_locator(MaxNLocator(integer=True))  # whole students
    return fig


def _figure(fig: plots.CourseFigure, name: str, grades: Path) -> tuple[str, str]:
    """The chart as HTML (embedded, with alt text and caption) and as Markdown (a PNG file)."""
    image, caption = plots.figure_outputs(fig)
    alt = image["metadata"]["image/png"]["alt"]
    text = caption["data"]["text/plain"]
    png = base64.b64decode(image["data"]["image/png"])
    target = grades / FILES / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png)
    page = (
        f"<figure>{image['data']['text/html']}<figcaption>{html.escape(text)}</figcaption></figure>"
    )
    markdown = f"![{alt}]({FILES}/{name}.png)\n\n*{text}*"
    return page, markdown


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_report(grades: Path, rows: list[Row], marks: Mapping[Key, Mark]) -> None:
    """Write ``GRADES/report.md`` and ``GRADES/report.html`` from the gradebook and marks."""
    grades = Path(grades)
    summaries = summarise_tasks(rows, marks)
    sums = totals(rows, marks)
    students = len({t.student for t in sums})
    unmarked = sum(t.unmarked for t in sums)
    intro = f"{students} students, {len(summaries)} tasks. " + (
        f"{unmarked} written answers are still unmarked; their tasks come last, and their "
        "figures leave them out."
        if unmarked
        else "Every written answer is marked."
    )
    md = ["# Class report", "", intro, "", "## Tasks, hardest first", ""]
    md += [
        "| task | exercise | full points | mean points | unmarked | most common problems |",
        "|---|---|---|---|---|---|",
    ]
    page = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Class report</title>',
        "<style>body{font-family:sans-serif;max-width:60rem;margin:auto;padding:1rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3rem;"
        "text-align:left;vertical-align:top}img{max-width:100%}</style></head><body>",
        "<h1>Class report</h1>",
        f"<p>{html.escape(intro)}</p>",
        "<h2>Tasks, hardest first</h2>",
        "<table><thead><tr><th scope='col'>task</th><th scope='col'>exercise</th>"
        "<th scope='col'>full points</th><th scope='col'>mean points</th>"
        "<th scope='col'>unmarked</th><th scope='col'>most common problems</th></tr></thead>"
        "<tbody>",
    ]
    for s in summaries:
        share = f"{s.full_points} of {s.students} ({100 * s.share_full:.0f}%)"
        mean = f"{s.mean_points:.2g} of {s.max_points:g}"
        problems = [f"{count} × {message}" for message, count in s.failures]
        md.append(
            f"| {s.task_id} | {s.notebook} | {share} | {mean} | {s.unmarked} | "
            f"{_cell('; '.join(problems)) or '-'} |"
        )
        items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
        page.append(
            f"<tr><th scope='row'>{html.escape(s.task_id)}</th><td>{html.escape(s.notebook)}"
            f"</td><td>{share}</td><td>{mean}</td><td>{s.unmarked}</td>"
            f"<td>{f'<ul>{items}</ul>' if items else '-'}</td></tr>"
        )
    page.append("</tbody></table>")
    md.append("")
    if summaries:
        chart_html, chart_md = _figure(_task_chart(summaries), "tasks", grades)
        page.append(chart_html)
        md += [chart_md, ""]
    md += ["## Scores per exercise", ""]
    page.append("<h2>Scores per exercise</h2>")
    for notebook in sorted({t.notebook for t in sums}):
        of_notebook = [t for t in sums if t.notebook == notebook]
        most = max(t.max_points for t in of_notebook)
        scores = [t.points for t in of_notebook]
        line = (
            f"{notebook}: {len(scores)} students, mean {sum(scores) / len(scores):.3g} of "
            f"{most:g} points; {sum(not t.complete for t in of_notebook)} not yet fully marked."
        )
        name = "scores-" + notebook.removesuffix(".ipynb")
        chart_html, chart_md = _figure(_distribution_chart(notebook, scores, most), name, grades)
        md += [f"### {notebook}", "", line, "", chart_md, ""]
        page += [f"<h3>{html.escape(notebook)}</h3>", f"<p>{html.escape(line)}</p>", chart_html]
    page.append("</body></html>")
    _write_atomically(grades / "report.md", "\n".join(md))
    _write_atomically(grades / "report.html", "\n".join(page))
