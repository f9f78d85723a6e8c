"""Command line: ``python -m postsoviet COMMAND``.

One entry point for every generated artefact, so the README, the Makefile and CI
all call the same thing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _build(args: argparse.Namespace) -> int:
    from postsoviet import notebooks

    return notebooks.main_build(args.paths, check=args.check)


def _quiz_keys(args: argparse.Namespace) -> int:
    from postsoviet.quiz import authoring

    return authoring.main(args.sources, check=args.check)


def _exercises(args: argparse.Namespace) -> int:
    from postsoviet import exercises

    return exercises.main(args.source, args.dest, check=args.check)


def _grade(args: argparse.Namespace) -> int:
    from postsoviet.grading import GradingLocked, grade_folder
    from postsoviet.grading.sandbox import SandboxUnavailable

    if not args.submissions.is_dir():
        print(f"error: {args.submissions} is not a folder of submissions.", file=sys.stderr)
        return 2
    try:
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
        )
    except (SandboxUnavailable, GradingLocked) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"graded {summary.submissions} submissions from {summary.students} students in "
        f"{summary.seconds:g} s: {summary.rows} rows, {summary.errors} errors or time-outs. "
        f"Gradebook: {args.out / 'gradebook.csv'}; feedback in {args.out / 'feedback'}."
    )
    return 0


def _datasets(args: argparse.Namespace) -> int:
    from postsoviet import data

    table = data.catalogue()
    print(table.to_string(index=False, max_colwidth=60))
    print("\npostsoviet.data.load(name) returns one; postsoviet.data.source(name) its sources.")
    return 0


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

    grade = commands.add_parser("grade", help="grade a folder of submitted exercise notebooks")
    grade.add_argument(
        "submissions", type=Path, help="STUDENT/NN-slug.ipynb or STUDENT__NN-slug.ipynb"
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
    grade.set_defaults(run=_grade)

    datasets = commands.add_parser("datasets", help="list the course datasets and their sources")
    datasets.set_defaults(run=_datasets)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
