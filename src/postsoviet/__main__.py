"""Command line: ``python -m postsoviet COMMAND``.

One entry point for every generated artefact, so the README, the Makefile and CI
all call the same thing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from types import ModuleType


def _build(args: argparse.Namespace) -> int:
    from postsoviet import notebooks

    return notebooks.main_build(args.paths, check=args.check)


def _quiz_keys(args: argparse.Namespace) -> int:
    from postsoviet.quiz import authoring

    return authoring.main(args.sources, check=args.check)


def _exercise_keys(args: argparse.Namespace) -> int:
    from postsoviet import forensics
    from postsoviet.checks import _answers, _choices

    for path, what in ((args.source, "exercise key file"), (args.references, "reference module")):
        if not path.is_file():
            print(f"error: {path} is not the {what}.", file=sys.stderr)
            return 2
    try:
        references = _load_references(args.references)
        current = [
            _choices.write_keys(args.source, check=args.check),
            _answers.write_keys(references.references(), check=args.check),
            forensics.write_mystery(references.mystery_election(), check=args.check),
        ]
    except (ValueError, KeyError, TypeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    written = (
        (_choices.KEYS_FILE, args.source),
        (_answers.KEYS_FILE, args.references),
        (forensics.MYSTERY_FILE, args.references),
    )
    stale = [
        f"{keys.name} differs from {source}"
        for (keys, source), fresh in zip(written, current, strict=True)
        if not fresh
    ]
    if stale:
        print("; ".join(stale) + ": run exercise-keys.")
        return 1
    return 0


def _load_references(path: Path) -> ModuleType:
    """The instructor's module of reference answers, imported from ``solutions/`` by path.

    The module is not part of the package: it exists only in the course repository.
    """
    import importlib.util

    spec = importlib.util.spec_from_file_location("exercise_references", path)
    if spec is None or spec.loader is None:
        raise ValueError(f"{path} cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _exercises(args: argparse.Namespace) -> int:
    from postsoviet import exercises

    return exercises.main(args.source, args.dest, check=args.check)


def _grade(args: argparse.Namespace) -> int:
    from postsoviet.grading import GradingLocked, grade_folder
    from postsoviet.grading.deadline import DeadlineError, parse_deadline
    from postsoviet.grading.roster import RosterError, lookup_table, read_roster
    from postsoviet.grading.sandbox import SandboxUnavailable

    if not args.submissions.is_dir():
        print(f"error: {args.submissions} is not a folder of submissions.", file=sys.stderr)
        return 2
    deadline = None
    if args.deadline:
        try:
            deadline = parse_deadline(args.deadline)
        except DeadlineError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    if not 0 <= args.late_penalty <= 100:
        print("error: --late-penalty is a percentage from 0 to 100.", file=sys.stderr)
        return 2
    if args.late_penalty and deadline is None:
        print("error: --late-penalty needs a --deadline.", file=sys.stderr)
        return 2
    if not args.solutions.is_dir():
        # Without it every written answer would show "no model answer found" and no
        # exercise version could be compared: refuse rather than grade half-blind.
        print(
            f"error: {args.solutions} is not a folder of solution notebooks: run grade from "
            "the course repository's top folder, or pass --solutions PATH (model answers, "
            "rubrics and exercise versions come from it).",
            file=sys.stderr,
        )
        return 2
    try:
        listed = read_roster(args.roster) if args.roster else None
        roster = lookup_table(listed, args.roster) if listed is not None else None
        summary = grade_folder(
            args.submissions,
            args.out,
            solutions=args.solutions,
            jobs=args.jobs,
            resume=args.resume,
            cell_timeout=args.cell_timeout,
            notebook_timeout=args.notebook_timeout,
            progress=not args.quiet,
            unsafe=args.unsafe_no_sandbox,
            roster=roster,
            deadline=deadline,
            late_penalty=args.late_penalty,
        )
    except (SandboxUnavailable, GradingLocked, RosterError, DeadlineError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if summary.marks_problem:
        print(
            f"warning: the marks in {args.out / 'marks.csv'} were not applied: "
            f"{summary.marks_problem} Fix that row, then run "
            f"`python -m postsoviet mark {args.out} --no-lab`.",
            file=sys.stderr,
        )
    if listed is not None:
        _say_who_the_roster_lacks(args.out, listed)
    print(
        f"graded {summary.submissions} submissions from {summary.students} students in "
        f"{summary.seconds:g} s: {summary.rows} rows, {summary.errors} errors or time-outs. "
        f"Gradebook: {args.out / 'gradebook.csv'}; feedback in {args.out / 'feedback'}."
    )
    return 0


def _say_who_the_roster_lacks(out: Path, listed: dict[str, dict[str, str]]) -> None:
    """Name now, not at export, the graded students the roster does not list."""
    from postsoviet.grading.marks import read_gradebook

    graded = {row.student for row in read_gradebook(out) if row.task_id}
    missing = sorted(graded - set(listed))
    if missing:
        print(
            f"note: {len(missing)} graded student(s) are not in the roster, so export will "
            f"refuse them: {', '.join(missing)}. Add their ids to the roster (or fix its "
            "names) and grade again.",
            file=sys.stderr,
        )


def _mark(args: argparse.Namespace) -> int:
    from postsoviet.grading.marking_view import login_name, notebook_marker, write_notebook
    from postsoviet.grading.marks import CONFLICTS_FILE, MarkError, merge, refresh

    grades: Path = args.grades
    if not (grades / "gradebook.csv").exists():
        print(
            f"error: {grades} has no gradebook.csv: run `python -m postsoviet grade "
            f"SUBMISSIONS --out {grades}` first.",
            file=sys.stderr,
        )
        return 2
    try:
        if args.merge:
            added, conflicts = merge(grades, args.merge)
            print(
                f"merged {len(args.merge)} file(s) into {grades / 'marks.csv'}: {added} new marks."
            )
            if conflicts:
                print(
                    f"{len(conflicts)} answer(s) were marked differently; each keeps the mark "
                    f"it had in marks.csv (or stays unmarked) until you settle it "
                    f"(listed in {grades / CONFLICTS_FILE}):",
                    file=sys.stderr,
                )
                for conflict in conflicts:
                    print(f"  {conflict.sentence()}", file=sys.stderr)
                return 1
            return 0
        rows, marks = refresh(grades)
    except MarkError as error:
        print(f"error: {error} Nothing was changed.", file=sys.stderr)
        return 2
    to_mark = sum(r.status == "manual" for r in rows)
    done = sum((r.student, r.notebook, r.task_id) in marks for r in rows if r.status == "manual")
    marker = args.marker if args.marker is not None else notebook_marker(grades)
    notebook = write_notebook(grades, marker if marker is not None else login_name())
    print(
        f"{done} of {to_mark} written answers marked. Totals: {grades / 'totals.csv'}; "
        f"class report: {grades / 'report.html'}; marking notebook: {notebook}."
    )
    if args.no_lab:
        return 0
    import subprocess

    command = [sys.executable, "-m", "jupyter", "lab", str(notebook)]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # JupyterLab refuses root unless told (containers)
    print("opening it in JupyterLab (stop with Ctrl+C)...")
    return subprocess.call(command)


def _export(args: argparse.Namespace) -> int:
    from postsoviet.grading.export import ExportError, export
    from postsoviet.grading.marks import MarkError
    from postsoviet.grading.roster import RosterError

    if not (args.grades / "gradebook.csv").exists():
        print(f"error: {args.grades} has no gradebook.csv: grade first.", file=sys.stderr)
        return 2
    try:
        done = export(
            args.grades,
            args.format,
            args.out,
            roster=args.roster,
            allow_incomplete=args.allow_incomplete,
        )
    except (ExportError, MarkError, RosterError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"wrote {args.out}: {done.students} students, {done.exercises} exercise(s), "
        f"for {args.format}."
    )
    if done.unmarked:
        print(f"note: {done.unmarked} unmarked written answers counted 0.", file=sys.stderr)
    if done.not_in_class:
        print(
            f"note: on the roster but with no submissions, left out: "
            f"{', '.join(done.not_in_class)}.",
            file=sys.stderr,
        )
    return 0


def _datasets(args: argparse.Namespace) -> int:
    from postsoviet import data

    table = data.catalogue()
    print(table.to_string(index=False, max_colwidth=60))
    print("\npostsoviet.data.load(name) returns one; postsoviet.data.source(name) its sources.")
    return 0


def _student_copy(args: argparse.Namespace) -> int:
    from postsoviet import student_copy

    return student_copy.main(args.dest, root=args.source, branch=args.branch, message=args.message)


def _collect(args: argparse.Namespace) -> int:
    from postsoviet import collect

    return collect.main(
        args.homes, args.exercise, args.out, blank=args.blank, deadline=args.deadline,
        max_mb=args.max_mb,
    )


def _link(args: argparse.Namespace) -> int:
    from postsoviet import hublink

    return hublink.main(
        args.hub, args.repo, branch=args.branch, path=args.path, targetpath=args.targetpath
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m postsoviet", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser(
        "build",
        help="execute notebooks top to bottom in a fresh kernel and store them clean",
    )
    build.add_argument(
        "paths", nargs="*", type=Path, default=[Path("course")], help="notebooks or folders"
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 naming every notebook whose stored copy is stale",
    )
    build.set_defaults(run=_build)

    keys = commands.add_parser(
        "quiz-keys",
        help="hash the instructor's quiz sources (solutions/quizzes) into the public banks",
    )
    keys.add_argument(
        "sources",
        nargs="*",
        type=Path,
        default=[Path("solutions/quizzes")],
        help="quiz source files or folders",
    )
    keys.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 if a public bank differs from its source",
    )
    keys.set_defaults(run=_quiz_keys)

    exercise = commands.add_parser(
        "exercises",
        help="regenerate the student exercises from the solution notebooks (needs nbgrader)",
    )
    exercise.add_argument("--source", type=Path, default=Path("solutions"), help="solutions folder")
    exercise.add_argument("--dest", type=Path, default=Path("exercises"), help="exercises folder")
    exercise.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 naming every exercise that differs from its solution",
    )
    exercise.set_defaults(run=_exercises)

    choice_keys = commands.add_parser(
        "exercise-keys",
        help="hash the exercise tasks' answers (choice keys and references) into the package",
    )
    choice_keys.add_argument(
        "source", nargs="?", type=Path, default=Path("solutions/exercise-keys.yaml")
    )
    choice_keys.add_argument(
        "--references",
        type=Path,
        default=Path("solutions/exercise_references.py"),
        help="the instructor's module of reference answers",
    )
    choice_keys.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if the hashes are stale"
    )
    choice_keys.set_defaults(run=_exercise_keys)

    grade = commands.add_parser("grade", help="grade a folder of submitted exercise notebooks")
    grade.add_argument(
        "submissions",
        type=Path,
        help="STUDENT/NN-slug.ipynb, STUDENT__NN-slug.ipynb, or a Canvas or Moodle download",
    )
    grade.add_argument(
        "--out", type=Path, required=True, help="folder for gradebook.csv and feedback"
    )
    grade.add_argument(
        "--solutions",
        type=Path,
        default=Path("solutions"),
        help="solution notebooks (rubrics for written answers)",
    )
    grade.add_argument("--jobs", type=int, default=None, help="submissions graded at once")
    grade.add_argument("--resume", action="store_true", help="keep students already graded in OUT")
    grade.add_argument("--cell-timeout", type=int, default=30, help="seconds per cell")
    grade.add_argument("--notebook-timeout", type=int, default=300, help="seconds per notebook")
    grade.add_argument("--quiet", action="store_true", help="no progress bar")
    grade.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="grade even where submissions cannot be isolated (bubblewrap missing or no user "
        "namespaces): a submission can then read and change your files",
    )
    grade.add_argument(
        "--deadline",
        help="flag submissions handed in after this (2026-10-12T23:59, local time unless a "
        "zone is given), timed by the folder's collection.csv, else by each file's time",
    )
    grade.add_argument(
        "--late-penalty",
        type=float,
        default=0.0,
        metavar="PCT",
        help="per cent of an exercise's points taken off per started day late (default 0)",
    )
    grade.add_argument(
        "--roster",
        type=Path,
        default=None,
        help="CSV with a 'student' column and id, login or folder columns (LMS downloads)",
    )
    grade.set_defaults(run=_grade)

    mark = commands.add_parser(
        "mark",
        help="mark written answers in JupyterLab (GRADES/marking.ipynb), or merge markers' files",
    )
    mark.add_argument("grades", type=Path, help="the --out folder of `grade`")
    mark.add_argument(
        "--merge",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="merge these marks files (same columns as marks.csv) into GRADES/marks.csv",
    )
    mark.add_argument(
        "--marker",
        default=None,
        help="your name in marks.csv (default: the name given last time, else your login name)",
    )
    mark.add_argument(
        "--no-lab",
        action="store_true",
        help="check marks.csv, update totals, feedback and report, write the notebook; "
        "do not start JupyterLab (on a JupyterHub, open GRADES/marking.ipynb yourself)",
    )
    mark.set_defaults(run=_mark)

    exporter = commands.add_parser("export", help="per-student totals for Canvas, Moodle or CSV")
    exporter.add_argument("grades", type=Path, help="the --out folder of `grade`")
    exporter.add_argument(
        "--format", required=True, type=str.lower, choices=["canvas", "moodle", "csv"]
    )
    exporter.add_argument("--out", type=Path, required=True, help="the file to write")
    exporter.add_argument(
        "--roster", type=Path, help="CSV: student (name used here) and the LMS's ids"
    )
    exporter.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="export even if written answers are unmarked (they count 0)",
    )
    exporter.set_defaults(run=_export)

    copy = commands.add_parser(
        "student-copy",
        help="write or refresh a separate repository students pull from, with no answers in it",
    )
    copy.add_argument("dest", type=Path, help="an empty folder, or an earlier student copy")
    copy.add_argument("--source", type=Path, default=Path("."), help="the course repository")
    copy.add_argument("--branch", default="main", help="the branch students pull")
    copy.add_argument("--message", default=None, help="commit message of this release")
    copy.set_defaults(run=_student_copy)

    gather = commands.add_parser(
        "collect",
        help="copy one exercise from every student's hub home into a folder the grader reads",
    )
    gather.add_argument("homes", type=Path, help="the folder of home folders (e.g. /home)")
    gather.add_argument("--exercise", required=True, help="exercise name, e.g. 04-energy")
    gather.add_argument("--out", type=Path, required=True, help="submissions folder to fill")
    gather.add_argument(
        "--blank",
        type=Path,
        default=None,
        help="the exercise as handed out (default exercises/NN-slug.ipynb here)",
    )
    gather.add_argument("--deadline", default=None, help="ISO time, UTC unless it says otherwise")
    gather.add_argument("--max-mb", type=float, default=20, help="larger files are refused")
    gather.set_defaults(run=_collect)

    link = commands.add_parser(
        "link", help="print the nbgitpuller link that gives each student the course on a hub"
    )
    link.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    link.add_argument("--repo", required=True, help="the student copy's public git address")
    link.add_argument("--branch", default="main", help="the branch students pull")
    link.add_argument(
        "--path", default="course/00-start-here.ipynb", help="the notebook the link opens"
    )
    link.add_argument("--targetpath", default=None, help="folder in the home to clone into")
    link.set_defaults(run=_link)

    datasets = commands.add_parser("datasets", help="list the course datasets and their sources")
    datasets.set_defaults(run=_datasets)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
