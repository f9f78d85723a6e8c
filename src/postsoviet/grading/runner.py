"""Running one submission in a sandboxed kernel and collecting what its tasks need.

The notebook runs on a copy in a fresh scratch folder, cell by cell, errors allowed:
a cell that raises, loops (interrupted after the cell time limit), asks for ``input()``
or prints without end costs that cell, not the notebook. A kernel that dies (``os._exit``,
a segfault) is restarted and the notebook run again without the fatal cell. Once the
student's code has run, a last cell collects each task's *target* (the variable or
function the task names) as plain data: JSON values, a function's source code, a
figure's lines, labels and patches. The checks then run on that data in another process
(:mod:`postsoviet.grading.evaluate`), where nothing the student patched can reach them.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.kernelspec import KernelSpec
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from postsoviet.grading.sandbox import Sandbox, SandboxBroken
from postsoviet.notebooks import ThisEnvironmentKernel
from postsoviet.warm_kernels import ROOT_ENV, RUN, SCRATCH

MARKER = "POSTSOVIET-PAYLOAD "
CELL_TIMEOUT = 30
NOTEBOOK_TIMEOUT = 300
OUTPUT_LIMIT = 2_000_000  # characters of output kept per notebook; the rest is dropped
ANSWER_LIMIT = 2_000_000  # characters of one collected answer; a larger one is not checked
INTERRUPT_GRACE = 5  # seconds an interrupted cell has to stop before its kernel is killed
MAX_RESTARTS = 3

_COLLECT = r"""
def _postsoviet_collect(tasks, marker, limit):
    import inspect, json, math
    def encode(value):
        if value is Ellipsis:
            return {"kind": "stub"}
        if type(value).__module__ == "numpy" and hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return {"kind": "float", "repr": repr(value)}
        if value is None or isinstance(value, (bool, int, float, str)):
            return {"kind": "value", "json": value}
        name = type(value).__name__
        if name in ("Series", "DataFrame") and hasattr(value, "to_json"):
            return {"kind": "pandas", "type": name, "json": value.to_json(orient="split")}
        if isinstance(value, (list, tuple, dict)):
            try:
                return {"kind": "value", "json": json.loads(json.dumps(value)), "type": name}
            except (TypeError, ValueError):
                pass
        return {"kind": "opaque", "type": name}
    def figure(value):
        axes = []
        for ax in value.axes:
            # get_xydata gives floats whatever the units (dates become matplotlib day numbers)
            lines = [[[float(x) for x in line.get_xydata()[:, 0]],
                      [float(y) for y in line.get_xydata()[:, 1]]]
                     for line in ax.get_lines()]
            patches = []
            for patch in ax.patches[:500]:  # outlines in data coordinates, e.g. a drawn flag
                try:
                    path = patch.get_path().transformed(patch.get_transform() - ax.transData)
                    patches.append({"xy": [[float(x), float(y)] for x, y in path.vertices],
                                    "facecolor": [float(c) for c in patch.get_facecolor()],
                                    "fill": bool(patch.get_fill() and patch.get_visible()),
                                    "zorder": float(patch.get_zorder())})
                except Exception:
                    continue
            axes.append({"xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(), "lines": lines,
                         "patches": patches})
        return {"kind": "figure", "axes": axes}
    found = {}
    space = globals()
    for task_id, target, kind in tasks:
        try:
            if not target:
                found[task_id] = {"kind": "written"}
            elif target not in space:
                found[task_id] = {"kind": "missing"}
            elif kind == "function" and callable(space[target]):
                source = inspect.getsource(space[target])
                found[task_id] = {"kind": "function", "name": target, "source": source}
            elif kind == "plot" and hasattr(space[target], "savefig"):
                found[task_id] = figure(space[target])
            else:
                found[task_id] = encode(space[target])
            size = len(json.dumps(found[task_id]))
            if size > limit:
                found[task_id] = {"kind": "too-large", "size": size, "limit": limit}
        except Exception as error:
            found[task_id] = {"kind": "opaque", "type": type(space.get(target)).__name__,
                              "problem": type(error).__name__}
    print(marker + json.dumps(found))
"""


class SandboxKernel(ThisEnvironmentKernel):
    """This environment's Python with resource limits but no isolation (unsafe mode)."""

    launcher = "postsoviet.grading.sandbox"

    @property
    def kernel_spec(self) -> KernelSpec:
        argv = [sys.executable, "-m", *self.launcher.split(), "-f", "{connection_file}"]
        return KernelSpec(argv=argv, display_name="grading", language="python")


class WarmSandboxKernel(SandboxKernel):
    """A kernel forked by the zygote inside a bwrap sandbox (:mod:`postsoviet.warm_kernels`).

    It talks ZeroMQ over ``ipc`` sockets in the sandbox's ``/box/run``, which the host
    reaches under ``/proc/PID/root`` (the environment's ``POSTSOVIET_SANDBOX_ROOT``): the
    sandbox has no network to reach the host's loopback.
    """

    launcher = "postsoviet.warm_kernels spawn"

    async def _async_pre_start_kernel(self, **kwargs: Any) -> tuple[list[str], dict[str, Any]]:
        self.transport = "ipc"
        self.ip = kwargs["env"][ROOT_ENV] + str(RUN / "k")
        return await super()._async_pre_start_kernel(**kwargs)

    def cleanup_ipc_files(self) -> None:
        """Leave the sockets to the sandbox's reset, which wipes them.

        Removing them from the host, through ``/proc/PID/root``, could follow a link a
        student's process left in their place to a file of the host's.
        """


class StuckCell(Exception):
    """A cell went on past its time limit and ignored the interrupt: its kernel was killed."""


class _CappedClient(NotebookClient):
    """Keeps at most ``OUTPUT_LIMIT`` characters of output, and kills a stuck kernel.

    A cell over its time limit is interrupted (SIGINT); if it has not stopped
    ``INTERRUPT_GRACE`` seconds later (code that ignores SIGINT, or a long C call), the
    kernel is killed and :class:`StuckCell` raised, so the notebook is run again
    without that cell.
    """

    kept = 0
    dropped = False
    collecting = False  # the collected answers are never dropped (each is capped on its own)

    def output(
        self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None, cell_index: int
    ) -> NotebookNode | None:
        size = len(json.dumps(msg.get("content", {}), default=str))
        if self.kept + size > OUTPUT_LIMIT and not self.collecting:
            self.dropped = True
            return None
        self.kept += size
        return super().output(outs, msg, display_id, cell_index)

    async def _async_handle_timeout(
        self, timeout: int, cell: NotebookNode | None = None
    ) -> dict[str, Any] | None:
        reply = await super()._async_handle_timeout(timeout, cell)
        assert self.kc is not None and self.km is not None
        deadline = time.monotonic() + INTERRUPT_GRACE
        while time.monotonic() < deadline:
            try:
                message = await self.kc.shell_channel.get_msg(timeout=0.5)
            except queue.Empty:
                continue
            if message.get("msg_type") == "execute_reply":
                return reply
        await self.km.shutdown_kernel(now=True)
        raise StuckCell(f"the cell did not finish within {timeout} s, even when interrupted")


@dataclass
class CellOutcome:
    number: int  # 1-based position in the notebook, as students see it
    status: str  # ok, error, timeout, died, skipped
    detail: str = ""


@dataclass
class RunResult:
    payload: dict[str, Any] | None
    cells: list[CellOutcome] = field(default_factory=list)
    problem: str = ""  # why the notebook could not be run at all
    output_dropped: bool = False
    restarts: int = 0


def _first_line(text: str, limit: int = 160) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


def read_submission(path: Path) -> NotebookNode:
    """The submitted notebook; raises ValueError with one sentence if it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ValueError("the file is not text (it is not a notebook)") from error
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise ValueError("the file is not valid JSON, so it is not a notebook") from error
    # nbformat 3 and older keep their cells in worksheets; nbformat converts them.
    if not isinstance(raw, dict) or not ({"cells", "worksheets"} & set(raw)):
        raise ValueError("the file is JSON but not a notebook (no cells)")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat's validation errors vary by version
        raise ValueError(f"the notebook cannot be read ({type(error).__name__})") from error
    if "cells" not in nb:
        raise ValueError("the file is JSON but not a notebook (no cells)")
    return nb


def defining_cells(nb: NotebookNode, target: str) -> list[int]:
    """1-based numbers of the code cells that assign or define ``target``."""
    if not target:
        return []
    pattern = re.compile(
        rf"^\s*(def\s+{re.escape(target)}\b|{re.escape(target)}\s*(:[^=]*)?=[^=])", re.M
    )
    return [
        n
        for n, cell in enumerate(nb.cells, start=1)
        if cell.cell_type == "code" and pattern.search(cell.source)
    ]


def run_submission(
    path: Path,
    tasks: list[tuple[str, str, str]],
    *,
    cell_timeout: int = CELL_TIMEOUT,
    notebook_timeout: int = NOTEBOOK_TIMEOUT,
    sandbox: Sandbox | None = None,
) -> RunResult:
    """Run the submission at ``path`` (never modified) and collect its tasks' targets.

    ``sandbox``: the worker's bwrap sandbox, reset before each attempt; None only with
    ``--unsafe-no-sandbox`` (the kernel then runs on the host with resource limits).
    A cell that stops the kernel or ignores the interrupt after its time limit is
    skipped and the notebook run again, up to ``MAX_RESTARTS`` times.
    """
    try:
        original = read_submission(path)
    except (OSError, ValueError) as error:
        return RunResult(None, problem=str(error))

    skip: dict[int, CellOutcome] = {}
    result = RunResult(None)
    for attempt in range(MAX_RESTARTS + 1):
        result = _run_once(original, tasks, skip, cell_timeout, notebook_timeout, sandbox)
        result.restarts = attempt
        fatal = [c for c in result.cells if c.status in ("died", "stuck")]
        if result.payload is not None or not fatal or fatal[-1].number in skip:
            return result
        last = fatal[-1]
        skip[last.number] = (
            CellOutcome(last.number, "timeout", f"{last.detail}; it was skipped")
            if last.status == "stuck"
            else CellOutcome(last.number, "skipped", "skipped: it stopped the kernel")
        )
    return result


def _run_once(
    original: NotebookNode,
    tasks: list[tuple[str, str, str]],
    skip: dict[int, CellOutcome],
    cell_timeout: int,
    notebook_timeout: int,
    sandbox: Sandbox | None,
) -> RunResult:
    nb = nbformat.from_dict(json.loads(json.dumps(original)))  # a private copy
    collect = nbformat.v4.new_code_cell(
        _COLLECT + f"\n_postsoviet_collect({tasks!r}, {MARKER!r}, {ANSWER_LIMIT})"
    )
    nb.cells.append(collect)
    outcomes: list[CellOutcome] = []
    with tempfile.TemporaryDirectory(prefix="postsoviet-grade-") as scratch:
        env = {k: v for k, v in os.environ.items() if k not in ("NBGRADER_EXECUTION", "MPLBACKEND")}
        env.update(MPLBACKEND="Agg", PYTHONHASHSEED="0")
        if sandbox is not None:
            try:  # the submission's own copy, for code that reads itself
                sandbox.reset({"submission.ipynb": nbformat.writes(original)})
            except SandboxBroken as error:
                return RunResult(None, problem=f"the sandbox could not be prepared ({error})")
            env.update(
                {ROOT_ENV: sandbox.root, "POSTSOVIET_PROGRESS": str(SCRATCH / "progress.json")}
            )
        else:
            nbformat.write(original, Path(scratch) / "submission.ipynb")
            env["POSTSOVIET_PROGRESS"] = str(Path(scratch) / "progress.json")
        client = _CappedClient(
            nb,
            timeout=cell_timeout,
            kernel_name="python3",
            kernel_manager_class=WarmSandboxKernel if sandbox else SandboxKernel,
            shutdown_kernel="immediate",
            allow_errors=True,
            interrupt_on_timeout=True,
            error_on_timeout={
                "ename": "CellTimeout",
                "evalue": f"the cell did not finish within {cell_timeout} s",
            },
            resources={"metadata": {"path": scratch}},
            record_timing=False,
        )
        replies: dict[int, dict[str, Any]] = {}

        def remember(cell: NotebookNode, cell_index: int, execute_reply: dict[str, Any]) -> None:
            replies[cell_index] = execute_reply

        client.on_cell_executed = remember
        started = time.monotonic()
        try:
            with client.setup_kernel(env=env, cwd=scratch, stderr=subprocess.DEVNULL):
                for index, cell in enumerate(nb.cells):
                    number = index + 1
                    last = cell is collect
                    if cell.cell_type != "code":
                        continue
                    if number in skip and not last:
                        outcomes.append(skip[number])
                        continue
                    if not last and time.monotonic() - started > notebook_timeout:
                        outcomes.append(
                            CellOutcome(
                                number,
                                "timeout",
                                f"not run: the notebook passed its {notebook_timeout} s limit",
                            )
                        )
                        continue
                    client.collecting = last
                    try:
                        client.execute_cell(cell, index)
                    except StuckCell as stuck:
                        outcomes.append(CellOutcome(number, "stuck", str(stuck)))
                        return RunResult(None, outcomes, output_dropped=client.dropped)
                    except DeadKernelError:
                        outcomes.append(
                            CellOutcome(number, "died", "the kernel stopped during this cell")
                        )
                        return RunResult(None, outcomes, output_dropped=client.dropped)
                    if last:
                        break
                    content = (replies.get(index) or {}).get("content", {})
                    if content.get("status") == "error":
                        status = "timeout" if content.get("ename") == "CellTimeout" else "error"
                        detail = f"{content.get('ename')}: {_first_line(content.get('evalue', ''))}"
                        outcomes.append(CellOutcome(number, status, detail.rstrip(": ")))
                    else:
                        outcomes.append(CellOutcome(number, "ok"))
        except DeadKernelError:
            return RunResult(None, outcomes, output_dropped=client.dropped)
        except (RuntimeError, TimeoutError) as error:
            return RunResult(
                None,
                outcomes,
                problem=f"the kernel could not be started ({_first_line(str(error))})",
            )
    printed = "".join(
        o.get("text", "") for o in collect.get("outputs", []) if o.get("name") == "stdout"
    )
    line = next((ln for ln in printed.splitlines() if ln.startswith(MARKER)), None)
    payload = json.loads(line[len(MARKER) :]) if line else None
    return RunResult(payload, outcomes, output_dropped=client.dropped)
