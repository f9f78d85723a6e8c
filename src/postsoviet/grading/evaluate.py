"""Evaluating collected answers in a process of their own.

``python -m postsoviet.grading.evaluate`` reads ``{"tasks": [...], "payload": {...}}`` on
standard input and prints one JSON list of results. With ``--serve`` (Linux) it stays up
for a whole grading run: it imports pandas, matplotlib and every checker once, then
answers one request per line, each in a child forked for it, so a student's function
cannot leave anything behind for the next student, and a request costs milliseconds
instead of the two seconds of CPU that starting Python and importing all that takes.

The student's kernel is gone by then: a redefined ``check``, a patched ``postsoviet``
or printed "✓ passed" lines cannot change anything here. Values are rebuilt from JSON;
functions from their source code, in a namespace holding only the usual imports (``pd``,
``np``, ``plt``, ``math``, ``data``), and called by the checkers with a time limit;
figures from their lines, labels and patches (as polygons). A task that builds on an
earlier one (``Task.builds_on``) is handed that task's answer, rebuilt from the same
notebook's payload, as the check cell hands it over with ``using=``.
"""

from __future__ import annotations

import json
import math
import os
import re
import select
import signal
import sys
import textwrap
from typing import Any

from postsoviet import checks
from postsoviet.checks import CheckResult
from postsoviet.grading.collect import decode
from postsoviet.grading.sandbox import limit_resources

GRADER_CODE = re.compile(
    r"postsoviet\s*\.\s*checks|from\s+postsoviet\s+import\s+checks|_reference_"
)


#: Modules a function may not bring along: they would check the answer for it.
GRADER_MODULES = ("postsoviet.checks", "postsoviet.grading")


class _Missing:
    """Stands for a task whose target is not defined in the submission."""


def _rebuild_function(spec: dict[str, Any]) -> Any:
    import importlib

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    from postsoviet import data

    namespace: dict[str, Any] = {"pd": pd, "np": np, "plt": plt, "math": math, "data": data}
    for alias, module in spec.get("modules", {}).items():
        namespace[alias] = importlib.import_module(module)
    for name, node in spec.get("constants", {}).items():
        namespace[name] = decode(node)
    # The student's own function and its helpers, to be called by the checker.
    for source in [*spec.get("helpers", []), spec["source"]]:
        exec(compile(textwrap.dedent(source), "<submission>", "exec"), namespace)
    return namespace.get(spec["name"])


def rebuild(spec: dict[str, Any]) -> Any:
    """The student's answer, rebuilt from what the kernel collected (see :mod:`.collect`)."""
    kind = spec.get("kind")
    if kind == "missing":
        return _Missing()
    if kind == "function":
        return _rebuild_function(spec)
    return decode(spec)


def _earlier(spec: dict[str, Any] | None) -> Any:
    """The answer a later task builds on; None when it is absent or cannot be rebuilt."""
    if spec is None or spec.get("kind") in ("missing", "too-large", "written"):
        return None
    try:
        return rebuild(spec)
    except Exception:  # an unreadable earlier answer: the later task is checked on its own
        return None


def evaluate_task(
    task_id: str, spec: dict[str, Any] | None, earlier: dict[str, Any] | None = None
) -> CheckResult:
    """One task's result; ``earlier`` is the collected answer of the task it builds on."""
    task = checks.get_task(task_id)
    if task is None:
        return CheckResult(task_id, "error", "this task is not known to the grader.", 0, 0)
    if task.kind == "written":
        return checks.evaluate(task_id, None)
    if spec is None or spec.get("kind") == "missing":
        where = f"no {task.target} is defined" if task.target else "its answer is missing"
        return CheckResult(
            task_id, "missing", f"{where}: the answer cell was deleted or renamed.", 0, task.points
        )
    if spec.get("kind") == "too-large":
        return CheckResult(
            task_id,
            "error",
            f"answer too large to check ({spec.get('size', '?')} characters of data; "
            f"the limit is {spec.get('limit', '?')}).",
            0,
            task.points,
        )
    sources = [spec.get("source", ""), *spec.get("helpers", [])]
    modules = [str(m) for m in (spec.get("modules") or {}).values()]
    if spec.get("kind") == "function" and (
        any(GRADER_CODE.search(s) for s in sources)
        or any(m.startswith(GRADER_MODULES) for m in modules)
    ):
        return CheckResult(
            task_id,
            "error",
            "the function calls the course's checking code instead of computing the answer.",
            0,
            task.points,
        )
    try:
        value = rebuild(spec)
    except Exception as error:
        return CheckResult(
            task_id,
            "error",
            f"the answer could not be rebuilt for checking "
            f"({type(error).__name__}: {str(error)[:120]}).",
            0,
            task.points,
        )
    return checks.evaluate(task_id, value, _earlier(earlier) if task.builds_on else None)


def evaluate_request(request: dict[str, Any]) -> list[list[Any]]:
    """Every task of one submission, as ``[task_id, status, message, points, max_points]``."""
    payload = request.get("payload") or {}
    results = []
    for task_id in request["tasks"]:
        task = checks.get_task(task_id)
        earlier = payload.get(task.builds_on) if task and task.builds_on else None
        results.append(evaluate_task(task_id, payload.get(task_id), earlier))
    return [[r.task_id, r.status, r.message, r.points, r.max_points] for r in results]


def evaluate_in_child(request: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Evaluate ``request`` in a forked child; ``{"results": ...}`` or ``{"error": ...}``.

    The child's standard streams go nowhere: they are the parent's channel to the grader,
    and a student's function runs in the child.
    """
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: evaluate, write, leave without running any clean-up
        os.close(readable)
        quiet = os.open(os.devnull, os.O_RDWR)
        for stream in (0, 1, 2):
            os.dup2(quiet, stream)
        limit_resources()  # a student's function runs here: the kernel's limits apply
        try:
            reply = {"results": evaluate_request(request)}
        except Exception as error:
            reply = {"error": f"checking the answers failed: {type(error).__name__}: {error}"}
        with os.fdopen(writable, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(reply))
        os._exit(0)
    os.close(writable)
    chunks: list[bytes] = []
    with os.fdopen(readable, "rb") as stream:
        while True:
            ready, _, _ = select.select([stream], [], [], timeout)
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return {"error": f"checking the answers took longer than {timeout:.0f} s"}
            chunk = os.read(stream.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    try:
        return json.loads(b"".join(chunks))
    except ValueError:
        return {"error": "checking the answers failed: the checking process stopped"}


def serve(timeout: float) -> None:
    """Answer one JSON request per line of standard input, each in a forked child."""
    import matplotlib

    matplotlib.use("Agg")
    # Imported once here and inherited by every child.
    import matplotlib.pyplot
    import pandas  # noqa: F401

    checks.task_ids()  # imports every lesson's checkers
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(json.dumps(evaluate_in_child(json.loads(line), timeout)) + "\n")
            sys.stdout.flush()


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        serve(float(sys.argv[2]))
        return
    print(json.dumps(evaluate_request(json.loads(sys.stdin.read()))))


if __name__ == "__main__":
    main()
