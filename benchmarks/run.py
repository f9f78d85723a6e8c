"""Benchmarks for the course kit; writes docs/performance.md.

Run with ``make bench``. Figures are medians with min-max over repeated runs, measured on
the machine that runs the script; tests never assert timings.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "performance.md"


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float], unit: float = 1.0, digits: int = 2) -> str:
    scaled = [t / unit for t in times]
    return (
        f"{statistics.median(scaled):.{digits}f} "
        f"({min(scaled):.{digits}f}-{max(scaled):.{digits}f})"
    )


def import_time() -> list[float]:
    command = [
        sys.executable,
        "-c",
        "import time; t=time.perf_counter(); import postsoviet.quiz, "
        "postsoviet.data, postsoviet.plots; print(time.perf_counter()-t)",
    ]
    return [
        float(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        for _ in range(5)
    ]


def check_times() -> list[float]:
    from postsoviet import quiz

    responses = [None, "", "b", "80,1%", "Тихановская", ["a", "c"], "x" * 10_000, 42]
    ids = quiz.question_ids()

    def one_pass() -> None:
        for question_id in ids:
            for response in responses:
                quiz.check(question_id, response)

    count = len(ids) * len(responses)
    return [t / count for t in timed(one_pass, 20)]


def build_times(path: Path) -> list[float]:
    from postsoviet.notebooks import build_notebook

    return timed(lambda: build_notebook(path), 5)


def grading_time(count: int = 40) -> tuple[float, int]:
    """Seconds per submission for a class of ``count`` (half solved, half blank), all cores."""
    import shutil

    from postsoviet.grading import grade_folder

    samples = ROOT / "tests" / "samples"
    with tempfile.TemporaryDirectory() as folder:
        submissions = Path(folder) / "submissions"
        for number in range(count):
            kind = "solutions" if number % 2 == 0 else "exercises"
            target = submissions / f"student{number:02d}"
            target.mkdir(parents=True)
            shutil.copy(samples / kind / "90-sample-elections.ipynb", target)
        start = time.perf_counter()
        grade_folder(
            submissions, Path(folder) / "out", solutions=samples / "solutions", progress=False
        )
        return (time.perf_counter() - start) / count, os.cpu_count() or 1


def main() -> None:
    os.environ.setdefault("POSTSOVIET_PROGRESS", str(Path(tempfile.mkdtemp()) / "p.json"))
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), empty)
        empty_build = build_times(empty)
    rows = [
        ("`import postsoviet.quiz, .data, .plots`", summary(import_time()), "s"),
        ("quiz `check()` per response", summary(check_times(), 1e-6, 1), "µs"),
        ("build a one-cell notebook (kernel start-up floor)", summary(empty_build), "s"),
    ]
    for path in sorted((ROOT / "course").glob("*.ipynb")):
        times = build_times(path)
        ratio = statistics.median(times) / statistics.median(empty_build)
        rows.append((f"build `course/{path.name}`", f"{summary(times)}; {ratio:.1f}× floor", "s"))
    per_submission, jobs = grading_time()
    rows.append(
        (
            f"grade 40 submissions of sample 90 (`--jobs {jobs}`), per submission",
            f"{per_submission:.2f}",
            "s",
        )
    )
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`benchmarks/run.py`). Medians with min-max over repeated runs.",
        "",
        f"- date: {date.today().isoformat()}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        f"- Python {platform.python_version()}",
        "",
        "| what | time | unit |",
        "|---|---|---|",
        *[f"| {what} | {value} | {unit} |" for what, value, unit in rows],
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
