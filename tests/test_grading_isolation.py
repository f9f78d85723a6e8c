"""A hostile class, graded by the real command: one submission touches only its own scratch.

The class is made from the real exercise 04 (``exercises/`` blank, ``solutions/`` solved).
One student tries everything the grader must stop: writing into the installed package,
``solutions/``, a classmate's submission and ``--out``; leaving processes behind with
``setsid`` and a double fork that keep rewriting the gradebook; filling the disk; reaching
the host over the network; reading anything outside its scratch folder. Others bring the
faults that must cost only their own task: a loop that ignores SIGINT, a huge answer,
nbformat 3, names that differ only in punctuation or diacritics, a hidden file.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import fcntl
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

import postsoviet
from postsoviet.__main__ import main
from postsoviet.grading.report import file_names
from postsoviet.grading.sandbox import BWRAP_ENV, DISK_ENV, REFUSAL, SHM_LIMIT_BYTES

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="bubblewrap")

ROOT = Path(__file__).resolve().parents[1]
NB = "04-energy.ipynb"
SOLVED = nbformat.read(ROOT / "solutions" / NB, as_version=4)
BLANK = nbformat.read(ROOT / "exercises" / NB, as_version=4)
PACKAGE = Path(postsoviet.__file__).resolve().parent
DISK_QUOTA = 64 * 1024**2  # a smaller /box than the default, to fill quickly
AUTO_POINTS = 7  # exercise 04's automatically marked points (ex-04-5 is written)
TOKEN = f"postsoviet-hostile-{uuid.uuid4().hex}"


def _cell(nb, grade_id):
    return next(
        c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id
    )


def _with(base, grade_id, source, *, append=True):
    nb = copy.deepcopy(base)
    cell = _cell(nb, grade_id)
    cell.source = cell.source + "\n" + source if append else source
    return nb


def _write(path: Path, nb, version: int = 4) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if version == 4:
        nbformat.write(nb, path)
    else:
        # nbformat's downgrade rewrites the notebook it is given: convert a copy, so the
        # shared SOLVED stays a version 4 notebook for every later test (and module).
        older = nbformat.convert(copy.deepcopy(nb), version)
        path.write_text(nbformat.writes(older, version=version))


def _digest(paths: list[Path]) -> dict[str, str]:
    files = sorted(p for root in paths for p in ([root] if root.is_file() else root.rglob("*")))
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files
        if p.is_file() and "__pycache__" not in p.parts
    }


def _hostile_processes() -> list[str]:
    """Host processes whose command line carries this run's token."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if TOKEN in command and "pytest" not in command:
                found.append(f"{entry.name}: {command[:120]}")
    return found


# The attacks, as cells of one student's notebook; paths are given literally, as a
# student who knows the machine would. Each one that works leaves a trace the test sees.
ATTACK_FILES = """
import json, os, pathlib
targets = json.loads({targets!r})
for path in targets:
    try:
        with open(path, "a") as stream:
            stream.write("\\n# changed by a submission\\n")
    except OSError:
        pass
    try:
        os.utime(path, (0, 0))
    except OSError:
        pass
for folder in json.loads({folders!r}):
    try:
        pathlib.Path(folder, "planted.py").write_text("print('planted')")
    except OSError:
        pass
"""

ATTACK_PROCESSES = """
import json, os, subprocess, sys
lingerer = '''
import sys, time
token, targets = sys.argv[1], sys.argv[2:]
for _ in range(600):
    for path in targets:
        try:
            with open(path, "a") as stream:
                stream.write("late,edit\\\\n")
        except OSError:
            pass
    time.sleep(0.1)
'''
command = [sys.executable, "-c", lingerer, {token!r}, *json.loads({targets!r})]
subprocess.Popen(command, start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, command)
    os._exit(0)
"""

# A reader: lists every file it can see outside the system folders and its scratch,
# every process that is not its sandbox's, the host's loopback, and reports them by
# raising in task ex-04-1's answer cell (a row with status error and the findings).
READER = """
import json, os, socket
allowed = tuple(json.loads({allowed!r}))
found = []
for top, folders, files in os.walk("/"):
    if top.startswith(("/proc", "/sys", "/dev")) or top.startswith(allowed):
        folders[:] = []
        continue
    for name in files:
        found.append(os.path.join(top, name))
for path in json.loads({secrets!r}):
    try:
        open(path, "rb").read(10)
        found.append("read " + path)
    except OSError:
        pass
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        line = open(f"/proc/{{pid}}/cmdline", "rb").read().decode(errors="replace")
    except OSError:
        continue
    if "bin/pytest" in line or "postsoviet\\0grade" in line:
        found.append("process " + line[:80])
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    found.append("reached the host")
except OSError:
    pass
if found:
    raise RuntimeError("FOUND " + " | ".join(found[:8]))
"""

DISK = """
written = 0
quota = {quota}
for where in ("/box/scratch", "/tmp", "/dev/shm", "/box/home"):
    for number in range(8):
        try:
            with open(f"{{where}}/fill-{{number}}", "wb") as stream:
                for _ in range(100):
                    stream.write(b"x" * 1_000_000)
                    written += 1
        except OSError:
            break
if written > quota:
    raise RuntimeError(f"WROTE {{written}} MB")
"""

SIGINT_LOOP = """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
"""


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    """The class graded once by ``python -m postsoviet grade``, with hashes around it."""
    base = tmp_path_factory.mktemp("hostile")
    submissions, out = base / "submissions", base / "out"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    port = listener.getsockname()[1]

    _write(submissions / "alice" / NB, SOLVED)
    _write(submissions / "bob" / NB, BLANK)
    _write(submissions / "carol" / NB, SOLVED)
    victims = [submissions / "alice" / NB, submissions / "carol" / NB]
    targets = [
        str(PACKAGE / "__init__.py"),
        str(PACKAGE / "checks" / "__init__.py"),
        str(ROOT / "solutions" / NB),
        *map(str, victims),
        str(out / "gradebook.csv"),
        str(out / ".grading-state.jsonl"),
    ]
    folders = [str(PACKAGE), str(ROOT / "solutions"), str(submissions / "bob"), str(out)]
    allowed = sorted(
        {
            "/usr",
            "/etc",
            "/box",
            sys.base_prefix,
            sys.prefix,
            str(PACKAGE),
            str(Path(sys.executable).resolve().parent.parent),
        }
    )
    secrets = [
        str(ROOT / "solutions" / NB),
        *map(str, victims),
        str(submissions),
        str(Path.home() / ".bashrc"),
    ]
    mallory = _with(
        BLANK,
        "ex-04-1-answer",
        READER.format(allowed=json.dumps(allowed), secrets=json.dumps(secrets), port=port),
    )
    setup = _cell(mallory, "setup")
    setup.source += "\n" + ATTACK_FILES.format(
        targets=json.dumps(targets), folders=json.dumps(folders)
    )
    setup.source += "\n" + ATTACK_PROCESSES.format(token=TOKEN, targets=json.dumps(targets))
    quota = (DISK_QUOTA + SHM_LIMIT_BYTES) // 1_000_000 + 1
    _cell(mallory, "ex-04-3-answer").source += "\n" + DISK.format(quota=quota)
    _write(submissions / "mallory" / NB, mallory)

    _write(submissions / "dave" / NB, _with(SOLVED, "ex-04-3-answer", SIGINT_LOOP))
    huge = "subsidy_bn = 'x' * 3_000_000"
    _write(submissions / "erin" / NB, _with(SOLVED, "ex-04-1-answer", huge, append=False))
    _write(submissions / "frank" / NB, SOLVED, version=3)
    for name in ("al ice", "al_ice", "Łukasz", "Åukasz"):
        _write(submissions / name / NB, BLANK)
    _write(submissions / "bob" / f".{NB}", SOLVED)
    (submissions / ".hidden__04-energy.ipynb").write_text("{}")

    watched = [PACKAGE, ROOT / "solutions", submissions]
    before = _digest(watched)
    os.environ[DISK_ENV] = str(DISK_QUOTA)
    try:
        command = ["grade", str(submissions), "--out", str(out), "--quiet", "--cell-timeout", "10"]
        assert main(command) == 0
    finally:
        del os.environ[DISK_ENV]
    after = _digest(watched)
    gradebook = (out / "gradebook.csv").read_bytes()
    connections = []
    with contextlib.suppress(BlockingIOError):
        connections.append(listener.accept())
    listener.close()
    rows = list(csv.DictReader((out / "gradebook.csv").open(encoding="utf-8")))
    yield {
        "before": before,
        "after": after,
        "watched": watched,
        "gradebook": gradebook,
        "out": out,
        "rows": rows,
        "connections": connections,
    }


def _rows(result, student):
    return {r["task_id"]: r for r in result["rows"] if r["student"] == student}


def _auto_points(rows) -> float:
    return sum(float(r["points"]) for r in rows.values())


def test_nothing_outside_the_scratch_folder_changes_now_or_ten_seconds_later(hostile_class):
    assert hostile_class["after"] == hostile_class["before"]
    assert _hostile_processes() == []
    time.sleep(10)
    assert _digest(hostile_class["watched"]) == hostile_class["before"]
    assert (hostile_class["out"] / "gradebook.csv").read_bytes() == hostile_class["gradebook"]
    assert not list(hostile_class["out"].rglob("planted.py"))
    assert _hostile_processes() == []


def test_classmates_keep_their_marks_and_blank_work_scores_nothing(hostile_class):
    for student in ("alice", "carol", "frank"):  # frank handed in nbformat 3
        rows = _rows(hostile_class, student)
        assert _auto_points(rows) == AUTO_POINTS, rows
        assert rows["ex-04-5"]["status"] == "manual"
    for student in ("bob", "mallory", "al ice", "al_ice", "Łukasz", "Åukasz"):
        assert _auto_points(_rows(hostile_class, student)) == 0


def test_a_reader_finds_nothing_outside_its_scratch_and_no_network(hostile_class):
    reader = _rows(hostile_class, "mallory")["ex-04-1"]
    assert reader["status"] == "not-answered", reader["detail"]
    assert hostile_class["connections"] == []


def test_the_disk_quota_holds_for_the_whole_sandbox(hostile_class):
    task = _rows(hostile_class, "mallory")["ex-04-3"]
    assert "WROTE" not in task["detail"], task["detail"]


def test_a_loop_that_ignores_sigint_costs_only_its_task(hostile_class):
    rows = _rows(hostile_class, "dave")
    assert rows["ex-04-3"]["status"] == "timeout"
    assert "interrupted" in rows["ex-04-3"]["detail"]
    others = {k: r for k, r in rows.items() if k not in ("ex-04-3", "ex-04-5")}
    assert all(r["status"] == "passed" for r in others.values()), others


def test_a_huge_answer_is_too_large_and_the_others_keep_their_points(hostile_class):
    rows = _rows(hostile_class, "erin")
    assert rows["ex-04-1"]["status"] == "error"
    assert "answer too large" in rows["ex-04-1"]["detail"]
    assert rows["ex-04-2"]["status"] == "passed"
    assert rows["ex-04-3"]["status"] == "passed"


def test_names_differing_in_punctuation_or_diacritics_get_their_own_feedback(hostile_class):
    names = ["al ice", "al_ice", "Łukasz", "Åukasz", "alice"]
    stems = file_names(names)
    assert len({s.lower() for s in stems.values()}) == len(names)
    for name in names:
        text = (hostile_class["out"] / "feedback" / f"{stems[name]}.md").read_text("utf-8")
        assert text.startswith(f"# Feedback for {name}\n")


def test_hidden_files_get_an_error_row(hostile_class):
    hidden = [r for r in hostile_class["rows"] if r["notebook"].startswith(".")]
    assert {(r["student"], r["notebook"]) for r in hidden} == {
        ("bob", f".{NB}"),
        ("?", ".hidden__04-energy.ipynb"),
    }
    assert all(r["status"] == "error" and "hidden" in r["detail"] for r in hidden)


@pytest.mark.parametrize("bwrap", ["missing", "no user namespaces"])
def test_without_isolation_the_grader_refuses_in_one_sentence(bwrap, tmp_path, monkeypatch, capsys):
    _write(tmp_path / "in" / "alice" / NB, BLANK)
    program = tmp_path / "bwrap"
    if bwrap != "missing":  # what bwrap does where user namespaces are switched off
        program.write_text(
            "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n"
        )
        program.chmod(0o755)
    monkeypatch.setenv(BWRAP_ENV, str(program))
    assert main(["grade", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 2
    message = capsys.readouterr().err.strip()
    assert message == f"error: {REFUSAL}"
    assert message.count(". ") == 0 and message.endswith(".")
    assert not (tmp_path / "out" / "gradebook.csv").exists()


def test_the_instructor_can_grade_without_isolation_when_told_to(tmp_path, monkeypatch):
    _write(tmp_path / "in" / "alice" / NB, BLANK)
    monkeypatch.setenv(BWRAP_ENV, str(tmp_path / "no-such-bwrap"))
    command = ["grade", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet"]
    assert main([*command, "--unsafe-no-sandbox"]) == 0
    rows = list(csv.DictReader((tmp_path / "out" / "gradebook.csv").open(encoding="utf-8")))
    assert {r["status"] for r in rows} == {"not-answered"}


def test_two_runs_into_one_out_folder_refuse(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    with (out / ".grading.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert main(["grade", str(tmp_path / "in"), "--out", str(out)]) == 2
    assert "Another grading run is writing to" in capsys.readouterr().err
    assert not (out / "gradebook.csv").exists()


def test_killing_the_grader_leaves_no_process_behind(tmp_path):
    """``kill -9`` of the grader: its sandboxes, kernels and lingerers all go with it."""
    marker = f"POSTSOVIET_TEST_RUN={uuid.uuid4().hex}"
    stuck = ATTACK_PROCESSES.format(token=TOKEN, targets="[]") + "\nimport time\ntime.sleep(600)"
    _write(tmp_path / "in" / "zed" / NB, _with(BLANK, "setup", stuck))
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1]}
    command = ["grade", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet"]
    grader = subprocess.Popen(
        [sys.executable, "-m", "postsoviet", *command, "--cell-timeout", "600"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while len(_hostile_processes()) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(_hostile_processes()) >= 2, "the lingerers never started"
    finally:
        grader.send_signal(signal.SIGKILL)
        grader.wait()

    def left() -> list[str]:
        found = _hostile_processes()
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and marker.encode() in (entry / "environ").read_bytes():
                    found.append(entry.name)
            except OSError:
                continue
        return found

    deadline = time.monotonic() + 20
    while left() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert left() == []
