"""Warm kernels inside the grading sandbox: a zygote that forks one kernel per submission.

Starting a Python kernel and importing pandas and matplotlib costs about 1.5 s of CPU,
paid again for every submission. Each grading worker therefore runs one *zygote* inside
its bubblewrap sandbox (:mod:`postsoviet.grading.sandbox`): it imports ipykernel,
IPython, numpy, pandas, matplotlib and the course's checks once, then forks

- a kernel per request from Jupyter's kernel manager, and
- an evaluation child per submission, which checks the collected answers
  (:mod:`postsoviet.grading.evaluate`) with the student's kernel already gone.

Between two submissions the grader tells the zygote to **reset**: it kills every other
process of the sandbox's PID namespace with one ``kill(-1, SIGKILL)`` (the kernel makes
that atomic with respect to ``fork``, so ``setsid`` and double forks are caught), waits
until none is left and wipes the sandbox's only writable places (``/box`` and
``/dev/shm``, both size-limited tmpfs). The zygote is not dumpable (``PR_SET_DUMPABLE``
0), so a student's process cannot ptrace it or read its memory to taint the next
student's kernel; if a student kills or stops it, the grader notices and starts a fresh
sandbox. The zygote never reads a submission or its answers (every kernel is a copy of
its memory): the grader writes them into ``/box`` itself, through ``/proc/PID/root``,
only while no student process is alive, and reads the checker's reply the same way.

The grader talks to the zygote on its standard input and output (one JSON object a
line). Jupyter's kernel manager starts and signals a *process* on the host, so it starts
``python -m postsoviet.warm_kernels spawn -f CONNECTION_FILE``, a stand-in that imports
nothing heavy (which is why this module sits outside ``postsoviet.grading``): it asks the
zygote for a kernel through ``/box/ctl/zygote.sock`` (reached from the host through
``/proc/PID/root``), forwards interrupts as bytes, and exits when the kernel does. When
the stand-in goes, the zygote kills its kernel.

Linux only (fork, PID namespaces, pidfds).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import shutil
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["BOX", "CONTROL", "EVALUATION", "ROOT_ENV", "SCRATCH", "SHM", "serve", "spawn"]

#: The sandbox's writable tmpfs, and the folders inside it.
BOX = Path("/box")
SCRATCH = BOX / "scratch"
HOME = BOX / "home"
TMP = BOX / "tmp"
RUN = BOX / "run"  # connection files and the kernels' ZeroMQ sockets
EVALUATION = BOX / "eval"  # the answers to check and the checker's reply
CONTROL = BOX / "ctl" / "zygote.sock"
SHM = Path("/dev/shm")
#: Where the host sees the sandbox's root, for the stand-in (``/proc/PID/root``).
ROOT_ENV = "POSTSOVIET_SANDBOX_ROOT"
#: Environment variables the stand-in passes on to the kernel (nothing else of the host's).
PASSED_ON = ("POSTSOVIET_", "PYTHONHASHSEED", "MPLBACKEND")
_SIGNALS = {b"I": signal.SIGINT, b"T": signal.SIGTERM, b"K": signal.SIGKILL}
_PR_SET_DUMPABLE = 4


def _warm_up() -> None:
    """Import what every submission imports, once, before any fork."""
    os.environ["MPLBACKEND"] = "Agg"
    import ipykernel.kernelapp  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    import postsoviet.checks
    import postsoviet.data
    import postsoviet.grading.evaluate
    import postsoviet.grading.sandbox
    import postsoviet.plots

    postsoviet.checks.task_ids()


def _environment(passed: dict[str, str]) -> dict[str, str]:
    """A kernel's whole environment: the sandbox's own folders plus what the grader set."""
    env = {
        "HOME": str(HOME),
        "TMPDIR": str(TMP),
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "MPLCONFIGDIR": str(HOME / ".matplotlib"),
        "IPYTHONDIR": str(HOME / ".ipython"),
        "JUPYTER_RUNTIME_DIR": str(RUN),
    }
    env.update({k: v for k, v in passed.items() if k.startswith(PASSED_ON)})
    return env


def _quiet_streams() -> None:
    """A child never holds the zygote's pipes: they are the grader's channel."""
    quiet = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(quiet, stream)


def _become_kernel(request: dict[str, Any], number: int) -> None:
    """In the forked child: limits, environment, folder, then run ipykernel for good."""
    from postsoviet.grading import sandbox

    os.setpgrp()
    signal.signal(signal.SIGINT, signal.default_int_handler)  # the zygote ignores it
    _quiet_streams()
    os.chdir(SCRATCH)
    os.environ.clear()
    os.environ.update(_environment(request.get("env", {})))
    sandbox.limit_resources()
    path = RUN / f"kernel-{number}.json"
    path.write_text(json.dumps(request["connection"]), encoding="utf-8")
    from ipykernel.kernelapp import launch_new_instance

    sys.argv = ["postsoviet-grading-kernel", "-f", str(path)]
    code = 0
    try:
        launch_new_instance()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        os._exit(code)


def _others() -> list[int]:
    """Every process of the sandbox except this zygote, its init (``bwrap --as-pid-1``)."""
    mine = os.getpid()
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != mine]


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _empty(folder: Path) -> None:
    """Remove everything in ``folder``, including what a student made unreadable."""

    def unlock(function: Any, path: str, _error: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700)
            function(path)

    for entry in list(folder.iterdir()) if folder.is_dir() else []:
        if entry.is_dir() and not entry.is_symlink():
            os.chmod(entry, 0o700)
            shutil.rmtree(entry, onerror=unlock)
        else:
            entry.unlink(missing_ok=True)


class _Zygote:
    """The zygote's state: its listener and the kernels it forked, by stand-in connection."""

    def __init__(self) -> None:
        self.listener: socket.socket | None = None
        self.kernels: dict[socket.socket, tuple[int, int]] = {}  # connection -> (pid, pidfd)
        self.forked = 0

    def listen(self) -> None:
        if self.listener is not None:
            self.listener.close()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(CONTROL))
        self.listener.listen(16)

    def end_all(self) -> None:
        """Kill every other process of the sandbox and wait until none is left."""
        for connection, (_pid, pidfd) in list(self.kernels.items()):
            connection.close()
            os.close(pidfd)
        self.kernels.clear()
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(ProcessLookupError):
                os.kill(-1, signal.SIGKILL)
            _reap()
            if not _others():
                break
            if time.monotonic() > deadline:
                raise RuntimeError("processes of the last submission would not end")
            time.sleep(0.01)

    def reset(self) -> None:
        """End every process, wipe the writable places and lay them out afresh."""
        self.end_all()
        for folder in (BOX, SHM):
            _empty(folder)
        for folder in (SCRATCH, HOME, TMP, RUN, CONTROL.parent):
            folder.mkdir(parents=True, exist_ok=True)
        self.listen()

    def evaluate(self, timeout: float) -> dict[str, Any]:
        """Check ``/box/eval/request.json`` in a child, its reply in ``reply.json``.

        The grader writes the request after :meth:`end_all` (``op: end``), so no student
        process can touch it; the reply is read once this child, too, has ended.
        """
        pid = os.fork()
        if pid == 0:
            _quiet_streams()
            code = 1
            try:
                from postsoviet.grading import sandbox
                from postsoviet.grading.evaluate import evaluate_request

                sandbox.limit_resources()  # the checker calls the student's functions

                request = json.loads((EVALUATION / "request.json").read_text(encoding="utf-8"))
                try:
                    reply = {"results": evaluate_request(request)}
                except Exception as error:
                    reply = {"error": f"checking the answers failed: {type(error).__name__}"}
                (EVALUATION / "reply.json").write_text(json.dumps(reply), encoding="utf-8")
                code = 0
            finally:
                os._exit(code)
        pidfd = os.pidfd_open(pid)
        finished, _, _ = select.select([pidfd], [], [], timeout)
        os.close(pidfd)
        self.end_all()
        if not finished:
            return {"error": f"checking the answers took longer than {timeout:.0f} s"}
        return {"done": True}

    def accept(self) -> None:
        assert self.listener is not None
        connection, _ = self.listener.accept()
        connection.settimeout(5)  # anyone in the sandbox can connect: none may hold us up
        try:
            request = json.loads(connection.makefile("r", encoding="utf-8").readline() or "{}")
        except (OSError, ValueError):
            request = {}
        if not isinstance(request, dict) or "connection" not in request:
            connection.close()
            return
        connection.settimeout(None)
        self.forked += 1
        pid = os.fork()
        if pid == 0:
            self.listener.close()
            for other in self.kernels:
                other.close()
            connection.close()
            _become_kernel(request, self.forked)
        self.kernels[connection] = (pid, os.pidfd_open(pid))

    def from_stand_in(self, connection: socket.socket) -> None:
        pid, _pidfd = self.kernels[connection]
        try:
            data = connection.recv(16)
        except OSError:
            data = b""
        for byte in (data[i : i + 1] for i in range(len(data))) if data else [b"K"]:
            signum = _SIGNALS.get(byte)
            with contextlib.suppress(ProcessLookupError):
                if signum == signal.SIGKILL:  # the kernel and what it started
                    os.killpg(pid, signum)
                elif signum is not None:
                    os.kill(pid, signum)

    def kernel_ended(self, pidfd: int) -> None:
        for connection, (pid, fd) in list(self.kernels.items()):
            if fd == pidfd:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
                os.close(fd)
                connection.close()
                del self.kernels[connection]


def serve() -> None:
    """Answer the grader's commands (JSON lines on stdin) until stdin closes."""
    _warm_up()
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
    # As the namespace's init it gets only the signals it handles: handle none.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    zygote = _Zygote()
    zygote.reset()
    buffered = b""
    print(json.dumps({"ready": True}), flush=True)
    while True:
        assert zygote.listener is not None
        pidfds = {fd: fd for _pid, fd in zygote.kernels.values()}
        waiting = [sys.stdin.fileno(), zygote.listener, *zygote.kernels, *pidfds]
        readable, _, _ = select.select(waiting, [], [])
        for ready in readable:
            if ready == sys.stdin.fileno():
                chunk = os.read(ready, 1 << 20)
                if not chunk:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(-1, signal.SIGKILL)
                    os._exit(0)
                buffered += chunk
            elif ready is zygote.listener:
                zygote.accept()
            elif isinstance(ready, socket.socket):
                if ready in zygote.kernels:
                    zygote.from_stand_in(ready)
            else:
                zygote.kernel_ended(ready)
        while b"\n" in buffered:
            line, _, buffered = buffered.partition(b"\n")
            command = json.loads(line)
            reply: dict[str, Any] = {"ok": True}
            if command["op"] == "reset":
                zygote.reset()
            elif command["op"] == "end":  # the student's processes and files go; /box/eval
                zygote.reset()
                EVALUATION.mkdir()
            else:
                reply = zygote.evaluate(float(command["timeout"]))
            print(json.dumps(reply), flush=True)


# --- the stand-in, on the host ----------------------------------------------------------


def spawn(connection_file: str) -> int:
    """Ask the zygote for a kernel on ``connection_file``; live and die with it."""
    root = os.environ[ROOT_ENV]
    info = json.loads(Path(connection_file).read_text(encoding="utf-8"))
    if str(info.get("ip", "")).startswith(root):
        info["ip"] = info["ip"][len(root) :]  # the same socket, as the sandbox names it
    passed = {k: v for k, v in os.environ.items() if k.startswith(PASSED_ON) and k != ROOT_ENV}
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(root + str(CONTROL))
    connection.sendall((json.dumps({"connection": info, "env": passed}) + "\n").encode())

    def forward(signum: int, _frame: object) -> None:
        byte = b"I" if signum == signal.SIGINT else b"T"
        with contextlib.suppress(OSError):
            connection.sendall(byte)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    while True:  # the zygote closes the connection when the kernel has gone
        try:
            if not connection.recv(1):
                return 0
        except InterruptedError:
            continue


def main() -> None:
    command = sys.argv[1:2]
    if command == ["serve"]:
        serve()
    elif command == ["spawn"] and sys.argv[2:3] == ["-f"]:
        sys.exit(spawn(sys.argv[3]))
    else:
        sys.exit("usage: python -m postsoviet.warm_kernels serve | spawn -f FILE")


if __name__ == "__main__":
    main()
