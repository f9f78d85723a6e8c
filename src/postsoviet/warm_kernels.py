"""Warm kernels for class grading: each submission's kernel is forked from one warm process.

Starting a Python kernel and importing pandas and matplotlib costs about 1.5 s of CPU,
paid again for every submission. During a class run, one *zygote* process imports
ipykernel, IPython, numpy, pandas, matplotlib and the course package once, listens on a
Unix socket, and forks a fresh process per kernel request. The child applies the
sandbox (:mod:`postsoviet.grading.sandbox`), takes the requester's working folder and
environment, and becomes an ordinary ipykernel on the given connection file. Nothing
a student's code does in one child reaches the zygote or any other child.

Jupyter's kernel manager starts and signals a *process*, so it starts
``python -m postsoviet.warm_kernels spawn -f CONNECTION_FILE``, a stand-in that
imports nothing heavy (which is why this module sits outside ``postsoviet.grading``,
whose package imports the checkers): it asks the zygote for a kernel, forwards interrupts and
termination to it, and exits when the kernel does. If the stand-in is killed, the
kernel notices its socket closing and exits too.

Linux only (it relies on ``fork``); elsewhere grading starts kernels the usual way.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["ZYGOTE_ENV", "available", "running_zygote", "serve", "spawn"]

#: The environment variable naming the zygote's socket for the stand-in.
ZYGOTE_ENV = "POSTSOVIET_ZYGOTE"


def available() -> bool:
    return sys.platform.startswith("linux")


@contextmanager
def running_zygote() -> Iterator[str | None]:
    """A zygote for the length of a class run: its socket path, or None if unavailable."""
    if not available():
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="postsoviet-zygote-") as folder:
        path = str(Path(folder) / "zygote.sock")
        zygote = subprocess.Popen(
            [sys.executable, "-m", "postsoviet.warm_kernels", "serve", path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            ready = zygote.stdout.readline() if zygote.stdout else ""
            yield path if ready.strip() == "ready" else None
        finally:
            if zygote.stdin:
                zygote.stdin.close()
            try:
                zygote.wait(timeout=10)
            except subprocess.TimeoutExpired:
                zygote.kill()


# --- the zygote -------------------------------------------------------------------------


def _warm_up() -> None:
    """Import what every submission imports, once, before any fork."""
    os.environ["MPLBACKEND"] = "Agg"
    import ipykernel.kernelapp  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    import postsoviet.checks
    import postsoviet.data
    import postsoviet.grading.sandbox
    import postsoviet.plots

    postsoviet.checks.task_ids()


def _become_kernel(connection: socket.socket, request: dict[str, object]) -> None:
    """In the forked child: sandbox, environment, folder, then run ipykernel for good."""
    from postsoviet.grading import sandbox

    os.setpgrp()  # the zygote's own signals are not the kernel's
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # so the student's subprocesses can be waited for
    quiet = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):  # the zygote's pipes belong to the grader
        os.dup2(quiet, stream)
    os.chdir(str(request["cwd"]))
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in dict(request["env"]).items()})  # type: ignore[call-overload]
    sandbox._limit_resources()
    sandbox._disable_network()

    def exit_when_the_stand_in_goes() -> None:
        while connection.recv(1):
            pass
        os._exit(1)

    threading.Thread(target=exit_when_the_stand_in_goes, daemon=True).start()
    from ipykernel.kernelapp import launch_new_instance

    sys.argv = ["postsoviet-grading-kernel", "-f", str(request["connection_file"])]
    code = 0
    try:
        launch_new_instance()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        os._exit(code)


def serve(socket_path: Path) -> None:
    """Listen on ``socket_path`` and fork one kernel per request, until stdin closes."""
    _warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(socket_path))
    listener.listen(16)

    def stop_when_told() -> None:
        sys.stdin.read()  # the grader closes our stdin when the class is done
        os._exit(0)

    threading.Thread(target=stop_when_told, daemon=True).start()
    print("ready", flush=True)
    while True:
        connection, _ = listener.accept()
        with connection.makefile("r", encoding="utf-8") as lines:
            request = json.loads(lines.readline())
        pid = os.fork()
        if pid == 0:
            listener.close()
            _become_kernel(connection, request)
        connection.sendall(f"{pid}\n".encode())
        connection.close()


# --- the stand-in -----------------------------------------------------------------------


def spawn(connection_file: str) -> int:
    """Ask the zygote for a kernel on ``connection_file``; live and die with it."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(os.environ[ZYGOTE_ENV])
    request = {"connection_file": connection_file, "cwd": os.getcwd(), "env": dict(os.environ)}
    connection.sendall((json.dumps(request) + "\n").encode())
    reply = b""
    while not reply.endswith(b"\n"):
        chunk = connection.recv(64)
        if not chunk:
            return 1
        reply += chunk
    kernel = int(reply)

    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(kernel, signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    while True:  # the kernel holds the other end: EOF means it has gone
        try:
            if not connection.recv(1):
                return 0
        except InterruptedError:
            continue


def main() -> None:
    command = sys.argv[1:2]
    if command == ["serve"]:
        serve(Path(sys.argv[2]))
    elif command == ["spawn"] and sys.argv[2:3] == ["-f"]:
        sys.exit(spawn(sys.argv[3]))
    else:
        sys.exit("usage: python -m postsoviet.warm_kernels serve SOCKET | spawn -f FILE")


if __name__ == "__main__":
    main()
