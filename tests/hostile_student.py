"""A hostile student: everything the installed package offers, tried against every task.

Run by ``tests/test_answer_keys.py`` as ``python -s hostile_student.py ROOT SITE GIVEN``
with only the copied package (``SITE/postsoviet``) importable and no way to the course
repository at ``ROOT``. ``GIVEN`` is a JSON file of test data: answer values to hunt for
in the package's source, and the cells each student of each exercise runs. Prints one
JSON report: the problems found, how many tries were made, and each check cell's
verdict.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.util
import inspect
import io
import json
import os
import pkgutil
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

MARKS = {"✓": "passed", "✗": "failed", "·": "not-answered", "✎": "manual"}
#: Where a student's own tries stop: the package offers plenty of harmless slow calls.
SECONDS = 20


def _cut_off_the_course(root: str) -> None:
    """Drop every import path inside the course repository except its environment."""
    environment = os.path.join(root, ".venv")
    sys.path[:] = [
        p
        for p in sys.path
        if not os.path.abspath(p or ".").startswith(root)
        or os.path.abspath(p).startswith(environment)
    ]


def _named_or_documented(package: Path) -> Iterator[str]:
    """Modules or functions named or documented as a task's reference or truth.

    The checks' ``Reference`` type is how the instructor's side states a key to hash;
    it holds no value, so class names are not judged, only their documentation.
    """
    for path in package.rglob("*.py"):
        in_checks = path.parent.name == "checks"
        if path.name == "samples.py":  # the authors' model tasks, not handed to students
            continue
        if any(word in path.stem for word in ("reference", "solution", "truth")):
            yield f"{path.name} is named as a reference"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                continue
            name, doc = node.name.lower(), (ast.get_docstring(node) or "").lower()
            if isinstance(node, ast.FunctionDef) and (
                "truth" in name
                or name.lstrip("_").startswith("expected")
                or (in_checks and "reference" in name)
            ):
                yield f"{path.name}: {node.name} is named as an answer"
            if "for the checker" in doc or "reference implementation" in doc:
                yield f"{path.name}: {node.name} is documented as a reference"


def _constants(node: ast.AST) -> list[Any]:
    items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
    return [i.value for i in items if isinstance(i, ast.Constant) and i.value is not None]


def _plain_answers(checks_folder: Path, hunted: dict[str, list[Any]]) -> Iterator[str]:
    """An answer compared with, or assigned, as a literal; a number written in a file.

    A container of offered options (``("supported", "refuted", "undecided")``) is fine:
    it is flagged only when every item in it is an answer.
    """
    answers = {(t, v) for t, values in hunted.items() for v in values}

    def which(value: Any) -> list[str]:
        return [t for t, v in answers if type(v) is type(value) and v == value]

    for path in checks_folder.glob("*.py"):
        if path.name == "samples.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                for operand in [node.left, *node.comparators]:
                    values = _constants(operand)
                    tasks = [which(v) for v in values]
                    if values and all(tasks):
                        yield f"{path.name}:{node.lineno} compares with {tasks[0][0]}'s answer"
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                for value in _constants(node.value):
                    for task in which(value):
                        yield f"{path.name}:{node.lineno} stores {task}'s answer"
    texts = [p.read_text(encoding="utf-8") for p in checks_folder.glob("*.py")]
    for task, values in hunted.items():
        for value in values:
            if isinstance(value, str):
                continue
            for spelling in {f"{value:.2f}", f"{value:.3f}"}:
                if len(spelling.strip("-0.")) >= 4 and any(spelling in t for t in texts):
                    yield f"{task}'s answer {spelling} is written in the checks"


def _alarm(_signum: int, _frame: object) -> None:
    raise TimeoutError


def _callables(modules: list[Any]) -> dict[str, Callable[..., Any]]:
    """Every function of the package in ``modules``, cached ones included."""
    found = {}
    for module in modules:
        for name, obj in vars(module).items():
            origin = getattr(obj, "__module__", "") or ""
            if callable(obj) and not isinstance(obj, type) and origin.startswith("postsoviet"):
                found[f"{module.__name__}.{name}"] = obj
    return found


def _takes_no_arguments(function: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD, p.KEYWORD_ONLY)
        for p in parameters
    )


def _derived(value: Any) -> Iterator[Any]:
    """What a student would pull out of a returned value: columns, flagged rows, attrs."""
    import pandas as pd

    yield value
    if isinstance(value, pd.DataFrame):
        yield from value.attrs.values()
        flags = [c for c in value.columns if value[c].dtype == bool]
        for column in value.columns:
            yield value[column].tolist()
            for flag in flags:
                yield sorted(set(value.loc[value[flag], column].tolist()))


def _hunt(checks: Any, forensics: Any) -> tuple[list[str], int]:
    """Call every function with no arguments, and hand every function to function tasks."""
    from postsoviet.checks import evaluate

    signal.signal(signal.SIGALRM, _alarm)
    modules = [checks, forensics] + [
        importlib.import_module(f"postsoviet.checks.{m.name}")
        for m in pkgutil.iter_modules(checks.__path__)
    ]
    functions = _callables(modules)
    outputs: list[tuple[str, Any]] = []
    for name, function in functions.items():
        if not _takes_no_arguments(function):
            continue
        signal.alarm(SECONDS)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                outputs += [(name, v) for v in _derived(function())]
        except BaseException:  # a hostile try that fails is no finding
            pass
        finally:
            signal.alarm(0)
    tasks = [t for t in checks.task_ids() if t.startswith("ex-0")]
    tasks = [t for t in tasks if checks.get_task(t).kind != "written"]
    problems, tried = [], 0
    for task in tasks:
        kind = checks.get_task(task).kind
        candidates = list(functions.items()) if kind == "function" else outputs
        for name, candidate in candidates:
            with contextlib.redirect_stdout(io.StringIO()):
                result = evaluate(task, candidate)
            tried += 1
            if result.status == "passed":
                problems.append(f"{name} (or what it returns) passes {task}")
    return problems, tried


def _verdicts(classes: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Run each student's cells in one namespace, as a kernel would; read the check lines."""
    import matplotlib.pyplot as plt

    verdicts = {}
    for label, student in classes.items():
        namespace: dict[str, Any] = {"__name__": "__main__"}
        seen = {}
        for source in student["cells"]:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                try:
                    exec(compile(source, label, "exec"), namespace)
                except Exception as error:  # reported as the cell's output
                    print(f"cell raised {type(error).__name__}: {error}")
            for line in out.getvalue().splitlines():
                parts = line.split(" ", 2)
                if len(parts) == 3 and parts[1] in student["expected"]:
                    seen[parts[1]] = MARKS.get(parts[0], line)
        plt.close("all")
        verdicts[label] = seen
    return verdicts


def main(root: str, site: str, given_file: str) -> dict[str, Any]:
    _cut_off_the_course(root)
    import matplotlib

    matplotlib.use("Agg")
    import postsoviet
    from postsoviet import checks, forensics

    given = json.loads(Path(given_file).read_text(encoding="utf-8"))
    package = Path(postsoviet.__file__).parent
    problems = [
        f"{name} can be imported"
        for name in ("exercise_references", "solutions")
        if importlib.util.find_spec(name) is not None
    ]
    if (Path(site).parent / "solutions").exists():
        problems.append("a solutions folder sits beside the package")
    problems += _named_or_documented(package)
    problems += _plain_answers(package / "checks", given["hunted"])
    found, tried = _hunt(checks, forensics)
    return {
        "where": postsoviet.__file__,
        "problems": problems + found,
        "tried": tried,
        "verdicts": _verdicts(given["classes"]),
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
