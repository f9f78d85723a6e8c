"""Benchmarks for the course kit; writes docs/performance.md.

Run with ``make bench``. Figures are medians with min-max over repeated runs, measured on
the machine that runs the script; tests never assert timings.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import nbformat

import explorer_latency
import hub_class

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "performance.md"
CLASS_SIZE = 40
CLASS_EXERCISE = "04-energy.ipynb"  # a real exercise: charts, a function, a written answer
STUDENT_IMPORTS = "postsoviet.quiz, postsoviet.data, postsoviet.plots, postsoviet.explorers"
NOTES = Path(__file__).parent / "notes.md"
RESULTS = Path(__file__).parent / "results.json"


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


def import_time(modules: str) -> list[float]:
    """Seconds to import ``modules`` in a fresh interpreter, five runs."""
    command = [
        sys.executable,
        "-c",
        f"import time; t=time.perf_counter(); import {modules}; print(time.perf_counter()-t)",
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

    return timed(lambda: build_notebook(path), 3)


def _class_of(count: int, folder: Path) -> Path:
    """``count`` submissions of exercise 04, alternately solved and blank."""
    submissions = folder / "submissions"
    for number in range(count):
        kind = "solutions" if number % 2 == 0 else "exercises"
        target = submissions / f"student{number:02d}"
        target.mkdir(parents=True)
        shutil.copy(ROOT / kind / CLASS_EXERCISE, target)
    return submissions


def grading_time(count: int, jobs: int) -> float:
    """Seconds per submission for a class of ``count`` graded with ``--jobs jobs``.

    Each submission runs in its bubblewrap sandbox, as ``python -m postsoviet grade`` does.
    """
    from postsoviet.grading import grade_folder

    with tempfile.TemporaryDirectory() as folder:
        submissions = _class_of(count, Path(folder))
        start = time.perf_counter()
        grade_folder(
            submissions,
            Path(folder) / "out",
            solutions=ROOT / "solutions",
            jobs=jobs,
            progress=False,
        )
        return (time.perf_counter() - start) / count


def nbgrader_time(count: int) -> float:
    """Seconds per submission for ``nbgrader autograde`` on the same class.

    Generate_assignment runs first (not timed), as an instructor would have done when
    handing the exercise out; autograde then executes every submission.
    """
    with tempfile.TemporaryDirectory() as folder:
        course = Path(folder)
        shutil.copy(ROOT / "nbgrader_config.py", course)
        source = course / "source" / "sample"
        source.mkdir(parents=True)
        shutil.copy(ROOT / "solutions" / CLASS_EXERCISE, source)
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
        env.pop("NBGRADER_EXECUTION", None)

        def nbgrader(*args: str) -> None:
            subprocess.run(
                [sys.executable, "-m", "nbgrader", *args, "--force"],
                cwd=course,
                env=env,
                check=True,
                capture_output=True,
            )

        nbgrader("generate_assignment", "sample")
        for student in _class_of(count, course / "class").iterdir():
            shutil.copytree(student, course / "submitted" / student.name / "sample")
        start = time.perf_counter()
        nbgrader("autograde", "sample", "--create")
        return (time.perf_counter() - start) / count


def make_time(target: str, folder: Path = ROOT) -> float:
    """Seconds for ``make TARGET`` in ``folder``, as CI runs it."""
    start = time.perf_counter()
    subprocess.run(["make", target], cwd=folder, check=True, capture_output=True)
    return time.perf_counter() - start


def fresh_clone_make_test_time() -> float:
    """Seconds for ``make test`` in a fresh clone of the committed course (set-up included).

    The clone starts with no ``.venv``, as CI's does; pip's own download cache is what the
    machine has, so on a machine that never installed the packages it takes longer.
    """
    with tempfile.TemporaryDirectory(prefix="postsoviet-clone-") as folder:
        clone = Path(folder) / "course"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        return make_time("test", clone)


def make_test_figures() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Rows and targets for ``make test`` (warm and fresh clone) and ``make test-fast``."""
    warm, fast = make_time("test"), make_time("test-fast")
    return make_test_rows(warm, fresh_clone_make_test_time(), fast)


def make_test_rows(
    warm: float, fresh: float, fast: float
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The rows and targets for measured seconds (also for runs timed by hand, with logs)."""
    rows = [
        ("whole `make test`, set-up done (warm)", f"{warm:.0f}", "s"),
        ("whole `make test` in a fresh clone, set-up included", f"{fresh:.0f}", "s"),
        ("`make test-fast` (unit tests only), set-up done", f"{fast:.0f}", "s"),
    ]
    targets = [
        ("`make test` under 10 minutes (warm)", f"{warm / 60:.1f} min", _verdict(warm < 600)),
        (
            "`make test` under 10 minutes (fresh clone)",
            f"{fresh / 60:.1f} min",
            _verdict(fresh < 600),
        ),
        ("`make test-fast` under 2 minutes", f"{fast / 60:.1f} min", _verdict(fast < 120)),
    ]
    return rows, targets


def _replace(old: list, new: list) -> list:
    """``old`` with the entries named like one of ``new`` replaced (new ones appended)."""
    names = {entry[0] for entry in new}
    return [entry for entry in old if entry[0] not in names] + [list(e) for e in new]


def _versions() -> str:
    from importlib.metadata import version

    packages = ("jupyterlab", "ipywidgets", "matplotlib", "pandas", "nbclient", "nbgrader")
    found = [f"{name} {version(name)}" for name in packages]
    chromium = subprocess.run(
        ["/usr/bin/chromium", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return ", ".join([f"Python {platform.python_version()}", *found, chromium or "no Chromium"])


def _verdict(met: bool) -> str:
    return "met" if met else "**not met**"


GRADING_TARGET = "grading ≥ 2× nbgrader's throughput"


def grading_figures() -> tuple[list[tuple[str, str, str]], tuple[str, str, str]]:
    """The grading rows and target: our grader (sandboxed) against nbgrader, same class."""
    per_job = {jobs: grading_time(CLASS_SIZE, jobs) for jobs in (1, 2)}
    theirs = nbgrader_time(CLASS_SIZE)
    rows = [
        (
            f"grade {CLASS_SIZE} submissions of `{CLASS_EXERCISE}`, sandboxed, `--jobs {jobs}`, "
            "per submission",
            f"{seconds:.2f}; {theirs / seconds:.1f}× nbgrader's throughput",
            "s",
        )
        for jobs, seconds in per_job.items()
    ]
    rows.append(
        (
            f"`nbgrader autograde`, same {CLASS_SIZE} submissions, per submission",
            f"{theirs:.2f}",
            "s",
        )
    )
    best = theirs / min(per_job.values())
    return rows, (GRADING_TARGET, f"{best:.1f}×", _verdict(best >= 2))


def _is_grading_row(what: str) -> bool:
    return what.startswith(("grade ", "`nbgrader autograde`"))


def measure_grading_only(results: dict) -> dict:
    """``results`` with its grading figures measured again, everything else kept."""
    rows, target = grading_figures()
    kept = [r for r in results["rows"] if not _is_grading_row(r[0])]
    where = next((i for i, r in enumerate(results["rows"]) if _is_grading_row(r[0])), len(kept))
    results["rows"] = kept[:where] + [list(r) for r in rows] + kept[where:]
    results["targets"] = [list(target) if t[0] == GRADING_TARGET else t for t in results["targets"]]
    return results


def measure(time_make_test: bool) -> dict[str, object]:
    """Every figure of the report, as data (also kept in ``RESULTS``)."""
    os.environ.setdefault("POSTSOVIET_PROGRESS", str(Path(tempfile.mkdtemp()) / "p.json"))
    # The hub class first: its servers are all stopped when it returns, and if it fails,
    # the rest (a quarter of an hour) has not been measured for nothing.
    figures = hub_class.measure(CLASS_SIZE)
    rows: list[tuple[str, str, str]] = []
    targets: list[tuple[str, str, str]] = []

    package, student = import_time("postsoviet"), import_time(STUDENT_IMPORTS)
    rows.append(("`import postsoviet`", summary(package), "s"))
    rows.append((f"`import {STUDENT_IMPORTS}` (a lesson's set-up cell)", summary(student), "s"))
    bare, setup = statistics.median(package), statistics.median(student)
    targets.append(("`import postsoviet` under 0.5 s", f"{bare:.2f} s", _verdict(bare < 0.5)))
    targets.append(
        (
            "a lesson's set-up imports under 0.5 s (stricter)",
            f"{setup:.2f} s",
            _verdict(setup < 0.5),
        )
    )
    rows.append(("quiz `check()` per response", summary(check_times(), 1e-6, 1), "µs"))

    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), empty)
        floor = statistics.median(build_times(empty))
    rows.append(("run a one-cell notebook (kernel start-up floor)", f"{floor:.2f}", "s"))
    worst_ratio = 0.0
    for path in sorted([*ROOT.glob("course/*.ipynb"), *ROOT.glob("solutions/*.ipynb")]):
        times = build_times(path)
        ratio = statistics.median(times) / floor
        worst_ratio = max(worst_ratio, ratio)
        name = path.relative_to(ROOT).as_posix()
        rows.append((f"run `{name}`", f"{summary(times)}; {ratio:.1f}× floor", "s"))
    targets.append(
        (
            "no notebook over 2× the empty one",
            f"worst {worst_ratio:.1f}×",
            _verdict(worst_ratio <= 2),
        )
    )

    grading_rows, grading_target = grading_figures()
    rows += grading_rows
    targets.append(grading_target)

    lat_rows = latency_rows(explorer_latency.measure())
    targets += latency_targets(lat_rows)

    if time_make_test:
        test_rows, test_targets = make_test_figures()
        rows.extend(test_rows)
        targets.extend(test_targets)

    return {
        "hub_class": figures,
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "versions": _versions(),
        "targets": targets,
        "rows": rows,
        "latency": lat_rows,
    }


def latency_rows(latency: dict[str, dict[str, list[float]]]) -> list[str]:
    """One table row per explorer and variant: steps, median, p95, min-max (ms)."""
    rows = []
    for variant, explorers in latency.items():
        for name, times in explorers.items():
            median, low, high = explorer_latency.summarise(times)
            p95 = explorer_latency.percentile_95(times)
            rows.append(
                f"| {name} | {variant} | {len(times)} | {median:.0f} | {p95:.0f} "
                f"| {low:.0f}-{high:.0f} |"
            )
    return rows


def latency_targets(rows: list[str]) -> list[tuple[str, str, str]]:
    """The latency targets, read back from the course rows of the table."""
    course = [row.split("|")[1:-1] for row in rows if row.split("|")[2].strip() == "course"]
    medians = [float(cells[3]) for cells in course]
    p95s = [float(cells[4]) for cells in course if cells[4].strip() != "-"]
    return [
        (
            "explorer median under 60 ms",
            f"worst median {max(medians):.0f} ms",
            _verdict(max(medians) < 60),
        ),
        (
            "explorer 95th percentile under 150 ms",
            f"worst p95 {max(p95s):.0f} ms" if p95s else "not measured",
            _verdict(bool(p95s) and max(p95s) < 150),
        ),
    ]


def update_latency(results: dict, lessons: tuple[str, ...]) -> dict:
    """Measure the explorers of ``lessons`` only and replace their rows in ``results``.

    On a shared machine a whole ``make bench`` is too heavy to repeat after each change;
    this keeps the other rows (and says when each row was measured in the notes).
    """
    fresh = latency_rows(explorer_latency.measure(lessons))
    names = {row.split("|")[1].strip() + "|" + row.split("|")[2].strip() for row in fresh}
    kept = [
        row
        for row in results["latency"]
        if row.split("|")[1].strip() + "|" + row.split("|")[2].strip() not in names
    ]
    results["latency"] = fresh + kept
    results["targets"] = [
        t for t in results["targets"] if not t[0].startswith(("explorer ", "no explorer step"))
    ] + latency_targets(results["latency"])
    return results


def _hub_section(figures: dict | None) -> list[str]:
    """The class-on-a-hub table (``benchmarks/hub_class.py``), with its student count."""
    if not figures:
        return []
    return [
        "## A class on a hub",
        "",
        *hub_class.__doc__.strip().splitlines()[2:],
        "",
        f"Measured with {figures['students']} simulated students.",
        "",
        "| what | value | unit |",
        "|---|---|---|",
        *hub_class.rows(figures),
        "",
    ]


def render(results: dict) -> str:
    """docs/performance.md from the figures of one run, and the notes written by hand."""
    notes = NOTES.read_text(encoding="utf-8").strip()
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`benchmarks/run.py`); do not edit by hand. Medians with",
        "min-max over repeated runs; ratios against a baseline measured in the same run.",
        "",
        f"- date: {results['date']}",
        f"- machine: {results['machine']}",
        f"- versions: {results['versions']}",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *[f"| {what} | {value} | {verdict} |" for what, value, verdict in results["targets"]],
        "",
        "## Figures",
        "",
        "| what | time | unit |",
        "|---|---|---|",
        *[f"| {what} | {value} | {unit} |" for what, value, unit in results["rows"]],
        "",
        "## Explorer latency in JupyterLab",
        "",
        *explorer_latency.__doc__.strip().splitlines()[2:],
        "",
        "| explorer | variant | steps | median ms | p95 ms | min-max ms |",
        "|---|---|---|---|---|---|",
        *results["latency"],
        "",
        *_hub_section(results.get("hub_class")),
        notes,
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-make-test", action="store_true", help="do not time make test")
    parser.add_argument(
        "--make-test-only",
        action="store_true",
        help=f"time only make test (warm, fresh clone) and make test-fast; keep the rest of "
        f"{RESULTS.name}",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help=f"measure nothing: rewrite the report from {RESULTS.name} (after editing the notes)",
    )
    parser.add_argument(
        "--latency-only",
        nargs="+",
        metavar="LESSON",
        help="measure only these lessons' explorers (e.g. 01 06) and update their rows",
    )
    parser.add_argument(
        "--grading-only",
        action="store_true",
        help=f"measure only the grading figures; keep the others from {RESULTS.name}",
    )
    options = parser.parse_args()
    if options.latency_only:
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        results = update_latency(results, tuple(options.latency_only))
        RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    elif options.render_only:
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
    elif options.make_test_only:
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        test_rows, test_targets = make_test_figures()
        results["rows"] = _replace(results["rows"], test_rows)
        results["targets"] = _replace(results["targets"], test_targets)
        results["date"] = date.today().isoformat()
        RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    elif options.grading_only:
        results = measure_grading_only(json.loads(RESULTS.read_text(encoding="utf-8")))
        RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    else:
        results = measure(time_make_test=not options.skip_make_test)
        RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    OUT.write_text(render(results), encoding="utf-8")
    print(OUT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
