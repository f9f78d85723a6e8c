"""More attacks on the class grader, by students who know how the sandbox is built.

One class from the real exercise 04, graded once (``--jobs 1``, so every student shares
one sandbox with those graded before, as they do on a busy class): innocent students
whose marks must not move, and students who go after the sandbox's own parts rather
than the instructor's files: the grader's channel to the zygote (held open by the
sandbox's first process), the zygote itself (stopping it), the checker (which calls a
student's function and must keep the kernel's limits), and the ``/proc`` links a reader
may try to climb out through.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from test_grading_isolation import (
    AUTO_POINTS,
    BLANK,
    NB,
    PACKAGE,
    ROOT,
    SOLVED,
    _auto_points,
    _cell,
    _digest,
    _hostile_processes,
    _with,
    _write,
)

from postsoviet.__main__ import main

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="bubblewrap")

# Writes one forged reply line into the grader's channel, through the sandbox's first
# process's standard output; the grader then reads every later reply one step early.
FORGE_REPLY = """
import os
opened = []
for pid in set(filter(str.isdigit, os.listdir("/proc"))) - {str(os.getpid())}:
    for fd in ("1", "0"):
        try:
            if not os.readlink(f"/proc/{pid}/fd/{fd}").startswith("pipe:"):
                continue
            stream = os.open(f"/proc/{pid}/fd/{fd}", os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            continue
        if fd == "1":
            os.write(stream, b'{"ok": true}\\n')
        os.close(stream)
        opened.append(f"/proc/{pid}/fd/{fd}")
if opened:
    raise RuntimeError("OPENED " + " ".join(opened))
"""

# Writes into the memory of a process that outlives every reset (what ptrace allows).
PERSIST = """
import os
found = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    if int(pid) == os.getpid():
        continue
    try:
        open(f"/proc/{pid}/mem", "r+b").close()
        found.append(pid)
    except OSError:
        pass
if found:
    raise RuntimeError("MEMORY OF " + " ".join(found))
"""

STOP_ZYGOTE = """
import os, signal
for pid in {os.getppid(), 1}:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGSTOP):
        try:
            os.kill(pid, signum)
        except OSError:
            pass
"""

# Climbing out through /proc: the first process's folder and root, the parent's root,
# and the repository around the installed package.
CLIMB = """
import os, pathlib, postsoviet
found = []
repository = pathlib.Path(postsoviet.__file__).resolve().parents[2]
for path in ("/proc/1/cwd", "/proc/1/root", f"/proc/{os.getppid()}/root",
             f"/proc/{os.getppid()}/cwd", "/proc/self/root"):
    try:
        seen = set(os.listdir(path))
    except OSError:
        continue
    if seen - set(os.listdir("/")) - {"box"} and path.endswith("root"):
        found.append(path)
    for name in ("solutions", "submissions", "out", "exercises", "course"):
        if name in seen:
            found.append(f"{path}/{name}")
for candidate in (repository / "solutions", repository / "exercises", repository / "tests"):
    if candidate.exists():
        found.append(str(candidate))
if found:
    raise RuntimeError("CLIMBED " + " ".join(found))
"""

# A function the checker calls: it must run under the kernel's limits, not the zygote's.
UNLIMITED_CHECKER = '''
def known_hhi(df, year, flow):
    """HHI of one flow in one year, over the partners whose share is known."""
    import resource
    for limit in (resource.RLIMIT_AS, resource.RLIMIT_NPROC, resource.RLIMIT_CPU):
        if resource.getrlimit(limit)[0] == resource.RLIM_INFINITY:
            raise RuntimeError("UNLIMITED CHECKER")
    shares = df.loc[df["year"] == year, f"{flow}_share_pct"].dropna()
    if shares.empty:
        return float("nan")
    return float((shares**2).sum())
'''

INNOCENT = ("alice", "nina", "zoe")


def _first(grade_id: str, attack: str):
    """The solved notebook with ``attack`` run before the answer: a finding stops the cell."""
    return _with(SOLVED, grade_id, attack + "\n" + _cell(SOLVED, grade_id).source, append=False)


@pytest.fixture(scope="module")
def attacked_class(tmp_path_factory):
    """The class, graded once by ``python -m postsoviet grade`` with one sandbox."""
    base = tmp_path_factory.mktemp("attacked")
    submissions, out = base / "submissions", base / "out"
    for name in INNOCENT:
        _write(submissions / name / NB, SOLVED)
    _write(submissions / "bob" / NB, BLANK)
    _write(submissions / "mallet" / NB, _first("ex-04-1-answer", FORGE_REPLY))
    _write(submissions / "oscar" / NB, _with(SOLVED, "setup", STOP_ZYGOTE))
    _write(submissions / "peggy" / NB, _first("ex-04-1-answer", CLIMB))
    _write(
        submissions / "quinn" / NB, _with(SOLVED, "ex-04-2-answer", UNLIMITED_CHECKER, append=False)
    )
    _write(submissions / "trent" / NB, _first("ex-04-3-answer", PERSIST))
    watched = [PACKAGE, ROOT / "solutions", submissions]
    before = _digest(watched)
    command = [
        "grade",
        str(submissions),
        "--out",
        str(out),
        "--quiet",
        "--jobs",
        "1",
        "--cell-timeout",
        "10",
    ]
    assert main(command) == 0
    after = _digest(watched)
    rows = list(csv.DictReader((out / "gradebook.csv").open(encoding="utf-8")))
    return {"before": before, "after": after, "watched": watched, "rows": rows, "out": out}


def _rows(result, student):
    return {r["task_id"]: r for r in result["rows"] if r["student"] == student}


def _details(rows) -> str:
    return json.dumps({k: (r["status"], r["detail"]) for k, r in rows.items()})


def test_innocent_students_keep_every_point(attacked_class):
    for student in INNOCENT:
        rows = _rows(attacked_class, student)
        assert _auto_points(rows) == AUTO_POINTS, _details(rows)
    assert _auto_points(_rows(attacked_class, "bob")) == 0
    assert attacked_class["after"] == attacked_class["before"]
    assert _hostile_processes() == []


def test_the_graders_channel_cannot_be_reached_from_a_kernel(attacked_class):
    rows = _rows(attacked_class, "mallet")
    assert "OPENED" not in rows["ex-04-1"]["detail"], _details(rows)
    assert _auto_points(rows) == AUTO_POINTS, _details(rows)


def test_no_process_that_outlives_a_reset_is_open_to_a_kernel(attacked_class):
    rows = _rows(attacked_class, "trent")
    assert "MEMORY OF" not in rows["ex-04-3"]["detail"], _details(rows)
    assert _auto_points(rows) == AUTO_POINTS, _details(rows)


def test_stopping_the_zygote_costs_nothing(attacked_class):
    rows = _rows(attacked_class, "oscar")
    assert _auto_points(rows) == AUTO_POINTS, _details(rows)


def test_proc_links_lead_nowhere_outside_the_sandbox(attacked_class):
    rows = _rows(attacked_class, "peggy")
    assert "CLIMBED" not in rows["ex-04-1"]["detail"], _details(rows)
    assert _auto_points(rows) == AUTO_POINTS, _details(rows)


def test_the_checker_calls_a_students_function_under_the_kernels_limits(attacked_class):
    rows = _rows(attacked_class, "quinn")
    assert rows["ex-04-2"]["status"] == "passed", _details(rows)


def test_every_student_has_rows(attacked_class):
    students = {r["student"] for r in attacked_class["rows"]}
    assert students == {*INNOCENT, "bob", "mallet", "oscar", "peggy", "quinn", "trent"}
    assert Path(attacked_class["out"], "gradebook.csv").exists()
