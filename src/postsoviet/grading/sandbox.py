"""Isolating each submission with bubblewrap: what a student's code may see and do.

Each grading worker runs one sandbox (:class:`Sandbox`): ``bwrap`` with every namespace
unshared (user, PID, network, IPC, UTS, cgroup), ``--die-with-parent``, ``--new-session``
and no further user namespaces inside. The sandbox sees:

- read-only: ``/usr``, the Python installation, the virtual environment and the
  installed ``postsoviet`` package (its own folder only, never the repository around it),
  and a few files of ``/etc`` that libraries read;
- writable: ``/box`` (scratch folder, home, temporary files, kernel sockets) and
  ``/dev/shm``, two tmpfs of fixed size (``--size``): the disk quota;
- nothing else: not ``solutions/``, the submissions, ``--out``, the instructor's home or
  another worker's sandbox. Its ``/proc`` shows only its own processes.

Inside, a warm zygote (:mod:`postsoviet.warm_kernels`) forks the submission's kernel and,
after it, the evaluation of the answers; between two submissions it kills every process
of the sandbox and wipes ``/box``. Each kernel also gets resource limits
(:func:`limit_resources`): address space, file size, CPU time and number of processes.

The kernels talk ZeroMQ over ``ipc`` sockets in ``/box/run``; the host reaches them as
``/proc/PID/root/box/run/...``, PID being the zygote (the namespace's init), so no network is
needed between grader and kernel.

Where bubblewrap cannot run (not installed, not Linux, user namespaces disabled),
:func:`check_available` raises :class:`SandboxUnavailable` with one sentence and the
grader refuses to grade, unless the instructor passes ``--unsafe-no-sandbox``: then
kernels start the old way, ``python -m postsoviet.grading.sandbox -f CONNECTION_FILE``
with the same resource limits and Python's socket functions replaced, which guards
against accidents only.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from postsoviet.warm_kernels import BOX

__all__ = [
    "BWRAP_ENV",
    "REFUSAL",
    "Sandbox",
    "SandboxBroken",
    "SandboxPool",
    "SandboxUnavailable",
    "bwrap_command",
    "check_available",
    "limit_resources",
]

#: Names the ``bwrap`` program to use (default: the one on ``PATH``).
BWRAP_ENV = "POSTSOVIET_BWRAP"
MEMORY_LIMIT_BYTES = int(os.environ.get("POSTSOVIET_GRADE_MEMORY", str(3 * 1024**3)))
FILE_LIMIT_BYTES = 100 * 1024**2
#: The sandbox's disk quota: the size of ``/box`` (``POSTSOVIET_GRADE_DISK`` bytes, read
#: when a sandbox starts) plus ``SHM_LIMIT_BYTES`` for ``/dev/shm``.
DISK_ENV = "POSTSOVIET_GRADE_DISK"
DISK_LIMIT_BYTES = 512 * 1024**2
SHM_LIMIT_BYTES = 64 * 1024**2
CPU_LIMIT_SECONDS = int(os.environ.get("POSTSOVIET_GRADE_CPU", "600"))
PROCESS_LIMIT = 256
START_TIMEOUT = 120
SANDBOX_UID = 1000
#: Files of /etc that Python, numpy or matplotlib may read; nothing else of /etc is seen.
ETC_FILES = ("ld.so.cache", "localtime", "fonts", "mime.types", "nsswitch.conf")

REFUSAL = (
    "Refusing to grade: this machine cannot isolate submissions (bubblewrap's bwrap is "
    "missing or cannot create user namespaces), so install bubblewrap and allow "
    "unprivileged user namespaces, or pass --unsafe-no-sandbox to grade without isolation."
)


class SandboxUnavailable(RuntimeError):
    """bubblewrap cannot isolate a submission on this machine."""


class SandboxBroken(RuntimeError):
    """A sandbox stopped answering (a student killed or stopped its zygote)."""


class NetworkDisabled(OSError):
    """Raised instead of opening a network connection while grading without a sandbox."""


def limit_resources() -> None:
    """Cap one kernel: memory, size of each file, CPU seconds and processes."""
    try:
        import resource
    except ImportError:  # not on Unix: no limits to set
        return
    for limit, value in (
        (resource.RLIMIT_AS, MEMORY_LIMIT_BYTES),
        (resource.RLIMIT_FSIZE, FILE_LIMIT_BYTES),
        (resource.RLIMIT_CPU, CPU_LIMIT_SECONDS),
        (resource.RLIMIT_NPROC, PROCESS_LIMIT),
    ):
        with contextlib.suppress(ValueError, OSError):  # a lower hard limit is already set
            resource.setrlimit(limit, (value, value))


def bwrap_path() -> str:
    return os.environ.get(BWRAP_ENV) or shutil.which("bwrap") or "/usr/bin/bwrap"


def _read_only() -> list[str]:
    """The folders a kernel needs, and only those: Python, the environment, the package."""
    import postsoviet

    wanted = {
        "/usr",
        sys.base_prefix,
        sys.base_exec_prefix,
        sys.prefix,
        str(Path(sys.executable).resolve().parent.parent),
        str(Path(postsoviet.__file__).resolve().parent),
    }
    wanted = {str(Path(p).resolve()) for p in wanted}
    # A folder inside another one already bound needs no binding of its own.
    return sorted(p for p in wanted if not any(p != q and p.startswith(q + "/") for q in wanted))


def bwrap_command(inner: list[str], *, bwrap: str | None = None) -> list[str]:
    """The full ``bwrap`` command line that runs ``inner`` isolated."""
    command = [
        bwrap or bwrap_path(),
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--hostname",
        "grading",
        "--die-with-parent",
        "--new-session",
        # The command is the namespace's init: no bwrap reaper holding the grader's pipes
        # open to the kernels (its /proc/1/fd and /proc/1/mem are theirs to open, as it is
        # dumpable and outlives every reset), and signals from inside cannot stop it.
        "--as-pid-1",
        "--clearenv",
        "--setenv",
        "PATH",
        f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "--setenv",
        "HOME",
        "/box/home",
        "--setenv",
        "MPLCONFIGDIR",
        "/box/home/.matplotlib",
        "--setenv",
        "PYTHONDONTWRITEBYTECODE",
        "1",
        "--setenv",
        "LANG",
        "C.UTF-8",
    ]
    read_only = list(_read_only())
    # /tmp is normally a link into the quota'd /box. A course checked out under /tmp (as a CI
    # clone may be) needs a real /tmp to hold its read-only mounts: an empty tmpfs, made
    # read-only once they are in, with TMPDIR pointing into /box instead.
    tmp_holds_mounts = any(Path(path).is_relative_to("/tmp") for path in read_only)
    if tmp_holds_mounts:
        command += ["--setenv", "TMPDIR", "/box/tmp", "--tmpfs", "/tmp"]
    for path in read_only:
        command += ["--ro-bind", path, path]
    for name in ETC_FILES:
        command += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for name in ("bin", "lib", "lib32", "lib64", "sbin"):  # merged /usr: links, as on the host
        host = Path("/") / name
        if host.is_symlink():
            command += ["--symlink", os.readlink(host), f"/{name}"]
    command += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(SHM_LIMIT_BYTES),
        "--tmpfs",
        "/dev/shm",
        "--size",
        os.environ.get(DISK_ENV, str(DISK_LIMIT_BYTES)),
        "--tmpfs",
        "/box",
        *(["--remount-ro", "/tmp"] if tmp_holds_mounts else ["--symlink", "/box/tmp", "/tmp"]),
        "--remount-ro",
        "/dev",
        "--remount-ro",
        "/",
        "--chdir",
        "/",
        "--",
        *inner,
    ]
    return command


def check_available(bwrap: str | None = None) -> None:
    """Raise :class:`SandboxUnavailable` (with :data:`REFUSAL`) unless bwrap isolates here."""
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(REFUSAL)
    try:
        done = subprocess.run(
            bwrap_command([sys.executable, "-c", ""], bwrap=bwrap),
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SandboxUnavailable(REFUSAL) from error
    if done.returncode != 0:
        raise SandboxUnavailable(REFUSAL)


class Sandbox:
    """One bwrap sandbox with its warm zygote; the grader's end of the conversation."""

    def __init__(self, bwrap: str | None = None) -> None:
        info_read, info_write = os.pipe()
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (kept for the sandbox's life)
        inner = [sys.executable, "-m", "postsoviet.warm_kernels", "serve"]
        command = bwrap_command(inner, bwrap=bwrap)
        command[1:1] = ["--info-fd", str(info_write)]
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._errors,
                pass_fds=(info_write,),
            )
        except OSError as error:
            raise SandboxUnavailable(REFUSAL) from error
        finally:
            os.close(info_write)
        with os.fdopen(info_read, "rb") as stream:
            info = stream.read()
        try:
            self.pid = int(json.loads(info)["child-pid"])
            self._reply(START_TIMEOUT)
        except (ValueError, KeyError, SandboxBroken) as error:
            self.close()
            self._errors.seek(0)
            last = (self._errors.read().decode(errors="replace").strip().splitlines() or ["?"])[-1]
            raise SandboxUnavailable(f"{REFUSAL} ({last})") from error
        #: The sandbox's ``/`` as the host sees it.
        self.root = f"/proc/{self.pid}/root"

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def _reply(self, timeout: float) -> dict[str, Any]:
        stdout = self._process.stdout
        assert stdout is not None
        ready, _, _ = select.select([stdout], [], [], timeout)
        line = stdout.readline() if ready else b""
        try:
            return json.loads(line)
        except ValueError:
            self._process.kill()
            raise SandboxBroken("the sandbox stopped answering") from None

    def _ask(self, command: dict[str, Any], timeout: float) -> dict[str, Any]:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write((json.dumps(command) + "\n").encode())
            stdin.flush()
        except OSError:
            self._process.kill()
            raise SandboxBroken("the sandbox has stopped") from None
        return self._reply(timeout)

    def _inside(self, relative: str, flags: int) -> int:
        """A file descriptor for ``/box/RELATIVE`` in the sandbox, following no link.

        Called only while no student process is alive; refusing symbolic links at every
        step means a link a student left cannot send the host to one of its own files.
        """
        folder = os.open(f"{self.root}{BOX}", os.O_RDONLY | os.O_DIRECTORY)
        try:
            *parents, name = relative.split("/")
            for part in parents:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
                os.close(folder)
                folder = inner
            return os.open(name, flags | os.O_NOFOLLOW, 0o644, dir_fd=folder)
        finally:
            os.close(folder)

    def reset(self, files: dict[str, str]) -> None:
        """End every process of the last submission, wipe, and lay out ``files``."""
        self._ask({"op": "reset"}, 60)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        try:
            for name, text in files.items():
                with os.fdopen(self._inside(f"scratch/{Path(name).name}", flags), "w") as stream:
                    stream.write(text)
        except OSError as error:
            problem = f"the submission could not be copied in ({error.strerror})"
            raise SandboxBroken(problem) from None

    def evaluate(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """End the student's processes, then check the collected answers inside.

        The answers go in and the results come out as files in ``/box/eval``, so the
        zygote, whose memory every later kernel copies, never holds them.
        """
        self._ask({"op": "end"}, 60)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        try:
            with os.fdopen(self._inside("eval/request.json", flags), "w") as stream:
                json.dump(request, stream)
        except OSError as error:
            return {"error": f"checking the answers failed: {error.strerror}"}
        done = self._ask({"op": "evaluate", "timeout": timeout}, timeout + 60)
        if "error" in done:
            return done
        try:
            with os.fdopen(self._inside("eval/reply.json", os.O_RDONLY), "rb") as stream:
                reply = json.loads(stream.read(50_000_000))
        except (OSError, ValueError):
            return {"error": "checking the answers failed: the checker gave no reply"}
        if not isinstance(reply, dict):
            return {"error": "checking the answers failed: the checker gave no reply"}
        return reply

    def close(self) -> None:
        if self._process.stdin:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout:
            self._process.stdout.close()
        self._errors.close()


class SandboxPool:
    """One sandbox per grading thread, started on first use and again if it breaks.

    bwrap's ``--die-with-parent`` ties a sandbox to the thread that started it, so each
    thread starts and uses its own.
    """

    def __init__(self, bwrap: str | None = None) -> None:
        self._bwrap = bwrap
        self._local = threading.local()
        self._all: list[Sandbox] = []
        self._lock = threading.Lock()

    def get(self) -> Sandbox:
        sandbox: Sandbox | None = getattr(self._local, "sandbox", None)
        if sandbox is None or not sandbox.alive:
            if sandbox is not None:
                sandbox.close()
            sandbox = Sandbox(self._bwrap)
            self._local.sandbox = sandbox
            with self._lock:
                self._all.append(sandbox)
        return sandbox

    def close(self) -> None:
        """Stop every sandbox: after this, no student process of the run is left."""
        with self._lock:
            for sandbox in self._all:
                sandbox.close()
            self._all.clear()


# --- without a sandbox (--unsafe-no-sandbox) --------------------------------------------


def _refuse(*_args: object, **_kwargs: object) -> None:
    raise NetworkDisabled("the network is not available while grading")


def _disable_network() -> None:
    socket.socket.connect = _refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse  # type: ignore[method-assign]
    socket.create_connection = _refuse  # type: ignore[assignment]
    socket.getaddrinfo = _refuse  # type: ignore[assignment]


def main() -> None:
    """An unisolated kernel with resource limits: ``--unsafe-no-sandbox`` only."""
    limit_resources()
    _disable_network()
    from ipykernel.kernelapp import launch_new_instance

    sys.argv[0] = "postsoviet-grading-kernel"
    launch_new_instance()


if __name__ == "__main__":
    main()
